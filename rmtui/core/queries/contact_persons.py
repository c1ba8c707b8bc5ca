"""Contact persons: the people the relationship manager deals with at a business or corporate
client (name, role, how to reach them, whether they decide)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rmtui.core.models import Client, ContactPerson
from rmtui.core.parsers import EMAIL
from rmtui.core.queries.common import InvalidChange, apply_values, fetch, table_of
from rmtui.core.queries.trash import TrashRow, move_to_trash

CONTACT_PERSON = table_of(ContactPerson)
# Kinds of client that have people of their own to deal with.
ORGANISATIONS = ("business", "corporate")
FIXED = ("id", "client_id")


def contact_persons_of(*, session: Session, client_id: int) -> list[ContactPerson]:
    """A client's contact persons, decision makers first, then by name."""
    query = (
        select(ContactPerson)
        .where(CONTACT_PERSON.c.client_id == client_id)
        .order_by(
            CONTACT_PERSON.c.decision_maker.desc(),
            CONTACT_PERSON.c.name.collate("NOCASE"),
            CONTACT_PERSON.c.id,
        )
    )
    return list(session.execute(query).scalars())


def add_contact_person(
    *, session: Session, client_id: int, values: Mapping[str, Any]
) -> ContactPerson:
    """Add a person at a business or corporate client."""
    client = fetch(session, Client, client_id)
    if client.kind not in ORGANISATIONS:
        raise InvalidChange(
            f"{client.name} is a person; contact persons are kept for businesses and corporates."
        )
    person = ContactPerson(client_id=client_id, name="")
    return _changed(session, person, values, add=True)


def update_contact_person(
    *, session: Session, person_id: int, values: Mapping[str, Any]
) -> ContactPerson:
    """Change a contact person's name, role, e-mail, phone, decision maker or notes."""
    return _changed(session, fetch(session, ContactPerson, person_id), values)


def delete_contact_person(*, session: Session, person_id: int) -> TrashRow:
    """Move a contact person to the trash; the interactions with them no longer name them
    until they are restored."""
    return move_to_trash(session=session, model=ContactPerson, record_id=person_id)


def _changed(
    session: Session, person: ContactPerson, values: Mapping[str, Any], *, add: bool = False
) -> ContactPerson:
    cleaned = {name: _cleaned(value) for name, value in values.items()}
    if "name" in cleaned or add:
        if not cleaned.get("name"):
            raise InvalidChange("A contact person needs a name.")
    email = cleaned.get("email")
    if email and not EMAIL.match(email):
        raise InvalidChange(f"'{email}' is not an e-mail address.")
    apply_values(person, cleaned, fixed=FIXED)
    if add:
        session.add(person)
    session.flush()
    return person


def _cleaned(value: Any) -> Any:
    """Text stripped, empty text as None; other values as they are."""
    if isinstance(value, str):
        return value.strip() or None
    return value
