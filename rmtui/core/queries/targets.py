"""Targets: the relationship manager's goal for one KPI over a period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rmtui.core.models import Target
from rmtui.core.money import parse_money
from rmtui.core.queries.common import InvalidChange, check_choices, fetch, table_of
from rmtui.core.queries.trash import TrashRow, move_to_trash

TARGET = table_of(Target)


def add_target(
    *, session: Session, metric: str, period_start: date, period_end: date, target: Decimal
) -> Target:
    """Add a target for `metric` over `period_start`..`period_end` (both inclusive).

    Targets are kept to the cent, like every stored amount: 85.5 (%) is stored as 85.50.
    """
    _check_period(period_start, period_end)
    check_choices(Target, {"metric": metric})
    row = Target(
        metric=metric,
        period_start=period_start,
        period_end=period_end,
        target=parse_money(target),
    )
    session.add(row)
    session.flush()
    return row


def update_target(*, session: Session, target_id: int, target: Decimal) -> Target:
    """Change the value of a target."""
    row = fetch(session, Target, target_id)
    row.target = parse_money(target)
    session.flush()
    return row


def delete_target(*, session: Session, target_id: int) -> TrashRow:
    """Move one target to the trash."""
    return move_to_trash(session=session, model=Target, record_id=target_id)


def list_targets(
    *,
    session: Session,
    metric: str | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
) -> list[Target]:
    """Targets, optionally of one metric and for exactly one period, oldest first."""
    query = select(Target).order_by(TARGET.c.period_start, TARGET.c.metric, TARGET.c.id)
    if metric is not None:
        query = query.where(TARGET.c.metric == metric)
    if period_start is not None:
        query = query.where(TARGET.c.period_start == period_start)
    if period_end is not None:
        query = query.where(TARGET.c.period_end == period_end)
    return list(session.execute(query).scalars())


def find_target(
    *, session: Session, metric: str, period_start: date, period_end: date
) -> Target | None:
    """The target of `metric` for exactly this period (the newest, as `targets_for` reads it)."""
    query = (
        select(Target)
        .where(
            TARGET.c.metric == metric,
            TARGET.c.period_start == period_start,
            TARGET.c.period_end == period_end,
        )
        .order_by(TARGET.c.id.desc())
        .limit(1)
    )
    return session.execute(query).scalars().first()


def set_target(
    *, session: Session, metric: str, period_start: date, period_end: date, target: Decimal
) -> Target:
    """Set the target of `metric` for this period: change the one there is, or add it."""
    row = find_target(
        session=session, metric=metric, period_start=period_start, period_end=period_end
    )
    if row is None or row.id is None:
        return add_target(
            session=session,
            metric=metric,
            period_start=period_start,
            period_end=period_end,
            target=target,
        )
    return update_target(session=session, target_id=row.id, target=target)


def clear_target(
    *, session: Session, metric: str, period_start: date, period_end: date
) -> list[TrashRow]:
    """Move every target of `metric` for exactly this period to the trash; return their trash
    entries."""
    rows = list_targets(
        session=session, metric=metric, period_start=period_start, period_end=period_end
    )
    return [
        move_to_trash(session=session, model=Target, record_id=row.id)
        for row in rows
        if row.id is not None
    ]


def _check_period(period_start: date, period_end: date) -> None:
    if period_end < period_start:
        raise InvalidChange(
            f"A target's period cannot end ({period_end}) before it starts ({period_start})."
        )
