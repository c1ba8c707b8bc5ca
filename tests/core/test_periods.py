"""Reporting periods: units containing a day, stepping, previous period, trend, labels."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rmtui.core.periods import (
    UNITS,
    Period,
    months_after,
    next_unit,
    period_containing,
    previous_period,
    step,
    trend_periods,
)


@pytest.mark.parametrize(
    ("day", "unit", "start", "end"),
    [
        (date(2026, 11, 29), "month", date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 11, 29), "quarter", date(2026, 10, 1), date(2026, 12, 31)),
        (date(2026, 1, 1), "quarter", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 6, 30), "quarter", date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 11, 29), "year", date(2026, 1, 1), date(2026, 12, 31)),
        (date(2028, 2, 10), "month", date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_period_containing(day: date, unit: str, start: date, end: date) -> None:
    assert period_containing(day, unit) == Period(start, end)


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="not a period unit"):
        period_containing(date(2026, 1, 1), "week")


def test_step_across_a_year() -> None:
    q4 = period_containing(date(2026, 11, 29), "quarter")
    assert step(q4, "quarter", 1) == Period(date(2027, 1, 1), date(2027, 3, 31))
    assert step(q4, "quarter", -4) == Period(date(2025, 10, 1), date(2025, 12, 31))
    jan = period_containing(date(2027, 1, 15), "month")
    assert step(jan, "month", -1) == Period(date(2026, 12, 1), date(2026, 12, 31))
    assert step(jan, "year", -1) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert step(jan, "month", 0) == jan


def test_step_from_an_arbitrary_period_uses_the_unit_holding_its_start() -> None:
    arbitrary = Period(date(2026, 11, 10), date(2026, 12, 20))
    assert step(arbitrary, "month", 1) == Period(date(2026, 12, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("period", "before"),
    [
        # A quarter: the calendar quarter before it, whatever the number of days.
        (
            Period(date(2026, 1, 1), date(2026, 3, 31)),
            Period(date(2025, 10, 1), date(2025, 12, 31)),
        ),
        (Period(date(2026, 7, 1), date(2026, 9, 30)), Period(date(2026, 4, 1), date(2026, 6, 30))),
        # A month: the month before (March against all of February).
        (Period(date(2026, 3, 1), date(2026, 3, 31)), Period(date(2026, 2, 1), date(2026, 2, 28))),
        # A year: the year before.
        (
            Period(date(2025, 1, 1), date(2025, 12, 31)),
            Period(date(2024, 1, 1), date(2024, 12, 31)),
        ),
        # Two whole months: the two months before.
        (Period(date(2026, 5, 1), date(2026, 6, 30)), Period(date(2026, 3, 1), date(2026, 4, 30))),
    ],
)
def test_previous_period_of_whole_months_is_as_many_months_before(
    period: Period, before: Period
) -> None:
    assert previous_period(period) == before


def test_previous_period_of_an_arbitrary_range() -> None:
    period = Period(date(2026, 11, 1), date(2026, 11, 29))
    assert previous_period(period) == Period(date(2026, 10, 3), date(2026, 10, 31))


def test_trend_of_twelve_months_oldest_first() -> None:
    nov = period_containing(date(2026, 11, 29), "month")
    trend = trend_periods(nov, "month")
    assert len(trend) == 12
    assert trend[0] == Period(date(2025, 12, 1), date(2025, 12, 31))
    assert trend[-1] == nov
    assert [p.start for p in trend] == sorted(p.start for p in trend)
    assert all((b.start - a.end).days == 1 for a, b in pairwise(trend))


def test_trend_of_quarters_and_custom_count() -> None:
    q4 = period_containing(date(2026, 11, 29), "quarter")
    trend = trend_periods(q4, "quarter", count=3)
    assert [p.label for p in trend] == ["Q2 2026", "Q3 2026", "Q4 2026"]


def test_labels() -> None:
    assert period_containing(date(2026, 11, 29), "month").label == "Nov 2026"
    assert period_containing(date(2026, 11, 29), "quarter").label == "Q4 2026"
    assert period_containing(date(2026, 11, 29), "year").label == "2026"
    assert Period(date(2026, 11, 1), date(2026, 11, 29)).label == "2026-11-01 \u2013 2026-11-29"


def test_days_counts_both_ends() -> None:
    assert Period(date(2026, 11, 29), date(2026, 11, 29)).days == 1
    assert period_containing(date(2026, 5, 5), "year").days == 365


def test_next_unit_cycles() -> None:
    assert [next_unit(unit) for unit in UNITS] == ["quarter", "year", "month"]


def test_a_period_in_progress_is_shown_to_date_against_as_many_days_before() -> None:
    from decimal import Decimal

    from rmtui.core.periods import compared_period, in_progress, share_gone, so_far

    q4 = Period(date(2026, 10, 1), date(2026, 12, 31))
    first_of_december = date(2026, 12, 1)
    assert in_progress(q4, first_of_december)
    assert so_far(q4, first_of_december) == Period(date(2026, 10, 1), date(2026, 12, 1))
    # PRODUCT.md: Q4 to date on 1 Dec, 62 days, against 1 Jul - 31 Aug.
    assert compared_period(q4, first_of_december) == Period(date(2026, 7, 1), date(2026, 8, 31))
    assert share_gone(q4, first_of_december) == Decimal(62) / Decimal(92)
    # A period that has ended (or not begun) is shown whole, against its previous period.
    assert so_far(q4, date(2027, 1, 5)) == q4
    assert compared_period(q4, date(2027, 1, 5)) == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert share_gone(q4, date(2027, 1, 5)) is None
    # A custom range in progress: as many days from the start of the same days before it.
    custom = Period(date(2026, 11, 10), date(2026, 12, 20))
    assert compared_period(custom, first_of_december) == Period(
        date(2026, 9, 30), date(2026, 10, 21)
    )


@given(
    first=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)).map(
        lambda day: day.replace(day=1)
    ),
    months=st.integers(min_value=-1200, max_value=1200),
)
def test_months_after_a_first_day_count_as_dateutil_counts(first: date, months: int) -> None:
    from dateutil.relativedelta import relativedelta

    assert months_after(first, months) == first + relativedelta(months=months)
