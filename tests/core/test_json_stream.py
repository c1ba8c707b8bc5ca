"""Reading a JSON object piece by piece gives what json.load gives, the same errors at the same
line and column, whatever the size of the pieces."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmtui.core.interchange import json_stream
from rmtui.core.interchange.json_stream import (
    Items,
    JsonSyntaxError,
    NotAnObject,
    ValueTooLarge,
    object_members,
)


def read(text: str) -> Any:
    """What object_members makes of `text`: the members with lists read whole, or the error
    as json.load would say it."""
    try:
        return [
            (key, list(value) if isinstance(value, Items) else value)
            for key, value in object_members(io.StringIO(text))
        ]
    except JsonSyntaxError as error:
        return f"{error.message} at line {error.line}, column {error.column}"


def loaded(text: str) -> Any:
    """What json.loads makes of `text`, in the same form as `read`."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        return f"{error.msg} at line {error.lineno}, column {error.colno}"
    return list(data.items()) if isinstance(data, dict) else NotAnObject


def read_or_not_an_object(text: str) -> Any:
    try:
        return read(text)
    except NotAnObject:
        return NotAnObject


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)
objects = st.dictionaries(st.text(max_size=8), values | st.lists(values, max_size=6), max_size=5)


def dumped(data: Any, indent: int | None, ascii_only: bool) -> str:
    return json.dumps(data, indent=indent, ensure_ascii=ascii_only, default=str)


@settings(max_examples=150, deadline=None)
@given(
    data=objects,
    indent=st.sampled_from([None, 1, 2]),
    ascii_only=st.booleans(),
    piece=st.integers(min_value=1, max_value=40),
    cut=st.floats(min_value=0, max_value=1),
    flip=st.integers(min_value=0, max_value=10_000),
    junk=st.sampled_from(list(',:[]{}"x\\ 1\n')),
)
def test_every_text_reads_as_json_load_reads_it(
    data: dict[str, Any],
    indent: int | None,
    ascii_only: bool,
    piece: int,
    cut: float,
    flip: int,
    junk: str,
) -> None:
    text = dumped(data, indent, ascii_only)
    at = flip % (len(text) + 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_stream, "PIECE", piece)
        for variant in (text, text[: int(len(text) * cut)], text[:at] + junk + text[at + 1 :]):
            assert read_or_not_an_object(variant) == loaded(variant), variant


def test_decimals_stay_exact_when_a_number_is_cut_between_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(json_stream, "PIECE", 3)
    members = read('{"amounts": [0.1, 1234.56, -10.05, 12345678901234567890.5, 1e2]}')
    assert members == [
        (
            "amounts",
            [
                Decimal("0.1"),
                Decimal("1234.56"),
                Decimal("-10.05"),
                Decimal("12345678901234567890.5"),
                Decimal("1E+2"),
            ],
        )
    ]


def test_the_items_of_a_list_are_read_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_stream, "PIECE", 64)
    handle = io.StringIO(json.dumps({"clients": [{"id": n} for n in range(1, 1001)]}))
    key, items = next(object_members(handle))
    first = next(iter(items))
    assert key == "clients" and first == {"id": 1}
    assert handle.tell() < 200  # the rest of the list is still unread


def test_a_list_left_unread_is_skipped() -> None:
    handle = io.StringIO('{"a": [1, [2, 3], {"b": 4}], "c": 5}')
    assert [key for key, _value in object_members(handle)] == ["a", "c"]


def test_a_byte_order_mark_is_read_past() -> None:
    assert read('\ufeff{"a": 1}') == [("a", 1)]


def test_a_text_that_is_not_an_object_is_said_so_once_read_whole() -> None:
    with pytest.raises(NotAnObject):
        read('[{"a": 1}, 2]')
    assert read('[{"a": 1} 2]') == "Expecting ',' delimiter at line 1, column 11"


def test_nesting_too_deep_is_a_recursion_error() -> None:
    with pytest.raises(RecursionError):
        read('{"a": [' + "[" * 100_000 + "]" * 100_000 + "]}")


def test_a_value_larger_than_any_record_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_stream, "PIECE", 100)
    monkeypatch.setattr(json_stream, "LARGEST_VALUE", 1000)
    text = '{"a": [1, 2],\n "b": ["' + "x" * 5000 + '"]}'
    with pytest.raises(ValueTooLarge) as refused:
        read(text)
    assert refused.value.line == 2
