"""The book file on disk: its SQLite header and pragmas, its schema stamp, consistent copies."""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rmtui.core import paths
from rmtui.core.errors import BookError, database_error, is_database_failure
from rmtui.core.progress import Progress, untold
from rmtui.core.translation import _

# Every migration this code knows, oldest first; the last one is the schema it writes.
KNOWN_REVISIONS = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
    "0012", "0013", "0014", "0015", "0016", "0017", "0018", "0019",
)  # fmt: skip


SCHEMA_HEAD = KNOWN_REVISIONS[-1]


SQLITE_HEADER = b"SQLite format 3\x00"


BUSY_TIMEOUT_MS = 5000


# Pages SQLite's backup copies between two reports of its progress.
COPY_PAGES_PER_STEP = 1024  # 4 MB at the default page size: a copy stops within a step
CHECK_TELLING_S = 0.02  # how often a copy's check tells its progress (and may be stopped)


def set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def connect_plain(path: Path) -> sqlite3.Connection:
    """A standard-library sqlite3 connection to the unencrypted book at `path`, with the
    pragmas every engine connection gets."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    set_pragmas(connection, None)
    return connection


def connect_reading(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """A sqlite3 connection that only reads the book at `path` and leaves nothing beside it.

    It opens the file for writing when it can (so that, as the last connection, it removes
    the -wal and -shm files it used), but writes nothing (`query_only`); on a read-only
    medium it reads the file as immutable, which is all it can be there.
    """
    uri = f"file:{quote(str(Path(path).absolute()))}"
    timeout = BUSY_TIMEOUT_MS / 1000
    for mode in ("mode=rw", "mode=ro", "immutable=1"):
        if mode == "immutable=1" and not paths.on_read_only_medium(path):
            break
        connection = sqlite3.connect(
            f"{uri}?{mode}", uri=True, timeout=timeout, check_same_thread=check_same_thread
        )
        try:
            connection.execute("PRAGMA query_only = ON")
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as error:
            connection.close()
            if not _cannot_write(error):
                raise
            continue
        except BaseException:
            connection.close()
            raise
        return connection
    raise sqlite3.OperationalError("unable to open database file")


def _cannot_write(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "readonly" in text or "read-only" in text or "unable to open" in text


def is_encrypted_file(path: Path) -> bool:
    """Whether `path` holds bytes that are neither SQLite nor text: an encrypted book."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header or header.startswith(SQLITE_HEADER):
        return False
    try:
        header.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def read_revision(path: Path) -> str | None:
    """The schema revision stamped in the book at `path` (None for an unstamped file)."""
    conn, revision = reading_with_revision(path)
    conn.close()
    return revision


def reading_with_revision(
    path: Path, *, check_same_thread: bool = True
) -> tuple[sqlite3.Connection, str | None]:
    """A connection that only reads the book at `path` (connect_reading), and the schema
    revision stamped in it (None for an unstamped file)."""
    _check_sqlite_file(path)
    try:
        conn = connect_reading(path, check_same_thread=check_same_thread)
    except sqlite3.DatabaseError as error:
        raise database_error(path, error) from None
    try:
        return conn, revision_of(conn, path)
    except BaseException as error:
        conn.close()
        if isinstance(error, sqlite3.DatabaseError):
            raise database_error(path, error) from None
        raise


class Unstamped(BookError):
    """An rmtui book whose schema version is missing (its tables may still be whole)."""


def revision_of(conn: Any, path: Path) -> str | None:
    """The revision stamped in the book `conn` reads (None for a file with no tables yet).

    Raises Unstamped for a book with rmtui's tables but no stamp, BookError for a foreign one.
    """
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    row = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is not None:
        return str(row[0])
    if not tables - {"alembic_version"}:
        return None
    if {"client", "audit"} <= tables:
        raise Unstamped(
            f"{path} has lost its schema version and its tables match no version this "
            "rmtui knows; restore a backup with `rmtui restore FILE`."
        )
    raise BookError(f"{path} is an SQLite file but not an rmtui book; choose another file.")


def _check_sqlite_file(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError:
        raise BookError(f"{path} cannot be read: you have no permission to open it.") from None
    if header and header != SQLITE_HEADER:
        raise BookError(
            f"{path} is not an rmtui book (not an SQLite file); "
            "check the path or restore a backup with `rmtui restore`."
        )


def copy_sqlite(source: Path, dest: Path, *, progress: Progress = untold) -> None:
    """Copy one SQLite file to another consistently, the copy readable by the user alone;
    `progress` is told the pages copied."""
    try:
        with closing(connect_reading(source)) as src:
            copy_connection(src, dest, source=source, progress=progress)
    except sqlite3.DatabaseError as error:
        raise database_error(source, error) from None


def copy_connection(
    src: Any, dest: Path, *, source: Path, checked: bool = True, progress: Progress = untold
) -> None:
    """Copy the database `src` reads into a new file `dest` with SQLite's backup API, checked
    (unless not `checked`) and readable by the user alone; a copy cut short never takes its
    name. `progress` is told the pages copied, and may stop the copy by raising: the copy is
    then left as it is, for a later start to delete (backups.remove_abandoned_copies), as
    deleting a large file just written can keep the disk busy for a while; any other failure
    deletes it.

    The copy is written without a journal and flushed to disk once, before it takes its name:
    it is no book until then, so a copy cut short has nothing to roll back.
    """
    stopped: list[BaseException] = []

    def told(step: str, done: int = 0, total: int | None = None) -> None:
        try:
            progress(step, done, total)
        except BaseException as error:
            stopped.append(error)
            raise

    partial = dest.with_name(f"{dest.name}.partial")
    remove_book_files(partial)
    partial.touch(mode=paths.PRIVATE_FILE_MODE)
    paths.make_private(partial)
    try:
        with closing(type(src)(str(partial))) as dst:
            dst.execute("PRAGMA journal_mode = OFF")
            dst.execute("PRAGMA synchronous = OFF")
            src.backup(
                dst,
                pages=COPY_PAGES_PER_STEP,
                progress=lambda _status, left, total: told(
                    _("copying the book"), total - left, total
                ),
            )
            problems = _quick_check(dst, told)
        if checked and problems != ["ok"]:
            raise BookError(f"{source} is damaged; restore a backup with `rmtui restore FILE`.")
        _flush(partial)
    except BaseException as error:
        if not stopped:
            remove_book_files(partial)
        if is_database_failure(error):
            raise database_error(source, error) from None
        raise
    os.replace(partial, dest)


def _flush(path: Path) -> None:
    """Write the file at `path` to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _quick_check(connection: Any, progress: Progress) -> list[str]:
    """SQLite's quick check of a fresh copy. `progress` is told it is checking as it starts,
    then every CHECK_TELLING_S (from a thread of its own: the check is one long step of
    SQLite's), and may stop the check by raising, as it may stop the copy."""
    progress(_("checking the copy"))
    stopped: list[BaseException] = []
    finished = threading.Event()

    def tell_while_checking() -> None:
        while not finished.wait(CHECK_TELLING_S):
            try:
                progress(_("checking the copy"))
            except BaseException as error:  # raised again by the check, interrupted
                stopped.append(error)
                connection.interrupt()
                return

    teller = threading.Thread(target=tell_while_checking, name="copy-check", daemon=True)
    teller.start()
    try:
        return [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
    except Exception:  # "interrupted", from sqlite3 or SQLCipher
        if stopped:
            raise stopped[0] from None
        raise
    finally:
        finished.set()
        teller.join()


def remove_book_files(path: Path) -> None:
    """Remove the book file at `path` with its write-ahead log, shared memory and journal."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
