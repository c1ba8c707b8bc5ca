"""Contact points: a client's e-mail addresses and phone numbers, the preferred ones in step
with the client's `email` and `phone`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session

from rmtui.core.db_api import KEEP_ROWCOUNT
from rmtui.core.models import CONTACT_KINDS, Client, ContactPoint
from rmtui.core.queries.common import table_of

CONTACT_POINT = table_of(ContactPoint)
CLIENT = table_of(Client)


@dataclass(frozen=True)
class PointRow:
    """One e-mail address or phone number of a client, as the profile shows it."""

    id: int
    kind: str
    value: str
    label: str | None
    preferred: bool


@dataclass(frozen=True)
class NewPoint:
    """A contact point read from a file or typed, before it has an id."""

    kind: str
    value: str
    label: str | None = None
    preferred: bool = False


def contact_points_of(*, session: Session, client_id: int) -> list[PointRow]:
    """The client's contact points: e-mail addresses first, the preferred one of each first."""
    query = (
        select(
            CONTACT_POINT.c.id,
            CONTACT_POINT.c.kind,
            CONTACT_POINT.c.value,
            CONTACT_POINT.c.label,
            CONTACT_POINT.c.preferred,
        )
        .where(CONTACT_POINT.c.client_id == client_id)
        .order_by(CONTACT_POINT.c.kind, CONTACT_POINT.c.preferred.desc(), CONTACT_POINT.c.id)
    )
    return [
        PointRow(row.id, row.kind, row.value, row.label, bool(row.preferred))
        for row in session.execute(query)
    ]


def add_points(connection: Connection, client_id: int, points: Sequence[NewPoint]) -> int:
    """Add the `points` the client does not have yet (same kind and value, ignoring case);
    how many were added. A point marked preferred takes that place from the others."""
    have = {
        (kind, value.casefold())
        for kind, value in connection.execute(
            select(CONTACT_POINT.c.kind, CONTACT_POINT.c.value).where(
                CONTACT_POINT.c.client_id == client_id
            )
        )
    }
    rows = []
    for point in points:
        key = (point.kind, point.value.casefold())
        if point.preferred:
            _unprefer(connection, client_id, point.kind)
        if key in have:
            if point.preferred:
                _prefer(connection, client_id, point)
            continue
        have.add(key)
        rows.append({"client_id": client_id, **point.__dict__})
    if rows:
        connection.execute(insert(CONTACT_POINT), rows)
    return len(rows)


def _unprefer(connection: Connection, client_id: int, kind: str) -> None:
    connection.execute(
        update(CONTACT_POINT)
        .where(CONTACT_POINT.c.client_id == client_id, CONTACT_POINT.c.kind == kind)
        .values(preferred=False)
    )


def _prefer(connection: Connection, client_id: int, point: NewPoint) -> None:
    connection.execute(
        update(CONTACT_POINT)
        .where(
            CONTACT_POINT.c.client_id == client_id,
            CONTACT_POINT.c.kind == point.kind,
            func.lower(CONTACT_POINT.c.value) == point.value.lower(),
        )
        .values(preferred=True)
    )


def add_missing_contact_points(connection: Connection, client_ids: Select[Any]) -> int:
    """Give each of the clients `client_ids` selects a preferred contact point for its
    `email` and `phone` when it has no point of that value yet (a version 1 book file, a
    client typed in); how many."""
    return sum(_add_missing(connection, client_ids, kind) for kind in CONTACT_KINDS)


def _add_missing(connection: Connection, client_ids: Select[Any], kind: str) -> int:
    value = CLIENT.c[kind]
    already = exists().where(
        CONTACT_POINT.c.client_id == CLIENT.c.id,
        CONTACT_POINT.c.kind == kind,
        CONTACT_POINT.c.value == value,
    )
    preferred_exists = exists().where(
        CONTACT_POINT.c.client_id == CLIENT.c.id,
        CONTACT_POINT.c.kind == kind,
        CONTACT_POINT.c.preferred == true(),
    )
    missing = select(CLIENT.c.id, literal(kind), value, literal(None), ~preferred_exists).where(
        CLIENT.c.id.in_(client_ids), value.is_not(None), value != "", ~already
    )
    columns = ["client_id", "kind", "value", "label", "preferred"]
    statement = insert(CONTACT_POINT).from_select(columns, missing.order_by(CLIENT.c.id))
    # The count read before the cursor is closed, which on PostgreSQL forgets it.
    return connection.execute(statement, execution_options=KEEP_ROWCOUNT).rowcount or 0


def keep_in_step(session: Session, client: Client, before: dict[str, str | None]) -> None:
    """After the client's `email` or `phone` changed from `before`, make its contact points
    agree: the old preferred value gives way to the new one, an emptied field drops it."""
    connection = session.connection()
    for kind in CONTACT_KINDS:
        old, new = before.get(kind), getattr(client, kind)
        if old == new or client.id is None:
            continue
        if old:
            connection.execute(
                delete(CONTACT_POINT).where(
                    and_(
                        CONTACT_POINT.c.client_id == client.id,
                        CONTACT_POINT.c.kind == kind,
                        CONTACT_POINT.c.value == old,
                    )
                )
            )
        if new:
            add_points(connection, client.id, [NewPoint(kind, new, preferred=True)])
