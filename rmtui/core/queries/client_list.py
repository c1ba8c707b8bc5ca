"""Where one client stands in the filtered, sorted client list (to keep a cursor on it)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rmtui.core.queries.clients import (
    CLIENT,
    NO_FILTER,
    ClientFilter,
    ClientRow,
    client_filters,
    client_page_key,
    client_row,
    client_row_columns,
    clients_alike,
    has_search_index,
    matches_as_typed,
    sort_keys,
)
from rmtui.core.queries.common import after_key


def client_list_row(*, session: Session, client_id: int) -> ClientRow | None:
    """The client-list line of one client, or None when there is no such client."""
    found = session.execute(select(*client_row_columns()).where(CLIENT.c.id == client_id)).first()
    return client_row(found) if found is not None else None


def client_position(
    *,
    session: Session,
    client_id: int,
    client_filter: ClientFilter = NO_FILTER,
    sort: str = "name",
    descending: bool = False,
) -> int | None:
    """The row number (from 0) of the client in `list_clients` with the same filters and sort,
    or None when the filters leave the client out."""
    if not matches_as_typed(session=session, client_filter=client_filter):
        alike = clients_alike(session=session, client_filter=client_filter)
        return alike.index(client_id) if client_id in alike else None
    search_index = has_search_index(session)
    conditions = client_filters(client_filter=client_filter, search_index=search_index)
    listed = select(func.count()).where(*conditions, CLIENT.c.id == client_id)
    if not session.execute(listed).scalar_one():
        return None
    row = client_list_row(session=session, client_id=client_id)
    if row is None:
        return None
    # The rows before it are the rows after it when the order is turned round.
    before = after_key(
        sort_keys(sort),
        client_page_key(row, sort),
        descending=not descending,
        nullable_lead=sort == "last_contact",
    )
    return int(session.execute(select(func.count()).where(*conditions, before)).scalar_one())
