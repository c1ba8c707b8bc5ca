"""Book files for tests: a template written once per session and copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy.engine import Engine

from rmtui.core import paths


def close_as_template(engine: Engine) -> None:
    """Move everything in the write-ahead log into the book file and close it, ready to copy."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def copy_book(template: Path, path: Path) -> Path:
    """Copy the closed `template` book to `path`, private as a new book is, and return `path`."""
    paths.ensure_private_dir(path.parent)
    shutil.copyfile(template, path)
    paths.make_private(path)
    return path
