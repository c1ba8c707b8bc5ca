"""Moving a whole book to another engine or place: `rmtui copy --to` a PostgreSQL database or
a new book file, everything in one transaction on the target.

Every table of the book goes over row for row, as it stands: the records, the audit trail,
the trash, the public holidays, and what the triggers keep from them (the KPI roll-ups and
summaries, the clients' last contact, household contact and search text), which the source
holds consistent already. So the target's triggers do not fire meanwhile: on a server the
copy runs as a replica (`session_replication_role`, which also leaves the foreign keys
unchecked), or, where its role may not, with each table's own triggers disabled until the
rows are in (the tables then go in reference order); in a file they are dropped and made
again, with the foreign keys off, and its trigram search index is rebuilt from the search
text. On both the indexes but the keys' are dropped and built once at the end, and a
server gathers its statistics. The source is read as it streams, in one snapshot; a server
is written with COPY, a file with executemany; the ids handed out go on where the source's
would (a server's sequences past the largest ids, a file's AUTOINCREMENT counters).

Values keep their types: a book file holds days and moments as ISO text, flags as 0 or 1,
money as cents and JSON as its text, which a server reads as its date, timestamp, boolean,
bigint and json; a server's values are read back in the file's forms (`FILE_FORMS`).

The target must be empty; a failure, an interruption or a kill leaves it as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rmtui.core.errors import BookError, driver_message
from rmtui.core.progress import Progress, untold
from rmtui.core.translation import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from rmtui.core.interchange.book_file import ImportReport

# Rows between two reports of the progress, and read from a server at a time.
REPORT_EVERY = 10_000
FETCH_ROWS = 10_000
# The page cache of a book file while it is written (KiB).
FILE_CACHE_KIB = 64 * 1024
# Each book keeps its own schema version.
OWN_TABLES = frozenset({"alembic_version"})
# A server's column types as a book file holds them, in SQL over the column `{c}`.
FILE_FORMS = {
    "timestamp without time zone": "to_char({c}, 'YYYY-MM-DD HH24:MI:SS.US')",
    "time without time zone": "to_char({c}, 'HH24:MI:SS.US')",
    "date": "to_char({c}, 'YYYY-MM-DD')",
    "boolean": "{c}::integer",
    "json": "{c}::text",
    "jsonb": "{c}::text",
}
SERVER_TABLES = """
    SELECT c.table_name, c.column_name, c.data_type
    FROM information_schema.columns AS c
    JOIN information_schema.tables AS t USING (table_schema, table_name)
    WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      AND c.is_generated = 'NEVER'
    ORDER BY c.table_name, c.ordinal_position"""
# The sequence of each column that has one (serial or identity), with its table and column.
SERVER_SEQUENCES = """
    SELECT s.oid::regclass::text, t.relname, a.attname
    FROM pg_class AS s
    JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
                       AND d.deptype IN ('a', 'i')
    JOIN pg_class AS t ON t.oid = d.refobjid
    JOIN pg_attribute AS a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
    WHERE s.relkind = 'S' AND t.relnamespace = current_schema()::regnamespace"""
# The indexes other than those of a key or a constraint, with the statement making each.
SERVER_INDEXES = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index AS i
    JOIN pg_class AS t ON t.oid = i.indrelid
    WHERE t.relnamespace = current_schema()::regnamespace
      AND NOT EXISTS (SELECT FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)"""
# The memory a server may take to build an index at once.
INDEX_MEMORY = "256MB"
# Which table refers to which, on a server (a table referring to itself left out).
SERVER_REFERENCES = """
    SELECT child.relname, parent.relname
    FROM pg_constraint AS f
    JOIN pg_class AS child ON child.oid = f.conrelid
    JOIN pg_class AS parent ON parent.oid = f.confrelid
    WHERE f.contype = 'f' AND f.conrelid <> f.confrelid
      AND f.connamespace = current_schema()::regnamespace"""
FILE_TABLES = """
    SELECT l.name, c.name
    FROM pragma_table_list AS l, pragma_table_info(l.name) AS c
    WHERE l.schema = 'main' AND l.type = 'table' AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
    ORDER BY l.name, c.cid"""


@dataclass(frozen=True)
class BookTable:
    """A table to copy: its columns, and their types on a server (empty in a file)."""

    name: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def label(self) -> str:
        """The table as the progress names it."""
        return self.name.replace("_", " ")


Tables = dict[str, BookTable]


def copy_book(
    *, source: Engine, target: Engine, progress: Progress = untold, label: str | None = None
) -> ImportReport:
    """Copy every row of the book `source` into the empty book `target`, all or nothing;
    `label` names the target in a refusal (its engine's book unless given: a new book file is
    filled under another name)."""
    from rmtui.core.db import book_label

    write = _write_server if target.dialect.name == "postgresql" else _write_file
    try:
        with _reading(source) as book:
            counts = {name: book.count(table) for name, table in book.tables.items()}
            write(target, book, _Told(progress, sum(counts.values())))
    except _driver_errors(source, target) as error:
        raise BookError(
            _("the copy failed, so {target} was left as it was ({why}).").format(
                target=label or book_label(target), why=driver_message(error)
            )
        ) from None
    return _report(counts)


def _driver_errors(*engines: Engine) -> tuple[type[BaseException], ...]:
    """The errors of the engines' database drivers."""
    return tuple({engine.dialect.loaded_dbapi.Error for engine in engines})


def _report(counts: dict[str, int]) -> ImportReport:
    from rmtui.core.interchange.book_file import ImportReport
    from rmtui.core.models import ENTITIES

    copied = {entity: counts.get(str(model.__tablename__), 0) for entity, model in ENTITIES.items()}
    return ImportReport(counts=copied, ids_kept=True)


class _Told:
    """The copy's progress: rows copied of all, by table."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def rows(self, table: BookTable, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        """`rows` as they go, told as the copying of `table`."""
        step = _("copying the book: {table}").format(table=table.label)
        before, count = self.done, 0
        self.progress(step, before, self.total)
        for count, row in enumerate(rows, start=1):
            if count % REPORT_EVERY == 0:
                self.progress(step, before + count, self.total)
            yield row
        self.done = before + count

    def step(self, step: str) -> None:
        """Say that `step` is under way once the rows are in."""
        self.progress(step, self.done, self.total)


# Reading the source


class _Book:
    """The source book read in one snapshot: its tables, their rows, its next ids."""

    tables: Tables
    next_ids: dict[str, int]

    def count(self, table: BookTable) -> int:
        """How many rows `table` has."""
        raise NotImplementedError

    def rows(self, table: BookTable, columns: Sequence[str]) -> Iterator[Sequence[Any]]:
        """The rows of `table`, `columns` of each, as they are read."""
        raise NotImplementedError


@contextmanager
def _driver_connection(engine: Engine) -> Iterator[Any]:
    """The database driver's connection under `engine` for the block, thrown away after
    (its transaction and settings were the copy's)."""
    raw = engine.raw_connection()
    try:
        yield raw.driver_connection
    finally:
        raw.invalidate()


@contextmanager
def _reading(engine: Engine) -> Iterator[_Book]:
    with _driver_connection(engine) as connection:
        on_server = engine.dialect.name == "postgresql"
        yield _ServerBook(connection) if on_server else _FileBook(connection)


class _FileBook(_Book):
    def __init__(self, connection: Any) -> None:
        connection.isolation_level = None
        connection.execute("BEGIN")
        self._connection = connection
        self.tables = _file_tables(connection)
        self.next_ids = dict(_file_counters(connection))

    def count(self, table: BookTable) -> int:
        sql = f"SELECT count(*) FROM {_quoted(table.name)}"
        return int(self._connection.execute(sql).fetchone()[0])

    def rows(self, table: BookTable, columns: Sequence[str]) -> Iterator[Sequence[Any]]:
        names = ", ".join(map(_quoted, columns))
        return iter(self._connection.execute(f"SELECT {names} FROM {_quoted(table.name)}"))


class _ServerBook(_Book):
    def __init__(self, connection: Any) -> None:
        from psycopg import IsolationLevel

        connection.rollback()
        connection.isolation_level = IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        self._connection = connection
        cursor = connection.cursor()
        self.tables = _server_tables(cursor)
        self.next_ids = {}
        for sequence, table, _column in cursor.execute(SERVER_SEQUENCES).fetchall():
            last, called = cursor.execute(
                f"SELECT last_value, is_called FROM {sequence}"
            ).fetchone()
            self.next_ids[table] = last + 1 if called else last

    def count(self, table: BookTable) -> int:
        sql = f"SELECT count(*) FROM {_quoted(table.name)}"
        return int(self._connection.execute(sql).fetchone()[0])

    def rows(self, table: BookTable, columns: Sequence[str]) -> Iterator[Sequence[Any]]:
        kinds = dict(zip(table.columns, table.kinds, strict=True))
        read = ", ".join(
            FILE_FORMS.get(kinds[column], "{c}").format(c=_quoted(column)) for column in columns
        )
        cursor = self._connection.cursor(name=f"rmtui_copy_{table.name}")
        cursor.itersize = FETCH_ROWS
        try:
            cursor.execute(f"SELECT {read} FROM {_quoted(table.name)}")
            yield from cursor
        finally:
            cursor.close()


def _file_tables(connection: Any) -> Tables:
    columns: dict[str, list[str]] = {}
    for table, column in connection.execute(FILE_TABLES):
        columns.setdefault(table, []).append(column)
    return {
        name: BookTable(name, tuple(names), ("",) * len(names))
        for name, names in columns.items()
        if name not in OWN_TABLES
    }


def _file_counters(connection: Any) -> Iterator[tuple[str, int]]:
    """The next id of each AUTOINCREMENT table that has handed one out."""
    if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        for name, last in connection.execute("SELECT name, seq FROM sqlite_sequence"):
            yield name, int(last) + 1


def _server_tables(cursor: Any) -> Tables:
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in cursor.execute(SERVER_TABLES):
        columns.setdefault(table, []).append((column, kind))
    return {
        name: BookTable(name, tuple(c for c, _k in pairs), tuple(k for _c, k in pairs))
        for name, pairs in columns.items()
        if name not in OWN_TABLES
    }


def _plan(book: _Book, target: Tables) -> list[BookTable]:
    """The target's tables, each holding what the source's table of that name holds."""
    if set(book.tables) != set(target) or any(
        set(book.tables[name].columns) != set(table.columns) for name, table in target.items()
    ):
        raise BookError(
            _(
                "the book and the target are not at the same schema version; open both with"
                " this version of rmtui, then copy again."
            )
        )
    return list(target.values())


def _refuse_filled(cursor: Any, tables: Sequence[BookTable]) -> None:
    for table in tables:
        if cursor.execute(f"SELECT 1 FROM {_quoted(table.name)} LIMIT 1").fetchone():
            raise BookError(
                _("the target book already holds records; copy into a new, empty book.")
            )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Writing a server


def _write_server(target: Engine, book: _Book, told: _Told) -> None:
    """COPY every table in, triggers quiet, in one transaction."""
    with _driver_connection(target) as connection:
        connection.rollback()  # what the pool left open: the copy is a transaction of its own
        with connection.transaction():
            cursor = connection.cursor()
            tables = _in_reference_order(_plan(book, _server_tables(cursor)), cursor)
            _refuse_filled(cursor, tables)
            indexes = _set_indexes_aside(cursor)
            with _triggers_quiet(cursor, tables):
                for table in tables:
                    rows = book.rows(book.tables[table.name], table.columns)
                    _copy_in(cursor, table, told.rows(table, rows))
            told.step(_("building the indexes"))
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'")
            for statement in indexes:
                cursor.execute(statement)
            told.step(_("setting the next ids"))
            _go_on_past(cursor, book.next_ids)
            told.step(_("gathering the server's statistics"))
            cursor.execute("ANALYZE " + ", ".join(_quoted(table.name) for table in tables))
        told.step(_("readying the copy for quick reading"))
        _vacuum(connection, tables)


def _vacuum(connection: Any, tables: Sequence[BookTable]) -> None:
    """VACUUM the tables just filled, once the copy is made: until their pages are marked all
    visible, the server reads each row an index finds on them, where an index alone would do
    (at 100,000 clients Today's counts took 33 ms so, 22 ms once vacuumed; autovacuum comes
    by later). A server that refuses it (not the tables' owner), or a Ctrl-C meanwhile,
    leaves it to autovacuum: the copy is made all the same, and says so."""
    import psycopg

    connection.autocommit = True  # VACUUM runs outside a transaction
    with suppress(psycopg.Error, KeyboardInterrupt):
        connection.execute("VACUUM " + ", ".join(_quoted(table.name) for table in tables))


def _set_indexes_aside(cursor: Any) -> list[str]:
    """Drop the book's indexes but its keys'; the statements that make them again."""
    found = cursor.execute(SERVER_INDEXES).fetchall()
    for name, _statement in found:
        cursor.execute(f"DROP INDEX {name}")
    return [statement for _name, statement in found]


def _copy_in(cursor: Any, table: BookTable, rows: Iterable[Sequence[Any]]) -> None:
    names = ", ".join(map(_quoted, table.columns))
    with cursor.copy(f"COPY {_quoted(table.name)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


@contextmanager
def _triggers_quiet(cursor: Any, tables: Sequence[BookTable]) -> Iterator[None]:
    """No trigger of the book fires in the block: the session is a replica, or, where its
    role may not make it one, each table's own triggers are disabled (foreign keys are still
    checked then, so the tables go in reference order)."""
    from psycopg import errors

    cursor.execute("SAVEPOINT rmtui_copy")
    try:
        cursor.execute("SET LOCAL session_replication_role = replica")
    except errors.InsufficientPrivilege:
        cursor.execute("ROLLBACK TO SAVEPOINT rmtui_copy")
        _alter_triggers(cursor, tables, "DISABLE")
        yield
        _alter_triggers(cursor, tables, "ENABLE")
        return
    cursor.execute("RELEASE SAVEPOINT rmtui_copy")
    yield
    cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _alter_triggers(cursor: Any, tables: Sequence[BookTable], change: str) -> None:
    for table in tables:
        cursor.execute(f"ALTER TABLE {_quoted(table.name)} {change} TRIGGER USER")


def _in_reference_order(tables: Sequence[BookTable], cursor: Any) -> list[BookTable]:
    """`tables`, each after the tables it refers to."""
    refers: dict[str, set[str]] = {table.name: set() for table in tables}
    for child, parent in cursor.execute(SERVER_REFERENCES):
        if child in refers and parent in refers:
            refers[child].add(parent)
    ordered: list[BookTable] = []
    waiting = list(tables)
    while waiting:
        placed = {table.name for table in ordered}
        ready = [table for table in waiting if refers[table.name] <= placed] or waiting[:1]
        ordered.extend(ready)
        waiting = [table for table in waiting if table not in ready]
    return ordered


def _go_on_past(cursor: Any, next_ids: dict[str, int]) -> None:
    """Restart each sequence past the largest id of its column and the source's next id
    (ALTER SEQUENCE, which a rollback undoes, unlike setval)."""
    for sequence, table, column in cursor.execute(SERVER_SEQUENCES).fetchall():
        largest = f"SELECT coalesce(max({_quoted(column)}), 0) FROM {_quoted(table)}"
        following = int(cursor.execute(largest).fetchone()[0]) + 1
        start = max(following, next_ids.get(table, 1))
        cursor.execute(f"ALTER SEQUENCE {sequence} RESTART WITH {start:d}")


# Writing a file


def _write_file(target: Engine, book: _Book, told: _Told) -> None:
    """Insert every table's rows, triggers and indexes set aside, in one transaction."""
    with _driver_connection(target) as connection:
        connection.isolation_level = None
        connection.execute("PRAGMA foreign_keys = OFF")  # the source's references hold
        connection.execute(f"PRAGMA cache_size = {-FILE_CACHE_KIB}")
        connection.execute("BEGIN IMMEDIATE")
        try:
            _fill_file(connection, book, told)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise


def _fill_file(connection: Any, book: _Book, told: _Told) -> None:
    tables = _plan(book, _file_tables(connection))
    _refuse_filled(connection, tables)
    triggers, indexes = set_aside(connection, "trigger"), set_aside(connection, "index")
    for table in tables:
        names = ", ".join(map(_quoted, table.columns))
        marks = ", ".join("?" * len(table.columns))
        rows = book.rows(book.tables[table.name], table.columns)
        connection.executemany(
            f"INSERT INTO {_quoted(table.name)} ({names}) VALUES ({marks})",
            told.rows(table, rows),
        )
    told.step(_("building the indexes"))
    _run_all(connection, indexes)
    _run_all(connection, triggers)
    _rebuild_search_index(connection)
    _keep_counters(connection, book.next_ids)


def set_aside(connection: Any, kind: str) -> list[str]:
    """Drop the triggers or the explicit indexes (`kind`) of a book file; their SQL, to make
    them again."""
    found = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL", (kind,)
    ).fetchall()
    for name, _sql in found:
        connection.execute(f"DROP {kind.upper()} {_quoted(name)}")
    return [sql for _name, sql in found]


def _run_all(connection: Any, statements: Sequence[str]) -> None:
    for statement in statements:
        connection.execute(statement)


def _rebuild_search_index(connection: Any) -> None:
    """Index the search text again where the file has a trigram index over it (external
    content, so its own triggers fill it as rows come, and they were set aside)."""
    found = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        " AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%content=%'"
    ).fetchall()
    for (name,) in found:
        connection.execute(f"INSERT INTO {_quoted(name)} ({_quoted(name)}) VALUES ('rebuild')")


def _keep_counters(connection: Any, next_ids: dict[str, int]) -> None:
    """Give each AUTOINCREMENT table the source's next id where it is past the largest."""
    counted = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'"
        )
    }
    for table, next_id in next_ids.items():
        last = next_id - 1
        if table not in counted or last < 1:
            continue
        sql = "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?"
        if connection.execute(sql, (last, table)).rowcount == 0:
            connection.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, last)
            )
