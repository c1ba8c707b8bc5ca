"""Reading the book on a DB-API connection: the standard library's sqlite3 on a command's quick
path, or the connection under a session otherwise, running the same SQL text.

Nothing heavy is imported here, so a command that reads a plain book at the current schema
does not load SQLAlchemy (README, "Performance").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, Protocol

Params = Mapping[str, Any] | Sequence[Any]
# Rows read at a time from a cursor whose rows are handed on as they come.
BATCH_ROWS = 500
LIKE_ESCAPE = "\\"
# SQLAlchemy's execution options that keep an INSERT's count of rows, which PostgreSQL's
# driver forgets once the cursor of a statement without rows is closed (sqlite3 keeps it).
KEEP_ROWCOUNT = {"preserve_rowcount": True}


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


def of_session(session: Any) -> Any:
    """The DB-API connection under `session`, taking the book's SQL text as sqlite3 does: on a
    PostgreSQL book a ServerConnection around it."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return ServerConnection(connection.connection)
    return connection.connection


def on_server(connection: Any) -> bool:
    """Whether `connection` (from of_session) reads a book on a PostgreSQL server."""
    return isinstance(connection, ServerConnection)


class ServerConnection:
    """A PostgreSQL DB-API connection that runs the book's SQL text as sqlite3 runs it:
    `:name` and `?` placeholders, SQLite's words (rmtui.core.dialects), and rows in sqlite3's
    types (days and moments as ISO text, JSON as its text, sums as int or float, flags as
    0 or 1), so that the readers of the quick paths read a server book unchanged."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def cursor(self) -> ServerCursor:
        """A cursor that takes the book's SQL text."""
        return ServerCursor(self._connection.cursor())

    def execute(self, sql: str, params: Params = ()) -> ServerCursor:
        """Run `sql` on a new cursor, as sqlite3's connection does."""
        cursor = self.cursor()
        cursor.execute(sql, params)
        return cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


class ServerCursor:
    """A psycopg cursor that takes the book's SQL text (see ServerConnection)."""

    def __init__(self, cursor: Any) -> None:
        _load_as_sqlite(cursor.adapters)
        self._cursor = cursor

    def execute(self, sql: str, params: Params = ()) -> ServerCursor:
        """Run `sql` with `params` given as sqlite3 takes them."""
        self._cursor.execute(*server_statement(sql, params))
        return self

    def executemany(self, sql: str, rows: Iterable[Params]) -> ServerCursor:
        """Run `sql` once for each of `rows`, as sqlite3's executemany does."""
        text, names = _pyformat(on_postgresql_sql(sql))
        self._cursor.executemany(text, (_in_order(row, names) for row in rows))
        return self

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


def server_statement(sql: str, params: Any) -> tuple[str, Any]:
    """`sql` (placeholders `:name` or `?`, SQLite's words) and its `params` as psycopg and
    PostgreSQL read them. Each `:name` becomes a placeholder of its own, its value given in
    order: PostgreSQL gives a placeholder one type for all the places it stands, so a day
    used both as a function's argument (`julianday(:day)`, which has a text form) and
    compared with a date column would be text in both, and no index on the date be used;
    each on its own is typed by its place, as a literal is."""
    text, names = _pyformat(on_postgresql_sql(sql))
    return text, _in_order(params, names)


def on_postgresql_sql(sql: str) -> str:
    """`sql` in PostgreSQL's words (rmtui.core.dialects)."""
    from rmtui.core.dialects import on_postgresql

    return on_postgresql(sql)


def _in_order(params: Any, names: tuple[str, ...] | None) -> Any:
    """`params` given by name as the values of `names` in order; others as they are."""
    if names is None or not isinstance(params, Mapping):
        return params
    return [params[name] for name in names]


_PLACEHOLDER_CACHE: dict[str, tuple[str, tuple[str, ...] | None]] = {}


def _pyformat(sql: str) -> tuple[str, tuple[str, ...] | None]:
    """`sql` with `:name` and `?` as `%s` and `%` doubled, outside quoted text, and the names
    in the order they stand (None when `?` stands)."""
    done = _PLACEHOLDER_CACHE.get(sql)
    if done is not None:
        return done
    names: list[str] | None = []
    out: list[str] = []
    quote = ""
    index = 0
    while index < len(sql):
        char = sql[index]
        if quote:
            out.append("%%" if char == "%" else char)
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "%":
            out.append("%%")
        elif char == "?":
            out.append("%s")
            names = None
        elif char == ":" and index + 1 < len(sql) and _starts_name(sql, index):
            end = index + 1
            while end < len(sql) and (sql[end].isalnum() or sql[end] == "_"):
                end += 1
            out.append("%s")
            if names is not None:
                names.append(sql[index + 1 : end])
            index = end
            continue
        else:
            out.append(char)
        index += 1
    done = ("".join(out), None if names is None else tuple(names))
    _PLACEHOLDER_CACHE[sql] = done
    return done


def _starts_name(sql: str, index: int) -> bool:
    after, before = sql[index + 1], sql[index - 1] if index else " "
    return (after.isalpha() or after == "_") and before != ":" and sql[index + 1 : index + 2] != ":"


def _load_as_sqlite(adapters: Any) -> None:
    """Have psycopg give values in the types sqlite3 gives them."""
    from psycopg.types.string import StrDumperUnknown

    adapters.register_dumper(str, StrDumperUnknown)  # ISO text compared with a date, as in SQLite
    for name, loader in _sqlite_loaders():
        adapters.register_loader(name, loader)


@cache
def _sqlite_loaders() -> tuple[tuple[str, type], ...]:
    """psycopg's loaders of the values sqlite3 gives as text, numbers and 0 or 1: made once
    (a cursor is made for each statement of a page of the agenda)."""
    from psycopg.adapt import Loader

    class TextLoader(Loader):
        def load(self, data: Any) -> str:
            return bytes(data).decode()

    class NumberLoader(Loader):
        def load(self, data: Any) -> int | float:
            text = bytes(data).decode()
            number = float(text)
            return int(text) if text.lstrip("-").isdigit() else number

    class FlagLoader(Loader):
        def load(self, data: Any) -> int:
            return 1 if bytes(data) == b"t" else 0

    as_text = ("date", "timestamp", "timestamptz", "time", "json", "jsonb", "interval")
    return (
        *((name, TextLoader) for name in as_text),
        ("numeric", NumberLoader),
        ("bool", FlagLoader),
    )
