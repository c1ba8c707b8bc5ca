"""Reading the book on a DB-API connection: the standard library's sqlite3 on a command's quick
path, or the connection under a session otherwise, running the same SQL text.

Nothing heavy is imported here, so a command that reads a plain book at the current schema
does not load SQLAlchemy (README, "Performance").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

Params = Mapping[str, Any] | Sequence[Any]
# Rows read at a time from a cursor whose rows are handed on as they come.
BATCH_ROWS = 500
LIKE_ESCAPE = "\\"


class Connection(Protocol):
    """A DB-API connection: sqlite3's, SQLCipher's, or the one under a session."""

    def cursor(self) -> Any: ...


def fetch_all(connection: Connection, sql: str, params: Params = ()) -> list[Any]:
    """Every row of `sql`."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def fetch_one(connection: Connection, sql: str, params: Params = ()) -> Any | None:
    """The first row of `sql`, or None when it has none."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchone()
    finally:
        cursor.close()


def fetch_value(connection: Connection, sql: str, params: Params = ()) -> Any:
    """The first column of the first row of `sql` (None when it has no row)."""
    row = fetch_one(connection, sql, params)
    return None if row is None else row[0]


def stream(connection: Connection, sql: str, params: Params = ()) -> Iterator[Any]:
    """The rows of `sql` as they are read, BATCH_ROWS at a time."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(BATCH_ROWS):
            yield from batch
    finally:
        cursor.close()


def like_escaped(text: str) -> str:
    """`text` with LIKE's wildcards escaped by LIKE_ESCAPE."""
    for char in (LIKE_ESCAPE, "%", "_"):
        text = text.replace(char, LIKE_ESCAPE + char)
    return text
