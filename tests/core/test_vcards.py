"""vCard export (one file, a khard folder) and import of what phones and address books write;
households and contact persons out and back in (test_vcard_households)."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import vobject
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from rmtui.core.db import session_scope
from rmtui.core.interchange.client_import import ImportFileError, ImportRejected
from rmtui.core.interchange.vcard_export import client_uid, write_vcards
from rmtui.core.interchange.vcards import import_vcards, read_vcards
from rmtui.core.models import AuditEntry, Client
from rmtui.core.queries.contact_points import contact_points_of
from tests.factories import make

FIXTURES = Path(__file__).parent.parent / "fixtures"


def clients(engine: Engine) -> dict[str, Client]:
    with session_scope(engine) as session:
        return {client.name: client for client in session.exec(select(Client))}


def add_book_clients(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as session:
        ada = make(
            session,
            Client,
            name="Ada Lovelace",
            email="ada@example.com",
            phone="+44 20 7946 0000",
            company="Analytical Engines",
            city="London",
            country="United Kingdom",
            birthday=date(1815, 12, 10),
            tags=["vip", "math, logic"],
            notes="Prefers e-mail.\nSend the quarterly report.",
        )
        bakery = make(session, Client, name="Bakkerij Van Dam", kind="business", city="Rotterdam")
        return {"ada": ada.id or 0, "bakery": bakery.id or 0}


def points_of(engine: Engine, client_id: int | None) -> list[tuple[str, str, str | None, bool]]:
    """The client's contact points as (kind, value, label, preferred), e-mail first."""
    with session_scope(engine) as session:
        rows = contact_points_of(session=session, client_id=client_id or 0)
    return [(row.kind, row.value, row.label, row.preferred) for row in rows]


def parse(path: Path) -> list[Any]:
    return list(vobject.readComponents(path.read_text(encoding="utf-8")))


# Export


CLIENTS_ONLY = {"clients": 2, "households": 0, "contact_persons": 0}


def test_export_to_one_file_writes_vcard_4(engine: Engine, tmp_path: Path) -> None:
    ids = add_book_clients(engine)
    target = tmp_path / "clients.vcf"
    assert write_vcards(target, engine=engine) == CLIENTS_ONLY
    ada, bakery = parse(target)
    assert ada.version.value == "4.0"
    assert ada.uid.value == client_uid(ids["ada"]) and ada.uid.value.startswith("urn:uuid:")
    assert (ada.kind.value, bakery.kind.value) == ("individual", "org")
    assert ada.fn.value == "Ada Lovelace"
    assert (ada.n.value.given, ada.n.value.family) == ("Ada", "Lovelace")
    assert ada.org.value == ["Analytical Engines"]
    assert ada.email.value == "ada@example.com" and ada.email.params["PREF"] == ["1"]
    assert ada.tel.value == "+44 20 7946 0000"
    assert (ada.adr.value.city, ada.adr.value.country) == ("London", "United Kingdom")
    assert ada.bday.value == "18151210"  # RFC 6350 writes dates in ISO 8601's basic format
    assert ada.categories.value == ["vip", "math, logic"]
    assert ada.note.value == "Prefers e-mail.\nSend the quarterly report."
    assert bakery.org.value == ["Bakkerij Van Dam"] and bakery.x_abshowas.value == "COMPANY"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_to_a_folder_writes_one_card_per_client(engine: Engine, tmp_path: Path) -> None:
    ids = add_book_clients(engine)
    folder = tmp_path / "khard"
    folder.mkdir()
    (folder / f"client-{ids['bakery'] + 100}.vcf").write_text("stale")
    (folder / "someone-else.vcf").write_text("kept")
    assert write_vcards(folder, engine=engine) == CLIENTS_ONLY
    names = sorted(path.name for path in folder.iterdir())
    assert names == sorted(
        [f"client-{ids['ada']}.vcf", f"client-{ids['bakery']}.vcf", "someone-else.vcf"]
    )
    (card,) = parse(folder / f"client-{ids['ada']}.vcf")
    assert card.uid.value == client_uid(ids["ada"])
    assert {"VERSION", "UID", "FN", "N"} <= {line.name for line in card.lines()}


def test_export_to_a_new_folder_creates_it(engine: Engine, tmp_path: Path) -> None:
    add_book_clients(engine)
    assert write_vcards(tmp_path / "contacts", engine=engine) == CLIENTS_ONLY
    assert stat.S_IMODE((tmp_path / "contacts").stat().st_mode) == 0o700


def test_exported_cards_import_back_alike(engine: Engine, tmp_path: Path) -> None:
    add_book_clients(engine)
    target = tmp_path / "clients.vcf"
    write_vcards(target, engine=engine)
    records = {card.record["name"]: card.record for card in read_vcards(target)}
    assert records["Ada Lovelace"] == {
        "name": "Ada Lovelace",
        "kind": "person",
        "company": "Analytical Engines",
        "email": "ada@example.com",
        "phone": "+44 20 7946 0000",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "city": "London",
        "country": "United Kingdom",
        "birthday": "1815-12-10",
        "tags": ["vip", "math, logic"],
        "notes": "Prefers e-mail.\nSend the quarterly report.",
    }
    assert records["Bakkerij Van Dam"]["kind"] == "business"


# Import


def test_google_contacts(engine: Engine) -> None:
    report = import_vcards(FIXTURES / "google_contacts.vcf", engine=engine)
    assert (report.read, report.added, report.problems) == (3, 3, [])
    found = clients(engine)
    marieke = found["Marieke de Vries"]
    assert marieke.email == "marieke.devries@gmail.com"
    assert marieke.phone == "+31 6 12345678"
    assert (marieke.company, marieke.city, marieke.country) == (
        "Rabobank",
        "Utrecht",
        "Netherlands",
    )
    assert marieke.birthday == date(1984, 3, 17)
    assert marieke.tags == ["Golf club"]
    assert points_of(engine, marieke.id) == [
        ("email", "marieke.devries@gmail.com", "home", True),
        ("email", "m.devries@rabobank.nl", "work", False),
        ("phone", "+31 6 12345678", "mobile", True),
        ("phone", "+31 30 216 0000", "work", False),
    ]
    thomas = found["Thomas Müller"]
    assert thomas.birthday is None and thomas.tags == []
    assert thomas.notes == "Birthday: 17 April"
    assert ("phone", "+49 171 9876543", "handy", False) in points_of(engine, thomas.id)
    assert report.notes == [
        "card 2 (line 18): the birthday 17 April has no year, so it was put in the notes"
    ]
    bakery = found["Bakkerij Van Dam"]
    assert (bakery.kind, bakery.company, bakery.city) == ("business", None, "Rotterdam")
    assert marieke.created_on == date(2026, 11, 29) and marieke.status == "client"


def test_apple_contacts(engine: Engine) -> None:
    report = import_vcards(FIXTURES / "apple_contacts.vcf", engine=engine)
    assert report.added == 3
    found = clients(engine)
    pieter = found["Pieter Janssens"]
    assert pieter.email == "pieter@janssensbouw.be"
    assert pieter.phone == "+32 475 12 34 56"
    assert (pieter.company, pieter.city, pieter.country) == ("Janssens Bouw BV", "Gent", "Belgium")
    assert pieter.birthday is None
    assert pieter.notes == (
        "Prefers calls after 4 pm.\nSon studies in Leuven.\nBirthday: 21 August"
    )
    pieter_points = points_of(engine, pieter.id)
    assert ("email", "pieter.janssens@telenet.be", "home", False) in pieter_points
    assert ("phone", "+32 9 123 45 67", "work", False) in pieter_points
    assert found["Studio Noord"].kind == "business"
    assert found["Studio Noord"].phone == "+31 20 765 4321"
    elodie = found["Élodie Lefèvre"]
    assert elodie.phone == "06 98 76 54 32" and elodie.birthday == date(1979, 11, 5)
    assert elodie.notes is None
    assert ("phone", "+33 1 42 68 53 00", "work", False) in points_of(engine, elodie.id)


def test_outlook_quoted_printable_2_1(engine: Engine) -> None:
    import_vcards(FIXTURES / "outlook.vcf", engine=engine)
    found = clients(engine)
    sophie = found["Sophie Dubois"]
    assert sophie.email == "sophie.dubois@duboisfils.be"
    assert (sophie.company, sophie.city, sophie.country) == (
        "Dubois & Fils",
        "Bruxelles",
        "Belgique",
    )
    assert sophie.notes == "Klant sinds 2019.\nInteresse in pensioensparen."
    assert ("phone", "+32 498 55 12 12", "mobile", False) in points_of(engine, sophie.id)
    francois = found["François Lefèvre"]
    assert francois.birthday == date(1966, 12, 3)
    assert francois.email == "francois.lefevre@orange.fr"


def test_android_phone_export_with_soft_line_breaks(engine: Engine) -> None:
    import_vcards(FIXTURES / "android_phone.vcf", engine=engine)
    ayse = clients(engine)["Ayşe Öztürk"]
    assert ayse.phone == "+31612345679"
    assert ayse.city == "Amsterdam" and ayse.birthday == date(1990, 1, 2)
    assert (ayse.notes or "").startswith(
        "Lange notitie die over meerdere regels gaat en daarom met een zachte regelafbreking"
        " is opgesplitst. Café op vrijdag."
    )


def test_vcard_4(engine: Engine) -> None:
    import_vcards(FIXTURES / "vcard4.vcf", engine=engine)
    found = clients(engine)
    hannah = found["Dr. Hannah Schmidt"]
    assert hannah.email == "hannah.schmidt@praxis-schmidt.de"
    assert hannah.phone == "+49-170-1234567"
    assert hannah.birthday == date(1975, 6, 23) and hannah.city == "Köln"
    assert hannah.tags == ["Ärzte", "Referral partner"]
    assert found["Schmidt & Partner Steuerberatung"].kind == "business"


def test_broken_file_is_refused_whole_with_every_problem(engine: Engine) -> None:
    with pytest.raises(ImportRejected) as raised:
        import_vcards(FIXTURES / "broken_contacts.vcf", engine=engine)
    assert str(raised.value) == "broken_contacts.vcf has 1 problem, so nothing was imported."
    report = raised.value.report
    assert [str(problem) for problem in report.problems] == [
        "card 4 (line 16), BDAY: '31-02-1980' is not a date; write it as YYYY-MM-DD",
    ]
    assert report.notes == [
        "card 2 (line 6): has no name, so it is named after its phone number",
        "card 3 (line 11): 'bad.mail(at)example.com' is not an e-mail address, so it was put "
        "in the notes",
        "card 5 (line 21): line 24 ('this line has no colon') is not a vCard line; left out",
        "card 6 (line 26): has no END:VCARD line, so it was read up to the end of the file",
    ]
    assert clients(engine) == {}


def test_dry_run_reports_without_writing(engine: Engine) -> None:
    report = import_vcards(FIXTURES / "broken_contacts.vcf", engine=engine, dry_run=True)
    assert len(report.problems) == 1 and report.dry_run
    report = import_vcards(FIXTURES / "google_contacts.vcf", engine=engine, dry_run=True)
    assert report.added == 3
    assert report.summary() == "google_contacts.vcf: would add 3 of 3 clients."
    assert clients(engine) == {}


def test_duplicates_in_the_file_and_the_book_are_skipped(engine: Engine) -> None:
    with session_scope(engine) as session:
        turing = make(session, Client, name="Alan Turing", email="Alan.Turing@example.org")
    report = import_vcards(FIXTURES / "duplicate_contacts.vcf", engine=engine)
    assert report.added == 2
    assert [str(duplicate) for duplicate in report.duplicates] == [
        "card 2 (line 6) (A. Lovelace): same e-mail as card 1 (line 1); skipped",
        "card 4 (line 16) (Grace Hopper): same name and phone as card 3 (line 11); skipped",
        f"card 5 (line 21) (Alan Turing): same e-mail as client {turing.id} (Alan Turing); skipped",
    ]
    assert sorted(clients(engine)) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert report.summary() == (
        "duplicate_contacts.vcf: added 2 of 5 clients, skipped 3 duplicates."
    )


def test_import_is_audited(engine: Engine) -> None:
    import_vcards(FIXTURES / "google_contacts.vcf", engine=engine)
    with session_scope(engine) as session:
        entry = session.exec(select(AuditEntry).where(col(AuditEntry.action) == "import")).one()
    assert entry.changes == {"source": "google_contacts.vcf", "added": 3, "merged": 0}


def test_a_file_in_another_encoding_is_read_and_the_report_says_which(engine: Engine) -> None:
    report = import_vcards(FIXTURES / "latin1_contacts.vcf", engine=engine)
    assert "Zoë Maës" in clients(engine)
    assert report.notes[0].startswith("the file was read as ")
    assert report.notes[0].endswith("(detected)")


@pytest.mark.parametrize(
    ("content", "sentence"),
    [(None, "does not exist"), ("name;email\nAda;ada@example.com\n", "holds no vCards")],
)
def test_unreadable_files_are_one_sentence(
    engine: Engine, tmp_path: Path, content: str | None, sentence: str
) -> None:
    path = tmp_path / "contacts.vcf"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ImportFileError, match=sentence):
        import_vcards(path, engine=engine)


def test_file_with_a_byte_order_mark_reads(tmp_path: Path) -> None:
    path = tmp_path / "bom.vcf"
    path.write_bytes(b"\xef\xbb\xbfBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo M\r\nEND:VCARD\r\n")
    assert [card.record["name"] for card in read_vcards(path)] == ["Bo M"]


def test_merge_updates_the_book_client(engine: Engine) -> None:
    with session_scope(engine) as session:
        turing = make(session, Client, name="Alan Turing", email="Alan.Turing@example.org")
    report = import_vcards(FIXTURES / "duplicate_contacts.vcf", engine=engine, merge=True)
    assert (report.added, report.merged) == (2, 1)
    assert clients(engine)["Alan Turing"].email == "alan.turing@example.org"
    assert clients(engine)["Alan Turing"].id == turing.id
