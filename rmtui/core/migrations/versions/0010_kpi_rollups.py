"""KPI roll-ups: every KPI of a period, and its trend, read from summaries by day.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00.000000

The KPIs of a period are sums over its days of these tables, or sums over every day up to its
last one, kept by the triggers below in the transaction of each change; reading them costs as
many rows as the period (or the book's history) has days, not as many as it has clients or
interactions.

- `client_day`: the clients who became clients on a day (`new_clients`), whose relationship
  ended (`lost_clients`), who became active (`starts`: client_since, when the client is active
  at all, client_until being later) or stopped being active (`ends`: client_until, after
  client_since), the leads created (`leads`: created_on, when the client was not yet one then)
  and the new clients referred by another (`referred_new`). The clients active on a day are
  the starts less the ends up to it.
- `client_span`: how many clients were active from `start_on` to `end_on` (kind `active`:
  client_since to client_until) and how many leads created on `start_on` became clients on
  `end_on` (kind `lead`). Retention and lead conversion need those whose span lies within the
  period, read day by day of the period.
- `contacted_day`: how many clients were contacted on a day; `contact_span`: how many times a
  client was contacted on `start_on` and next on `end_on`. The clients contacted in a period
  are its client-days less the spans within it (each client contacted on k days of a period
  has k - 1 spans within it).
- `coverage_day`: the change on a day of how many clients are active and were contacted less
  than their check-in cadence ago: a client contacted on d, next on n, counts from
  max(d, client_since) until min(n, d + cadence, client_until).
- `assets_day`: the change on a day of the assets of active clients, in cents: a snapshot
  counts from max(as_of, client_since) until min(the next snapshot of its account in (as_of,
  id) order, client_until).
- `survey_day`, `deal_day`, `case_day`: surveys, won and lost opportunities, resolved cases
  by day.

The contact and holding triggers work on a stretch of one client's contact days (or one
account's snapshots): from the last one before a changed day (not counting the days that
change) to that day. A BEFORE trigger takes away what the stretch adds up to, the AFTER
trigger adds it again as it has become; the stretch's first day is the same before and after,
and every day whose next one can change lies in it, so the two cancel except for what
changed. A client's delete (and a change of its dates or cadence) takes away or redoes all of
its contributions.

The SQL is written out in full so that this migration keeps doing what it did when later ones
change the schema. Nothing here rebuilds a table.
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import context, op

from rmtui.core.dialects import create_triggers, drop_triggers
from rmtui.core.translation import N_, _

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEVER = "'9999-12-31'"
CONTACT = "kind != 'note'"
# The check-in cadence of client {c} as of this revision (rules.cadence_sql).
CADENCE = (
    "coalesce({c}checkin_every_days,"
    " CASE {c}tier WHEN 'A' THEN 30 WHEN 'B' THEN 90 WHEN 'C' THEN 180 END)"
)
EDGES = "(SELECT 1 AS edge UNION ALL SELECT 0)"  # a span's first day and its end
# What coverage and assets read of a client (`k`).
CLIENT_COLUMNS = "k.client_since, k.client_until, k.checkin_every_days, k.tier"


def cadence(client: str) -> str:
    """SQL: the check-in cadence of the client whose columns are read with `client`."""
    return CADENCE.format(c=client)


# -- clients -----------------------------------------------------------------------------------

DAY_COLUMNS = ("new_clients", "lost_clients", "starts", "ends", "leads", "referred_new")
# What a client ({r}: NEW. or OLD.) adds to the days of client_day.
CLIENT_DAYS = """
    SELECT {r}client_since AS day, 1 AS new_clients, 0 AS lost_clients,
        CAST({r}client_until IS NULL OR {r}client_until > {r}client_since AS INTEGER) AS starts,
        0 AS ends, 0 AS leads, CAST({r}referred_by_id IS NOT NULL AS INTEGER) AS referred_new
    {source} WHERE {r}client_since IS NOT NULL
    UNION ALL
    SELECT {r}client_until, 0, 1, 0,
        coalesce(CAST({r}client_until > {r}client_since AS INTEGER), 0), 0, 0
    {source} WHERE {r}client_until IS NOT NULL
    UNION ALL
    SELECT {r}created_on, 0, 0, 0, 0, 1, 0
    {source} WHERE {r}created_on IS NOT NULL
        AND ({r}client_since IS NULL OR {r}client_since > {r}created_on)"""
# The spans of a client: active from client_since to client_until, a lead from created_on
# to client_since.
CLIENT_SPANS = """
    SELECT 'active' AS kind, {r}client_since AS start_on, {r}client_until AS end_on
    {source} WHERE {r}client_until > {r}client_since
    UNION ALL
    SELECT 'lead', {r}created_on, {r}client_since
    {source} WHERE {r}client_since > {r}created_on"""


def add_client_days(rows: str, sign: str = "") -> str:
    """SQL: add `rows` (day and DAY_COLUMNS) to client_day, each count times `sign`."""
    sums = ", ".join(f"{sign}sum({column})" for column in DAY_COLUMNS)
    updates = ", ".join(f"{column} = {column} + excluded.{column}" for column in DAY_COLUMNS)
    return f"""
    INSERT INTO client_day ("on", {", ".join(DAY_COLUMNS)})
    SELECT day, {sums} FROM ({rows}) WHERE day IS NOT NULL GROUP BY day
    ON CONFLICT ("on") DO UPDATE SET {updates}"""


def add_client_spans(rows: str, count: str = "1") -> str:
    """SQL: add `count` clients to every span of `rows` (kind, start_on, end_on)."""
    return f"""
    INSERT INTO client_span (kind, start_on, end_on, clients)
    SELECT kind, start_on, end_on, sum({count}) FROM ({rows}) WHERE true
    GROUP BY kind, start_on, end_on
    ON CONFLICT (kind, start_on, end_on) DO UPDATE SET clients = clients + excluded.clients"""


def client_row(row: str, sign: str) -> list[str]:
    """SQL: add (`sign` "") or take away (`sign` "-") client `row` (NEW or OLD) in client_day
    and client_span."""
    return [
        add_client_days(CLIENT_DAYS.format(r=f"{row}.", source=""), sign),
        add_client_spans(CLIENT_SPANS.format(r=f"{row}.", source=""), f"{sign}1"),
    ]


CLIENT_DAYS_LEFT_EMPTY = f"""
    DELETE FROM client_day WHERE "on" IN (OLD.client_since, OLD.client_until, OLD.created_on)
        AND {" AND ".join(f"{column} = 0" for column in DAY_COLUMNS)}"""
CLIENT_SPANS_LEFT_EMPTY = """
    DELETE FROM client_span WHERE clients = 0
        AND (kind = 'active' AND start_on = OLD.client_since AND end_on = OLD.client_until
          OR kind = 'lead' AND start_on = OLD.created_on AND end_on = OLD.client_since)"""

# -- contacts ----------------------------------------------------------------------------------


def last_contact_before(client: str, day: str, changed: Sequence[str]) -> str:
    """SQL: the day of the client's latest contact before `day`, not counting the `changed`
    days (NULL when none): the same before and after the change."""
    others = "".join(f" AND date(at) IS NOT {other}" for other in changed if other != day)
    return (
        f"(SELECT date(at) FROM interaction WHERE client_id = {client} AND {CONTACT}"
        f" AND at < {day}{others} ORDER BY at DESC LIMIT 1)"
    )


def stretches(client: str, changed: Sequence[str]) -> list[tuple[str, str]]:
    """SQL: the first and last day of each stretch of `client`'s contact days a change on the
    `changed` days touches: from the last contact day before a changed day (or that day) to
    it. Every contact day whose next contact day can change lies in one."""
    return [
        (f"coalesce({last_contact_before(client, day, changed)}, {day})", day) for day in changed
    ]


def next_contacts(client: str, days: str) -> str:
    """SQL: each day of `days` (`day`), with `client`'s next contact day after it (`next`,
    NULL for the last)."""
    return f"""
        SELECT d.day AS day, (
            SELECT date(min(n.at)) FROM interaction AS n
            WHERE n.client_id = {client} AND n.{CONTACT} AND n.at >= date(d.day, '+1 day')
        ) AS next
        FROM ({days}) AS d"""


def contact_days(client: str) -> str:
    """SQL: every contact day of `client`, with the next one."""
    days = (
        f"SELECT DISTINCT date(at) AS day FROM interaction WHERE client_id = {client} AND {CONTACT}"
    )
    return next_contacts(client, days)


def stretch_days(client: str, changed: Sequence[str], guard: str) -> str:
    """SQL: the contact days of `client` in the stretches around the `changed` days (each once),
    with the next one."""
    days = " UNION ".join(
        f"SELECT DISTINCT date(at) AS day FROM interaction WHERE client_id = {client} AND {CONTACT}"
        f" AND at >= {first} AND at < date({last}, '+1 day') AND {guard}"
        for first, last in stretches(client, changed)
    )
    return next_contacts(client, days)


def covered(days: str, since: str, until: str, every: str) -> str:
    """SQL: for each contact day of `days`, when the client counts as contacted within their
    cadence (`every`) and active (client_since `since`, client_until `until`): from
    `starting` until `ending`, when that is not empty."""
    return f"""
        SELECT max(c.day, {since}) AS starting,
            min(coalesce(c.next, {NEVER}), date(c.day, '+' || ({every}) || ' days'),
                coalesce({until}, {NEVER})) AS ending
        FROM ({days}) AS c WHERE {since} IS NOT NULL"""


def add_edges(table: str, spans: str, amount: str, sign: str) -> str:
    """SQL: add `amount` (times `sign`) to `table`'s change on the first day of each span of
    `spans` (starting, ending), and take it away on its end (unless it never ends)."""
    return f"""
    INSERT INTO {table} ("on", change)
    SELECT CASE WHEN e.edge = 1 THEN s.starting ELSE s.ending END,
        sum(CASE WHEN e.edge = 1 THEN {sign}({amount}) ELSE -({sign}({amount})) END)
    FROM ({spans}) AS s, {EDGES} AS e
    WHERE s.starting < s.ending AND (e.edge = 1 OR s.ending < {NEVER})
    GROUP BY 1
    ON CONFLICT ("on") DO UPDATE SET change = change + excluded.change"""


def contacts_of(days: str, sign: str, coverage: str) -> list[str]:
    """SQL: add (or take away, `sign` "-") the contact days `days` of one client in
    contacted_day and contact_span, and their cover (`coverage`, spans) in coverage_day."""
    return [
        f"""
    INSERT INTO contacted_day ("on", clients) SELECT day, {sign}1 FROM ({days}) WHERE true
    ON CONFLICT ("on") DO UPDATE SET clients = clients + excluded.clients""",
        f"""
    INSERT INTO contact_span (start_on, end_on, clients)
    SELECT day, next, {sign}1 FROM ({days}) WHERE next IS NOT NULL
    ON CONFLICT (start_on, end_on) DO UPDATE SET clients = clients + excluded.clients""",
        add_edges("coverage_day", coverage, "1", sign),
    ]


def contact_stretch(
    client: str, changed: Sequence[str], sign: str, guard: str = "TRUE"
) -> list[str]:
    """SQL: add or take away the stretches of `client`'s contact days around the `changed`
    days, with the client's dates and cadence as the client table has them."""
    days = stretch_days(client, changed, guard)
    with_client = f"SELECT d.day, d.next, {CLIENT_COLUMNS} FROM ({days}) AS d, client AS k"
    cover = covered(
        f"{with_client} WHERE k.id = {client}", "c.client_since", "c.client_until", cadence("c.")
    )
    return contacts_of(days, sign, cover)


def contact_stretch_left_empty(
    client: str, changed: Sequence[str], guard: str = "TRUE"
) -> list[str]:
    """SQL: remove the rows the stretches may have left at 0 (a span's cover ends at most a
    cadence after its day)."""
    every = f"(SELECT {cadence('k.')} FROM client AS k WHERE k.id = {client})"
    bounds = stretches(client, changed)

    def within(column: str, *, cover: bool = False) -> str:
        ends = [f"date({last}, '+' || {every} || ' days')" if cover else last for _, last in bounds]
        return " OR ".join(
            f"{column} >= {first} AND {column} <= {end}"
            for (first, _), end in zip(bounds, ends, strict=True)
        )

    return [
        f"""DELETE FROM contacted_day WHERE ({within('"on"')}) AND clients = 0 AND {guard}""",
        f"""DELETE FROM contact_span WHERE ({within("start_on")}) AND clients = 0 AND {guard}""",
        f"""DELETE FROM coverage_day
    WHERE ({within('"on"', cover=True)}) AND change = 0 AND {guard}""",
    ]


# An interaction moved within its client changes its old day and its new one; moved to
# another client, its old day for the one and its new day for the other.
OLD_DAY = "date(OLD.at)"
NEW_DAY = "CASE WHEN NEW.client_id = OLD.client_id THEN date(NEW.at) ELSE date(OLD.at) END"
OTHER_CLIENT = "NEW.client_id IS NOT OLD.client_id"


def moved_contact(sign: str) -> list[str]:
    """SQL: add or take away the stretches an updated interaction touches."""
    return [
        *contact_stretch("OLD.client_id", [OLD_DAY, NEW_DAY], sign),
        *contact_stretch("NEW.client_id", ["date(NEW.at)"], sign, OTHER_CLIENT),
    ]


def moved_contact_left_empty() -> list[str]:
    return [
        *contact_stretch_left_empty("OLD.client_id", [OLD_DAY, NEW_DAY]),
        *contact_stretch_left_empty("NEW.client_id", ["date(NEW.at)"], OTHER_CLIENT),
    ]


def one_contact(row: str, sign: str) -> list[str]:
    return contact_stretch(f"{row}.client_id", [f"date({row}.at)"], sign)


def one_contact_left_empty(row: str) -> list[str]:
    return contact_stretch_left_empty(f"{row}.client_id", [f"date({row}.at)"])


# -- holdings ----------------------------------------------------------------------------------

# The as_of of the snapshot after h in (as_of, id) order, of the same client and account.
NEXT_SNAPSHOT = """(
    SELECT min(l.as_of) FROM holding AS l
    WHERE l.client_id = h.client_id AND l.account = h.account
      AND l.as_of >= h.as_of AND (l.as_of > h.as_of OR l.id > h.id))"""


def snapshots(where: str) -> str:
    """SQL: each snapshot (`h`) meeting `where`, with its as_of, value and the next one's."""
    return f"SELECT h.as_of, h.value, {NEXT_SNAPSHOT} AS next FROM holding AS h WHERE {where}"


def held(rows: str, since: str, until: str) -> str:
    """SQL: for each snapshot of `rows`, when it counts in the assets of an active client
    (client_since `since`, client_until `until`): from `starting` until `ending`."""
    return f"""
        SELECT max(s.as_of, {since}) AS starting,
            min(coalesce(s.next, {NEVER}), coalesce({until}, {NEVER})) AS ending, s.value
        FROM ({rows}) AS s WHERE {since} IS NOT NULL"""


def snapshot_before(client: str, account: str, day: str) -> str:
    return (
        f"(SELECT max(as_of) FROM holding"
        f" WHERE client_id = {client} AND account = {account} AND as_of < {day})"
    )


def snapshot_after(client: str, account: str, day: str) -> str:
    return (
        f"(SELECT min(as_of) FROM holding"
        f" WHERE client_id = {client} AND account = {account} AND as_of > {day})"
    )


def account_stretch(
    client: str, account: str, first: str, last: str, sign: str, guard: str = "TRUE"
) -> str:
    """SQL: add or take away what the snapshots of an account from the last one before
    `first` to `last` add to the assets."""
    start = f"coalesce({snapshot_before(client, account, first)}, {first})"
    where = (
        f"h.client_id = {client} AND h.account = {account}"
        f" AND h.as_of >= {start} AND h.as_of <= {last} AND {guard}"
    )
    rows = (
        f"SELECT s.as_of, s.value, s.next, {CLIENT_COLUMNS}"
        f" FROM ({snapshots(where)}) AS s, client AS k WHERE k.id = {client}"
    )
    return add_edges("assets_day", held(rows, "s.client_since", "s.client_until"), "value", sign)


def account_stretch_left_empty(
    client: str, account: str, first: str, last: str, guard: str = "TRUE"
) -> str:
    start = f"coalesce({snapshot_before(client, account, first)}, {first})"
    end = f"coalesce({snapshot_after(client, account, last)}, {NEVER})"
    return f"""DELETE FROM assets_day
    WHERE "on" >= {start} AND "on" <= {end} AND change = 0 AND {guard}"""


SAME_ACCOUNT = "NEW.client_id = OLD.client_id AND NEW.account = OLD.account"
OTHER_ACCOUNT = "NOT (NEW.client_id IS OLD.client_id AND NEW.account IS OLD.account)"
SHIFTED_FIRST = f"CASE WHEN {SAME_ACCOUNT} THEN min(OLD.as_of, NEW.as_of) ELSE OLD.as_of END"
SHIFTED_LAST = f"CASE WHEN {SAME_ACCOUNT} THEN max(OLD.as_of, NEW.as_of) ELSE OLD.as_of END"


def moved_snapshot(sign: str) -> list[str]:
    return [
        account_stretch("OLD.client_id", "OLD.account", SHIFTED_FIRST, SHIFTED_LAST, sign),
        account_stretch(
            "NEW.client_id", "NEW.account", "NEW.as_of", "NEW.as_of", sign, OTHER_ACCOUNT
        ),
    ]


def moved_snapshot_left_empty() -> list[str]:
    return [
        account_stretch_left_empty("OLD.client_id", "OLD.account", SHIFTED_FIRST, SHIFTED_LAST),
        account_stretch_left_empty(
            "NEW.client_id", "NEW.account", "NEW.as_of", "NEW.as_of", OTHER_ACCOUNT
        ),
    ]


def one_snapshot(row: str, sign: str) -> list[str]:
    client, account, day = f"{row}.client_id", f"{row}.account", f"{row}.as_of"
    return [account_stretch(client, account, day, day, sign)]


def one_snapshot_left_empty(row: str) -> list[str]:
    client, account, day = f"{row}.client_id", f"{row}.account", f"{row}.as_of"
    return [account_stretch_left_empty(client, account, day, day)]


# -- a client's whole history ------------------------------------------------------------------


def client_history(row: str, sign: str) -> list[str]:
    """SQL: add or take away all that client `row`'s contacts and snapshots add to coverage
    and assets, with the row's dates and cadence."""
    days = contact_days(f"{row}.id")
    cover = covered(days, f"{row}.client_since", f"{row}.client_until", cadence(f"{row}."))
    rows = snapshots(f"h.client_id = {row}.id")
    assets = held(rows, f"{row}.client_since", f"{row}.client_until")
    return [
        add_edges("coverage_day", cover, "1", sign),
        add_edges("assets_day", assets, "value", sign),
    ]


def client_history_left_empty(rows: Sequence[str]) -> list[str]:
    """SQL: remove the rows of coverage_day and assets_day a change of the client (`rows`, the
    client's NEW and OLD) may have left at 0."""
    row = rows[0]
    contacts = f"FROM interaction WHERE client_id = {row}.id AND {CONTACT}"
    longest = " + ".join(f"max({cadence(f'{r}.')}, 0)" for r in rows)
    return [
        f"""DELETE FROM coverage_day WHERE "on" >= (SELECT date(min(at)) {contacts})
    AND "on" <= date((SELECT date(max(at)) {contacts}), '+' || ({longest}) || ' days')
    AND change = 0""",
        f"""DELETE FROM assets_day
    WHERE "on" >= (SELECT min(as_of) FROM holding WHERE client_id = {row}.id) AND change = 0""",
    ]


# -- surveys, deals and cases ------------------------------------------------------------------

SURVEY_COLUMNS = ("surveys", "csat_total", "csat_answers", "nps_answers", "promoters", "detractors")


def survey_row(row: str, sign: str) -> str:
    values = (
        "1",
        f"coalesce({row}.csat, 0)",
        f"CAST({row}.csat IS NOT NULL AS INTEGER)",
        f"CAST({row}.nps IS NOT NULL AS INTEGER)",
        f"coalesce(CAST({row}.nps >= 9 AS INTEGER), 0)",
        f"coalesce(CAST({row}.nps <= 6 AS INTEGER), 0)",
    )
    updates = ", ".join(f"{column} = {column} + excluded.{column}" for column in SURVEY_COLUMNS)
    return f"""
    INSERT INTO survey_day ("on", {", ".join(SURVEY_COLUMNS)})
    VALUES ({row}."on", {", ".join(f"{sign}({value})" for value in values)})
    ON CONFLICT ("on") DO UPDATE SET {updates}"""


def deal_row(row: str, sign: str) -> str:
    return f"""
    INSERT INTO deal_day ("on", won, lost)
    SELECT {row}.closed_on, {sign}CAST({row}.stage = 'won' AS INTEGER),
        {sign}CAST({row}.stage = 'lost' AS INTEGER)
    WHERE {row}.closed_on IS NOT NULL AND {row}.stage IN ('won', 'lost')
    ON CONFLICT ("on") DO UPDATE SET won = won + excluded.won, lost = lost + excluded.lost"""


def case_row(row: str, sign: str) -> str:
    return f"""
    INSERT INTO case_day ("on", resolved, on_time)
    SELECT {row}.resolved_on, {sign}1,
        {sign}coalesce(CAST({row}.resolved_on <= {row}.due_on AS INTEGER), 0)
    WHERE {row}.resolved_on IS NOT NULL
    ON CONFLICT ("on") DO UPDATE SET resolved = resolved + excluded.resolved,
                                     on_time = on_time + excluded.on_time"""


SURVEY_LEFT_EMPTY = 'DELETE FROM survey_day WHERE "on" = OLD."on" AND surveys = 0'
DEAL_LEFT_EMPTY = 'DELETE FROM deal_day WHERE "on" = OLD.closed_on AND won = 0 AND lost = 0'
CASE_LEFT_EMPTY = 'DELETE FROM case_day WHERE "on" = OLD.resolved_on AND resolved = 0'

# -- the triggers ------------------------------------------------------------------------------

CLIENT_DATES = ("client_since", "client_until", "created_on", "referred_by_id")
CLIENT_COVER = ("client_since", "client_until", "tier", "checkin_every_days")


def changed(columns: Sequence[str]) -> str:
    return " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in columns)


def body(statements: Sequence[str]) -> str:
    return "".join(f"{statement};\n" for statement in statements)


TRIGGERS: dict[str, str] = {
    "client_rollups_added": f"""
        AFTER INSERT ON client BEGIN
            {body(client_row("NEW", ""))}
        END""",
    "client_rollups_changed": f"""
        AFTER UPDATE OF {", ".join(CLIENT_DATES)} ON client WHEN {changed(CLIENT_DATES)} BEGIN
            {body(client_row("OLD", "-"))}
            {body(client_row("NEW", ""))}
            {body([CLIENT_DAYS_LEFT_EMPTY, CLIENT_SPANS_LEFT_EMPTY])}
        END""",
    "client_rollups_removed": f"""
        AFTER DELETE ON client BEGIN
            {body(client_row("OLD", "-"))}
            {body([CLIENT_DAYS_LEFT_EMPTY, CLIENT_SPANS_LEFT_EMPTY])}
        END""",
    "client_history_changed": f"""
        AFTER UPDATE OF {", ".join(CLIENT_COVER)} ON client
        WHEN OLD.client_since IS NOT NEW.client_since OR OLD.client_until IS NOT NEW.client_until
          OR {cadence("OLD.")} IS NOT {cadence("NEW.")} BEGIN
            {body(client_history("OLD", "-"))}
            {body(client_history("NEW", ""))}
            {body(client_history_left_empty(["NEW", "OLD"]))}
        END""",
    # Before the row goes: its interactions and holdings, deleted with it afterwards, find no
    # client then and add nothing to coverage and assets.
    "client_history_removed": f"""
        BEFORE DELETE ON client BEGIN
            {body(client_history("OLD", "-"))}
            {body(client_history_left_empty(["OLD"]))}
        END""",
    "contact_rollups_adding": f"""
        BEFORE INSERT ON interaction WHEN NEW.{CONTACT} BEGIN
            {body(one_contact("NEW", "-"))}
        END""",
    "contact_rollups_added": f"""
        AFTER INSERT ON interaction WHEN NEW.{CONTACT} BEGIN
            {body(one_contact("NEW", ""))}
            {body(one_contact_left_empty("NEW"))}
        END""",
    "contact_rollups_changing": f"""
        BEFORE UPDATE OF client_id, at, kind ON interaction
        WHEN OLD.{CONTACT} OR NEW.{CONTACT} BEGIN
            {body(moved_contact("-"))}
        END""",
    "contact_rollups_changed": f"""
        AFTER UPDATE OF client_id, at, kind ON interaction
        WHEN OLD.{CONTACT} OR NEW.{CONTACT} BEGIN
            {body(moved_contact(""))}
            {body(moved_contact_left_empty())}
        END""",
    "contact_rollups_removing": f"""
        BEFORE DELETE ON interaction WHEN OLD.{CONTACT} BEGIN
            {body(one_contact("OLD", "-"))}
        END""",
    "contact_rollups_removed": f"""
        AFTER DELETE ON interaction WHEN OLD.{CONTACT} BEGIN
            {body(one_contact("OLD", ""))}
            {body(one_contact_left_empty("OLD"))}
        END""",
    "assets_adding": f"""
        BEFORE INSERT ON holding BEGIN
            {body(one_snapshot("NEW", "-"))}
        END""",
    "assets_added": f"""
        AFTER INSERT ON holding BEGIN
            {body(one_snapshot("NEW", ""))}
            {body(one_snapshot_left_empty("NEW"))}
        END""",
    "assets_changing": f"""
        BEFORE UPDATE OF client_id, account, as_of, value ON holding BEGIN
            {body(moved_snapshot("-"))}
        END""",
    "assets_changed": f"""
        AFTER UPDATE OF client_id, account, as_of, value ON holding BEGIN
            {body(moved_snapshot(""))}
            {body(moved_snapshot_left_empty())}
        END""",
    "assets_removing": f"""
        BEFORE DELETE ON holding BEGIN
            {body(one_snapshot("OLD", "-"))}
        END""",
    "assets_removed": f"""
        AFTER DELETE ON holding BEGIN
            {body(one_snapshot("OLD", ""))}
            {body(one_snapshot_left_empty("OLD"))}
        END""",
    "survey_day_added": f"""
        AFTER INSERT ON survey BEGIN
            {body([survey_row("NEW", "")])}
        END""",
    "survey_day_changed": f"""
        AFTER UPDATE OF "on", csat, nps ON survey BEGIN
            {body([survey_row("OLD", "-"), survey_row("NEW", ""), SURVEY_LEFT_EMPTY])}
        END""",
    "survey_day_removed": f"""
        AFTER DELETE ON survey BEGIN
            {body([survey_row("OLD", "-"), SURVEY_LEFT_EMPTY])}
        END""",
    "deal_day_added": f"""
        AFTER INSERT ON opportunity BEGIN
            {body([deal_row("NEW", "")])}
        END""",
    "deal_day_changed": f"""
        AFTER UPDATE OF stage, closed_on ON opportunity BEGIN
            {body([deal_row("OLD", "-"), deal_row("NEW", ""), DEAL_LEFT_EMPTY])}
        END""",
    "deal_day_removed": f"""
        AFTER DELETE ON opportunity BEGIN
            {body([deal_row("OLD", "-"), DEAL_LEFT_EMPTY])}
        END""",
    "case_day_added": f"""
        AFTER INSERT ON "case" BEGIN
            {body([case_row("NEW", "")])}
        END""",
    "case_day_changed": f"""
        AFTER UPDATE OF resolved_on, due_on ON "case" BEGIN
            {body([case_row("OLD", "-"), case_row("NEW", ""), CASE_LEFT_EMPTY])}
        END""",
    "case_day_removed": f"""
        AFTER DELETE ON "case" BEGIN
            {body([case_row("OLD", "-"), CASE_LEFT_EMPTY])}
        END""",
}

# -- filling the roll-ups of a book ------------------------------------------------------------

# Every client's contact days with the next one, and every snapshot with the next of its
# account, read once each into temporary tables.
CONTACT_SPANS = """
    CREATE TEMPORARY TABLE rollup_contact_spans AS
    SELECT client_id, day, lead(day) OVER (PARTITION BY client_id ORDER BY day) AS next
    FROM (SELECT client_id, date(at) AS day FROM interaction WHERE kind != 'note'
          GROUP BY client_id, date(at))"""
SNAPSHOT_SPANS = """
    CREATE TEMPORARY TABLE rollup_snapshots AS
    SELECT client_id, as_of, value,
        lead(as_of) OVER (PARTITION BY client_id, account ORDER BY as_of, id) AS next
    FROM holding"""
FILL_STEPS: tuple[tuple[str, str], ...] = (
    (N_("clients"), add_client_days(CLIENT_DAYS.format(r="", source="FROM client"))),
    (N_("clients"), add_client_spans(CLIENT_SPANS.format(r="", source="FROM client"))),
    (N_("contacts"), CONTACT_SPANS),
    (
        N_("contacts"),
        """INSERT INTO contacted_day ("on", clients)
           SELECT day, count(*) FROM temp.rollup_contact_spans GROUP BY day ORDER BY day""",
    ),
    (
        N_("contacts"),
        """INSERT INTO contact_span (start_on, end_on, clients)
           SELECT day, next, count(*) FROM temp.rollup_contact_spans WHERE next IS NOT NULL
           GROUP BY day, next ORDER BY day, next""",
    ),
    (
        N_("check-ins"),
        add_edges(
            "coverage_day",
            covered(
                f"SELECT day, next, {CLIENT_COLUMNS} FROM temp.rollup_contact_spans AS s"
                " JOIN client AS k ON k.id = s.client_id",
                "c.client_since",
                "c.client_until",
                cadence("c."),
            ),
            "1",
            "",
        ),
    ),
    (N_("check-ins"), "DELETE FROM coverage_day WHERE change = 0"),
    (N_("check-ins"), "DROP TABLE temp.rollup_contact_spans"),
    (N_("assets"), SNAPSHOT_SPANS),
    (
        N_("assets"),
        add_edges(
            "assets_day",
            held(
                f"SELECT as_of, value, next, {CLIENT_COLUMNS}"
                " FROM temp.rollup_snapshots AS h JOIN client AS k ON k.id = h.client_id",
                "s.client_since",
                "s.client_until",
            ),
            "value",
            "",
        ),
    ),
    (N_("assets"), "DELETE FROM assets_day WHERE change = 0"),
    (N_("assets"), "DROP TABLE temp.rollup_snapshots"),
    (
        N_("surveys"),
        f"""INSERT INTO survey_day ("on", {", ".join(SURVEY_COLUMNS)})
           SELECT "on", count(*), coalesce(sum(csat), 0), count(csat), count(nps),
               count(*) FILTER (WHERE nps >= 9), count(*) FILTER (WHERE nps <= 6)
           FROM survey GROUP BY "on" ORDER BY "on" """,
    ),
    (
        N_("deals"),
        """INSERT INTO deal_day ("on", won, lost)
           SELECT closed_on, count(*) FILTER (WHERE stage = 'won'),
               count(*) FILTER (WHERE stage = 'lost')
           FROM opportunity WHERE closed_on IS NOT NULL AND stage IN ('won', 'lost')
           GROUP BY closed_on ORDER BY closed_on""",
    ),
    (
        N_("cases"),
        """INSERT INTO case_day ("on", resolved, on_time)
           SELECT resolved_on, count(*), count(*) FILTER (WHERE resolved_on <= due_on)
           FROM "case" WHERE resolved_on IS NOT NULL GROUP BY resolved_on ORDER BY resolved_on""",
    ),
)
FILL = tuple(statement for _step, statement in FILL_STEPS)


# -- the tables --------------------------------------------------------------------------------


def day_table(name: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        sa.Column("on", sa.Date(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("on", name=op.f(f"pk_{name}")),
        sqlite_with_rowid=False,
    )


def counts(*names: str) -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def create_tables() -> None:
    day_table("client_day", *counts(*DAY_COLUMNS))
    op.create_table(
        "client_span",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "start_on", "end_on", name=op.f("pk_client_span")),
        sqlite_with_rowid=False,
    )
    day_table("contacted_day", *counts("clients"))
    op.create_table(
        "contact_span",
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("start_on", "end_on", name=op.f("pk_contact_span")),
        sqlite_with_rowid=False,
    )
    day_table("coverage_day", *counts("change"))
    # Cents: SQLite's INTEGER holds 64 bits, a server's needs BIGINT for as much.
    cents = sa.Integer().with_variant(sa.BigInteger(), "postgresql")
    day_table("assets_day", sa.Column("change", cents, nullable=False))
    day_table("survey_day", *counts(*SURVEY_COLUMNS))
    day_table("deal_day", *counts("won", "lost"))
    day_table("case_day", *counts("resolved", "on_time"))


TABLES = (
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


def progress() -> Callable[..., None]:
    """Where the upgrade tells its progress (rmtui.core.db hands it over), else nowhere."""
    told = context.config.attributes.get("progress")
    return told if told is not None else (lambda *_args: None)


def upgrade() -> None:
    create_tables()
    tell = progress()
    for done, (step, statement) in enumerate(FILL_STEPS):
        part = _(step)
        tell(_("summing up the book for its KPIs: {part}").format(part=part), done, len(FILL_STEPS))
        op.execute(statement)
    tell(_("summing up the book for its KPIs"), len(FILL_STEPS), len(FILL_STEPS))
    create_triggers(op, TRIGGERS)


def downgrade() -> None:
    drop_triggers(op, list(TRIGGERS))
    for table in reversed(TABLES):
        op.drop_table(table)
