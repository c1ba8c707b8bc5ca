"""Opening a book: the engine, its pragmas, migrations with a backup first, sessions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmtui import paths

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

# SQLAlchemy is imported where an engine is made, not here: the first screen of the TUI reads
# the book with the standard library's sqlite3 before SQLAlchemy is loaded (see book_at_head).

# Every migration this code knows, oldest first; the last one is the schema it writes.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")
SCHEMA_HEAD = KNOWN_REVISIONS[-1]
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class BookError(Exception):
    """A book that cannot be opened or written, with one sentence saying what to do."""


def make_engine(path: Path) -> Engine:
    """An engine on the SQLite file at `path` with foreign keys, WAL and a busy timeout."""
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


class PassphraseNeeded(BookError):
    """An encrypted book was opened without its passphrase."""


def open_book(
    path: Path, *, passphrase: str | None = None, progress: Callable[[str], None] | None = None
) -> Engine:
    """Open (creating or migrating as needed) the book at `path`, or raise BookError.

    An encrypted book needs its `passphrase`; without one, PassphraseNeeded is raised.
    `progress` is told when the book is upgraded, which can take a while for a large book.
    """
    path = Path(path)
    if path.is_dir():
        raise BookError(f"{path} is a folder, not a book file; give the path of a .db file.")
    if not path.exists():
        return _create_book(path)
    if is_encrypted_file(path):
        return _open_encrypted(path, passphrase, progress)
    revision = read_revision(path)
    if revision != SCHEMA_HEAD:
        _check_known(path, revision)
        _tell_upgrade(path, progress)
        _migrate_with_backup(path)
    return make_engine(path)


def book_at_head(path: Path) -> bool:
    """Whether `path` is an unencrypted book at the current schema, which opens as it is.

    Raises BookError for a file that is no book, as open_book would.
    """
    path = Path(path)
    if not path.is_file() or is_encrypted_file(path):
        return False
    return read_revision(path) == SCHEMA_HEAD


def connect_plain(path: Path) -> sqlite3.Connection:
    """A standard-library sqlite3 connection to the unencrypted book at `path`, with the
    pragmas every engine connection gets."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    _set_pragmas(connection, None)
    return connection


def is_encrypted_file(path: Path) -> bool:
    """Whether `path` holds bytes that are neither SQLite nor text: an encrypted book."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header or header.startswith(SQLITE_HEADER):
        return False
    try:
        header.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _open_encrypted(
    path: Path, passphrase: str | None, progress: Callable[[str], None] | None
) -> Engine:
    from rmtui.encryption import copy_encrypted, make_encrypted_engine

    if not passphrase:
        raise PassphraseNeeded(f"{path} is encrypted; give its passphrase to open it.")
    engine = make_encrypted_engine(path, passphrase)
    with engine.connect() as connection:
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if revision != SCHEMA_HEAD:
        _check_known(path, revision)
        _tell_upgrade(path, progress)
        folder = paths.ensure_private_dir(paths.backup_dir(path))
        copy_encrypted(path, folder / _backup_file_name(path, "pre-migration"), passphrase)
        upgrade_to_head(path, engine=engine)
    return engine


def _tell_upgrade(path: Path, progress: Callable[[str], None] | None) -> None:
    if progress is not None:
        progress(f"upgrading {path.name} to schema {SCHEMA_HEAD} (after a backup)")


def _check_known(path: Path, revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise BookError(
            f"{path} was written by a newer rmtui (schema {revision}); upgrade rmtui to open it."
        )


def read_revision(path: Path) -> str | None:
    """The schema revision stamped in the book at `path` (None for an unstamped file)."""
    _check_sqlite_file(path)
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if not has_table:
                _refuse_foreign_tables(conn, path)
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise _database_error(path, error) from None
    return row[0] if row else None


def _refuse_foreign_tables(conn: sqlite3.Connection, path: Path) -> None:
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    if tables:
        raise BookError(f"{path} is an SQLite file but not an rmtui book; choose another file.")


def _check_sqlite_file(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError:
        raise BookError(f"{path} cannot be read: you have no permission to open it.") from None
    if header and header != SQLITE_HEADER:
        raise BookError(
            f"{path} is not an rmtui book (not an SQLite file); "
            "check the path or restore a backup with `rmtui restore`."
        )


def _database_error(path: Path, error: Exception) -> BookError:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return BookError(f"{path} is in use by another program; close it and try again.")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return BookError(
            f"{path} is damaged ({error}); restore a backup with `rmtui restore FILE`."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return BookError(f"{path} cannot be opened for writing; check the file's permissions.")
    return BookError(f"{path} could not be opened: {error}.")


def _create_book(path: Path) -> Engine:
    try:
        paths.ensure_private_dir(path.parent)
        path.touch(mode=paths.PRIVATE_FILE_MODE)
    except OSError as error:
        raise BookError(f"cannot create a book at {path}: {error.strerror}.") from None
    paths.make_private(path)
    try:
        upgrade_to_head(path)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return make_engine(path)


def _migrate_with_backup(path: Path) -> None:
    backup = backup_book(path, reason="pre-migration")
    try:
        upgrade_to_head(path)
    except Exception as error:
        restore_file(backup, path)
        raise BookError(
            f"updating {path} to the new schema failed ({error}); it was left as it was "
            f"and a copy is at {backup}."
        ) from None


def upgrade_to_head(path: Path, *, engine: Engine | None = None) -> None:
    """Apply every pending Alembic migration to the book at `path`, in one transaction."""
    from alembic import command
    from sqlalchemy.exc import OperationalError

    own_engine = engine is None
    engine = engine or make_engine(path)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as error:
        raise _database_error(path, error) from None
    finally:
        if own_engine:
            engine.dispose()


def alembic_config() -> Any:
    """The Alembic configuration for rmtui's migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config


def backup_book(path: Path, *, reason: str = "manual", dest: Path | None = None) -> Path:
    """Copy the book at `path` with SQLite's online backup API; return the copy's path."""
    if dest is None:
        folder = paths.ensure_private_dir(paths.backup_dir(path))
        dest = folder / _backup_file_name(path, reason)
    copy_sqlite(path, dest)
    return dest


def _backup_file_name(path: Path, reason: str) -> str:
    from rmtui.backups import backup_name

    return backup_name(path, reason)


def copy_sqlite(source: Path, dest: Path) -> None:
    """Copy one SQLite file to another consistently, the copy readable by the user alone."""
    partial = dest.with_name(f"{dest.name}.partial")  # a copy cut short never takes its name
    partial.unlink(missing_ok=True)
    partial.touch(mode=paths.PRIVATE_FILE_MODE)
    paths.make_private(partial)
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
    except sqlite3.DatabaseError as error:
        partial.unlink(missing_ok=True)
        raise _database_error(source, error) from None
    os.replace(partial, dest)


def restore_file(backup: Path, path: Path) -> None:
    """Put the contents of `backup` back into the book at `path`."""
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    copy_sqlite(backup, path)


def integrity_problems(engine: Engine) -> list[str]:
    """What SQLite's integrity and foreign-key checks report (empty when all is well)."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
        problems = [row[0] for row in rows if row[0] != "ok"]
        fk_rows = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    problems += [f"row {row[1]} of {row[0]} refers to a missing {row[2]}" for row in fk_rows]
    return problems


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A short-lived session whose work is one transaction, audited, rolled back on error."""
    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

    from rmtui.audit import watch

    with Session(engine, expire_on_commit=False) as session:
        watch(session)
        try:
            yield session
            session.commit()
        except OperationalError as error:
            session.rollback()
            raise _database_error(Path(engine.url.database or ""), error) from None
        except Exception:
            session.rollback()
            raise
