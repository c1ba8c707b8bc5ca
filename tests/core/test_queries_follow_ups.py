"""Follow-ups: add, edit, done, snooze, reschedule, cancel, reopen and a client's open list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from rmtui.core.models import Client, FollowUp
from rmtui.core.queries import InvalidChange, RecordNotFound
from rmtui.core.queries.follow_ups import (
    add_follow_up,
    cancel,
    delete_follow_up,
    mark_done,
    open_follow_ups,
    reopen,
    reschedule,
    snooze,
    update_follow_up,
)
from tests.factories import make


def id_of(row: Any) -> int:
    """The id of a flushed row."""
    assert isinstance(row.id, int)
    return row.id


DAY = date(2026, 11, 29)


def test_add_follow_up_for_a_client_and_for_oneself(session: Session) -> None:
    client = make(session, Client)
    mine = add_follow_up(session=session, title="Plan the week", due_on=DAY)
    theirs = add_follow_up(
        session=session, title="Call", due_on=DAY, client_id=id_of(client), priority="high"
    )
    assert mine.client_id is None and mine.status == "open"
    assert (theirs.client_id, theirs.priority) == (client.id, "high")


def test_add_follow_up_refuses_bad_input(session: Session) -> None:
    with pytest.raises(RecordNotFound):
        add_follow_up(session=session, title="x", due_on=DAY, client_id=12)
    with pytest.raises(InvalidChange, match="priority"):
        add_follow_up(session=session, title="x", due_on=DAY, priority="urgent")


def test_done_and_reopen(session: Session) -> None:
    follow_up = make(session, FollowUp)
    mark_done(session=session, follow_up_id=id_of(follow_up), day=DAY)
    assert (follow_up.status, follow_up.done_on) == ("done", DAY)
    reopen(session=session, follow_up_id=id_of(follow_up))
    assert (follow_up.status, follow_up.done_on) == ("open", None)


def test_cancel_and_reopen(session: Session) -> None:
    follow_up = make(session, FollowUp)
    cancel(session=session, follow_up_id=id_of(follow_up))
    assert follow_up.status == "cancelled"
    reopen(session=session, follow_up_id=id_of(follow_up))
    assert follow_up.status == "open"


def test_snooze_and_reschedule_move_the_due_date(session: Session) -> None:
    follow_up = make(session, FollowUp, due_on=DAY)
    snooze(session=session, follow_up_id=id_of(follow_up), until=date(2026, 12, 3))
    assert (follow_up.due_on, follow_up.status) == (date(2026, 12, 3), "open")
    reschedule(session=session, follow_up_id=id_of(follow_up), due_on=date(2026, 11, 20))
    assert follow_up.due_on == date(2026, 11, 20)


def test_update_and_delete(session: Session) -> None:
    follow_up = make(session, FollowUp)
    update_follow_up(session=session, follow_up_id=id_of(follow_up), values={"title": "Write"})
    assert follow_up.title == "Write"
    with pytest.raises(InvalidChange):
        update_follow_up(session=session, follow_up_id=id_of(follow_up), values={"status": "later"})
    delete_follow_up(session=session, follow_up_id=id_of(follow_up))
    assert session.exec(select(FollowUp)).all() == []


def test_open_follow_ups_of_a_client_soonest_first(session: Session) -> None:
    client, other = make(session, Client), make(session, Client)
    late = make(session, FollowUp, client_id=id_of(client), due_on=date(2026, 12, 9))
    soon = make(session, FollowUp, client_id=id_of(client), due_on=date(2026, 12, 1))
    make(session, FollowUp, client_id=id_of(client), due_on=date(2026, 11, 1), status="done")
    make(session, FollowUp, client_id=id_of(other), due_on=date(2026, 11, 1))
    assert open_follow_ups(session=session, client_id=id_of(client)) == [soon, late]
