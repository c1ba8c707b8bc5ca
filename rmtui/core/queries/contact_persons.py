"""Contact persons: the people the relationship manager deals with at a business or corporate
client (name, role, how to reach them, whether they decide)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rmtui.core.models import CLIENT_SEARCH_TEXT, Client, ContactPerson
from rmtui.core.parsers import EMAIL
from rmtui.core.queries.common import (
    InvalidChange,
    apply_values,
    contains_text,
    fetch,
    table_of,
    without_case,
)
from rmtui.core.queries.trash import TrashRow, move_to_trash
from rmtui.core.search_text import fold

CONTACT_PERSON = table_of(ContactPerson)
CLIENT = table_of(Client)
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
            without_case(CONTACT_PERSON.c.name),
            CONTACT_PERSON.c.id,
        )
    )
    return list(session.execute(query).scalars())


@dataclass(frozen=True)
class PersonHit:
    """A contact person found by name or role, with the client they are at."""

    id: int
    client_id: int
    client_name: str
    name: str
    role: str | None


def search_contact_persons(*, session: Session, text: str, limit: int = 20) -> list[PersonHit]:
    """Contact persons of clients not archived whose name or role holds every word of `text`
    (`joke`, `cfo`), accents left out on both sides (`muller` finds Jörg Müller), by name.

    The clients' folded search text (schema 0009) narrows the search to the clients whose
    people hold every word; each of their people is then checked in Python."""
    words = [fold(word).casefold() for word in text.split()]
    if not words:
        return []
    people = CLIENT_SEARCH_TEXT.c.people
    query = (
        select(
            CONTACT_PERSON.c.id,
            CONTACT_PERSON.c.client_id,
            CLIENT.c.name,
            CONTACT_PERSON.c.name,
            CONTACT_PERSON.c.role,
        )
        .join_from(CONTACT_PERSON, CLIENT, CLIENT.c.id == CONTACT_PERSON.c.client_id)
        .join(CLIENT_SEARCH_TEXT, CLIENT_SEARCH_TEXT.c.id == CONTACT_PERSON.c.client_id)
        .where(*(contains_text(people, word) for word in words), CLIENT.c.archived.is_(False))
        .order_by(without_case(CONTACT_PERSON.c.name), CONTACT_PERSON.c.id)
    )
    hits = (PersonHit(*row) for row in session.execute(query))
    return list(islice((hit for hit in hits if _holds_every(hit, words)), limit))


def _holds_every(person: PersonHit, words: list[str]) -> bool:
    """Whether every (folded) word is in the person's name or role, accents left out."""
    name = fold(person.name).casefold()
    role = fold(person.role or "").casefold()
    return all(word in name or word in role for word in words)


def person_label(person: ContactPerson) -> str:
    """A contact person as a picker lists them: `Joke de Vries, CFO`."""
    return f"{person.name}, {person.role}" if person.role else person.name


def add_contact_person(*, session: Session, client_id: int, **values: Any) -> ContactPerson:
    """Add a person at a business or corporate client (`values`: name, role, email, phone,
    decision_maker, notes)."""
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
    if ("name" in cleaned or add) and not cleaned.get("name"):
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
