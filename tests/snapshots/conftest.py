"""The demo book for the snapshots: made once per test session, copied for each test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from rmtui.core.db import open_book
from rmtui.core.demo import create_demo_book
from tests.book_files import close_as_template, copy_book

TODAY = date(2026, 11, 29)  # RMTUI_TODAY in the tests


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo book for the frozen today, written once per test session to be copied."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    close_as_template(create_demo_book(path, today=TODAY))
    return path


@pytest.fixture
def demo_book(demo_template: Path) -> Callable[[Path], Engine]:
    """Open a copy of the demo book at a path, as create_demo_book would have written it."""

    def open_demo_book(path: Path) -> Engine:
        return open_book(copy_book(demo_template, path))

    return open_demo_book
