"""Several people on one book: each window shows its user's clients and everyone's (`m` for
every client), and a save over the other's change is refused, on a file and on a server."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from textual.pilot import Pilot

import rmtui.app as app_module
from rmtui.app import RmApp, make_app
from rmtui.core.db import open_book, session_scope
from rmtui.core.models import Client, FollowUp
from rmtui.screens.clients import ClientsScreen
from rmtui.widgets.line_list import LineList
from tests.conftest import POSTGRESQL, SQLITE, TEST_USER
from tests.factories import make

DAY = date(2026, 11, 29)
SIZE = (120, 40)
BOTH_ENGINES = pytest.mark.parametrize("book_kind", [SQLITE, POSTGRESQL], indirect=True)


def shared_book(engine: Engine, owners: dict[str, str | None]) -> Engine:
    """A client of each owner (by name), each with a follow-up overdue on DAY."""
    with session_scope(engine) as session:
        for name, owner in owners.items():
            client = make(session, Client, name=name, owner=owner, client_since=date(2024, 1, 1))
            make(
                session,
                FollowUp,
                client_id=client.id,
                title=f"Call {name}",
                due_on=date(2026, 11, 25),
            )
    return engine


def agenda_text(app: RmApp) -> str:
    options = app.screen.query_one("#agenda", LineList)
    return "\n".join(str(option.prompt) for option in options.options)


async def settle(app: RmApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


@BOTH_ENGINES
async def test_today_and_clients_show_my_clients_and_m_shows_every_client(
    engine: Engine,
) -> None:
    shared_book(engine, {"Ada": TEST_USER, "Bob": "ben", "Cy": None})
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Call Ada" in agenda_text(app) and "Call Cy" in agenda_text(app)
        assert "Call Bob" not in agenda_text(app)
        assert app.sub_title.endswith(f" · {TEST_USER} · my clients")
        await pilot.press("m")
        await settle(app, pilot)
        assert "Call Bob" in agenda_text(app) and app.sub_title.endswith("all clients")
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ClientsScreen)
        assert screen.table.total == 3
        await pilot.press("m")
        await settle(app, pilot)
        assert screen.table.total == 2


async def test_a_book_of_one_owner_looks_as_before(engine: Engine) -> None:
    shared_book(engine, {"Ada": TEST_USER, "Cy": None})
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Call Ada" in agenda_text(app) and "Call Cy" in agenda_text(app)
        assert app.sub_title == "Sun 29 Nov 2026"
        assert app.check_action("mine_or_all", ()) is False  # no `m` in the key bar or help
        await pilot.press("m")
        await settle(app, pilot)
        assert app.everyone is False


@BOTH_ENGINES
async def test_a_stale_edit_from_the_other_computer_is_refused(
    engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two windows on one book, each on a connection of its own (on a server: as on two
    computers); the second reschedules, the first, not yet refreshed, marks it done."""
    monkeypatch.setattr(app_module, "BOOK_WATCH_S", 3600.0)  # the first has not looked again
    shared_book(engine, {"Bob": None})
    with session_scope(engine) as session:
        follow_up = session.exec(select(FollowUp)).one()
    entry = f"follow_up:{follow_up.id}"
    url = os.environ["RMTUI_DB"]
    if url.startswith("postgresql"):
        from rmtui.core.server import open_server_book

        other_engine = open_server_book(url)
    else:
        other_engine = open_book(db_path)
    first = make_app(engine, book_name="first", day=DAY)
    second = make_app(other_engine, book_name="second", day=DAY)
    async with first.run_test(size=SIZE, notifications=True) as pilot:
        await settle(first, pilot)
        async with second.run_test(size=SIZE, notifications=True) as other:
            await settle(second, other)
            options = second.screen.query_one("#agenda", LineList)
            options.highlighted = options.get_option_index(entry)
            await other.press("r")
            await other.pause()
            await other.press(*"fri", "enter")
            await settle(second, other)
        options = first.screen.query_one("#agenda", LineList)
        options.highlighted = options.get_option_index(entry)
        await pilot.press("d")
        await settle(first, pilot)
        await pilot.pause(0.2)
        await settle(first, pilot)
        with session_scope(engine) as session:
            now = session.get(FollowUp, follow_up.id)
            assert now is not None
            assert (now.status, now.due_on) == ("open", date(2026, 12, 4))  # not overwritten
        messages = [notice.message for notice in first._notifications]
        assert any("changed in another window" in message for message in messages), messages
    other_engine.dispose()
