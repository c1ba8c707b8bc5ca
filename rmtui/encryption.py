"""Encryption at rest with SQLCipher: encrypt or decrypt a book, and open an encrypted one."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from rmtui import paths
from rmtui.db import BUSY_TIMEOUT_MS, SQLITE_HEADER, BookError, _set_pragmas

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class WrongPassphrase(BookError):
    """A passphrase that does not open an encrypted book."""


def sqlcipher() -> ModuleType:
    """The SQLCipher driver (package sqlcipher3-binary), or BookError when it is missing."""
    try:
        import sqlcipher3
    except ImportError:
        raise BookError(
            "encryption needs the sqlcipher3-binary package; install it with "
            "`pip install sqlcipher3-binary`."
        ) from None
    _quiet(sqlcipher3)
    return sqlcipher3


def _quiet(driver: ModuleType) -> None:
    """Stop SQLCipher logging its own errors to the terminal; rmtui says them in a sentence."""
    connection = driver.connect(":memory:")
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
    finally:
        connection.close()


def is_encrypted(path: Path) -> bool:
    """Whether the book file at `path` is encrypted (it does not start like an SQLite file)."""
    try:
        with Path(path).open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return False
    except OSError as error:
        raise BookError(f"{path} cannot be read ({error.strerror}).") from None
    return bool(header) and header != SQLITE_HEADER


def make_encrypted_engine(path: Path, passphrase: str) -> Engine:
    """An engine on the encrypted book at `path` (same pragmas as a plain book).

    Raises WrongPassphrase when the passphrase does not open the file.
    """
    from sqlalchemy import URL, create_engine, event
    from sqlalchemy.exc import DBAPIError

    sqlcipher()
    url = URL.create("sqlite+pysqlcipher", password=passphrase, database=str(path))
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _set_pragmas)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except DBAPIError as error:
        engine.dispose()
        raise _open_error(Path(path), error.orig) from None
    return engine


def check_passphrase(path: Path, passphrase: str) -> None:
    """Raise WrongPassphrase unless `passphrase` opens the encrypted book at `path`."""
    connection = connect_sqlcipher(Path(path), passphrase)
    connection.close()


def encrypt_book(path: Path, passphrase: str) -> Path:
    """Encrypt the book at `path` with `passphrase`; the path of the plain backup kept.

    The backup is not encrypted: remove it (and older plain backups) once the encrypted
    book has been checked.
    """
    from rmtui.backups import make_backup

    path = Path(path)
    _check_plain_book(path)
    _check_new_passphrase(passphrase)
    backup = make_backup(path, reason="before-encrypt")
    _rewrite(path, source_key=None, dest_key=passphrase)
    return backup


def decrypt_book(path: Path, passphrase: str) -> Path:
    """Turn the encrypted book at `path` back into a plain one; the encrypted backup kept."""
    path = Path(path)
    if not is_encrypted(path):
        raise BookError(f"{path} is not encrypted, so there is nothing to decrypt.")
    check_passphrase(path, passphrase)
    backup = copy_encrypted(path, _backup_path(path, "before-decrypt"), passphrase)
    _rewrite(path, source_key=passphrase, dest_key="")
    return backup


def change_passphrase(path: Path, old: str, new: str) -> None:
    """Encrypt the book at `path` with a new passphrase instead of the old one."""
    path = Path(path)
    _check_new_passphrase(new)
    connection = connect_sqlcipher(path, old)
    try:
        connection.execute(f"PRAGMA rekey = {_literal(new)}")
    finally:
        connection.close()


def copy_encrypted(source: Path, dest: Path, passphrase: str) -> Path:
    """Copy the encrypted book `source` consistently to `dest`, encrypted with the same key."""
    dest.unlink(missing_ok=True)
    _export(source, passphrase, dest, passphrase)
    return dest


def _backup_path(path: Path, reason: str) -> Path:
    from rmtui.backups import backup_folder, backup_name

    return backup_folder(path) / backup_name(path, reason)


def _check_plain_book(path: Path) -> None:
    from rmtui.db import read_revision

    if not path.exists():
        raise BookError(f"there is no book at {path}; check the path.")
    if is_encrypted(path):
        raise BookError(f"{path} is already encrypted.")
    read_revision(path)


def _check_new_passphrase(passphrase: str) -> None:
    if not passphrase or not passphrase.strip():
        raise BookError("the passphrase is empty; type one you will remember.")


def _rewrite(path: Path, *, source_key: str | None, dest_key: str) -> None:
    """Export the book into a new file with `dest_key` ("" for none) and put it in place."""
    temporary = path.with_name(f".{path.name}.rewrite")
    _remove_with_sidecars(temporary)
    try:
        _export(path, source_key, temporary, dest_key)
        _check_readable(temporary, dest_key)
    except Exception:
        _remove_with_sidecars(temporary)
        raise
    _checkpoint(path, source_key)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(temporary, path)
    paths.make_private(path)


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _export(source: Path, source_key: str | None, dest: Path, dest_key: str) -> None:
    """Copy every table, index, trigger and the user version of `source` into `dest`."""
    connection = connect_sqlcipher(source, source_key)
    try:
        connection.execute(
            f"ATTACH DATABASE {_literal(str(dest))} AS target KEY {_literal(dest_key)}"
        )
        connection.execute("SELECT sqlcipher_export('target')")
        version = connection.execute("PRAGMA main.user_version").fetchone()[0]
        connection.execute(f"PRAGMA target.user_version = {int(version)}")
        connection.execute("DETACH DATABASE target")
    except sqlcipher().DatabaseError as error:
        raise BookError(f"{source} could not be copied ({error}); it was left as it was.") from None
    finally:
        connection.close()
    paths.make_private(dest)


def _check_readable(path: Path, key: str) -> None:
    connection = connect_sqlcipher(path, key or None)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()
    if [row[0] for row in rows] != ["ok"]:
        raise BookError(
            f"the new copy of {path.name} did not check out; the book was left as it was."
        )


def _checkpoint(path: Path, key: str | None) -> None:
    connection = connect_sqlcipher(path, key)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def connect_sqlcipher(path: Path, key: str | None) -> Any:
    """A SQLCipher connection on `path`, keyed when `key` is given, checked to read."""
    driver = sqlcipher()
    if not path.exists():
        raise BookError(f"there is no book at {path}; check the path.")
    connection = driver.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        if key is not None:
            connection.execute(f"PRAGMA key = {_literal(key)}")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver.DatabaseError as error:
        connection.close()
        raise _open_error(path, error) from None
    return connection


def _open_error(path: Path, error: Any) -> BookError:
    text = str(error).lower()
    if "not a database" in text or "encrypted" in text:
        return WrongPassphrase(f"the passphrase does not open {path}; check it and try again.")
    if "locked" in text or "busy" in text:
        return BookError(f"{path} is in use by another program; close it and try again.")
    return BookError(f"{path} could not be opened: {error}.")


def _literal(text: str) -> str:
    """`text` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
