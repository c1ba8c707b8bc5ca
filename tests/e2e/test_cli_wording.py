"""What the commands print, read as a person reads it: figures in the user's locale by one
rule per kind, counts with their noun, messages that say what happened."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy.engine import Engine

from rmtui.cli import main
from rmtui.core.db import session_scope
from rmtui.core.models import Client, FollowUp, Holding, Household, HouseholdMember, Revenue
from rmtui.core.user_locale import user_locale
from tests.factories import make

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def book(engine: Engine) -> Engine:
    """A client with large holdings, revenue with cents, a due follow-up, in a household."""
    with session_scope(engine) as session:
        ann = make(
            session,
            Client,
            name="Ann Peeters",
            client_since=date(2020, 1, 1),
            checkin_every_days=30,
        )
        make(session, Holding, client_id=ann.id, account="Fund", value="1234567.89")
        make(session, Revenue, client_id=ann.id, on=date(2026, 11, 2), amount="1234.56")
        make(session, FollowUp, client_id=ann.id, title="Call back", due_on=date(2026, 11, 30))
        household = make(session, Household, name="Peeters family")
        make(session, HouseholdMember, household_id=household.id, client_id=ann.id, role="head")
    return engine


def output(capsys: Capture, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("locale", "revenue", "assets"),
    [("en_US", "1,235", "1,234,568"), ("nl_NL", "1.235", "1.234.568")],
)
def test_kpi_totals_are_in_whole_units_of_the_locale(
    book: Engine,
    capsys: Capture,
    monkeypatch: pytest.MonkeyPatch,
    locale: str,
    revenue: str,
    assets: str,
) -> None:
    monkeypatch.setenv("RMTUI_LOCALE", locale)
    user_locale.cache_clear()
    lines = output(capsys, "kpi", "--from", "2026-11-01", "--to", "2026-11-30").splitlines()
    shown = dict(re.split(r"\s{2,}", line.strip()) for line in lines[1:])
    english = locale == "en_US"  # the Dutch locale's words are Dutch too
    assert shown["Revenue" if english else "Omzet"] == revenue
    assert shown["Assets" if english else "Vermogen"] == assets
    assert shown["Retention" if english else "Klantbehoud"] == ("100.0%" if english else "100,0%")


def test_a_done_follow_up_says_which_one(book: Engine, capsys: Capture) -> None:
    said = output(capsys, "follow-up", "done", "1")
    assert said == "Marked follow-up 1 done: Call back (Ann Peeters).\n"


def test_client_show_says_how_late_the_check_in_is(book: Engine, capsys: Capture) -> None:
    shown = output(capsys, "client", "show", "peeters")
    assert "check-in:     every 30 days; last contact never; check-in 2,494 days overdue" in shown


def test_households_count_their_members_and_total_their_assets(
    book: Engine, capsys: Capture
) -> None:
    assert output(capsys, "household", "list").split(maxsplit=1)[1] == (
        "Peeters family  (1 member)\n"
    )
    assert "Assets 1,234,568 on 2026-11-29" in output(capsys, "household", "show", "1")


def test_recorded_amounts_are_exact(book: Engine, capsys: Capture) -> None:
    said = output(capsys, "revenue", "add", "peeters", "1234567.89", "--on", "2026-11-03")
    assert said.startswith("Recorded fee of 1,234,567.89 on 2026-11-03 from Ann Peeters")
