"""The KPI summaries the book's triggers keep (migrations 0002 and 0010) and the pipeline's
(0018), done at once for many new rows: for a bulk copy that sets the triggers aside
(interchange/bulk_load.py), and to fill them afresh from every row (`refill_summaries`).

Each statement takes `{rows}`, a table holding the new rows of its table (at least their ids and
the columns it reads), already copied into the book. What the triggers keep per row is said in
migration 0010; a statement here adds what the new rows change: for the contacts of a client
and the snapshots of an account, what they add up to with the new rows less what they added up
to without them. Each adds to the rows of the owner of the client it counts (migration 0017:
'' for a client without one), found in `client`, where new clients are before their records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmtui.core import models
from rmtui.core.models import NOT_SUPERSEDED
from rmtui.core.queries.pipeline_stats import probability_percent_sql
from rmtui.core.rules import cadence_sql, is_contact_sql

if TYPE_CHECKING:
    from sqlalchemy import Connection

NEVER = f"'{NOT_SUPERSEDED}'"  # a day after every other
CONTACT = is_contact_sql("")
OWNER = "coalesce(k.owner, '')"  # the owner of client k, '' for everyone's
OF_CLIENT = "JOIN client AS k ON k.id = r.client_id"  # the client of new row r
DAY_KEY = '("on", owner)'
EDGES = "(SELECT 1 AS edge UNION ALL SELECT 0)"


def add_edges(table: str, spans: str, amount: str) -> str:
    """SQL: add `amount` to `table`'s change for the span's owner on the first day of each span
    of `spans` (owner, starting, ending, and the columns `amount` reads), and take it away on
    its end."""
    return f"""
    INSERT INTO {table} ("on", owner, change)
    SELECT CASE WHEN e.edge = 1 THEN s.starting ELSE s.ending END, s.owner,
        sum(CASE WHEN e.edge = 1 THEN {amount} ELSE -({amount}) END)
    FROM ({spans}) AS s, {EDGES} AS e
    WHERE s.starting < s.ending AND (e.edge = 1 OR s.ending < {NEVER})
    GROUP BY 1, 2
    ON CONFLICT {DAY_KEY} DO UPDATE SET change = change + excluded.change"""


# -- revenue, contacts by day and superseded snapshots (migration 0002) --------------------------

REVENUE_BY_DAY = f"""
    INSERT INTO revenue_day ("on", owner, amount, entries)
    SELECT r."on", {OWNER}, sum(r.amount), count(*) FROM {{rows}} AS r {OF_CLIENT}
    WHERE true GROUP BY 1, 2
    ON CONFLICT {DAY_KEY} DO UPDATE SET amount = amount + excluded.amount,
                                        entries = entries + excluded.entries"""
CONTACTS_BY_DAY = f"""
    INSERT INTO contact_day ("on", owner, contacts)
    SELECT date(r.at), {OWNER}, count(*) FROM {{rows}} AS r {OF_CLIENT}
    WHERE {is_contact_sql("r.")} GROUP BY 1, 2
    ON CONFLICT {DAY_KEY} DO UPDATE SET contacts = contacts + excluded.contacts"""
# Every snapshot of an account that got a new one takes the as_of of the next snapshot in
# (as_of, id) order as the day it was superseded; only rows whose day changes are written.
SUPERSEDED = f"""
    UPDATE holding SET superseded_on = next.day
    FROM (SELECT id, coalesce(lead(as_of) OVER (
              PARTITION BY client_id, account ORDER BY as_of, id), {NEVER}) AS day
          FROM holding WHERE client_id IN (SELECT client_id FROM {{rows}})) AS next
    WHERE holding.id = next.id AND holding.superseded_on IS NOT next.day"""

# -- clients (0010) ----------------------------------------------------------------------------

NEW_CLIENTS = "(SELECT * FROM client WHERE id IN (SELECT id FROM {rows}))"
CLIENT_DAY_COLUMNS = ("new_clients", "lost_clients", "starts", "ends", "leads", "referred_new")
CLIENT_OWNER = "coalesce(owner, '')"
CLIENT_DAYS = f"""
    INSERT INTO client_day ("on", owner, {", ".join(CLIENT_DAY_COLUMNS)})
    SELECT day, owner, {", ".join(f"sum({column})" for column in CLIENT_DAY_COLUMNS)} FROM (
        SELECT client_since AS day, {CLIENT_OWNER} AS owner, 1 AS new_clients,
            0 AS lost_clients,
            CAST(client_until IS NULL OR client_until > client_since AS INTEGER) AS starts,
            0 AS ends, 0 AS leads, CAST(referred_by_id IS NOT NULL AS INTEGER) AS referred_new
        FROM {NEW_CLIENTS} WHERE client_since IS NOT NULL
        UNION ALL
        SELECT client_until, {CLIENT_OWNER}, 0, 1, 0,
            coalesce(CAST(client_until > client_since AS INTEGER), 0), 0, 0
        FROM {NEW_CLIENTS} WHERE client_until IS NOT NULL
        UNION ALL
        SELECT created_on, {CLIENT_OWNER}, 0, 0, 0, 0, 1, 0
        FROM {NEW_CLIENTS} WHERE created_on IS NOT NULL
            AND (client_since IS NULL OR client_since > created_on)
    ) WHERE true GROUP BY day, owner
    ON CONFLICT {DAY_KEY} DO UPDATE SET
        {", ".join(f"{column} = {column} + excluded.{column}" for column in CLIENT_DAY_COLUMNS)}"""
CLIENT_SPANS = f"""
    INSERT INTO client_span (kind, start_on, owner, end_on, clients)
    SELECT kind, start_on, owner, end_on, count(*) FROM (
        SELECT 'active' AS kind, client_since AS start_on, {CLIENT_OWNER} AS owner,
            client_until AS end_on
        FROM {NEW_CLIENTS} WHERE client_until > client_since
        UNION ALL
        SELECT 'lead', created_on, {CLIENT_OWNER}, client_since
        FROM {NEW_CLIENTS} WHERE client_since > created_on
    ) WHERE true GROUP BY kind, start_on, owner, end_on
    ON CONFLICT (kind, start_on, owner, end_on)
    DO UPDATE SET clients = clients + excluded.clients"""

# -- contacts (0010) ---------------------------------------------------------------------------

# The contact days of the clients who have new contacts, each with the client's next contact
# day, counted +1 as they are now and -1 as they were before the new rows.
CONTACT_CHANGES = f"""
    CREATE TEMPORARY TABLE rollup_contact_changes AS
    WITH touched AS (SELECT DISTINCT client_id FROM {{rows}} WHERE {CONTACT}),
    contacts AS (
        SELECT i.id, i.client_id, date(i.at) AS day FROM interaction AS i
        WHERE i.{CONTACT} AND i.client_id IN (SELECT client_id FROM touched)),
    now AS (SELECT client_id, day FROM contacts GROUP BY client_id, day),
    before AS (SELECT client_id, day FROM contacts
               WHERE id NOT IN (SELECT id FROM {{rows}}) GROUP BY client_id, day)
    SELECT client_id, day, lead(day) OVER (PARTITION BY client_id ORDER BY day) AS next,
        1 AS sign FROM now
    UNION ALL
    SELECT client_id, day, lead(day) OVER (PARTITION BY client_id ORDER BY day), -1 FROM before"""
CHANGES_BY_OWNER = "temp.rollup_contact_changes AS s JOIN client AS k ON k.id = s.client_id"
CONTACTED_DAYS = f"""
    INSERT INTO contacted_day ("on", owner, clients)
    SELECT s.day, {OWNER}, sum(s.sign) FROM {CHANGES_BY_OWNER} WHERE true GROUP BY 1, 2
    ON CONFLICT {DAY_KEY} DO UPDATE SET clients = clients + excluded.clients"""
CONTACT_SPANS = f"""
    INSERT INTO contact_span (start_on, owner, end_on, clients)
    SELECT s.day, {OWNER}, s.next, sum(s.sign) FROM {CHANGES_BY_OWNER}
    WHERE s.next IS NOT NULL GROUP BY 1, 2, 3
    ON CONFLICT (start_on, owner, end_on) DO UPDATE SET clients = clients + excluded.clients"""
# A client contacted on a day counts as covered from then (or from becoming a client) until
# the next contact, the end of the cadence or the end of the relationship.
COVERED = f"""
    SELECT s.sign, {OWNER} AS owner, max(s.day, k.client_since) AS starting,
        min(coalesce(s.next, {NEVER}), date(s.day, '+' || {cadence_sql("k.")} || ' days'),
            coalesce(k.client_until, {NEVER})) AS ending
    FROM temp.rollup_contact_changes AS s JOIN client AS k ON k.id = s.client_id
    WHERE k.client_since IS NOT NULL"""
CONTACT_ROLLUPS = (
    CONTACT_CHANGES,
    CONTACTED_DAYS,
    CONTACT_SPANS,
    add_edges("coverage_day", COVERED, "s.sign"),
    "DROP TABLE temp.rollup_contact_changes",
    "DELETE FROM contacted_day WHERE clients = 0",
    "DELETE FROM contact_span WHERE clients = 0",
    "DELETE FROM coverage_day WHERE change = 0",
)

# -- assets (0010) -----------------------------------------------------------------------------

# The snapshots of the accounts that have new ones, each with the next of its account, counted
# +1 as they are now and -1 as they were before the new rows.
SNAPSHOT_CHANGES = """
    CREATE TEMPORARY TABLE rollup_snapshot_changes AS
    WITH touched AS (SELECT DISTINCT client_id, account FROM {rows}),
    now AS (
        SELECT h.id, h.client_id, h.account, h.as_of, h.value FROM holding AS h
        JOIN touched AS t ON t.client_id = h.client_id AND t.account = h.account),
    before AS (SELECT * FROM now WHERE id NOT IN (SELECT id FROM {rows}))
    SELECT client_id, as_of, value,
        lead(as_of) OVER (PARTITION BY client_id, account ORDER BY as_of, id) AS next,
        1 AS sign FROM now
    UNION ALL
    SELECT client_id, as_of, value,
        lead(as_of) OVER (PARTITION BY client_id, account ORDER BY as_of, id), -1 FROM before"""
HELD = f"""
    SELECT s.sign * s.value AS amount, {OWNER} AS owner, max(s.as_of, k.client_since) AS starting,
        min(coalesce(s.next, {NEVER}), coalesce(k.client_until, {NEVER})) AS ending
    FROM temp.rollup_snapshot_changes AS s JOIN client AS k ON k.id = s.client_id
    WHERE k.client_since IS NOT NULL"""
ASSET_ROLLUPS = (
    SNAPSHOT_CHANGES,
    add_edges("assets_day", HELD, "s.amount"),
    "DROP TABLE temp.rollup_snapshot_changes",
    "DELETE FROM assets_day WHERE change = 0",
)

# -- surveys, deals and cases (0010) -----------------------------------------------------------

SURVEY_COLUMNS = ("surveys", "csat_total", "csat_answers", "nps_answers", "promoters", "detractors")
SURVEYS_BY_DAY = f"""
    INSERT INTO survey_day ("on", owner, {", ".join(SURVEY_COLUMNS)})
    SELECT r."on", {OWNER}, count(*), coalesce(sum(r.csat), 0), count(r.csat), count(r.nps),
        count(*) FILTER (WHERE r.nps >= 9), count(*) FILTER (WHERE r.nps <= 6)
    FROM {{rows}} AS r {OF_CLIENT} WHERE true GROUP BY 1, 2
    ON CONFLICT {DAY_KEY} DO UPDATE SET
        {", ".join(f"{column} = {column} + excluded.{column}" for column in SURVEY_COLUMNS)}"""
DEALS_BY_DAY = f"""
    INSERT INTO deal_day ("on", owner, won, lost)
    SELECT r.closed_on, {OWNER}, count(*) FILTER (WHERE r.stage = 'won'),
        count(*) FILTER (WHERE r.stage = 'lost')
    FROM {{rows}} AS r {OF_CLIENT}
    WHERE r.closed_on IS NOT NULL AND r.stage IN ('won', 'lost') GROUP BY 1, 2
    ON CONFLICT {DAY_KEY} DO UPDATE SET won = won + excluded.won, lost = lost + excluded.lost"""
CASES_BY_DAY = f"""
    INSERT INTO case_day ("on", owner, resolved, on_time)
    SELECT r.resolved_on, {OWNER}, count(*), count(*) FILTER (WHERE r.resolved_on <= r.due_on)
    FROM {{rows}} AS r {OF_CLIENT} WHERE r.resolved_on IS NOT NULL GROUP BY 1, 2
    ON CONFLICT {DAY_KEY} DO UPDATE SET resolved = resolved + excluded.resolved,
                                        on_time = on_time + excluded.on_time"""

# -- the pipeline (0018) -----------------------------------------------------------------------

# The new deals by stage, day and whether their client is archived (see migration 0018).
NO_DEAL_DAY = f"'{models.NO_DEAL_DAY}'"
DEAL_DAY_OF = f"""CASE WHEN r.stage IN ('won', 'lost') THEN coalesce(r.closed_on, {NO_DEAL_DAY})
        ELSE coalesce(r.expected_close_on, {NO_DEAL_DAY}) END"""
PIPELINE_BY_DAY = f"""
    INSERT INTO pipeline_day (stage, "on", archived, deals, value, weighted)
    SELECT r.stage, {DEAL_DAY_OF}, k.archived, count(*), sum(r.value),
        sum(r.value * {probability_percent_sql("r.")})
    FROM {{rows}} AS r {OF_CLIENT} WHERE true GROUP BY 1, 2, 3
    ON CONFLICT (stage, "on", archived) DO UPDATE SET deals = deals + excluded.deals,
        value = value + excluded.value, weighted = weighted + excluded.weighted"""

# -- every summary -----------------------------------------------------------------------------

SUMMARY_TABLES = (
    "revenue_day",
    "contact_day",
    "client_day",
    "client_span",
    "contacted_day",
    "contact_span",
    "coverage_day",
    "assets_day",
    "survey_day",
    "deal_day",
    "case_day",
)
"""The tables of the KPI summaries by day."""

SUMMARIES_OF_NEW_ROWS: dict[str, tuple[str, ...]] = {
    "client": (CLIENT_DAYS, CLIENT_SPANS),
    "interaction": (CONTACTS_BY_DAY, *CONTACT_ROLLUPS),
    "revenue": (REVENUE_BY_DAY,),
    "holding": (SUPERSEDED, *ASSET_ROLLUPS),
    "survey": (SURVEYS_BY_DAY,),
    "opportunity": (DEALS_BY_DAY,),
    "case": (CASES_BY_DAY,),
}
"""What the KPI summaries gain from new rows of each table, in the order to run it (clients
before their interactions and holdings)."""


def refill_summaries(*, connection: Connection) -> None:
    """Recompute from the rows every summary the KPI and pipeline triggers keep:
    holding.superseded_on and the roll-ups by day. For a book whose summaries were set aside
    or lost."""
    for table in (*SUMMARY_TABLES, "pipeline_day"):
        connection.exec_driver_sql(f"DELETE FROM {table}")
    for table, statements in SUMMARIES_OF_NEW_ROWS.items():
        for statement in statements:
            connection.exec_driver_sql(statement.format(rows=f'"{table}"'))
    connection.exec_driver_sql(PIPELINE_BY_DAY.format(rows="opportunity"))
