"""Snapshots of the interaction log at 120×40 on the small hand-made book (today 2026-11-29)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot

from rmtui.app import RmApp
from rmtui.core.db import session_scope
from tests.small_book import SIZE, app_on, fill_small_book, settle

SnapCompare = Callable[..., bool]


@pytest.fixture
def app(engine: Engine) -> Iterator[RmApp]:
    """The app on the small book with today frozen at 2026-11-29."""
    with session_scope(engine) as session:
        fill_small_book(session)
    yield app_on(engine)


async def open_log(pilot: Pilot[Any]) -> None:
    """Switch to the interaction log and wait for its rows."""
    await pilot.press("3")
    await settle(pilot)


def test_log_newest_first(app: RmApp, snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_log(pilot)
        await pilot.press("down", "down")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_log_filtered_by_client_and_text(app: RmApp, snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_log(pilot)
        await pilot.press("slash", *"pension", "tab", *"ada", "enter")
        await settle(pilot, typed=True)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
