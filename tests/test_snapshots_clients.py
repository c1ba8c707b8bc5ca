"""Snapshots of the Clients and Client detail screens at 120×40 with today frozen."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from textual.pilot import Pilot

from rmtui.db import session_scope
from rmtui.screens.clients import ClientsScreen
from tests.clients_book import SIZE, app_on, fill_book, make_rich_client, open_clients, settle


def test_clients_screen(snap_compare: Any, engine: Engine) -> None:
    with session_scope(engine) as session:
        fill_book(session)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_clients(pilot)
        await pilot.press("down", "down", "down")

    assert snap_compare(app_on(engine), terminal_size=SIZE, run_before=run_before)


def test_clients_screen_filtered_and_sorted(snap_compare: Any, engine: Engine) -> None:
    with session_scope(engine) as session:
        fill_book(session)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_clients(pilot)
        await pilot.press("slash", *"pe", "enter", "K", "o")
        await settle(pilot)

    assert snap_compare(app_on(engine), terminal_size=SIZE, run_before=run_before)


def test_client_detail_screen(snap_compare: Any, engine: Engine) -> None:
    with session_scope(engine) as session:
        fill_book(session)
        client_id = make_rich_client(session).id

    async def run_before(pilot: Pilot[None]) -> None:
        await open_clients(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ClientsScreen)
        while screen.table.current_key != client_id:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_on(engine), terminal_size=SIZE, run_before=run_before)


def test_client_detail_holdings_panel(snap_compare: Any, engine: Engine) -> None:
    with session_scope(engine) as session:
        client_id = make_rich_client(session).id

    async def run_before(pilot: Pilot[None]) -> None:
        await open_clients(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ClientsScreen)
        while screen.table.current_key != client_id:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab", "tab", "right")
        await settle(pilot)

    assert snap_compare(app_on(engine), terminal_size=SIZE, run_before=run_before)
