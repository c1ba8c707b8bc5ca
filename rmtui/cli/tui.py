"""Opening the TUI: on the user's book, or on a fresh demo book."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from rmtui.cli.common import book_passphrase, book_path, open_engine, server_url
from rmtui.core.dates import today
from rmtui.core.translation import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from rmtui.core.backups import DailyBackup


# How often the TUI may paint (see paint_promptly).
FRAMES_PER_SECOND = 120
# How long the start waits for Today's agenda before it loads the app (EarlyAgenda).
EARLY_AGENDA_WAIT_S = 0.3


def run_tui(args: argparse.Namespace) -> int:
    """Open the TUI on the user's book.

    A plain book at the current schema (the everyday case) opens at once: its first screen is
    read with the standard library's sqlite3 before the app loads (beside it when that takes
    longer than EARLY_AGENDA_WAIT_S), and SQLAlchemy loads once it shows. A new, encrypted or
    older book is opened (created, asked for, migrated) first.
    """
    from rmtui.core.backups import DailyBackup
    from rmtui.core.db import reading_at_head

    paint_promptly()
    url = server_url(args)
    if url is not None:  # a server book: opened first, backed up by the server's tools
        from rmtui.core.server import book_title

        return _run_app(open_engine(args, create=True), book_name=book_title(url))
    path = book_path(args)
    day = today()
    reading = reading_at_head(path, check_same_thread=False)
    if reading is not None:
        from rmtui.core.agenda import TODAY_COUNTED, TODAY_LIMIT, EarlyAgenda
        from rmtui.core.people import session_user

        # Read before the app loads, or beside it when that takes long; the daily backup's
        # copy starts after, not to slow the reading down.
        early = EarlyAgenda(
            reading, day=day, limit=TODAY_LIMIT, count_up_to=TODAY_COUNTED, user=session_user()
        )
        early.wait(EARLY_AGENDA_WAIT_S)
        backup = DailyBackup(path)
        from rmtui.app import make_app_on_path

        try:
            make_app_on_path(
                path, book_name=path.stem, early_agenda=early, daily_backup=backup
            ).run()
        finally:
            backup.put_off()
        return 0
    engine = open_engine(args, create=True)
    backup = DailyBackup(path, passphrase=book_passphrase(args))
    return _run_app(engine, book_name=path.stem, daily_backup=backup)


def paint_promptly() -> None:
    """Let Textual paint up to FRAMES_PER_SECOND frames a second (unless TEXTUAL_FPS says).

    Textual paints a change at its next frame, and a change made within a frame of the one
    before waits one to two frame periods: at its default 60 frames a second, the list a
    filter keystroke brings waited 17-33 ms after the typed letter was painted. Frames are
    only painted when something changed, so an idle screen costs nothing more.
    """
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))


def run_demo(args: argparse.Namespace) -> int:
    """Open the TUI on a fresh copy of the demo book in a temporary folder."""
    import tempfile

    from rmtui.core.demo import create_demo_book

    paint_promptly()
    with tempfile.TemporaryDirectory(prefix="rmtui-demo-") as folder:
        engine = create_demo_book(Path(folder) / "demo.db", today=today())
        try:
            return _run_app(engine, book_name=_("demo book"))
        finally:
            engine.dispose()


def _run_app(engine: Engine, *, book_name: str, daily_backup: DailyBackup | None = None) -> int:
    from rmtui.app import make_app

    app = make_app(engine, book_name=book_name)
    app.daily_backup = daily_backup
    try:
        app.run()
    finally:
        if daily_backup is not None:
            daily_backup.put_off()
    return 0
