"""Follow-ups: add, edit, done, snooze, reschedule, cancel, reopen (for undo), list open ones."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from rmtui.core.models import Client, FollowUp
from rmtui.core.queries.common import apply_values, check_choices, fetch, table_of
from rmtui.core.queries.trash import TrashRow, move_to_trash

FOLLOW_UP = table_of(FollowUp)


def add_follow_up(
    *,
    session: Session,
    title: str,
    due_on: date,
    client_id: int | None = None,
    priority: str = "normal",
    interaction_id: int | None = None,
) -> FollowUp:
    """Add an open follow-up, for a client or (client_id None) for the manager alone."""
    if client_id is not None:
        fetch(session, Client, client_id)
    check_choices(FollowUp, {"priority": priority})
    follow_up = FollowUp(
        client_id=client_id,
        title=title,
        due_on=due_on,
        priority=priority,
        interaction_id=interaction_id,
    )
    session.add(follow_up)
    session.flush()
    return follow_up


def update_follow_up(*, session: Session, follow_up_id: int, values: Mapping[str, Any]) -> FollowUp:
    """Change a follow-up's columns."""
    follow_up = fetch(session, FollowUp, follow_up_id)
    check_choices(FollowUp, values)
    apply_values(follow_up, values)
    session.flush()
    return follow_up


def mark_done(*, session: Session, follow_up_id: int, day: date) -> FollowUp:
    """Mark a follow-up done on `day`."""
    return _set_status(session, follow_up_id, "done", done_on=day)


def cancel(*, session: Session, follow_up_id: int) -> FollowUp:
    """Cancel a follow-up: it is no longer needed."""
    return _set_status(session, follow_up_id, "cancelled", done_on=None)


def reopen(*, session: Session, follow_up_id: int) -> FollowUp:
    """Open a done or cancelled follow-up again (the undo of mark_done and cancel)."""
    return _set_status(session, follow_up_id, "open", done_on=None)


def snooze(*, session: Session, follow_up_id: int, until: date) -> FollowUp:
    """Put a follow-up off until `until`; it stays open."""
    return reschedule(session=session, follow_up_id=follow_up_id, due_on=until)


def reschedule(*, session: Session, follow_up_id: int, due_on: date) -> FollowUp:
    """Move a follow-up to `due_on` (earlier or later)."""
    follow_up = fetch(session, FollowUp, follow_up_id)
    follow_up.due_on = due_on
    session.flush()
    return follow_up


def delete_follow_up(*, session: Session, follow_up_id: int) -> TrashRow:
    """Move a follow-up to the trash."""
    return move_to_trash(session=session, model=FollowUp, record_id=follow_up_id)


def _set_status(
    session: Session, follow_up_id: int, status: str, *, done_on: date | None
) -> FollowUp:
    follow_up = fetch(session, FollowUp, follow_up_id)
    follow_up.status = status
    follow_up.done_on = done_on
    session.flush()
    return follow_up


def open_follow_ups(*, session: Session, client_id: int) -> list[FollowUp]:
    """A client's open follow-ups, soonest first."""
    query = (
        select(FollowUp)
        .where(FOLLOW_UP.c.client_id == client_id, FOLLOW_UP.c.status == "open")
        .order_by(FOLLOW_UP.c.due_on, FOLLOW_UP.c.id)
    )
    return list(session.execute(query).scalars())


def follow_ups_from(*, session: Session, interaction_id: int) -> list[FollowUp]:
    """The follow-ups planned when an interaction was logged."""
    query = select(FollowUp).where(FOLLOW_UP.c.interaction_id == interaction_id)
    return list(session.execute(query.order_by(FOLLOW_UP.c.id)).scalars())


def list_follow_ups(
    *, session: Session, client_id: int | None = None, status: str | None = "open"
) -> list[tuple[FollowUp, str | None]]:
    """Follow-ups soonest first, each with its client's name (None for the manager's own):
    of one client or of everyone (but archived clients), of one status or (None) all."""
    client = table_of(Client)
    query = (
        select(FollowUp, client.c.name)
        .outerjoin(client, client.c.id == FOLLOW_UP.c.client_id)
        .order_by(FOLLOW_UP.c.due_on, FOLLOW_UP.c.id)
    )
    if client_id is not None:
        query = query.where(FOLLOW_UP.c.client_id == client_id)
    else:
        query = query.where(or_(client.c.archived.is_(False), FOLLOW_UP.c.client_id.is_(None)))
    if status is not None:
        query = query.where(FOLLOW_UP.c.status == status)
    return [(follow_up, name) for follow_up, name in session.execute(query)]
