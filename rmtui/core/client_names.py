"""Names of the book's clients for completing a command line, read with sqlite3 alone so
that a shell's completion does not wait for SQLAlchemy to load."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

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


def names_starting(
    connection: sqlite3.Connection, prefix: str, *, limit: int = COMPLETIONS
) -> list[str]:
    """Names of clients (not archived) starting with `prefix`, in name order."""
    rows = connection.execute(NAMES_STARTING_SQL, {"prefix": prefix, "limit": limit})
    return [name for (name,) in rows]


def book_names_starting(path: Path, prefix: str, *, limit: int = COMPLETIONS) -> list[str]:
    """Names of the clients of the book at `path` starting with `prefix`; none when there is
    no book there, it is encrypted or it cannot be read (completion never fails)."""
    try:
        if not path.is_file() or is_encrypted_file(path):
            return []
        with closing(connect_reading(path)) as connection:
            return names_starting(connection, prefix, limit=limit)
    except (sqlite3.Error, OSError):
        return []
