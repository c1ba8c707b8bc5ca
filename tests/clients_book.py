"""A small, fixed book of clients for the Clients and Client detail screen tests."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from rmtui.app import RmApp, make_app
from rmtui.core.models import (
    Case,
    Client,
    FinancialGoal,
    FollowUp,
    Holding,
    Interaction,
    Opportunity,
    Survey,
)
from tests.factories import make

DAY = date(2026, 11, 29)
SIZE = (120, 40)
FIRST = ("Ann", "Bram", "Chloé", "Dirk", "Eva", "Femke", "Gert", "Hanne", "Ines", "Jonas")
LAST = ("Peeters", "Maes", "Claes")
CITIES = ("Gent", "Antwerpen", "Leuven", None)
KINDS = ("person", "person", "business", "corporate")
STATUSES = ("client", "client", "prospect", "lead", "former")
TAGS: tuple[list[str], ...] = (["vip"], [], ["golf", "pension"], ["pension"], [])


def fill_book(session: Session) -> None:
    """Thirty clients with varied kinds, statuses, tiers, cities, tags, contacts, follow-ups."""
    for number in range(30):
        tier = "ABC"[number % 3]
        client = make(
            session,
            Client,
            name=f"{FIRST[number % 10]} {LAST[number // 10]}",
            kind=KINDS[number % 4],
            status=STATUSES[number % 5],
            tier=tier,
            city=CITIES[number % 4],
            country="BE",
            email=f"client{number}@example.com",
            tags=TAGS[number % 5],
            checkin_every_days={"A": 30, "B": 90, "C": 180}[tier],
            created_on=date(2024, 1, 1) + timedelta(days=number * 10),
        )
        if number % 3 != 2:
            at = datetime(2026, 11, 20, 10) - timedelta(days=number * 7)
            make(session, Interaction, client_id=client.id, at=at, subject=f"Call {number}")
        if number % 4 == 0:
            due = DAY + timedelta(days=number - 10)
            make(session, FollowUp, client_id=client.id, title=f"Follow up {number}", due_on=due)


def make_rich_client(session: Session) -> Client:
    """A client with a full profile, contacts, follow-ups and something in every panel."""
    referrer = make(session, Client, name="Ruben Referrer", created_on=date(2020, 1, 1))
    client = make(
        session,
        Client,
        name="Aline Vermeulen",
        kind="person",
        status="client",
        tier="A",
        email="aline@example.com",
        phone="+32 470 12 34 56",
        company="Vermeulen Bakeries",
        city="Gent",
        country="BE",
        birthday=date(1972, 12, 3),
        preferred_channel="meeting",
        checkin_every_days=30,
        source="referral",
        referred_by_id=referrer.id,
        tags=["vip", "pension"],
        risk_profile="neutral",
        notes="Prefers morning meetings. Two children at university.",
        created_on=date(2021, 3, 1),
        client_since=date(2021, 4, 1),
    )
    contacts = [
        (datetime(2026, 10, 18, 9, 30), "meeting", "Portfolio review", 60, "Rebalance in spring."),
        (datetime(2026, 9, 2, 14, 0), "call", "Pension question", 15, None),
        (datetime(2026, 8, 20, 11, 0), "email", "Sent the yearly report", None, None),
        (datetime(2026, 7, 1, 16, 45), "note", "Mentioned selling the shop", None, None),
    ]
    for at, kind, subject, minutes, notes in contacts:
        make(
            session,
            Interaction,
            client_id=client.id,
            at=at,
            kind=kind,
            subject=subject,
            duration_min=minutes,
            notes=notes,
        )
    make(
        session,
        FollowUp,
        client_id=client.id,
        title="Send pension proposal",
        due_on=date(2026, 11, 24),
        priority="high",
    )
    make(
        session,
        FollowUp,
        client_id=client.id,
        title="Book spring review",
        due_on=date(2026, 12, 10),
    )
    make(
        session,
        Opportunity,
        client_id=client.id,
        title="Pension plan",
        product="Pension fund",
        stage="proposal",
        value=Decimal("25000"),
    )
    make(
        session,
        Holding,
        client_id=client.id,
        account="Savings",
        as_of=date(2025, 11, 1),
        value=Decimal("10000"),
    )
    make(
        session,
        Holding,
        client_id=client.id,
        account="Savings",
        as_of=date(2026, 11, 1),
        value=Decimal("12500.50"),
    )
    make(
        session,
        FinancialGoal,
        client_id=client.id,
        title="Retire at 60",
        target_amount=Decimal("500000"),
        current_amount=Decimal("125000"),
        target_date=date(2032, 1, 1),
    )
    make(
        session,
        Survey,
        client_id=client.id,
        on=date(2026, 6, 1),
        csat=5,
        nps=9,
        comment="Very helpful",
    )
    make(
        session,
        Case,
        client_id=client.id,
        subject="Card blocked",
        opened_on=date(2026, 11, 20),
        due_on=date(2026, 11, 25),
    )
    assert client.id is not None
    return client


def app_on(engine: Engine) -> RmApp:
    """The app on the test book, today frozen."""
    return make_app(engine, book_name="Test book", day=DAY)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker is done and the screen has caught up."""
    for _ in range(3):
        await pilot.pause()
        # A read made stale by a newer key is cancelled; the next round waits for its successor.
        with suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_clients(pilot: Pilot[None]) -> None:
    """Switch to the Clients screen and wait for its list."""
    await pilot.press("2")
    await settle(pilot)
