"""Snapshots of the KPI dashboard at 120×40 on the demo book, today frozen at 2026-11-29."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot

from rmtui.app import RmApp, make_app
from rmtui.core.kpi import KPI_KEYS
from rmtui.widgets.kpi_table import KpiTable

SIZE = (120, 40)
TODAY = date(2026, 11, 29)
SnapCompare = Callable[..., bool]


@pytest.fixture
def app(tmp_path: Path, demo_book: Callable[[Path], Engine]) -> Iterator[RmApp]:
    """The app on the demo book with today frozen at 2026-11-29."""
    engine = demo_book(tmp_path / "demo.db")
    yield make_app(engine, book_name="demo", day=TODAY)
    engine.dispose()


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the figures and the trends, so the picture never depends on timing."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_dashboard(pilot: Pilot[Any]) -> None:
    """Switch to the dashboard and wait for every figure."""
    await pilot.press("5")
    await pilot.pause()
    await settle(pilot)


async def on_kpi(pilot: Pilot[Any], key: str) -> None:
    """Open the dashboard with the cursor on KPI `key`."""
    await open_dashboard(pilot)
    pilot.app.screen.query_one(KpiTable).move_cursor(row=KPI_KEYS.index(key))
    await pilot.pause()


def test_dashboard_current_quarter(app: RmApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=open_dashboard)


def test_dashboard_month_with_few_answers(app: RmApp, snap_compare: SnapCompare) -> None:
    async def month_on_nps(pilot: Pilot[Any]) -> None:
        await on_kpi(pilot, "nps")
        await pilot.press("p", "p")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=month_on_nps)


def test_kpi_definition(app: RmApp, snap_compare: SnapCompare) -> None:
    async def explain_nps(pilot: Pilot[Any]) -> None:
        await on_kpi(pilot, "nps")
        await pilot.press("i")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=explain_nps)


def test_target_form(app: RmApp, snap_compare: SnapCompare) -> None:
    async def edit_revenue_target(pilot: Pilot[Any]) -> None:
        await on_kpi(pilot, "revenue")
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=edit_revenue_target)
