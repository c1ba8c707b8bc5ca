"""Households and contact persons in vCards: out as vCard 4.0 group and person cards (read back
by vobject and khard), and in again without a client made of a group or of a person at a
business."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import vobject
from sqlalchemy.engine import Engine
from sqlmodel import select

from rmtui.core.db import session_scope
from rmtui.core.interchange.client_import import ImportRejected
from rmtui.core.interchange.vcard_export import card_uid, client_uid, write_vcards
from rmtui.core.interchange.vcards import import_vcards
from rmtui.core.models import Client, ContactPerson
from rmtui.core.queries.contact_persons import add_contact_person
from rmtui.core.queries.households import add_member, create_household
from tests.factories import make
from tests.khard_runs import khard_says

ROLES = (("Piet Jansen", "head"), ("Anna Jansen", "partner"), ("Tim Jansen", "child"))


def book_with_people(engine: Engine) -> dict[str, int]:
    """The Jansens (head, partner, child) in a household, and De Groot Agro with its CFO (who
    decides) and its owner; their ids by first name."""
    with session_scope(engine) as session:
        ids = {}
        for name, _role in ROLES:
            email = f"{name.split()[0].lower()}@jansen.example"
            ids[name.split()[0]] = make(session, Client, name=name, email=email).id or 0
        household = create_household(session=session, client_id=ids["Piet"], name="Jansens")
        for name, role in ROLES[1:]:
            client_id = ids[name.split()[0]]
            add_member(
                session=session, household_id=household.id or 0, client_id=client_id, role=role
            )
        firm = make(session, Client, name="De Groot Agro", kind="corporate", email="info@dga.nl")
        joke = add_contact_person(
            session=session,
            client_id=firm.id or 0,
            name="Joke de Vries",
            role="CFO",
            email="joke@dga.nl",
            phone="+31 6 1234 5678",
            decision_maker=True,
            notes="Prefers mornings; call her mobile.",
        )
        kees = add_contact_person(session=session, client_id=firm.id or 0, name="Kees de Groot")
        ids |= {"household": household.id or 0, "firm": firm.id or 0}
        ids |= {"joke": joke.id or 0, "kees": kees.id or 0}
    return ids


def cards_by_uid(path: Path) -> dict[str, Any]:
    return {card.uid.value: card for card in vobject.readComponents(path.read_text("utf-8"))}


def people_of(engine: Engine) -> list[tuple[str, str, str | None, str | None, bool, str | None]]:
    """Every contact person: (business, name, role, e-mail, decides, notes), by name."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(Client.name, ContactPerson).join(
                ContactPerson,
                ContactPerson.client_id == Client.id,  # type: ignore[arg-type]
            )
        ).all()
        people = [(firm, p.name, p.role, p.email, p.decision_maker, p.notes) for firm, p in rows]
    return sorted(people, key=lambda person: person[1])


def client_names(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return sorted(session.exec(select(Client.name)).all())


def test_a_household_is_a_group_card_whose_members_are_its_clients_cards(
    engine: Engine, tmp_path: Path
) -> None:
    ids = book_with_people(engine)
    target = tmp_path / "book.vcf"
    counts = write_vcards(target, engine=engine)
    assert counts == {"clients": 4, "households": 1, "contact_persons": 2}
    cards = cards_by_uid(target)
    group = cards[card_uid("household", ids["household"])]
    assert (group.version.value, group.kind.value, group.fn.value) == ("4.0", "group", "Jansens")
    members = [line.value for line in group.contents["member"]]
    assert members == [client_uid(ids["Piet"]), client_uid(ids["Anna"]), client_uid(ids["Tim"])]
    assert all(member in cards for member in members)
    related = {
        (line.params["TYPE"][0], line.value) for line in cards[members[0]].contents["related"]
    }
    assert related == {("spouse", members[1]), ("child", members[2])}
    tim = cards[members[2]]
    assert {line.params["TYPE"][0] for line in tim.contents["related"]} == {"parent"}
    assert "member" not in cards[members[0]].contents  # MEMBER only on a group card


def test_a_contact_person_is_a_card_of_their_own_at_their_business(
    engine: Engine, tmp_path: Path
) -> None:
    ids = book_with_people(engine)
    target = tmp_path / "book.vcf"
    write_vcards(target, engine=engine)
    cards = cards_by_uid(target)
    joke = cards[card_uid("contact-person", ids["joke"])]
    assert (joke.kind.value, joke.fn.value) == ("individual", "Joke de Vries")
    assert (joke.n.value.given, joke.n.value.family) == ("Joke", "de Vries")
    assert joke.org.value == ["De Groot Agro"]
    assert (joke.title.value, joke.role.value) == ("CFO", "decision maker")
    assert (joke.email.value, joke.tel.value) == ("joke@dga.nl", "+31 6 1234 5678")
    assert joke.note.value == "Prefers mornings; call her mobile."
    assert joke.related.value == client_uid(ids["firm"])
    assert joke.related.params["TYPE"] == ["work"]
    firm = cards[client_uid(ids["firm"])]
    assert (firm.kind.value, firm.org.value) == ("org", ["De Groot Agro"])
    kees = cards[card_uid("contact-person", ids["kees"])]
    assert "title" not in kees.contents and "role" not in kees.contents


def test_the_folder_export_has_a_file_per_card_and_khard_reads_every_one(
    engine: Engine, tmp_path: Path
) -> None:
    ids = book_with_people(engine)
    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / "household-99.vcf").write_text("stale")
    (folder / "contact-person-99.vcf").write_text("stale")
    write_vcards(folder, engine=engine)
    expected = {
        *(f"client-{ids[name]}.vcf" for name in ("Piet", "Anna", "Tim", "firm")),
        f"household-{ids['household']}.vcf",
        f"contact-person-{ids['joke']}.vcf",
        f"contact-person-{ids['kees']}.vcf",
    }
    assert {path.name for path in folder.iterdir()} == expected
    listed = {tuple(line.split("\t")[:2]) for line in khard_says(folder, "list", "--parsable")}
    assert (card_uid("household", ids["household"]), "Jansens") in listed
    assert (card_uid("contact-person", ids["joke"]), "Joke de Vries") in listed
    assert len(listed) == len(expected)
    joke = card_uid("contact-person", ids["joke"]).removeprefix("urn:uuid:")
    shown = khard_says(folder, "show", "--format", "yaml", f"uid:{joke}")
    for line in ("Kind: individual", "Organisation: De Groot Agro", "Title: CFO"):
        assert line in shown
    assert "Role: decision maker" in shown


def test_a_round_trip_into_a_new_book_brings_the_contact_persons_back_and_no_group_client(
    engine: Engine, tmp_path: Path, new_book: Callable[[Path], Engine]
) -> None:
    book_with_people(engine)
    target = tmp_path / "book.vcf"
    write_vcards(target, engine=engine)
    other = new_book(tmp_path / "other.db")
    report = import_vcards(target, engine=other)
    assert report.summary() == "book.vcf: added 4 of 4 clients and 2 contact persons."
    assert any("(Jansens) is a group of 3 cards, not a client" in note for note in report.notes)
    assert client_names(other) == client_names(engine)  # none named Jansens, Joke or Kees
    assert people_of(other) == people_of(engine)


def test_a_round_trip_into_the_same_book_adds_nothing(engine: Engine, tmp_path: Path) -> None:
    book_with_people(engine)
    target = tmp_path / "book.vcf"
    write_vcards(target, engine=engine)
    before = (client_names(engine), people_of(engine))
    report = import_vcards(target, engine=engine)
    assert report.summary() == "book.vcf: added 0 of 4 clients, skipped 6 duplicates."
    said = "card 6 (line 56) (Joke de Vries): already a contact person of De Groot Agro; skipped"
    assert f"  duplicate: {said}" in report.lines()
    assert (client_names(engine), people_of(engine)) == before


FOREIGN = """BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:aaaaaaaa-0000-4000-8000-000000000001
KIND:org
FN:Bakkerij Van Dam
ORG:Bakkerij Van Dam
EMAIL:info@vandam.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:aaaaaaaa-0000-4000-8000-000000000002
FN:Els van Dam
N:van Dam;Els;;;
ORG:Bakkerij Van Dam
TITLE:Owner
EMAIL:els@vandam.example
ADR:;;;Rotterdam;;;
RELATED;TYPE=co-worker:urn:uuid:aaaaaaaa-0000-4000-8000-000000000001
END:VCARD
BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:aaaaaaaa-0000-4000-8000-000000000003
FN:Bram Peeters
EMAIL:bram@example.org
RELATED;TYPE=spouse:urn:uuid:aaaaaaaa-0000-4000-8000-000000000004
RELATED;VALUE=text:Bakkerij Van Dam
END:VCARD
BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:aaaaaaaa-0000-4000-8000-000000000004
FN:Lies Peeters
EMAIL:lies@example.org
END:VCARD
BEGIN:VCARD
VERSION:4.0
KIND:group
FN:Golf club
MEMBER:urn:uuid:aaaaaaaa-0000-4000-8000-000000000003
END:VCARD
"""


def test_cards_of_another_program_sort_into_clients_people_and_groups(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "nextcloud.vcf"
    path.write_text(FOREIGN, encoding="utf-8")
    dry = import_vcards(path, engine=engine, dry_run=True)
    assert dry.summary() == "nextcloud.vcf: would add 3 of 3 clients and 1 contact person."
    assert client_names(engine) == []
    report = import_vcards(path, engine=engine)
    assert client_names(engine) == ["Bakkerij Van Dam", "Bram Peeters", "Lies Peeters"]
    assert people_of(engine) == [
        ("Bakkerij Van Dam", "Els van Dam", "Owner", "els@vandam.example", False, None)
    ]
    assert (
        "card 2 (line 9): is a contact person, who has no city: left out of their record"
        in report.notes
    )
    assert any("(Golf club) is a group of 1 card, not a client" in note for note in report.notes)


def test_a_broken_contact_person_card_stops_the_import_or_is_skipped(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "broken.vcf"
    path.write_text(FOREIGN.replace("TITLE:Owner", "BDAY:not a date"), encoding="utf-8")
    with pytest.raises(ImportRejected):
        import_vcards(path, engine=engine)
    assert client_names(engine) == [] and people_of(engine) == []
    report = import_vcards(path, engine=engine, skip_invalid=True)
    assert report.summary() == "broken.vcf: added 3 of 3 clients, skipped 1 with problems."
    assert people_of(engine) == []
