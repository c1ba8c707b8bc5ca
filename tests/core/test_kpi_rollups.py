"""The KPI roll-ups by day and owner (migrations 0010 and 0017) equal their values recomputed from
the rows after every kind of insert, edit and delete, a change of a client's owner, a client's
deletion and its return from the trash, an import and an erasure; the KPIs of one owner's
clients read from them equal those of roll-ups made afresh from that owner's rows."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rmtui.core.db import session_scope
from rmtui.core.db_api import of_session
from rmtui.core.interchange.book_file import import_book
from rmtui.core.kpi import compute_kpis
from rmtui.core.kpi_sql import PARTS, read_parts
from rmtui.core.models import (
    HOLDING_TABLE,
    Case,
    Client,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
)
from rmtui.core.privacy import erase_client
from rmtui.core.queries.common import table_of
from rmtui.core.queries.trash import move_to_trash, restore
from rmtui.core.rollups import refill_summaries
from tests.core.kpi_mine_way import parts_the_old_way
from tests.core.maintained import ROLLUPS, recomputed_summaries, stored_rows, stored_summaries
from tests.core.test_kpi_summaries import edit, expected_kpis, read_book
from tests.factories import make

CLIENT = table_of(Client)
INTERACTION = table_of(Interaction)
SURVEY = table_of(Survey)
OPPORTUNITY = table_of(Opportunity)
CASE = table_of(Case)
START = date(2026, 3, 1)


def near(rng: random.Random, days: int = 40) -> date:
    """One of few days, so that edits often land on the same day, span or account."""
    return START + timedelta(days=rng.randrange(days))


def maybe(rng: random.Random, value: Any, chance: float = 0.5) -> Any:
    return value if rng.random() < chance else None


OWNERS = ("ann", "ben", None)  # None: everyone's


def client_fields(rng: random.Random) -> dict[str, Any]:
    """Dates in every order: none, until before or on since (never active), lead spans; an
    owner or none."""
    since = maybe(rng, near(rng), 0.8)
    return {
        "owner": rng.choice(OWNERS),
        "created_on": near(rng),
        "client_since": since,
        "client_until": maybe(rng, near(rng), 0.4),
        "tier": rng.choice("ABC"),
        "checkin_every_days": rng.choice([None, None, 3, 7, 20]),
    }


def add_clients(session: Session, rng: random.Random, count: int) -> list[int]:
    ids = []
    for number in range(count):
        client = make(session, Client, name=f"Client {number}", **client_fields(rng))
        assert client.id is not None
        ids.append(client.id)
    return ids


def ids_of(session: Session, table: Any) -> list[int]:
    return list(session.execute(select(table.c.id)).scalars())


def moment(rng: random.Random) -> datetime:
    return datetime.combine(near(rng), datetime.min.time()) + timedelta(
        minutes=rng.randrange(24 * 60)
    )


Edit = Callable[[Session, random.Random, list[int]], str]


def edit_interaction(session: Session, rng: random.Random, clients: list[int]) -> str:
    ids = ids_of(session, INTERACTION)
    action = rng.choice(["add", "add", "add", "move", "kind", "client", "all", "delete"])
    kind = rng.choice(["call", "email", "note", "meeting"])
    if action == "add" or not ids:
        make(session, Interaction, client_id=rng.choice(clients), at=moment(rng), kind=kind)
        return "interaction add"
    changes: dict[str, dict[str, Any]] = {
        "move": {"at": moment(rng)},
        "kind": {"kind": kind},
        "client": {"client_id": rng.choice(clients)},
        "all": {"at": moment(rng), "kind": kind, "client_id": rng.choice(clients)},
    }
    edit(session, INTERACTION, rng.choice(ids), changes.get(action))
    return f"interaction {action}"


def edit_holding(session: Session, rng: random.Random, clients: list[int]) -> str:
    ids = ids_of(session, HOLDING_TABLE)
    action = rng.choice(["add", "add", "add", "day", "account", "client", "value", "delete"])
    if action == "add" or not ids:
        make(
            session,
            Holding,
            client_id=rng.choice(clients),
            account=rng.choice(["Main", "ISA"]),
            as_of=near(rng, 15),
            value=Decimal(rng.randrange(1, 10_000)),
        )
        return "holding add"
    changes: dict[str, dict[str, Any]] = {
        "day": {"as_of": near(rng, 15)},
        "account": {"account": rng.choice(["Main", "ISA", "Pension"])},
        "client": {"client_id": rng.choice(clients)},
        "value": {"value": Decimal(rng.randrange(1, 10_000))},
    }
    edit(session, HOLDING_TABLE, rng.choice(ids), changes.get(action))
    return f"holding {action}"


CLIENT_EDITS = (
    *("created_on", "client_since", "client_until", "tier", "checkin_every_days"),
    *("referred", "owner"),
)


def edit_client(session: Session, rng: random.Random, clients: list[int]) -> str:
    field = rng.choice(CLIENT_EDITS)
    value = client_fields(rng).get(field)
    if field == "referred":
        field, value = "referred_by_id", maybe(rng, rng.choice(clients))
    edit(session, CLIENT, rng.choice(clients), {field: value})
    return f"client {field}"


def edit_survey(session: Session, rng: random.Random, clients: list[int]) -> str:
    ids = ids_of(session, SURVEY)
    values = {
        "on": near(rng),
        "csat": maybe(rng, rng.randint(1, 5), 0.8),
        "nps": maybe(rng, rng.randint(0, 10), 0.8),
    }
    if not ids or rng.random() < 0.5:
        make(session, Survey, client_id=rng.choice(clients), **values)
        return "survey add"
    edit(session, SURVEY, rng.choice(ids), maybe(rng, values, 0.7))
    return "survey edit"


def edit_deal(session: Session, rng: random.Random, clients: list[int]) -> str:
    ids = ids_of(session, OPPORTUNITY)
    values = {
        "stage": rng.choice(["won", "lost", "proposal"]),
        "closed_on": maybe(rng, near(rng), 0.8),
    }
    if not ids or rng.random() < 0.5:
        make(session, Opportunity, client_id=rng.choice(clients), **values)
        return "deal add"
    edit(session, OPPORTUNITY, rng.choice(ids), maybe(rng, values, 0.7))
    return "deal edit"


def edit_case(session: Session, rng: random.Random, clients: list[int]) -> str:
    ids = ids_of(session, CASE)
    values = {"due_on": near(rng), "resolved_on": maybe(rng, near(rng), 0.8)}
    if not ids or rng.random() < 0.5:
        make(session, Case, client_id=rng.choice(clients), **values)
        return "case add"
    edit(session, CASE, rng.choice(ids), maybe(rng, values, 0.7))
    return "case edit"


EDITS: tuple[Edit, ...] = (
    edit_interaction,
    edit_interaction,
    edit_holding,
    edit_holding,
    edit_client,
    edit_survey,
    edit_deal,
    edit_case,
)


def assert_kept(session: Session, done: str = "") -> None:
    stored, recomputed = stored_summaries(session), recomputed_summaries(session)
    for name in stored:
        assert stored[name] == recomputed[name], f"{name} after {done}"


def random_history(
    session: Session, rng: random.Random, steps: int, *, checked: bool = True
) -> list[int]:
    """A few clients and `steps` random edits, the roll-ups checked after each (unless not
    `checked`: in a book at an older schema)."""
    clients = add_clients(session, rng, 6)
    for _ in range(steps):
        done = rng.choice(EDITS)(session, rng, clients)
        if checked:
            assert_kept(session, done)
    return clients


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_every_rollup_follows_every_insert_edit_and_delete(session: Session, seed: int) -> None:
    rng = random.Random(seed)
    random_history(session, rng, 250)
    for name, (table, _recompute) in ROLLUPS.items():
        assert stored_rows(session, table), f"{name} was never filled"


def test_deleting_clients_takes_their_history_out(session: Session) -> None:
    rng = random.Random(4)
    clients = random_history(session, rng, 150)
    for client_id in clients[:3]:
        session.execute(delete(CLIENT).where(CLIENT.c.id == client_id))
        assert_kept(session, f"deleting client {client_id}")


def test_a_client_moved_to_the_trash_and_back(session: Session) -> None:
    rng = random.Random(5)
    clients = random_history(session, rng, 150)
    before = stored_summaries(session)
    entries = [
        move_to_trash(session=session, model=Client, record_id=client_id).id
        for client_id in clients[:2]
    ]
    assert_kept(session, "moving clients to the trash")
    for entry in reversed(entries):
        restore(session=session, entry_id=entry)
        assert_kept(session, "restoring a client")
    assert stored_summaries(session) == before


def test_interactions_and_holdings_moved_to_the_trash_and_back(session: Session) -> None:
    rng = random.Random(6)
    random_history(session, rng, 120)
    for model, table in ((Interaction, INTERACTION), (Holding, HOLDING_TABLE)):
        for row_id in ids_of(session, table)[:5]:
            entry = move_to_trash(session=session, model=model, record_id=row_id)
            assert_kept(session, f"trashing {table.name} {row_id}")
            restore(session=session, entry_id=entry.id)
            assert_kept(session, f"restoring {table.name} {row_id}")


def test_refill_puts_back_every_rollup(session: Session) -> None:
    rng = random.Random(7)
    random_history(session, rng, 120)
    kept = stored_summaries(session)
    connection = session.connection()
    for table, _recompute in ROLLUPS.values():
        connection.execute(delete(table))
    refill_summaries(connection=connection)
    assert stored_summaries(session) == kept


def book_file(rng: random.Random, *, book_clients: tuple[int, ...]) -> dict[str, Any]:
    """A book file of new clients and records, some of clients already in the book, on few
    days and accounts so that they meet the book's own."""
    new = range(1, 9)
    owners = [*new, *book_clients]

    def text(day: date) -> str:
        return day.isoformat()

    clients = []
    for number in new:
        fields = client_fields(rng)
        if fields["client_since"] and fields["client_until"]:  # an import checks their order
            since, until = sorted((fields["client_since"], fields["client_until"]))
            fields |= {"client_since": since, "client_until": until}
        clients.append(
            {"id": number, "name": f"Imported {number}"}
            | {key: text(value) for key, value in fields.items() if isinstance(value, date)}
            | ({"owner": fields["owner"]} if fields["owner"] else {})
        )
    return {
        "format": "rmtui-book",
        "version": 1,
        "clients": clients,
        "interactions": [
            {
                "client": rng.choice(owners),
                "at": moment(rng).isoformat(timespec="minutes"),
                "kind": rng.choice(["call", "email", "note"]),
            }
            for _ in range(120)
        ],
        "holdings": [
            {
                "client": rng.choice(owners),
                "account": rng.choice(["Main", "ISA"]),
                "as_of": text(near(rng, 15)),
                "value": str(rng.randrange(100, 99_999)),
            }
            for _ in range(60)
        ],
        "surveys": [
            {"client": rng.choice(owners), "on": text(near(rng)), "nps": rng.randint(0, 10)}
            for _ in range(20)
        ],
        "opportunities": [
            {
                "client": rng.choice(owners),
                "title": "Deal",
                "opened_on": text(START),
                "stage": rng.choice(["won", "lost"]),
                "closed_on": text(near(rng)),
            }
            for _ in range(20)
        ],
        "cases": [
            {
                "client": rng.choice(owners),
                "subject": "Case",
                "opened_on": text(START),
                "due_on": text(near(rng)),
                "resolved_on": text(near(rng)),
            }
            for _ in range(20)
        ],
    }


@pytest.mark.parametrize("seed", [8, 9])
def test_an_import_among_the_books_own_records(engine: Engine, seed: int) -> None:
    rng = random.Random(seed)
    with session_scope(engine) as session:
        clients = random_history(session, rng, 80)
    import_book(engine=engine, data=book_file(rng, book_clients=tuple(clients)))
    with session_scope(engine) as session:
        assert_kept(session, "the import")
        assert stored_rows(session, ROLLUPS["coverage_day"][0])


def test_an_import_into_an_empty_book(engine: Engine) -> None:
    import_book(engine=engine, data=book_file(random.Random(10), book_clients=()))
    with session_scope(engine) as session:
        assert_kept(session, "the import")


def test_erasing_a_client(engine: Engine) -> None:
    rng = random.Random(11)
    with session_scope(engine) as session:
        clients = random_history(session, rng, 120)
    erase_client(engine=engine, client_id=clients[0])
    with session_scope(engine) as session:
        assert_kept(session, "the erasure")


def test_kpis_of_a_random_history_follow_their_definitions(session: Session) -> None:
    """Clients never active (until on or before since), leads, same-day contacts and
    snapshots: every KPI resting on a roll-up gives the figure of its definition."""
    random_history(session, random.Random(12), 250)
    book = read_book(session)
    for start, end in [
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 3, 10), date(2026, 3, 20)),
        (date(2026, 3, 15), date(2026, 4, 15)),
        (date(2026, 3, 12), date(2026, 3, 12)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 4, 1), date(2026, 6, 30)),
    ]:
        expected = expected_kpis(book, start, end)
        found = compute_kpis(session=session, start=start, end=end)
        assert {key: found[key] for key in expected} == expected, (start, end)


def set_owner(session: Session, client_id: int, owner: str | None) -> None:
    session.execute(update(CLIENT).where(CLIENT.c.id == client_id).values(owner=owner))


def test_a_clients_records_move_with_its_owner(session: Session) -> None:
    """To someone, to another, to everyone's and back: each owner's roll-ups are those of
    their clients' rows after each change, and as they were once it is back."""
    rng = random.Random(13)
    clients = random_history(session, rng, 150)
    before = stored_summaries(session)
    (first,) = session.execute(select(CLIENT.c.owner).where(CLIENT.c.id == clients[0])).one()
    for owner in ("ben", "cy", None, "", "ann", first):
        set_owner(session, clients[0], owner)
        assert_kept(session, f"giving client {clients[0]} to {owner!r}")
    assert stored_summaries(session) == before


def test_owners_changed_for_many_clients_at_once(session: Session) -> None:
    rng = random.Random(14)
    random_history(session, rng, 150)
    session.execute(update(CLIENT).where(CLIENT.c.owner.is_(None)).values(owner="ben"))
    assert_kept(session, "giving everyone's clients to ben")
    session.execute(update(CLIENT).where(CLIENT.c.owner == "ann").values(owner=None))
    assert_kept(session, "making ann's clients everyone's")
    session.execute(delete(CLIENT).where(CLIENT.c.owner == "ben"))
    assert_kept(session, "deleting ben's clients")


ALL_PARTS = list(PARTS)


@pytest.mark.parametrize("seed", [15, 16])
def test_my_sums_are_those_of_rollups_made_afresh_from_my_rows(session: Session, seed: int) -> None:
    """Every sum a KPI is made of, of ann's clients (and everyone's) and of ben's, read from
    the roll-ups by owner, equals that read from roll-ups made afresh from their rows alone
    (the way rmtui read them before migration 0017), in periods of a day to a quarter."""
    rng = random.Random(seed)
    random_history(session, rng, 200)
    periods = [
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 3, 10), date(2026, 3, 20)),
        (date(2026, 3, 12), date(2026, 3, 12)),
        (date(2026, 2, 1), date(2026, 4, 30)),
        (date(2026, 4, 1), date(2026, 6, 30)),
    ]
    connection = of_session(session)
    for owner in ("ann", "ben", "nobody"):
        found = read_parts(connection, ALL_PARTS, periods, owner=owner)
        assert found == parts_the_old_way(connection, owner, ALL_PARTS, periods), owner
    every = read_parts(connection, ALL_PARTS, periods)
    mine = read_parts(connection, ALL_PARTS, periods, owner="ann")
    theirs = read_parts(connection, ALL_PARTS, periods, owner="ben")
    everyones = read_parts(connection, ALL_PARTS, periods, owner="nobody")
    for total, *shares in zip(every, mine, theirs, everyones, strict=True):
        # ann's and ben's each count everyone's clients: the book counts them once.
        assert total == {
            part: a + b - e
            for part, a, b, e in zip(
                ALL_PARTS, *(list(share.values()) for share in shares), strict=True
            )
        }


def test_records_moved_to_a_client_of_another_owner(session: Session) -> None:
    """Revenue, surveys, deals, cases, contacts and snapshots given to a client of another
    owner (as a merge of two clients does) leave the one's roll-ups for the other's."""
    rng = random.Random(17)
    clients = random_history(session, rng, 60)
    for number, owner in enumerate(OWNERS):
        set_owner(session, clients[number], owner)
    for model in (Revenue, Survey, Opportunity, Case, Interaction, Holding):
        for number in range(3):
            values: dict[type[Any], dict[str, Any]] = {
                Revenue: {"on": near(rng), "amount": Decimal(rng.randrange(1, 999))},
                Survey: {"on": near(rng), "csat": 4, "nps": rng.randint(0, 10)},
                Opportunity: {"stage": rng.choice(["won", "lost"]), "closed_on": near(rng)},
                Case: {"due_on": near(rng), "resolved_on": near(rng)},
                Interaction: {"at": moment(rng), "kind": "call"},
                Holding: {"account": "Main", "as_of": near(rng, 15), "value": Decimal(5)},
            }
            row = make(session, model, client_id=clients[number], **values[model])
            assert row.id is not None
            assert_kept(session, f"adding a {model.__name__}")
            for other in (clients[(number + 1) % 3], clients[(number + 2) % 3]):
                edit(session, table_of(model), row.id, {"client_id": other})
                assert_kept(session, f"moving a {model.__name__} to client {other}")
