"""vCards out, as vCard 4.0 (RFC 6350): every client; every household as a group card (KIND:group)
whose MEMBERs are its clients' cards, each member's card RELATED to the others (spouse, parent,
child...); every contact person as a card of their own, with ORG their business and RELATED to
its card. One .vcf file, or a folder with a file per card as khard and vdirsyncer read."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import vobject
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from rmtui.core.db import session_scope
from rmtui.core.interchange.table_rows import entity_table
from rmtui.core.models import NAME_PARTS
from rmtui.core.private_files import open_private, private_folder, write_private_bytes
from rmtui.core.queries.contact_points import PointRow

VERSION = "4.0"
PRODUCT_ID = "-//rmtui//rmtui clients//EN"
# Every card's UID is a URN made from its record (the same on every export), so that MEMBER and
# RELATED can point at it: urn:uuid:<uuid5 of `client-7@rmtui` in this namespace>.
UID_NAMESPACE = uuid.UUID("5d1a0b6e-3c2f-5b8e-9f41-7a2d6c0e8b13")
# The folder files of the cards an export writes; the stale ones among them are removed.
CARD_FILE = re.compile(r"^(client|household|contact-person)-\d+\.vcf$")
# TYPE words of a vCard 4.0 e-mail address or phone number for the labels rmtui keeps.
TYPE_OF_LABEL = {"mobile": "cell"}
# What a household member is to another, by (the other's role, their own role) (RFC 6350 RELATED
# types); any other pair lives under one roof: co-resident.
RELATION = {
    ("partner", "head"): "spouse",
    ("head", "partner"): "spouse",
    ("child", "head"): "child",
    ("child", "partner"): "child",
    ("head", "child"): "parent",
    ("partner", "child"): "parent",
    ("child", "child"): "sibling",
}
DECISION_MAKER = "decision maker"  # the ROLE of a contact person who decides

Card = tuple[str, Any]  # the file name of a card in a folder, and the card


def card_uid(kind: str, record_id: int) -> str:
    """The stable UID of the card of a record of `kind` (client, household, contact-person)."""
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, f'{kind}-{record_id}@rmtui')}"


def client_uid(client_id: int) -> str:
    """The stable UID of a client's vCard."""
    return card_uid("client", client_id)


def write_vcards(target: Path, *, engine: Engine) -> dict[str, int]:
    """Write every client, household and contact person as vCard 4.0; how many of each.

    `target` is one .vcf file holding them all, or (when it is a folder or has no .vcf suffix)
    a folder with a file per card (`client-ID.vcf`, `household-ID.vcf`,
    `contact-person-ID.vcf`); files of records no longer in the book are removed from it.
    """
    target = Path(target)
    counts = {"clients": 0, "households": 0, "contact_persons": 0}
    with session_scope(engine) as session:
        cards = _counted(_book_cards(session.connection()), counts)
        if target.is_dir() or target.suffix.lower() != ".vcf":
            _write_folder(target, cards)
        else:
            _write_one_file(target, cards)
    return counts


def _counted(cards: Iterator[tuple[str, Card]], counts: dict[str, int]) -> Iterator[Card]:
    for entity, card in cards:
        counts[entity] += 1
        yield card


def _book_cards(connection: Connection) -> Iterator[tuple[str, Card]]:
    """(entity, card) of every client by id, then every household, then every contact person."""
    members = _members_by_household(connection)
    relations = _relations(members.values())
    points = _points_by_client(connection)
    clients = entity_table("clients")
    for row in connection.execute(select(clients).order_by(clients.c.id)).mappings():
        card = client_vcard(row, points.get(row["id"], []), relations.get(row["id"], []))
        yield "clients", (f"client-{row['id']}.vcf", card)
    households = entity_table("households")
    for row in connection.execute(select(households).order_by(households.c.id)).mappings():
        card = household_vcard(row, members.get(row["id"], []))
        yield "households", (f"household-{row['id']}.vcf", card)
    for person in _contact_person_rows(connection):
        card = contact_person_vcard(person)
        yield "contact_persons", (f"contact-person-{person['id']}.vcf", card)


# -- the cards ---------------------------------------------------------------------------------


def client_vcard(
    row: Mapping[Any, Any],
    points: list[PointRow] | None = None,
    relations: list[tuple[int, str]] | None = None,
) -> Any:
    """One client row as a vCard 4.0: KIND individual or org, every e-mail address and phone
    number of `points`, and a RELATED line for each (client id, relation) of `relations`."""
    business = row["kind"] != "person"
    card = _new_card(client_uid(row["id"]), row["name"], "org" if business else "individual")
    card.add("n").value = _name_parts(row)
    if business or row["company"]:
        card.add("org").value = [row["name"] if business else row["company"]]
    if business:
        card.add("x-abshowas").value = "COMPANY"  # Apple Contacts' word for an organisation
    for point in _with_own_points(row, points or []):
        _add_point(card, point)
    if row["city"] or row["country"]:
        address = vobject.vcard.Address(city=row["city"] or "", country=row["country"] or "")
        card.add("adr").value = address
    if row["birthday"]:
        card.add("bday").value = row["birthday"].strftime("%Y%m%d")
    if row["tags"]:
        card.add("categories").value = list(row["tags"])
    if row["notes"]:
        card.add("note").value = row["notes"]
    for other_id, relation in relations or []:
        _add_related(card, client_uid(other_id), relation)
    return card


def household_vcard(row: Mapping[Any, Any], members: list[tuple[int, str]]) -> Any:
    """A household as a group card: its name, and a MEMBER line for the card of each member."""
    card = _new_card(card_uid("household", row["id"]), row["name"], "group")
    card.add("n").value = vobject.vcard.Name()
    for client_id, _role in members:
        card.add("member").value = client_uid(client_id)
    return card


def contact_person_vcard(row: Mapping[Any, Any]) -> Any:
    """A person at a business: ORG the business's name, TITLE their role, ROLE `decision maker`
    when they decide, RELATED (work) to the business's card."""
    card = _new_card(card_uid("contact-person", row["id"]), row["name"], "individual")
    card.add("n").value = split_name(row["name"])
    card.add("org").value = [row["client_name"]]
    if row["role"]:
        card.add("title").value = row["role"]
    if row["decision_maker"]:
        card.add("role").value = DECISION_MAKER
    for kind in ("email", "phone"):
        if row[kind]:
            _add_point(card, PointRow(0, kind, row[kind], None, True))
    if row["notes"]:
        card.add("note").value = row["notes"]
    _add_related(card, client_uid(row["client_id"]), "work")
    return card


def _new_card(uid: str, name: str, kind: str) -> Any:
    card = vobject.vCard()
    card.add("version").value = VERSION
    card.add("prodid").value = PRODUCT_ID
    card.add("uid").value = uid
    card.add("kind").value = kind
    card.add("fn").value = name
    return card


def _add_related(card: Any, uid: str, relation: str) -> None:
    line = card.add("related")
    line.value = uid
    line.type_param = relation


def split_name(name: str) -> Any:
    """A name as N parts: given name up to the first space, the rest the family name."""
    given, _, family = name.strip().partition(" ")
    return vobject.vcard.Name(family=family.strip(), given=given)


def _name_parts(row: Mapping[Any, Any]) -> Any:
    """The N of a client: its kept parts, else its name split at the first space."""
    if row["kind"] != "person":
        return vobject.vcard.Name()
    kept = [row.get(part) or "" for part in NAME_PARTS]
    if any(kept):
        prefix, given, additional, family, suffix = kept
        return vobject.vcard.Name(
            family=family, given=given, additional=additional, prefix=prefix, suffix=suffix
        )
    return split_name(row["name"])


def _with_own_points(row: Mapping[Any, Any], points: list[PointRow]) -> list[PointRow]:
    """`points` with the client's own e-mail and phone first when they are not among them."""
    own = [
        PointRow(0, kind, row[kind], None, True)
        for kind in ("email", "phone")
        if row[kind] and not any(p.kind == kind and p.value == row[kind] for p in points)
    ]
    return [*own, *points]


def _add_point(card: Any, point: PointRow) -> None:
    """An EMAIL or TEL line: its label as TYPE values, PREF=1 for the preferred one."""
    line = card.add("email" if point.kind == "email" else "tel")
    line.value = point.value
    types = [_type_word(word) for word in re.split(r"[,;]\s*", point.label or "") if word]
    if types:
        line.type_paramlist = types
    if point.preferred:
        line.pref_param = "1"


def _type_word(label: str) -> str:
    """A label as a TYPE value: vCard's own word where there is one (mobile is CELL)."""
    word = re.sub(r"[^A-Za-z0-9-]", "-", label.strip())
    return TYPE_OF_LABEL.get(word.lower(), word)


# -- reading the book --------------------------------------------------------------------------


def _points_by_client(connection: Connection) -> dict[int, list[PointRow]]:
    table = entity_table("contact_points")
    query = select(table).order_by(table.c.client_id, table.c.kind, table.c.id)
    found: dict[int, list[PointRow]] = {}
    for row in connection.execute(query):
        point = PointRow(row.id, row.kind, row.value, row.label, bool(row.preferred))
        found.setdefault(row.client_id, []).append(point)
    return found


def _members_by_household(connection: Connection) -> dict[int, list[tuple[int, str]]]:
    """(client id, role) of every household's members, by household id."""
    table = entity_table("household_members")
    query = select(table.c.household_id, table.c.client_id, table.c.role).order_by(table.c.id)
    found: dict[int, list[tuple[int, str]]] = {}
    for household_id, client_id, role in connection.execute(query):
        found.setdefault(household_id, []).append((client_id, role))
    return found


def _relations(households: Any) -> dict[int, list[tuple[int, str]]]:
    """What each member of a household is to every other, by client id: (other id, RELATED
    type), the others in the household's order."""
    found: dict[int, list[tuple[int, str]]] = {}
    for members in households:
        for client_id, role in members:
            found[client_id] = [
                (other_id, RELATION.get((other_role, role), "co-resident"))
                for other_id, other_role in members
                if other_id != client_id
            ]
    return found


def _contact_person_rows(connection: Connection) -> Iterator[Mapping[Any, Any]]:
    """Every contact person, with the name of their business, by id."""
    people, clients = entity_table("contact_persons"), entity_table("clients")
    query = (
        select(people, clients.c.name.label("client_name"))
        .join_from(people, clients, clients.c.id == people.c.client_id)
        .order_by(people.c.id)
    )
    yield from connection.execute(query).mappings()


# -- writing -----------------------------------------------------------------------------------


def _write_one_file(target: Path, cards: Iterator[Card]) -> None:
    with open_private(target) as handle:
        for _name, card in cards:
            handle.write(card.serialize())


def _write_folder(folder: Path, cards: Iterator[Card]) -> None:
    folder = private_folder(folder)
    written: set[str] = set()
    for name, card in cards:
        write_private_bytes(folder / name, card.serialize().encode("utf-8"))
        written.add(name)
    for stale in folder.iterdir():
        if CARD_FILE.match(stale.name) and stale.name not in written:
            stale.unlink()
