"""The summaries kept for the KPIs equal their recomputed values after every kind of edit, and
every way of computing a KPI gives the figures of its definition on a random book."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select, text, update
from sqlmodel import Session

from rmtui.core.kpi import FIGURES, KPI_KEYS, compute_kpis, kpi_trend, read_kpis
from rmtui.core.models import (
    CONTACT_DAY,
    HOLDING_TABLE,
    REVENUE_DAY,
    Client,
    Holding,
    Interaction,
    Revenue,
)
from rmtui.core.money import from_cents
from rmtui.core.periods import Period, previous_period
from rmtui.core.queries.common import table_of
from rmtui.core.rollups import refill_summaries
from rmtui.core.rules import cadence_of
from tests.core.maintained import (
    recomputed_contact_days,
    recomputed_revenue_days,
    recomputed_summaries,
    recomputed_superseded_on,
    stored_contact_days,
    stored_revenue_days,
    stored_summaries,
    stored_superseded_on,
)
from tests.factories import make

FIRST_DAY = date(2025, 1, 1)
INTERACTION = table_of(Interaction)
REVENUE = table_of(Revenue)
CLIENT = table_of(Client)


def some_day(rng: random.Random, span: int = 800) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange(span))


def near_day(rng: random.Random, span: int) -> date:
    """One of the first `span` days: few days, so that edits often land on the same one."""
    return some_day(rng, span)


def near_moment(rng: random.Random) -> datetime:
    """A moment in six days of March 2026."""
    return datetime(2026, 3, 1) + timedelta(minutes=rng.randrange(6 * 24 * 60))


def some_time(rng: random.Random) -> datetime:
    return datetime.combine(some_day(rng), datetime.min.time()) + timedelta(
        minutes=rng.randrange(24 * 60)
    )


def add_clients(session: Session, rng: random.Random, count: int) -> list[int]:
    ids = []
    for number in range(count):
        since = rng.choice([None, some_day(rng, 600)])
        until = (
            since + timedelta(days=rng.randrange(1, 400)) if since and rng.random() < 0.3 else None
        )
        created = since - timedelta(days=rng.randrange(0, 60)) if since else some_day(rng)
        client = make(
            session,
            Client,
            name=f"Client {number}",
            status="client" if since else "lead",
            created_on=created,
            client_since=since,
            client_until=until,
            archived=rng.random() < 0.1,
            tier=rng.choice("ABC"),
            checkin_every_days=rng.choice([7, 30, 90, None]),
        )
        assert client.id is not None
        ids.append(client.id)
    return ids


# -- holding.superseded_on ----------------------------------------------------------------------


def holding_edits(rng: random.Random, session: Session, clients: list[int]) -> Iterator[str]:
    """Random inserts, moves (day, account, client), value changes and deletes of holdings,
    on few days so that snapshots of one account often share a day."""
    accounts = ["Main", "ISA", "Pension"]
    for _step in range(150):
        ids = list(stored_superseded_on(session))
        action = rng.choice(["add", "add", "add", "day", "account", "client", "value", "delete"])
        if action == "add" or not ids:
            account, client_id = rng.choice(accounts), rng.choice(clients)
            value = Decimal(rng.randrange(1, 10_000))
            as_of = near_day(rng, 8)
            make(session, Holding, client_id=client_id, account=account, as_of=as_of, value=value)
            yield "add"
            continue
        changes: dict[str, dict[str, Any]] = {
            "day": {"as_of": near_day(rng, 8)},
            "account": {"account": rng.choice(accounts)},
            "client": {"client_id": rng.choice(clients)},
            "value": {"value": Decimal(rng.randrange(1, 10_000))},
        }
        edit(session, HOLDING_TABLE, rng.choice(ids), changes.get(action))
        yield action


def edit(session: Session, table: Any, row_id: int, values: dict[str, Any] | None) -> None:
    """Update the row `row_id` of `table` with `values`, or delete it when they are None."""
    target = table.c.id == row_id
    if values is None:
        session.execute(delete(table).where(target))
    else:
        session.execute(update(table).where(target).values(values))


def test_superseded_on_follows_every_insert_move_and_delete(session: Session) -> None:
    rng = random.Random(11)
    clients = add_clients(session, rng, 3)
    done = set()
    for action in holding_edits(rng, session, clients):
        done.add(action)
        assert stored_superseded_on(session) == recomputed_superseded_on(session), action
    assert done == {"add", "day", "account", "client", "value", "delete"}


def test_deleting_a_client_leaves_the_others_superseded_on_right(session: Session) -> None:
    rng = random.Random(5)
    clients = add_clients(session, rng, 3)
    for _action in zip(range(60), holding_edits(rng, session, clients), strict=False):
        pass
    session.execute(delete(CLIENT).where(CLIENT.c.id == clients[0]))
    assert stored_superseded_on(session) == recomputed_superseded_on(session)


# -- daily roll-ups -----------------------------------------------------------------------------


def test_revenue_by_day_follows_every_insert_update_and_delete(session: Session) -> None:
    rng = random.Random(3)
    clients = add_clients(session, rng, 3)
    for _step in range(120):
        ids = list(session.execute(select(REVENUE.c.id)).scalars())
        action = rng.choice(["add", "add", "day", "amount", "both", "client", "delete"])
        amount = from_cents(rng.randrange(-5_000, 50_000))
        if action == "add" or not ids:
            on, client_id = near_day(rng, 10), rng.choice(clients)
            make(session, Revenue, client_id=client_id, on=on, amount=amount)
            continue
        changes: dict[str, dict[str, Any]] = {
            "day": {"on": near_day(rng, 10)},
            "amount": {"amount": amount},
            "both": {"on": near_day(rng, 10), "amount": amount},
            "client": {"client_id": rng.choice(clients)},
        }
        edit(session, REVENUE, rng.choice(ids), changes.get(action))
        assert stored_revenue_days(session) == recomputed_revenue_days(session), action
    session.execute(delete(CLIENT).where(CLIENT.c.id == clients[0]))
    assert stored_revenue_days(session) == recomputed_revenue_days(session)


def test_contacts_by_day_follow_every_insert_update_and_delete(session: Session) -> None:
    rng = random.Random(9)
    clients = add_clients(session, rng, 3)
    for _step in range(150):
        ids = list(session.execute(select(INTERACTION.c.id)).scalars())
        action = rng.choice(["add", "add", "move", "kind", "both", "client", "delete"])
        kind = rng.choice(["call", "note", "email", "note"])
        if action == "add" or not ids:
            at, client_id = near_moment(rng), rng.choice(clients)
            make(session, Interaction, client_id=client_id, at=at, kind=kind)
            continue
        changes: dict[str, dict[str, Any]] = {
            "move": {"at": near_moment(rng)},
            "kind": {"kind": kind},
            "both": {"at": near_moment(rng), "kind": kind},
            "client": {"client_id": rng.choice(clients)},
        }
        edit(session, INTERACTION, rng.choice(ids), changes.get(action))
        assert stored_contact_days(session) == recomputed_contact_days(session), action
    session.execute(delete(CLIENT).where(CLIENT.c.id == clients[0]))
    assert stored_contact_days(session) == recomputed_contact_days(session)


def test_refill_puts_back_what_the_triggers_keep(session: Session) -> None:
    rng = random.Random(17)
    book = random_book(session, rng)
    assert book.holdings
    kept = stored_summaries(session)
    assert kept == recomputed_summaries(session)
    connection = session.connection()
    connection.execute(update(HOLDING_TABLE).values(superseded_on=date(2000, 1, 1)))
    connection.execute(delete(REVENUE_DAY))
    connection.execute(update(CONTACT_DAY).values(contacts=0))
    refill_summaries(connection=connection)
    assert stored_summaries(session) == kept


# -- every plan gives the definition's figures --------------------------------------------------


@dataclass
class Book:
    """The rows of a random book, read back, to compute KPIs by their definitions."""

    clients: list[dict[str, Any]]
    contacts: list[tuple[int, date]]  # (client_id, day) of every interaction that is not a note
    revenue: list[tuple[date, Decimal]]
    holdings: list[dict[str, Any]]


def random_book(session: Session, rng: random.Random) -> Book:
    clients = add_clients(session, rng, 40)
    for _ in range(400):
        kind = rng.choice(["call", "email", "meeting", "note"])
        make(session, Interaction, client_id=rng.choice(clients), at=some_time(rng), kind=kind)
    for _ in range(150):
        amount = from_cents(rng.randrange(100, 100_000))
        make(session, Revenue, client_id=rng.choice(clients), on=some_day(rng), amount=amount)
    for _ in range(200):
        account, client_id = rng.choice(["A", "B"]), rng.choice(clients)
        as_of, value = some_day(rng, 90) + timedelta(days=600), Decimal(rng.randrange(1, 10_000))
        make(session, Holding, client_id=client_id, account=account, as_of=as_of, value=value)
    return read_book(session)


def read_book(session: Session) -> Book:
    """The rows of the book in `session`, to compute KPIs by their definitions."""
    interactions = session.execute(
        select(INTERACTION.c.client_id, INTERACTION.c.at, INTERACTION.c.kind)
    )
    return Book(
        clients=rows_of(session, CLIENT),
        contacts=[(client, at.date()) for client, at, kind in interactions if kind != "note"],
        revenue=[
            (on, amount) for on, amount in session.execute(select(REVENUE.c.on, REVENUE.c.amount))
        ],
        holdings=rows_of(session, HOLDING_TABLE),
    )


def rows_of(session: Session, table: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in session.execute(select(table)).mappings()]


def is_active(client: dict[str, Any], day: date) -> bool:
    since, until = client["client_since"], client["client_until"]
    return since is not None and since <= day and (until is None or until > day)


def percent(part: int, whole: int) -> float | None:
    return None if not whole else float(Decimal(100) * part / whole)


def expected_kpis(book: Book, start: date, end: date) -> dict[str, Any]:
    """The KPIs that rest on maintained summaries or on a choice of plan, by definition."""
    eve, days = start - timedelta(days=1), (end - start).days + 1
    before = (start - timedelta(days=days), eve)
    at_start = [c for c in book.clients if is_active(c, eve)]
    leads = [
        c
        for c in book.clients
        if start <= c["created_on"] <= end
        and (c["client_since"] is None or c["client_since"] > c["created_on"])
    ]
    retained = sum(is_active(c, end) for c in at_start)
    in_period = [(client, day) for client, day in book.contacts if start <= day <= end]
    revenue = sum((amount for on, amount in book.revenue if start <= on <= end), Decimal(0))
    previous = sum(
        (amount for on, amount in book.revenue if before[0] <= on <= before[1]), Decimal(0)
    )
    return {
        "clients_start": len(at_start),
        "retained": retained,
        "new_clients": sum(
            c["client_since"] is not None and start <= c["client_since"] <= end
            for c in book.clients
        ),
        "lost_clients": sum(
            c["client_until"] is not None and start <= c["client_until"] <= end
            for c in book.clients
        ),
        "lead_conversion": percent(
            sum(c["client_since"] is not None and c["client_since"] <= end for c in leads),
            len(leads),
        ),
        "revenue": revenue.quantize(Decimal("0.01")),
        "revenue_previous": previous.quantize(Decimal("0.01")),
        "interactions": len(in_period),
        "clients_contacted": len({client for client, _day in in_period}),
        "checkin_coverage": expected_coverage(book, end),
        "aum": expected_aum(book, end),
    }


def expected_coverage(book: Book, end: date) -> float | None:
    active = [c for c in book.clients if is_active(c, end)]
    covered = 0
    for client in active:
        days = [day for who, day in book.contacts if who == client["id"] and day <= end]
        if days and (end - max(days)).days < cadence_of(
            client["checkin_every_days"], client["tier"]
        ):
            covered += 1
    return percent(covered, len(active))


def expected_aum(book: Book, end: date) -> Decimal:
    latest: dict[tuple[int, str], tuple[date, int, Decimal]] = {}
    for row in book.holdings:
        key = (row["client_id"], row["account"])
        if row["as_of"] <= end and (row["as_of"], row["id"]) > latest.get(key, (date.min, 0))[:2]:
            latest[key] = (row["as_of"], row["id"], row["value"])
    active = {c["id"] for c in book.clients if is_active(c, end)}
    total = sum(
        (value for (client, _), (*_, value) in latest.items() if client in active), Decimal(0)
    )
    return total.quantize(Decimal("0.01"))


PERIODS = [
    (date(2025, 1, 1), date(2025, 3, 31)),
    (date(2025, 4, 1), date(2025, 12, 31)),
    (date(2026, 1, 1), date(2026, 12, 31)),
    (date(2026, 6, 1), date(2026, 6, 30)),
    (date(2026, 11, 29), date(2026, 11, 29)),
    (date(2027, 1, 1), date(2027, 3, 31)),
    (date(2024, 1, 1), date(2024, 12, 31)),
]


def kpis_one_period_at_a_time(session: Session) -> list[dict[str, Any]]:
    return [compute_kpis(session=session, start=start, end=end) for start, end in PERIODS]


def kpis_all_periods_at_once(session: Session) -> list[dict[str, Any]]:
    """Each KPI for every period in one query, as a trend chart reads it (the revenue of the
    previous periods as the revenue of those periods)."""
    periods = [Period(start, end) for start, end in PERIODS]
    found: list[dict[str, Any]] = [{} for _ in periods]
    for key in KPI_KEYS:
        if key in FIGURES:
            for figures, value in zip(
                found, kpi_trend(session=session, key=key, periods=periods), strict=True
            ):
                figures[key] = value
    before = [previous_period(period) for period in periods]
    for figures, value in zip(
        found, kpi_trend(session=session, key="revenue", periods=before), strict=True
    ):
        figures["revenue_previous"] = value
    return found


def kpis_with_sqlite3_alone(session: Session) -> list[dict[str, Any]]:
    """The KPIs read on a connection of the standard library's sqlite3, as `rmtui kpi` does."""
    path = session.connection().engine.url.database
    assert path is not None
    session.commit()
    with closing(sqlite3.connect(path)) as connection:
        return [read_kpis(connection, start=start, end=end) for start, end in PERIODS]


@pytest.mark.parametrize(
    "compute",
    [kpis_one_period_at_a_time, kpis_all_periods_at_once, kpis_with_sqlite3_alone],
    ids=["one period", "all periods at once", "sqlite3 alone"],
)
def test_every_way_gives_the_definitions_figures(
    session: Session, compute: Callable[[Session], list[dict[str, Any]]]
) -> None:
    book = random_book(session, random.Random(21))
    for (start, end), found in zip(PERIODS, compute(session), strict=True):
        expected = expected_kpis(book, start, end)
        assert {key: found[key] for key in expected} == expected, (start, end)


def test_the_book_has_every_kind_of_client_and_history(session: Session) -> None:
    book = random_book(session, random.Random(21))
    assert any(c["client_until"] for c in book.clients)
    assert any(c["client_since"] is None for c in book.clients)
    assert len({(h["client_id"], h["account"], h["as_of"]) for h in book.holdings}) < len(
        book.holdings
    ), "same-day snapshots of one account"
    count = session.connection().execute(text("SELECT count(*) FROM contact_day")).scalar()
    assert count and count > 100
