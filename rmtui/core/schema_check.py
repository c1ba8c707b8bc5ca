"""The book's schema compared with what the migrations build: for `doctor`, and to recognise
a book that lost its version stamp."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from rmtui.core.storage import KNOWN_REVISIONS, SCHEMA_HEAD

Schema = dict[tuple[str, str], tuple[str, ...]]
"""(kind, name) of every table, index and trigger, with a table's columns or another's table."""


def schema_of(connection: Any) -> Schema:
    """The schema of the book `connection` reads, without SQLite's own objects and the stamp."""
    rows = connection.execute(
        "SELECT type, name, tbl_name FROM sqlite_master"
        " WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite_%'"
        " AND name != 'alembic_version'"
    ).fetchall()
    schema: Schema = {}
    for kind, name, table in rows:
        if kind == "table":
            columns = connection.execute(f'PRAGMA table_info("{name}")').fetchall()
            schema[(kind, name)] = tuple(column[1] for column in columns)
        else:
            schema[(kind, name)] = (table,)
    return schema


@cache
def expected_schema(revision: str = SCHEMA_HEAD) -> Schema:
    """The schema the migrations build up to `revision` (built once in a temporary book)."""
    import sqlite3
    from contextlib import closing

    from rmtui.core.db import upgrade_to_head

    with tempfile.TemporaryDirectory(prefix="rmtui-schema-") as folder:
        path = Path(folder) / "reference.db"
        path.touch()
        upgrade_to_head(path, target=revision)
        with closing(sqlite3.connect(path)) as connection:
            return schema_of(connection)


def matching_revision(connection: Any) -> str | None:
    """The known revision whose schema the book has exactly, newest first, or None."""
    schema = schema_of(connection)
    return next((rev for rev in reversed(KNOWN_REVISIONS) if expected_schema(rev) == schema), None)


def schema_problems(connection: Any) -> list[str]:
    """What differs between the book's schema and the current one, one line each."""
    found, expected = schema_of(connection), expected_schema()
    problems = [f"missing {kind} {name}" for kind, name in sorted(expected.keys() - found.keys())]
    problems += [f"unexpected {kind} {name}" for kind, name in sorted(found.keys() - expected)]
    for key in sorted(expected.keys() & found.keys()):
        if key[0] == "table" and found[key] != expected[key]:
            problems.append(
                f"table {key[1]} has columns {', '.join(found[key])}, not "
                f"{', '.join(expected[key])}"
            )
    return problems
