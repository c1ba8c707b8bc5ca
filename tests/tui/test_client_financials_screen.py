"""Client detail's panels driven with the keyboard: holdings and revenue, goals, surveys, cases,
deals, and the review report."""

from __future__ import annotations

import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Input, Static, TabbedContent

from rmtui.core.db import session_scope
from rmtui.core.models import Case, FinancialGoal, Holding, Opportunity, Revenue, Survey
from rmtui.screens.client.detail import ClientDetailScreen
from rmtui.screens.client.panels import PANELS
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.forms.case import CaseForm, ResolveCaseForm
from rmtui.screens.forms.financial import (
    GoalForm,
    HoldingForm,
    RevenueForm,
    ReviewExportForm,
    SurveyForm,
)
from rmtui.screens.forms.opportunity import LostReasonForm, OpportunityForm
from rmtui.screens.help import HelpScreen, declared_keys
from rmtui.screens.today import TodayScreen
from rmtui.widgets.line_list import LineList
from rmtui.widgets.value_trend import ValueTrend
from rmtui.widgets.virtual_table import VirtualTable
from tests.clients_book import SIZE, app_on, make_rich_client, settle
from tests.factories import make
from tests.tui.form_app import choose
from tests.tui.test_client_detail import open_detail


@pytest.fixture
def client_id(engine: Engine) -> int:
    """A client with something in every panel, a monthly savings history and revenue."""
    with session_scope(engine) as session:
        client = make_rich_client(session)
        assert client.id is not None
        for month in range(1, 11):
            value = Decimal(10000 + 250 * month)
            as_of = date(2025 + (11 + month > 12), (10 + month) % 12 + 1, 1)
            make(session, Holding, client_id=client.id, account="Savings", as_of=as_of, value=value)
        for on, amount in ((date(2026, 2, 10), "300"), (date(2026, 8, 3), "450.50")):
            make(session, Revenue, client_id=client.id, on=on, amount=Decimal(amount))
        return client.id


def grid(pilot: Pilot[None], name: str) -> VirtualTable:
    """A table of the screen by id."""
    return pilot.app.screen.query_one(f"#{name}", VirtualTable)


def row_text(pilot: Pilot[None], name: str, row: int) -> list[str]:
    """The cells of one row of a table, as plain text."""
    found = grid(pilot, name).row_at(row)
    assert found is not None
    return [str(cell) for cell in found.cells]


def static_text(pilot: Pilot[None], selector: str) -> str:
    static = pilot.app.screen.query_one(selector, Static)
    return "\n".join(line.text for line in static.render_lines(static.region.reset_offset))


async def go_to_panel(pilot: Pilot[None], key: str) -> ClientDetailScreen:
    """Press `]` until panel `key` is active (its main table then has the focus)."""
    screen = pilot.app.screen
    assert isinstance(screen, ClientDetailScreen)
    for _ in range(len(PANELS) + 1):
        if screen.active_panel() == key and screen.in_panels():
            return screen
        await pilot.press("right_square_bracket")
        await settle(pilot)
    raise AssertionError(f"no panel {key}")


async def type_into(pilot: Pilot[None], field: str, text: str) -> None:
    """Rub out a form field and type `text` into it."""
    pilot.app.screen.query_one(f"#field-{field}", Input).focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *text)


async def save_form(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)


# -- holdings and revenue ----------------------------------------------------------------------


async def test_holdings_panel_shows_accounts_aum_trend_and_revenue(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await go_to_panel(pilot, "holdings")
        account = row_text(pilot, "accounts", 0)
        # An account's value from 10,000 up in whole units; totals always (core.figures).
        assert account[:4] == ["Savings", "12,501", "01 Nov 2026", "+25.0%"]
        assert len(account[4]) == 13  # a bar per month
        assert "AUM 12,501" in static_text(pilot, "#aum-line")
        assert "+2,501 (+25.0%) over 12 months" in static_text(pilot, "#aum-line")
        trend = pilot.app.screen.query_one("#aum-trend", ValueTrend)
        assert len(trend.points) == 13 and trend.points[-1].value == Decimal("12500.50")
        periods = static_text(pilot, "#revenue-periods")
        assert "Q1 2026" in periods and "300" in periods
        assert "2026 to date" in periods and "751" in periods
        assert row_text(pilot, "revenue", 0)[:3] == ["03 Aug 2026", "fee", "450.50"]  # exact


async def test_a_records_a_holding_value_and_e_corrects_it(engine: Engine, client_id: int) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await go_to_panel(pilot, "holdings")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HoldingForm)
        await pilot.press(*"Pension fund", "tab", "tab", *"40000")
        await save_form(pilot)
        accounts = grid(pilot, "accounts")
        assert accounts.total == 2
        assert row_text(pilot, "accounts", accounts.cursor)[:2] == ["Pension fund", "40,000"]
        assert "AUM 52,501" in static_text(pilot, "#aum-line")
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, HoldingForm) and form.editing
        await type_into(pilot, "value", "41000")
        await save_form(pilot)
        assert row_text(pilot, "accounts", accounts.cursor)[:2] == ["Pension fund", "41,000"]
    with session_scope(engine) as session:
        pension = session.exec(select(Holding).where(Holding.account == "Pension fund")).one()
        assert (pension.as_of, pension.value) == (date(2026, 11, 29), Decimal("41000"))


async def test_a_in_the_revenue_list_adds_revenue_and_x_removes_it(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, client_id)
        await go_to_panel(pilot, "holdings")
        grid(pilot, "revenue").focus()
        await pilot.pause()
        assert screen.check_action("add", ("revenue",)) is True
        assert screen.check_action("add", ("holding",)) is False
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RevenueForm)
        await type_into(pilot, "amount", "125")
        await save_form(pilot)
        revenue = grid(pilot, "revenue")
        assert revenue.total == 3
        assert row_text(pilot, "revenue", revenue.cursor)[:3] == ["29 Nov 2026", "fee", "125"]
        assert "876" in static_text(pilot, "#revenue-periods")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert revenue.total == 2
    with session_scope(engine) as session:
        assert len(session.exec(select(Revenue)).all()) == 2


# -- goals and surveys -------------------------------------------------------------------------


async def test_goals_show_progress_and_status_and_a_adds_one(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await go_to_panel(pilot, "goals")
        retire = row_text(pilot, "goals", 0)
        assert retire[0] == "Retire at 60"
        assert retire[1:3] == ["500,000", "125,000"]
        assert retire[3] == "██▌░░░░░░░  25%"
        assert retire[4] == "01 Jan 2032"
        assert retire[5] == "off track"  # +25% a year does not reach 500,000 by 2032
        assert retire[6] == "6,148"  # 375,000 over the 61 months left, in whole units
        assert "Retire at 60: projected" in static_text(pilot, "#goal-detail")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, GoalForm)
        await pilot.press(*"New car", "tab", *"20000", "tab", *"2027-06-01", "tab", *"19000")
        await save_form(pilot)
        goals = grid(pilot, "goals")
        assert goals.total == 2
        car = row_text(pilot, "goals", goals.cursor)
        assert car[0] == "New car" and car[3].endswith(" 95%")
        assert car[5] == "on track"
    with session_scope(engine) as session:
        assert session.exec(select(FinancialGoal).where(FinancialGoal.title == "New car")).one()


async def test_surveys_are_added_edited_and_removed(engine: Engine, client_id: int) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await go_to_panel(pilot, "surveys")
        assert row_text(pilot, "surveys", 0) == ["01 Jun 2026", "5/5", "9/10", "Very helpful"]
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SurveyForm)
        await type_into(pilot, "csat", "2")
        await type_into(pilot, "nps", "4")
        await save_form(pilot)
        surveys = grid(pilot, "surveys")
        assert surveys.total == 2
        assert row_text(pilot, "surveys", surveys.cursor)[:3] == ["29 Nov 2026", "2/5", "4/10"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SurveyForm)
        await type_into(pilot, "csat", "3")
        await save_form(pilot)
        assert row_text(pilot, "surveys", surveys.cursor)[1] == "3/5"
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert surveys.total == 1
    with session_scope(engine) as session:
        assert [survey.csat for survey in session.exec(select(Survey))] == [5]


# -- requests and complaints -------------------------------------------------------------------


async def test_c_opens_a_complaint_that_shows_on_today_and_d_resolves_it_with_undo(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_detail(pilot, client_id)
        await pilot.press("c")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, CaseForm)
        await choose(pilot, "kind", 1)  # complaint: due in 2 days instead of 5
        assert form.query_one("#field-due_on", Input).value == "2026-12-01"
        await type_into(pilot, "subject", "Wrong fee charged")
        await save_form(pilot)
        assert screen.active_panel() == "cases" and screen.in_panels()
        cases = grid(pilot, "cases")
        assert cases.total == 2
        # Open cases first by deadline: the overdue card, then the new complaint.
        assert row_text(pilot, "cases", 0)[:2] == ["25 Nov 2026", "4 days overdue"]
        complaint = row_text(pilot, "cases", 1)
        assert complaint[:4] == ["01 Dec 2026", "2 days left", "complaint", "Wrong fee charged"]
        assert cases.cursor == 1  # on the case just opened
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResolveCaseForm)
        await pilot.press(*"Refunded the fee.")
        await save_form(pilot)
        assert row_text(pilot, "cases", 1)[1:] == [
            "resolved 29 Nov 2026",
            "complaint",
            "Wrong fee charged",
            "Refunded the fee.",
        ]
        messages = [notice.message for notice in pilot.app._notifications]
        assert messages.count("Resolved “Wrong fee charged”. Press u to undo.") == 1
        assert not any(message.startswith("Resolved: ") for message in messages)  # said once
        await pilot.press("u")
        await settle(pilot)
        assert row_text(pilot, "cases", 1)[1] == "2 days left"
        await pilot.press("1")
        await settle(pilot)
        today = pilot.app.screen
        assert isinstance(today, TodayScreen)
        options = today.query_one("#agenda", LineList)
        on_today = [
            option.id for option in options.options if (option.id or "").startswith("case:")
        ]
    with session_scope(engine) as session:
        found = session.exec(select(Case).order_by(col(Case.due_on))).all()
        assert [case.resolved_on for case in found] == [None, None]
        # Open cases appear on Today by deadline: the overdue card, then the complaint.
        assert on_today == [f"case:{case.id}" for case in found]


async def test_enter_edits_a_case_and_d_waits_for_an_open_one(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, client_id)
        await go_to_panel(pilot, "cases")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CaseForm)
        await type_into(pilot, "due_on", "2026-12-03")
        await save_form(pilot)
        assert row_text(pilot, "cases", 0)[:2] == ["03 Dec 2026", "4 days left"]
        with session_scope(engine) as session:
            case = session.exec(select(Case)).one()
            case.resolved_on, case.resolution = date(2026, 11, 28), "Unblocked."
        screen.load()
        await settle(pilot)
        assert row_text(pilot, "cases", 0)[1] == "resolved 28 Nov 2026"
        assert screen.check_action("resolve_case", ()) is None
        assert screen.check_action("done", ()) is False  # the follow-up key is not shown here


# -- deals -------------------------------------------------------------------------------------


async def test_deals_move_on_and_back_with_undo_and_are_lost_with_a_reason(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE, notifications=True) as pilot:
        await open_detail(pilot, client_id)
        await go_to_panel(pilot, "opportunities")
        assert row_text(pilot, "deals", 0)[:3] == [
            "proposal",
            "Pension plan — Pension fund",
            "25,000",
        ]
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert row_text(pilot, "deals", 0)[0] == "negotiation"
        await pilot.press("u")
        await settle(pilot)
        assert row_text(pilot, "deals", 0)[0] == "proposal"
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LostReasonForm)
        await pilot.press(*"went elsewhere")
        await save_form(pilot)
        lost = row_text(pilot, "deals", 0)
        assert lost[0] == "lost"
        assert lost[4] == "lost 29 Nov 2026: went elsewhere"
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert row_text(pilot, "deals", 0)[0] == "negotiation"
        await pilot.press("greater_than_sign")  # on to won: asked first
        await settle(pilot)
        question = pilot.app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.question.startswith("Mark “Pension plan” (25,000) as won?")
        await pilot.press("n")
        await settle(pilot)
        assert row_text(pilot, "deals", 0)[0] == "negotiation"
    with session_scope(engine) as session:
        deal = session.exec(select(Opportunity)).one()
        assert (deal.stage, deal.closed_on, deal.lost_reason) == ("negotiation", None, None)


async def test_a_adds_a_deal_for_the_client_and_enter_edits_it(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await pilot.press("a")  # the opportunities panel is the active one
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, OpportunityForm)
        assert form.FORM_TITLE == "New deal for Aline Vermeulen"
        await pilot.press(*"Mortgage renewal", "tab", "tab", *"180000")
        await save_form(pilot)
        deals = grid(pilot, "deals")
        assert deals.total == 2
        await go_to_panel(pilot, "opportunities")
        assert row_text(pilot, "deals", deals.cursor)[:3] == ["lead", "Mortgage renewal", "180,000"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, OpportunityForm)
        await type_into(pilot, "value", "190000")
        await save_form(pilot)
        assert row_text(pilot, "deals", deals.cursor)[2] == "190,000"


# -- the review report and the keys ------------------------------------------------------------


async def test_shift_r_exports_the_review_to_a_private_file(
    engine: Engine, client_id: int, tmp_path: Path
) -> None:
    target = tmp_path / "aline-review.md"
    async with app_on(engine).run_test(size=SIZE, notifications=True) as pilot:
        await open_detail(pilot, client_id)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReviewExportForm)
        await type_into(pilot, "path", str(target))
        await save_form(pilot)
        messages = [notice.message for notice in pilot.app._notifications]
        assert f"Wrote the review of Aline Vermeulen to {target}." in messages
    assert target.exists()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "Aline Vermeulen" in target.read_text()


async def test_brackets_switch_panels_and_keys_follow_the_focus(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, client_id)
        assert not screen.in_panels()
        assert screen.follow_ups_table.has_focus  # e edits the focused follow-up, p the profile
        assert screen.check_action("edit_follow_up", ()) is True
        assert screen.check_action("edit_profile", ()) is False
        assert screen.check_action("edit_client", ()) is True
        assert screen.check_action("edit_row", ()) is False
        assert screen.check_action("add", ("deal",)) is True
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.active_panel() == "relations" and screen.in_panels()
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert screen.active_panel() == "cases" and screen.in_panels()
        assert pilot.app.screen.query_one("#panels", TabbedContent).active == "panel-cases"
        assert screen.check_action("edit_profile", ()) is False
        assert screen.check_action("edit_row", ()) is True
        assert screen.check_action("remove", ()) is False  # cases are resolved, not removed
        assert screen.check_action("resolve_case", ()) is True
        await pilot.press(*["right_square_bracket"] * 4)
        await settle(pilot)
        assert screen.active_panel() == "holdings"
        assert screen.check_action("remove", ()) is True
        assert screen.check_action("move_deal", (True,)) is False
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = declared_keys(help_screen.for_screen, type(screen).BINDINGS)
        listed = [(key, described.plain) for key, described in keys]
        assert help_screen.for_screen is screen
        for expected in (
            ("a", "Add deal (Opportunities panel)"),
            ("a", "Add holding value (Holdings panel, accounts)"),
            ("a", "Add revenue (Holdings panel, revenue)"),
            ("a", "Add person (People panel)"),
            ("e", "Edit row (the row of a panel)"),
            ("x", "Delete row… (Holdings, Goals, Surveys, People panels)"),
            ("x", "Deal lost… (Opportunities panel)"),
            (">", "Stage on (Opportunities panel)"),
            ("d", "Resolve case… (Cases panel)"),
            ("c", "New case"),
            ("R", "Review report"),
            ("[", "Previous panel"),
            ("]", "Next panel"),
        ):
            assert expected in listed
