"""Dates as a person types them."""

from __future__ import annotations

from datetime import date

import pytest

from rmtui.core.dates import DateError, parse_date

BASE = date(2026, 1, 31)  # a Saturday, at the end of a long month


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("today", BASE),
        ("tomorrow", date(2026, 2, 1)),
        ("fri", date(2026, 2, 6)),
        ("+3d", date(2026, 2, 3)),
        ("2w", date(2026, 2, 14)),
        ("next month", date(2026, 2, 28)),  # the end of a shorter month
        ("2m", date(2026, 3, 31)),
        ("next year", date(2027, 1, 31)),
    ],
)
def test_a_typed_date_is_read_from_the_base_day(typed: str, expected: date) -> None:
    assert parse_date(typed, base=BASE) == expected


@pytest.mark.parametrize("typed", ["", "soon", "2026-02-30"])
def test_a_date_that_cannot_be_read_is_refused_in_one_sentence(typed: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_date(typed, base=BASE)
    assert "\n" not in str(raised.value)
