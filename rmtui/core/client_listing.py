"""The clients as the command line prints them (`rmtui client list`, `rmtui client show`): their
interchange records, read on a DB-API connection. A plain book at the current schema is read
with sqlite3 alone, any other through the connection under a session.

The list is the client list of the screens (queries/clients.py: the same filter conditions
from client_filter.py, the same order by name), read whole as it is printed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rmtui.core.client_filter import (
    ClientFilter,
    clients_alike,
    filter_conditions,
    has_search_index,
    many_matches,
    matches_as_typed,
    params_of,
    where_sql,
)
from rmtui.core.db_api import Connection, fetch_all, fetch_one, stream
from rmtui.core.interchange.row_records import column_value, columns_sql, record_of_row
from rmtui.core.rules import DueState, client_due_state, day_params, last_contact_as_of_sql

CLIENT_COLUMNS = columns_sql("clients", "client")
FOLLOW_UP_COLUMNS = columns_sql("follow_ups", "follow_up")


@dataclass(frozen=True)
class ListedClients:
    """The clients a filter lists, as interchange records read as they are printed."""

    records: Iterator[dict[str, Any]]
    alike: bool  # they are the clients alike a text that matches none, the likest first


def listed_clients(connection: Connection, client_filter: ClientFilter) -> ListedClients:
    """The clients `client_filter` lists, by name (as queries/clients.list_clients lists them);
    when its text matches no client, the clients alike it, the likest first."""
    search_index = has_search_index(connection)
    if not matches_as_typed(connection, client_filter, search_index=search_index):
        alike = clients_alike(connection, client_filter)
        return ListedClients(iter(_records_in_order(connection, alike)), alike=True)
    many = many_matches(connection, client_filter, search_index)
    conditions = filter_conditions(client_filter, search_index=search_index, many=many)
    sql = (
        f"SELECT {CLIENT_COLUMNS} FROM client WHERE {where_sql(conditions)}"
        " ORDER BY client.name COLLATE NOCASE, client.id"
    )
    rows = stream(connection, sql, params_of(conditions))
    return ListedClients((record_of_row("clients", row) for row in rows), alike=False)


def _records_in_order(connection: Connection, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The records of the clients `ids`, in that order."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    sql = f"SELECT {CLIENT_COLUMNS} FROM client WHERE client.id IN ({marks})"
    records = {row[0]: record_of_row("clients", row) for row in fetch_all(connection, sql, ids)}
    return [records[client_id] for client_id in ids if client_id in records]  # not deleted


@dataclass(frozen=True)
class ClientProfile:
    """One client as `rmtui client show` prints it."""

    record: dict[str, Any]  # the interchange record
    last_contact_on: date | None  # the latest contact on or before the day
    due: DueState  # where the client stands with check-ins on the day
    follow_ups: list[dict[str, Any]]  # the open follow-ups' records, soonest first


@dataclass(frozen=True)
class _CheckinFacts:
    """A client's check-in facts (rules.CheckinFacts) as read with their record."""

    last_contact_on: date | None
    client_since: date | None
    client_until: date | None
    checkin_every_days: int | None
    tier: str
    archived: bool


OPEN_FOLLOW_UPS_SQL = f"""
    SELECT {FOLLOW_UP_COLUMNS} FROM follow_up
    WHERE follow_up.client_id = :client_id AND follow_up.status = 'open'
    ORDER BY follow_up.due_on, follow_up.id"""


def client_profile(connection: Connection, client_id: int, *, day: date) -> ClientProfile | None:
    """The client `client_id` on `day` (None when there is no such client): its record, its
    last contact and check-in state, and its open follow-ups."""
    sql = (
        f"SELECT {CLIENT_COLUMNS}, client.last_contact_on, {last_contact_as_of_sql()}"
        " FROM client WHERE client.id = :client_id"
    )
    params = {"client_id": client_id, **day_params(day)}
    row = fetch_one(connection, sql, params)
    if row is None:
        return None
    *columns, stored_contact, last_contact = row
    record = record_of_row("clients", columns)
    facts = _CheckinFacts(
        last_contact_on=column_value("date", stored_contact),
        client_since=column_value("date", record["client_since"]),
        client_until=column_value("date", record["client_until"]),
        checkin_every_days=record["checkin_every_days"],
        tier=record["tier"],
        archived=record["archived"],
    )
    last = column_value("date", last_contact)
    due = client_due_state(facts, day=day, last_contact_on=last)
    follow_ups = [
        record_of_row("follow_ups", found)
        for found in fetch_all(connection, OPEN_FOLLOW_UPS_SQL, {"client_id": client_id})
    ]
    return ClientProfile(record, last, due, follow_ups)
