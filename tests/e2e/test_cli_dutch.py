"""The command line in Dutch (LANG nl_NL): help, what a command says, its refusals and usage
errors with the same exit codes as in English."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from rmtui.cli import main
from rmtui.core.translation import reset_language
from rmtui.core.user_locale import user_locale
from tests.e2e.test_cli import rmtui

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def dutch(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    """A user whose environment is Dutch (LANG), with a book."""
    monkeypatch.delenv("RMTUI_LOCALE")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    monkeypatch.setenv("RMTUI_TODAY", "2026-12-01")
    user_locale.cache_clear()
    reset_language()


def test_help_is_dutch(dutch: None) -> None:
    shown = rmtui("--help")
    assert shown.returncode == 0
    assert shown.stdout.startswith("gebruik: rmtui")
    assert "toon deze hulptekst en stop" in shown.stdout
    assert "toon de lijst van Vandaag" in shown.stdout
    assert "afsluitstatus: 0 gedaan, 1 geweigerd" in shown.stdout


def test_a_usage_error_is_dutch_and_exits_2(dutch: None, capsys: Capture) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["log"])
    assert stopped.value.code == 2
    said = capsys.readouterr().err
    assert "gebruik: rmtui log" in said
    assert "fout: de volgende argumenten zijn verplicht: CLIENT, SUBJECT" in said


def test_the_daily_commands_speak_dutch(dutch: None, capsys: Capture) -> None:
    assert main(["client", "add", "Jan de Boer", "--tier", "A", "--language", "nl"]) == 0
    assert capsys.readouterr().out == "Jan de Boer toegevoegd (klant 1).\n"
    assert main(["log", "jan", "Jaarcijfers besproken", "--next", "vrijdag:Offerte sturen"]) == 0
    assert capsys.readouterr().out == (
        "Vastgelegd: gesprek met Jan de Boer (klant 1), contactmoment 1; "
        "volgende opvolgactie vr 04 dec: Offerte sturen (opvolgactie 1).\n"
    )
    assert main(["follow-up", "add", "jan", "Bellen", "--due", "overmorgen"]) == 0
    assert capsys.readouterr().out == (
        "Gepland: opvolgactie 2 voor Jan de Boer op do 03 dec: Bellen.\n"
    )
    assert main(["agenda"]) == 0
    agenda = capsys.readouterr().out
    assert agenda.startswith("Vandaag, dinsdag 2026-12-01\n")
    assert "De komende 7 dagen (2)" in agenda
    assert "2026-12-03  Bellen - Jan de Boer  (urgentie 1,0)" in agenda
    assert main(["follow-up", "done", "2"]) == 0
    assert capsys.readouterr().out == "Opvolgactie 2 afgerond: Bellen (Jan de Boer).\n"


def test_refusals_are_dutch_and_exit_1(dutch: None, capsys: Capture) -> None:
    assert main(["client", "add", "Jan de Boer"]) == 0
    capsys.readouterr()
    assert main(["log", "niemand", "x"]) == 1
    assert capsys.readouterr().err == (
        "rmtui: geen klant past bij 'niemand'; controleer de naam met `rmtui client list`. "
        "Er is niets vastgelegd.\n"
    )
    assert main(["follow-up", "add", "jan", "X", "--due", "ooit"]) == 1
    assert capsys.readouterr().err == (
        "rmtui: --due: 'ooit' is geen datum; probeer 2026-12-01, morgen, vr, +3d of 2w; "
        "er is niets vastgelegd.\n"
    )
    with pytest.raises(SystemExit) as stopped:
        main(["client", "add", "Piet", "--language", "fr"])
    assert stopped.value.code == 2
    assert "ongeldige keuze: 'fr' (kies uit 'nl', 'en')" in capsys.readouterr().err


def test_the_other_commands_speak_dutch(
    dutch: None, capsys: Capture, tmp_path: pytest.TempPathFactory
) -> None:
    assert main(["client", "add", "Jan de Boer"]) == 0
    assert main(["client", "add", "Els de Boer"]) == 0
    capsys.readouterr()
    assert main(["revenue", "add", "jan", "1234,50", "--kind", "fee"]) == 0
    assert capsys.readouterr().out == (
        "Vastgelegd: honorarium van 1.234,50 op 2026-12-01 van Jan de Boer (klant 1), omzet 1.\n"
    )
    assert main(["deal", "add", "jan", "Pensioen", "--stage", "proposal"]) == 0
    assert (
        capsys.readouterr().out == "Toegevoegd: “Pensioen” (voorstel) voor Jan de Boer, kans 1.\n"
    )
    assert main(["deal", "move", "1", "proposal"]) == 1
    assert capsys.readouterr().err == (
        "rmtui: kans 1 “Pensioen” staat al op voorstel; er is niets vastgelegd.\n"
    )
    assert main(["household", "add", "jan", "--name", "Familie De Boer"]) == 0
    assert capsys.readouterr().out == "Familie De Boer aangemaakt (huishouden 1).\n"
    assert main(["household", "join", "1", "els", "--role", "partner"]) == 0
    assert capsys.readouterr().out == "Klant 2 is als partner aan Familie De Boer toegevoegd.\n"
    assert main(["household", "list"]) == 0
    assert capsys.readouterr().out == "     1  Familie De Boer  (2 leden)\n"
    assert main(["household", "show", "familie"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith(
        "Familie De Boer (huishouden 1): contact met één lid geldt voor allen\n"
    )
    assert "Leden:\n" in shown
    assert main(["household", "show", "niemand"]) == 1
    assert capsys.readouterr().err == ("rmtui: Er is geen huishouden met een naam als 'niemand'.\n")


def test_a_repeat_rule_is_typed_and_shown_in_dutch(dutch: None, capsys: Capture) -> None:
    assert main(["client", "add", "Jan de Boer"]) == 0
    capsys.readouterr()
    assert (
        main(["follow-up", "add", "jan", "Bellen", "--due", "morgen", "--repeat", "elke 2 weken"])
        == 0
    )
    capsys.readouterr()
    assert main(["follow-up", "list"]) == 0
    assert "Bellen  — Jan de Boer  (elke 2 weken)" in capsys.readouterr().out
    assert main(["follow-up", "add", "jan", "X", "--due", "morgen", "--repeat", "soms"]) == 1
    assert "--repeat: 'soms' is geen herhaling" in capsys.readouterr().err


def test_the_trash_and_the_book_files_speak_dutch(
    dutch: None, capsys: Capture, tmp_path: pytest.TempPathFactory
) -> None:
    assert main(["trash", "list"]) == 0
    assert capsys.readouterr().out == "De prullenbak is leeg.\n"
    assert main(["trash", "restore", "7"]) == 1
    assert capsys.readouterr().err == (
        "rmtui: Er is geen item #7 in de prullenbak; `rmtui trash list` toont wat erin zit.\n"
    )
    assert main(["trash", "empty", "--yes"]) == 0
    assert capsys.readouterr().out == "De prullenbak is al leeg.\n"
    assert main(["import", "/nergens/klanten.csv"]) == 1
    assert capsys.readouterr().err == (
        "rmtui: er is geen bestand of map op /nergens/klanten.csv; controleer de naam.\n"
    )
    assert main(["export", "uit.json", "--excel"]) == 2
    assert "--excel is een optie van CSV-exports" in capsys.readouterr().err


def test_a_bad_book_file_is_refused_in_dutch_and_exits_1(
    dutch: None, capsys: Capture, tmp_path: pytest.TempPathFactory
) -> None:
    bad = tmp_path / "slecht.json"  # type: ignore[operator]
    bad.write_text(
        '{"format": "rmtui-book", "version": 1, "clients": [{"id": 1, "name": "Jan",'
        ' "email": "jan@", "tier": "Z", "birthday": "2099-01-01"}, 5]}'
    )
    assert main(["import", str(bad)]) == 1
    said = capsys.readouterr().err
    assert "rmtui: clients #1 tier: 'Z' is niet een van A, B, C\n" in said
    assert "rmtui: clients #1 email: 'jan@' is geen e-mailadres\n" in said
    assert "2099-01-01 ligt in de toekomst; een verjaardag kan niet na vandaag vallen" in said
    assert "rmtui: clients item 2: is geen record (een JSON-object)\n" in said
    assert "er is niets geïmporteerd" in said
    not_json = tmp_path / "kapot.json"  # type: ignore[operator]
    not_json.write_text('{"format": "rmtui-book", "version": 1, "clients": [}')
    assert main(["import", str(not_json)]) == 1
    assert "op regel 1, kolom" in capsys.readouterr().err
    assert main(["client", "list"]) == 0
    assert "Jan" not in capsys.readouterr().out  # nothing was imported


def test_vcard_problems_and_notes_are_dutch(
    dutch: None, capsys: Capture, tmp_path: pytest.TempPathFactory
) -> None:
    cards = tmp_path / "contacten.vcf"  # type: ignore[operator]
    cards.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Piet Smit\nEMAIL:geen-adres\nBDAY:--05-03\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Kees\nBDAY:ooit\nEND:VCARD\n"
    )
    assert main(["import", str(cards)]) == 1
    said = capsys.readouterr().err
    assert "bevat 1 probleem, dus er is niets geïmporteerd." in said
    assert "kaart 3 (regel 10), BDAY: 'ooit' is geen datum; schrijf het als JJJJ-MM-DD" in said
    assert "'geen-adres' is geen e-mailadres en is daarom bij de notities gezet" in said
    assert "de verjaardag 3 mei heeft geen jaar en is daarom bij de notities gezet" in said
    assert "bevat geen naam, e-mailadres of telefoonnummer en is daarom weggelaten" in said
    assert main(["import", str(cards), "--skip-invalid"]) == 0
    capsys.readouterr()
    assert main(["client", "show", "piet", "--json"]) == 0
    assert '"notes": "E-mail: geen-adres\\nVerjaardag: 3 mei"' in capsys.readouterr().out
    empty = tmp_path / "leeg.vcf"  # type: ignore[operator]
    empty.write_text("geen kaarten\n")
    assert main(["import", str(empty)]) == 1
    assert capsys.readouterr().err == (
        f"rmtui: {empty} bevat geen vCards (geen BEGIN:VCARD-regel); controleer het bestand.\n"
    )


def test_the_book_file_errors_are_dutch(
    dutch: None, capsys: Capture, tmp_path: pytest.TempPathFactory
) -> None:
    assert main(["--db", str(tmp_path), "agenda"]) == 1
    assert capsys.readouterr().err == (
        f"rmtui: {tmp_path} is een map, geen portefeuillebestand; geef het pad van een "
        ".db-bestand.\n"
    )
    empty = tmp_path / "leeg.db"  # type: ignore[operator]
    empty.touch()
    assert main(["--db", str(empty), "agenda"]) == 1
    assert capsys.readouterr().err.startswith(f"rmtui: {empty} is leeg (0 bytes)")
    assert main(["client", "add", "Jan de Boer"]) == 0
    capsys.readouterr()
    assert main(["revenue", "add", "jan", "veel"]) == 1
    assert capsys.readouterr().err == (
        "rmtui: AMOUNT: Het bedrag moet een bedrag zijn zoals 1250,00, niet 'veel'; "
        "er is niets vastgelegd.\n"
    )
