"""Keys typed in one burst, straight after a form opens, all land where they were typed."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from rmtui.core.db import session_scope
from rmtui.core.models import Client, FollowUp
from rmtui.screens import typing_order
from rmtui.screens.clients import ClientsScreen
from rmtui.screens.forms.client import ClientForm
from rmtui.screens.today import TodayScreen
from rmtui.screens.typing_order import KeysInTypingOrder
from tests.clients_book import SIZE, app_on, fill_book, open_clients, settle

KEY_NAMES = {" ": "space", "\t": "tab", "@": "at", ".": "full_stop", "/": "slash"}


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Post `keys` to the app at once, as a fast typist or a paste does: no pause between."""
    for key in keys:
        if len(key) == 1:
            pilot.app.post_message(events.Key(KEY_NAMES.get(key, key), key))
        else:
            pilot.app.post_message(events.Key(key, None))


async def burst_on_clients(pilot: Pilot[None], *keys: str) -> None:
    """Open the Clients screen, type `keys` in one burst and wait until they have acted."""
    await open_clients(pilot)
    burst(pilot, *keys)
    await settle(pilot)


def filter_text(pilot: Pilot[None]) -> str:
    return pilot.app.screen.query_one("#client-filter", Input).value


@pytest.fixture
def book(engine: Engine) -> Engine:
    """The book of thirty clients, some with follow-ups."""
    with session_scope(engine) as session:
        fill_book(session)
    return engine


async def test_a_name_typed_straight_after_a_opens_the_form_is_saved(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await burst_on_clients(pilot, "a", *"Zoe Quick", "ctrl+s")
        assert isinstance(pilot.app.screen, ClientsScreen)
    with session_scope(book) as session:
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


async def test_text_typed_straight_after_slash_goes_to_the_filter(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await burst_on_clients(pilot, "/", *"maes/", "a")
        assert isinstance(pilot.app.screen, ClientsScreen)
        assert filter_text(pilot) == "maes/a"
        assert pilot.app.focused is pilot.app.screen.query_one("#client-filter", Input)


@pytest.mark.parametrize("name", ["maes", "dirk"])  # d: done, on Today
async def test_a_filter_typed_straight_after_switching_to_clients_is_kept(
    book: Engine, name: str
) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, TodayScreen)
        burst(pilot, "2", "/", *name)
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientsScreen)
        assert filter_text(pilot) == name
    with session_scope(book) as session:
        follow_ups = session.exec(select(FollowUp)).all()
        assert follow_ups
        assert {(follow_up.status, follow_up.done_on) for follow_up in follow_ups} == {
            ("open", None)
        }


async def test_keys_typed_through_a_client_and_back_reach_the_filter(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await burst_on_clients(pilot, "enter", "escape", "/", *"maes")
        assert isinstance(pilot.app.screen, ClientsScreen)
        assert filter_text(pilot) == "maes"


async def test_a_paste_straight_after_slash_goes_to_the_filter(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        burst(pilot, "/")
        pilot.app.post_message(events.Paste("maes"))
        await settle(pilot)
        assert filter_text(pilot) == "maes"


async def test_keys_go_on_even_when_one_is_never_seen_through(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(typing_order, "ON_ITS_WAY_AT_MOST_S", 0.0)
    monkeypatch.setattr(KeysInTypingOrder, "_after", lambda _app, _node, _turn: None)
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await burst_on_clients(pilot, "slash")
        burst(pilot, *"maes")
        await settle(pilot)
        assert filter_text(pilot) == "maes"  # none held for good


async def test_keys_held_behind_a_lost_one_go_on_without_another_key(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(typing_order, "ON_ITS_WAY_AT_MOST_S", 0.05)
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await burst_on_clients(pilot, "slash")
        monkeypatch.setattr(KeysInTypingOrder, "_after", lambda _app, _node, _turn: None)
        burst(pilot, *"maes")  # no key comes after them: the timer hands them on
        await pilot.pause(0.5)
        assert filter_text(pilot) == "maes"


async def test_keys_wait_for_a_screen_that_takes_longer_than_usual_to_mount(
    book: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    mounted = ClientsScreen.on_mount

    def slow_mount(screen: ClientsScreen) -> None:
        time.sleep(typing_order.ON_ITS_WAY_AT_MOST_S * 1.5)  # a busy machine
        mounted(screen)

    monkeypatch.setattr(ClientsScreen, "on_mount", slow_mount)
    async with app_on(book).run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(pilot, "2", "/", *"dirk")
        await pilot.pause(typing_order.ON_ITS_WAY_AT_MOST_S * 2.5)
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientsScreen)
        assert filter_text(pilot) == "dirk"
    with session_scope(book) as session:
        assert all(follow_up.status == "open" for follow_up in session.exec(select(FollowUp)))
