"""A small hand-made book for the interaction log and pipeline tests: a few clients, a month
of interactions and deals in every stage (today is 2026-11-29)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session
from textual.pilot import Pilot

from rmtui.app import RmApp, make_app
from rmtui.core.models import Client, Interaction, Opportunity
from tests.factories import make

DAY = date(2026, 11, 29)
SIZE = (120, 40)
# Longer than the pause a typed filter waits for the next key.
TYPING_PAUSE_S = 0.3

CLIENTS = (
    ("Ada Lovelace", "person", "A", "phone"),
    ("Brightwater Ltd", "business", "B", "email"),
    ("Carla Mendes", "person", "B", "meeting"),
    ("Dmitri Novak", "person", "C", "phone"),
    ("Elena Rossi", "person", "A", "video"),
)
# (client index, when, kind, direction, subject, notes)
INTERACTIONS = (
    (
        0,
        "2026-11-28 16:30",
        "call",
        "out",
        "Pension top-up",
        "Wants to add 5,000 before year end.\nCall back with the form.",
    ),
    (1, "2026-11-27 10:00", "meeting", "in", "Credit line review", "CFO asked for a higher limit."),
    (2, "2026-11-26 09:15", "email", "out", "Mortgage offer", None),
    (
        4,
        "2026-11-25 14:00",
        "video",
        "out",
        "Portfolio review",
        "Moves part of the bonds to equity.",
    ),
    (0, "2026-11-24 11:45", "note", "out", "Birthday in December", "Send a card."),
    (
        3,
        "2026-11-20 17:10",
        "call",
        "in",
        "Complaint about fees",
        "Unhappy with the custody fee.\nEscalated to operations.",
    ),
    (1, "2026-11-18 08:30", "email", "in", "Year-end payroll", None),
    (2, "2026-11-12 13:00", "meeting", "out", "First meeting", "Met at the office; two children."),
    (4, "2026-11-05 15:20", "call", "out", "Pension question", "Asked about early retirement."),
    (3, "2026-10-30 10:05", "message", "out", "Documents received", None),
    (0, "2026-10-21 09:00", "visit", "out", "Home visit", "Signed the pension papers."),
    (1, "2026-10-02 16:00", "call", "out", "Introduction", "Referred by Ada Lovelace."),
)
# (client index, title, product, stage, value, opened_on, closed_on, lost_reason)
DEALS = (
    (0, "Pension top-up", "pension", "lead", "5000", "2026-11-28", None, None),
    (3, "Savings plan", "fund", "lead", "12000", "2026-11-02", None, None),
    (2, "Mortgage", "mortgage", "qualified", "250000", "2026-11-12", None, None),
    (1, "Credit line increase", "credit", "qualified", "80000", "2026-10-15", None, None),
    (4, "Equity portfolio", "fund", "proposal", "150000", "2026-09-20", None, None),
    (1, "Payroll services", "cash management", "negotiation", "40000", "2026-08-01", None, None),
    (0, "Life insurance", "insurance", "negotiation", "20000", "2026-10-01", None, None),
    (4, "Retirement plan", "pension", "won", "60000", "2026-05-01", "2026-10-20", None),
    (2, "Current account", "account", "won", "1000", "2026-11-12", "2026-11-14", None),
    (0, "Old bond ladder", "bonds", "won", "30000", "2024-03-01", "2024-06-30", None),
    (
        3,
        "Wealth mandate",
        "mandate",
        "lost",
        "500000",
        "2026-06-01",
        "2026-09-15",
        "went to a private bank",
    ),
    (1, "FX hedging", "fx", "lost", "25000", "2024-01-10", "2024-04-01", "price"),
)


def fill_small_book(session: Session) -> list[int]:
    """Add the clients, interactions and deals; the clients' ids in CLIENTS order."""
    ids = [_client(session, *client) for client in CLIENTS]
    for index, at, kind, direction, subject, notes in INTERACTIONS:
        make(
            session,
            Interaction,
            client_id=ids[index],
            at=datetime.fromisoformat(at),
            kind=kind,
            direction=direction,
            subject=subject,
            notes=notes,
        )
    for index, title, product, stage, value, opened, closed, reason in DEALS:
        make(
            session,
            Opportunity,
            client_id=ids[index],
            title=title,
            product=product,
            stage=stage,
            value=Decimal(value),
            opened_on=date.fromisoformat(opened),
            closed_on=date.fromisoformat(closed) if closed else None,
            lost_reason=reason,
        )
    return ids


def _client(session: Session, name: str, kind: str, tier: str, channel: str) -> int:
    client = make(session, Client, name=name, kind=kind, tier=tier, preferred_channel=channel)
    assert client.id is not None
    return client.id


def app_on(engine: Engine) -> RmApp:
    """The app on `engine` with today frozen at DAY."""
    return make_app(engine, book_name="small", day=DAY)


async def settle(pilot: Pilot[None], *, typed: bool = False) -> None:
    """Wait for a typed filter to apply, every worker to finish and the screen to catch up."""
    if typed:
        await pilot.pause(TYPING_PAUSE_S)
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
