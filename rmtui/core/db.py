"""Opening a book: the engine, its pragmas, migrations with a backup first, sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmtui.core import paths
from rmtui.core.errors import BookError, PassphraseNeeded, database_error
from rmtui.core.storage import (
    BUSY_TIMEOUT_MS,
    KNOWN_REVISIONS,
    SCHEMA_HEAD,
    copy_sqlite,
    is_encrypted_file,
    read_revision,
    restore_file,
    set_pragmas,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

# SQLAlchemy is imported where an engine is made, not here: the first screen of the TUI reads
# the book with the standard library's sqlite3 before SQLAlchemy is loaded (see book_at_head).


def make_engine(path: Path) -> Engine:
    """An engine on the SQLite file at `path` with foreign keys, WAL and a busy timeout."""
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", set_pragmas)
    return engine


def open_book(
    path: Path, *, passphrase: str | None = None, progress: Callable[[str], None] | None = None
) -> Engine:
    """Open (creating or migrating as needed) the book at `path`, or raise BookError.

    An encrypted book needs its `passphrase`; without one, PassphraseNeeded is raised.
    `progress` is told when the book is upgraded, which can take a while for a large book.
    """
    path = Path(path)
    if path.is_dir():
        raise BookError(f"{path} is a folder, not a book file; give the path of a .db file.")
    if not path.exists():
        return _create_book(path)
    _refuse_empty_file(path)
    if is_encrypted_file(path):
        return _open_encrypted(path, passphrase, progress)
    revision = read_revision(path)
    if revision != SCHEMA_HEAD:
        _check_known(path, revision)
        _tell_upgrade(path, progress)
        _migrate_with_backup(path)
    return make_engine(path)


def _refuse_empty_file(path: Path) -> None:
    """Refuse a file of zero bytes (with nothing waiting in its WAL): it was never a book, or
    it was cut short, and taking it for a new book would hide that."""
    wal = Path(f"{path}-wal")
    if path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size > 0):
        raise BookError(
            f"{path} is empty (0 bytes), so it is no book; remove it to start a new book "
            "there, or restore a backup with `rmtui restore FILE`."
        )


def book_at_head(path: Path) -> bool:
    """Whether `path` is an unencrypted book at the current schema, which opens as it is.

    Raises BookError for a file that is no book, as open_book would.
    """
    path = Path(path)
    if not path.is_file() or is_encrypted_file(path):
        return False
    return read_revision(path) == SCHEMA_HEAD


def _open_encrypted(
    path: Path, passphrase: str | None, progress: Callable[[str], None] | None
) -> Engine:
    from rmtui.core.sqlcipher import copy_encrypted, make_encrypted_engine

    if not passphrase:
        raise PassphraseNeeded(f"{path} is encrypted; give its passphrase to open it.")
    engine = make_encrypted_engine(path, passphrase)
    with engine.connect() as connection:
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if revision != SCHEMA_HEAD:
        _check_known(path, revision)
        _tell_upgrade(path, progress)
        folder = paths.ensure_private_dir(paths.backup_dir(path))
        copy_encrypted(path, folder / _backup_file_name(path, "pre-migration"), passphrase)
        upgrade_to_head(path, engine=engine)
    return engine


def _tell_upgrade(path: Path, progress: Callable[[str], None] | None) -> None:
    if progress is not None:
        progress(f"upgrading {path.name} to schema {SCHEMA_HEAD} (after a backup)")


def _check_known(path: Path, revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise BookError(
            f"{path} was written by a newer rmtui (schema {revision}); upgrade rmtui to open it."
        )


def _create_book(path: Path) -> Engine:
    try:
        paths.ensure_private_dir(path.parent)
        path.touch(mode=paths.PRIVATE_FILE_MODE)
    except OSError as error:
        raise BookError(f"cannot create a book at {path}: {error.strerror}.") from None
    paths.make_private(path)
    try:
        upgrade_to_head(path)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return make_engine(path)


def _migrate_with_backup(path: Path) -> None:
    backup = backup_book(path, reason="pre-migration")
    try:
        upgrade_to_head(path)
    except Exception as error:
        restore_file(backup, path)
        raise BookError(
            f"updating {path} to the new schema failed ({error}); it was left as it was "
            f"and a copy is at {backup}."
        ) from None


def upgrade_to_head(path: Path, *, engine: Engine | None = None) -> None:
    """Apply every pending Alembic migration to the book at `path`, in one transaction."""
    from alembic import command
    from sqlalchemy.exc import OperationalError

    own_engine = engine is None
    engine = engine or make_engine(path)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as error:
        raise database_error(path, error) from None
    finally:
        if own_engine:
            engine.dispose()


def alembic_config() -> Any:
    """The Alembic configuration for rmtui's migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config


def backup_book(path: Path, *, reason: str = "manual", dest: Path | None = None) -> Path:
    """Copy the book at `path` with SQLite's online backup API; return the copy's path."""
    if dest is None:
        folder = paths.ensure_private_dir(paths.backup_dir(path))
        dest = folder / _backup_file_name(path, reason)
    copy_sqlite(path, dest)
    return dest


def _backup_file_name(path: Path, reason: str) -> str:
    from rmtui.core.backups import backup_name

    return backup_name(path, reason)


def integrity_problems(engine: Engine) -> list[str]:
    """What SQLite's integrity and foreign-key checks report (empty when all is well)."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
        problems = [row[0] for row in rows if row[0] != "ok"]
        fk_rows = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    problems += [f"row {row[1]} of {row[0]} refers to a missing {row[2]}" for row in fk_rows]
    return problems


def interrupter_of(session: Session) -> Callable[[], None]:
    """A function that stops the query `session` is running now (from another thread), so
    that a read a newer one replaces ends at once; it does nothing where the driver cannot."""
    connection = session.connection().connection.dbapi_connection
    interrupt = getattr(connection, "interrupt", None)
    return interrupt if callable(interrupt) else _do_nothing


def _do_nothing() -> None:
    """Nothing: what an interrupter does where the driver cannot interrupt."""


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A short-lived session whose work is one transaction, audited, rolled back on error."""
    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

    from rmtui.core.audit import watch

    with Session(engine, expire_on_commit=False) as session:
        watch(session)
        try:
            yield session
            session.commit()
        except OperationalError as error:
            session.rollback()
            raise database_error(Path(engine.url.database or ""), error) from None
        except Exception:
            session.rollback()
            raise
