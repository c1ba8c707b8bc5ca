"""Referrals as a relationship: whom a client referred, and the revenue those clients brought."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, func, select, type_coerce
from sqlalchemy.orm import Session

from rmtui.core.models import Client, Revenue
from rmtui.core.money import from_cents
from rmtui.core.queries.common import table_of, without_case

CLIENT = table_of(Client)
REVENUE = table_of(Revenue)


@dataclass(frozen=True)
class Referral:
    """A client someone referred: who, how far they came, and the revenue they brought."""

    client_id: int
    name: str
    status: str
    client_since: date | None
    revenue: Decimal  # every revenue entry of theirs, all time


def referred_by(*, session: Session, client_id: int) -> list[Referral]:
    """The clients `client_id` referred, by name, each with the revenue they brought."""
    cents = type_coerce(REVENUE.c.amount, Integer)
    brought = (
        select(func.coalesce(func.sum(cents), 0))
        .where(REVENUE.c.client_id == CLIENT.c.id)
        .scalar_subquery()
    )
    query = (
        select(CLIENT.c.id, CLIENT.c.name, CLIENT.c.status, CLIENT.c.client_since, brought)
        .where(CLIENT.c.referred_by_id == client_id)
        .order_by(without_case(CLIENT.c.name), CLIENT.c.id)
    )
    return [
        Referral(id_, name, status, since, from_cents(total))
        for id_, name, status, since, total in session.execute(query)
    ]
