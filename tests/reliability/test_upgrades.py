"""An upgrade is all or nothing even when a migration rewrites sqlite_master itself
(PRAGMA writable_schema), whether it is killed, fails or succeeds; a book that lost its
version stamp is recognised and stamped again."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from rmtui.core import paths
from rmtui.core.db import open_book
from rmtui.core.errors import BookError
from rmtui.core.storage import SCHEMA_HEAD, read_revision
from tests.reliability.torture import Worker, environment, opens_whole

LATER_REVISION = "9001"  # a test's own revision after the newest one rmtui has
REWRITING_MIGRATION = '''"""A later revision rewriting the schema text (writable_schema)."""

import os
import time

from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    bind.exec_driver_sql("UPDATE client SET notes = 'rewritten'")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = sql || ' ' WHERE type = 'table' AND name = 'target'"
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    print("rewritten", flush=True)
    if os.environ.get("TORTURE_FAIL"):
        raise RuntimeError("the migration failed on purpose")
    time.sleep(float(os.environ.get("TORTURE_PAUSE", "0")))


def downgrade():
    pass
'''


@pytest.fixture
def versions(tmp_path: Path) -> Path:
    folder = tmp_path / "versions"
    folder.mkdir()
    migration = REWRITING_MIGRATION.replace("{head}", SCHEMA_HEAD)
    (folder / "9001_rewrite_schema_text.py").write_text(migration)
    return folder


@pytest.fixture
def book(tmp_path: Path) -> Path:
    from datetime import date

    from rmtui.core.db import session_scope
    from rmtui.core.models import Client

    path = tmp_path / "book.db"
    engine = open_book(path)
    with session_scope(engine) as session:
        session.add(Client(name="Ada", created_on=date(2026, 1, 1)))
    engine.dispose()
    return path


def state(path: Path) -> tuple[str | None, str, str]:
    with closing(sqlite3.connect(path)) as connection:
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'target'").fetchone()
        notes = connection.execute("SELECT coalesce(notes, '') FROM client").fetchone()
    return read_revision(path), sql[0], notes[0]


def upgrade_in_child(book: Path, versions: Path, **env: str) -> Worker:
    return Worker("open", str(book), str(versions), env=environment(**env))


def test_killed_after_rewriting_sqlite_master_the_book_is_as_it_was(
    book: Path, versions: Path
) -> None:
    before = state(book)
    worker = upgrade_in_child(book, versions, TORTURE_PAUSE="30")
    assert worker.wait_for("rewritten")
    worker.kill()
    assert state(book) == before
    assert opens_whole(book)


def test_a_failing_migration_after_rewriting_sqlite_master_changes_nothing(
    book: Path, versions: Path
) -> None:
    before = state(book)
    worker = upgrade_in_child(book, versions, TORTURE_FAIL="1")
    assert worker.wait_for("rewritten")
    assert worker.process.wait(timeout=60) != 0
    assert state(book) == before
    assert opens_whole(book)
    assert list(paths.backup_dir(book).glob("*pre-migration*")) == []


def test_a_migration_rewriting_sqlite_master_is_kept_whole_when_it_succeeds(
    book: Path, versions: Path
) -> None:
    worker = upgrade_in_child(book, versions)
    assert worker.wait_for("opened")
    revision, sql, notes = state(book)
    assert (revision, sql.endswith(" "), notes) == (LATER_REVISION, True, "rewritten")
    with closing(sqlite3.connect(book)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    (backup,) = paths.backup_dir(book).glob("*pre-migration*")
    assert read_revision(backup) == SCHEMA_HEAD


def test_a_book_that_lost_its_version_row_is_stamped_again(book: Path) -> None:
    with closing(sqlite3.connect(book)) as connection:
        connection.execute("DELETE FROM alembic_version")
        connection.commit()
    engine = open_book(book)
    engine.dispose()
    assert read_revision(book) == SCHEMA_HEAD
    assert list(paths.backup_dir(book).glob("*before-repair*"))


def test_a_book_without_a_version_table_matching_an_older_revision_is_upgraded(
    tmp_path: Path,
) -> None:
    from rmtui.core.db import upgrade_to_head

    path = tmp_path / "old.db"
    path.touch()
    upgrade_to_head(path, target="0002")
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("DROP TABLE alembic_version")
        connection.commit()
    open_book(path).dispose()
    assert read_revision(path) == SCHEMA_HEAD


def test_a_book_whose_tables_match_no_revision_is_refused(book: Path) -> None:
    with closing(sqlite3.connect(book)) as connection:
        connection.execute("DELETE FROM alembic_version")
        connection.execute("DROP TABLE survey")
        connection.commit()
    with pytest.raises(BookError, match="lost its schema version"):
        open_book(book)
