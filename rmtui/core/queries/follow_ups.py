"""Follow-ups: add, edit, done (planning the next of a repeating one), snooze, reschedule,
cancel, reopen (for undo), list open ones."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from rmtui.core.models import Client, FollowUp
from rmtui.core.queries.common import InvalidChange, apply_values, check_choices, fetch, table_of
from rmtui.core.queries.trash import TrashRow, move_to_trash
from rmtui.core.repeats import RepeatError, parse_repeat

FOLLOW_UP = table_of(FollowUp)
# What the follow-up planned when a repeating one is done takes over from it.
CARRIED_OVER = ("client_id", "title", "priority", "due_at", "notes", "repeat")


@dataclass(frozen=True)
class Completion:
    """A follow-up marked done, and the next one its repeat planned (None when it has none)."""

    done: FollowUp
    planned: FollowUp | None


def add_follow_up(
    *,
    session: Session,
    title: str,
    due_on: date,
    client_id: int | None = None,
    priority: str = "normal",
    interaction_id: int | None = None,
    due_at: time | None = None,
    notes: str | None = None,
    repeat: str | None = None,
) -> FollowUp:
    """Add an open follow-up, for a client or (client_id None) for the manager alone; with a
    `repeat` rule (core/repeats.py), marking it done plans the next one."""
    if client_id is not None:
        fetch(session, Client, client_id)
    check_choices(FollowUp, {"priority": priority})
    follow_up = FollowUp(
        client_id=client_id,
        title=title,
        due_on=due_on,
        priority=priority,
        interaction_id=interaction_id,
        due_at=due_at,
        notes=notes,
        repeat=_stored_rule(repeat),
    )
    session.add(follow_up)
    session.flush()
    return follow_up


def update_follow_up(*, session: Session, follow_up_id: int, values: Mapping[str, Any]) -> FollowUp:
    """Change a follow-up's columns."""
    follow_up = fetch(session, FollowUp, follow_up_id)
    check_choices(FollowUp, values)
    if "repeat" in values:
        values = {**values, "repeat": _stored_rule(values["repeat"])}
    apply_values(follow_up, values)
    session.flush()
    return follow_up


def _stored_rule(text: str | None) -> str | None:
    """A repeat rule as it is stored (`every 2 weeks`), or InvalidChange saying what to write."""
    try:
        rule = parse_repeat(text)
    except RepeatError as error:
        raise InvalidChange(str(error)) from None
    return None if rule is None else str(rule)


def mark_done(*, session: Session, follow_up_id: int, day: date) -> FollowUp:
    """Mark a follow-up done on `day`; a repeating one plans the next (see complete)."""
    return complete(session=session, follow_up_id=follow_up_id, day=day).done


def complete(*, session: Session, follow_up_id: int, day: date) -> Completion:
    """Mark a follow-up done on `day`. When it repeats, the next one is planned from its due
    day, or from `day` for a rule `after done`, with the same client, title, priority, time,
    notes and rule. An open follow-up's second completion plans nothing again."""
    was_open = fetch(session, FollowUp, follow_up_id).status == "open"
    done = _set_status(session, follow_up_id, "done", done_on=day)
    planned = plan_next(session, done) if was_open else None
    return Completion(done, planned)


def plan_next(session: Session, follow_up: FollowUp) -> FollowUp | None:
    """The next follow-up of a repeating one, added to the book (None when it has no rule)."""
    rule = parse_repeat(follow_up.repeat)
    if rule is None:
        return None
    values = {name: getattr(follow_up, name) for name in CARRIED_OVER}
    planned = FollowUp(**values, due_on=rule.next_due(follow_up.due_on, follow_up.done_on))
    session.add(planned)
    session.flush()
    return planned


def undo_completion(*, session: Session, follow_up_id: int, planned_id: int | None) -> FollowUp:
    """Open a done follow-up again and take away the next one its completion planned (the
    undo of complete)."""
    if planned_id is not None:
        planned = session.get(FollowUp, planned_id)
        if planned is not None:
            session.delete(planned)
    return reopen(session=session, follow_up_id=follow_up_id)


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
