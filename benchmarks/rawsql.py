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
                       AND client_since <= :end),
    count(*) FILTER (WHERE client_since BETWEEN :start AND :end AND referred_by_id IS NOT NULL)
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
    SELECT id,
        coalesce(checkin_every_days, CASE tier WHEN 'A' THEN 30 WHEN 'B' THEN 90 ELSE 180 END)
            AS cadence,
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
             AND julianday(:end) - julianday(last_on) < cadence),
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

    at_start, retained, new, lost, leads, converted, referred = one(CLIENTS_SQL)
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
        "referral_share": percent(referred, new),
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


# The agenda: each Today section as one query, rows in the order they are shown. Each
# section's rows are put in its clock's order (`place`), then ranked by urgency fifty at a time
# (PRODUCT.md's Today, README "Urgency"), with the default coefficients written out in tenths
# of a point so that every sum is exact.

TIER_TENTHS = "CASE {tier} WHEN 'A' THEN 30 WHEN 'B' THEN 10 ELSE 0 END"

# Open follow-ups: 1 point a day overdue (minus a day to go), 5 for high priority.
FOLLOW_UPS_SQL = f"""
    SELECT f.id, f.client_id, f.due_on, f.priority,
        (julianday(:day) - julianday(f.due_on)) * 10 + (f.priority = 'high') * 50
            + {TIER_TENTHS.format(tier="c.tier")} AS own
    FROM follow_up f LEFT JOIN client c ON c.id = f.client_id
    WHERE f.status = 'open' AND ({{when}}) AND (f.client_id IS NULL OR NOT c.archived)
"""
FOLLOW_UPS_CLOCK = "due_on, priority != 'high', id"

# A member of a household that shares check-ins counts from the household's latest contact,
# and the household is listed once, as its most overdue member. Half a point a day past the
# cadence.
CHECKINS_SQL = f"""
WITH contact AS (
    SELECT id,
        CASE
            WHEN last_contact_on IS NULL THEN NULL
            WHEN last_contact_on <= :day THEN last_contact_on
            ELSE (SELECT date(max(at)) FROM interaction
                  WHERE client_id = client.id AND kind != 'note' AND at < :after)
        END AS own_last
    FROM client
), shared AS (
    SELECT hm.client_id, hm.household_id FROM household_member hm
    JOIN household h ON h.id = hm.household_id WHERE h.shared_checkin
), household_last AS (
    SELECT s.household_id, max(k.own_last) AS last_on
    FROM shared s JOIN contact k ON k.id = s.client_id GROUP BY s.household_id
), active AS (
    SELECT client.id, name, tier, client_since, s.household_id AS household,
        coalesce(checkin_every_days, CASE tier WHEN 'A' THEN 30 WHEN 'B' THEN 90 ELSE 180 END)
            AS cadence,
        CASE WHEN s.household_id IS NULL THEN k.own_last ELSE h.last_on END AS last_on
    FROM client JOIN contact k ON k.id = client.id
    LEFT JOIN shared s ON s.client_id = client.id
    LEFT JOIN household_last h ON h.household_id = s.household_id
    WHERE NOT archived AND client_since <= :day
      AND (client_until IS NULL OR client_until > :day)
), aged AS (
    SELECT *, CAST(julianday(:day) - julianday(coalesce(last_on, client_since)) AS INTEGER)
              AS days_since
    FROM active
), due AS (
    SELECT *, row_number() OVER (
        PARTITION BY coalesce(-household, id) ORDER BY days_since - cadence DESC, tier, name, id
    ) AS place
    FROM aged WHERE julianday(coalesce(last_on, client_since)) + cadence <= julianday(:day)
)
SELECT id, id AS client_id, tier, name, days_since - cadence AS overdue,
    (days_since - cadence) * 5 + {TIER_TENTHS.format(tier="tier")} AS own
FROM due WHERE place = 1
"""
CHECKINS_CLOCK = "overdue DESC, tier, name, id"

# Open cases due by :case_horizon: 2 points off a day left (business days on a business-day
# clock: weekdays not among the book's holidays, counted over a series of the days), 6 for a
# complaint open.
CASES_DUE_SQL = f"""
WITH RECURSIVE span(d) AS (
    SELECT min(coalesce(min(due_on), :day), :day) FROM "case" WHERE resolved_on IS NULL
    UNION ALL SELECT date(d, '+1 day') FROM span WHERE d < max(:case_horizon, :day)
), counted AS (
    SELECT d, sum(strftime('%w', d) NOT IN ('0', '6')
                  AND d NOT IN (SELECT "on" FROM public_holiday WHERE country = 'NL'))
              OVER (ORDER BY d) AS upto
    FROM span
)
SELECT k.id, k.client_id, k.due_on,
    CASE WHEN k.business_days
         THEN (SELECT upto FROM counted WHERE d = k.due_on)
              - (SELECT upto FROM counted WHERE d = :day)
         ELSE julianday(k.due_on) - julianday(:day) END * -20
        + {TIER_TENTHS.format(tier="c.tier")} AS own
FROM "case" k JOIN client c ON c.id = k.client_id
WHERE k.resolved_on IS NULL AND k.due_on <= :case_horizon AND NOT c.archived
"""
CASES_CLOCK = "due_on, id"

# Birthdays of the week: the day of the window each falls on ({offsets}: a CASE over the
# month-days), a point off for each day to go.
BIRTHDAYS_SQL = f"""
SELECT id, id AS client_id, name, {{offsets}} AS offset,
    -{{offsets}} * 10 + {TIER_TENTHS.format(tier="tier")} AS own
FROM client
WHERE NOT archived AND strftime('%m-%d', birthday) IN ({{month_days}})
"""
BIRTHDAYS_CLOCK = "offset, lower(name), id"

# Active, non-archived clients whose next review falls by :review_horizon: the months of
# their cadence after their last review, else last meeting, else client_since, on the same
# day of the month or the last day of a shorter month. A point a day overdue.
REVIEWS_SQL = f"""
WITH based AS (
    SELECT id, name, tier,
        coalesce(last_review_on, last_meeting_on, client_since) AS base,
        coalesce(review_every_months, CASE tier WHEN 'A' THEN 6 WHEN 'B' THEN 12 ELSE 24 END)
            AS months
    FROM client
    WHERE NOT archived AND client_since <= :day
      AND (client_until IS NULL OR client_until > :day)
), month_of_review AS (
    SELECT id, name, tier, CAST(strftime('%d', base) AS INTEGER) AS day_of_month,
        CAST(strftime('%Y', base) AS INTEGER) * 12 + CAST(strftime('%m', base) AS INTEGER) - 1
            + months AS month_number
    FROM based
), first_days AS (
    SELECT id, name, tier, day_of_month,
        printf('%04d-%02d-01', month_number / 12, month_number % 12 + 1) AS first_day
    FROM month_of_review
), due AS (
    SELECT id, name, tier, min(
        date(first_day, '+' || (day_of_month - 1) || ' days'),
        date(first_day, '+1 month', '-1 day')
    ) AS due_on
    FROM first_days
)
SELECT id, id AS client_id, due_on, tier, name,
    (julianday(:day) - julianday(due_on)) * 10 + {TIER_TENTHS.format(tier="tier")} AS own
FROM due WHERE due_on <= :review_horizon
"""
REVIEWS_CLOCK = "due_on, tier, name, id"

# The terms a row has from its client, in tenths: half a point a million of assets (each
# account's latest value on the day) up to 10 millions, 0.05 a thousand of revenue of the 12
# months up to the day up to 100 thousand, each rounded half up; 6 for an open complaint, 4 for
# a last survey with NPS 6 or less, 3 for an open deal expected to close within 30 days.
CLIENT_TENTHS_SQL = """
    coalesce((SELECT (min(sum(value), 1000000000) + 10000000) / 20000000 FROM (
        SELECT value, row_number() OVER (PARTITION BY account ORDER BY as_of DESC, id DESC) AS n
        FROM holding WHERE client_id = s.client_id AND as_of <= :day) WHERE n = 1), 0)
    + coalesce((SELECT (min(sum(amount), 10000000) + 100000) / 200000 FROM revenue
                WHERE client_id = s.client_id AND "on" > :year_before AND "on" <= :day), 0)
    + 60 * EXISTS (SELECT 1 FROM "case" WHERE client_id = s.client_id AND kind = 'complaint'
                   AND resolved_on IS NULL AND opened_on <= :day)
    + 40 * coalesce((SELECT nps <= 6 FROM survey WHERE client_id = s.client_id AND "on" <= :day
                     ORDER BY "on" DESC, id DESC LIMIT 1), 0)
    + 30 * EXISTS (SELECT 1 FROM opportunity WHERE client_id = s.client_id
                   AND stage NOT IN ('won', 'lost')
                   AND expected_close_on BETWEEN :day AND :deal_end)"""
RANKED_TOGETHER = 50

# A section's rows in its clock's order, then ranked by urgency fifty at a time.
RANKED_SQL = f"""
SELECT id, place, score FROM (
    SELECT s.id, s.place, (s.place - 1) / {RANKED_TOGETHER} AS ranking,
        s.own + {CLIENT_TENTHS_SQL} AS score
    FROM (SELECT *, row_number() OVER (ORDER BY {{clock}}) AS place FROM ({{rows}})) AS s)
ORDER BY ranking, score DESC, place
"""

AGENDA_SQL = {
    "overdue": (FOLLOW_UPS_SQL.format(when="f.due_on < :day"), FOLLOW_UPS_CLOCK),
    "due_today": (FOLLOW_UPS_SQL.format(when="f.due_on = :day"), FOLLOW_UPS_CLOCK),
    "checkins_due": (CHECKINS_SQL, CHECKINS_CLOCK),
    "reviews_due": (REVIEWS_SQL, REVIEWS_CLOCK),
    "cases_due": (CASES_DUE_SQL, CASES_CLOCK),
    "birthdays": (BIRTHDAYS_SQL, BIRTHDAYS_CLOCK),
    "upcoming": (
        FOLLOW_UPS_SQL.format(when="f.due_on > :day AND f.due_on <= :upcoming_end"),
        FOLLOW_UPS_CLOCK,
    ),
}
UPCOMING_DAYS = 7
REVIEW_NOTICE_DAYS = 14
CASE_WARNING_DAYS = 2
BIRTHDAY_DAYS = 7
DEAL_CLOSING_DAYS = 30


def raw_agenda(
    conn: sqlite3.Connection, day: date, limit: int | None = None, counted: int | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    """The Today sections of PRODUCT.md for `day` by plain sqlite3 SQL: rows per section.

    The first column of every row is the id the section lists (follow-up, client or case).
    With a `limit`, each section keeps its first `limit` rows and its total is counted too
    (under the key `<section>_total`, as one row holding the count), up to `counted` rows.
    """
    params = {
        "day": day.isoformat(),
        "after": (day + timedelta(days=1)).isoformat(),
        "upcoming_end": (day + timedelta(days=UPCOMING_DAYS)).isoformat(),
        "case_horizon": (day + timedelta(days=CASE_WARNING_DAYS)).isoformat(),
        "review_horizon": (day + timedelta(days=REVIEW_NOTICE_DAYS)).isoformat(),
        "year_before": _year_before(day).isoformat(),
        "deal_end": (day + timedelta(days=DEAL_CLOSING_DAYS)).isoformat(),
    }
    sections = {}
    for name, (rows, clock) in AGENDA_SQL.items():
        if name == "birthdays":
            rows = _birthdays_sql(day)
        query = RANKED_SQL.format(rows=rows, clock=clock)
        if limit is None:
            sections[name] = conn.execute(query, params).fetchall()
            continue
        sections[name] = conn.execute(f"{query} LIMIT {limit}", params).fetchall()
        total = f"SELECT count(*) FROM ({rows} LIMIT {-1 if counted is None else counted})"
        sections[f"{name}_total"] = conn.execute(total, params).fetchall()
    return sections


def _birthdays_sql(day: date) -> str:
    """BIRTHDAYS_SQL for the week from `day` (29 February kept on 28 February in other years)."""
    offsets: dict[str, int] = {}
    for offset in range(BIRTHDAY_DAYS):
        on = day + timedelta(days=offset)
        offsets[f"{on:%m-%d}"] = offset
        if (on.month, on.day) == (2, 28) and not _is_leap(on.year):
            offsets["02-29"] = offset
    cases = " ".join(f"WHEN '{md}' THEN {offset}" for md, offset in offsets.items())
    return BIRTHDAYS_SQL.format(
        offsets=f"(CASE strftime('%m-%d', birthday) {cases} END)",
        month_days=", ".join(f"'{md}'" for md in offsets),
    )


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# The field holding the listed id of an rmtui agenda item, per section (default `id`).
LISTED_ID = {"checkins_due": "client_id", "reviews_due": "client_id", "birthdays": "client_id"}


def agenda_ids(sections: dict[str, Any]) -> dict[str, list[int]]:
    """The ids listed per section (birthdays sorted, the others in the order shown).

    Items are raw rows (id first) or rmtui agenda items.
    """
    ids = {name: [_item_id(name, item) for item in items] for name, items in sections.items()}
    if "birthdays" in ids:
        ids["birthdays"].sort()
    return ids


def _item_id(section: str, item: Any) -> int:
    if isinstance(item, tuple):
        return int(item[0])
    return int(getattr(item, LISTED_ID.get(section, "id")))
