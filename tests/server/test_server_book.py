"""A book on a PostgreSQL server: built by the migrations, opened by URL, filled by an import,
read by the commands as a SQLite book is."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import psycopg
import pytest

from rmtui.cli import main
from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.models import Interaction
from rmtui.core.queries.trash import move_to_trash
from rmtui.core.server import masked, open_server_book
from rmtui.core.storage import SCHEMA_HEAD
from tests.pg_cluster import Cluster

DAY = date(2026, 12, 2)


def test_a_new_book_is_built_at_the_current_schema(server_url: str) -> None:
    engine = open_server_book(server_url)
    engine.dispose()
    with psycopg.connect(server_url) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            SCHEMA_HEAD,
        )
        triggers = connection.execute(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"
        ).fetchone()
        assert triggers is not None and triggers[0] > 50
    open_server_book(server_url).dispose()  # opened again as it is


def test_a_password_is_masked() -> None:
    assert (
        masked("postgresql://ann:s3cret@db.example/book") == "postgresql://ann:***@db.example/book"
    )
    assert "s3cret" not in masked("postgresql://ann@db/book?password=s3cret&sslmode=require")


def test_an_unreachable_server_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(BookError, match="cannot reach the PostgreSQL server") as raised:
        open_server_book(f"postgresql://ann:s3cret@/book?host={tmp_path}")
    assert "s3cret" not in str(raised.value)


def test_a_missing_database_is_one_sentence(cluster: Cluster) -> None:
    with pytest.raises(BookError, match="has no such database"):
        open_server_book(cluster.url("no_such_book"))


def test_a_database_of_other_tables_is_refused(server_url: str) -> None:
    with psycopg.connect(server_url) as connection:
        connection.execute("CREATE TABLE payroll (id integer)")
    with pytest.raises(BookError, match="not an rmtui book"):
        open_server_book(server_url)


def test_commands_write_and_read_a_server_book(
    server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", server_url, "client", "add", "Anna Jansen", "--tier", "A"]) == 0
    assert main(["--db", server_url, "log", "Anna", "pension review"]) == 0
    capsys.readouterr()
    assert main(["--db", server_url, "client", "list"]) == 0
    assert "Anna Jansen" in capsys.readouterr().out


def test_the_demo_book_moves_to_a_server_and_back_whole(
    server_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rmtui.core.demo import create_demo_book

    book = tmp_path / "demo.db"
    create_demo_book(book, today=DAY).dispose()
    there, back = tmp_path / "there.json", tmp_path / "back.json"
    assert main(["--db", str(book), "export", str(there)]) == 0
    assert main(["--db", server_url, "import", str(there)]) == 0
    assert main(["--db", server_url, "export", str(back)]) == 0
    assert json.loads(back.read_text()) == json.loads(there.read_text())
    capsys.readouterr()
    kpis = ["kpi", "--from", "2026-10-01", "--to", "2026-11-30", "--json"]
    assert main(["--db", str(book), *kpis]) == 0
    on_file = json.loads(capsys.readouterr().out)
    assert main(["--db", server_url, *kpis]) == 0
    assert json.loads(capsys.readouterr().out) == on_file


def test_copy_moves_a_book_to_a_server_and_back_unchanged(
    server_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rmtui.core.demo import create_demo_book

    book, back = tmp_path / "demo.db", tmp_path / "back.db"
    engine = create_demo_book(book, today=DAY)
    with session_scope(engine) as session:  # a deleted record, in the trash
        move_to_trash(session=session, model=Interaction, record_id=1)
    engine.dispose()
    assert main(["--db", str(book), "copy", "--to", server_url]) == 0
    assert main(["--db", server_url, "copy", "--to", str(back)]) == 0
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert main(["--db", str(book), "export", str(first)]) == 0
    assert main(["--db", str(back), "export", str(second)]) == 0
    assert first.read_text() == second.read_text()
    assert _kept_rows(book) == _kept_rows(back)


def test_copy_refuses_a_target_that_holds_records(
    server_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", server_url, "client", "add", "Anna Jansen"]) == 0
    book = tmp_path / "book.db"
    assert main(["--db", str(book), "client", "add", "Bert"]) == 0
    assert main(["--db", str(book), "copy", "--to", server_url]) == 1
    assert "already holds records" in capsys.readouterr().err
    assert main(["--db", str(book), "copy", "--to", str(book)]) == 2


def _kept_rows(book: Path) -> list[object]:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(book)) as connection:
        return [
            connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("audit", "trash", "public_holiday")
        ]
