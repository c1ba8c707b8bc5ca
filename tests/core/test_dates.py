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


def test_a_day_is_named_with_its_year_only_outside_this_year() -> None:
    from rmtui.core.dates import day_text

    assert day_text(date(2026, 12, 2), today=date(2026, 11, 29)) == "Wed 02 Dec"
    assert day_text(date(2020, 1, 1), today=date(2026, 11, 29)) == "Wed 01 Jan 2020"
    assert day_text(date(2027, 1, 4), today=date(2026, 12, 30)) == "Mon 04 Jan 2027"


def test_a_typed_birthday_in_the_future_is_refused() -> None:
    from rmtui.core.parsers import FieldError, parse_birthday

    assert parse_birthday("1970-05-31") == date(1970, 5, 31)
    with pytest.raises(FieldError, match="2030-05-01 is in the future"):
        parse_birthday("2030-05-01")


def test_a_day_in_a_list_column_fits_eleven_characters() -> None:
    from rmtui.core.dates import short_day_text

    assert short_day_text(date(2026, 12, 2), today=date(2026, 11, 29)) == "Wed 02 Dec"
    assert short_day_text(date(2027, 1, 2), today=date(2026, 12, 29)) == "02 Jan 2027"


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("nl_NL", "15-12-2026", date(2026, 12, 15)),
        ("nl_BE", "15/12/2026", date(2026, 12, 15)),
        ("de_DE", "1.2.2027", date(2027, 2, 1)),
        ("en_GB", "01/02/2027", date(2027, 2, 1)),
        ("en_US", "12/15/2026", date(2026, 12, 15)),
        ("en", "02/01/2027", date(2027, 2, 1)),
    ],
)
def test_dates_in_numbers_are_read_in_the_locales_order(
    monkeypatch: pytest.MonkeyPatch, locale: str, text: str, expected: date
) -> None:
    from rmtui.core.user_locale import user_locale

    monkeypatch.setenv("RMTUI_LOCALE", locale)
    user_locale.cache_clear()
    assert parse_date(text) == expected


def test_a_date_in_numbers_that_is_no_date_in_the_locales_order_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(DateError, match=r"not a real calendar date \(read as month/day/year\)"):
        parse_date("15-12-2026")  # en writes the month first
