"""Value trends of a client's holdings: the value on each monthly step of the last months."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from rmtui.core.queries.financials import AccountValue, holding_history, latest_holdings

TREND_MONTHS = 12


@dataclass(frozen=True)
class ValuePoint:
    """A value on a day; None when nothing was held (no snapshot yet) on that day."""

    on: date
    value: Decimal | None


@dataclass(frozen=True)
class TrendSummary:
    """The first and last known value of a trend, the change between them, lowest, highest."""

    first: ValuePoint
    last: ValuePoint
    change: Decimal
    change_pct: float | None  # None when the first value is 0
    low: Decimal
    high: Decimal


def trend_days(day: date, months: int = TREND_MONTHS) -> list[date]:
    """The days of a monthly trend ending on `day`: `months` months before it up to it (the
    same day of each month, or the month's last day when it is shorter), oldest first."""
    return [day - relativedelta(months=back) for back in range(months, -1, -1)]


def value_trend(
    *,
    session: Session,
    client_id: int,
    day: date,
    months: int = TREND_MONTHS,
    account: str | None = None,
) -> list[ValuePoint]:
    """A client's total holdings value (or one account's) on each day of `trend_days`."""
    days = trend_days(day, months)
    start, later = _snapshots(session, client_id, days, account)
    return total_values(start, later, days)


def account_trends(
    *, session: Session, client_id: int, day: date, months: int = TREND_MONTHS
) -> dict[str, list[ValuePoint]]:
    """Each of a client's accounts' value on each day of `trend_days`, by account name."""
    days = trend_days(day, months)
    start, later = _snapshots(session, client_id, days, None)
    return account_values(start, later, days)


def _snapshots(
    session: Session, client_id: int, days: Sequence[date], account: str | None
) -> tuple[list[AccountValue], list[AccountValue]]:
    """Each account's value on the first day, and the snapshots after it up to the last day."""
    start = latest_holdings(session=session, client_id=client_id, day=days[0])
    if account is not None:
        start = [holding for holding in start if holding.account == account]
    since = days[0] + timedelta(days=1)
    history = holding_history(session=session, client_id=client_id, account=account, since=since)
    return start, [snapshot for snapshot in history if snapshot.as_of <= days[-1]]


def account_values(
    start: Iterable[AccountValue], later: Iterable[AccountValue], days: Sequence[date]
) -> dict[str, list[ValuePoint]]:
    """Each account's value on each of `days` (ascending): its latest snapshot on or before the
    day, None before its first one. `start` holds the values on the first day; `later` the
    snapshots after it in entry order within a day (the last one entered counts)."""
    held = {holding.account: holding.value for holding in start}
    pending = sorted(later, key=lambda snapshot: snapshot.as_of)
    accounts = sorted({*held, *(snapshot.account for snapshot in pending)})
    trends: dict[str, list[ValuePoint]] = {name: [] for name in accounts}
    index = 0
    for day in days:
        while index < len(pending) and pending[index].as_of <= day:
            held[pending[index].account] = pending[index].value
            index += 1
        for name in accounts:
            trends[name].append(ValuePoint(day, held.get(name)))
    return trends


def total_values(
    start: Iterable[AccountValue], later: Iterable[AccountValue], days: Sequence[date]
) -> list[ValuePoint]:
    """The sum of every account's value on each of `days` (None while nothing is held)."""
    return combined_trend(account_values(start, later, days), days)


def combined_trend(
    trends: Mapping[str, Sequence[ValuePoint]], days: Sequence[date]
) -> list[ValuePoint]:
    """The sum of the accounts' `trends` on each of `days` (None while no account is held)."""
    totals: list[ValuePoint] = []
    for position, day in enumerate(days):
        known = [trend[position].value for trend in trends.values()]
        values = [value for value in known if value is not None]
        totals.append(ValuePoint(day, sum(values, Decimal("0.00")) if values else None))
    return totals


def value_months_ago(trend: Sequence[ValuePoint], months: int) -> Decimal | None:
    """The value of a monthly trend (from `trend_days`) `months` steps before its last point."""
    if months >= len(trend):
        return None
    return trend[-1 - months].value


def summarize_trend(points: Sequence[ValuePoint]) -> TrendSummary | None:
    """First and last known value, their change, lowest and highest; None without values."""
    known = [point for point in points if point.value is not None]
    if not known:
        return None
    first, last = known[0], known[-1]
    assert first.value is not None and last.value is not None
    values = [point.value for point in known if point.value is not None]
    change = last.value - first.value
    return TrendSummary(
        first=first,
        last=last,
        change=change,
        change_pct=change_percent(first.value, last.value),
        low=min(values),
        high=max(values),
    )


def change_percent(before: Decimal, after: Decimal) -> float | None:
    """100 × (after − before) / before; None when `before` is 0."""
    if not before:
        return None
    return float(Decimal(100) * (after - before) / abs(before))
