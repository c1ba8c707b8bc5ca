"""Holding the book alone while a command replaces what it holds (encrypt, decrypt, restore).

The holding connection takes SQLite's exclusive lock and keeps it until it is closed
(`locking_mode = EXCLUSIVE`): a program that has the book open holds a shared lock, so the
book is refused while anyone else has it open, and nobody can open it until the command is
done. Everything the command reads from or writes to the book goes through this one
connection: in one process, closing any other handle on the file would drop the lock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rmtui.core import paths
from rmtui.core.errors import BookError, BookInUse, database_error
from rmtui.core.sqlcipher import open_error, sql_literal, sqlcipher
from rmtui.core.storage import remove_book_files
from rmtui.core.translation import _

HOLD_TIMEOUT_S = 2.0  # how long to wait for a short write of another program to finish


@contextmanager
def held_alone(path: Path, *, key: str | None = None) -> Iterator[Any]:
    """A SQLCipher connection on the book at `path` (keyed with `key` when it is encrypted)
    that holds it alone, its write-ahead log folded into the file; BookInUse when another
    program has it open."""
    driver = sqlcipher()
    connection = driver.connect(str(path), timeout=HOLD_TIMEOUT_S, isolation_level=None)
    try:
        if key is not None:
            connection.execute(f"PRAGMA key = {sql_literal(key)}")
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        _take_lock(connection, path, driver, encrypted=key is not None)
        _fold_log(connection)
        yield connection
    finally:
        connection.close()


def _take_lock(connection: Any, path: Path, driver: Any, *, encrypted: bool) -> None:
    try:
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connection.execute("COMMIT")
    except driver.DatabaseError as error:
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            raise BookInUse() from None
        if not encrypted:
            raise database_error(path, error) from None
        raise open_error(path, error) from None


def _fold_log(connection: Any) -> None:
    """Move every committed change from the -wal file into the book, or refuse."""
    busy, log, done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy or log != done:
        raise BookInUse()


def check_held_book(connection: Any, path: Path) -> None:
    """Refuse to go on with a book that SQLite's quick check finds damaged."""
    rows = connection.execute("PRAGMA quick_check").fetchall()
    if [row[0] for row in rows] != ["ok"]:
        said = _("{path} is damaged; restore a backup with `rmtui restore FILE`.")
        raise BookError(said.format(path=path))


def export_held(connection: Any, dest: Path, key: str) -> None:
    """Copy the held book into the new file `dest`, encrypted with `key` ("" for none)."""
    remove_book_files(dest)
    connection.execute(f"ATTACH DATABASE {sql_literal(str(dest))} AS target KEY {sql_literal(key)}")
    try:
        connection.execute("SELECT sqlcipher_export('target')")
        version = connection.execute("PRAGMA main.user_version").fetchone()[0]
        connection.execute(f"PRAGMA target.user_version = {int(version)}")
    finally:
        connection.execute("DETACH DATABASE target")
    paths.make_private(dest)


def put_in_place(connection: Any, new_file: Path, path: Path) -> None:
    """Replace the held book at `path` by `new_file`: the book leaves write-ahead logging
    first (SQLite folds and removes its -wal and -shm files itself), so no program that
    opens the old file later finds a log that belongs to the new one."""
    mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    if str(mode).lower() != "delete":
        raise BookInUse()
    os.replace(new_file, path)
    paths.make_private(path)
