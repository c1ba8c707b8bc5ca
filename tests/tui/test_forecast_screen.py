"""The pipeline forecast used like a user: F on the pipeline, / to filter, s to sort."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from textual.widgets import Static

from rmtui.app import make_app
from rmtui.core.db import session_scope
from rmtui.core.models import Client, Opportunity
from rmtui.screens.forecast import ForecastScreen
from rmtui.screens.pipeline import PipelineScreen
from rmtui.widgets.virtual_table import VirtualTable
from tests.factories import make

DAY = date(2026, 12, 1)


@pytest.fixture
def book(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann Peeters")
        for title, stage, value, close, chance in (
            ("Pension plan", "proposal", "10000", date(2026, 11, 20), None),
            ("Mortgage", "negotiation", "200000", date(2027, 1, 15), 90),
            ("Fund", "lead", "5000", date(2026, 12, 10), None),
        ):
            make(
                session,
                Opportunity,
                client_id=ann.id,
                title=title,
                stage=stage,
                value=Decimal(value),
                expected_close_on=close,
                probability=chance,
            )
    return engine


def titles(table: VirtualTable) -> list[str]:
    rows = [table.row_at(index) for index in range(table.total)]
    return [str(row.cells[1]) for row in rows if row is not None]


def plain(static: Static) -> str:
    return "\n".join(line.text for line in static.render_lines(static.region.reset_offset))


async def test_the_forecast_by_month_with_a_filter_and_the_orders(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        await pilot.press("F")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ForecastScreen)
        months = plain(screen.query_one("#forecast-months", Static))
        assert "Earlier (passed) ⚠" in months and "Jan 2027" in months
        assert "180,000" in months  # the mortgage at its own 90%
        quarters = plain(screen.query_one("#forecast-quarters", Static))
        assert "Q4 2026" in quarters and "Q1 2027" in quarters
        table = screen.query_one("#forecast-table", VirtualTable)
        assert titles(table) == ["Pension plan", "Fund", "Mortgage"]  # by close date
        first = table.row_at(0)
        assert first is not None and str(first.cells[0]).startswith("⚠")
        await pilot.press("s")  # by value
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert titles(table) == ["Mortgage", "Pension plan", "Fund"]
        await pilot.press("slash", *"stage:lead stage:prop", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert titles(table) == ["Pension plan", "Fund"]
        assert "matching “stage:lead stage:prop”" in plain(
            screen.query_one("#forecast-filter", Static)
        )
        await pilot.press("slash", "ctrl+u", *"stage:won", "enter")
        await pilot.pause()
        assert "not an open stage" in plain(screen.query_one("#forecast-filter", Static))
        await pilot.press("escape")  # closes the filter, keeps the one in force
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
