"""The SQL of the KPIs: the sums they are made of, read from the roll-ups by day of migration 0010
for any number of periods in one query.

Each part is a sum over the days of a period (`p.from_day`..`p.to_day`), or over every day up
to one, so its cost follows the number of days, not of clients or interactions. Plain SQL text
run on a DB-API connection: `rmtui kpi` reads it with the standard library's sqlite3 before
SQLAlchemy is loaded, and a session runs the very same text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol


class Connection(Protocol):
    """A DB-API connection: sqlite3's, SQLCipher's, or the one under a session."""

    def cursor(self) -> Any: ...


def _within(table: str, column: str) -> str:
    """SQL: the sum of `column` of `table` over the days of the period."""
    return (
        f'SELECT coalesce(sum({column}), 0) FROM {table} WHERE "on" BETWEEN p.from_day AND p.to_day'
    )


def _up_to_end(table: str, column: str) -> str:
    """SQL: the sum of the changes `column` of `table` on every day up to the period's end."""
    return f'SELECT coalesce(sum({column}), 0) FROM {table} WHERE "on" <= p.to_day'


def _spans_within(days: str, starting: str, spans: str, kind: str = "") -> str:
    """SQL: how many spans of `spans` (of `kind` for client_span) lie within the period,
    looked up day by day of the period from `days`, the days on which such a span can start
    (`starting`): as many look-ups as the period has such days, each reading the spans
    that start that day and end in the period. (`+d."on"` keeps SQLite from reading instead
    every span that starts in the period, for each of its days.)"""
    of_kind = f"s.kind = '{kind}' AND " if kind else ""
    return f"""
        SELECT coalesce(sum(s.clients), 0) FROM {days} AS d CROSS JOIN {spans} AS s
        WHERE d."on" BETWEEN p.from_day AND p.to_day AND {starting}
          AND {of_kind}s.start_on = +d."on" AND s.end_on <= p.to_day"""


PARTS: dict[str, str] = {
    # Clients: active on the eve of the period (starts less ends before it), ends of being
    # active in it, clients active from before it until after it ends being those less the
    # ends in it of clients who were active before it.
    "at_start": 'SELECT coalesce(sum(starts - ends), 0) FROM client_day WHERE "on" < p.from_day',
    "ended": _within("client_day", "ends"),
    "active_within": _spans_within("client_day", "d.starts > 0", "client_span", "active"),
    "new_clients": _within("client_day", "new_clients"),
    "lost_clients": _within("client_day", "lost_clients"),
    "referred": _within("client_day", "referred_new"),
    "leads": _within("client_day", "leads"),
    "converted": _spans_within("client_day", "d.leads > 0", "client_span", "lead"),
    "revenue": _within("revenue_day", "amount"),
    "csat_total": _within("survey_day", "csat_total"),
    "csat_answers": _within("survey_day", "csat_answers"),
    "nps_answers": _within("survey_day", "nps_answers"),
    "promoters": _within("survey_day", "promoters"),
    "detractors": _within("survey_day", "detractors"),
    "won": _within("deal_day", "won"),
    "lost": _within("deal_day", "lost"),
    "resolved": _within("case_day", "resolved"),
    "on_time": _within("case_day", "on_time"),
    "contacts": _within("contact_day", "contacts"),
    # Clients contacted: their contact days in the period less the spans between two
    # contact days of one client within it.
    "client_days": _within("contacted_day", "clients"),
    "repeats": _spans_within("contacted_day", "1", "contact_span"),
    # Active clients, and those of them contacted within their cadence, on the period's end.
    "active_at_end": _up_to_end("client_day", "starts - ends"),
    "covered_at_end": _up_to_end("coverage_day", "change"),
    "assets_at_end": _up_to_end("assets_day", "change"),
}
"""Each sum a KPI is made of, as a scalar subquery on a period `p`."""


def parts_sql(parts: Sequence[str], periods: int) -> str:
    """SQL: `parts` (names of PARTS) for `periods` periods, a row each in their order,
    the periods given as the parameters of period_parameters."""
    values = ", ".join(f"({n}, :from{n}, :to{n})" for n in range(periods))
    columns = ",\n    ".join(f"({PARTS[part]}) AS {part}" for part in parts)
    return (
        f"WITH period(n, from_day, to_day) AS (VALUES {values})\n"
        f"SELECT\n    {columns}\nFROM period AS p ORDER BY p.n"
    )


def period_parameters(periods: Sequence[tuple[date, date]]) -> dict[str, str]:
    """The parameters of parts_sql for `periods` (first and last day of each)."""
    parameters: dict[str, str] = {}
    for n, (start, end) in enumerate(periods):
        parameters[f"from{n}"] = start.isoformat()
        parameters[f"to{n}"] = end.isoformat()
    return parameters


def read_parts(
    connection: Connection,
    parts: Sequence[str],
    periods: Sequence[tuple[date, date]],
    *,
    mine: bool = False,
) -> list[dict[str, int]]:
    """`parts` of each of `periods`, in one query: a dict of whole numbers per period; `mine`:
    from the roll-ups of one owner's clients (kpi_mine.owner_rollups) rather than the book's."""
    sql = parts_sql(parts, len(periods))
    if mine:
        from rmtui.core.kpi_mine import mine_names

        sql = mine_names(sql)
    cursor = connection.cursor()
    try:
        cursor.execute(sql, period_parameters(periods))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return [dict(zip(parts, row, strict=True)) for row in rows]
