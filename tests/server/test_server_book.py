"""A book on a PostgreSQL server: built by the migrations, opened by URL, filled by an import,
read by the commands as a SQLite book is."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import psycopg
import pytest

from rmtui.cli import main
from rmtui.core.errors import BookError
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


def test_doctor_on_a_server_finds_a_disabled_trigger(
    server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trigger left disabled (by a copy cut short outside rmtui, say) no longer keeps the
    roll-ups: the doctor says so, and is satisfied once it is enabled again."""
    open_server_book(server_url).dispose()
    assert main(["--db", server_url, "doctor"]) == 0
    assert "integrity: ok" in capsys.readouterr().out
    with psycopg.connect(server_url) as connection:
        connection.execute("ALTER TABLE interaction DISABLE TRIGGER interaction_contact_added")
    assert main(["--db", server_url, "doctor"]) == 1
    out = capsys.readouterr().out
    assert "problem:   the trigger interaction_contact_added of interaction is disabled" in out
    assert "integrity: 1 problem" in out


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
