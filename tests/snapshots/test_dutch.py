"""The main screens in Dutch (LANG nl_NL) on the demo book, at 80×24 and 120×40."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.widgets import Input

from rmtui.app import RmApp, make_app
from rmtui.core.translation import reset_language
from rmtui.core.user_locale import user_locale

TODAY = date(2026, 11, 29)
SIZES = [(80, 24), (120, 40)]
SnapCompare = Callable[..., bool]


@pytest.fixture
def app(
    tmp_path: Path, demo_book: Callable[[Path], Engine], monkeypatch: pytest.MonkeyPatch
) -> Iterator[RmApp]:
    """The app on the demo book, for a user whose locale is nl_NL."""
    monkeypatch.setenv("RMTUI_LOCALE", "nl_NL.UTF-8")
    user_locale.cache_clear()
    reset_language()
    engine = demo_book(tmp_path / "demo.db")
    yield make_app(engine, book_name="demo", day=TODAY)
    engine.dispose()


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the workers so the picture never depends on timing."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_today_in_dutch(app: RmApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_clients_in_dutch(app: RmApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def filtered(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash", *"de", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=filtered)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_client_detail_in_dutch(
    app: RmApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    async def opened(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_kpis_in_dutch(app: RmApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def dashboard(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=dashboard)


def test_log_form_in_dutch(app: RmApp, snap_compare: SnapCompare) -> None:
    async def log_with_a_mistake(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "l")
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", "ctrl+u", *"gisteren 25:00", "ctrl+s")
        await settle(pilot)
        for field in pilot.app.screen.query(Input).results(Input):
            field.cursor_blink = False  # the picture never depends on when it was taken
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=log_with_a_mistake)
