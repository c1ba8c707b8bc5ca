"""`rmtui copy`: a book moved to a PostgreSQL server and back (and file to file) whole, row for
row; the copy a book that works as any other afterwards; a copy that fails or is stopped
halfway leaves its target as it was."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from rmtui.cli import main
from rmtui.core.book_copy import copy_book
from rmtui.core.client_filter import ClientFilter
from rmtui.core.db import open_book, session_scope
from rmtui.core.models import AuditEntry, Client, Holding, Interaction, Revenue, TrashEntry
from rmtui.core.queries.clients import list_clients
from rmtui.core.queries.trash import move_to_trash
from rmtui.core.server import open_server_book
from tests.core.maintained import recomputed_summaries, stored_summaries
from tests.core.test_interchange import fill_book
from tests.factories import make
from tests.pg_cluster import Cluster

DAY = date(2026, 12, 2)
CLERK = "clerk"
_numbers = itertools.count()


@pytest.fixture
def server_book(cluster: Cluster, server_template: str) -> Iterator[str]:
    """The URL of another empty server book at the current schema."""
    yield from _new_server_book(cluster, server_template)


@pytest.fixture
def other_server_book(cluster: Cluster, server_template: str) -> Iterator[str]:
    """The URL of another empty server book at the current schema."""
    yield from _new_server_book(cluster, server_template)


def _new_server_book(cluster: Cluster, template: str) -> Iterator[str]:
    name = f"copy_{next(_numbers)}"
    yield cluster.create_database(name, template=template)
    cluster.drop_database(name)


def demo_book(folder: Path) -> Path:
    """The demo book, with a deleted interaction in the trash."""
    from rmtui.core.demo import create_demo_book

    path = folder / "demo.db"
    engine = create_demo_book(path, today=DAY)
    with session_scope(engine) as session:
        move_to_trash(session=session, model=Interaction, record_id=1)
    engine.dispose()
    return path


def every_kind_book(folder: Path) -> Path:
    """A book with a record of every kind, their audit trail, and a client and a holding in
    the trash (the trash's counter past the ids it holds)."""
    path = folder / "every.db"
    engine = open_book(path)
    fill_book(engine)
    with session_scope(engine) as session:
        gone = make(session, Client, name="Gone Soon", tier="C")
        make(session, Interaction, client_id=gone.id, at=datetime(2026, 10, 5, 14, 15))
        make(session, Holding, client_id=1, account="ISA", value=Decimal("99.99"))
    with session_scope(engine) as session:
        assert gone.id is not None
        move_to_trash(session=session, model=Client, record_id=gone.id)
        move_to_trash(session=session, model=Holding, record_id=1)
    engine.dispose()
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE sqlite_sequence SET seq = seq + 5 WHERE name = 'trash'")
    return path


BOOKS = {"demo": demo_book, "every kind": every_kind_book}


def exported(book: str | Path, path: Path) -> bytes:
    assert main(["--db", str(book), "export", str(path)]) == 0
    return path.read_bytes()


def file_rows(book: Path) -> dict[str, list[Any]]:
    """Every row of every table of a book file (its search index checked whole)."""
    with closing(sqlite3.connect(book)) as connection:
        connection.execute("INSERT INTO client_search (client_search) VALUES ('integrity-check')")
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
                " AND name <> 'sqlite_schema'"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }


def schema_of(book: Path) -> list[Any]:
    with closing(sqlite3.connect(book)) as connection:
        return sorted(connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall())


@pytest.mark.parametrize("kind", BOOKS)
def test_a_book_goes_to_a_server_and_back_whole(
    kind: str, tmp_path: Path, server_book: str, capsys: pytest.CaptureFixture[str]
) -> None:
    book, back = BOOKS[kind](tmp_path), tmp_path / "back.db"
    assert main(["--db", str(book), "copy", "--to", server_book]) == 0
    assert main(["--db", server_book, "copy", "--to", str(back)]) == 0
    assert "Copied " in capsys.readouterr().out
    first = exported(book, tmp_path / "first.json")
    assert exported(server_book, tmp_path / "there.json") == first
    assert exported(back, tmp_path / "back.json") == first
    assert file_rows(back) == file_rows(book)
    assert schema_of(back) == schema_of(book)


def test_a_book_goes_from_server_to_server_and_to_a_file_whole(
    tmp_path: Path, server_book: str, other_server_book: str
) -> None:
    book, copied, back = every_kind_book(tmp_path), tmp_path / "copied.db", tmp_path / "back.db"
    assert main(["--db", str(book), "copy", "--to", str(copied)]) == 0
    assert main(["--db", str(copied), "copy", "--to", server_book]) == 0
    assert main(["--db", server_book, "copy", "--to", other_server_book]) == 0
    assert main(["--db", other_server_book, "copy", "--to", str(back)]) == 0
    first = exported(book, tmp_path / "first.json")
    assert exported(copied, tmp_path / "copied.json") == first
    assert exported(back, tmp_path / "back.json") == first
    assert file_rows(copied) == file_rows(back) == file_rows(book)


def test_the_copy_tells_the_rows_copied_of_all_by_table(tmp_path: Path, server_book: str) -> None:
    told: list[tuple[str, int, int | None]] = []
    source, target = open_book(every_kind_book(tmp_path)), open_server_book(server_book)
    try:
        report = copy_book(source=source, target=target, progress=lambda *step: told.append(step))
    finally:
        source.dispose()
        target.dispose()
    total = told[0][2]
    assert total is not None and {step[2] for step in told} == {total}
    assert [step[1] for step in told] == sorted(step[1] for step in told)
    assert told[-1][1] == total
    assert ("copying the book: interaction", 0, total) not in told  # clients and people come first
    assert any(step[0] == "copying the book: interaction" for step in told)
    assert report.counts["clients"] == 2 and report.counts["interactions"] == 3


def test_the_copied_tables_are_vacuumed_so_an_index_alone_answers(
    tmp_path: Path, server_book: str
) -> None:
    assert main(["--db", str(demo_book(tmp_path)), "copy", "--to", server_book]) == 0
    with psycopg.connect(server_book) as connection:
        pages = connection.execute(
            "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'interaction'"
        ).fetchone()
    assert pages is not None and pages[0] > 0 and pages[1] == pages[0]


@pytest.mark.parametrize("where", ["server", "file"])
def test_the_copy_works_as_any_book_afterwards(
    where: str, tmp_path: Path, server_book: str
) -> None:
    book = every_kind_book(tmp_path)
    assert main(["--db", str(book), "copy", "--to", server_book]) == 0
    if where == "file":
        assert main(["--db", server_book, "copy", "--to", str(tmp_path / "back.db")]) == 0
        engine = open_book(tmp_path / "back.db")
    else:
        engine = open_server_book(server_book)
    try:
        assert_works(engine)
    finally:
        engine.dispose()


def assert_works(engine: Engine) -> None:
    """New records get fresh ids, the triggers keep what they keep, the summaries equal their
    recomputed values, and the search finds the new client."""
    with session_scope(engine) as session:
        largest = {
            model: session.execute(select(func.max(model.id))).scalar_one()  # type: ignore[attr-defined]
            for model in (Client, Interaction, AuditEntry, TrashEntry)
        }
        with_sequence = session.execute(select(func.max(TrashEntry.id))).scalar_one()
        new = make(session, Client, name="Wilma Vermeulen", tier="A", client_since=DAY)
        call = make(session, Interaction, client_id=new.id, at=datetime(2026, 11, 30, 10, 0))
        make(session, Revenue, client_id=new.id, on=DAY, amount=Decimal("250.00"))
        make(session, Holding, client_id=new.id, account="Pension", value=Decimal("1000.00"))
    assert new.id == largest[Client] + 1 and call.id == largest[Interaction] + 1
    with session_scope(engine) as session:
        assert call.id is not None
        move_to_trash(session=session, model=Interaction, record_id=call.id)
    with session_scope(engine) as session:
        client = session.get(Client, new.id)
        assert client is not None and client.last_contact_on is None  # its only call deleted
        trashed = session.execute(select(func.max(TrashEntry.id))).scalar_one()
        assert trashed > with_sequence + 5  # past the counter the source had reached
        newest = session.execute(select(func.max(AuditEntry.id))).scalar_one()
        assert newest > largest[AuditEntry]
        assert stored_summaries(session) == recomputed_summaries(session)
    with session_scope(engine) as session:
        make(session, Interaction, client_id=new.id, at=datetime(2026, 12, 1, 9, 0))
    with session_scope(engine) as session:
        client = session.get(Client, new.id)
        assert client is not None and client.last_contact_on == date(2026, 12, 1)
        assert stored_summaries(session) == recomputed_summaries(session)
        found = list_clients(session=session, client_filter=ClientFilter(text="vermeul"))
        assert [row.name for row in found] == ["Wilma Vermeulen"]


@pytest.mark.parametrize("where", ["server", "file"])
def test_a_copy_stopped_halfway_leaves_the_target_as_it_was(
    where: str, tmp_path: Path, server_book: str, new_book: Callable[[Path], Engine]
) -> None:
    source = open_book(every_kind_book(tmp_path))
    target = open_server_book(server_book) if where == "server" else new_book(tmp_path / "t.db")
    before = server_schema(server_book) if where == "server" else schema_of(tmp_path / "t.db")

    def stop(step: str, done: int = 0, total: int | None = None) -> None:
        if step == "copying the book: interaction":
            raise KeyboardInterrupt  # as when the user presses Ctrl+C

    try:
        with pytest.raises(KeyboardInterrupt):
            copy_book(source=source, target=target, progress=stop)
        if where == "server":
            assert server_schema(server_book) == before
            assert server_rows(server_book) == 0
        else:
            assert schema_of(tmp_path / "t.db") == before
            assert sum(map(len, file_rows(tmp_path / "t.db").values())) == 1  # its version
        copy_book(source=source, target=target)  # and a copy into it afterwards goes through
        assert_works(target)
    finally:
        source.dispose()
        target.dispose()


def test_a_value_the_server_refuses_is_one_sentence_and_nothing_is_written(
    tmp_path: Path, server_book: str, capsys: pytest.CaptureFixture[str]
) -> None:
    book = every_kind_book(tmp_path)
    with closing(sqlite3.connect(book)) as connection, connection:
        connection.execute("UPDATE interaction SET notes = 'a' || char(0) || 'b' WHERE id = 3")
    before = server_schema(server_book)
    assert main(["--db", str(book), "copy", "--to", server_book]) == 1
    error = capsys.readouterr().err
    assert (
        error.startswith("rmtui: the copy failed, so postgresql://") and "left as it was" in error
    )
    assert len(error.strip().splitlines()) == 1
    assert server_schema(server_book) == before and server_rows(server_book) == 0


def test_copy_refuses_a_target_that_holds_records(
    server_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", server_url, "client", "add", "Anna Jansen"]) == 0
    book = tmp_path / "book.db"
    assert main(["--db", str(book), "client", "add", "Bert"]) == 0
    assert main(["--db", str(book), "copy", "--to", server_url]) == 1
    assert "already holds records" in capsys.readouterr().err
    assert main(["--db", str(book), "copy", "--to", str(book)]) == 2


def test_a_role_that_may_not_run_as_a_replica_copies_with_the_triggers_disabled(
    cluster: Cluster, tmp_path: Path
) -> None:
    name = f"clerk_{next(_numbers)}"
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (CLERK,)).fetchone():
            admin.execute(f"CREATE ROLE {CLERK} LOGIN")
        admin.execute(f"CREATE DATABASE {name} OWNER {CLERK}")
    url = f"postgresql://{CLERK}@/{name}?host={cluster.folder}"
    try:
        book, back = every_kind_book(tmp_path), tmp_path / "back.db"
        assert main(["--db", str(book), "copy", "--to", url]) == 0
        assert main(["--db", url, "copy", "--to", str(back)]) == 0
        assert exported(back, tmp_path / "back.json") == exported(book, tmp_path / "first.json")
        with psycopg.connect(url) as connection:
            disabled = connection.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'"
            ).fetchone()
        assert disabled == (0,)
        engine = open_server_book(url)
        try:
            assert_works(engine)
        finally:
            engine.dispose()
    finally:
        cluster.drop_database(name)


def server_schema(url: str) -> list[Any]:
    """The server book's triggers (enabled or not), indexes and sequences' next values."""
    with psycopg.connect(url) as connection:
        triggers = connection.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1"
        ).fetchall()
        indexes = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        sequences = connection.execute(
            "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
        ).fetchall()
    return [triggers, indexes, sequences]


def server_rows(url: str) -> int:
    """How many rows the server book's tables hold, but its schema version."""
    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename <> 'alembic_version'"
        ).fetchall()
        counts = [
            connection.execute(f'SELECT count(*) FROM "{name}"').fetchone() for (name,) in tables
        ]
    return sum(row[0] for row in counts if row)


def test_a_book_with_a_table_the_target_lacks_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, target = every_kind_book(tmp_path), tmp_path / "copy.db"
    with closing(sqlite3.connect(book)) as connection, connection:
        connection.execute("CREATE TABLE my_notes (note TEXT)")
        connection.execute("INSERT INTO my_notes VALUES ('kept here only')")
    assert main(["--db", str(book), "copy", "--to", str(target)]) == 1
    assert "not at the same schema version" in capsys.readouterr().err
    assert not target.exists()
