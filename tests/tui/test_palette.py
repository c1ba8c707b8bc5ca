"""The command palette: find a client by a few letters and open them; run a screen's command."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from rmtui.app import make_app
from rmtui.core.db import session_scope
from rmtui.core.models import Client
from tests.factories import make

DAY = date(2026, 11, 29)


async def test_jump_to_a_client_by_fuzzy_name(engine: Engine) -> None:
    with session_scope(engine) as session:
        make(session, Client, name="Elise Peeters", city="Gent")
        make(session, Client, name="Jan Smit", city="Utrecht")
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"jsmi")
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert type(app.screen).__name__ == "ClientDetailScreen"
        assert getattr(app.screen, "client_id", None) == 2


async def test_go_to_a_screen_from_the_palette(engine: Engine) -> None:
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to clients")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert app.current_mode == "clients"
