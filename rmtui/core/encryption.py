"""Encryption at rest with SQLCipher: encrypt or decrypt a book, and open an encrypted one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rmtui.core.backups import backup_folder, backup_name
from rmtui.core.book_lock import check_held_book, export_held, held_alone, put_in_place
from rmtui.core.errors import BookError
from rmtui.core.sqlcipher import (
    check_passphrase,
    connect_sqlcipher,
    is_encrypted,
    sql_literal,
)
from rmtui.core.storage import copy_connection, read_revision, remove_book_files
from rmtui.core.translation import _


def encrypt_book(path: Path, passphrase: str) -> Path:
    """Encrypt the book at `path` with `passphrase`; the path of the plain backup kept.

    The book is held alone throughout (BookInUse while another program has it open). The
    backup is not encrypted: remove it (and older plain backups) once the encrypted book
    has been checked.
    """
    path = Path(path)
    _check_plain_book(path)
    _check_new_passphrase(passphrase)
    backup = _backup_path(path, "before-encrypt")
    with held_alone(path) as held:
        check_held_book(held, path)
        copy_connection(held, backup, source=path)
        _rewrite(held, path, dest_key=passphrase)
    return backup


def decrypt_book(path: Path, passphrase: str) -> Path:
    """Turn the encrypted book at `path` back into a plain one; the encrypted backup kept."""
    path = Path(path)
    if not is_encrypted(path):
        raise BookError(
            _("{path} is not encrypted, so there is nothing to decrypt.").format(path=path)
        )
    check_passphrase(path, passphrase)
    backup = _backup_path(path, "before-decrypt")
    with held_alone(path, key=passphrase) as held:
        check_held_book(held, path)
        export_held(held, backup, passphrase)
        _rewrite(held, path, dest_key="")
    return backup


def change_passphrase(path: Path, old: str, new: str) -> None:
    """Encrypt the book at `path` with a new passphrase instead of the old one."""
    path = Path(path)
    _check_new_passphrase(new)
    connection = connect_sqlcipher(path, old)
    try:
        connection.execute(f"PRAGMA rekey = {sql_literal(new)}")
    finally:
        connection.close()


def _backup_path(path: Path, reason: str) -> Path:
    return backup_folder(path) / backup_name(path, reason)


def _check_plain_book(path: Path) -> None:
    if not path.exists():
        raise BookError(_("there is no book at {path}; check the path.").format(path=path))
    if is_encrypted(path):
        raise BookError(_("{path} is already encrypted.").format(path=path))
    read_revision(path)


def _check_new_passphrase(passphrase: str) -> None:
    if not passphrase or not passphrase.strip():
        raise BookError(_("the passphrase is empty; type one you will remember."))


def _rewrite(held: Any, path: Path, *, dest_key: str) -> None:
    """Export the held book into a new file with `dest_key` ("" for none) and put it in place."""
    temporary = path.with_name(f".{path.name}.rewrite")
    try:
        export_held(held, temporary, dest_key)
        _check_readable(temporary, dest_key)
        put_in_place(held, temporary, path)
    finally:
        remove_book_files(temporary)


def _check_readable(path: Path, key: str) -> None:
    connection = connect_sqlcipher(path, key or None)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()
    if [row[0] for row in rows] != ["ok"]:
        raise BookError(
            _("the new copy of {name} did not check out; the book was left as it was.").format(
                name=path.name
            )
        )
