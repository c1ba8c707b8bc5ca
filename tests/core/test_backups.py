"""Backups: on demand, rolling daily, listing, and a restore that refuses bad files."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from rmtui.core import paths
from rmtui.core.backups import (
    BEFORE_RESTORE,
    STAMP_FORMAT,
    BackupPutOff,
    check_backup_file,
    daily_backup_if_due,
    list_backups,
    make_backup,
    restore_book,
    stamp_time,
)
from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.models import Client
from rmtui.core.settings import Settings, load_settings, settings_path
from rmtui.core.storage import SCHEMA_HEAD
from tests.factories import make


def add_client(engine: Engine, name: str) -> None:
    with session_scope(engine) as session:
        make(session, Client, name=name)


def client_names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM client ORDER BY id")]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def set_today(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setenv("RMTUI_TODAY", day)


def test_make_backup_copies_the_book_privately(engine: Engine, db_path: Path) -> None:
    add_client(engine, "Ada Lovelace")
    copy = make_backup(db_path, reason="manual")
    assert copy.parent == paths.backup_dir(db_path)
    assert copy.name.startswith("book-20261129-") and copy.name.endswith("-manual.db")
    assert client_names(copy) == ["Ada Lovelace"]
    assert mode_of(copy) == 0o600
    assert mode_of(copy.parent) == 0o700


def test_make_backup_of_a_missing_book_says_so(tmp_path: Path) -> None:
    with pytest.raises(BookError, match="there is no book at"):
        make_backup(tmp_path / "none.db", reason="manual")


def test_make_backup_refuses_an_odd_reason(engine: Engine, db_path: Path) -> None:
    with pytest.raises(BookError, match="cannot name a backup"):
        make_backup(db_path, reason="../escape")


def test_daily_backup_is_taken_once_a_day(
    engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = daily_backup_if_due(db_path, keep=7)
    assert first is not None and first.exists()
    assert daily_backup_if_due(db_path, keep=7) is None
    set_today(monkeypatch, "2026-11-30")
    assert daily_backup_if_due(db_path, keep=7) is not None
    assert [b.reason for b in list_backups(db_path)] == ["daily", "daily"]


def test_daily_backups_are_pruned_to_the_last_n(
    engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manual = make_backup(db_path, reason="manual")
    for day in range(20, 26):
        set_today(monkeypatch, f"2026-11-{day}")
        daily_backup_if_due(db_path, keep=3)
    daily = [b for b in list_backups(db_path) if b.reason == "daily"]
    assert [b.taken_at.day for b in daily] == [25, 24, 23]
    assert manual.exists()


def test_daily_false_in_the_settings_turns_the_daily_backup_off(
    engine: Engine, db_path: Path
) -> None:
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text("[backups]\ndaily = false\n")
    assert daily_backup_if_due(db_path) is None
    assert list_backups(db_path) == []


@pytest.mark.parametrize("stopped_in", ["copying the book", "checking the copy"])
def test_a_daily_backup_put_off_is_left_unfinished_and_taken_next_time(
    engine: Engine, db_path: Path, stopped_in: str
) -> None:
    def put_off(step: str, done: int = 0, total: int | None = None) -> None:
        if step == stopped_in:
            raise BackupPutOff

    with pytest.raises(BackupPutOff):
        daily_backup_if_due(db_path, keep=7, progress=put_off)
    assert list_backups(db_path) == []
    assert len(list(paths.backup_dir(db_path).glob("*.partial*"))) == 1  # a later start deletes it
    assert daily_backup_if_due(db_path, keep=7) is not None
    assert [b.reason for b in list_backups(db_path)] == ["daily"]


def test_a_copy_that_fails_leaves_nothing(
    engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rmtui.core.storage._flush", _no_disk)
    with pytest.raises(OSError, match="disk full"):
        make_backup(db_path, reason="manual")
    assert not list(paths.backup_dir(db_path).iterdir())


def _no_disk(path: Path) -> None:
    raise OSError(28, "disk full")


def test_copies_a_killed_rmtui_left_unfinished_go_but_one_under_way_stays(
    engine: Engine, db_path: Path
) -> None:
    folder = paths.ensure_private_dir(paths.backup_dir(db_path))
    abandoned = folder / f"{db_path.stem}-20261128-080000-000000-daily.db.partial"
    under_way = folder / f"{db_path.stem}-20261129-080000-000000-daily.db.partial"
    for path in (abandoned, Path(f"{abandoned}-wal"), under_way):
        path.write_bytes(b"half a copy")
    an_hour_ago = time.time() - 3600
    os.utime(abandoned, (an_hour_ago, an_hour_ago))
    os.utime(f"{abandoned}-wal", (an_hour_ago, an_hour_ago))
    daily_backup_if_due(db_path, keep=7)
    assert not abandoned.exists() and not Path(f"{abandoned}-wal").exists()
    assert under_way.exists()


def test_daily_backup_keep_comes_from_the_settings(
    engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text("[backups]\nkeep = 2\n")
    for day in range(20, 25):
        set_today(monkeypatch, f"2026-11-{day}")
        daily_backup_if_due(db_path)
    assert len(list_backups(db_path)) == 2


def test_daily_backup_without_a_book_does_nothing(tmp_path: Path) -> None:
    assert daily_backup_if_due(tmp_path / "none.db", keep=7) is None


def test_settings_default_and_bad_values(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    assert load_settings(config) == Settings()
    config.write_text("[backups]\nkeep = 0\n")
    with pytest.raises(BookError, match=r"backups.keep must be a whole number"):
        load_settings(config)
    config.write_text("[backups\n")
    with pytest.raises(BookError, match="is not valid TOML"):
        load_settings(config)


def test_list_backups_newest_first_and_ignores_other_files(
    engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = make_backup(db_path, reason="manual")
    set_today(monkeypatch, "2026-12-01")
    newer = make_backup(db_path, reason="pre-migration")
    (paths.backup_dir(db_path) / "notes.txt").write_text("not a backup")
    (paths.backup_dir(db_path) / "other-20261129-101010-000000-manual.db").write_text("x")
    listed = list_backups(db_path)
    assert [b.path for b in listed] == [newer, older]
    assert listed[0].reason == "pre-migration" and listed[0].size > 0


def test_restore_puts_the_backup_back_and_keeps_a_copy(engine: Engine, db_path: Path) -> None:
    add_client(engine, "Ada Lovelace")
    backup = make_backup(db_path, reason="manual")
    add_client(engine, "Grace Hopper")
    engine.dispose()
    safety = restore_book(db_path, backup)
    assert client_names(db_path) == ["Ada Lovelace"]
    assert safety is not None and BEFORE_RESTORE in safety.name
    assert client_names(safety) == ["Ada Lovelace", "Grace Hopper"]
    assert mode_of(db_path) == 0o600


def test_restore_into_a_missing_book_creates_it(engine: Engine, db_path: Path, tmp_path: Path):
    add_client(engine, "Ada Lovelace")
    backup = make_backup(db_path, reason="manual")
    target = tmp_path / "new" / "book.db"
    assert restore_book(target, backup) is None
    assert client_names(target) == ["Ada Lovelace"]


def test_restore_refuses_the_book_itself(engine: Engine, db_path: Path) -> None:
    with pytest.raises(BookError, match="is the book itself"):
        restore_book(db_path, db_path)


def damage_page(path: Path, page: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(4096 * (page - 1) + (100 if page == 1 else 0))
        handle.write(b"\xde\xad\xbe\xef" * 900)


def foreign_sqlite(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipe (id INTEGER PRIMARY KEY, title TEXT)")
        conn.execute("INSERT INTO recipe (title) VALUES ('Soup')")
    conn.close()


def set_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


@pytest.mark.parametrize(
    ("spoil", "sentence"),
    [
        (lambda p: damage_page(p, 1), "is damaged"),
        (lambda p: damage_page(p, 3), "is damaged"),
        (lambda p: p.write_bytes(p.read_bytes()[:60]), "is cut short"),
        (lambda p: p.write_bytes(p.read_bytes()[:150]), "is damaged"),
        (lambda p: p.write_text("name;email\nAda;ada@example.com\n"), "is not an rmtui backup"),
        (lambda p: p.write_bytes(b""), "is not an rmtui backup"),
        (lambda p: foreign_sqlite(p), "not an rmtui book"),
        (lambda p: set_revision(p, "9999"), "written by a newer rmtui"),
        (lambda p: p.unlink(), "does not exist"),
    ],
    ids=[
        "damaged-schema",
        "damaged-page",
        "truncated-header",
        "truncated",
        "csv",
        "empty",
        "foreign",
        "too-new",
        "missing",
    ],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(
    engine: Engine, db_path: Path, tmp_path: Path, spoil, sentence: str
) -> None:
    for number in range(40):
        add_client(engine, f"Client {number} " + "x" * 200)
    backup = make_backup(db_path, reason="manual")
    bad = tmp_path / "bad.db"
    bad.write_bytes(backup.read_bytes())
    spoil(bad)
    add_client(engine, "Grace Hopper")
    engine.dispose()
    before = list_backups(db_path)
    with pytest.raises(BookError, match=sentence) as raised:
        restore_book(db_path, bad)
    assert "\n" not in str(raised.value)
    assert client_names(db_path)[-1] == "Grace Hopper"
    assert list_backups(db_path) == before


def test_check_backup_file_reads_the_revision(engine: Engine, db_path: Path) -> None:
    assert check_backup_file(make_backup(db_path, reason="manual")) == SCHEMA_HEAD


def test_a_backup_stamp_reads_as_strptime_reads_it() -> None:
    for moment in (datetime(2026, 12, 3, 10, 15, 0, 123456), datetime(2024, 2, 29, 23, 59, 59)):
        stamp = moment.strftime(STAMP_FORMAT)
        assert stamp_time(stamp) == datetime.strptime(stamp, STAMP_FORMAT) == moment
    with pytest.raises(ValueError):
        stamp_time("20261303-101500-000000")  # no 13th month


def test_a_backup_with_an_impossible_stamp_is_not_listed(engine: Engine, db_path: Path) -> None:
    make_backup(db_path, reason="manual")
    folder = paths.backup_dir(db_path)
    (folder / f"{db_path.stem}-20260230-101500-000000-manual.db").write_bytes(b"")
    assert [backup.reason for backup in list_backups(db_path)] == ["manual"]
