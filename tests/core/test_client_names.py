"""Client names for shell completion, read with sqlite3 from a real book file."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import Engine

from rmtui.core.client_names import book_names_starting
from rmtui.core.db import session_scope
from rmtui.core.models import Client
from tests.factories import make


def add_clients(engine: Engine) -> None:
    with session_scope(engine) as session:
        for name in ("Ann Smit", "anna Berg", "Annelies Vos", "Bert Ann", "Andre 50%_off"):
            make(session, Client, name=name)
        make(session, Client, name="Ann Gone", archived=True)


def test_names_starting_with_a_prefix_in_any_case(engine: Engine) -> None:
    add_clients(engine)
    db_path = os.environ["RMTUI_DB"]  # the book file, or the server's URL
    assert book_names_starting(db_path, "ann") == ["Ann Smit", "anna Berg", "Annelies Vos"]
    assert book_names_starting(db_path, "ANN S") == ["Ann Smit"]
    assert book_names_starting(db_path, "")[:2] == ["Andre 50%_off", "Ann Smit"]
    assert book_names_starting(db_path, "Andre 50%") == ["Andre 50%_off"]
    assert book_names_starting(db_path, "x") == []
    assert book_names_starting(db_path, "a", limit=2) == ["Andre 50%_off", "Ann Smit"]


def test_no_book_an_encrypted_one_or_garbage_complete_nothing(tmp_path: Path) -> None:
    assert book_names_starting(tmp_path / "missing.db", "a") == []
    encrypted = tmp_path / "encrypted.db"
    encrypted.write_bytes(bytes(range(256)) * 16)
    assert book_names_starting(encrypted, "a") == []
    text = tmp_path / "notes.db"
    text.write_text("not a book")
    assert book_names_starting(text, "a") == []


def test_reading_names_leaves_the_book_untouched(engine: Engine, db_path: Path) -> None:
    add_clients(engine)
    engine.dispose()
    before = sorted(path.name for path in db_path.parent.iterdir())
    book_names_starting(db_path, "a")
    assert sorted(path.name for path in db_path.parent.iterdir()) == before
