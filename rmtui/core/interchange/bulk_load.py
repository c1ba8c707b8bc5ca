"""Many rows into one table at once, with its insert triggers and indexes set aside meanwhile.

Row by row, the triggers that keep the book's summaries (a client's last contact, the daily
roll-ups, a holding's superseded_on, the clients' search index) and the indexes cost more
than the rows themselves. For a bulk copy they are dropped, the rows copied in one statement,
and their work done in a few statements over all the new rows; then they are put back exactly
as they were. It all happens in the caller's transaction, so a failed copy leaves the schema
as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Table, insert, select

from rmtui.core import rollups
from rmtui.core.models import CLIENT_SEARCH_TEXT
from rmtui.core.rules import is_contact_sql


@dataclass(frozen=True)
class InsertTrigger:
    """An AFTER INSERT trigger (with the other insert triggers `also` set aside with it) and
    the statements doing their work for all new rows at once.

    In the statements `{rows}` stands for the table holding the new rows (their column
    names are those of the target table).
    """

    name: str
    statements: tuple[str, ...]
    also: tuple[str, ...] = ()
    needs_indexes: bool = False  # its statements look rows up by the table's indexes
    # The column of the new rows naming the clients whose search text they change, when its
    # work is writing that text (which a copy of several tables may leave to its end).
    search_clients: str | None = None


def search_text_written(client_ids: str) -> str:
    """SQL: write again, where it changed, the search text (schema 0009) of the clients whose
    ids the query `client_ids` gives. Its view reads each client's contact points and persons
    by their index on the client: the work of those tables' triggers needs their indexes
    (without them, it read the whole table for each client)."""
    columns = [column.name for column in CLIENT_SEARCH_TEXT.c if column.name != "id"]
    names = ", ".join(columns)
    changed = " OR ".join(f"{name} IS NOT excluded.{name}" for name in columns)
    assigned = ", ".join(f"{name} = excluded.{name}" for name in columns)
    return f"""INSERT INTO client_search_text (id, {names})
           SELECT id, {names} FROM client_search_folded
           WHERE id IN ({client_ids})
           ON CONFLICT (id) DO UPDATE SET {assigned} WHERE {changed}"""


def search_trigger(name: str, clients: str, *, needs_indexes: bool = False) -> InsertTrigger:
    """The trigger `name` writing the search text of the clients its rows' column `clients`
    names."""
    statement = search_text_written(f"SELECT {clients} FROM {{rows}}")
    return InsertTrigger(name, (statement,), needs_indexes=needs_indexes, search_clients=clients)


SEARCH_INDEXED = search_trigger("client_search_added", "id")
CONTACT_POINT_INDEXED = search_trigger(
    "contact_point_search_added", "client_id", needs_indexes=True
)
LAST_CONTACT = InsertTrigger(
    "interaction_contact_added",
    (
        f"""UPDATE client SET last_contact_on = contact.day
           FROM (SELECT client_id, date(max(at)) AS day FROM {{rows}}
                 WHERE {is_contact_sql("")} GROUP BY client_id) AS contact
           WHERE client.id = contact.client_id
             AND (client.last_contact_on IS NULL OR client.last_contact_on < contact.day)""",
    ),
)
CONTACTS_BY_DAY = InsertTrigger("contact_day_added", (rollups.CONTACTS_BY_DAY,))
REVENUE_BY_DAY = InsertTrigger("revenue_added", (rollups.REVENUE_BY_DAY,))
SUPERSEDED = InsertTrigger("holding_added", (rollups.SUPERSEDED,))
# Every member of a household given new members gets the household and its latest contact
# when it shares check-ins (schema 0008).
SHARED_CONTACT = InsertTrigger(
    "household_member_added",
    (
        """UPDATE client
           SET household_contact_on = shared.day, shared_household_id = shared.household
           FROM (SELECT hm.client_id AS id,
                     CASE WHEN h.shared_checkin THEN h.id END AS household,
                     CASE WHEN h.shared_checkin THEN (
                     SELECT max(m.last_contact_on) FROM household_member AS o
                     JOIN client AS m ON m.id = o.client_id
                     WHERE o.household_id = hm.household_id) END AS day
                 FROM household_member AS hm JOIN household AS h ON h.id = hm.household_id
                 WHERE hm.household_id IN (SELECT household_id FROM {rows})) AS shared
           WHERE client.id = shared.id""",
    ),
    needs_indexes=True,
)
PERSON_INDEXED = search_trigger("contact_person_search_added", "client_id", needs_indexes=True)
# The KPI roll-ups by day (schema 0010).
CLIENT_ROLLUPS = InsertTrigger("client_rollups_added", rollups.SUMMARIES_OF_NEW_ROWS["client"])
CONTACT_ROLLUPS = InsertTrigger(
    "contact_rollups_added", rollups.CONTACT_ROLLUPS, also=("contact_rollups_adding",)
)
ASSET_ROLLUPS = InsertTrigger("assets_added", rollups.ASSET_ROLLUPS, also=("assets_adding",))
SURVEY_ROLLUP = InsertTrigger("survey_day_added", (rollups.SURVEYS_BY_DAY,))
DEAL_ROLLUP = InsertTrigger("deal_day_added", (rollups.DEALS_BY_DAY,))
CASE_ROLLUP = InsertTrigger("case_day_added", (rollups.CASES_BY_DAY,))
# The deals by stage and day of the pipeline board and the forecast (schema 0018).
PIPELINE_ROLLUP = InsertTrigger("pipeline_day_added", (rollups.PIPELINE_BY_DAY,))
# How many clients there are, archived or not, by owner (schema 0016).
CLIENTS_COUNTED = InsertTrigger(
    "client_count_added",
    (
        """INSERT INTO client_count (archived, everyone, owner, clients)
           SELECT archived, owner IS NULL, coalesce(owner, ''), count(*) FROM {rows}
           GROUP BY archived, owner IS NULL, coalesce(owner, '')
           ON CONFLICT (archived, everyone, owner)
           DO UPDATE SET clients = clients + excluded.clients""",
    ),
)
INSERT_TRIGGERS: dict[str, tuple[InsertTrigger, ...]] = {
    "client": (SEARCH_INDEXED, CLIENT_ROLLUPS, CLIENTS_COUNTED),
    "interaction": (LAST_CONTACT, CONTACTS_BY_DAY, CONTACT_ROLLUPS),
    "revenue": (REVENUE_BY_DAY,),
    "holding": (SUPERSEDED, ASSET_ROLLUPS),
    "contact_point": (CONTACT_POINT_INDEXED,),
    "household_member": (SHARED_CONTACT,),
    "contact_person": (PERSON_INDEXED,),
    "survey": (SURVEY_ROLLUP,),
    "opportunity": (DEAL_ROLLUP, PIPELINE_ROLLUP),
    "case": (CASE_ROLLUP,),
}
"""The insert triggers of each table whose work a bulk copy does in bulk."""


def copy_rows(
    connection: Connection,
    *,
    source: Table,
    target: Table,
    clients_to_index: list[str] | None = None,
) -> None:
    """Copy every row of `source` into `target`, in the order of the source's key (else its
    ids): the columns `target` has (the source's others are left behind).

    The target's indexes are set aside when the copy at least doubles the table (building
    an index at once is quicker than growing it row by row), and its insert triggers
    always; their work is done after the copy, before the indexes are built again (after,
    for the work that looks rows up by them). Given `clients_to_index`, the search text of
    the clients the new rows change is left to the caller: a query of their ids is added to
    it, for search_text_of_copied (a client, their contact points and persons copied one
    table after the other would have their text written three times).
    """
    if connection.dialect.name == "postgresql":
        _copy_rows_on_server(
            connection, source=source, target=target, clients_to_index=clients_to_index
        )
        return
    triggers = _present(connection, target.name, INSERT_TRIGGERS.get(target.name, ()))
    indexes = _index_sql(connection, target) if _doubles(connection, source, target) else []
    for name in [name for _trigger, created in triggers for name, _sql in created]:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    for name, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    copied = [column for column in source.c if column.name in target.c]
    key = list(source.primary_key.columns) or [source.c.id]
    rows = select(*copied).order_by(*key)
    connection.execute(insert(target).from_select([column.name for column in copied], rows))
    for trigger, _created in triggers:
        if not trigger.needs_indexes:
            _do_work(connection, trigger, source, clients_to_index)
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)
    for trigger, created in triggers:
        if trigger.needs_indexes:
            _do_work(connection, trigger, source, clients_to_index)
        for _name, sql in created:
            connection.exec_driver_sql(sql)


def _copy_rows_on_server(
    connection: Connection, *, source: Table, target: Table, clients_to_index: list[str] | None
) -> None:
    """copy_rows on PostgreSQL: the insert triggers are switched off for the copy (in its
    transaction) and their work done at once after it; the indexes stay."""
    names = set(
        connection.exec_driver_sql(
            "SELECT tgname FROM pg_trigger"
            " WHERE tgrelid = CAST(? AS regclass) AND NOT tgisinternal",
            (f'"{target.name}"',),
        ).scalars()
    )
    triggers = [
        trigger for trigger in INSERT_TRIGGERS.get(target.name, ()) if trigger.name in names
    ]
    set_aside = [
        name for trigger in triggers for name in (trigger.name, *trigger.also) if name in names
    ]
    for name in set_aside:
        connection.exec_driver_sql(f'ALTER TABLE "{target.name}" DISABLE TRIGGER "{name}"')
    copied = [column for column in source.c if column.name in target.c]
    key = list(source.primary_key.columns) or [source.c.id]
    rows = select(*copied).order_by(*key)
    connection.execute(insert(target).from_select([column.name for column in copied], rows))
    for trigger in triggers:
        _do_work(connection, trigger, source, clients_to_index)
    for name in set_aside:
        connection.exec_driver_sql(f'ALTER TABLE "{target.name}" ENABLE TRIGGER "{name}"')
    if "id" in target.c:  # the next new row is numbered after the copied ones
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{target.name}\"', 'id'),"
            f' (SELECT coalesce(max(id), 0) + 1 FROM "{target.name}"), false)'
        )


def search_text_of_copied(connection: Connection, clients_to_index: list[str]) -> None:
    """Write the search text of the clients the queries `clients_to_index` (of copy_rows)
    give, once for all of them."""
    if clients_to_index:
        connection.exec_driver_sql(search_text_written(" UNION ".join(clients_to_index)))


def _do_work(
    connection: Connection,
    trigger: InsertTrigger,
    source: Table,
    clients_to_index: list[str] | None,
) -> None:
    """Do the work of `trigger` for all the rows of `source` at once; writing the search
    text is left to the caller when it gives `clients_to_index`."""
    if trigger.search_clients is not None and clients_to_index is not None:
        clients_to_index.append(f"SELECT {trigger.search_clients} FROM {source.name}")
        return
    for statement in trigger.statements:
        connection.exec_driver_sql(statement.format(rows=source.name))


def _present(
    connection: Connection, table: str, triggers: tuple[InsertTrigger, ...]
) -> list[tuple[InsertTrigger, list[tuple[str, str]]]]:
    """The triggers of `table` the book has (a book without FTS5 has no search index), each
    with the names and SQL of the triggers it sets aside."""
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
    )
    found: dict[str, str] = {name: sql for name, sql in rows}
    return [
        (trigger, [(name, found[name]) for name in (trigger.name, *trigger.also) if name in found])
        for trigger in triggers
        if trigger.name in found
    ]


def _index_sql(connection: Connection, table: Table) -> list[tuple[str, str]]:
    """The indexes of `table` that can be dropped, with the SQL that creates them."""
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master"
        " WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table.name,),
    )
    return [(name, sql) for name, sql in rows]


def _doubles(connection: Connection, source: Table, target: Table) -> bool:
    """Whether `source` has at least as many rows as `target` (counted no further)."""
    count = connection.exec_driver_sql(f'SELECT count(*) FROM "{source.name}"').scalar() or 0
    existing = connection.exec_driver_sql(
        f'SELECT count(*) FROM (SELECT 1 FROM "{target.name}" LIMIT ?)', (count + 1,)
    ).scalar()
    return (existing or 0) <= count
