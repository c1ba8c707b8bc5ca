"""Interactions: logging a contact (with its next follow-up), a client's timeline, the log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from rmtui.core.models import Client, ContactPerson, FollowUp, Interaction
from rmtui.core.queries.common import (
    InvalidChange,
    apply_values,
    check_choices,
    columns_for,
    contains_text,
    fetch,
    page_limit,
    table_of,
)
from rmtui.core.queries.trash import TrashRow, move_to_trash
from rmtui.core.rules import start_of_next_day

INTERACTION = table_of(Interaction)
CLIENT = table_of(Client)
CONTACT_PERSON = table_of(ContactPerson)


@dataclass(frozen=True)
class InteractionRow:
    """One line of the interaction log or of a client's timeline."""

    id: int
    client_id: int
    client_name: str
    at: datetime
    kind: str
    direction: str
    subject: str
    notes: str | None
    duration_min: int | None
    contact_person: str | None = None  # the name of the person at the client it was with


def log_interaction(
    *,
    session: Session,
    client_id: int,
    at: datetime,
    kind: str,
    direction: str,
    subject: str,
    notes: str | None = None,
    duration_min: int | None = None,
    follow_up_title: str | None = None,
    follow_up_due: date | None = None,
    contact_person_id: int | None = None,
    review: bool = False,
) -> Interaction:
    """Log a call, meeting or note (`review`: the client's periodic review, which their next
    review counts from); with `follow_up_due`, also schedule the next follow-up.

    The follow-up (titled `follow_up_title`, or after the subject) is linked to the
    interaction and written in the same transaction.
    """
    fetch(session, Client, client_id)
    check_choices(Interaction, {"kind": kind, "direction": direction})
    check_contact_person(session, client_id, contact_person_id)
    interaction = Interaction(
        client_id=client_id,
        at=at,
        kind=kind,
        direction=direction,
        subject=subject,
        notes=notes,
        duration_min=duration_min,
        contact_person_id=contact_person_id,
        review=review,
    )
    session.add(interaction)
    session.flush()
    if follow_up_due is not None:
        title = follow_up_title or f"Follow up: {subject}"
        session.add(
            FollowUp(
                client_id=client_id,
                title=title,
                due_on=follow_up_due,
                interaction_id=interaction.id,
            )
        )
        session.flush()
    _refresh_last_contact(session, client_id)
    return interaction


def update_interaction(
    *, session: Session, interaction_id: int, values: Mapping[str, Any]
) -> Interaction:
    """Change an interaction's columns (its client's last contact follows)."""
    interaction = fetch(session, Interaction, interaction_id)
    check_choices(Interaction, values)
    old_client_id = interaction.client_id
    apply_values(interaction, values)
    check_contact_person(session, interaction.client_id, interaction.contact_person_id)
    session.flush()
    for client_id in {old_client_id, interaction.client_id}:
        _refresh_last_contact(session, client_id)
    return interaction


def delete_interaction(*, session: Session, interaction_id: int) -> TrashRow:
    """Move an interaction to the trash (follow-ups that came from it stay, unlinked until it
    is restored)."""
    return move_to_trash(session=session, model=Interaction, record_id=interaction_id)


def check_contact_person(session: Session, client_id: int, person_id: int | None) -> None:
    """InvalidChange unless `person_id` is None or one of the client's contact persons."""
    if person_id is None:
        return
    person = fetch(session, ContactPerson, person_id)
    if person.client_id != client_id:
        raise InvalidChange(f"{person.name} is a contact person of another client.")


def interaction_client(*, session: Session, interaction_id: int) -> tuple[int, str] | None:
    """The id and name of the client an interaction was with, or None when it is gone."""
    query = (
        select(CLIENT.c.id, CLIENT.c.name)
        .join_from(INTERACTION, CLIENT, CLIENT.c.id == INTERACTION.c.client_id)
        .where(INTERACTION.c.id == interaction_id)
    )
    found = session.execute(query).first()
    return (found[0], found[1]) if found is not None else None


def _refresh_last_contact(session: Session, client_id: int) -> None:
    """Let the client, when loaded, re-read the last contact the database triggers keep."""
    client = session.identity_map.get(identity_key(Client, client_id))
    if client is not None:
        session.expire(client, ["last_contact_on"])


def client_timeline(
    *,
    session: Session,
    client_id: int,
    limit: int = 50,
    before: tuple[datetime, int] | None = None,
) -> list[InteractionRow]:
    """A client's interactions, newest first, the page after `before` = (at, id) of the last
    row shown."""
    return list_interactions(session=session, client_id=client_id, limit=limit, before=before)


def list_interactions(
    *,
    session: Session,
    client_id: int | None = None,
    client_ids: Sequence[int] | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    text: str | None = None,
    limit: int = 50,
    before: tuple[datetime, int] | None = None,
) -> list[InteractionRow]:
    """One page of the interaction log, newest first, filtered; `before` = (at, id) of the
    previous page's last row. `text` is looked for in subject and notes; `client_ids` keeps
    the interactions of those clients (a household's members)."""
    conditions = interaction_filters(
        client_id=client_id, kind=kind, date_from=date_from, date_to=date_to, text=text
    )
    if client_ids is not None:
        conditions.append(INTERACTION.c.client_id.in_(list(client_ids)))
    at, interaction_id = INTERACTION.c.at, INTERACTION.c.id
    if before is not None:
        conditions += [at <= before[0], tuple_(at, interaction_id) < tuple(before)]
    query = (
        interaction_rows_query()
        .where(*conditions)
        .order_by(at.desc(), interaction_id.desc())
        .limit(page_limit(limit))
    )
    return [InteractionRow(*row) for row in session.execute(query)]


def interaction_filters(
    *,
    client_id: int | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    text: str | None = None,
) -> list[ColumnElement[bool]]:
    """SQL conditions for the interaction log's filters (dates inclusive)."""
    conditions: list[ColumnElement[bool]] = []
    if client_id is not None:
        conditions.append(INTERACTION.c.client_id == client_id)
    if kind:
        conditions.append(INTERACTION.c.kind == kind)
    if date_from is not None:
        conditions.append(INTERACTION.c.at >= datetime.combine(date_from, time.min))
    if date_to is not None:
        conditions.append(INTERACTION.c.at < start_of_next_day(date_to))
    for word in (text or "").split():
        conditions.append(
            or_(
                contains_text(INTERACTION.c.subject, word), contains_text(INTERACTION.c.notes, word)
            )
        )
    return conditions


def interaction_rows_query() -> Select[Any]:
    """SQL: the columns of an InteractionRow, each interaction with its client and person."""
    columns = columns_for(
        InteractionRow, INTERACTION, client_name=CLIENT.c.name, contact_person=CONTACT_PERSON.c.name
    )
    person = CONTACT_PERSON.c.id == INTERACTION.c.contact_person_id
    return (
        select(*columns)
        .join_from(INTERACTION, CLIENT, CLIENT.c.id == INTERACTION.c.client_id)
        .outerjoin(CONTACT_PERSON, person)
    )
