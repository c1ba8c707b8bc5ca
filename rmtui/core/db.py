"""Opening a book: the engine, its pragmas, migrations with a backup first, sessions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmtui.core import paths
from rmtui.core.errors import BookError, PassphraseNeeded, database_error
from rmtui.core.storage import (
    BUSY_TIMEOUT_MS,
    KNOWN_REVISIONS,
    SCHEMA_HEAD,
    connect_plain,
    connect_reading,
    copy_sqlite,
    is_encrypted_file,
    read_revision,
    remove_book_files,
    set_pragmas,
)
from rmtui.core.translation import _, ngettext

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from rmtui.core.changes import Seen
    from rmtui.core.progress import Progress

# SQLAlchemy is imported where an engine is made, not here: the first screen of the TUI reads
# the book with the standard library's sqlite3 before SQLAlchemy is loaded (see book_at_head).


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine on the SQLite file at `path` with foreign keys, WAL and a busy timeout.

    A `read_only` engine never writes to the book and also reads it on a read-only medium.
    """
    from sqlalchemy import create_engine, event

    if read_only:
        return create_engine(
            f"sqlite:///{path}", creator=lambda: connect_reading(path, check_same_thread=False)
        )
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", set_pragmas)
    return engine


def open_book(
    path: Path,
    *,
    passphrase: str | None = None,
    progress: Progress | None = None,
    read_only: bool = False,
    steps: Callable[[str], None] | None = None,
) -> Engine:
    """Open (creating or migrating as needed) the book at `path`, or raise BookError.

    An encrypted book needs its `passphrase`; without one, PassphraseNeeded is raised.
    `progress` is told when the book is upgraded, which can take a while for a large book,
    and how far the upgrade has come where a step is long; `steps` each schema step applied
    (nothing is kept until the last one is).
    A `read_only` book at the current schema is opened for reading alone (see make_engine).
    """
    path = Path(path)
    if path.is_dir():
        said = _("{path} is a folder, not a book file; give the path of a .db file.")
        raise BookError(said.format(path=path))
    if not path.exists():
        return _create_book(path, steps)
    _refuse_empty_file(path)
    if is_encrypted_file(path):
        return _open_encrypted(path, passphrase, progress)
    revision = _revision_or_repair(path, progress)
    if revision != SCHEMA_HEAD:
        check_known_schema(path, revision)
        _tell_upgrade(path, progress)
        _migrate_with_backup(path, steps, progress)
    return make_engine(path, read_only=read_only)


def _revision_or_repair(path: Path, progress: Progress | None) -> str | None:
    """The book's revision; a book that lost its stamp but whose tables are exactly those of
    a known revision is stamped with it again (after a backup)."""
    from rmtui.core.storage import Unstamped

    try:
        return read_revision(path)
    except Unstamped:
        from rmtui.core.schema_check import matching_revision

        with closing(connect_reading(path)) as connection:
            revision = matching_revision(connection)
        if revision is None:
            raise
    if progress is not None:
        progress(
            _("restoring the lost schema version of {file} ({revision})").format(
                file=path.name, revision=revision
            )
        )
    backup_book(path, reason="before-repair")
    _stamp(path, revision)
    return revision


def _stamp(path: Path, revision: str) -> None:
    """Write `revision` as the book's schema version, in one transaction."""
    with closing(connect_plain(path)) as connection:
        connection.isolation_level = None
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
        connection.execute("DELETE FROM alembic_version")
        connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        connection.execute("COMMIT")


def _refuse_empty_file(path: Path) -> None:
    """Refuse a file of zero bytes (with nothing waiting in its WAL): it was never a book, or
    it was cut short, and taking it for a new book would hide that."""
    wal = Path(f"{path}-wal")
    if path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size > 0):
        said = _(
            "{path} is empty (0 bytes), so it is no book; remove it to start a new book "
            "there, or restore a backup with `rmtui restore FILE`."
        )
        raise BookError(said.format(path=path))


def book_at_head(path: Path) -> bool:
    """Whether `path` is an unencrypted book at the current schema, which opens as it is.

    Raises BookError for a file that is no book, as open_book would.
    """
    connection = reading_at_head(path)
    if connection is None:
        return False
    connection.close()
    return True


def reading_at_head(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection | None:
    """A sqlite3 connection that only reads the book at `path` when it is an unencrypted book
    at the current schema (see book_at_head), else None; made for any thread when not
    `check_same_thread`.

    Raises BookError for a file that is no book, as open_book would.
    """
    path = Path(path)
    if not path.is_file() or is_encrypted_file(path):
        return None
    from rmtui.core.storage import Unstamped, reading_with_revision

    try:
        connection, revision = reading_with_revision(path, check_same_thread=check_same_thread)
    except Unstamped:
        return None  # open_book repairs it
    if revision != SCHEMA_HEAD:
        connection.close()
        return None
    return connection


def _open_encrypted(path: Path, passphrase: str | None, progress: Progress | None) -> Engine:
    from rmtui.core.sqlcipher import copy_encrypted, make_encrypted_engine

    if not passphrase:
        said = _("{path} is encrypted; give its passphrase to open it.")
        raise PassphraseNeeded(said.format(path=path))
    engine = make_encrypted_engine(path, passphrase)
    with engine.connect() as connection:
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if revision != SCHEMA_HEAD:
        check_known_schema(path, revision)
        _tell_upgrade(path, progress)
        folder = paths.ensure_private_dir(paths.backup_dir(path))
        copy_encrypted(path, folder / _backup_file_name(path, "pre-migration"), passphrase)
        try:
            upgrade_to_head(path, engine=engine, progress=progress)
        except BaseException:
            engine.dispose()
            raise
    return engine


def _tell_upgrade(path: Path, progress: Progress | None) -> None:
    if progress is not None:
        progress(
            _("upgrading {file} to schema {schema} (after a backup)").format(
                file=path.name, schema=SCHEMA_HEAD
            )
        )


def check_known_schema(where: object, revision: str | None) -> None:
    """Refuse a book (a file or a server's database, named by `where`) at a schema this
    rmtui does not know: a newer rmtui wrote it."""
    if revision is not None and revision not in KNOWN_REVISIONS:
        said = _(
            "{where} was written by a newer rmtui (schema {revision}); upgrade rmtui to open it."
        )
        raise BookError(said.format(where=where, revision=revision))


def _create_book(path: Path, steps: Callable[[str], None] | None = None) -> Engine:
    """Build a new book in a hidden file beside `path` and give it its name only once it is
    whole, so that a book cut short by a crash never takes the name."""
    building = _building_beside(path)
    try:
        _build_book(building, steps)
        _settle(building)
        _take_name(building, path)
    except OSError as error:
        raise _cannot_create(path, error) from None
    finally:
        remove_book_files(building)
    return make_engine(path)


def _building_beside(path: Path) -> Path:
    """The hidden name beside `path` under which this process builds a new book there, after
    removing those that killed programs left."""
    try:
        paths.ensure_private_dir(path.parent)
    except OSError as error:
        raise _cannot_create(path, error) from None
    _remove_abandoned_builds(path)
    return path.with_name(f".{path.name}.new-{os.getpid()}")


def _build_book(building: Path, steps: Callable[[str], None] | None) -> None:
    """An empty book at the current schema at `building`, readable by the user alone."""
    remove_book_files(building)
    building.touch(mode=paths.PRIVATE_FILE_MODE)
    paths.make_private(building)
    upgrade_to_head(building, steps=steps)


@contextmanager
def new_book_to_fill(path: Path) -> Iterator[Engine]:
    """An engine on a new, empty book to be filled in the block: built and filled under a
    hidden name beside `path`, which it takes only once the block is done. A failure or a
    kill leaves no book at `path` (a killed one's hidden file is removed on the next try)."""
    building = _building_beside(path)
    if path.exists():
        raise _already_there(path)
    try:
        try:
            _build_book(building, steps=None)
        except OSError as error:
            raise _cannot_create(path, error) from None
        engine = make_engine(building)
        try:
            yield engine
        finally:
            engine.dispose()
        _settle(building)
        _give_name(building, path)
    finally:
        remove_book_files(building)


def _give_name(building: Path, path: Path) -> None:
    """Give the filled book its name, unless another program made a file there meanwhile."""
    try:
        os.link(building, path)
    except FileExistsError:
        raise _already_there(path) from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise _already_there(path) from None
        os.replace(building, path)


def _already_there(path: Path) -> BookError:
    said = _("{path} already exists; copy into a new book file.")
    return BookError(said.format(path=path))


def _cannot_create(path: Path, error: OSError) -> BookError:
    said = _("cannot create a book at {path}: {reason}.")
    return BookError(said.format(path=path, reason=error.strerror))


def _settle(path: Path) -> None:
    """Fold the write-ahead log of the closed book at `path` into the file itself."""
    with closing(connect_plain(path)) as connection:
        busy, log, done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy or log != done:
        said = _("the new book {file} could not be completed; try again.")
        raise BookError(said.format(file=path.name))


def _take_name(building: Path, path: Path) -> None:
    """Give the finished book its name, unless another program made a book there meanwhile."""
    try:
        os.link(building, path)
    except FileExistsError:
        return  # that program's book is opened instead
    except OSError:  # a file system without hard links
        if path.exists():
            return
        os.replace(building, path)


def _remove_abandoned_builds(path: Path) -> None:
    """Remove new books that a killed rmtui left half built beside `path`."""
    for leftover in path.parent.glob(f".{path.name}.new-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _running(int(pid)):
            remove_book_files(leftover)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _migrate_with_backup(
    path: Path, steps: Callable[[str], None] | None = None, progress: Progress | None = None
) -> None:
    """Back the book up (checked), then upgrade it in one transaction. A failed upgrade
    leaves the book as it was and its backup is removed (the book is that copy), so only
    good pre-migration backups are kept."""
    backup = backup_book(path, reason="pre-migration")
    try:
        upgrade_to_head(path, steps=steps, progress=progress)
    except BookError:
        backup.unlink(missing_ok=True)
        raise
    except Exception as error:
        backup.unlink(missing_ok=True)
        said = _("updating {path} to the new schema failed ({reason}); it was left as it was.")
        raise BookError(said.format(path=path, reason=_reason(error))) from None
    except BaseException:
        backup.unlink(missing_ok=True)
        raise


def _reason(error: BaseException) -> str:
    from rmtui.core.errors import driver_message

    return driver_message(getattr(error, "orig", None) or error)


def upgrade_to_head(
    path: Path,
    *,
    engine: Engine | None = None,
    target: str = "head",
    steps: Callable[[str], None] | None = None,
    progress: Progress | None = None,
) -> None:
    """Apply every pending Alembic migration (up to `target`) to the book at `path`, all in
    one transaction: a crash or an error at any step leaves the book at its old revision.

    Python's sqlite3 module commits before DDL on its own; here it is told to leave the
    transaction to us (BEGIN IMMEDIATE … COMMIT), foreign keys are off while tables are
    rebuilt and checked before the commit, and the connection is thrown away afterwards,
    since a migration may have rewritten the schema under it (PRAGMA writable_schema).
    `steps` is told each step done (nothing is kept until the last one is), `progress` how
    far a long step has come.
    """
    own_engine = engine is None
    engine = engine or make_engine(path)
    try:
        connection = engine.connect()
        try:
            _migrate(connection, target, steps, progress)
        finally:
            connection.invalidate()
            connection.close()
    except BookError:
        raise
    except Exception as error:
        from sqlalchemy.exc import DBAPIError

        from rmtui.core.errors import is_database_failure

        if isinstance(error, DBAPIError) and is_database_failure(error):
            raise database_error(path, error) from None
        raise
    finally:
        if own_engine:
            engine.dispose()


def _migrate(
    connection: Any,
    target: str,
    steps: Callable[[str], None] | None,
    progress: Progress | None = None,
) -> None:
    from alembic import command

    driver = connection.connection.dbapi_connection
    driver.isolation_level = None  # no transaction of the driver's own: ours, below
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        command.upgrade(migration_config(connection, steps, progress), target)
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            from rmtui.core.figures import count_text

            said = ngettext(
                "the upgrade left {count} row referring to missing records",
                "the upgrade left {count} rows referring to missing records",
                len(broken),
            )
            raise BookError(said.format(count=count_text(len(broken))))
        driver.execute("COMMIT")
    except BaseException:
        if driver.in_transaction:
            driver.execute("ROLLBACK")
        raise


def migration_config(
    connection: Any,
    steps: Callable[[str], None] | None,
    progress: Progress | None,
) -> Any:
    """The Alembic configuration that migrates the book on `connection`, telling `steps` of
    each schema step and `progress` of the long ones."""
    config = alembic_config()
    config.attributes["connection"] = connection
    if steps is not None:
        config.attributes["step_done"] = lambda revision: steps(f"schema step {revision}")
    if progress is not None:
        config.attributes["progress"] = progress
    return config


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


# A server book's constraints, indexes and triggers that the server does not vouch for: a
# constraint added without checking the rows (NOT VALID), an index a failed build left
# unusable, a trigger disabled (its roll-ups and search text no longer kept).
SERVER_INTEGRITY_SQL = """
    SELECT 'the constraint ' || c.conname || ' of ' || CAST(c.conrelid::regclass AS TEXT)
        || ' is not checked' FROM pg_constraint AS c
        JOIN pg_namespace AS n ON n.oid = c.connamespace
        WHERE n.nspname = current_schema() AND NOT c.convalidated
    UNION ALL SELECT 'the index ' || CAST(i.indexrelid::regclass AS TEXT) || ' is not valid'
        FROM pg_index AS i JOIN pg_class AS t ON t.oid = i.indrelid
        JOIN pg_namespace AS n ON n.oid = t.relnamespace
        WHERE n.nspname = current_schema() AND NOT i.indisvalid
    UNION ALL SELECT 'the trigger ' || g.tgname || ' of ' || CAST(g.tgrelid::regclass AS TEXT)
        || ' is disabled' FROM pg_trigger AS g JOIN pg_class AS t ON t.oid = g.tgrelid
        JOIN pg_namespace AS n ON n.oid = t.relnamespace
        WHERE n.nspname = current_schema() AND NOT g.tgisinternal AND g.tgenabled = 'D'
    ORDER BY 1"""


def integrity_problems(engine: Engine) -> list[str]:
    """What SQLite's integrity and foreign-key checks report (empty when all is well); on a
    server, which keeps its own pages and checks every foreign key, the constraints and
    indexes it does not vouch for (SERVER_INTEGRITY_SQL)."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            return [row[0] for row in connection.exec_driver_sql(SERVER_INTEGRITY_SQL)]
        rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
        problems = [row[0] for row in rows if row[0] != "ok"]
        fk_rows = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    missing = _("row {row} of {table} refers to a missing {target}")
    problems += [missing.format(row=row[1], table=row[0], target=row[2]) for row in fk_rows]
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
def session_scope(
    engine: Engine, *, bulk: bool = False, seen: Seen | None = None
) -> Iterator[Session]:
    """A short-lived session whose work is one transaction, audited, rolled back on error.

    A `bulk` session (an import, an erase) takes the write lock first, waiting its turn behind
    other writers within the busy timeout, and refuses a damaged book before it writes.
    With `seen`, a change to a record that someone else changed since it was shown here is
    refused with ChangedMeanwhile (see rmtui.core.changes).
    """
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import Session

    from rmtui.core.audit import watch
    from rmtui.core.errors import is_database_failure

    path = book_label(engine)
    with Session(engine, expire_on_commit=False) as session:
        watch(session)
        if seen is not None:
            from rmtui.core.changes import check_unchanged

            check_unchanged(session, seen)
        try:
            if bulk:
                _begin_bulk(session, path)
            yield session
            session.commit()
        except DBAPIError as error:
            session.rollback()
            if is_database_failure(error):
                raise database_error(path, error) from None
            raise
        except BaseException:
            session.rollback()
            raise


def book_file_of(engine: Engine) -> Path:
    """The path of the book file `engine` works on."""
    return Path(engine.url.database or "")


def book_label(engine: Engine) -> Path | str:
    """The book `engine` works on as messages name it: its file, or its server URL masked."""
    if engine.dialect.name == "postgresql":
        from rmtui.core.server import book_name

        return book_name(engine)
    return book_file_of(engine)


def _begin_bulk(session: Session, path: Path | str) -> None:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return  # the server keeps its own pages whole; its transaction is begun already
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    check_not_damaged(connection, path)


def check_not_damaged(connection: Any, path: Path | str) -> None:
    """Refuse, in one sentence, to change a book that SQLite's quick check finds damaged."""
    rows = connection.exec_driver_sql("PRAGMA quick_check").fetchall()
    if [row[0] for row in rows] != ["ok"]:
        said = _("{path} is damaged; restore a backup with `rmtui restore FILE`.")
        raise BookError(said.format(path=path))


@contextmanager
def reading_connection(engine: Engine) -> Iterator[Any]:
    """A DB-API connection on the book for reading the book's SQL text (on a server, the
    ServerConnection that runs it as sqlite3 does), given back when done."""
    connection = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            from rmtui.core.db_api import ServerConnection

            yield ServerConnection(connection)
        else:
            yield connection
    finally:
        connection.close()
