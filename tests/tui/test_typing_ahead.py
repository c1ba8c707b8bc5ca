"""Keys typed in one burst, straight after a form opens, all land where they were typed."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from rmtui.core.db import session_scope
from rmtui.core.models import Client
from rmtui.screens.clients import ClientsScreen
from rmtui.screens.forms.client import ClientForm
from tests.clients_book import SIZE, app_on, fill_book, open_clients, settle

KEY_NAMES = {" ": "space", "\t": "tab", "@": "at", ".": "full_stop"}


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Post `keys` to the app at once, as a fast typist or a paste does: no pause between."""
    for key in keys:
        if len(key) == 1:
            pilot.app.post_message(events.Key(KEY_NAMES.get(key, key), key))
        else:
            pilot.app.post_message(events.Key(key, None))


async def test_a_name_typed_straight_after_a_opens_the_form_is_saved(engine: Engine) -> None:
    with session_scope(engine) as session:
        fill_book(session)
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        burst(pilot, "a", *"Zoe Quick", "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientsScreen)
    with session_scope(engine) as session:
        assert session.exec(select(Client).where(Client.name == "Zoe Quick")).one()


async def test_a_tab_in_a_burst_moves_the_rest_to_the_next_field(engine: Engine) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        burst(pilot, "a", *"Ann Fast", "tab", "tab", "tab", "tab", *"ann@example.com")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ClientForm)
        assert form.query_one("#field-name", Input).value == "Ann Fast"
        assert form.query_one("#field-email", Input).value == "ann@example.com"
        assert pilot.app.focused is form.query_one("#field-email", Input)


async def test_tabs_typed_while_a_choice_has_the_focus_move_on_before_the_text(
    engine: Engine,
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Ann", "tab")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ClientForm)
        assert pilot.app.focused is form.query_one("#field-kind")
        burst(pilot, "tab", "tab", "tab", *"ann@example.com", "tab", *"0470")
        await settle(pilot)
        assert form.query_one("#field-email", Input).value == "ann@example.com"
        assert form.query_one("#field-phone", Input).value == "0470"
