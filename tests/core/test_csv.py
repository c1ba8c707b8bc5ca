"""CSV: every entity exported with all columns; clients imported from real spreadsheets."""

from __future__ import annotations

import csv
import stat
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.interchange.client_import import ImportFileError, ImportRejected
from rmtui.core.interchange.csv_files import (
    import_clients_csv,
    parse_mapping,
    read_clients_csv,
    write_csv_export,
)
from rmtui.core.models import (
    ENTITIES,
    AuditEntry,
    Case,
    Client,
    FinancialGoal,
    FollowUp,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
    Target,
)
from tests.core.test_vcards import points_of
from tests.factories import make

FIXTURES = Path(__file__).parent.parent / "fixtures"


def clients(engine: Engine) -> dict[str, Client]:
    with session_scope(engine) as session:
        return {client.name: client for client in session.exec(select(Client))}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# Export


@pytest.fixture
def full_book(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as session:
        ada = make(
            session, Client, name="Ada Lovelace", email="ada@example.com", tags=["vip", "golf"]
        )
        bob = make(session, Client, name='Bob, "the builder"', referred_by_id=ada.id)
        call = make(session, Interaction, client_id=ada.id, at=datetime(2026, 11, 1, 10, 0))
        make(session, FollowUp, client_id=ada.id, interaction_id=call.id)
        make(session, Opportunity, client_id=ada.id, value=Decimal("2500.75"))
        make(session, Revenue, client_id=ada.id, amount=Decimal("1250.50"))
        make(session, Holding, client_id=bob.id)
        make(session, FinancialGoal, client_id=ada.id)
        make(session, Survey, client_id=ada.id, comment="Line one\nline two")
        make(session, Case, client_id=bob.id)
        make(session, Target)
        return {"ada": ada.id or 0, "bob": bob.id or 0, "call": call.id or 0}


NOT_IN_FULL_BOOK = {"contact_points", "contact_persons", "households", "household_members"}


def test_export_writes_one_csv_per_entity(
    engine: Engine, full_book: dict[str, int], tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    counts = write_csv_export(folder, engine=engine)
    assert counts == {
        entity: 2 if entity == "clients" else 0 if entity in NOT_IN_FULL_BOOK else 1
        for entity in ENTITIES
    }
    assert sorted(path.name for path in folder.iterdir()) == sorted(f"{e}.csv" for e in ENTITIES)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "clients.csv").stat().st_mode) == 0o600


def test_export_uses_interchange_names_and_exact_values(
    engine: Engine, full_book: dict[str, int], tmp_path: Path
) -> None:
    write_csv_export(tmp_path, engine=engine)
    ada, bob = read_csv(tmp_path / "clients.csv")
    assert list(ada) == [
        "id",
        "name",
        "kind",
        "status",
        "tier",
        "email",
        "phone",
        "company",
        "city",
        "country",
        "birthday",
        "preferred_channel",
        "checkin_every_days",
        "review_every_months",
        "source",
        "referred_by",
        "tags",
        "risk_profile",
        "notes",
        "created_on",
        "client_since",
        "client_until",
        "archived",
        "name_prefix",
        "given_name",
        "additional_names",
        "family_name",
        "name_suffix",
        "preferred_language",
        "owner",
    ]
    assert (ada["tags"], ada["archived"], ada["created_on"]) == ("vip, golf", "false", "2024-01-01")
    assert (bob["name"], bob["referred_by"]) == ('Bob, "the builder"', str(full_book["ada"]))
    (interaction,) = read_csv(tmp_path / "interactions.csv")
    assert interaction["client"] == str(full_book["ada"])
    assert interaction["at"] == "2026-11-01T10:00:00"
    assert read_csv(tmp_path / "follow_ups.csv")[0]["interaction"] == str(full_book["call"])
    assert read_csv(tmp_path / "revenue.csv")[0]["amount"] == "1250.50"
    assert read_csv(tmp_path / "opportunities.csv")[0]["value"] == "2500.75"
    assert read_csv(tmp_path / "targets.csv")[0]["target"] == "1000.00"
    assert read_csv(tmp_path / "surveys.csv")[0]["comment"] == "Line one\nline two"


def test_export_into_a_file_says_so(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "file.csv").write_text("x")
    with pytest.raises(BookError, match="is a file"):
        write_csv_export(tmp_path / "file.csv", engine=engine)


# Import


def test_excel_with_semicolons_and_bom(engine: Engine) -> None:
    report = import_clients_csv(FIXTURES / "excel_nl_semicolon.csv", engine=engine)
    assert (report.read, report.added, report.problems, report.notes) == (4, 4, [], [])
    found = clients(engine)
    jan = found["Jan de Boer"]
    assert (jan.email, jan.phone, jan.city, jan.country) == (
        "jan.deboer@ziggo.nl",
        "06-12345678",
        "Haarlem",
        "Nederland",
    )
    assert jan.birthday == date(1984, 3, 17) and jan.tags == ["A-klant", "golf"]
    fleur = found["Fleur Bakker"]
    assert fleur.birthday == date(1975, 11, 2) and fleur.company == "Bakkerij Bakker BV"
    assert fleur.notes == "Belt liever na 16:00; niet op maandag"
    assert found["Sem Visser"].notes == "Twee regels\nin één cel"
    assert jan.created_on == date(2026, 11, 29) and jan.tier == "B"


def test_google_contacts_csv(engine: Engine) -> None:
    report = import_clients_csv(FIXTURES / "google_contacts.csv", engine=engine)
    assert report.added == 2
    found = clients(engine)
    marieke = found["Marieke de Vries"]
    assert marieke.tags == ["Golf club"] and marieke.company == "Rabobank"
    assert marieke.city == "Utrecht" and marieke.birthday == date(1984, 3, 17)
    assert marieke.notes == "Met at the Utrecht business lunch."
    assert marieke.email == "marieke.devries@gmail.com"
    assert points_of(engine, marieke.id)[:2] == [
        ("email", "marieke.devries@gmail.com", "home", True),
        ("email", "m.devries@rabobank.nl", "work", False),
    ]
    thomas = found["Thomas Müller"]
    assert thomas.birthday is None and thomas.notes == "Birthday: 17 April" and thomas.tags == []
    assert report.notes == [
        "columns not imported: 'Nickname', 'Organization Title', 'Address 1 - Label' "
        "(map one with --map 'COLUMN=FIELD')",
        "row 3: the birthday 17 April has no year, so it was put in the notes",
    ]


def test_outlook_csv(engine: Engine) -> None:
    import_clients_csv(FIXTURES / "outlook_contacts.csv", engine=engine)
    found = clients(engine)
    sophie = found["Sophie Dubois"]
    assert sophie.birthday is None and sophie.phone == "+32 2 555 12 12"
    assert (sophie.city, sophie.country) == ("Bruxelles", "Belgique")
    assert sophie.tags == ["Prospects", "Pensioen"]
    assert sophie.notes == "Klant sinds 2019."
    assert ("phone", "+32 498 55 12 12", "mobile", False) in points_of(engine, sophie.id)
    assert found["François Lefèvre"].birthday == date(1966, 12, 3)


def test_broken_file_is_refused_whole_with_the_exact_report(engine: Engine) -> None:
    with pytest.raises(ImportRejected) as raised:
        import_clients_csv(FIXTURES / "broken_clients.csv", engine=engine)
    report = raised.value.report
    assert str(raised.value) == "broken_clients.csv has 4 problems, so nothing was imported."
    assert [str(problem) for problem in report.problems] == [
        "row 5, birthday: '1980-02-30' is not a date; write it as YYYY-MM-DD",
        "row 6, tier: 'Z' is not one of A, B, C",
        "row 7, client_until: 2023-01-01 is before client_since 2024-05-01",
        "row 8: has 8 cells but the header has 7 columns",
    ]
    assert report.notes == [
        "row 3 has no name, so it is named after its email",
        "row 4: 'bad.mail(at)example.com' is not an e-mail address, so it was put in the notes",
    ]
    assert clients(engine) == {}


def test_a_file_in_another_encoding_is_read_and_the_report_says_which(engine: Engine) -> None:
    report = import_clients_csv(FIXTURES / "excel_windows1252.csv", engine=engine)
    assert report.notes[0].startswith("the file was read as ")
    assert report.notes[0].endswith("(detected)")
    assert not any("\ufffd" in name for name in clients(engine))


def add_turing(engine: Engine) -> int:
    with session_scope(engine) as session:
        turing = make(
            session,
            Client,
            name="Alan Turing",
            email="Alan.Turing@example.org",
            city="Wilmslow",
            tags=["vip"],
            tier="A",
        )
        return turing.id or 0


def test_duplicates_are_reported_and_skipped(engine: Engine) -> None:
    turing = add_turing(engine)
    report = import_clients_csv(FIXTURES / "clients_with_duplicates.csv", engine=engine)
    assert report.added == 2 and report.merged == 0
    assert [str(duplicate) for duplicate in report.duplicates] == [
        "row 4 (A. Lovelace): same e-mail as row 2; skipped",
        "row 5 (Grace Hopper): same name and phone as row 3; skipped",
        f"row 6 (Alan Turing): same e-mail as client {turing} (Alan Turing); skipped",
    ]
    assert clients(engine)["Alan Turing"].city == "Wilmslow"
    assert report.summary() == (
        "clients_with_duplicates.csv: added 2 of 5 clients, skipped 3 duplicates."
    )


def test_merge_updates_the_book_client_with_the_file_values(engine: Engine) -> None:
    turing = add_turing(engine)
    report = import_clients_csv(FIXTURES / "clients_with_duplicates.csv", engine=engine, merge=True)
    assert (report.added, report.merged) == (2, 1)
    merged = clients(engine)["Alan Turing"]
    assert merged.id == turing
    assert (merged.city, merged.tier, merged.email) == (
        "Manchester",
        "A",
        "alan.turing@example.org",
    )
    assert merged.tags == ["vip", "logic", "crypto"]
    assert merged.notes == "Updated from the spreadsheet"
    assert report.summary() == (
        "clients_with_duplicates.csv: added 2 of 5 clients, merged 1, skipped 2 duplicates."
    )
    with session_scope(engine) as session:
        updates = session.exec(
            select(AuditEntry).where(
                col(AuditEntry.action) == "update", col(AuditEntry.client_id) == turing
            )
        ).all()
    assert updates and updates[0].changes["city"] == ["Wilmslow", "Manchester"]


def test_dry_run_writes_nothing(engine: Engine) -> None:
    report = import_clients_csv(FIXTURES / "excel_nl_semicolon.csv", engine=engine, dry_run=True)
    assert report.added == 4
    assert report.summary() == "excel_nl_semicolon.csv: would add 4 of 4 clients."
    report = import_clients_csv(FIXTURES / "broken_clients.csv", engine=engine, dry_run=True)
    assert len(report.problems) == 4
    assert clients(engine) == {}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sheet.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_map_overrides_the_headings(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "Relatienr;Omschrijving;Stad;Segment\n17;Kapsalon Knip;Delft;a\n")
    mapping = parse_mapping(["Omschrijving=name", "Stad=skip", "Segment=tier"])
    sheet = read_clients_csv(path, mapping=mapping)
    assert sheet.columns == {"Omschrijving": "name", "Segment": "tier"}
    assert sheet.notes == ["columns not imported: 'Relatienr' (map one with --map 'COLUMN=FIELD')"]
    import_clients_csv(path, engine=engine, mapping=mapping)
    kapsalon = clients(engine)["Kapsalon Knip"]
    assert (kapsalon.tier, kapsalon.city, kapsalon.checkin_every_days) == ("A", None, None)


@pytest.mark.parametrize(
    ("text", "pairs", "sentence"),
    [
        ("Omschrijving;Stad\nX;Y\n", [], "has no column for the client's name"),
        ("name;Stad\nX;Y\n", ["Plaats=city"], "has no column 'Plaats'; its columns are"),
        ("name;Stad\nX;Y\n", ["Stad=town"], "'town' is not a client field"),
        ("", [], "is empty"),
    ],
)
def test_bad_mappings_are_one_sentence(
    engine: Engine, tmp_path: Path, text: str, pairs: list[str], sentence: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ImportFileError, match=sentence):
        import_clients_csv(path, engine=engine, mapping=parse_mapping(pairs))


def test_parse_mapping_refuses_a_pair_without_equals() -> None:
    with pytest.raises(ImportFileError, match="write it as column=field"):
        parse_mapping(["Naam"])


def test_exported_clients_import_into_another_book(
    engine: Engine, full_book: dict[str, int], tmp_path: Path, new_book: Callable[[Path], Engine]
) -> None:
    write_csv_export(tmp_path / "out", engine=engine)
    other = new_book(tmp_path / "other.db")
    try:
        report = import_clients_csv(tmp_path / "out" / "clients.csv", engine=other)
        assert report.added == 2
        assert "'id', 'referred_by'" in report.notes[0]
        assert sorted(clients(other)) == ["Ada Lovelace", 'Bob, "the builder"']
    finally:
        other.dispose()
