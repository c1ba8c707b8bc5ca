"""Encryption at rest: an encrypted book can't be read without its passphrase."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rmtui.core.backups import check_backup_file, daily_backup_if_due, make_backup, restore_book
from rmtui.core.db import open_book, session_scope
from rmtui.core.encryption import change_passphrase, decrypt_book, encrypt_book
from rmtui.core.errors import BookError, WrongPassphrase
from rmtui.core.models import Client, Interaction
from rmtui.core.sqlcipher import check_passphrase, is_encrypted, make_encrypted_engine
from rmtui.core.storage import SCHEMA_HEAD
from tests.factories import make

pytest.importorskip("sqlcipher3")

NAME = "Wilhelmina Secretkeeper"
EMAIL = "wilhelmina@private.example"
PASSPHRASE = "correct horse 'battery' staple"


@pytest.fixture
def plain_book(engine: Engine, db_path: Path) -> Path:
    """A plain book with one client and an interaction, closed."""
    with session_scope(engine) as session:
        client = make(session, Client, name=NAME, email=EMAIL)
        make(session, Interaction, client_id=client.id, at=datetime(2026, 11, 20, 9, 0))
    engine.dispose()
    return db_path


def file_bytes(path: Path) -> bytes:
    sidecars = [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]
    return b"".join(p.read_bytes() for p in sidecars if p.exists())


def test_encrypted_book_is_unreadable_without_the_passphrase(plain_book: Path) -> None:
    backup = encrypt_book(plain_book, PASSPHRASE)
    assert is_encrypted(plain_book)
    data = file_bytes(plain_book)
    assert NAME.encode() not in data and EMAIL.encode() not in data
    assert not data.startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError), sqlite3.connect(plain_book) as conn:
        conn.execute("SELECT name FROM client").fetchall()
    assert stat.S_IMODE(plain_book.stat().st_mode) == 0o600
    assert "before-encrypt" in backup.name and not is_encrypted(backup)


def test_the_right_passphrase_reads_and_writes_the_book(plain_book: Path) -> None:
    encrypt_book(plain_book, PASSPHRASE)
    engine = make_encrypted_engine(plain_book, PASSPHRASE)
    try:
        with Session(engine) as session:
            client = session.execute(select(Client)).scalar_one()
            assert (client.name, client.email) == (NAME, EMAIL)
            assert client.last_contact_on is not None
        with session_scope(engine) as session:
            make(session, Interaction, client_id=client.id, at=datetime(2026, 11, 28, 9, 0))
        with Session(engine) as session:
            count = session.execute(select(func.count()).select_from(Interaction)).scalar()
            assert count == 2
            fresh = session.get(Client, client.id)
            assert fresh is not None and str(fresh.last_contact_on) == "2026-11-28"
            fk = session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar()
            assert fk == 1
    finally:
        engine.dispose()
    assert NAME.encode() not in file_bytes(plain_book)


def test_a_wrong_passphrase_gets_one_sentence(plain_book: Path) -> None:
    encrypt_book(plain_book, PASSPHRASE)
    with pytest.raises(WrongPassphrase) as raised:
        make_encrypted_engine(plain_book, "not it")
    assert (
        str(raised.value) == f"the passphrase does not open {plain_book}; check it and try again."
    )
    with pytest.raises(WrongPassphrase):
        check_passphrase(plain_book, "")
    with pytest.raises(WrongPassphrase):
        decrypt_book(plain_book, "not it")
    assert is_encrypted(plain_book)


def test_decrypt_gives_a_plain_book_back(plain_book: Path) -> None:
    encrypt_book(plain_book, PASSPHRASE)
    backup = decrypt_book(plain_book, PASSPHRASE)
    assert not is_encrypted(plain_book)
    with sqlite3.connect(plain_book) as conn:
        assert conn.execute("SELECT name FROM client").fetchall() == [(NAME,)]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        triggers = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='trigger'")
        assert triggers.fetchone()[0] == trigger_count_of_a_new_book(plain_book.parent)
    conn.close()
    assert is_encrypted(backup) and "before-decrypt" in backup.name
    check_passphrase(backup, PASSPHRASE)


def test_change_passphrase(plain_book: Path) -> None:
    encrypt_book(plain_book, PASSPHRASE)
    change_passphrase(plain_book, PASSPHRASE, "new phrase")
    check_passphrase(plain_book, "new phrase")
    with pytest.raises(WrongPassphrase):
        check_passphrase(plain_book, PASSPHRASE)


def test_refusals(plain_book: Path, tmp_path: Path) -> None:
    with pytest.raises(BookError, match="is not encrypted"):
        decrypt_book(plain_book, PASSPHRASE)
    with pytest.raises(BookError, match="the passphrase is empty"):
        encrypt_book(plain_book, " ")
    encrypt_book(plain_book, PASSPHRASE)
    with pytest.raises(BookError, match="is already encrypted"):
        encrypt_book(plain_book, PASSPHRASE)
    with pytest.raises(BookError, match="there is no book at"):
        encrypt_book(tmp_path / "missing.db", PASSPHRASE)


def test_is_encrypted(tmp_path: Path, plain_book: Path) -> None:
    assert not is_encrypted(plain_book)
    assert not is_encrypted(tmp_path / "missing.db")
    empty = tmp_path / "empty.db"
    empty.touch()
    assert not is_encrypted(empty)


def names_in(path: Path, passphrase: str) -> list[str]:
    engine = make_encrypted_engine(path, passphrase)
    try:
        with Session(engine) as session:
            return [client.name for client in session.execute(select(Client)).scalars()]
    finally:
        engine.dispose()


def add_client(path: Path, name: str) -> None:
    engine = make_encrypted_engine(path, PASSPHRASE)
    try:
        with session_scope(engine) as session:
            make(session, Client, name=name)
    finally:
        engine.dispose()


def test_backups_of_an_encrypted_book_stay_encrypted(plain_book: Path) -> None:
    encrypt_book(plain_book, PASSPHRASE)
    with pytest.raises(BookError, match="is encrypted; give its passphrase to back it up"):
        make_backup(plain_book, reason="manual")
    backup = make_backup(plain_book, reason="manual", passphrase=PASSPHRASE)
    assert is_encrypted(backup) and NAME.encode() not in backup.read_bytes()
    assert names_in(backup, PASSPHRASE) == [NAME]
    daily = daily_backup_if_due(plain_book, keep=3, passphrase=PASSPHRASE)
    assert daily is not None and is_encrypted(daily)


def test_an_encrypted_copy_cut_short_never_takes_the_backups_name(
    plain_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rmtui.core import sqlcipher

    encrypt_book(plain_book, PASSPHRASE)

    def cut_short(_source: Path, _key: str | None, dest: Path, _dest_key: str) -> None:
        dest.write_bytes(b"half a book")
        raise BookError("the copy was stopped")

    monkeypatch.setattr(sqlcipher, "export_encrypted", cut_short)
    dest = tmp_path / "book-daily.db"
    with pytest.raises(BookError):
        sqlcipher.copy_encrypted(plain_book, dest, PASSPHRASE)
    assert not dest.exists()  # only the partial copy, for a later start to delete
    assert (tmp_path / "book-daily.db.partial").exists()


def test_restore_of_an_encrypted_backup(plain_book: Path) -> None:
    encrypt_book(plain_book, PASSPHRASE)
    backup = make_backup(plain_book, reason="manual", passphrase=PASSPHRASE)
    add_client(plain_book, "Later Client")
    with pytest.raises(BookError, match="give its passphrase if it is encrypted"):
        restore_book(plain_book, backup)
    with pytest.raises(WrongPassphrase):
        restore_book(plain_book, backup, passphrase="not it")
    assert check_backup_file(backup, passphrase=PASSPHRASE) == SCHEMA_HEAD
    safety = restore_book(plain_book, backup, passphrase=PASSPHRASE)
    assert names_in(plain_book, PASSPHRASE) == [NAME]
    assert safety is not None and names_in(safety, PASSPHRASE) == [NAME, "Later Client"]


def trigger_count_of_a_new_book(folder: Path) -> int:
    """How many triggers the current schema has (a decrypted book must keep them all)."""
    fresh = folder / "fresh-for-count.db"
    open_book(fresh).dispose()
    with sqlite3.connect(fresh) as conn:
        count: int = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='trigger'"
        ).fetchone()[0]
    conn.close()
    return count
