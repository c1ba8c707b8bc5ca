"""A bulk import sets triggers and indexes aside, yet leaves every summary as the triggers would
and the schema exactly as it was, also when it fails."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, MetaData, Table, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from rmtui.core.db import session_scope
from rmtui.core.interchange.book_file import TABLES, import_book
from rmtui.core.interchange.bulk_load import INSERT_TRIGGERS, copy_rows
from rmtui.core.models import (
    CLIENT_SEARCH_TEXT,
    Client,
    Holding,
    Interaction,
    Revenue,
)
from rmtui.core.queries.clients import ClientFilter, list_clients
from tests.core.maintained import recomputed_summaries, stored_summaries
from tests.factories import make

ACCOUNTS = ("Main", "ISA", "Pension")
KINDS = ("call", "email", "meeting", "note")
OWNERS = ("ann", "ben", None)


# A server book's schema: its tables, indexes and triggers (whether each fires), as the
# server writes them out.
SERVER_SCHEMA = """
    SELECT table_name, table_type FROM information_schema.tables
        WHERE table_schema = current_schema()
    UNION ALL SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
    UNION ALL SELECT tgname, pg_get_triggerdef(oid) || ' ' || CAST(tgenabled AS TEXT)
        FROM pg_trigger
        WHERE NOT tgisinternal
    ORDER BY 1, 2"""


def schema(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            rows = connection.exec_driver_sql(SERVER_SCHEMA)
        else:
            rows = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master ORDER BY name")
        return [(name, sql) for name, sql in rows]


def some_day(rng: random.Random) -> str:
    return (date(2026, 3, 1) + timedelta(days=rng.randrange(6))).isoformat()


def random_file(rng: random.Random, *, clients: int, book_clients: tuple[int, ...] = ()) -> Any:
    """A book file whose records land on few days and accounts, so they collide often; with
    `book_clients`, some records belong to clients already in the book."""
    owners = [*range(1, clients + 1), *book_clients]

    def owner() -> int:
        return rng.choice(owners)

    return {
        "format": "rmtui-book",
        "version": 1,
        # Of two owners and everyone's: the roll-ups are kept by owner (migration 0017).
        "clients": [
            {"id": n, "name": f"Client {n}"} | ({"owner": who} if (who := OWNERS[n % 3]) else {})
            for n in range(1, clients + 1)
        ],
        "interactions": [
            {
                "client": owner(),
                "at": f"{some_day(rng)}T{rng.randrange(24):02}:{rng.randrange(60):02}",
                "kind": rng.choice(KINDS),
            }
            for _ in range(300)
        ],
        "revenue": [
            {"client": owner(), "on": some_day(rng), "amount": f"{rng.randrange(1, 9999)}.25"}
            for _ in range(100)
        ],
        "holdings": [
            {
                "client": owner(),
                "account": rng.choice(ACCOUNTS),
                "as_of": some_day(rng),
                "value": str(rng.randrange(100, 99_999)),
            }
            for _ in range(200)
        ],
    }


def stored_last_contacts(engine: Engine) -> dict[int, date | None]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT id, last_contact_on FROM client")
        return {client_id: as_day(day) for client_id, day in rows}


def recomputed_last_contacts(engine: Engine) -> dict[int, date | None]:
    query = """SELECT client.id, (SELECT date(max(at)) FROM interaction
               WHERE client_id = client.id AND kind != 'note') FROM client"""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(query)
        return {client_id: as_day(day) for client_id, day in rows}


def as_day(value: str | date | None) -> date | None:
    """A day as read: ISO text from a file, a date from a server."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def assert_summaries_kept(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert stored_summaries(session) == recomputed_summaries(session)
        owners = set(session.execute(text("SELECT DISTINCT owner FROM client")).scalars())
        assert owners == {"ann", "ben", None}
    assert stored_last_contacts(engine) == recomputed_last_contacts(engine)


def test_import_into_an_empty_book_keeps_every_summary(engine: Engine) -> None:
    before = schema(engine)
    import_book(engine=engine, data=random_file(random.Random(1), clients=30))
    assert_summaries_kept(engine)
    assert schema(engine) == before


def test_import_among_records_already_in_the_book_keeps_every_summary(engine: Engine) -> None:
    rng = random.Random(2)
    with session_scope(engine) as session:
        mine = [make(session, Client, name=f"Mine {n}", owner=OWNERS[n % 3]).id for n in range(5)]
        for _ in range(40):
            client_id = rng.choice(mine)
            day = date.fromisoformat(some_day(rng))
            at = datetime.combine(day, datetime.min.time())
            make(session, Interaction, client_id=client_id, at=at, kind=rng.choice(KINDS))
            make(session, Revenue, client_id=client_id, on=day)
            make(session, Holding, client_id=client_id, account=rng.choice(ACCOUNTS), as_of=day)
    before = schema(engine)
    book_clients = tuple(client_id for client_id in mine if client_id is not None)
    import_book(engine=engine, data=random_file(rng, clients=3, book_clients=book_clients))
    assert_summaries_kept(engine)
    assert schema(engine) == before


def test_imported_clients_are_found_by_the_search_index(engine: Engine) -> None:
    import_book(engine=engine, data=random_file(random.Random(3), clients=12))
    with session_scope(engine) as session:
        found = list_clients(session=session, client_filter=ClientFilter(text="ent 11"))
    assert [client.name for client in found] == ["Client 11"]


def staging_with(connection: Connection, rows: str) -> Table:
    """A temporary table shaped like the interaction table's columns, holding `rows`."""
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE new_interaction AS SELECT id, client_id, at, kind, direction,"
        " subject FROM interaction WHERE 1 = 0"
    )
    connection.exec_driver_sql(f"INSERT INTO new_interaction VALUES {rows}")
    return Table("new_interaction", MetaData(), autoload_with=connection)


def test_a_failed_copy_leaves_the_schema_as_it_was(engine: Engine) -> None:
    before = schema(engine)
    with session_scope(engine) as session:
        make(session, Client, name="Ada")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        staging = staging_with(
            connection,
            "(1, 1, '2026-03-01 10:00:00.000000', 'call', 'out', 'fine'),"
            " (2, 1, '2026-03-02 10:00:00.000000', 'shout', 'out', 'not a kind')",
        )
        copy_rows(connection, source=staging, target=TABLES["interactions"])
    assert schema(engine) == before
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM interaction")).scalar() == 0


def test_every_bulk_trigger_names_a_trigger_of_its_table(engine: Engine) -> None:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
        )
        triggers = {(table, name) for table, name in rows}
    for table, bulk in INSERT_TRIGGERS.items():
        names = {name for trigger in bulk for name in (trigger.name, *trigger.also)}
        assert {(table, name) for name in names} <= triggers


def people_file(clients: int) -> dict[str, Any]:
    """A book file whose every client has two contact points and a contact person."""
    return {
        "format": "rmtui-book",
        "version": 3,
        "clients": [{"id": n, "name": f"Client {n}"} for n in range(1, clients + 1)],
        "contact_points": [
            point
            for n in range(1, clients + 1)
            for point in (
                {"client": n, "kind": "phone", "value": f"+44 20 7946 {n:04}"},
                {"client": n, "kind": "email", "value": f"client{n}@example.com"},
            )
        ],
        "contact_persons": [
            {"id": n, "client": n, "name": f"Person {n}", "role": "CFO"}
            for n in range(1, clients + 1)
        ],
    }


def steps_to_import(engine: Engine, data: dict[str, Any]) -> int:
    """The thousands of steps SQLite's machine takes to import `data`."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0  # go on

    def watch(connection: Any, _record: Any, _proxy: Any) -> None:
        connection.set_progress_handler(count, 1_000)

    event.listen(engine, "checkout", watch)
    try:
        import_book(engine=engine, data=data)
    finally:
        event.remove(engine, "checkout", watch)
    return steps[0]


def test_an_imports_search_text_grows_with_the_contacts_not_their_square(
    engine: Engine, new_book: Callable[[Path], Engine], tmp_path: Path
) -> None:
    """The search text of the clients given contact points and persons is written once
    their table's indexes are back: read before, each client's would scan the whole table."""
    small = steps_to_import(engine, people_file(250))
    larger = new_book(tmp_path / "larger.db")
    try:
        large = steps_to_import(larger, people_file(1_000))
    finally:
        larger.dispose()
    assert large < 6 * small  # four times the rows; 16 times the steps when it scanned


def test_an_imports_search_text_is_the_text_its_rows_make(engine: Engine) -> None:
    """The search text an import writes once, after its clients, contact points and persons
    are all in, is the text their rows make (the view the triggers write it from): for the
    clients of the file, and for a client of the book given a contact person by the file."""
    with session_scope(engine) as session:
        for n in range(1, 4):
            make(session, Client, name=f"Earlier {n}")
        held = make(session, Client, name="Held Before", email="held@example.com")
    data = people_file(3)  # clients 1 to 3 of the file, after those of the book
    assert held.id is not None and held.id > 3
    data["contact_persons"].append({"id": 9, "client": held.id, "name": "Hilde Vos"})
    written: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().startswith("INSERT INTO client_search_text"):
            written.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        import_book(engine=engine, data=data)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert len(written) == 1
    columns = ", ".join(column.name for column in CLIENT_SEARCH_TEXT.c)
    with engine.connect() as connection:
        stored = connection.exec_driver_sql(f"SELECT {columns} FROM client_search_text ORDER BY id")
        made = connection.exec_driver_sql(f"SELECT {columns} FROM client_search_folded ORDER BY id")
        assert stored.fetchall() == made.fetchall()
    with session_scope(engine) as session:
        for text_, name in (("7946 0003", "Client 3"), ("hilde vos", "Held Before")):
            found = list_clients(session=session, client_filter=ClientFilter(text=text_))
            assert [client.name for client in found] == [name]
