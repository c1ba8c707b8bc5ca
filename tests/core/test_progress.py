"""Long work tells its progress: an export, an import, a backup and an erasure report how far
they have come, in counts that only grow, up to the whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from rmtui.core import storage
from rmtui.core.backups import make_backup
from rmtui.core.db import session_scope
from rmtui.core.demo import demo_book_data
from rmtui.core.interchange.book_file import import_book, write_book_file
from rmtui.core.interchange.nested import unnested
from rmtui.core.models import Client
from rmtui.core.privacy import erase_client
from tests.conftest import FROZEN_TODAY
from tests.factories import make

Told = tuple[str, int, int | None]


class Steps:
    """A progress callback that keeps what it is told."""

    def __init__(self) -> None:
        self.told: list[Told] = []

    def __call__(self, step: str, done: int = 0, total: int | None = None) -> None:
        self.told.append((step, done, total))

    def assert_grows_to_the_whole(self) -> None:
        counted = [(done, total) for _step, done, total in self.told if total is not None]
        dones = [done for done, _total in counted]
        assert len(set(dones)) > 2, self.told
        assert dones == sorted(dones)
        assert all(done <= total for done, total in counted)
        assert counted[-1][0] == counted[-1][1]


def demo_data() -> dict[str, Any]:
    return demo_book_data(today=date.fromisoformat(FROZEN_TODAY))


def test_an_import_tells_the_records_checked_and_added(engine: Engine) -> None:
    data = demo_data()
    flat, _problems = unnested(dict(data))  # households' members count as records of their own
    records = sum(len(value) for value in flat.values() if isinstance(value, list))
    steps = Steps()
    import_book(engine=engine, data=data, progress=steps)
    steps.assert_grows_to_the_whole()
    checking = [done for step, done, _ in steps.told if step == "checking every record"]
    assert checking[:2] == [0, 1000] and steps.told[0][2] == 2 * records
    assert any(step.startswith("adding ") for step, _done, _total in steps.told)


def test_an_export_tells_the_records_written(engine: Engine, tmp_path: Path) -> None:
    import_book(engine=engine, data=demo_data())
    steps = Steps()
    counts = write_book_file(tmp_path / "book.json", engine=engine, progress=steps)
    steps.assert_grows_to_the_whole()
    assert steps.told[-1] == ("written", sum(counts.values()), sum(counts.values()))
    assert "writing the interactions" in {step for step, _done, _total in steps.told}


def test_a_backup_tells_the_pages_copied(engine: Engine, db_path: Path, tmp_path: Path) -> None:
    import_book(engine=engine, data=demo_data())
    engine.dispose()
    steps = Steps()
    make_backup(db_path, progress=steps)
    copying = [told for told in steps.told if told[0] == "copying the book"]
    checking = steps.told[len(copying) :]  # told again while a slow check goes on
    assert copying and copying[-1][1] == copying[-1][2]
    assert checking and all(told == ("checking the copy", 0, None) for told in checking)


def test_a_large_copy_tells_its_pages_as_they_grow(
    engine: Engine, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_book(engine=engine, data=demo_data())
    engine.dispose()
    monkeypatch.setattr(storage, "COPY_PAGES_PER_STEP", 50)
    steps = Steps()
    storage.copy_sqlite(db_path, tmp_path / "copy.db", progress=steps)
    steps.assert_grows_to_the_whole()


def test_an_erasure_tells_its_steps(engine: Engine) -> None:
    with session_scope(engine) as session:
        client_id = make(session, Client, name="Ann Smit").id
    assert client_id is not None
    steps = Steps()
    erase_client(engine=engine, client_id=client_id, progress=steps)
    assert [done for _step, done, _total in steps.told] == [0, 1, 2, 3]
    assert {total for _step, _done, total in steps.told} == {3}
