"""Snapshots of Today, its forms and the help screen at 120×40 on the demo book."""

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
    """Wait for the agenda worker so the picture never depends on timing."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_today(app: RmApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_today_help(app: RmApp, snap_compare: SnapCompare) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_help)


def test_log_form_with_an_error(app: RmApp, snap_compare: SnapCompare) -> None:
    async def log_without_subject(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "l")
        await settle(pilot)  # the form is open before the keys for it are typed
        await pilot.press("tab", "tab", "tab", *"yesterday 25:00", "ctrl+s")
        await settle(pilot)
        for field in pilot.app.screen.query(Input).results(Input):
            field.cursor_blink = False  # the picture never depends on when it was taken
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=log_without_subject)


def test_snooze_prompt(app: RmApp, snap_compare: SnapCompare) -> None:
    async def snooze(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=snooze)
