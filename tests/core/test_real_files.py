"""Files exported by real programs and kept in other projects' test suites (tests/fixtures/real)
come in whole: every contact, every e-mail address; and go out again readable by vobject."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject
from sqlalchemy import select
from sqlalchemy.engine import Engine

from rmtui.core.db import session_scope
from rmtui.core.interchange.client_import import ClientImportReport, ImportFileError
from rmtui.core.interchange.csv_files import import_clients_csv
from rmtui.core.interchange.vcard_export import client_uid, write_vcards
from rmtui.core.interchange.vcards import import_vcards
from rmtui.core.models import NAME_PARTS, Client, ContactPoint
from tests.khard_runs import khard_says
from tests.real_files import KNOWN_ENCODINGS, REAL_FILES, contents, fixture_name, real_files

FILES = real_files()
# Files with no card in them (EDS's test of a card without BEGIN:VCARD): refused, one sentence.
NO_CARDS = {"evolution-data-server/vcard-7.vcf"}


def import_file(path: Path, engine: Engine, **options: object) -> ClientImportReport:
    encoding = KNOWN_ENCODINGS.get(fixture_name(path))
    if path.suffix == ".csv":
        return import_clients_csv(path, engine=engine, encoding=encoding, **options)  # type: ignore[arg-type]
    return import_vcards(path, engine=engine, encoding=encoding, **options)  # type: ignore[arg-type]


def book_addresses(engine: Engine) -> set[str]:
    with session_scope(engine) as session:
        points = session.execute(select(ContactPoint.value)).scalars()  # type: ignore[call-overload]
        return {str(value).lower() for value in points}


def test_there_are_enough_files_from_enough_programs() -> None:
    assert len(FILES) >= 60
    assert len({path.parent.name for path in FILES}) >= 6
    listed = (REAL_FILES.parent / "README.md").read_text(encoding="utf-8")
    assert all(f"`{fixture_name(path)}`" in listed for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=fixture_name)
def test_every_contact_and_address_arrives(path: Path, engine: Engine) -> None:
    held = contents(path)
    if fixture_name(path) in NO_CARDS:
        with pytest.raises(ImportFileError, match="holds no vCards"):
            import_file(path, engine)
        return
    report = import_file(path, engine)
    assert report.problems == [] and report.skipped == []
    assert report.added + len(report.duplicates) == held.contacts
    assert held.emails <= book_addresses(engine)
    assert not any("unexpected" in line.lower() for line in report.lines())


def test_a_detected_encoding_is_said(engine: Engine) -> None:
    report = import_vcards(REAL_FILES / "roundcube" / "johndoe.vcf", engine=engine)
    assert "the file was read as cp1252 (detected)" in report.notes
    with session_scope(engine) as session:
        assert session.execute(select(Client.name)).scalar_one() == "John Doë"  # type: ignore[call-overload]


@pytest.fixture
def everything(engine: Engine) -> Engine:
    """A book holding the clients of every real file."""
    for path in FILES:
        if fixture_name(path) not in NO_CARDS:
            import_file(path, engine)
    return engine


def card_facts(card: object) -> tuple[str, tuple[str, ...], set[str], set[str]]:
    """Name, name parts, e-mail addresses and phone numbers of a vobject card."""
    contents = card.contents  # type: ignore[attr-defined]
    n = contents["n"][0].value
    parts = (n.prefix, n.given, n.additional, n.family, n.suffix)
    emails = {line.value for line in contents.get("email", [])}
    phones = {line.value for line in contents.get("tel", [])}
    return contents["fn"][0].value, tuple(str(part) for part in parts), emails, phones


def book_facts(engine: Engine) -> dict[str, tuple[str, tuple[str, ...], set[str], set[str]]]:
    """The same facts of every client in the book, by the UID its card gets."""
    with session_scope(engine) as session:
        clients = session.execute(select(Client)).scalars().all()  # type: ignore[call-overload]
        points = session.execute(select(ContactPoint)).scalars().all()  # type: ignore[call-overload]
        facts = {}
        for client in clients:
            mine = [point for point in points if point.client_id == client.id]
            parts = tuple(getattr(client, part) or "" for part in NAME_PARTS)
            if client.kind != "person":
                parts = ("", "", "", "", "")
            elif not any(parts):
                given, _, family = client.name.partition(" ")
                parts = ("", given, "", family.strip(), "")
            facts[client_uid(client.id or 0)] = (
                client.name,
                parts,
                {p.value for p in mine if p.kind == "email"} | ({client.email} - {None}),
                {p.value for p in mine if p.kind == "phone"} | ({client.phone} - {None}),
            )
        return facts


def test_the_vcard_export_reads_back_in_vobject_with_names_parts_emails_phones(
    everything: Engine, tmp_path: Path
) -> None:
    target = tmp_path / "all.vcf"
    count = write_vcards(target, engine=everything)["clients"]
    cards = list(vobject.readComponents(target.read_text(encoding="utf-8")))
    assert len(cards) == count > 60
    read_back = {card.uid.value: card_facts(card) for card in cards}
    assert read_back == book_facts(everything)


def test_khard_lists_the_folder_export(everything: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    count = write_vcards(folder, engine=everything)["clients"]
    lines = khard_says(folder, "list", "--parsable")
    assert len(lines) == count
    assert {line.split("\t")[0] for line in lines} == {
        client_uid(client_id) for client_id in range(1, count + 1)
    }
