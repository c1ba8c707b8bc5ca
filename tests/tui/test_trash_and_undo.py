"""Deleting from the screens, the Trash view and the session's undo history, key by key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import select
from textual.pilot import Pilot

from rmtui.core.db import session_scope
from rmtui.core.models import Client, FollowUp, Interaction
from rmtui.core.queries.trash import trash_rows
from rmtui.screens.client.detail import ClientDetailScreen
from rmtui.screens.clients import ClientsScreen
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.log import LogScreen
from rmtui.screens.trash import TrashScreen
from rmtui.widgets.key_bar import KeyBar
from tests.clients_book import SIZE, app_on, fill_book, open_clients, settle
from tests.factories import make
from tests.tui.test_clients_screen import current_name, move_to, shown_names, table_of


def messages(pilot: Pilot[None]) -> list[str]:
    return [notice.message for notice in pilot.app._notifications]


def book_with_clients(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        fill_book(session)
    return engine


def names_in_book(engine: Engine) -> set[str]:
    with session_scope(engine) as session:
        return {client.name for client in session.exec(select(Client))}


def trashed(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return [row.what for row in trash_rows(session=session)]


async def test_d_deletes_a_client_after_asking_and_u_brings_them_back(engine: Engine) -> None:
    book = book_with_clients(engine)
    async with app_on(book).run_test(size=SIZE, notifications=True) as pilot:
        await open_clients(pilot)
        await move_to(pilot, "Bram Maes")
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")  # keep
        await settle(pilot)
        assert "Bram Maes" in names_in_book(book)
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert table_of(pilot).total == 29
        assert "Bram Maes" not in shown_names(table_of(pilot))
        assert "Deleted the client Bram Maes. Press u to undo." in messages(pilot)
        assert trashed(book) == ["client Bram Maes"]
        await pilot.press("u")
        await settle(pilot)
        assert table_of(pilot).total == 30
        assert current_name(pilot) == "Bram Maes"
        assert "Undone: deleted the client Bram Maes." in messages(pilot)
        assert trashed(book) == []


async def test_u_takes_back_one_change_after_another_newest_first(engine: Engine) -> None:
    book = book_with_clients(engine)
    async with app_on(book).run_test(size=SIZE, notifications=True) as pilot:
        await open_clients(pilot)
        for name in ("Ann Maes", "Bram Maes"):
            await move_to(pilot, name)
            await pilot.press("x")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
        await move_to(pilot, "Dirk Maes")
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert table_of(pilot).total == 27
        await pilot.press("1")  # undo works from any screen
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "Dirk Maes" in names_in_book(book)
        assert messages(pilot)[-1] == "Undone: deleted the client Dirk Maes with 1 interaction."
        await pilot.press("u", "u")
        await settle(pilot)
        assert messages(pilot)[-2:] == ["Undone: archived Bram Maes.", "Undone: archived Ann Maes."]
        await pilot.press("u")
        await settle(pilot)
        assert messages(pilot)[-1] == "Nothing to undo."
    with session_scope(book) as session:
        assert not any(client.archived for client in session.exec(select(Client)))


async def test_the_trash_view_restores_deletes_for_good_and_empties(engine: Engine) -> None:
    book = book_with_clients(engine)
    async with app_on(book).run_test(size=SIZE, notifications=True) as pilot:
        await open_clients(pilot)
        for name in ("Ann Maes", "Bram Maes", "Dirk Maes"):
            await move_to(pilot, name)
            await pilot.press("D")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TrashScreen)
        listed = [str(screen.table.row_at(i).cells[1]) for i in range(3)]  # type: ignore[union-attr]
        assert [what.split(" with ")[0] for what in listed] == [
            "client Dirk Maes",
            "client Bram Maes",
            "client Ann Maes",
        ]
        await pilot.press("down", "r")  # restore Bram
        await settle(pilot)
        assert screen.table.total == 2
        assert messages(pilot)[-1].startswith("Restored the client Bram Maes")
        await pilot.press("home", "x")  # Dirk, for good
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert [what.split(" with ")[0] for what in trashed(book)] == ["client Ann Maes"]
        await pilot.press("E")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert screen.table.total == 0
        hints = {hint.key: hint.enabled for hint in screen.query_one(KeyBar).hints}
        assert (hints["escape"], hints["r"], hints["x"], hints["E"]) == (True, False, False, False)
        await pilot.press("E")  # an empty trash asks nothing
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientsScreen)
        assert table_of(pilot).total == 28
    assert {"Bram Maes"} <= names_in_book(book)
    assert not {"Ann Maes", "Dirk Maes"} & names_in_book(book)


async def test_a_logged_interaction_deleted_from_the_log_comes_back_with_u(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann")
        call = make(session, Interaction, client_id=ann.id, at=datetime(2026, 11, 20, 9))
        make(session, FollowUp, client_id=ann.id, title="Send it", interaction_id=call.id)
    async with app_on(engine).run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("3")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LogScreen)
        assert screen.table.total == 1
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert screen.table.total == 0
        await pilot.press("u")
        await settle(pilot)
        assert screen.table.total == 1
    with session_scope(engine) as session:
        follow_up = session.exec(select(FollowUp)).one()
        assert follow_up.interaction_id == call.id


async def test_d_on_the_client_detail_deletes_the_focused_follow_up(engine: Engine) -> None:
    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann")
        make(session, FollowUp, client_id=ann.id, title="Send it")
        ann_id = ann.id
    assert ann_id is not None
    async with app_on(engine).run_test(size=SIZE, notifications=True) as pilot:
        pilot.app.push_screen(ClientDetailScreen(ann_id))
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, ClientDetailScreen)
        detail.follow_ups_table.focus()
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert detail.follow_ups_table.total == 0
        assert trashed(engine) == ["follow-up “Send it” (Ann)"]
