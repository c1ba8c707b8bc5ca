"""The KPI sums of one owner's clients the way rmtui read them before the roll-ups were kept by
owner (migration 0017): the roll-ups built afresh from that owner's rows (and everyone's), by
the statements that fill them from new rows (rollups.py), into temporary tables beside the
book's, then read with the whole book's SQL naming them instead. A reference for the sums read
from the roll-ups by owner."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from rmtui.core.db_api import Connection
from rmtui.core.kpi_sql import parts_sql, period_parameters
from rmtui.core.people import mine_sql
from rmtui.core.rollups import SUMMARIES_OF_NEW_ROWS, SUMMARY_TABLES, SUPERSEDED

# The key each roll-up is added to on conflict (rollups.py), by table.
KEYS = {
    "client_span": ("kind", "start_on", "owner", "end_on"),
    "contact_span": ("start_on", "owner", "end_on"),
}
ROW_TABLES = ("interaction", "revenue", "holding", "survey", "opportunity", "case")
PREFIX = "mine_"


def parts_the_old_way(
    connection: Connection, owner: str, parts: Sequence[str], periods: Sequence[tuple[date, date]]
) -> list[dict[str, int]]:
    """`parts` of each of `periods` of the clients of `owner` and everyone's, from roll-ups
    made afresh from their rows."""
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
            key = ", ".join(f'"{column}"' for column in KEYS.get(table, ("on", "owner")))
            _run(connection, f"CREATE UNIQUE INDEX {PREFIX}{table}_key ON {PREFIX}{table} ({key})")
            made.append(f"TABLE {PREFIX}{table}")
        for table, statements in SUMMARIES_OF_NEW_ROWS.items():
            for statement in statements:
                if statement is not SUPERSEDED:  # kept in the book by its triggers
                    rows = f"{PREFIX}{table}"
                    _run(connection, mine_names(statement.format(rows=rows)))
        cursor = connection.cursor()
        try:
            cursor.execute(mine_names(parts_sql(parts, len(periods))), period_parameters(periods))
            found = cursor.fetchall()
        finally:
            cursor.close()
    finally:
        for made_one in reversed(made):
            _run(connection, f"DROP {made_one}")
    return [dict(zip(parts, row, strict=True)) for row in found]


def mine_names(sql: str) -> str:
    """`sql` reading (or writing) the owner's roll-ups instead of the book's."""
    pattern = r"(?<![\w.])(" + "|".join(SUMMARY_TABLES) + r")\b"
    return re.sub(pattern, rf"{PREFIX}\1", sql)


def _run(connection: Connection, sql: str, params: dict[str, str] | None = None) -> None:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params or {})
    finally:
        cursor.close()
