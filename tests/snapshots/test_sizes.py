"""Every screen at the classic 80×24, at 120×40 and at 200×50, on the demo book with today
frozen: nothing cut that matters, nothing scrolled out of view."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.widgets import Input

from rmtui.app import RmApp, make_app
from tests.snapshots.conftest import TODAY

SIZES = [(80, 24), (120, 40), (200, 50)]
SnapCompare = Callable[..., bool]


@pytest.fixture
def app(tmp_path: Path, demo_book: Callable[[Path], Engine]) -> Iterator[RmApp]:
    """The app on the demo book with today frozen."""
    engine = demo_book(tmp_path / "demo.db")
    yield make_app(engine, book_name="demo", day=TODAY)
    engine.dispose()


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for every worker so the picture never depends on timing."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def keys_then_settle(*keys: str) -> Callable[[Pilot[Any]], Any]:
    """Press `keys` one group at a time, letting the screen settle after each."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for field in pilot.app.screen.query(Input).results(Input):
            field.cursor_blink = False  # the picture never depends on when it was taken
        await pilot.pause()

    return run_before


SCREENS = {
    "today": keys_then_settle(),
    "today_why": keys_then_settle("down", "w"),
    "clients": keys_then_settle("2"),
    "log": keys_then_settle("3"),
    "pipeline": keys_then_settle("4"),
    "kpis": keys_then_settle("5"),
    "client_detail": keys_then_settle("2", "down", "down", "enter"),
    "interaction": keys_then_settle("3", "down", "enter"),
    "client_form": keys_then_settle("2", "a"),
    "trash": keys_then_settle("ctrl+t"),
    "help": keys_then_settle("2", "question_mark"),
    "review_season": keys_then_settle("v", "right_square_bracket"),
    "forecast": keys_then_settle("4", "F"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_at_size(
    app: RmApp, snap_compare: SnapCompare, screen: str, size: tuple[int, int]
) -> None:
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])
