"""What real address books write, read right: names and their parts, every address and number
with its label, and what a spreadsheet must not take for a formula."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from rmtui.core.db import session_scope
from rmtui.core.interchange.client_import import ImportFileError, ImportRejected
from rmtui.core.interchange.csv_files import import_clients_csv, write_csv_export
from rmtui.core.interchange.vcards import import_vcards, read_vcards
from rmtui.core.models import Client
from rmtui.core.queries.clients import ClientFilter, list_clients
from tests.core.test_vcards import points_of
from tests.factories import make
from tests.real_files import REAL_FILES


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def clients(engine: Engine) -> dict[str, Client]:
    with session_scope(engine) as session:
        return {client.name: client for client in session.exec(select(Client))}


# vCards


def test_cards_with_only_an_email_and_a_broken_photo_all_arrive(engine: Engine) -> None:
    report = import_vcards(REAL_FILES / "ez-vcard" / "John_Doe_ANDROID.vcf", engine=engine)
    assert (report.read, report.added, report.problems) == (6, 6, [])
    found = clients(engine)
    assert "john.doe@company.com" in found and "jane.doe@company.com" in found
    assert "card 1 (line 1): has no name, so it is named after its e-mail address" in report.notes


def test_name_parts_are_kept_and_the_organisation_keeps_its_comma(engine: Engine) -> None:
    import_vcards(REAL_FILES / "ez-vcard" / "outlook-2003.vcf", engine=engine)
    (client,) = clients(engine).values()
    parts = (
        client.name_prefix,
        client.given_name,
        client.additional_names,
        client.family_name,
        client.name_suffix,
    )
    assert parts == ("Mr.", "John", None, "Doe", "III")
    assert client.name == "John Doe III"
    assert client.company == "Company, The"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nFN:Ann\r\r\n Smith\r\r\nEND:VCARD\r\r\n", "AnnSmith"),
        ("home.BEGIN:VCARD\nVERSION:3.0\nFN:Ann Group\nhome.END:VCARD\n", "Ann Group"),
        ("BEGIN:VCARD\nVERSION:2.1\nPROFILE:VCard\nFN:Lotus Ann\nEND:VCARD\n", "Lotus Ann"),
    ],
    ids=["cr-cr-lf", "group-prefix", "lotus-profile"],
)
def test_odd_writers_cards_are_read(tmp_path: Path, text: str, expected: str) -> None:
    (card,) = read_vcards(write(tmp_path, "odd.vcf", text))
    assert card.problems == [] and card.record["name"] == expected


def test_a_text_birthday_goes_to_the_notes(engine: Engine) -> None:
    report = import_vcards(REAL_FILES / "khard" / "text-bday.vcf", engine=engine)
    (client,) = clients(engine).values()
    assert client.birthday is None and client.notes == "Birthday: circa 1800"
    assert any("'circa 1800' is text, not a date" in note for note in report.notes)


def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ünal\r\nEND:VCARD\r\n"
    (card,) = read_vcards(write(tmp_path, "u16.vcf", text.encode("utf-16-le")))
    assert card.record["name"] == "Zoë Ünal"


# CSV


def test_google_csv_keeps_every_phone_and_email(engine: Engine) -> None:
    import_clients_csv(REAL_FILES / "roundcube" / "gmail.csv", engine=engine)
    (client,) = clients(engine).values()
    points = points_of(engine, client.id)
    assert len([p for p in points if p[0] == "email"]) == 4
    assert len([p for p in points if p[0] == "phone"]) == 7
    assert (client.given_name, client.family_name) == ("Firstname", "Lastname")


def test_thunderbird_columns_are_recognised(engine: Engine) -> None:
    report = import_clients_csv(REAL_FILES / "roundcube" / "tb_plain.csv", engine=engine)
    (client,) = clients(engine).values()
    assert client.email == "test@domain.tld" and str(client.birthday) == "1970-11-15"
    assert ("email", "next@domain.tld", None, False) in points_of(engine, client.id)
    assert ("phone", "mobile", "mobile", False) in points_of(engine, client.id)
    assert "'Primary Email'" not in report.notes[-1]


def test_an_email_only_list_is_named_by_its_addresses(engine: Engine) -> None:
    report = import_clients_csv(REAL_FILES / "roundcube" / "email.csv", engine=engine)
    assert report.added == 4
    assert sorted(clients(engine)) == [f"test{n}@domain.tld" for n in range(1, 5)]


def test_a_linkedin_export_skips_its_notes_above_the_header(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Connections.csv",
        'Notes:\n"When exporting your connection data, you may notice that some of the email '
        'addresses are missing."\n\nFirst Name,Last Name,URL,Email Address,Company,Position,'
        "Connected On\nAda,Lovelace,https://www.linkedin.com/in/ada,ada@x.test,Engines,CTO,"
        "01 Jan 2024\nGrace,Hopper,https://www.linkedin.com/in/grace,,Navy,Admiral,02 Jan 2024\n",
    )
    report = import_clients_csv(path, engine=engine)
    assert report.added == 2
    ada = clients(engine)["Ada Lovelace"]
    assert (ada.email, ada.company) == ("ada@x.test", "Engines")
    assert "the 2 rows above the header row were left out" in report.notes


def test_an_unclosed_quote_is_a_problem_at_its_line(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "q.csv", 'name,email\n"Ann,ann@x.test\nBob,bob@x.test\n')
    with pytest.raises(ImportRejected) as raised:
        import_clients_csv(path, engine=engine)
    assert [str(problem) for problem in raised.value.report.problems] == [
        "line 2: a quote opens here and is never closed, so the rest of the file would be one "
        "cell; close or remove it"
    ]
    assert clients(engine) == {}


def test_a_quote_left_open_in_the_first_row_is_one_sentence(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "first.csv"
    path.write_bytes(b'"\xe3\x8e\x98\xc3\x8d<\x19\xc2\x9f')  # found by fuzzing
    with pytest.raises(ImportFileError, match="line 1: a quote opens here and is never closed"):
        import_clients_csv(path, engine=engine)
    assert clients(engine) == {}


def test_skip_invalid_imports_the_good_rows_and_lists_the_others(
    engine: Engine, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "s.csv", "name,email,tier\nAnn,ann@x.test,A\nBob,bob@x.test,Z\nCy,cy@x.test,C\n"
    )
    with pytest.raises(ImportRejected):
        import_clients_csv(path, engine=engine)
    report = import_clients_csv(path, engine=engine, skip_invalid=True)
    assert sorted(clients(engine)) == ["Ann", "Cy"]
    assert report.summary() == "s.csv: added 2 of 3 clients, skipped 1 with problems."
    assert "  skipped: row 3, tier: 'Z' is not one of A, B, C" in report.lines()


def test_skip_invalid_leaves_out_a_broken_card(engine: Engine) -> None:
    path = Path(__file__).parent.parent / "fixtures" / "broken_contacts.vcf"
    report = import_vcards(path, engine=engine, skip_invalid=True)
    assert [problem.where for problem in report.skipped] == ["card 4 (line 16)"]
    assert "Bad Birthday" not in clients(engine) and "Good Person" in clients(engine)


# CSV export: formulas neutralised, spreadsheet style


def test_formula_cells_get_a_quote_and_import_back_as_they_were(
    engine: Engine, tmp_path: Path, new_book: object
) -> None:
    risky = ["=cmd|' /C calc'!A0", "@SUM(A1)", "+1+1", "-2+3", "\tTab", "\rCR", "'=kept"]
    with session_scope(engine) as session:
        for number, text in enumerate(risky):
            make(session, Client, name=f"Client {number}", notes=text, source="ok")
    write_csv_export(tmp_path / "out", engine=engine)
    with (tmp_path / "out" / "clients.csv").open(encoding="utf-8", newline="") as handle:
        notes = [row["notes"] for row in csv.DictReader(handle)]
    assert notes == [f"'{text}" for text in risky]
    copy = new_book(tmp_path / "copy.db")  # type: ignore[operator]
    import_clients_csv(tmp_path / "out" / "clients.csv", engine=copy)
    assert [client.notes for client in clients(copy).values()] == risky


def test_excel_style_has_a_bom_the_locale_separator_and_phones_as_text(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RMTUI_LOCALE", "nl")
    from rmtui.core.user_locale import user_locale

    user_locale.cache_clear()
    with session_scope(engine) as session:
        make(session, Client, name="Ann", phone="0470123456")
    write_csv_export(tmp_path / "x", engine=engine, excel=True)
    path = tmp_path / "x" / "clients.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid;name;")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        (row,) = csv.DictReader(handle, delimiter=";")
    assert row["phone"] == '="0470123456"'  # Excel keeps it as text, with its leading 0


def test_the_filter_finds_a_client_by_another_address(engine: Engine) -> None:
    import_vcards(REAL_FILES / "roundcube" / "johndoe.vcf", engine=engine)
    with session_scope(engine) as session:
        for text in ("inbox@roundcube", "987654"):
            rows = list_clients(session=session, client_filter=ClientFilter(text=text))
            assert [row.name for row in rows] == ["John Doë"], text
