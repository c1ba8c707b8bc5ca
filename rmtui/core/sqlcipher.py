"""SQLCipher: the driver, encrypted connections and engines, and encrypted copies."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from rmtui.core import paths
from rmtui.core.errors import BookError, WrongPassphrase, database_error
from rmtui.core.storage import BUSY_TIMEOUT_MS, SQLITE_HEADER, set_pragmas

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


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
    event.listen(engine, "connect", set_pragmas)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except DBAPIError as error:
        engine.dispose()
        raise open_error(Path(path), error.orig) from None
    return engine


def check_passphrase(path: Path, passphrase: str) -> None:
    """Raise WrongPassphrase unless `passphrase` opens the encrypted book at `path`."""
    connection = connect_sqlcipher(Path(path), passphrase)
    connection.close()


def copy_encrypted(source: Path, dest: Path, passphrase: str) -> Path:
    """Copy the encrypted book `source` consistently to `dest`, encrypted with the same key.

    The copy is written under a name of its own (`dest` + ".partial") and takes `dest`'s
    name only once it is whole on disk, so a copy cut short (a quit, a kill) is never taken
    for a finished one; it is left for remove_abandoned_copies."""
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    export_encrypted(source, passphrase, partial, passphrase)
    descriptor = os.open(partial, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(partial, dest)
    return dest


def export_encrypted(source: Path, source_key: str | None, dest: Path, dest_key: str) -> None:
    """Copy every table, index, trigger and the user version of `source` into `dest`."""
    connection = connect_sqlcipher(source, source_key)
    try:
        connection.execute(
            f"ATTACH DATABASE {sql_literal(str(dest))} AS target KEY {sql_literal(dest_key)}"
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


def connect_sqlcipher(path: Path, key: str | None) -> Any:
    """A SQLCipher connection on `path`, keyed when `key` is given, checked to read."""
    driver = sqlcipher()
    if not path.exists():
        raise BookError(f"there is no book at {path}; check the path.")
    connection = driver.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        if key is not None:
            connection.execute(f"PRAGMA key = {sql_literal(key)}")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver.DatabaseError as error:
        connection.close()
        raise open_error(path, error) from None
    return connection


def open_error(path: Path, error: Any) -> BookError:
    """The sentence for an error met opening the book at `path` with SQLCipher."""
    text = str(error).lower()
    if "not a database" in text or "encrypted" in text:
        return WrongPassphrase(f"the passphrase does not open {path}; check it and try again.")
    return database_error(path, error)


def sql_literal(text: str) -> str:
    """`text` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
