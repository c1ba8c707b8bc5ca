"""The pipeline, driven with the keyboard: move deals on and back, lose one, add, edit, undo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Button, Input

from rmtui.core.db import session_scope
from rmtui.core.models import STAGES, Opportunity
from rmtui.screens.client_picker import ClientPicker
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.forms.opportunity import LostReasonForm, OpportunityForm
from rmtui.screens.pipeline import PipelineScreen
from rmtui.widgets.pipeline_table import stage_title
from tests.small_book import DAY, SIZE, app_on, fill_small_book, settle


@pytest.fixture
def book(engine: Engine) -> Engine:
    """The engine of the small hand-made book."""
    with session_scope(engine) as session:
        fill_small_book(session)
    return engine


async def open_pipeline(pilot: Pilot[None]) -> PipelineScreen:
    """Switch to the pipeline and wait for the board."""
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PipelineScreen)
    return screen


async def move_to(pilot: Pilot[None], screen: PipelineScreen, title: str) -> None:
    """Walk the cursor to the deal called `title`."""
    await pilot.press("home")
    for _ in range(screen.table.total):
        deal = screen.selected_deal()
        if deal is not None and deal.title == title:
            return
        await pilot.press("down")
    raise AssertionError(f"{title} is not on the board")


def deal_named(engine: Engine, title: str) -> Opportunity:
    with session_scope(engine) as session:
        deal = session.exec(select(Opportunity).where(Opportunity.title == title)).one()
        session.expunge(deal)
        return deal


def text_of(screen: PipelineScreen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_the_board_shows_stages_totals_and_win_figures(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        selected = screen.selected_deal()
        assert selected is not None
        assert selected.title == "Savings plan"  # the biggest lead
        assert text_of(screen, "#box-qualified") == "2 deals\n330,000\n≈ 82,500"
        assert text_of(screen, "#box-won") == "2 deals\n61,000\n+1 older"
        stats = text_of(screen, "#pipeline-stats")
        assert "7 deals · value 557,000 · weighted 204,200" in stats
        assert "2026 to date win rate 66.7% (2 won, 1 lost)" in stats
        assert "average won deal 30,500" in stats
        assert screen.query_one("#box-lead").has_class("-current")


async def test_y_shows_the_win_figures_over_all_time(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await pilot.press("y")
        await settle(pilot)
        stats = text_of(screen, "#pipeline-stats")
        assert "All time win rate 60.0% (3 won, 2 lost)" in stats
        assert "average won deal 30,333" in stats


async def test_moving_a_deal_on_and_back_keeps_the_cursor_on_it(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Pension top-up")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert deal_named(book, "Pension top-up").stage == "qualified"
        moved = screen.selected_deal()
        assert moved is not None and moved.title == "Pension top-up"
        assert moved.stage == "qualified"
        assert screen.query_one("#box-qualified").has_class("-current")
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert deal_named(book, "Pension top-up").stage == "proposal"
        await pilot.press("left_square_bracket", "less_than_sign", "less_than_sign")
        await settle(pilot)
        assert deal_named(book, "Pension top-up").stage == "lead"
        deal = screen.selected_deal()
        assert deal is not None and deal.title == "Pension top-up"


async def test_a_deal_in_negotiation_is_marked_won_only_after_asking(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Payroll services")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        question = pilot.app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.question.startswith("Mark “Payroll services” (40,000) as won?")
        await pilot.press("escape")  # no: the deal stays where it was
        await settle(pilot)
        assert pilot.app.screen is screen
        assert deal_named(book, "Payroll services").stage == "negotiation"
        await pilot.press("greater_than_sign")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert deal_named(book, "Payroll services").stage == "negotiation"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.screen is screen
        won = deal_named(book, "Payroll services")
        assert (won.stage, won.closed_on) == ("won", DAY)
        deal = screen.selected_deal()
        assert deal is not None and deal.title == "Payroll services"
        assert "win rate 75.0% (3 won, 1 lost)" in text_of(screen, "#pipeline-stats")
        await pilot.press("u")  # undo puts it back in negotiation
        await settle(pilot)
        back = deal_named(book, "Payroll services")
        assert (back.stage, back.closed_on) == ("negotiation", None)


async def test_moving_between_open_stages_asks_nothing(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Mortgage")  # qualified
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert deal_named(book, "Mortgage").stage == "proposal"


async def test_the_edit_form_asks_before_it_marks_a_deal_won(book: Engine) -> None:
    from textual.widgets import Select

    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Credit line increase")
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, OpportunityForm)
        form.query_one("#field-stage", Select).value = "won"
        form.query_one("#field-title", Input).focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        question = pilot.app.screen
        assert isinstance(question, ConfirmScreen)
        assert "“Credit line increase” (80,000) as won?" in question.question
        await pilot.press("n")  # back to the form, as it was typed
        await settle(pilot)
        assert pilot.app.screen is form
        assert form.query_one("#field-stage", Select).value == "won"
        assert deal_named(book, "Credit line increase").stage == "qualified"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert deal_named(book, "Credit line increase").stage == "won"


async def test_x_asks_why_a_deal_was_lost(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Mortgage")
        await pilot.press("x")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, LostReasonForm)
        assert form.FORM_TITLE == "Mark “Mortgage” (250,000) as lost"
        await pilot.press("ctrl+s")  # no reason typed: the form stays
        await pilot.pause()
        assert pilot.app.screen is form
        await pilot.press(*"rates too high", "ctrl+s")
        await settle(pilot)
        lost = deal_named(book, "Mortgage")
        assert (lost.stage, lost.closed_on, lost.lost_reason) == ("lost", DAY, "rates too high")
        deal = screen.selected_deal()
        assert deal is not None and deal.title == "Mortgage"
        assert ": rates too high" in text_of(screen, "#deal-detail")


async def test_escape_on_the_lost_reason_keeps_the_deal(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Mortgage")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert deal_named(book, "Mortgage").stage == "qualified"


async def test_a_closed_deal_does_not_move_on(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Retirement plan")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert deal_named(book, "Retirement plan").stage == "won"
        await pilot.press("left_square_bracket")  # reopens it in negotiation
        await settle(pilot)
        assert deal_named(book, "Retirement plan").stage == "negotiation"


async def test_a_adds_a_deal_for_a_picked_client(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Equity portfolio")  # in proposal
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientPicker)
        await pilot.press(*"dmitri", "enter")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, OpportunityForm)
        assert "Dmitri Novak" in str(form.query_one("#field-client", Button).label)
        assert form.query_one("#field-opened_on", Input).value == "2026-11-29"
        await pilot.press(*"Bond fund", "tab", *"fund", "tab", *"75000", "ctrl+s")
        await settle(pilot)
        added = deal_named(book, "Bond fund")
        assert (added.client_id, added.stage, added.value) == (4, "proposal", Decimal("75000"))
        assert added.opened_on == date(2026, 11, 29)
        deal = screen.selected_deal()
        assert deal is not None and deal.title == "Bond fund"


async def test_e_edits_a_deal_and_a_bad_value_is_said(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Credit line increase")
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, OpportunityForm)
        value = form.query_one("#field-value", Input)
        assert value.value == "80000.00"
        value.focus()
        await pilot.press("end", "ctrl+u", *"lots", "ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        assert "The value must be an amount" in str(form.query_one("#error-value").render())
        await pilot.press("ctrl+u", *"95000", "ctrl+s")
        await settle(pilot)
        assert deal_named(book, "Credit line increase").value == Decimal("95000")
        deal = screen.selected_deal()
        assert deal is not None and deal.value == Decimal("95000")


async def test_a_deal_edited_in_dutch_shows_its_value_as_dutch_is_typed_and_saves_as_is(
    book: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RMTUI_LOCALE", "nl_NL")
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Credit line increase")
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, OpportunityForm)
        assert form.query_one("#field-value", Input).value == "80000,00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
    assert deal_named(book, "Credit line increase").value == Decimal("80000")


async def test_arrows_jump_between_stages_and_enter_opens_the_client(book: Engine) -> None:
    from rmtui.screens.client.detail import ClientDetailScreen

    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await pilot.press("right", "right")
        deal = screen.selected_deal()
        assert deal is not None and deal.title == "Equity portfolio"
        await pilot.press("left", "left", "left")
        deal = screen.selected_deal()
        assert deal is not None and deal.title == "Wealth mandate"  # lost, around the end
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, ClientDetailScreen)
        assert detail.client_id == 4


async def test_keys_for_a_deal_say_so_on_a_stage_heading(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_pipeline(pilot)
        await pilot.press("home")
        assert screen.selected_deal() is None
        assert "Lead: the biggest deals first" in text_of(screen, "#deal-detail")
        assert screen.check_action("move", (True,)) is None


async def test_stage_keys_are_dimmed_where_the_deal_cannot_go(book: Engine) -> None:
    from rmtui.widgets.key_bar import KeyBar

    def enabled(screen: PipelineScreen) -> dict[str, bool]:
        return {hint.key: hint.enabled for hint in screen.query_one(KeyBar).hints}

    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Pension top-up")  # a lead
        keys = enabled(screen)
        assert keys["right_square_bracket"] and keys["x"]
        assert not keys["left_square_bracket"]
        await move_to(pilot, screen, "Retirement plan")  # won
        keys = enabled(screen)
        assert keys["left_square_bracket"]  # reopens it
        assert not keys["right_square_bracket"] and not keys["x"]
        await pilot.press("x")
        await pilot.pause()
        assert pilot.app.screen is screen


@pytest.mark.parametrize(
    ("width", "titles"),
    [
        (13, ["Lead", "Qual.", "Prop.", "Negot.", "Won", "Lost"]),  # six boxes at 80 columns
        (19, ["Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]),
    ],
)
def test_a_stage_box_shortens_its_title_only_when_it_would_not_fit(
    width: int, titles: list[str]
) -> None:
    assert [stage_title(stage, width) for stage in STAGES] == titles
