"""Hand-written sqlite3 SQL for the KPIs: the baseline that `compute_kpis` is measured against."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

CLIENTS_SQL = """
SELECT
    count(*) FILTER (WHERE client_since <= :eve AND (client_until IS NULL OR client_until > :eve)),
    count(*) FILTER (WHERE client_since <= :eve AND (client_until IS NULL OR client_until > :eve)
                       AND client_since <= :end AND (client_until IS NULL OR client_until > :end)),
    count(*) FILTER (WHERE client_since BETWEEN :start AND :end),
    count(*) FILTER (WHERE client_until BETWEEN :start AND :end),
    count(*) FILTER (WHERE created_on BETWEEN :start AND :end
                       AND (client_since IS NULL OR client_since > created_on)),
    count(*) FILTER (WHERE created_on BETWEEN :start AND :end
                       AND (client_since IS NULL OR client_since > created_on)
                       AND client_since <= :end)
FROM client
"""

REVENUE_SQL = """
SELECT
    coalesce(sum(amount) FILTER (WHERE "on" BETWEEN :start AND :end), 0),
    coalesce(sum(amount) FILTER (WHERE "on" BETWEEN :before_start AND :before_end), 0)
FROM revenue WHERE "on" BETWEEN :before_start AND :end
"""

SURVEY_SQL = """
SELECT avg(csat), count(nps), count(*) FILTER (WHERE nps >= 9), count(*) FILTER (WHERE nps <= 6)
FROM survey WHERE "on" BETWEEN :start AND :end
"""

PIPELINE_SQL = """
SELECT count(*) FILTER (WHERE stage = 'won'), count(*) FILTER (WHERE stage = 'lost')
FROM opportunity WHERE closed_on BETWEEN :start AND :end
"""

CASES_SQL = """
SELECT count(*) FILTER (WHERE resolved_on <= due_on), count(*)
FROM "case" WHERE resolved_on BETWEEN :start AND :end
"""

CONTACTS_SQL = """
SELECT count(*), count(DISTINCT client_id) FROM interaction
WHERE at >= :start AND at < :after AND kind != 'note'
"""

# A client's last contact on :end: the maintained last_contact_on when it is not after :end,
# otherwise the latest contact before the day after :end, found through the contact index.
CHECKIN_SQL = """
WITH active AS (
    SELECT id, checkin_every_days,
        CASE
            WHEN last_contact_on IS NULL THEN NULL
            WHEN last_contact_on <= :end THEN last_contact_on
            ELSE (SELECT date(max(at)) FROM interaction
                  WHERE client_id = client.id AND kind != 'note' AND at < :after)
        END AS last_on
    FROM client
    WHERE client_since <= :end AND (client_until IS NULL OR client_until > :end)
)
SELECT count(*) FILTER (
           WHERE last_on IS NOT NULL
             AND julianday(:end) - julianday(last_on) < checkin_every_days),
       count(*)
FROM active
"""

# SQLite takes the bare `value` from the row holding max(as_of) of each group.
AUM_SQL = """
WITH latest AS (
    SELECT client_id, max(as_of), value FROM holding
    WHERE as_of <= :end GROUP BY client_id, account
)
SELECT coalesce(sum(latest.value), 0) FROM latest JOIN client ON client.id = latest.client_id
WHERE client.client_since <= :end AND (client.client_until IS NULL OR client.client_until > :end)
"""


def percent(part: float, whole: float | None) -> float | None:
    """100 × part / whole, or None when `whole` is 0."""
    return None if not whole else 100 * part / whole


def cents(value: int) -> Decimal:
    """Integer cents as an exact amount."""
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def period_params(start: date, end: date) -> dict[str, str]:
    """The named parameters of the KPI queries for `start`..`end` (ISO text)."""
    days = (end - start).days + 1
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "eve": (start - timedelta(days=1)).isoformat(),
        "after": (end + timedelta(days=1)).isoformat(),
        "before_start": (start - timedelta(days=days)).isoformat(),
        "before_end": (start - timedelta(days=1)).isoformat(),
    }


def raw_kpis(conn: sqlite3.Connection, start: date, end: date) -> dict[str, Any]:
    """Every KPI of PRODUCT.md for `start`..`end`, computed with plain sqlite3 SQL."""
    params = period_params(start, end)

    def one(sql: str) -> tuple[Any, ...]:
        return tuple(conn.execute(sql, params).fetchone())

    at_start, retained, new, lost, leads, converted = one(CLIENTS_SQL)
    revenue, before = one(REVENUE_SQL)
    csat, nps_count, promoters, detractors = one(SURVEY_SQL)
    won, lost_deals = one(PIPELINE_SQL)
    on_time, resolved = one(CASES_SQL)
    contacts, contacted = one(CONTACTS_SQL)
    covered, active = one(CHECKIN_SQL)
    (aum,) = one(AUM_SQL)
    return {
        "clients_start": at_start,
        "retained": retained,
        "retention_rate": percent(retained, at_start),
        "new_clients": new,
        "lost_clients": lost,
        "revenue": cents(revenue),
        "revenue_previous": cents(before),
        "revenue_growth": percent(revenue - before, before),
        "csat": csat,
        "nps": percent(promoters - detractors, nps_count),
        "pipeline_conversion": percent(won, won + lost_deals),
        "lead_conversion": percent(converted, leads),
        "cases_on_time": percent(on_time, resolved),
        "interactions": contacts,
        "clients_contacted": contacted,
        "checkin_coverage": percent(covered, active),
        "aum": cents(aum),
    }


def same_value(ours: Any, theirs: Any) -> bool:
    """Whether two KPI values agree (floats to 1e-9 relative, everything else exactly)."""
    if isinstance(ours, float) or isinstance(theirs, float):
        if ours is None or theirs is None:
            return ours is theirs
        return abs(float(ours) - float(theirs)) <= 1e-9 * max(1.0, abs(float(theirs)))
    return bool(ours == theirs)


def disagreements(ours: dict[str, Any], raw: dict[str, Any]) -> list[str]:
    """The KPI keys whose values differ between `ours` and the raw SQL, with both values."""
    return [
        f"{key}: {ours.get(key)!r} vs {value!r}"
        for key, value in raw.items()
        if not same_value(ours.get(key), value)
    ]


# The agenda: each Today section as one query, returning ids in the order shown.

NOT_ARCHIVED_FOLLOW_UP = """
    SELECT f.id FROM follow_up f LEFT JOIN client c ON c.id = f.client_id
    WHERE f.status = 'open' AND ({when}) AND (c.id IS NULL OR NOT c.archived)
    ORDER BY f.due_on, f.priority = 'normal', f.id
"""

AGENDA_SQL = {
    "overdue": NOT_ARCHIVED_FOLLOW_UP.format(when="f.due_on < :day"),
    "due_today": NOT_ARCHIVED_FOLLOW_UP.format(when="f.due_on = :day"),
    "upcoming": NOT_ARCHIVED_FOLLOW_UP.format(when="f.due_on > :day AND f.due_on <= :week_end"),
    "checkins": """
        SELECT id FROM client
        WHERE NOT archived AND client_since <= :day
          AND (client_until IS NULL OR client_until > :day)
          AND date(coalesce(last_contact_on, client_since),
                   '+' || checkin_every_days || ' days') <= :day
        ORDER BY date(coalesce(last_contact_on, client_since),
                      '+' || checkin_every_days || ' days'), id
    """,
    "cases": """
        SELECT k.id FROM "case" k JOIN client c ON c.id = k.client_id
        WHERE k.resolved_on IS NULL AND k.due_on <= :case_horizon AND NOT c.archived
        ORDER BY k.due_on, k.id
    """,
    "birthdays": """
        SELECT id FROM client
        WHERE NOT archived AND birthday IS NOT NULL
          AND strftime('%m-%d', birthday) IN ({month_days})
        ORDER BY id
    """,
}
CASE_HORIZON_DAYS = 3


def raw_agenda(conn: sqlite3.Connection, day: date) -> dict[str, list[int]]:
    """The Today sections of PRODUCT.md for `day` by plain sqlite3 SQL: ids per section."""
    week = [day + timedelta(days=offset) for offset in range(7)]
    params = {
        "day": day.isoformat(),
        "week_end": week[-1].isoformat(),
        "case_horizon": (day + timedelta(days=CASE_HORIZON_DAYS)).isoformat(),
    }
    month_days = ", ".join(f"'{when:%m-%d}'" for when in week)
    sections = {}
    for name, sql in AGENDA_SQL.items():
        query = sql.format(month_days=month_days) if name == "birthdays" else sql
        sections[name] = [row[0] for row in conn.execute(query, params)]
    return sections
