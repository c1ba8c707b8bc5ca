"""Today ranked by urgency, and `w` showing why an item stands where it does, term by term."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine
from textual.widgets import Static

from rmtui.app import RmApp, make_app
from rmtui.core import paths
from rmtui.core.db import session_scope
from rmtui.core.models import Case, Client, FollowUp, Holding
from rmtui.screens.today import TodayScreen
from rmtui.screens.urgency_view import UrgencyView
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.line_list import LineList
from tests.factories import make

DAY = date(2026, 11, 29)


@pytest.fixture
def book(engine: Engine) -> Engine:
    """Two overdue follow-ups: a small client's, a week late, and a large tier A client's,
    of high priority, a day late; and another's complaint near its deadline."""
    with session_scope(engine) as session:
        small = make(session, Client, name="Sam Small", tier="C")
        unhappy = make(session, Client, name="Cleo Case", tier="C")
        large = make(session, Client, name="Lara Large", tier="A")
        make(session, Holding, client_id=large.id, value="6000000")
        make(session, FollowUp, client_id=small.id, title="Chase papers", due_on=date(2026, 11, 22))
        make(
            session,
            FollowUp,
            client_id=large.id,
            title="Sign mandate",
            due_on=date(2026, 11, 28),
            priority="high",
        )
        make(
            session,
            Case,
            client_id=unhappy.id,
            kind="complaint",
            subject="Fee charged twice",
            opened_on=date(2026, 11, 20),
            due_on=date(2026, 11, 30),
        )
    return engine


async def opened(app: RmApp, pilot: Any) -> LineList:
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, TodayScreen)
    return app.screen.query_one("#agenda", LineList)


def titles(options: LineList) -> list[str]:
    return [str(option.prompt) for option in options.options if option.id]


def view_text(app: RmApp) -> str:
    """Everything the urgency view shows, as plain text."""
    assert isinstance(app.screen, UrgencyView)
    console = Console(width=66, file=io.StringIO(), record=True)
    for static in app.screen.query(Static).results(Static):
        console.print(static.content)
    return console.export_text()


async def test_today_lists_the_most_urgent_first(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        options = await opened(app, pilot)
        listed = titles(options)
        mandate = next(i for i, text in enumerate(listed) if "Sign mandate" in text)
        papers = next(i for i, text in enumerate(listed) if "Chase papers" in text)
        # 1 day + high priority 5 + tier A 3 + 6 millions × 0.5 = 12 points, against 7 days.
        assert mandate < papers


async def test_w_shows_the_terms_of_the_item_under_the_cursor(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        options = await opened(app, pilot)
        assert options.highlighted is not None
        assert "Sign mandate" in str(options.get_option_at_index(options.highlighted).prompt)
        await pilot.press("w")
        await pilot.pause()
        text = view_text(app)
        assert "Sign mandate" in text
        assert "Urgency 12.0 · 1 of 2 in Overdue follow-ups" in text
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("down", "w")
        await pilot.pause()
        assert "Urgency 7.0 · 2 of 2 in Overdue follow-ups" in view_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_the_terms_read_as_value_times_coefficient_makes_points(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, UrgencyView)
        table = app.screen.query_one("#urgency-terms", Static).content
        assert isinstance(table, Table)
        rows = [
            [str(cell) for cell in row]
            for row in zip(*(column.cells for column in table.columns), strict=True)
        ]
        assert rows[:4] == [
            ["days past due", "1", "x", "1", "=", "1.0"],
            ["high priority", "1", "x", "5", "=", "5.0"],
            ["tier A", "1", "x", "3", "=", "3.0"],
            ["assets, in millions", "6", "x", "0.5", "=", "3.0"],
        ]
        assert rows[-1][0] == "urgency" and rows[-1][-1] == "12.0"


async def test_a_case_counts_days_to_its_deadline(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        options = await opened(app, pilot)
        case = next(option.id for option in options.options if (option.id or "").startswith("case"))
        options.highlighted = options.get_option_index(case or "")
        await pilot.press("w")
        await pilot.pause()
        text = view_text(app)
        # 1 day left × -2, an open complaint 6.
        assert "Urgency 4.0 · 1 of 1 in Requests and complaints due" in text


async def test_w_is_a_key_of_today_with_a_row_under_the_cursor(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        options = await opened(app, pilot)
        hints = {hint.key: hint for hint in app.screen.query_one(KeyBar).hints}
        assert hints["w"].description == "Why here" and hints["w"].enabled
        heading = next(i for i, option in enumerate(options.options) if not option.id)
        options.highlighted = heading
        await pilot.pause()
        assert app.screen.check_action("why", ()) is None
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_a_wrong_coefficient_is_said_and_the_defaults_rank(book: Engine) -> None:
    config = paths.config_dir() / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[urgency]\ntier_a = []\n", encoding="utf-8")
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        options = await opened(app, pilot)
        assert "Sign mandate" in titles(options)[0]
        messages = [notification.message for notification in app._notifications]
        assert any(
            "urgency.tier_a must be a number of points" in message
            and message.endswith("Today uses the default settings.")
            for message in messages
        )
