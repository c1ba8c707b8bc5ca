"""A client's money: latest holdings, value history, assets on a day, revenue, goals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Integer, and_, func, select, type_coerce
from sqlalchemy.orm import Session

from rmtui.core.models import FinancialGoal, Holding, Revenue
from rmtui.core.money import from_cents
from rmtui.core.periods import Period
from rmtui.core.queries.common import table_of

HOLDING = table_of(Holding)
REVENUE = table_of(Revenue)
GOAL = table_of(FinancialGoal)


@dataclass(frozen=True)
class AccountValue:
    """The value of one account on a day."""

    account: str
    as_of: date
    value: Decimal


@dataclass(frozen=True)
class PeriodRevenue:
    """Revenue from a client over one period."""

    period: Period
    amount: Decimal


def latest_holdings(
    *, session: Session, client_id: int, day: date | None = None
) -> list[AccountValue]:
    """Each of a client's accounts at its latest snapshot (on or before `day` when given).

    Of two snapshots of one account on the same day, the one entered last counts.
    """
    conditions = [HOLDING.c.client_id == client_id]
    if day is not None:
        conditions.append(HOLDING.c.as_of <= day)
    query = (
        select(HOLDING.c.account, HOLDING.c.as_of, HOLDING.c.value)
        .where(HOLDING.c.id.in_(_latest_ids(session, client_id, conditions)))
        .order_by(HOLDING.c.account)
    )
    return [AccountValue(*row) for row in session.execute(query)]


def _latest_ids(
    session: Session, client_id: int, conditions: list[ColumnElement[bool]]
) -> list[int]:
    """Ids of each account's latest snapshot among the client's holdings meeting `conditions`."""
    latest_day = (
        select(HOLDING.c.account, func.max(HOLDING.c.as_of).label("as_of"))
        .where(*conditions)
        .group_by(HOLDING.c.account)
        .subquery("latest_day")
    )
    same_day = and_(
        HOLDING.c.client_id == client_id,
        HOLDING.c.account == latest_day.c.account,
        HOLDING.c.as_of == latest_day.c.as_of,
    )
    query = (
        select(func.max(HOLDING.c.id))
        .join_from(latest_day, HOLDING, same_day)
        .group_by(latest_day.c.account)
    )
    return list(session.execute(query).scalars())


def holding_history(
    *,
    session: Session,
    client_id: int,
    account: str | None = None,
    since: date | None = None,
) -> list[AccountValue]:
    """A client's holding snapshots (of one account, or all), by account then date."""
    query = select(HOLDING.c.account, HOLDING.c.as_of, HOLDING.c.value).where(
        HOLDING.c.client_id == client_id
    )
    if account is not None:
        query = query.where(HOLDING.c.account == account)
    if since is not None:
        query = query.where(HOLDING.c.as_of >= since)
    query = query.order_by(HOLDING.c.account, HOLDING.c.as_of, HOLDING.c.id)
    return [AccountValue(*row) for row in session.execute(query)]


def client_aum(*, session: Session, client_id: int, day: date) -> Decimal:
    """A client's assets on `day`: the sum of each account's latest value on or before it."""
    holdings = latest_holdings(session=session, client_id=client_id, day=day)
    return sum((holding.value for holding in holdings), Decimal("0.00"))


def client_revenue(
    *, session: Session, client_id: int, periods: Sequence[Period]
) -> list[PeriodRevenue]:
    """Revenue from a client in each of `periods` (both ends included), in one query."""
    if not periods:
        return []
    cents = type_coerce(REVENUE.c.amount, Integer)
    on = REVENUE.c.on
    sums = [
        func.coalesce(func.sum(cents).filter(and_(on >= period.start, on <= period.end)), 0)
        for period in periods
    ]
    first = min(period.start for period in periods)
    last = max(period.end for period in periods)
    query = select(*sums).where(REVENUE.c.client_id == client_id, on >= first, on <= last)
    totals = session.execute(query).one()
    return [
        PeriodRevenue(period, from_cents(total))
        for period, total in zip(periods, totals, strict=True)
    ]


def client_goals(*, session: Session, client_id: int) -> list[FinancialGoal]:
    """A client's financial goals, soonest target date first (undated ones last)."""
    query = (
        select(FinancialGoal)
        .where(GOAL.c.client_id == client_id)
        .order_by(GOAL.c.target_date.is_(None), GOAL.c.target_date, GOAL.c.id)
    )
    return list(session.execute(query).scalars())


def goal_progress(goal: FinancialGoal) -> float | None:
    """How far a goal is reached, in percent (None for a target of 0)."""
    if not goal.target_amount:
        return None
    return float(Decimal(100) * goal.current_amount / goal.target_amount)
