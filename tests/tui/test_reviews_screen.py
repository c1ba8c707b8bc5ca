"""Review cycles used like a user: the Reviews due section of Today, R for the report, and the
review season month by month."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from textual.widgets import Input, Static

from rmtui.app import RmApp, make_app
from rmtui.core.db import session_scope
from rmtui.core.models import Client, Interaction
from rmtui.screens.forms.financial import ReviewExportForm
from rmtui.screens.review_season import ReviewSeasonScreen
from rmtui.screens.today import TodayScreen
from rmtui.widgets.line_list import LineList
from rmtui.widgets.virtual_table import VirtualTable
from tests.factories import make

DAY = date(2026, 12, 1)


@pytest.fixture
def book(engine: Engine) -> Engine:
    """Ann's review is overdue, Bob's comes within two weeks, Cas's falls in March."""
    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann Peeters", tier="A", client_since=date(2024, 1, 1))
        make(session, Interaction, client_id=ann.id, at=datetime(2026, 5, 20, 10), kind="meeting")
        bob = make(session, Client, name="Bob Janssens", tier="B", client_since=date(2020, 1, 1))
        make(
            session,
            Interaction,
            client_id=bob.id,
            at=datetime(2025, 12, 10, 10),
            kind="meeting",
            review=True,
        )
        make(session, Client, name="Cas Maes", tier="C", client_since=date(2025, 3, 15))
    return engine


def agenda_lines(app: RmApp) -> list[tuple[str | None, str]]:
    options = app.screen.query_one("#agenda", LineList)
    return [(option.id, str(option.prompt)) for option in options.options]


async def test_today_lists_the_reviews_due_and_r_prepares_the_report(
    book: Engine, tmp_path: Path
) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        lines = agenda_lines(app)
        heading = next(i for i, (_id, text) in enumerate(lines) if text.startswith("Reviews due"))
        assert lines[heading][1] == "Reviews due (2)"
        ann, bob = lines[heading + 1], lines[heading + 2]
        assert ann[0] is not None and ann[0].startswith("review:")
        assert "Ann Peeters" in ann[1] and "11d late" in ann[1] and "last meeting" in ann[1]
        assert "Bob Janssens" in bob[1] and "last review" in bob[1]
        options = app.screen.query_one("#agenda", LineList)
        options.highlighted = options.get_option_index(ann[0])
        await pilot.press("R")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReviewExportForm)
        target = tmp_path / "ann-review.md"
        field = form.query_one("#field-path", Input)
        field.value = str(target)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.exists() and "Ann Peeters" in target.read_text(encoding="utf-8")


async def test_the_review_season_steps_month_by_month(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        season = app.screen
        assert isinstance(season, ReviewSeasonScreen)
        summary = season.query_one("#season-summary", Static)
        table = season.query_one("#season-table", VirtualTable)
        assert str(summary.render()).startswith("December 2026: 1 review due")
        row = table.row_at(0)
        assert row is not None and [str(cell) for cell in row.cells][:3] == [
            "10 Dec 2026",
            "Bob Janssens",
            "B",
        ]
        await pilot.press(*["right_square_bracket"] * 3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(summary.render()).startswith("March 2027: 1 review due")
        row = table.row_at(0)
        assert row is not None and str(row.cells[1]) == "Cas Maes"
        await pilot.press("left_square_bracket")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(summary.render()).startswith("February 2027: 0 reviews due")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
