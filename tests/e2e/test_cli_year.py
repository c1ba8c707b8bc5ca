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


def test_a_deal_with_an_expected_close_and_a_probability(book: Engine, capsys: Capture) -> None:
    deal = run_json(
        capsys,
        *("deal", "add", "piet", "Mortgage", "--value", "250000", "--stage", "proposal"),
        *("--close-by", "2027-03-31", "--probability", "70%"),
    )
    assert (deal["expected_close_on"], deal["probability"]) == ("2027-03-31", 70)
    assert "--probability: The probability must be from 0 to 100; nothing" in refused(
        capsys, "deal", "add", "piet", "x", "--probability", "150"
    )


def test_the_review_season_of_a_month(book: Engine, capsys: Capture) -> None:
    # Three tier B clients since 1 January 2024, never met: reviewed every 12 months.
    assert main(["reviews", "--month", "2025-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Reviews due in January 2025 (3 reviews)"
    assert lines[1].endswith("every 12 months from client since 2024-01-01 (697 days overdue)")
    assert main(["reviews", "--month", "March"]) == 2
