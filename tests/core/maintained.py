"""The summaries the KPI triggers keep, as stored and as recomputed from the rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rmtui.core.models import (
    CONTACT_DAY,
    HOLDING_TABLE,
    NOT_SUPERSEDED,
    REVENUE_DAY,
    Interaction,
    Revenue,
)
from rmtui.core.queries.common import table_of

INTERACTION = table_of(Interaction)
REVENUE = table_of(Revenue)


def stored_superseded_on(session: Session) -> dict[int, date]:
    rows = session.execute(select(HOLDING_TABLE.c.id, HOLDING_TABLE.c.superseded_on))
    return {holding_id: superseded_on for holding_id, superseded_on in rows}


def recomputed_superseded_on(session: Session) -> dict[int, date]:
    """For each snapshot, the as_of of the next one of its account in (as_of, id) order."""
    accounts: dict[tuple[int, str], list[tuple[date, int]]] = defaultdict(list)
    for row in session.execute(select(HOLDING_TABLE)).mappings():
        accounts[row["client_id"], row["account"]].append((row["as_of"], row["id"]))
    result = {}
    for snapshots in accounts.values():
        snapshots.sort()
        for (_as_of, holding_id), following in zip(snapshots, [*snapshots[1:], None], strict=True):
            result[holding_id] = following[0] if following else date.fromisoformat(NOT_SUPERSEDED)
    return result


def stored_revenue_days(session: Session) -> dict[date, tuple[Decimal, int]]:
    rows = session.execute(select(REVENUE_DAY))
    return {on: (amount, entries) for on, amount, entries in rows}


def recomputed_revenue_days(session: Session) -> dict[date, tuple[Decimal, int]]:
    days: dict[date, tuple[Decimal, int]] = {}
    for on, amount in session.execute(select(REVENUE.c.on, REVENUE.c.amount)):
        total, entries = days.get(on, (Decimal(0), 0))
        days[on] = (total + amount, entries + 1)
    return days


def stored_contact_days(session: Session) -> dict[date, int]:
    return {on: contacts for on, contacts in session.execute(select(CONTACT_DAY))}


def recomputed_contact_days(session: Session) -> dict[date, int]:
    days: dict[date, int] = defaultdict(int)
    query = select(INTERACTION.c.at).where(INTERACTION.c.kind != "note")
    for (at,) in session.execute(query):
        days[at.date()] += 1
    return dict(days)


def stored_summaries(session: Session) -> tuple[Any, ...]:
    """Every maintained summary as stored."""
    return (
        stored_superseded_on(session),
        stored_revenue_days(session),
        stored_contact_days(session),
    )


def recomputed_summaries(session: Session) -> tuple[Any, ...]:
    """Every maintained summary recomputed from the rows."""
    return (
        recomputed_superseded_on(session),
        recomputed_revenue_days(session),
        recomputed_contact_days(session),
    )
