"""Snapshots of the pipeline at 120×40 on the small hand-made book (today 2026-11-29)."""

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


async def open_pipeline(pilot: Pilot[Any]) -> None:
    """Switch to the pipeline and wait for the board."""
    await pilot.press("4")
    await settle(pilot)


def test_pipeline_board(app: RmApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=open_pipeline)


def test_pipeline_on_a_lost_deal_with_all_time_figures(
    app: RmApp, snap_compare: SnapCompare
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_pipeline(pilot)
        await pilot.press("left", "y")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_marking_a_deal_won_asks_first(app: RmApp, snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_pipeline(pilot)
        await pilot.press("left", "left", "left")  # the negotiation stage
        await pilot.press("down", "right_square_bracket")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
