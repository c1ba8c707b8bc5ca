"""Importing clients from the TUI: a dry run first, the import only on confirmation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select
from textual.widgets import Button, Checkbox, Static

from rmtui.app import make_app
from rmtui.core.db import session_scope
from rmtui.core.models import Client
from rmtui.screens.import_clients import ImportClientsScreen

FIXTURES = Path(__file__).parent.parent / "fixtures"
DAY = date(2026, 11, 29)


def client_names(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return sorted(session.exec(select(Client.name)).all())


async def test_a_spreadsheet_is_checked_then_imported(engine: Engine) -> None:
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportClientsScreen)
        await pilot.press(*str(FIXTURES / "excel_nl_semicolon.csv"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = str(app.screen.query_one("#import-text", Static).render())
        assert "would add 4 of 4 clients" in report
        assert client_names(engine) == []
        assert not app.screen.query_one("#import-go", Button).disabled
        await pilot.click("#import-go")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ImportClientsScreen)
        assert len(client_names(engine)) == 4


async def test_a_broken_file_shows_every_problem_and_imports_nothing(engine: Engine) -> None:
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(FIXTURES / "broken_clients.csv"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = str(app.screen.query_one("#import-text", Static).render())
        assert "nothing was imported" in report
        assert "row 5, birthday" in report
        assert app.screen.query_one("#import-go", Button).disabled
        await pilot.press("escape")
        assert client_names(engine) == []


async def test_after_a_report_with_problems_the_good_records_can_be_imported(
    engine: Engine,
) -> None:
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        skip = app.screen.query_one("#import-skip", Checkbox)
        assert not skip.display
        await pilot.press(*str(FIXTURES / "broken_clients.csv"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert skip.display and app.screen.query_one("#import-go", Button).disabled
        await pilot.click("#import-skip")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = str(app.screen.query_one("#import-text", Static).render())
        assert "would add 3 of 7 clients, would skip 4 with problems." in report
        assert "skipped: row 6, tier: 'Z' is not one of A, B, C" in report
        assert client_names(engine) == []
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ImportClientsScreen)
        assert client_names(engine) == ["Bad Mail", "Good Client", "nameless@example.com"]


async def test_a_missing_file_is_one_sentence(engine: Engine, tmp_path: Path) -> None:
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(tmp_path / "nope.csv"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = str(app.screen.query_one("#import-text", Static).render())
        assert "nope.csv" in report
