"""Figures of the client filter finding clients as they are remembered: a name typed without
its accents, a phone number in another notation than the book's, a misspelt name (the
names alike listed instead), each against the same in the 100-client book."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

from benchmarks.bench import Bench, Group
from benchmarks.figures_data import client_page, in_session, opened
from benchmarks.report import Measured, Spec, at_most
from benchmarks.timing import median, times_ms

# The person halfway down the book whose name has an accent, and the client halfway down
# with a phone number.
ACCENTED_PERSON = "kind = 'person' AND name GLOB '*[^ -~]*'"
AN_ACCENTED_NAME = f"""
    SELECT name FROM client WHERE {ACCENTED_PERSON} ORDER BY id
    LIMIT 1 OFFSET (SELECT count(*) / 2 FROM client WHERE {ACCENTED_PERSON})"""
A_PHONE = """
    SELECT phone FROM client WHERE phone IS NOT NULL ORDER BY id
    LIMIT 1 OFFSET (SELECT count(*) / 2 FROM client)"""
LONG_LAST_NAME = "kind = 'person' AND length(name) - instr(name, ' ') >= 8"
A_LAST_NAME = f"""
    SELECT substr(name, instr(name, ' ') + 1) FROM client WHERE {LONG_LAST_NAME} ORDER BY id
    LIMIT 1 OFFSET (SELECT count(*) / 2 FROM client WHERE {LONG_LAST_NAME})"""


def without_accents(name: str) -> str:
    """The name as typed by someone who leaves its accents out."""
    from rmtui.core.search_text import fold

    return fold(name).lower()


def other_notation(phone: str) -> str:
    """The phone number written another way: nationally when the book has it written
    internationally, else internationally."""
    from rmtui.core.search_text import national_digits

    national = national_digits(phone)
    grouped = f"{national[:2]} {national[2:6]} {national[6:]}"
    return f"0{grouped}" if phone.startswith(("+", "00")) else f"+44 {grouped}"


def misspelt(name: str) -> str:
    """The name with the two letters in its middle swapped (`kowalski` → `kowlaski`)."""
    lowered, middle = name.lower(), len(name) // 2
    return lowered[: middle - 1] + lowered[middle] + lowered[middle - 1] + lowered[middle + 1 :]


def _one(conn: sqlite3.Connection, sql: str) -> Any:
    row = conn.execute(sql).fetchone()
    return None if row is None else row[0]


def _page_ms(engine: Any, text: str | None, repeat: int, check: Callable[[Any, str], None]) -> Any:
    """The median time of the Clients screen's queries for `text` (first page and count),
    each in a new session, after `check` made sure the text finds what it should."""
    if not text:
        return None
    in_session(engine, partial(_checked, check, text))
    return median(times_ms(partial(in_session, engine, partial(_page, text)), repeat=repeat))


def _page(text: str, session: Any) -> tuple[int, int]:
    return client_page(session, text)


def _checked(check: Callable[[Any, str], None], text: str, session: Any) -> None:
    check(session, text)


def finds_as_typed(session: Any, text: str) -> None:
    """Raise unless the filter finds clients for `text` as typed."""
    if not client_page(session, text)[0]:
        raise AssertionError(f"the filter {text!r} found no client")


def finds_alike_only(session: Any, text: str) -> None:
    """Raise unless `text` matches no client as typed and the filter lists names alike."""
    from rmtui.core.queries.clients import ClientFilter, matches_as_typed

    if matches_as_typed(session=session, client_filter=ClientFilter(text=text)):
        raise AssertionError(f"the filter {text!r} matches clients as typed")
    finds_as_typed(session, text)


# Three letters in the names of many clients (Mark, Maria, Martin, Marek…).
THREE_LETTERS = "mar"
TEXTS: dict[str, tuple[str, Callable[[str], str], Callable[[Any, str], None]]] = {
    "filter_accent": (AN_ACCENTED_NAME, without_accents, finds_as_typed),
    "filter_phone": (A_PHONE, other_notation, finds_as_typed),
    "filter_typo": (A_LAST_NAME, misspelt, finds_alike_only),
}


def search_figures(bench: Bench) -> dict[str, Measured]:
    """Each text filter of TEXTS, made from the book's own data, against the same made from
    the 100-client book's; and three letters that many clients have."""
    figures = {}
    with opened(bench.book) as (engine, conn), opened(bench.small_book) as (small, small_conn):
        for key, (sql, typed, check) in TEXTS.items():
            found, small_found = _one(conn, sql), _one(small_conn, sql)
            text = typed(found) if found else None
            small_text = typed(small_found) if small_found else None
            value = _page_ms(engine, text, bench.repeat, check)
            baseline = _page_ms(small, small_text, bench.repeat, check)
            note = f"filter “{text}” for {found}, first page + count"
            figures[key] = Measured(value, baseline, note)
        value = _page_ms(engine, THREE_LETTERS, bench.repeat, finds_as_typed)
        baseline = _page_ms(small, THREE_LETTERS, bench.repeat, finds_as_typed)
        counts = [in_session(db, partial(_page, THREE_LETTERS))[1] for db in (engine, small)]
        note = f"filter “{THREE_LETTERS}”, first page + count ({counts[0]:,} vs {counts[1]:,})"
        figures["filter_three_letters"] = Measured(value, baseline, note)
    return figures


SEARCH_GROUP = Group(
    specs=(
        Spec(
            "filter_accent",
            "client filter, a name without its accents",
            "ms",
            "same at 100 clients",
            at_most(50, "ms"),
        ),
        Spec(
            "filter_phone",
            "client filter, a phone number in another notation",
            "ms",
            "same at 100 clients",
            at_most(50, "ms"),
        ),
        Spec(
            "filter_typo",
            "client filter, a misspelt name (names alike)",
            "ms",
            "same at 100 clients",
            at_most(50, "ms"),
        ),
        Spec(
            "filter_three_letters",
            "client filter, three letters many clients have",
            "ms",
            "same at 100 clients",
            at_most(50, "ms"),
        ),
    ),
    needs=(
        "rmtui.core.queries.clients:matches_as_typed",
        "rmtui.core.search_text:national_digits",
    ),
    measure=search_figures,
)
