"""Opening books: creation, permissions, pragmas, refusals and the audit trail."""

from __future__ import annotations

import sqlite3
import stat
import warnings
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from rmtui.core import paths
from rmtui.core.db import backup_book, integrity_problems, open_book, session_scope
from rmtui.core.errors import BookError
from rmtui.core.models import AuditEntry, Client, SQLModel
from rmtui.core.storage import SCHEMA_HEAD, read_revision
from tests.factories import make


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_book_is_created_private_and_stamped(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "book.db"
    open_book(path).dispose()
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    assert read_revision(path) == SCHEMA_HEAD


def test_engine_sets_wal_foreign_keys_and_full_sync(engine: Engine) -> None:
    with engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA synchronous").scalar() == 2
        assert pragma("PRAGMA busy_timeout").scalar() == 5000


# The search index (an FTS5 table that only the migrations know) and its shadow tables.
SEARCH_INDEX = {
    "client_search",
    *(f"client_search_{part}" for part in ("data", "idx", "docsize", "config")),
}


def compared(name: str | None, kind: str, _parents: object) -> bool:
    """Whether Alembic compares `name` with the models: all but the search index."""
    return not (kind == "table" and name in SEARCH_INDEX)


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = MigrationContext.configure(connection, opts={"include_name": compared})
        diff = compare_metadata(context, SQLModel.metadata)
    expression_index = [d for d in diff if d[1].name == "ix_client_name_nocase"]
    inline_keys = [d for d in diff if d[0].endswith("_fk") and is_added_column_key(d[1])]
    assert [d for d in diff if d not in expression_index + inline_keys] == []
    assert len(inline_keys) in (0, 2)  # the reflected key and the model's are one and the same


# A column added by ALTER TABLE ADD COLUMN carries its foreign key inline, which SQLAlchemy
# reflects without its name and ON DELETE (SQLite itself keeps both; see the test below).
ADDED_COLUMN_KEYS = {("interaction", "contact_person_id")}


def is_added_column_key(key: Any) -> bool:
    return {(key.table.name, column.name) for column in key.columns} <= ADDED_COLUMN_KEYS


def test_a_key_added_with_its_column_clears_on_delete(engine: Engine) -> None:
    with engine.connect() as connection:
        keys = connection.exec_driver_sql("PRAGMA foreign_key_list(interaction)").all()
    found = {(row[2], row[3], row[6]) for row in keys}
    assert ("contact_person", "contact_person_id", "SET NULL") in found


def test_a_file_from_a_newer_rmtui_is_refused(db_path: Path) -> None:
    open_book(db_path).dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(BookError, match="newer rmtui"):
        open_book(db_path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database")
    with pytest.raises(BookError, match="not an rmtui book"):
        open_book(path)
    assert path.read_text() == "these are my notes, not a database"


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(BookError, match="not an rmtui book"):
        open_book(path)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BookError, match="is a folder"):
        open_book(tmp_path)


def test_backup_is_a_private_consistent_copy(engine: Engine, db_path: Path) -> None:
    with session_scope(engine) as session:
        make(session, Client, name="Backed Up")
    copy = backup_book(db_path)
    assert copy.parent == paths.backup_dir(db_path)
    assert mode_of(copy) == 0o600
    assert mode_of(copy.parent) == 0o700
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT name FROM client").fetchall() == [("Backed Up",)]


def test_integrity_check_of_a_healthy_book(engine: Engine) -> None:
    assert integrity_problems(engine) == []


def test_every_change_is_audited_old_to_new(engine: Engine) -> None:
    with session_scope(engine) as session:
        client = make(session, Client, name="Ann", city="Gent")
    with session_scope(engine) as session:
        row = session.get(Client, client.id)
        assert row is not None
        row.city = "Brugge"
    with session_scope(engine) as session:
        entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()  # type: ignore[arg-type]
    actions = [(e.entity, e.action) for e in entries]
    assert actions == [("client", "insert"), ("client", "update")]
    assert entries[1].changes == {"city": ["Gent", "Brugge"]}
    assert entries[1].client_id == client.id


def test_a_failed_transaction_writes_nothing(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        make(session, Client, name="Half written")
        raise RuntimeError("boom")
    with Session(engine) as session:
        assert session.exec(select(Client)).all() == []
