"""The cards of a vCard file that are not clients of their own: a group (KIND:group, such as a
household rmtui wrote) is left out, and a person RELATED to the card of a business in the same
file is added as that business's contact person rather than as a client."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rmtui.core.figures import count_text
from rmtui.core.interchange.client_import import ClientImportReport, Duplicate
from rmtui.core.interchange.vcard_export import DECISION_MAKER
from rmtui.core.models import Client
from rmtui.core.queries.contact_persons import (
    ORGANISATIONS,
    add_contact_person,
    contact_persons_of,
)
from rmtui.core.translation import N_, _, ngettext

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from rmtui.core.interchange.vcards import ContactCard

# What a client card may hold that a contact person has no place for.
NOT_KEPT = {
    "city": N_("city"),
    "country": N_("country"),
    "birthday": N_("birthday"),
    "tags": N_("categories"),
}


@dataclass(frozen=True)
class Person:
    """A contact person read from a card, and the card of their business."""

    where: str
    business: str  # where the business's card is
    values: dict[str, Any]

    @property
    def name(self) -> str:
        """The person's name."""
        return str(self.values["name"])


@dataclass
class SortedCards:
    """A file's cards by what they become: clients, contact persons, or nothing (groups)."""

    clients: list[ContactCard] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    groups: list[ContactCard] = field(default_factory=list)


def sort_cards(cards: list[ContactCard]) -> SortedCards:
    """The cards sorted: groups apart, people at a business of the file apart, then clients."""
    businesses = {
        card.links.uid: card
        for card in cards
        if card.links.uid and card.record.get("kind") == "business" and not _is_group(card)
    }
    found = SortedCards()
    for card in cards:
        business = _business_of(card, businesses)
        if _is_group(card):
            found.groups.append(card)
        elif business is not None:
            found.people.append(Person(card.where, business.where, person_values(card)))
        else:
            found.clients.append(card)
    return found


def group_note(card: ContactCard) -> str:
    """What the report says of a group card left out."""
    name = card.record.get("name") or _("a group")
    count = card.links.members
    if count:
        said = ngettext(
            "{where} ({name}) is a group of {count} card, not a client, so it was left out (a "
            "household comes back whole with a book file, .json)",
            "{where} ({name}) is a group of {count} cards, not a client, so it was left out (a "
            "household comes back whole with a book file, .json)",
            count,
        )
    else:
        said = _(
            "{where} ({name}) is a group, not a client, so it was left out (a household comes "
            "back whole with a book file, .json)"
        )
    return said.format(where=card.where, name=name, count=count_text(count))


def person_values(card: ContactCard) -> dict[str, Any]:
    """The contact person a card gives: name, role (its TITLE), e-mail, phone, whether they
    decide (a ROLE of `decision maker`) and notes."""
    record = card.record
    values = {
        "name": record.get("name"),
        "role": card.links.title or None,
        "email": record.get("email"),
        "phone": record.get("phone"),
        "decision_maker": DECISION_MAKER in card.links.roles,
        "notes": record.get("notes"),
    }
    dropped = [_(label) for name, label in NOT_KEPT.items() if record.get(name)]
    if dropped:
        said = _("is a contact person, who has no {fields}: left out of their record")
        card.notes.append(said.format(fields=", ".join(dropped)))
    return values


def _is_group(card: ContactCard) -> bool:
    return card.links.kind == "group"


def _business_of(card: ContactCard, businesses: Mapping[str, ContactCard]) -> ContactCard | None:
    """The business of the file a person's card is RELATED to, if any."""
    record = card.record
    if record.get("kind") != "person" or not record.get("name"):
        return None
    if card.links.kind not in ("", "individual"):
        return None
    return next((businesses[uri] for uri in card.links.related if uri in businesses), None)


# -- adding them -------------------------------------------------------------------------------


@dataclass
class PeopleAdder:
    """Adds the contact persons of a file to the clients their businesses became, once those
    are in the book (in the import's transaction), leaving out those already there."""

    people: list[Person]
    report: ClientImportReport
    # Names and e-mail addresses of the people each client has, read once, then added to.
    known: dict[int | str, set[str]] = field(default_factory=dict)

    def __call__(self, session: Session, clients: Mapping[str, int | None]) -> None:
        left_out = {problem.where for problem in self.report.skipped}
        for person in self.people:
            if person.where in left_out:
                continue
            if person.business not in clients:
                said = _(
                    "{where} ({name}): its business, {business}, was not imported, so neither "
                    "were they"
                )
                self.report.notes.append(
                    said.format(where=person.where, name=person.name, business=person.business)
                )
                continue
            self._add(session, person, clients[person.business])

    def _add(self, session: Session, person: Person, client_id: int | None) -> None:
        client = session.get(Client, client_id) if client_id is not None else None
        if client is not None and client.kind not in ORGANISATIONS:
            said = _(
                "{where} ({name}) is at client {id} ({client}), a person, who has no contact "
                "persons; left out"
            )
            self.report.notes.append(
                said.format(where=person.where, name=person.name, id=client.id, client=client.name)
            )
            return
        known = self._known(session, client_id, person.business)
        keys = _keys(person.values)
        if keys & known:
            who = client.name if client is not None else person.business
            reason = _("already a contact person of {client}; skipped").format(client=who)
            self.report.duplicates.append(Duplicate(person.where, person.name, reason, client_id))
            return
        known |= keys
        self.report.contact_persons += 1
        if client is not None and not self.report.dry_run:
            assert client.id is not None
            add_contact_person(session=session, client_id=client.id, **person.values)

    def _known(self, session: Session, client_id: int | None, business: str) -> set[str]:
        key: int | str = client_id if client_id is not None else business
        if key not in self.known:
            self.known[key] = set()
            if client_id is not None:
                for person in contact_persons_of(session=session, client_id=client_id):
                    self.known[key] |= _keys({"name": person.name, "email": person.email})
        return self.known[key]


def _keys(values: Mapping[str, Any]) -> set[str]:
    """What makes two contact persons of one client the same: their name, their e-mail."""
    keys = {f"name:{str(values['name']).strip().casefold()}"}
    if values.get("email"):
        keys.add(f"email:{str(values['email']).strip().lower()}")
    return keys
