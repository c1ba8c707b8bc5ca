"""The book file on disk: its SQLite header and pragmas, its schema stamp, consistent copies."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from rmtui.core import paths
from rmtui.core.errors import BookError, database_error

# Every migration this code knows, oldest first; the last one is the schema it writes.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")


SCHEMA_HEAD = KNOWN_REVISIONS[-1]


SQLITE_HEADER = b"SQLite format 3\x00"


BUSY_TIMEOUT_MS = 5000


def set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def connect_plain(path: Path) -> sqlite3.Connection:
    """A standard-library sqlite3 connection to the unencrypted book at `path`, with the
    pragmas every engine connection gets."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    set_pragmas(connection, None)
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
        raise database_error(path, error) from None
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
        raise database_error(source, error) from None
    os.replace(partial, dest)


def restore_file(backup: Path, path: Path) -> None:
    """Put the contents of `backup` back into the book at `path`."""
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    copy_sqlite(backup, path)


def remove_book_files(path: Path) -> None:
    """Remove the book file at `path` with its write-ahead log, shared memory and journal."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
