"""Opening a book at the current schema: the agenda is read with sqlite3 as the app starts,
and SQLAlchemy only after the first screen shows."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from rmtui.app import make_app_on_path
from rmtui.core import backups, paths, storage
from rmtui.core.agenda import TODAY_LIMIT, EarlyAgenda, build_agenda
from rmtui.core.backups import DailyBackup, list_backups
from rmtui.core.db import book_at_head, open_book, reading_at_head, session_scope
from rmtui.core.errors import BookError
from rmtui.core.models import Client, FollowUp, Interaction
from rmtui.widgets.line_list import LineList
from tests.core.test_migrations import upgrade
from tests.factories import make

DAY = date(2026, 11, 29)  # RMTUI_TODAY in the tests


@pytest.fixture
def book(engine: Engine, db_path: Path) -> Path:
    """The path of a small book with an overdue follow-up and a check-in due."""
    with session_scope(engine) as session:
        ann = make(
            session, Client, name="Ann", checkin_every_days=30, client_since=date(2024, 1, 1)
        )
        make(session, Interaction, client_id=ann.id, at=datetime(2026, 9, 1, 10, 0))
        make(session, FollowUp, client_id=ann.id, title="Send proposal", due_on=date(2026, 11, 25))
    engine.dispose()
    return db_path


def test_a_book_at_the_current_schema_opens_as_it_is(book: Path, tmp_path: Path) -> None:
    assert book_at_head(book)
    assert not book_at_head(tmp_path / "missing.db")


def test_an_older_book_is_left_to_open_book_to_migrate(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    old.touch()
    upgrade(old, "0001")
    assert not book_at_head(old)
    open_book(old).dispose()
    assert book_at_head(old)


def test_a_file_that_is_no_book_is_refused_in_one_sentence(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a book", encoding="utf-8")
    with pytest.raises(BookError, match="not an rmtui book"):
        book_at_head(text)


def test_the_early_agenda_is_the_agenda(book: Path, engine: Engine) -> None:
    early = EarlyAgenda(book, day=DAY, limit=TODAY_LIMIT)
    with session_scope(engine) as session:
        expected = build_agenda(session=session, day=DAY, limit=TODAY_LIMIT)
    assert early.result() == expected
    assert early.done


def test_the_early_agenda_reads_on_the_connection_that_checked_the_book(
    book: Path, engine: Engine
) -> None:
    """As `rmtui` starts: the read-only connection that found the book at the current schema
    reads its agenda in the thread, and is closed once read."""
    reading = reading_at_head(book, check_same_thread=False)
    assert reading is not None
    early = EarlyAgenda(reading, day=DAY, limit=TODAY_LIMIT)
    early.wait(10)
    with session_scope(engine) as session:
        expected = build_agenda(session=session, day=DAY, limit=TODAY_LIMIT)
    assert early.done and early.ready() == expected
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        reading.execute("SELECT 1")


def test_the_early_agenda_hands_on_what_went_wrong(tmp_path: Path) -> None:
    early = EarlyAgenda(tmp_path / "empty.db", day=DAY, limit=TODAY_LIMIT)
    with pytest.raises(Exception, match="no such table"):
        early.result()
    assert early.ready() is None


def test_the_first_screen_loads_no_sqlalchemy() -> None:
    code = (
        "import sys\n"
        "import rmtui.cli, rmtui.app, rmtui.core.backups, rmtui.screens.today, rmtui.core.agenda\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'alembic', 'rmtui.core.models')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_tui_paints_at_120_frames_a_second_unless_told_otherwise() -> None:
    code = (
        "import os, sys\n"
        "from rmtui.cli.tui import paint_promptly\n"
        "assert 'textual' not in sys.modules  # Textual reads TEXTUAL_FPS once, when loaded\n"
        "paint_promptly()\n"
        "from textual import constants\n"
        "print(constants.MAX_FPS)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "TEXTUAL_FPS"}
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert shown.stdout.split() == ["120"], shown.stderr
    env["TEXTUAL_FPS"] = "30"
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert shown.stdout.split() == ["30"], shown.stderr


async def test_the_app_on_a_path_shows_the_agenda_and_its_keys_work(book: Path) -> None:
    early = EarlyAgenda(book, day=DAY, limit=TODAY_LIMIT)
    app = make_app_on_path(book, book_name="book", early_agenda=early)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        options = app.screen.query_one("#agenda", LineList)
        ids = [option.id for option in options.options if option.id]
        assert ids[0].startswith("follow_up:")
        assert any(option_id.startswith("checkin:") for option_id in ids)
        await pilot.press("d")  # needs the engine, made on first use
        await pilot.pause(0.5)
        ids = [option.id for option in options.options if option.id]
        assert not any(option_id.startswith("follow_up:") for option_id in ids)
    with session_scope(app.engine) as session:
        assert session.get(FollowUp, 1).status == "done"  # type: ignore[union-attr]
    app.engine.dispose()


def test_the_daily_backup_is_taken_in_the_background(book: Path) -> None:
    backup = DailyBackup(book)
    backup.wait()
    assert backup.done and backup.error is None
    assert [b.reason for b in list_backups(book)] == ["daily"]
    assert not list(paths.backup_dir(book).glob("*.partial"))


async def test_a_large_book_tells_its_backup_once_and_quitting_does_not_wait_for_it(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_copy = DailyBackup._copied

    def slow_step(backup: DailyBackup, step: str, done: int = 0, total: int | None = None) -> None:
        time.sleep(0.2)  # a book far larger than this one, copied a page at a time
        slow_copy(backup, step, done, total)

    monkeypatch.setattr(storage, "COPY_PAGES_PER_STEP", 1)
    monkeypatch.setattr(backups, "LARGE_BOOK_BYTES", 1)
    monkeypatch.setattr(DailyBackup, "_copied", slow_step)
    backup = DailyBackup(book)
    app = make_app_on_path(book, book_name="book", daily_backup=backup)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(2.5)
        messages = [notification.message for notification in app._notifications]
        assert sum("Making today's backup" in message for message in messages) == 1
        await pilot.press("q")  # the copy stops at its next step while the app closes
    started = time.monotonic()
    backup.wait()
    assert time.monotonic() - started < 1
    started = time.monotonic()
    backup.put_off()  # as `rmtui` does once the app has ended: it returns at once
    assert time.monotonic() - started < 0.01
    assert list_backups(book) == []
    assert len(list(paths.backup_dir(book).glob("*.partial*"))) == 1  # a later start deletes it


def test_the_program_ends_without_waiting_for_a_step_of_the_copy(book: Path) -> None:
    script = (
        "import sys, time; from pathlib import Path; from rmtui.core.backups import DailyBackup\n"
        "def stuck(backup, step, done=0, total=None):\n"
        "    backup.copying = True\n"
        "    time.sleep(30)  # the disk is busy\n"
        "DailyBackup._copied = stuck\n"
        f"backup = DailyBackup(Path({str(book)!r}))\n"
        "while not backup.copying and not backup.done: time.sleep(0.01)\n"
        "backup.put_off()\n"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 10
    assert list_backups(book) == []


async def test_a_failed_daily_backup_is_told_and_the_book_opens(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(book.parent / "config"))
    config = book.parent / "config" / "rmtui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[backups]\nkeep = 0\n", encoding="utf-8")
    backup = DailyBackup(book)
    app = make_app_on_path(book, book_name="book", daily_backup=backup)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(2.5)
        messages = [notification.message for notification in app._notifications]
        assert any("Today's backup was not taken" in message for message in messages)
        assert app.screen.query_one("#agenda", LineList).option_count
