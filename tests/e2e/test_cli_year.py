"""Planning the year from the shell: repeating follow-ups and case clocks."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from rmtui.cli import main
from tests.e2e.test_cli_writes import book, refused, run_json

Capture = pytest.CaptureFixture[str]
__all__ = ["book"]  # the fixture, shared


def test_a_repeating_follow_up_done_plans_the_next(book: Engine, capsys: Capture) -> None:
    record = run_json(
        capsys,
        *("follow-up", "add", "piet", "Portfolio letter", "--due", "2026-11-30"),
        *("--at", "9:30", "--repeat", "monthly", "--notes", "attach the statement"),
    )
    assert (record["due_at"], record["repeat"], record["notes"]) == (
        "09:30",
        "every month",
        "attach the statement",
    )
    assert main(["follow-up", "done", str(record["id"])]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "Repeats every month: planned follow-up 2 for Piet Jansen on Thu 31 Dec at 09:30: "
        "Portfolio letter."
    )
    assert "--repeat: 'now and then' is not a repeat" in refused(
        capsys, "follow-up", "add", "1", "x", "--due", "fri", "--repeat", "now and then"
    )


def test_a_case_on_a_clock_and_its_extension(book: Engine, capsys: Capture) -> None:
    assert main(["case", "add", "piet", "Payment taken twice", "--clock", "payment"]) == 0
    assert capsys.readouterr().out == (
        "Opened the complaint “Payment taken twice” for Piet Jansen, due 2026-12-18 "
        "(15 business days left), case 2.\n"
    )
    extended = run_json(capsys, "case", "extend", "2", "The other bank is slow")
    assert (extended["due_on"], extended["extension_reason"]) == (
        "2027-01-19",
        "The other bank is slow",
    )
    assert "no extension" in refused(capsys, "case", "extend", "1", "why not")
    assert "--clock: 'soon' is not a clock" in refused(
        capsys, "case", "add", "piet", "x", "--clock", "soon"
    )
