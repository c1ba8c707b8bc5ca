"""Two rmtui windows on one book: a stale edit is refused and shown as it is now, and a list
follows what the other window changed."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

import rmtui.app as app_module
from rmtui.app import RmApp, make_app
from rmtui.core.db import open_book, session_scope
from rmtui.core.models import Client, FollowUp
from rmtui.widgets.line_list import LineList
from tests.factories import make

DAY = date(2026, 11, 29)
SIZE = (120, 40)


@pytest.fixture
def book(engine: Engine) -> Engine:
    """A book with one overdue follow-up."""
    with session_scope(engine) as session:
        bob = make(session, Client, name="Bob Janssens", client_since=date(2024, 1, 1))
        make(session, FollowUp, client_id=bob.id, title="Send proposal", due_on=date(2026, 11, 25))
    return engine


def follow_up(engine: Engine) -> FollowUp:
    with session_scope(engine) as session:
        return session.exec(select(FollowUp).where(FollowUp.title == "Send proposal")).one()


def agenda_text(app: RmApp) -> str:
    options = app.screen.query_one("#agenda", LineList)
    return "\n".join(str(option.prompt) for option in options.options)


async def choose(app: RmApp, option_id: str) -> None:
    options = app.screen.query_one("#agenda", LineList)
    options.highlighted = options.get_option_index(option_id)


async def settle(app: RmApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_a_stale_done_is_refused_after_a_reschedule_in_the_other_window(
    book: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first window has not looked at the book again yet (as within its 1.5 s), however
    # long this machine takes over the steps below.
    monkeypatch.setattr(app_module, "BOOK_WATCH_S", 3600.0)
    entry = f"follow_up:{follow_up(book).id}"
    other_engine = open_book(db_path)
    first = make_app(book, book_name="first", day=DAY)
    second = make_app(other_engine, book_name="second", day=DAY)
    async with first.run_test(size=SIZE, notifications=True) as pilot:
        await settle(first, pilot)
        async with second.run_test(size=SIZE, notifications=True) as other:
            await settle(second, other)
            await choose(second, entry)
            await other.press("r")
            await other.pause()
            await other.press(*"fri", "enter")
            await settle(second, other)
        assert follow_up(book).due_on == date(2026, 12, 4)
        assert "Send proposal" in agenda_text(first)  # still shown as overdue here
        await choose(first, entry)
        await pilot.press("d")
        await settle(first, pilot)
        await pilot.pause(0.2)
        await settle(first, pilot)
        now = follow_up(book)
        assert (now.status, now.due_on) == ("open", date(2026, 12, 4))  # nothing overwritten
        messages = [notice.message for notice in first._notifications]
        assert any("changed in another window" in message for message in messages), messages
        assert "4 Dec" in agenda_text(first) or "Fri" in agenda_text(first)  # shown as it is
    other_engine.dispose()


async def test_my_own_edits_are_not_taken_for_someone_elses(book: Engine) -> None:
    entry = f"follow_up:{follow_up(book).id}"
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await choose(app, entry)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"fri", "enter")
        await pilot.pause()  # the list is not read again yet: the second edit comes at once
        await choose(app, entry)
        await pilot.press("d")
        await settle(app, pilot)
        assert follow_up(book).status == "done"


async def test_the_list_follows_a_change_made_in_the_other_window(
    book: Engine, db_path: Path
) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.first_screen_shown()
        await pilot.pause()
        other = open_book(db_path)
        with session_scope(other) as session:
            client = session.exec(select(Client)).one()
            make(session, FollowUp, client_id=client.id, title="Call back", due_on=DAY)
        other.dispose()
        for _tick in range(40):
            await pilot.pause(0.1)
            if "Call back" in agenda_text(app):
                break
        assert "Call back" in agenda_text(app)


async def test_a_book_replaced_under_the_app_is_said_in_one_sentence(
    book: Engine, db_path: Path, tmp_path: Path
) -> None:
    from rmtui.app import REPLACED

    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        app.watch_book()
        copy = tmp_path / "copy.db"
        shutil.copyfile(db_path, copy)
        os.replace(copy, db_path)
        app.watch_book()
        await pilot.pause()
        assert [n.message for n in app._notifications] == [REPLACED]
        assert app.error_text(RuntimeError("file is not a database")) == REPLACED
