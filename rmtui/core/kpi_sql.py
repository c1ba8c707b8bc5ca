"""The SQL of the KPIs: the sums they are made of, read from the roll-ups by day of migration 0010
for any number of periods in one query.

Each part is a sum over the days of a period (`p.from_day`..`p.to_day`), or over every day up
to one, so its cost follows the number of days, not of clients or interactions. The roll-ups
have a row per day and owner (migration 0017): the whole book's KPIs add up every owner's,
those of "my clients" the user's and everyone's (''). Plain SQL text
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


def _whose(mine: bool, table: str = "") -> str:
    """SQL: `AND` the rows (of `table`, an alias and a dot) of the clients of one owner
    (`:owner`) and everyone's ('', migration 0017) when `mine`, else nothing: every owner."""
    return f" AND {table}owner IN (:owner, '')" if mine else ""


def _within(table: str, column: str, mine: bool) -> str:
    """SQL: the sum of `column` of `table` over the days of the period."""
    return (
        f"SELECT coalesce(sum({column}), 0) FROM {table}"
        f' WHERE "on" BETWEEN p.from_day AND p.to_day{_whose(mine)}'
    )


def _up_to_end(table: str, column: str, mine: bool) -> str:
    """SQL: the sum of the changes `column` of `table` on every day up to the period's end."""
    return f'SELECT coalesce(sum({column}), 0) FROM {table} WHERE "on" <= p.to_day{_whose(mine)}'


def _spans_within(days: str, starting: str, spans: str, mine: bool, kind: str = "") -> str:
    """SQL: how many spans of `spans` (of `kind` for client_span) lie within the period,
    looked up day by day of the period from `days`, the days on which such a span can start
    (`starting`) for an owner: as many look-ups as the period has such days and owners,
    each reading the spans of that owner that start that day and end in the period.
    (`+d."on"` keeps SQLite from reading instead every span that starts in the period, for
    each of its days.)"""
    of_kind = f"s.kind = '{kind}' AND " if kind else ""
    return f"""
        SELECT coalesce(sum(s.clients), 0) FROM {days} AS d CROSS JOIN {spans} AS s
        WHERE d."on" BETWEEN p.from_day AND p.to_day AND {starting}{_whose(mine, "d.")}
          AND {of_kind}s.start_on = +d."on" AND s.owner = d.owner AND s.end_on <= p.to_day"""


def _parts(mine: bool) -> dict[str, str]:
    """Each sum a KPI is made of, as a scalar subquery on a period `p`: of the whole book, or
    (`mine`) of the clients of the owner `:owner` and everyone's."""
    return {
        # Clients: active on the eve of the period (starts less ends before it), ends of being
        # active in it, clients active from before it until after it ends being those less the
        # ends in it of clients who were active before it.
        "at_start": "SELECT coalesce(sum(starts - ends), 0) FROM client_day"
        f' WHERE "on" < p.from_day{_whose(mine)}',
        "ended": _within("client_day", "ends", mine),
        "active_within": _spans_within("client_day", "d.starts > 0", "client_span", mine, "active"),
        "new_clients": _within("client_day", "new_clients", mine),
        "lost_clients": _within("client_day", "lost_clients", mine),
        "referred": _within("client_day", "referred_new", mine),
        "leads": _within("client_day", "leads", mine),
        "converted": _spans_within("client_day", "d.leads > 0", "client_span", mine, "lead"),
        "revenue": _within("revenue_day", "amount", mine),
        "csat_total": _within("survey_day", "csat_total", mine),
        "csat_answers": _within("survey_day", "csat_answers", mine),
        "nps_answers": _within("survey_day", "nps_answers", mine),
        "promoters": _within("survey_day", "promoters", mine),
        "detractors": _within("survey_day", "detractors", mine),
        "won": _within("deal_day", "won", mine),
        "lost": _within("deal_day", "lost", mine),
        "resolved": _within("case_day", "resolved", mine),
        "on_time": _within("case_day", "on_time", mine),
        "contacts": _within("contact_day", "contacts", mine),
        # Clients contacted: their contact days in the period less the spans between two
        # contact days of one client within it.
        "client_days": _within("contacted_day", "clients", mine),
        "repeats": _spans_within("contacted_day", "1", "contact_span", mine),
        # Active clients, and those of them contacted within their cadence, on the period's
        # end.
        "active_at_end": _up_to_end("client_day", "starts - ends", mine),
        "covered_at_end": _up_to_end("coverage_day", "change", mine),
        "assets_at_end": _up_to_end("assets_day", "change", mine),
    }


PARTS: dict[str, str] = _parts(mine=False)
"""Each sum a KPI is made of, as a scalar subquery on a period `p`, of the whole book."""
MY_PARTS: dict[str, str] = _parts(mine=True)
"""PARTS of the clients of one owner (`:owner`) and everyone's."""


def parts_sql(parts: Sequence[str], periods: int, *, mine: bool = False) -> str:
    """SQL: `parts` (names of PARTS) for `periods` periods, a row each in their order,
    the periods given as the parameters of period_parameters; `mine`: of the clients of the
    owner given as the parameter `owner`, and everyone's (MY_PARTS)."""
    # date() gives SQLite the same ISO text and a server days, so that its plans compare
    # the days' columns with days (through their indexes), not each row's day with text.
    values = ", ".join(f"({n}, date(:from{n}), date(:to{n}))" for n in range(periods))
    chosen = MY_PARTS if mine else PARTS
    columns = ",\n    ".join(f"({chosen[part]}) AS {part}" for part in parts)
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
    owner: str | None = None,
) -> list[dict[str, int]]:
    """`parts` of each of `periods`, in one query: a dict of whole numbers per period; with an
    `owner`, of the clients of that owner and everyone's (people.mine_of)."""
    sql = parts_sql(parts, len(periods), mine=owner is not None)
    parameters = period_parameters(periods)
    if owner is not None:
        parameters["owner"] = owner
    cursor = connection.cursor()
    try:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return [dict(zip(parts, row, strict=True)) for row in rows]
