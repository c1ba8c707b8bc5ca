"""The interaction log, driven with the keyboard: filters, open the client, log, edit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from rmtui.core.db import session_scope
from rmtui.core.models import Interaction
from rmtui.screens.client_picker import ClientPicker
from rmtui.screens.forms.activity import LogForm
from rmtui.screens.forms.interaction import InteractionForm
from rmtui.screens.log import LogScreen, typed_day
from rmtui.widgets.virtual_table import VirtualTable
from tests.small_book import DAY, INTERACTIONS, SIZE, app_on, fill_small_book, settle


@pytest.fixture
def book(engine: Engine) -> Engine:
    """The engine of the small hand-made book."""
    with session_scope(engine) as session:
        fill_small_book(session)
    return engine


async def open_log(pilot: Pilot[None]) -> LogScreen:
    """Switch to the interaction log and wait for its rows."""
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LogScreen)
    return screen


def subjects(table: VirtualTable) -> list[str]:
    rows = [table.row_at(index) for index in range(table.total)]
    return [str(row.cells[4]) for row in rows if row is not None]


def summary(screen: LogScreen) -> str:
    return str(screen.query_one("#log-summary", Static).render())


async def test_the_log_lists_every_interaction_newest_first(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        table = screen.table
        assert table.total == len(INTERACTIONS)
        assert subjects(table) == [row[4] for row in INTERACTIONS]
        first = table.row_at(0)
        assert first is not None
        assert [str(cell) for cell in first.cells] == [
            "2026-11-28 16:30",
            "Ada Lovelace",
            "call",
            "out",
            "Pension top-up",
            "Wants to add 5,000 before year end.",
        ]
        assert "12 interactions" in summary(screen)
        assert table.has_focus


async def test_slash_filters_by_text_and_escape_leaves_then_clears(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        await pilot.press("slash")
        assert pilot.app.focused is screen.query_one("#log-text", Input)
        await pilot.press(*"pension")
        await settle(pilot, typed=True)
        table = screen.table
        assert subjects(table) == ["Pension top-up", "Pension question", "Home visit"]
        assert "3 interactions" in summary(screen)
        assert "with “pension”" in summary(screen)
        await pilot.press("escape")  # back to the list, the filter stays
        assert table.has_focus
        assert table.total == 3
        await pilot.press("escape")  # clears it
        await settle(pilot)
        assert table.total == len(INTERACTIONS)
        assert screen.query_one("#log-text", Input).value == ""


async def test_filter_by_kind_with_the_keyboard(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        kind = screen.query_one("#log-kind", Select)
        await pilot.press("slash", "tab", "tab")
        assert pilot.app.focused is kind
        await pilot.press("enter", "down", "enter")  # any → call
        await settle(pilot)
        assert kind.value == "call"
        assert subjects(screen.table) == [
            "Pension top-up",
            "Complaint about fees",
            "Pension question",
            "Introduction",
        ]
        assert "calls only" in summary(screen)


async def test_filter_by_client_name_and_dates(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        await pilot.press("slash", "tab", *"ada")
        await settle(pilot, typed=True)
        assert subjects(screen.table) == ["Pension top-up", "Birthday in December", "Home visit"]
        await pilot.press("tab", "tab", *"-7d")  # from 2026-11-22
        await settle(pilot, typed=True)
        assert subjects(screen.table) == ["Pension top-up", "Birthday in December"]
        assert "from 22 Nov 2026" in summary(screen)
        await pilot.press("tab", *"2026-11-27", "enter")
        await settle(pilot, typed=True)
        assert subjects(screen.table) == ["Birthday in December"]
        assert screen.table.has_focus


async def test_a_wrong_date_is_said_and_c_clears_every_filter(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        await pilot.press("slash", "tab", *"zzz", "tab", "tab", *"someday", "enter")
        await settle(pilot, typed=True)
        assert screen.table.total == 0
        assert "press c to clear" in screen.table.empty_text
        assert "from: 'someday' is not a date" in summary(screen)
        assert screen.query_one("#log-from", Input).has_class("-invalid")
        await pilot.press("c")
        await settle(pilot)
        assert screen.table.total == len(INTERACTIONS)
        assert screen.log_filter.is_empty
        assert not screen.query_one("#log-from", Input).has_class("-invalid")


async def test_o_opens_the_client_of_the_interaction(book: Engine) -> None:
    from rmtui.screens.client.detail import ClientDetailScreen

    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_log(pilot)
        await pilot.press("down", "o")  # Brightwater Ltd's meeting
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, ClientDetailScreen)
        assert detail.client_id == 2


async def test_l_asks_which_client_then_logs_the_interaction(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientPicker)
        await pilot.press(*"carla")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, LogForm)
        assert form.client_id == 3
        subject = form.query_one("#field-subject", Input)
        subject.focus()
        await pilot.press(*"Signed the offer", "ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.table.total == len(INTERACTIONS) + 1
        with session_scope(book) as session:
            logged = session.exec(select(Interaction).where(Interaction.client_id == 3)).all()
            assert "Signed the offer" in [row.subject for row in logged]


async def test_escape_in_the_client_picker_logs_nothing(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.table.total == len(INTERACTIONS)


async def test_e_edits_the_selected_interaction(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        await pilot.press("down", "down", "e")  # Carla Mendes's e-mail
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, InteractionForm)
        assert form.query_one("#field-at", Input).value == "2026-11-26 09:15"
        subject = form.query_one("#field-subject", Input)
        assert subject.value == "Mortgage offer"
        subject.focus()
        await pilot.press("end", *" sent", "ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.table.cursor == 2
        assert subjects(screen.table)[2] == "Mortgage offer sent"
        with session_scope(book) as session:
            edited = session.exec(select(Interaction).where(Interaction.client_id == 3)).all()
            assert "Mortgage offer sent" in [row.subject for row in edited]


def test_filter_dates_are_typed_like_anywhere_else_or_as_past_offsets() -> None:
    assert typed_day("", base=DAY) is None
    assert typed_day("2026-01-01", base=DAY) == date(2026, 1, 1)
    assert typed_day("-30d", base=DAY) == date(2026, 10, 30)
    assert typed_day("- 2w", base=DAY) == date(2026, 11, 15)
    assert typed_day("3 months ago", base=DAY) == date(2026, 8, 29)
    assert typed_day("1y ago", base=DAY) == date(2025, 11, 29)
    assert typed_day("yesterday", base=DAY) == date(2026, 11, 28)
