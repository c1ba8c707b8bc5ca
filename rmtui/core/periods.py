"""Reporting periods for the KPIs: months, quarters, years and arbitrary date ranges."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

UNITS = ("month", "quarter", "year")
EN_DASH = "\u2013"
MONTHS_PER_UNIT = {"month": 1, "quarter": 3, "year": 12}


class Period(NamedTuple):
    """A range of days, `start` and `end` both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """How many days the period spans."""
        return (self.end - self.start).days + 1

    @property
    def unit(self) -> str | None:
        """ "month", "quarter" or "year" when the period is exactly one, else None."""
        for unit in UNITS:
            if period_containing(self.start, unit) == self:
                return unit
        return None

    @property
    def label(self) -> str:
        """A short name: "Nov 2026", "Q4 2026", "2026" or "2026-11-01 \u2013 2026-11-29"."""
        unit = self.unit
        if unit == "month":
            from rmtui.core.dates import date_text

            return date_text(self.start, "%b %Y")
        if unit == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        if unit == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()} {EN_DASH} {self.end.isoformat()}"


def period_containing(day: date, unit: str) -> Period:
    """The month, quarter or year (`unit`) that contains `day`."""
    months = _months(unit)
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return Period(start, months_after(start, months) - timedelta(days=1))


def step(period: Period, unit: str, n: int) -> Period:
    """The `unit` `n` units after (or before, for negative `n`) the one holding `period.start`."""
    start = period_containing(period.start, unit).start
    return period_containing(months_after(start, n * _months(unit)), unit)


def previous_period(period: Period) -> Period:
    """The period a KPI is compared with (PRODUCT.md, "KPIs"): for a range of whole calendar
    months, the same number of whole months just before it (Q1 → Q4, March → February); for
    any other range, the same number of days just before it."""
    months = whole_months(period)
    if months is not None:
        return Period(months_after(period.start, -months), period.start - timedelta(days=1))
    return Period(period.start - timedelta(days=period.days), period.start - timedelta(days=1))


def in_progress(period: Period, today: date) -> bool:
    """Whether `period` has begun but not ended by `today` (it is shown to date)."""
    return period.start <= today < period.end


def so_far(period: Period, today: date) -> Period:
    """The part of `period` up to `today` while it is in progress, else the whole period."""
    return Period(period.start, today) if in_progress(period, today) else period


def compared_period(period: Period, today: date) -> Period:
    """What `period` is compared with (PRODUCT.md, "KPIs"): its previous period, and for a
    period in progress the same number of days from the start of it (Q4 to date on 1 Dec,
    62 days, against 1 Jul - 31 Aug)."""
    before = previous_period(period)
    if not in_progress(period, today):
        return before
    return Period(before.start, before.start + timedelta(days=so_far(period, today).days - 1))


def share_gone(period: Period, today: date) -> Decimal | None:
    """How much of `period` has gone by `today` (days gone / days in the period) while it is
    in progress, for judging a target of a count or a sum by its pace; None otherwise."""
    if not in_progress(period, today):
        return None
    return Decimal(so_far(period, today).days) / Decimal(period.days)


def whole_months(period: Period) -> int | None:
    """How many calendar months `period` spans when it is whole months, else None."""
    if period.start.day != 1 or (period.end + timedelta(days=1)).day != 1:
        return None
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def trend_periods(period: Period, unit: str, count: int = 12) -> list[Period]:
    """The last `count` units ending with the one holding `period.start`, oldest first."""
    return [step(period, unit, -back) for back in range(count - 1, -1, -1)]


def next_unit(unit: str) -> str:
    """The unit after `unit` in the cycle month → quarter → year → month."""
    return UNITS[(UNITS.index(unit) + 1) % len(UNITS)]


def months_after(first: date, months: int) -> date:
    """The first day of the month `months` after (before, when negative) the month `first`,
    the first day of a month, begins."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _months(unit: str) -> int:
    if unit not in MONTHS_PER_UNIT:
        raise ValueError(f"'{unit}' is not a period unit; use month, quarter or year")
    return MONTHS_PER_UNIT[unit]
