"""Names of the book's clients for completing a command line, read with sqlite3 (or, for a
book on a server, psycopg) alone so that a shell's completion does not wait for SQLAlchemy
to load."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from rmtui.core.server import is_server_url
from rmtui.core.storage import connect_reading, is_encrypted_file

COMPLETIONS = 50
# Clients (not archived) whose name starts with :prefix, ignoring the case of ASCII letters,
# read in order from the index on `name COLLATE NOCASE`.
NAMES_STARTING_SQL = """
    SELECT name FROM client
    WHERE name >= :prefix COLLATE NOCASE AND name < :prefix || char(1114111) COLLATE NOCASE
      AND archived IS 0
    ORDER BY name COLLATE NOCASE
    LIMIT :limit"""
# The same on PostgreSQL, whose NOCASE collation (ICU's, see rmtui.core.dialects) cannot bound
# a range by the last character as SQLite's can.
SERVER_NAMES_STARTING_SQL = """
    SELECT name FROM client
    WHERE NOT archived AND starts_with(lower(name), lower(%(prefix)s))
    ORDER BY name COLLATE "NOCASE", name
    LIMIT %(limit)s"""
# Seconds a shell's completion waits for a server before it completes no name.
SERVER_WAIT_S = 3


def names_starting(
    connection: sqlite3.Connection, prefix: str, *, limit: int = COMPLETIONS
) -> list[str]:
    """Names of clients (not archived) starting with `prefix`, in name order."""
    rows = connection.execute(NAMES_STARTING_SQL, {"prefix": prefix, "limit": limit})
    return [name for (name,) in rows]


def book_names_starting(book: Path | str, prefix: str, *, limit: int = COMPLETIONS) -> list[str]:
    """Names of the clients of the book at `book` (a file, or a server's URL) starting with
    `prefix`; none when there is no book there, it is encrypted or it cannot be read without
    asking for a password (completion never fails nor asks)."""
    if is_server_url(book):
        return server_names_starting(str(book), prefix, limit=limit)
    path = Path(book)
    try:
        if not path.is_file() or is_encrypted_file(path):
            return []
        with closing(connect_reading(path)) as connection:
            return names_starting(connection, prefix, limit=limit)
    except (sqlite3.Error, OSError):
        return []


def server_names_starting(url: str, prefix: str, *, limit: int = COMPLETIONS) -> list[str]:
    """Names of the clients of the book on the server `url` names starting with `prefix`;
    none when it cannot be reached, wants a password not in ~/.pgpass, or holds no book."""
    try:
        import psycopg
    except ImportError:
        return []
    try:
        with psycopg.connect(url, connect_timeout=SERVER_WAIT_S) as connection:
            rows: Any = connection.execute(
                SERVER_NAMES_STARTING_SQL, {"prefix": prefix, "limit": limit}
            )
            return [name for (name,) in rows]
    except psycopg.Error:
        return []
