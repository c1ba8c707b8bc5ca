"""KPI roll-ups by owner: the KPIs of "my clients" read from the roll-ups as those of the book.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 16:00:00.000000

Every roll-up by day of migrations 0002 and 0010 gets an `owner` in its key: the owner of the
client a row adds up ('' for a client without one, who is everyone's). The KPIs of the whole
book sum over owners; those of one user's clients read the rows of that user and ''. Both
cost as many rows as the period has days (times the owners), not clients or interactions.

The triggers of 0002 and 0010 that keep them are made again, the same, but for adding to the
row of the client's owner (looked up in `client`); a change of a record's client now counts as
a change of the roll-ups of revenue, contacts, surveys, deals and cases too. Two things are
new, both done for one client by its triggers over its records at once:

- a change of a client's owner takes all that the client adds up out of the old owner's rows
  and adds it to the new owner's;
- a client's deletion takes all it adds up out before the row goes (0010 did so for coverage
  and assets): the client's records, deleted with it afterwards, find no client then, and
  their own triggers add nothing.

The tables are made again (a key cannot change in place); their rows are summed afresh from
the book's, or, where no client has an owner, copied with owner ''.

`ix_client_owner` of 0015 gives way to `ix_client_owner_archived`, on the owner and whether
the client is archived, so that the client list counts "my clients" (not archived, the user's
or everyone's) in the index alone rather than reading every client.

The SQL is written out in full, but for what 0010 wrote that does not change (imported from
it), so that this migration keeps doing what it did when later ones change the schema.
"""

from collections.abc import Callable, Sequence
from importlib import import_module

import sqlalchemy as sa
from alembic import context, op

from rmtui.core.dialects import create_triggers, drop_triggers
from rmtui.core.money_column import Money

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PACKAGE = "rmtui.core.migrations.versions"
FIRST = import_module(f"{_PACKAGE}.0002_kpi_and_agenda_indexes")
THEN = import_module(f"{_PACKAGE}.0010_kpi_rollups")

NEVER, CONTACT, EDGES = THEN.NEVER, THEN.CONTACT, THEN.EDGES
CLIENT_COLUMNS, DAY_COLUMNS, SURVEY_COLUMNS = (
    THEN.CLIENT_COLUMNS,
    THEN.DAY_COLUMNS,
    THEN.SURVEY_COLUMNS,
)
cadence, body, changed = THEN.cadence, THEN.body, THEN.changed


def owner(row: str) -> str:
    """SQL: the owner of client `row` (a prefix: "NEW.", "k.", ""), '' for everyone's."""
    return f"coalesce({row}owner, '')"


def upsert(key: Sequence[str], columns: Sequence[str]) -> str:
    """SQL: the end of an INSERT adding `columns` to the row of `key` it meets."""
    added = ", ".join(f"{column} = {column} + excluded.{column}" for column in columns)
    return f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {added}"


DAY_KEY = ('"on"', "owner")

# -- clients -----------------------------------------------------------------------------------

# What a client ({r}: NEW., OLD. or nothing) adds to the days of client_day (0010), by owner.
CLIENT_DAYS = """
    SELECT {r}client_since AS day, coalesce({r}owner, '') AS owner, 1 AS new_clients,
        0 AS lost_clients,
        CAST({r}client_until IS NULL OR {r}client_until > {r}client_since AS INTEGER) AS starts,
        0 AS ends, 0 AS leads, CAST({r}referred_by_id IS NOT NULL AS INTEGER) AS referred_new
    {source} WHERE {r}client_since IS NOT NULL
    UNION ALL
    SELECT {r}client_until, coalesce({r}owner, ''), 0, 1, 0,
        coalesce(CAST({r}client_until > {r}client_since AS INTEGER), 0), 0, 0
    {source} WHERE {r}client_until IS NOT NULL
    UNION ALL
    SELECT {r}created_on, coalesce({r}owner, ''), 0, 0, 0, 0, 1, 0
    {source} WHERE {r}created_on IS NOT NULL
        AND ({r}client_since IS NULL OR {r}client_since > {r}created_on)"""
CLIENT_SPANS = """
    SELECT 'active' AS kind, {r}client_since AS start_on, coalesce({r}owner, '') AS owner,
        {r}client_until AS end_on
    {source} WHERE {r}client_until > {r}client_since
    UNION ALL
    SELECT 'lead', {r}created_on, coalesce({r}owner, ''), {r}client_since
    {source} WHERE {r}client_since > {r}created_on"""


def add_client_days(rows: str, sign: str = "") -> str:
    """SQL: add `rows` (day, owner and DAY_COLUMNS) to client_day, each count times `sign`."""
    sums = ", ".join(f"{sign}sum({column})" for column in DAY_COLUMNS)
    return f"""
    INSERT INTO client_day ("on", owner, {", ".join(DAY_COLUMNS)})
    SELECT day, owner, {sums} FROM ({rows}) WHERE day IS NOT NULL GROUP BY day, owner
    {upsert(DAY_KEY, DAY_COLUMNS)}"""


def add_client_spans(rows: str, count: str = "1") -> str:
    """SQL: add `count` clients to every span of `rows` (kind, start_on, owner, end_on)."""
    return f"""
    INSERT INTO client_span (kind, start_on, owner, end_on, clients)
    SELECT kind, start_on, owner, end_on, sum({count}) FROM ({rows}) WHERE true
    GROUP BY kind, start_on, owner, end_on
    {upsert(("kind", "start_on", "owner", "end_on"), ("clients",))}"""


def client_row(row: str, sign: str) -> list[str]:
    """SQL: add (`sign` "") or take away (`sign` "-") client `row` (NEW or OLD) in client_day
    and client_span, in the rows of its owner."""
    return [
        add_client_days(CLIENT_DAYS.format(r=f"{row}.", source=""), sign),
        add_client_spans(CLIENT_SPANS.format(r=f"{row}.", source=""), f"{sign}1"),
    ]


# -- spans of days (coverage and assets) -------------------------------------------------------


def add_edges(table: str, spans: str, amount: str, sign: str) -> str:
    """SQL: add `amount` (times `sign`) to `table`'s change for the span's owner on the first
    day of each span of `spans` (owner, starting, ending), and take it away on its end."""
    return f"""
    INSERT INTO {table} ("on", owner, change)
    SELECT CASE WHEN e.edge = 1 THEN s.starting ELSE s.ending END, s.owner,
        sum(CASE WHEN e.edge = 1 THEN {sign}({amount}) ELSE -({sign}({amount})) END)
    FROM ({spans}) AS s, {EDGES} AS e
    WHERE s.starting < s.ending AND (e.edge = 1 OR s.ending < {NEVER})
    GROUP BY 1, 2
    {upsert(DAY_KEY, ("change",))}"""


def covered(days: str, since: str, until: str, every: str, whose: str) -> str:
    """SQL: 0010's covered, with the owner (`whose`) of each span."""
    return f"""
        SELECT {whose} AS owner, max(c.day, {since}) AS starting,
            min(coalesce(c.next, {NEVER}), date(c.day, '+' || ({every}) || ' days'),
                coalesce({until}, {NEVER})) AS ending
        FROM ({days}) AS c WHERE {since} IS NOT NULL"""


def held(rows: str, since: str, until: str, whose: str) -> str:
    """SQL: 0010's held, with the owner (`whose`) of each span."""
    return f"""
        SELECT {whose} AS owner, max(s.as_of, {since}) AS starting,
            min(coalesce(s.next, {NEVER}), coalesce({until}, {NEVER})) AS ending, s.value
        FROM ({rows}) AS s WHERE {since} IS NOT NULL"""


# -- contacts ----------------------------------------------------------------------------------


def contacts_of(days: str, client: str, sign: str, coverage: str) -> list[str]:
    """SQL: add (or take away, `sign` "-") the contact days `days` of `client` in
    contacted_day and contact_span, and their cover (`coverage`) in coverage_day, in the rows
    of the client's owner (nothing when there is no such client)."""
    of_client = f"FROM ({days}) AS d, client AS k WHERE k.id = {client}"
    return [
        f"""
    INSERT INTO contacted_day ("on", owner, clients) SELECT d.day, {owner("k.")}, {sign}1
    {of_client}
    {upsert(DAY_KEY, ("clients",))}""",
        f"""
    INSERT INTO contact_span (start_on, owner, end_on, clients)
    SELECT d.day, {owner("k.")}, d.next, {sign}1 {of_client} AND d.next IS NOT NULL
    {upsert(("start_on", "owner", "end_on"), ("clients",))}""",
        add_edges("coverage_day", coverage, "1", sign),
    ]


def contact_stretch(
    client: str, changed_days: Sequence[str], sign: str, guard: str = "TRUE"
) -> list[str]:
    """SQL: 0010's contact_stretch, in the rows of the client's owner."""
    days = THEN.stretch_days(client, changed_days, guard)
    with_client = f"SELECT d.day, d.next, {CLIENT_COLUMNS}, k.owner FROM ({days}) AS d, client AS k"
    cover = covered(
        f"{with_client} WHERE k.id = {client}",
        "c.client_since",
        "c.client_until",
        cadence("c."),
        owner("c."),
    )
    return contacts_of(days, client, sign, cover)


def moved_contact(sign: str) -> list[str]:
    return [
        *contact_stretch("OLD.client_id", [THEN.OLD_DAY, THEN.NEW_DAY], sign),
        *contact_stretch("NEW.client_id", ["date(NEW.at)"], sign, THEN.OTHER_CLIENT),
    ]


def one_contact(row: str, sign: str) -> list[str]:
    return contact_stretch(f"{row}.client_id", [f"date({row}.at)"], sign)


# -- holdings ----------------------------------------------------------------------------------


def account_stretch(
    client: str, account: str, first: str, last: str, sign: str, guard: str = "TRUE"
) -> str:
    """SQL: 0010's account_stretch, in the rows of the client's owner."""
    start = f"coalesce({THEN.snapshot_before(client, account, first)}, {first})"
    where = (
        f"h.client_id = {client} AND h.account = {account}"
        f" AND h.as_of >= {start} AND h.as_of <= {last} AND {guard}"
    )
    rows = (
        f"SELECT s.as_of, s.value, s.next, {CLIENT_COLUMNS}, k.owner"
        f" FROM ({THEN.snapshots(where)}) AS s, client AS k WHERE k.id = {client}"
    )
    spans = held(rows, "s.client_since", "s.client_until", owner("s."))
    return add_edges("assets_day", spans, "value", sign)


def moved_snapshot(sign: str) -> list[str]:
    first, last = THEN.SHIFTED_FIRST, THEN.SHIFTED_LAST
    return [
        account_stretch("OLD.client_id", "OLD.account", first, last, sign),
        account_stretch(
            "NEW.client_id", "NEW.account", "NEW.as_of", "NEW.as_of", sign, THEN.OTHER_ACCOUNT
        ),
    ]


def one_snapshot(row: str, sign: str) -> list[str]:
    client, account, day = f"{row}.client_id", f"{row}.account", f"{row}.as_of"
    return [account_stretch(client, account, day, day, sign)]


# -- a client's whole history ------------------------------------------------------------------


def client_history(row: str, sign: str) -> list[str]:
    """SQL: add or take away all that client `row`'s contacts and snapshots add to coverage
    and assets, with the row's dates, cadence and owner."""
    days = THEN.contact_days(f"{row}.id")
    since, until = f"{row}.client_since", f"{row}.client_until"
    cover = covered(days, since, until, cadence(f"{row}."), owner(f"{row}."))
    assets = held(THEN.snapshots(f"h.client_id = {row}.id"), since, until, owner(f"{row}."))
    return [
        add_edges("coverage_day", cover, "1", sign),
        add_edges("assets_day", assets, "value", sign),
    ]


def client_records(row: str, sign: str) -> list[str]:
    """SQL: add or take away all that the records of client `row` add to the roll-ups of
    contacts, contact days and spans, revenue, surveys, deals and cases, in the rows of the
    row's owner."""
    client, whose = f"{row}.id", owner(f"{row}.")
    days = THEN.contact_days(client)
    survey_sums = (
        "count(*)",
        "coalesce(sum(csat), 0)",
        "count(csat)",
        "count(nps)",
        "count(*) FILTER (WHERE nps >= 9)",
        "count(*) FILTER (WHERE nps <= 6)",
    )
    return [
        f"""
    INSERT INTO contact_day ("on", owner, contacts)
    SELECT date(at), {whose}, {sign}count(*) FROM interaction
    WHERE client_id = {client} AND {CONTACT} GROUP BY date(at)
    {upsert(DAY_KEY, ("contacts",))}""",
        f"""
    INSERT INTO contacted_day ("on", owner, clients) SELECT day, {whose}, {sign}1 FROM ({days})
    WHERE true {upsert(DAY_KEY, ("clients",))}""",
        f"""
    INSERT INTO contact_span (start_on, owner, end_on, clients)
    SELECT day, {whose}, next, {sign}1 FROM ({days}) WHERE next IS NOT NULL
    {upsert(("start_on", "owner", "end_on"), ("clients",))}""",
        f"""
    INSERT INTO revenue_day ("on", owner, amount, entries)
    SELECT "on", {whose}, {sign}sum(amount), {sign}count(*) FROM revenue
    WHERE client_id = {client} GROUP BY "on"
    {upsert(DAY_KEY, ("amount", "entries"))}""",
        f"""
    INSERT INTO survey_day ("on", owner, {", ".join(SURVEY_COLUMNS)})
    SELECT "on", {whose}, {", ".join(f"{sign}({value})" for value in survey_sums)}
    FROM survey WHERE client_id = {client} GROUP BY "on"
    {upsert(DAY_KEY, SURVEY_COLUMNS)}""",
        f"""
    INSERT INTO deal_day ("on", owner, won, lost)
    SELECT closed_on, {whose}, {sign}(count(*) FILTER (WHERE stage = 'won')),
        {sign}(count(*) FILTER (WHERE stage = 'lost'))
    FROM opportunity WHERE client_id = {client} AND closed_on IS NOT NULL
        AND stage IN ('won', 'lost') GROUP BY closed_on
    {upsert(DAY_KEY, ("won", "lost"))}""",
        f"""
    INSERT INTO case_day ("on", owner, resolved, on_time)
    SELECT resolved_on, {whose}, {sign}count(*),
        {sign}(count(*) FILTER (WHERE resolved_on <= due_on))
    FROM "case" WHERE client_id = {client} AND resolved_on IS NOT NULL GROUP BY resolved_on
    {upsert(DAY_KEY, ("resolved", "on_time"))}""",
    ]


def client_records_left_empty(row: str) -> list[str]:
    """SQL: remove the rows client_records may have left at 0: on the days of the client's
    records (which are still there)."""
    client = f"{row}.id"
    contact_days = f"SELECT date(at) FROM interaction WHERE client_id = {client} AND {CONTACT}"
    return [
        f'DELETE FROM contact_day WHERE "on" IN ({contact_days}) AND contacts = 0',
        f'DELETE FROM contacted_day WHERE "on" IN ({contact_days}) AND clients = 0',
        f"DELETE FROM contact_span WHERE start_on IN ({contact_days}) AND clients = 0",
        f"""DELETE FROM revenue_day
    WHERE "on" IN (SELECT "on" FROM revenue WHERE client_id = {client}) AND entries = 0""",
        f"""DELETE FROM survey_day
    WHERE "on" IN (SELECT "on" FROM survey WHERE client_id = {client}) AND surveys = 0""",
        f"""DELETE FROM deal_day
    WHERE "on" IN (SELECT closed_on FROM opportunity WHERE client_id = {client})
        AND won = 0 AND lost = 0""",
        f"""DELETE FROM case_day
    WHERE "on" IN (SELECT resolved_on FROM "case" WHERE client_id = {client})
        AND resolved = 0""",
    ]


# -- revenue and contacts by day (0002), surveys, deals and cases (0010) -----------------------


def of_client(row: str) -> str:
    """SQL: FROM the client of record `row` (none when it is gone)."""
    return f"FROM client AS k WHERE k.id = {row}.client_id"


def owner_of_client(row: str) -> str:
    return f"(SELECT {owner('')} FROM client WHERE id = {row}.client_id)"


def revenue_row(row: str, sign: str) -> str:
    return f"""
    INSERT INTO revenue_day ("on", owner, amount, entries)
    SELECT {row}."on", {owner("k.")}, {sign}{row}.amount, {sign}1 {of_client(row)}
    {upsert(DAY_KEY, ("amount", "entries"))}"""


REVENUE_LEFT_EMPTY = 'DELETE FROM revenue_day WHERE "on" = OLD."on" AND entries = 0'


def contact_row(row: str, sign: str) -> str:
    return f"""
    INSERT INTO contact_day ("on", owner, contacts)
    SELECT date({row}.at), {owner("k.")}, {sign}1 {of_client(row)}
    {upsert(DAY_KEY, ("contacts",))}"""


CONTACT_LEFT_EMPTY = 'DELETE FROM contact_day WHERE "on" = date(OLD.at) AND contacts = 0'


def survey_row(row: str, sign: str) -> str:
    values = (
        "1",
        f"coalesce({row}.csat, 0)",
        f"CAST({row}.csat IS NOT NULL AS INTEGER)",
        f"CAST({row}.nps IS NOT NULL AS INTEGER)",
        f"coalesce(CAST({row}.nps >= 9 AS INTEGER), 0)",
        f"coalesce(CAST({row}.nps <= 6 AS INTEGER), 0)",
    )
    return f"""
    INSERT INTO survey_day ("on", owner, {", ".join(SURVEY_COLUMNS)})
    SELECT {row}."on", {owner("k.")}, {", ".join(f"{sign}({value})" for value in values)}
    {of_client(row)}
    {upsert(DAY_KEY, SURVEY_COLUMNS)}"""


def deal_row(row: str, sign: str) -> str:
    return f"""
    INSERT INTO deal_day ("on", owner, won, lost)
    SELECT {row}.closed_on, {owner("k.")}, {sign}CAST({row}.stage = 'won' AS INTEGER),
        {sign}CAST({row}.stage = 'lost' AS INTEGER)
    {of_client(row)} AND {row}.closed_on IS NOT NULL AND {row}.stage IN ('won', 'lost')
    {upsert(DAY_KEY, ("won", "lost"))}"""


def case_row(row: str, sign: str) -> str:
    return f"""
    INSERT INTO case_day ("on", owner, resolved, on_time)
    SELECT {row}.resolved_on, {owner("k.")}, {sign}1,
        {sign}coalesce(CAST({row}.resolved_on <= {row}.due_on AS INTEGER), 0)
    {of_client(row)} AND {row}.resolved_on IS NOT NULL
    {upsert(DAY_KEY, ("resolved", "on_time"))}"""


# -- the triggers ------------------------------------------------------------------------------

CLIENT_DATES = (*THEN.CLIENT_DATES, "owner")
CLIENT_COVER = (*THEN.CLIENT_COVER, "owner")
OWNER_CHANGED = f"{owner('OLD.')} IS NOT {owner('NEW.')}"

# The triggers of 0002 this revision makes again (those of holding.superseded_on stay).
FIRST_TRIGGERS = (
    "revenue_added",
    "revenue_changed",
    "revenue_removed",
    "contact_day_added",
    "contact_day_left",
    "contact_day_joined",
    "contact_day_removed",
)

TRIGGERS: dict[str, str] = {
    "revenue_added": f"""
        AFTER INSERT ON revenue BEGIN
            {body([revenue_row("NEW", "")])}
        END""",
    "revenue_changed": f"""
        AFTER UPDATE OF client_id, "on", amount ON revenue BEGIN
            {body([revenue_row("OLD", "-"), revenue_row("NEW", ""), REVENUE_LEFT_EMPTY])}
        END""",
    "revenue_removed": f"""
        AFTER DELETE ON revenue BEGIN
            {body([revenue_row("OLD", "-"), REVENUE_LEFT_EMPTY])}
        END""",
    "contact_day_added": f"""
        AFTER INSERT ON interaction WHEN NEW.{CONTACT} BEGIN
            {body([contact_row("NEW", "")])}
        END""",
    "contact_day_left": f"""
        AFTER UPDATE OF client_id, at, kind ON interaction WHEN OLD.{CONTACT} BEGIN
            {body([contact_row("OLD", "-"), CONTACT_LEFT_EMPTY])}
        END""",
    "contact_day_joined": f"""
        AFTER UPDATE OF client_id, at, kind ON interaction WHEN NEW.{CONTACT} BEGIN
            {body([contact_row("NEW", "")])}
        END""",
    "contact_day_removed": f"""
        AFTER DELETE ON interaction WHEN OLD.{CONTACT} BEGIN
            {body([contact_row("OLD", "-"), CONTACT_LEFT_EMPTY])}
        END""",
    "client_rollups_added": f"""
        AFTER INSERT ON client BEGIN
            {body(client_row("NEW", ""))}
        END""",
    "client_rollups_changed": f"""
        AFTER UPDATE OF {", ".join(CLIENT_DATES)} ON client WHEN {changed(CLIENT_DATES)} BEGIN
            {body(client_row("OLD", "-"))}
            {body(client_row("NEW", ""))}
            {body([THEN.CLIENT_DAYS_LEFT_EMPTY, THEN.CLIENT_SPANS_LEFT_EMPTY])}
        END""",
    "client_rollups_removed": f"""
        AFTER DELETE ON client BEGIN
            {body(client_row("OLD", "-"))}
            {body([THEN.CLIENT_DAYS_LEFT_EMPTY, THEN.CLIENT_SPANS_LEFT_EMPTY])}
        END""",
    "client_history_changed": f"""
        AFTER UPDATE OF {", ".join(CLIENT_COVER)} ON client
        WHEN OLD.client_since IS NOT NEW.client_since OR OLD.client_until IS NOT NEW.client_until
          OR {cadence("OLD.")} IS NOT {cadence("NEW.")} OR {OWNER_CHANGED} BEGIN
            {body(client_history("OLD", "-"))}
            {body(client_history("NEW", ""))}
            {body(THEN.client_history_left_empty(["NEW", "OLD"]))}
        END""",
    # A client's records move with it from one owner's roll-ups to the other's.
    "client_records_owner_changed": f"""
        AFTER UPDATE OF owner ON client WHEN {OWNER_CHANGED} BEGIN
            {body(client_records("OLD", "-"))}
            {body(client_records("NEW", ""))}
            {body(client_records_left_empty("OLD"))}
        END""",
    # Before the row goes: its records, deleted with it afterwards, find no client then and
    # add nothing to any roll-up.
    "client_history_removed": f"""
        BEFORE DELETE ON client BEGIN
            {body(client_history("OLD", "-"))}
            {body(THEN.client_history_left_empty(["OLD"]))}
            {body(client_records("OLD", "-"))}
            {body(client_records_left_empty("OLD"))}
        END""",
    "contact_rollups_adding": f"""
        BEFORE INSERT ON interaction WHEN NEW.{CONTACT} BEGIN
            {body(one_contact("NEW", "-"))}
        END""",
    "contact_rollups_added": f"""
        AFTER INSERT ON interaction WHEN NEW.{CONTACT} BEGIN
            {body(one_contact("NEW", ""))}
            {body(THEN.one_contact_left_empty("NEW"))}
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
            {body(THEN.moved_contact_left_empty())}
        END""",
    "contact_rollups_removing": f"""
        BEFORE DELETE ON interaction WHEN OLD.{CONTACT} BEGIN
            {body(one_contact("OLD", "-"))}
        END""",
    "contact_rollups_removed": f"""
        AFTER DELETE ON interaction WHEN OLD.{CONTACT} BEGIN
            {body(one_contact("OLD", ""))}
            {body(THEN.one_contact_left_empty("OLD"))}
        END""",
    "assets_adding": f"""
        BEFORE INSERT ON holding BEGIN
            {body(one_snapshot("NEW", "-"))}
        END""",
    "assets_added": f"""
        AFTER INSERT ON holding BEGIN
            {body(one_snapshot("NEW", ""))}
            {body(THEN.one_snapshot_left_empty("NEW"))}
        END""",
    "assets_changing": f"""
        BEFORE UPDATE OF client_id, account, as_of, value ON holding BEGIN
            {body(moved_snapshot("-"))}
        END""",
    "assets_changed": f"""
        AFTER UPDATE OF client_id, account, as_of, value ON holding BEGIN
            {body(moved_snapshot(""))}
            {body(THEN.moved_snapshot_left_empty())}
        END""",
    "assets_removing": f"""
        BEFORE DELETE ON holding BEGIN
            {body(one_snapshot("OLD", "-"))}
        END""",
    "assets_removed": f"""
        AFTER DELETE ON holding BEGIN
            {body(one_snapshot("OLD", ""))}
            {body(THEN.one_snapshot_left_empty("OLD"))}
        END""",
    "survey_day_added": f"""
        AFTER INSERT ON survey BEGIN
            {body([survey_row("NEW", "")])}
        END""",
    "survey_day_changed": f"""
        AFTER UPDATE OF client_id, "on", csat, nps ON survey BEGIN
            {body([survey_row("OLD", "-"), survey_row("NEW", ""), THEN.SURVEY_LEFT_EMPTY])}
        END""",
    "survey_day_removed": f"""
        AFTER DELETE ON survey BEGIN
            {body([survey_row("OLD", "-"), THEN.SURVEY_LEFT_EMPTY])}
        END""",
    "deal_day_added": f"""
        AFTER INSERT ON opportunity BEGIN
            {body([deal_row("NEW", "")])}
        END""",
    "deal_day_changed": f"""
        AFTER UPDATE OF client_id, stage, closed_on ON opportunity BEGIN
            {body([deal_row("OLD", "-"), deal_row("NEW", ""), THEN.DEAL_LEFT_EMPTY])}
        END""",
    "deal_day_removed": f"""
        AFTER DELETE ON opportunity BEGIN
            {body([deal_row("OLD", "-"), THEN.DEAL_LEFT_EMPTY])}
        END""",
    "case_day_added": f"""
        AFTER INSERT ON "case" BEGIN
            {body([case_row("NEW", "")])}
        END""",
    "case_day_changed": f"""
        AFTER UPDATE OF client_id, resolved_on, due_on ON "case" BEGIN
            {body([case_row("OLD", "-"), case_row("NEW", ""), THEN.CASE_LEFT_EMPTY])}
        END""",
    "case_day_removed": f"""
        AFTER DELETE ON "case" BEGIN
            {body([case_row("OLD", "-"), THEN.CASE_LEFT_EMPTY])}
        END""",
}

# -- filling the roll-ups of a book ------------------------------------------------------------


def by_owner(table: str, columns: str, sums: str, rows: str, day: str, where: str = "") -> str:
    """SQL: fill `table` with `sums` of the rows of `rows` (`r`) by `day` and owner."""
    return f"""
    INSERT INTO {table} ("on", owner, {columns})
    SELECT {day}, {owner("k.")}, {sums} FROM {rows} AS r JOIN client AS k ON k.id = r.client_id
    {where} GROUP BY 1, 2 ORDER BY 1, 2"""


# Every client's contact days with the next one and their owner, and every snapshot with the
# next of its account, read once each into temporary tables.
CONTACT_SPANS = f"""
    CREATE TEMPORARY TABLE rollup_contact_spans AS
    SELECT client_id, owner, day, lead(day) OVER (PARTITION BY client_id ORDER BY day) AS next
    FROM (SELECT i.client_id, {owner("k.")} AS owner, date(i.at) AS day
          FROM interaction AS i JOIN client AS k ON k.id = i.client_id
          WHERE i.kind != 'note' GROUP BY 1, 2, 3)"""
FILL_STEPS: tuple[tuple[str, str], ...] = (
    ("clients", add_client_days(CLIENT_DAYS.format(r="", source="FROM client"))),
    ("clients", add_client_spans(CLIENT_SPANS.format(r="", source="FROM client"))),
    (
        "revenue",
        by_owner("revenue_day", "amount, entries", "sum(r.amount), count(*)", "revenue", 'r."on"'),
    ),
    (
        "contacts",
        by_owner(
            "contact_day",
            "contacts",
            "count(*)",
            "interaction",
            "date(r.at)",
            "WHERE r.kind != 'note'",
        ),
    ),
    ("contacts", CONTACT_SPANS),
    (
        "contacts",
        """INSERT INTO contacted_day ("on", owner, clients)
           SELECT day, owner, count(*) FROM temp.rollup_contact_spans
           GROUP BY day, owner ORDER BY day, owner""",
    ),
    (
        "contacts",
        """INSERT INTO contact_span (start_on, owner, end_on, clients)
           SELECT day, owner, next, count(*) FROM temp.rollup_contact_spans
           WHERE next IS NOT NULL GROUP BY day, owner, next ORDER BY day, owner, next""",
    ),
    (
        "check-ins",
        add_edges(
            "coverage_day",
            covered(
                f"SELECT s.day, s.next, {CLIENT_COLUMNS}, k.owner"
                " FROM temp.rollup_contact_spans AS s JOIN client AS k ON k.id = s.client_id",
                "c.client_since",
                "c.client_until",
                cadence("c."),
                owner("c."),
            ),
            "1",
            "",
        ),
    ),
    ("check-ins", "DELETE FROM coverage_day WHERE change = 0"),
    ("check-ins", "DROP TABLE temp.rollup_contact_spans"),
    ("assets", THEN.SNAPSHOT_SPANS),
    (
        "assets",
        add_edges(
            "assets_day",
            held(
                f"SELECT as_of, value, next, {CLIENT_COLUMNS}, k.owner"
                " FROM temp.rollup_snapshots AS h JOIN client AS k ON k.id = h.client_id",
                "s.client_since",
                "s.client_until",
                owner("s."),
            ),
            "value",
            "",
        ),
    ),
    ("assets", "DELETE FROM assets_day WHERE change = 0"),
    ("assets", "DROP TABLE temp.rollup_snapshots"),
    (
        "surveys",
        by_owner(
            "survey_day",
            ", ".join(SURVEY_COLUMNS),
            "count(*), coalesce(sum(r.csat), 0), count(r.csat), count(r.nps),"
            " count(*) FILTER (WHERE r.nps >= 9), count(*) FILTER (WHERE r.nps <= 6)",
            "survey",
            'r."on"',
        ),
    ),
    (
        "deals",
        by_owner(
            "deal_day",
            "won, lost",
            "count(*) FILTER (WHERE r.stage = 'won'), count(*) FILTER (WHERE r.stage = 'lost')",
            "opportunity",
            "r.closed_on",
            "WHERE r.closed_on IS NOT NULL AND r.stage IN ('won', 'lost')",
        ),
    ),
    (
        "cases",
        by_owner(
            "case_day",
            "resolved, on_time",
            "count(*), count(*) FILTER (WHERE r.resolved_on <= r.due_on)",
            '"case"',
            "r.resolved_on",
            "WHERE r.resolved_on IS NOT NULL",
        ),
    ),
)

FILL = tuple(statement for _step, statement in FILL_STEPS)

# -- the tables --------------------------------------------------------------------------------

TABLES = ("revenue_day", "contact_day", *THEN.TABLES)
# The key of each table by owner (the day and the owner where not said), and what it adds up.
KEYS = {
    "client_span": ("kind", "start_on", "owner", "end_on"),
    "contact_span": ("start_on", "owner", "end_on"),
}
VALUES = {
    "revenue_day": ("amount", "entries"),
    "contact_day": ("contacts",),
    "client_day": DAY_COLUMNS,
    "client_span": ("clients",),
    "contacted_day": ("clients",),
    "contact_span": ("clients",),
    "coverage_day": ("change",),
    "assets_day": ("change",),
    "survey_day": SURVEY_COLUMNS,
    "deal_day": ("won", "lost"),
    "case_day": ("resolved", "on_time"),
}


def column(table: str, name: str) -> sa.Column:  # type: ignore[type-arg]
    """A column of a roll-up by owner."""
    if name == "amount":
        return sa.Column(name, Money(), nullable=False)
    if table == "assets_day" and name == "change":  # cents: a server's INTEGER is too small
        cents = sa.Integer().with_variant(sa.BigInteger(), "postgresql")
        return sa.Column(name, cents, nullable=False)
    kind = {"on": sa.Date(), "start_on": sa.Date(), "end_on": sa.Date()}.get(name, sa.String())
    if name in ("kind", "owner", "on", "start_on", "end_on"):
        return sa.Column(name, kind, nullable=False)
    return sa.Column(name, sa.Integer(), nullable=False)


def create_tables() -> None:
    """The roll-ups, each with the owner in its key."""
    for table in TABLES:
        key = KEYS.get(table, ("on", "owner"))
        op.create_table(
            table,
            *(column(table, name) for name in (*key, *VALUES[table])),
            sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{table}")),
            sqlite_with_rowid=False,
        )


def progress() -> Callable[..., None]:
    """Where the upgrade tells its progress (rmtui.core.db hands it over), else nowhere."""
    told = context.config.attributes.get("progress")
    return told if told is not None else (lambda *_args: None)


def anyone_owns_a_client() -> bool:
    found = op.get_bind().exec_driver_sql(
        "SELECT 1 FROM client WHERE owner IS NOT NULL AND owner != '' LIMIT 1"
    )
    return found.first() is not None


def upgrade() -> None:
    op.drop_index("ix_client_owner", table_name="client")
    op.create_index("ix_client_owner_archived", "client", ["owner", "archived"])
    drop_triggers(op, [*FIRST_TRIGGERS, *THEN.TRIGGERS])
    tell = progress()
    if anyone_owns_a_client():
        for table in TABLES:
            op.drop_table(table)
        create_tables()
        for done, (step, statement) in enumerate(FILL_STEPS):
            tell(f"summing up the book for its KPIs by owner: {step}", done, len(FILL_STEPS))
            op.execute(statement)
        tell("summing up the book for its KPIs by owner", len(FILL_STEPS), len(FILL_STEPS))
    else:  # every client is everyone's: the rows stay as they are, under owner ''
        for table in TABLES:
            op.execute(f"CREATE TEMPORARY TABLE kept_{table} AS SELECT * FROM {table}")
            op.drop_table(table)
        create_tables()
        for table in TABLES:
            key = [name for name in KEYS.get(table, ("on", "owner")) if name != "owner"]
            names = ", ".join(f'"{name}"' for name in (*key, *VALUES[table]))
            op.execute(
                f"INSERT INTO {table} (owner, {names}) SELECT '', {names} FROM temp.kept_{table}"
            )
            op.execute(f"DROP TABLE temp.kept_{table}")
    create_triggers(op, TRIGGERS)


def downgrade() -> None:
    drop_triggers(op, list(TRIGGERS))
    for table in TABLES:
        op.drop_table(table)
    for table in ("revenue_day", "contact_day"):
        op.create_table(
            table,
            *(column(table, name) for name in ("on", *VALUES[table])),
            sa.PrimaryKeyConstraint("on", name=op.f(f"pk_{table}")),
            sqlite_with_rowid=False,
        )
    THEN.create_tables()
    for statement in (*FIRST.FILL[1:], *THEN.FILL):
        op.execute(statement)
    create_triggers(op, {name: FIRST.TRIGGERS[name] for name in FIRST_TRIGGERS})
    create_triggers(op, THEN.TRIGGERS)
    op.drop_index("ix_client_owner_archived", table_name="client")
    op.create_index("ix_client_owner", "client", ["owner"])
