"""Logging interactions, the maintained last contact, the timeline and the interaction log."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from rmtui.core.models import Client, FollowUp, Interaction
from rmtui.core.queries import InvalidChange, RecordNotFound
from rmtui.core.queries.clients import get_client
from rmtui.core.queries.interactions import (
    client_timeline,
    delete_interaction,
    list_interactions,
    log_interaction,
    update_interaction,
)
from tests.factories import make


def id_of(row: Any) -> int:
    """The id of a flushed row."""
    assert isinstance(row.id, int)
    return row.id


AT = datetime(2026, 11, 20, 10, 30)


def log(session: Session, client_id: int, **fields: object) -> Interaction:
    values: dict[str, object] = {
        "at": AT,
        "kind": "call",
        "direction": "out",
        "subject": "Review",
        **fields,
    }
    return log_interaction(session=session, client_id=client_id, **values)  # type: ignore[arg-type]


def test_log_interaction_with_the_next_follow_up(session: Session) -> None:
    client = make(session, Client)
    interaction = log(session, id_of(client), follow_up_due=date(2026, 12, 4))
    follow_up = session.exec(select(FollowUp)).one()
    assert follow_up.interaction_id == interaction.id
    assert follow_up.client_id == client.id
    assert (follow_up.title, follow_up.due_on, follow_up.status) == (
        "Follow up: Review",
        date(2026, 12, 4),
        "open",
    )


def test_log_interaction_with_a_titled_follow_up_and_without_one(session: Session) -> None:
    client = make(session, Client)
    log(session, id_of(client), follow_up_title="Send proposal", follow_up_due=date(2026, 12, 1))
    log(session, id_of(client), follow_up_title="ignored without a date")
    assert [row.title for row in session.exec(select(FollowUp))] == ["Send proposal"]


def test_log_interaction_refreshes_the_clients_last_contact(session: Session) -> None:
    client = get_client(session=session, client_id=id_of(make(session, Client)))
    assert client is not None and client.last_contact_on is None
    log(session, id_of(client), kind="note")
    assert client.last_contact_on is None
    log(session, id_of(client))
    assert client.last_contact_on == AT.date()


def test_log_interaction_refuses_bad_input_and_writes_nothing(session: Session) -> None:
    client = make(session, Client)
    with pytest.raises(InvalidChange, match="kind"):
        log(session, id_of(client), kind="telepathy")
    with pytest.raises(RecordNotFound, match="client #404"):
        log(session, 404)
    assert session.exec(select(Interaction)).all() == []


def recomputed_last_contacts(session: Session) -> dict[int, date | None]:
    """Every client's last contact worked out from the interactions themselves."""
    rows = session.connection().execute(
        text(
            "SELECT c.id, (SELECT date(max(at)) FROM interaction i "
            "WHERE i.client_id = c.id AND i.kind != 'note') FROM client c"
        )
    )
    return {client_id: as_day(day) for client_id, day in rows}


def stored_last_contacts(session: Session) -> dict[int, date | None]:
    rows = session.connection().execute(text("SELECT id, last_contact_on FROM client"))
    return {client_id: as_day(day) for client_id, day in rows}


def as_day(value: str | date | None) -> date | None:
    """A day as read: ISO text from a file, a date from a server."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def test_last_contact_follows_every_insert_update_and_delete(session: Session) -> None:
    rng = random.Random(7)
    clients = [id_of(make(session, Client, name=f"Client {n}")) for n in range(4)]
    logged: list[int] = []
    for _step in range(120):
        action = rng.choice(["log", "log", "move", "kind", "client", "delete"])
        at = datetime(2026, 1, 1, 9, 0) + timedelta(
            days=rng.randrange(300), minutes=rng.randrange(600)
        )
        kind = rng.choice(["call", "note", "email", "note"])
        if action == "log" or not logged:
            logged.append(id_of(log(session, rng.choice(clients), at=at, kind=kind)))
            continue
        target = rng.choice(logged)
        if action == "delete":
            delete_interaction(session=session, interaction_id=target)
            logged.remove(target)
            continue
        changes: dict[str, dict[str, object]] = {
            "move": {"at": at},
            "kind": {"kind": kind},
            "client": {"client_id": rng.choice(clients)},
        }
        values = changes[action]
        update_interaction(session=session, interaction_id=target, values=values)
        assert stored_last_contacts(session) == recomputed_last_contacts(session)
    assert stored_last_contacts(session) == recomputed_last_contacts(session)
    loaded = {client.id: client.last_contact_on for client in session.exec(select(Client))}
    assert loaded == recomputed_last_contacts(session)


def test_update_interaction_moves_the_last_contact_of_both_clients(session: Session) -> None:
    first, second = make(session, Client), make(session, Client)
    interaction = log(session, id_of(first))
    update_interaction(
        session=session, interaction_id=id_of(interaction), values={"client_id": second.id}
    )
    assert (first.last_contact_on, second.last_contact_on) == (None, AT.date())


def test_deleting_an_interaction_keeps_its_follow_up(session: Session) -> None:
    client = make(session, Client)
    interaction = log(session, id_of(client), follow_up_due=date(2026, 12, 1))
    delete_interaction(session=session, interaction_id=id_of(interaction))
    follow_up = session.exec(select(FollowUp)).one()
    assert follow_up.interaction_id is None
    assert client.last_contact_on is None


# -- timeline and log ---------------------------------------------------------------------------


@pytest.fixture
def history(session: Session) -> tuple[Client, Client]:
    """Two clients with interactions, several sharing the same minute."""
    ada, bob = make(session, Client, name="Ada"), make(session, Client, name="Bob")
    for number in range(23):
        at = datetime(2026, 11, 1 + number // 3, 9, 0)
        client = ada if number % 2 else bob
        kind = ["call", "email", "note", "meeting"][number % 4]
        make(
            session,
            Interaction,
            client_id=id_of(client),
            at=at,
            kind=kind,
            subject=f"Topic {number}",
            notes="pension talk" if number % 5 == 0 else None,
        )
    return ada, bob


def newest_first(session: Session, client_id: int | None = None) -> list[int]:
    query = select(Interaction)
    if client_id is not None:
        query = query.where(Interaction.client_id == client_id)
    rows = [(row.at, id_of(row)) for row in session.exec(query)]
    return [row_id for _at, row_id in sorted(rows, reverse=True)]


def test_timeline_pages_newest_first_without_gaps_or_repeats(
    session: Session, history: tuple[Client, Client]
) -> None:
    ada, _bob = history
    seen: list[int] = []
    before = None
    while page := client_timeline(session=session, client_id=id_of(ada), limit=4, before=before):
        seen += [row.id for row in page]
        before = (page[-1].at, page[-1].id)
    assert seen == newest_first(session, ada.id)
    assert all(
        row.client_name == "Ada" for row in client_timeline(session=session, client_id=id_of(ada))
    )


def test_interaction_log_pages_over_everyone(
    session: Session, history: tuple[Client, Client]
) -> None:
    seen: list[int] = []
    before = None
    while page := list_interactions(session=session, limit=5, before=before):
        seen += [row.id for row in page]
        before = (page[-1].at, page[-1].id)
    assert seen == newest_first(session)


def test_interaction_log_filters(session: Session, history: tuple[Client, Client]) -> None:
    ada, _bob = history
    notes = list_interactions(session=session, kind="note", limit=100)
    assert notes and all(row.kind == "note" for row in notes)
    pension = list_interactions(session=session, text="PENSION", limit=100)
    assert {row.subject for row in pension} == {f"Topic {n}" for n in (0, 5, 10, 15, 20)}
    found = list_interactions(session=session, text="topic 7")
    assert [row.subject for row in found] == ["Topic 17", "Topic 7"]
    mine = list_interactions(session=session, client_id=id_of(ada), text="pension", limit=100)
    assert {row.subject for row in mine} == {"Topic 5", "Topic 15"}


def test_interaction_log_date_range_includes_both_days(session: Session) -> None:
    client = make(session, Client)
    for at in ("2026-11-09 23:59", "2026-11-10 00:00", "2026-11-12 23:59", "2026-11-13 00:00"):
        make(
            session, Interaction, client_id=id_of(client), at=datetime.fromisoformat(at), subject=at
        )
    found = list_interactions(
        session=session, date_from=date(2026, 11, 10), date_to=date(2026, 11, 12)
    )
    assert [row.subject for row in found] == ["2026-11-12 23:59", "2026-11-10 00:00"]
