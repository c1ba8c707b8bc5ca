"""A small book with three years of history, for the KPI dashboard tests and snapshots."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, SQLModel

from rmtui.core.models import (
    Case,
    Client,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
    Target,
)

FIRST_DAY = date(2023, 1, 1)
LAST_DAY = date(2026, 11, 29)
KINDS = ("call", "meeting", "email", "video", "message", "note")
CADENCE = {"A": 30, "B": 90, "C": 180}


def build_kpi_book(session: Session, *, seed: int = 7) -> None:
    """Forty clients and six leads with contacts, revenue, holdings, surveys, deals and cases."""
    rng = random.Random(seed)
    clients = [_client(rng, number) for number in range(40)]
    clients += [_lead(rng, number) for number in range(6)]
    session.add_all(clients)
    session.flush()
    rows: list[SQLModel] = []
    for client in clients:
        if client.id is not None and client.client_since is not None:
            rows += _history(rng, client, client.id, client.client_since)
    rows += _targets()
    session.add_all(rows)
    session.flush()


def _client(rng: random.Random, number: int) -> Client:
    since = FIRST_DAY + timedelta(days=rng.randrange(0, 1420))
    until = since + timedelta(days=rng.randrange(120, 700)) if number % 5 == 0 else None
    if until is not None and until > LAST_DAY:
        until = None
    tier = "ABC"[number % 3]
    return Client(
        name=f"Client {number:02d}",
        status="former" if until else "client",
        tier=tier,
        checkin_every_days=CADENCE[tier],
        created_on=since - timedelta(days=rng.randrange(5, 60)),
        client_since=since,
        client_until=until,
    )


def _lead(rng: random.Random, number: int) -> Client:
    created = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 320))
    return Client(
        name=f"Lead {number:02d}",
        status="lead",
        tier="C",
        checkin_every_days=180,
        created_on=created,
    )


def _history(rng: random.Random, client: Client, client_id: int, since: date) -> list[SQLModel]:
    """A client's months from `since` until the relationship ended or today."""
    end = min(client.client_until or LAST_DAY, LAST_DAY)
    rows: list[SQLModel] = []
    day = since
    value = Decimal(rng.randrange(50_000, 400_000))
    while day <= end:
        rows += _month(rng, client_id, day)
        if day.month % 3 == 1:
            value = (value * Decimal(rng.uniform(0.96, 1.08))).quantize(Decimal("0.01"))
            rows.append(Holding(client_id=client_id, account="Portfolio", as_of=day, value=value))
        day = _next_month(day)
    return rows


def _month(rng: random.Random, client_id: int, day: date) -> list[SQLModel]:
    """A month of one client's life: contacts, a fee, now and then a survey, deal or case."""
    rows: list[SQLModel] = []
    for _ in range(rng.randrange(0, 4)):
        at = datetime.combine(day + timedelta(days=rng.randrange(0, 28)), datetime.min.time())
        rows.append(
            Interaction(client_id=client_id, at=at, kind=rng.choice(KINDS), subject="Contact")
        )
    fee = Decimal(rng.randrange(20_000, 90_000)) / 100
    rows.append(Revenue(client_id=client_id, on=day + timedelta(days=14), amount=fee, kind="fee"))
    if rng.random() < 0.12:
        rows.append(
            Survey(
                client_id=client_id,
                on=day + timedelta(days=20),
                csat=rng.randrange(3, 6),
                nps=rng.randrange(5, 11),
            )
        )
    if rng.random() < 0.06:
        stage = rng.choice(("won", "lost"))
        rows.append(
            Opportunity(
                client_id=client_id,
                title="Pension plan",
                stage=stage,
                value=Decimal(rng.randrange(1_000, 20_000)),
                opened_on=day,
                closed_on=day + timedelta(days=25),
                lost_reason="Price" if stage == "lost" else None,
            )
        )
    if rng.random() < 0.05:
        rows.append(
            Case(
                client_id=client_id,
                kind="request",
                subject="Address change",
                opened_on=day,
                due_on=day + timedelta(days=5),
                resolved_on=day + timedelta(days=rng.randrange(1, 9)),
            )
        )
    return rows


def _targets() -> list[SQLModel]:
    """Targets for Q4 2026: one met, one close, one behind."""
    start, end = date(2026, 10, 1), date(2026, 12, 31)
    return [
        Target(metric="new_clients", period_start=start, period_end=end, target=Decimal(1)),
        Target(metric="revenue", period_start=start, period_end=end, target=Decimal(40000)),
        Target(metric="nps", period_start=start, period_end=end, target=Decimal(60)),
    ]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
