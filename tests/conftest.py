"""Shared fixtures: every test gets its own book file and never sees the user's data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rmtui.core.db import open_book, session_scope
from rmtui.core.translation import reset_language
from rmtui.core.user_locale import user_locale
from tests.book_files import close_as_template, copy_book

FROZEN_TODAY = "2026-11-29"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every user directory and RMTUI_DB into tmp_path, and freeze today."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("RMTUI_DB", str(tmp_path / "book.db"))
    monkeypatch.setenv("RMTUI_TODAY", FROZEN_TODAY)
    monkeypatch.setenv("RMTUI_LOCALE", "en")  # a test that needs another locale sets it
    user_locale.cache_clear()
    reset_language()
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The path of this test's book file."""
    return tmp_path / "book.db"


@pytest.fixture(scope="session")
def book_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty book at the current schema, migrated once per test session to be copied."""
    path = tmp_path_factory.mktemp("template") / "book.db"
    close_as_template(open_book(path))
    return path


@pytest.fixture
def new_book(book_template: Path) -> Callable[[Path], Engine]:
    """Open an empty book at a path, copied from the session's template instead of migrated."""

    def open_new_book(path: Path) -> Engine:
        return open_book(copy_book(book_template, path))

    return open_new_book


@pytest.fixture
def engine(db_path: Path, new_book: Callable[[Path], Engine]) -> Iterator[Engine]:
    """A fresh book at the current schema in tmp_path."""
    engine = new_book(db_path)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test book, committed at the end of the test."""
    with session_scope(engine) as session:
        yield session
