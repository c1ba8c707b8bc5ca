"""The command line through its real entry point: exit codes, one-sentence errors, no tracebacks."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from rmtui.cli import all_commands, build_parser, main
from rmtui.cli.tui import run_tui
from rmtui.core.agenda import agenda_json, build_agenda
from rmtui.core.db import session_scope
from rmtui.core.kpi import KPI_KEYS, compute_kpis, kpis_json, kpis_text
from rmtui.core.models import Client

FIXTURES = Path(__file__).parent.parent / "fixtures"


def rmtui(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the installed entry point (`python -m rmtui`) as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "rmtui", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=os.environ.copy(),
        timeout=120,
    )


def test_version_and_help() -> None:
    assert rmtui("--version").stdout.startswith("rmtui ")
    help_text = rmtui("--help").stdout
    for command in (
        "demo",
        "import",
        "export",
        "agenda",
        "kpi",
        "backup",
        "restore",
        "doctor",
        "client",
        "trash",
        "encrypt",
        "decrypt",
    ):
        assert command in help_text


def test_agenda_json_through_the_entry_point(small_book: Engine) -> None:
    result = rmtui("agenda", "--json")
    assert result.returncode == 0, result.stderr
    agenda = json.loads(result.stdout)
    assert agenda["date"] == "2026-11-29"
    assert [item["title"] for item in agenda["overdue"]] == ["Send proposal"]


def test_agenda_on_a_plain_book_is_read_without_loading_sqlalchemy(small_book: Engine) -> None:
    small_book.dispose()
    script = (
        "import sys; from rmtui.cli import main; code = main(['agenda', '--json']); "
        "assert 'sqlalchemy' not in sys.modules, 'SQLAlchemy was loaded'; sys.exit(code)"
    )
    quick = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert quick.returncode == 0, quick.stderr
    with session_scope(small_book) as session:
        full = agenda_json(build_agenda(session=session, day=date(2026, 11, 29)))
    assert json.loads(quick.stdout) == json.loads(json.dumps(full, ensure_ascii=False))


def test_kpi_json_has_every_key_and_money_as_text(small_book: Engine) -> None:
    result = rmtui("kpi", "--from", "2026-10-01", "--to", "2026-12-31", "--json")
    assert result.returncode == 0, result.stderr
    kpis = json.loads(result.stdout)
    assert list(kpis) == ["from", "to", "previous_from", "previous_to", *KPI_KEYS]
    assert kpis["revenue"] == "1250.50"
    assert kpis["from"] == "2026-10-01"


@pytest.mark.parametrize("output", [["--json"], []], ids=["json", "text"])
def test_kpi_on_a_plain_book_is_read_without_loading_sqlalchemy(
    small_book: Engine, output: list[str]
) -> None:
    small_book.dispose()
    period = ["--from", "2026-10-01", "--to", "2026-12-31"]
    script = (
        f"import sys; from rmtui.cli import main; code = main(['kpi', *{period + output!r}]); "
        "assert 'sqlalchemy' not in sys.modules, 'SQLAlchemy was loaded'; sys.exit(code)"
    )
    quick = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert quick.returncode == 0, quick.stderr
    with session_scope(small_book) as session:
        figures = compute_kpis(
            session=session,
            start=date(2026, 10, 1),
            end=date(2026, 12, 31),
            today=date(2026, 11, 29),
        )
    if output:
        assert json.loads(quick.stdout) == kpis_json(figures)
    else:
        assert quick.stdout.strip() == kpis_text(figures, to_date=True)


def test_a_bad_date_is_one_sentence_and_exit_2(small_book: Engine) -> None:
    result = rmtui("kpi", "--from", "someday", "--to", "2026-12-31")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("rmtui: 'someday' is not a date")
    assert "Traceback" not in result.stderr


def test_a_reversed_period_is_refused(small_book: Engine) -> None:
    assert main(["kpi", "--from", "2026-12-31", "--to", "2026-10-01"]) == 2


def test_export_import_round_trip_through_the_cli(small_book: Engine, tmp_path: Path) -> None:
    exported = tmp_path / "book.json"
    assert main(["export", str(exported)]) == 0
    other = tmp_path / "other.db"
    assert main(["--db", str(other), "import", str(exported)]) == 0
    again = tmp_path / "again.json"
    assert main(["--db", str(other), "export", str(again)]) == 0
    assert json.loads(again.read_text()) == json.loads(exported.read_text())


class Terminal:
    """A stand-in for stderr on a terminal, where long commands draw a progress bar."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_a_whole_book_import_and_export_tell_their_progress_on_a_terminal(
    small_book: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    exported = tmp_path / "book.json"
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["export", str(exported)]) == 0
    assert "rmtui: writing the clients" in terminal.text and "━" in terminal.text
    assert "\x1b[2K" in terminal.text and "\ufffd" not in terminal.text  # drawn, not escaped
    out = capsys.readouterr().out
    counts = (
        "1 client, 0 contact persons, 0 interactions, 1 follow-up, 0 opportunities, "
        "1 revenue entry, 0 holdings, 0 financial goals, 0 surveys, 0 cases, 0 targets, "
        "1 contact point, 0 households"
    )
    assert out == f"Exported {counts} to {exported}.\n"
    terminal.text = ""
    assert main(["--db", str(tmp_path / "other.db"), "import", str(exported)]) == 0
    assert "rmtui: reading book.json" in terminal.text and "━" in terminal.text
    assert capsys.readouterr().out.startswith("Imported 1 client")


def test_a_broken_import_writes_nothing_and_lists_every_problem(
    small_book: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "rmtui-book",
                "version": 1,
                "clients": [
                    {"id": 1, "name": "", "kind": "alien"},
                    {"id": 2, "name": "Bob", "email": "bob@"},
                ],
            }
        )
    )
    assert main(["import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert err.count("rmtui: clients #") >= 3
    with session_scope(small_book) as session:
        from sqlmodel import select

        assert len(session.exec(select(Client)).all()) == 1


def test_csv_import_dry_run_then_real(
    small_book: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = str(FIXTURES / "excel_nl_semicolon.csv")
    assert main(["import", sheet, "--dry-run"]) == 0
    assert "would add" in capsys.readouterr().out
    assert main(["import", sheet]) == 0
    assert "added" in capsys.readouterr().out


def test_not_a_book_is_one_sentence(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    result = rmtui("--db", str(notes), "agenda")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "not an rmtui book" in result.stderr


def test_backup_and_doctor(small_book: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup"]) == 0
    assert "Backed up to" in capsys.readouterr().out
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "integrity: ok" in out
    assert "schema:" in out


def test_client_export_and_erase(
    small_book: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dossier = tmp_path / "ann.json"
    assert main(["client", "export", "1", str(dossier)]) == 0
    assert "Ann Peeters" in dossier.read_text()
    assert rmtui("client", "erase", "1").returncode == 2  # no terminal, no --yes: refused
    assert main(["client", "erase", "1", "--yes"]) == 0
    assert main(["client", "erase", "1", "--yes"]) == 1  # no such client any more: refused


def test_encrypted_book_needs_its_passphrase(
    small_book: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlcipher3")
    small_book.dispose()
    monkeypatch.setenv("RMTUI_PASSPHRASE", "s3cret words")
    assert main(["encrypt"]) == 0
    assert b"Ann Peeters" not in db_path.read_bytes()
    assert main(["agenda"]) == 0
    monkeypatch.setenv("RMTUI_PASSPHRASE", "wrong")
    result = rmtui("agenda")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"rmtui: the passphrase does not open {db_path}; check it and try again."
    )


def test_export_messages_count_in_words(
    small_book: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(tmp_path / "c.vcf")]) == 0
    assert capsys.readouterr().out == f"Exported 1 client to {tmp_path / 'c.vcf'}.\n"
    assert main(["export", "--events", str(tmp_path / "f.ics")]) == 0
    assert capsys.readouterr().out == f"Exported 1 follow-up, 0 cases to {tmp_path / 'f.ics'}.\n"
    assert main(["export", "--format", "csv", "--excel", str(tmp_path / "csv")]) == 0
    assert capsys.readouterr().out.startswith("Exported 4 rows in 14 CSV files to ")


def test_skip_invalid_from_the_command_line(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = str(FIXTURES / "broken_clients.csv")
    assert main(["import", sheet]) == 1
    assert "nothing was imported" in capsys.readouterr().err
    assert main(["import", sheet, "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("broken_clients.csv: added 3 of 7 clients, skipped 4 with problems.")
    assert "  skipped: row 6, tier: 'Z' is not one of A, B, C" in out


def test_an_empty_calendar_is_not_written(engine: Engine, tmp_path: Path) -> None:
    assert main(["export", str(tmp_path / "none.ics")]) == 1
    assert not (tmp_path / "none.ics").exists()


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The commands a parser knows, by name."""
    (found,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(found.choices)


def test_a_command_line_builds_only_the_command_it_runs_as_every_command_knows_it() -> None:
    every = subcommands(build_parser())
    assert list(every) == list(all_commands())
    for name, command in every.items():
        alone = subcommands(build_parser(["--db", "book.db", name, "--json"]))
        assert list(alone) == [name]
        assert alone[name].format_help() == command.format_help()
    for argv in (["--help"], ["--version"], ["--d", "b.db", "kpi"], ["nothing"]):
        assert list(subcommands(build_parser(argv))) == list(every)
    for argv in ([], ["--db", "b.db"], ["--db=b.db"]):  # the TUI
        parser = build_parser(argv)
        assert not subcommands(parser)
        assert parser.parse_args(argv).handler is run_tui
