"""A program that works on a book until it is killed, saying on stdout what it has done.

python -m tests.reliability.worker write BOOK TAG [--reconnect]
    adds clients named TAG-1, TAG-2, … one transaction each, printing `ack N` once
    client N is committed; with --reconnect it opens the book for every write.
python -m tests.reliability.worker open BOOK [EXTRA_VERSIONS]
    opens (creates or upgrades) the book, printing each step, then `opened`.
python -m tests.reliability.worker copy BOOK NEW_BOOK
    copies the book into a new book file as `rmtui copy --to` does, printing each step,
    then `copied`.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from rmtui.core import db
from rmtui.core.errors import BookError


def say(step: str, done: int = 0, total: int | None = None) -> None:
    """Print a line at once (the parent kills on what it reads); a long step's progress is
    told with how far it has come."""
    print(step if total is None else f"{step} ({done}/{total})", flush=True)


def write(path: Path, tag: str, reconnect: bool) -> None:
    """Add a client per transaction until killed, acknowledging each after its commit."""
    from rmtui.core.models import Client

    passphrase = os.environ.get("RMTUI_PASSPHRASE")
    engine = None
    number = 0
    while True:
        number += 1
        try:
            if engine is None:
                engine = db.open_book(path, passphrase=passphrase)
            with db.session_scope(engine) as session:
                session.add(Client(name=f"{tag}-{number}", created_on=date.today()))
        except BookError as error:
            say(f"refused {number}: {error}")
            number -= 1
            if engine is not None:
                engine.dispose()
                engine = None
            time.sleep(0.05)
            continue
        say(f"ack {number}")
        if reconnect:
            engine.dispose()
            engine = None
            time.sleep(0.01)


def open_only(path: Path, extra_versions: str | None) -> None:
    """Open the book (creating or upgrading it), telling each step."""
    if extra_versions:
        add_versions(extra_versions)
    say("starting")
    db.open_book(path, progress=say, steps=say).dispose()
    say("opened")


def copy_to_file(path: Path, target: Path) -> None:
    """Copy the book into the new book file `target`, telling each step."""
    from rmtui.core.book_copy import copy_book

    say("starting")
    source = db.open_book(path)
    try:
        with db.new_book_to_fill(target) as engine:
            copy_book(source=source, target=engine, progress=say)
    finally:
        source.dispose()
    say("copied")


def add_versions(folder: str) -> None:
    """Let this process know the migrations in `folder` too (a test's own later revision)."""
    from rmtui.core import storage

    known: Any = (*storage.KNOWN_REVISIONS, "9001")
    storage.KNOWN_REVISIONS = known
    storage.SCHEMA_HEAD = db.SCHEMA_HEAD = known[-1]
    db.KNOWN_REVISIONS = known
    original = db.alembic_config

    def with_extra() -> object:
        config = original()
        here = Path(db.__file__).parent / "migrations" / "versions"
        config.set_main_option("version_locations", f"{here} {folder}")
        return config

    db.alembic_config = with_extra  # type: ignore[assignment]


def main(argv: list[str]) -> None:
    """Run the worker named by `argv`."""
    mode, path = argv[0], Path(argv[1])
    if mode == "write":
        write(path, argv[2], "--reconnect" in argv)
    elif mode == "copy":
        copy_to_file(path, Path(argv[2]))
    else:
        open_only(path, argv[2] if len(argv) > 2 else None)


if __name__ == "__main__":
    main(sys.argv[1:])
