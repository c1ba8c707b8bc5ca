"""The KPI roll-ups of one owner's clients: the roll-ups by day of migration 0010 built afresh,
for the clients of that owner and everyone's, in temporary tables beside the book's.

The book's triggers keep the roll-ups of the whole book. Those of one owner's clients are made
when asked for, by the statements that fill the roll-ups from new rows (rollups.py) run on that
owner's rows alone into temporary tables of the same shape (`mine_client_day`, ...), then read
with the KPIs' SQL (kpi_sql.py) naming them instead. This costs a pass over the owner's rows
(their interactions above all); it is done only for a book where someone else owns clients
(people.mine_of), once for every period asked at the same time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from rmtui.core.db_api import Connection
from rmtui.core.people import mine_sql

# The key each roll-up is added to on conflict (rollups.py), by table.
KEYS = {
    "client_span": ("kind", "start_on", "end_on"),
    "contact_span": ("start_on", "end_on"),
}
# The tables whose rows go into the roll-ups, with the view of the owner's rows of each.
ROW_TABLES = ("interaction", "revenue", "holding", "survey", "opportunity", "case")
PREFIX = "mine_"


@contextmanager
def owner_rollups(connection: Connection, owner: str) -> Iterator[None]:
    """The roll-ups of the clients of `owner` (and everyone's) in temporary tables, read by
    `mine_names(sql)`, while the block runs; they are dropped after it."""
    from rmtui.core.rollups import SUMMARIES_OF_NEW_ROWS, SUMMARY_TABLES, SUPERSEDED

    made: list[str] = []
    try:
        _run(connection, f"CREATE TEMPORARY TABLE {PREFIX}client (id INTEGER PRIMARY KEY)")
        made.append(f"TABLE {PREFIX}client")
        _run(
            connection,
            f"INSERT INTO {PREFIX}client (id) SELECT id FROM client AS c WHERE {mine_sql()}",
            {"owner": owner},
        )
        for table in ROW_TABLES:
            _run(
                connection,
                f'CREATE TEMPORARY VIEW {PREFIX}{table} AS SELECT * FROM "{table}"'
                f" WHERE client_id IN (SELECT id FROM {PREFIX}client)",
            )
            made.append(f"VIEW {PREFIX}{table}")
        for table in SUMMARY_TABLES:
            _run(
                connection,
                f'CREATE TEMPORARY TABLE {PREFIX}{table} AS SELECT * FROM "{table}" WHERE false',
            )
            key = ", ".join(f'"{column}"' for column in KEYS.get(table, ("on",)))
            _run(connection, f"CREATE UNIQUE INDEX {PREFIX}{table}_key ON {PREFIX}{table} ({key})")
            made.append(f"TABLE {PREFIX}{table}")
        for table, statements in SUMMARIES_OF_NEW_ROWS.items():
            for statement in statements:
                if statement is not SUPERSEDED:  # kept in the book by its triggers
                    rows = f"{PREFIX}{table}"
                    _run(connection, mine_names(statement.format(rows=rows), SUMMARY_TABLES))
        yield
    finally:
        for made_one in reversed(made):
            _run(connection, f"DROP {made_one}")


def mine_names(sql: str, tables: tuple[str, ...] | None = None) -> str:
    """`sql` reading (or writing) the owner's roll-ups instead of the book's."""
    if tables is None:
        from rmtui.core.rollups import SUMMARY_TABLES

        tables = SUMMARY_TABLES
    pattern = r"(?<![\w.])(" + "|".join(tables) + r")\b"
    return re.sub(pattern, rf"{PREFIX}\1", sql)


def _run(connection: Connection, sql: str, params: dict[str, str] | None = None) -> None:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params or {})
    finally:
        cursor.close()
