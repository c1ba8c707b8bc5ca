"""Backups of a book: on demand, rolling daily ones, a list of them, and a checked restore."""

from __future__ import annotations

import glob
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rmtui.core import dates, paths
from rmtui.core.book_lock import check_held_book, export_held, held_alone, put_in_place
from rmtui.core.errors import BookError
from rmtui.core.progress import Progress, untold
from rmtui.core.storage import (
    KNOWN_REVISIONS,
    SQLITE_HEADER,
    copy_connection,
    copy_sqlite,
    remove_book_files,
)
from rmtui.core.translation import N_, _

DAILY = "daily"
BEFORE_RESTORE = "before-restore"
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
_REASON = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def book_tables() -> frozenset[str]:
    """The tables every book has (the models are loaded only when a backup is checked)."""
    from rmtui.core.models import ENTITIES, AuditEntry

    names = [model.__tablename__ for model in ENTITIES.values()]
    return frozenset([*names, AuditEntry.__tablename__, "alembic_version"])  # type: ignore[list-item]


@dataclass(frozen=True)
class Backup:
    """One backup file of a book: when it was taken and why."""

    path: Path
    taken_at: datetime
    reason: str

    @property
    def size(self) -> int:
        """The size of the backup file in bytes."""
        return self.path.stat().st_size


def make_backup(
    db_path: Path,
    *,
    reason: str = "manual",
    passphrase: str | None = None,
    progress: Progress = untold,
) -> Path:
    """Copy the book at `db_path` into its backup folder; the copy's path.

    A plain book is copied with SQLite's online backup (`progress` is told the pages
    copied); an encrypted one (which needs its `passphrase`) is copied encrypted with the
    same passphrase, in one step.
    """
    db_path = Path(db_path)
    _check_reason(reason)
    _check_book_exists(db_path)
    dest = backup_folder(db_path) / backup_name(db_path, reason)
    _copy_book(db_path, dest, passphrase=passphrase, doing=N_("back it up"), progress=progress)
    paths.make_private(dest)
    return dest


def daily_backup_if_due(
    db_path: Path,
    *,
    keep: int | None = None,
    passphrase: str | None = None,
    progress: Progress = untold,
) -> Path | None:
    """Take today's rolling backup unless there is one, keep the last `keep`; the new copy or None.

    `keep` defaults to the `backups.keep` setting (7 unless configured); nothing is taken
    when the `backups.daily` setting is false.
    """
    db_path = Path(db_path)
    from rmtui.core.settings import load_settings

    settings = load_settings()
    if not settings.daily_backup:
        return None
    if keep is None:
        keep = settings.backup_keep
    if keep < 1:
        raise BookError(_("the number of daily backups to keep must be at least 1."))
    if not db_path.exists():
        return None
    taken = None
    remove_abandoned_copies(db_path)
    if not _has_daily_backup_on(db_path, dates.today()):
        taken = make_backup(db_path, reason=DAILY, passphrase=passphrase, progress=progress)
    prune_daily_backups(db_path, keep=keep)
    return taken


ABANDONED_AFTER_S = 15 * 60  # an unfinished copy untouched this long was left by a killed rmtui
LARGE_BOOK_BYTES = 100_000_000  # a daily backup of a book this big is told when it starts


def size_text(size: int) -> str:
    """A file size as the user reads it: whole megabytes in their locale ("517 MB")."""
    from babel.numbers import format_decimal

    from rmtui.core.user_locale import user_locale

    return f"{format_decimal(max(round(size / 1_000_000), 1), locale=user_locale())} MB"


class BackupPutOff(Exception):
    """A daily backup stopped before it was complete, to be taken at the next start."""


class DailyBackup:
    """Today's rolling backup (daily_backup_if_due) taken in a thread of its own, so the app
    opens without waiting for a large book to be copied.

    Quitting does not wait for it: `put_off` asks the copy to stop at its next step and
    returns at once, and the thread does not keep the program running (a step may wait on
    the disk for a while). A copy cut short leaves no backup behind: it is written under a
    temporary name, and left for a later start to delete (remove_abandoned_copies); the next
    start takes the backup again.
    """

    def __init__(self, db_path: Path, *, passphrase: str | None = None) -> None:
        self.error: Exception | None = None
        self.copying = False  # whether a copy was begun (the backup was due)
        self.book_size = 0  # bytes
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._take, args=(Path(db_path), passphrase), name="daily-backup", daemon=True
        )
        self._thread.start()

    def _take(self, db_path: Path, passphrase: str | None) -> None:
        try:
            self.book_size = db_path.stat().st_size if db_path.exists() else 0
            daily_backup_if_due(db_path, passphrase=passphrase, progress=self._copied)
        except BackupPutOff:
            pass
        except Exception as error:  # shown by the app, which goes on with the book
            self.error = error

    def _copied(self, step: str, done: int = 0, total: int | None = None) -> None:
        self.copying = True
        if self._stop.is_set():
            raise BackupPutOff

    @property
    def large(self) -> bool:
        """Whether a copy of a large book is under way (worth telling the user once)."""
        return self.copying and not self.done and self.book_size >= LARGE_BOOK_BYTES

    @property
    def done(self) -> bool:
        """Whether the backup has been taken (or has failed, see `error`)."""
        return not self._thread.is_alive()

    def wait(self) -> None:
        """Wait until the backup is done."""
        self._thread.join()

    def put_off(self) -> None:
        """Stop a copy under way at its next step (the next start takes it again), without
        waiting for it to stop."""
        self._stop.set()


def remove_abandoned_copies(db_path: Path) -> list[Path]:
    """Delete the unfinished copies rmtui left in the backup folder when it quit or was killed
    (none written to for ABANDONED_AFTER_S: a copy under way in another window is left
    alone); their paths."""
    folder = paths.backup_dir(Path(db_path))
    if not folder.is_dir():
        return []
    now = time.time()
    abandoned = [
        path
        for path in folder.glob(f"{glob.escape(Path(db_path).stem)}-*.db.partial*")
        if now - path.stat().st_mtime > ABANDONED_AFTER_S
    ]
    for path in abandoned:
        path.unlink(missing_ok=True)
    return abandoned


def prune_daily_backups(db_path: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` daily backups of the book; the deleted paths."""
    daily = [backup for backup in list_backups(db_path) if backup.reason == DAILY]
    removed = [backup.path for backup in daily[keep:]]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def list_backups(db_path: Path) -> list[Backup]:
    """Every backup of the book at `db_path`, newest first."""
    db_path = Path(db_path)
    folder = paths.backup_dir(db_path)
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^{re.escape(db_path.stem)}-(\d{{8}}-\d{{6}}-\d{{6}})-([a-z0-9-]+)\.db$")
    found = [_backup_of(path, pattern) for path in folder.iterdir()]
    backups = [backup for backup in found if backup is not None]
    return sorted(backups, key=lambda backup: backup.taken_at, reverse=True)


def backup_name(db_path: Path, reason: str) -> str:
    """The file name of a backup of the book at `db_path` taken now for `reason`."""
    _check_reason(reason)
    return f"{Path(db_path).stem}-{_stamp()}-{reason}.db"


def backup_folder(db_path: Path) -> Path:
    """The backup folder of the book at `db_path`, created readable by the user alone."""
    folder = paths.ensure_private_dir(paths.backup_dir(Path(db_path)))
    folder.chmod(paths.PRIVATE_DIR_MODE)
    return folder


def restore_book(db_path: Path, backup_file: Path, *, passphrase: str | None = None) -> Path | None:
    """Check `backup_file`, keep a copy of the current book, then put the backup in its place.

    Returns the path of the safety copy of the book as it was (None when there was no book).
    Raises BookError, changing nothing, when the file is missing, damaged, foreign or too new,
    and BookInUse when another program has the book open: the book is held alone from the
    safety copy to the end, so no write of another program falls between them.
    An encrypted backup (or book) needs the `passphrase`; the book becomes what the backup
    is, encrypted or plain.
    """
    db_path, backup_file = Path(db_path), Path(backup_file)
    check_backup_file(backup_file, passphrase=passphrase)
    if db_path.exists() and db_path.resolve() == backup_file.resolve():
        raise BookError(
            _("{backup_file} is the book itself; choose a backup file to restore.").format(
                backup_file=backup_file
            )
        )
    paths.ensure_private_dir(db_path.parent)
    if not db_path.exists():
        _copy_book(backup_file, db_path, passphrase=passphrase, doing=N_("restore it"))
        return None
    book_key = passphrase if _is_encrypted(db_path) else None
    plain_backup = not _is_encrypted(backup_file)
    safety = backup_folder(db_path) / backup_name(db_path, BEFORE_RESTORE)
    with held_alone(db_path, key=book_key) as held:
        if book_key is None:
            copy_connection(held, safety, source=db_path, checked=False)
        else:
            export_held(held, safety, book_key)
        if book_key is None and plain_backup:
            _copy_into(held, backup_file, db_path)
        else:
            _swap_in(held, backup_file, db_path, passphrase)
    return safety


def _copy_into(held: Any, backup_file: Path, db_path: Path) -> None:
    """Copy a plain backup into the held plain book, in place (SQLite's backup API)."""
    from rmtui.core.sqlcipher import sqlcipher

    source = sqlcipher().connect(str(backup_file))
    try:
        source.backup(held)
    finally:
        source.close()
    check_held_book(held, db_path)


def _swap_in(held: Any, backup_file: Path, db_path: Path, passphrase: str | None) -> None:
    """Put a copy of the backup in the place of the held book (one of them is encrypted)."""
    temporary = db_path.with_name(f".{db_path.name}.restore")
    remove_book_files(temporary)
    try:
        _copy_book(backup_file, temporary, passphrase=passphrase, doing=N_("restore it"))
        put_in_place(held, temporary, db_path)
    finally:
        remove_book_files(temporary)


def check_backup_file(path: Path, *, passphrase: str | None = None) -> str:
    """The schema revision of the book in `path`, or BookError saying why it can't be restored."""
    path = Path(path)
    encrypted = _check_is_sqlite(path)
    conn = _connect_encrypted(path, passphrase) if encrypted else _connect_for_check(path)
    try:
        _check_integrity(conn, path)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        revision = _revision(conn, path, tables)
    except _database_errors(encrypted) as error:
        raise BookError(
            _("{path} is damaged and cannot be restored ({error}); choose another backup.").format(
                path=path, error=error
            )
        ) from None
    finally:
        conn.close()
    if not {"client", "audit"}.issubset(tables):
        raise _foreign(path)
    _check_revision(path, revision)
    if not book_tables().issubset(tables):
        raise _foreign(path)
    return revision


def _copy_book(
    source: Path, dest: Path, *, passphrase: str | None, doing: str, progress: Progress = untold
) -> None:
    """Copy a plain book with SQLite's backup API, an encrypted one with SQLCipher."""
    if not _is_encrypted(source):
        copy_sqlite(source, dest, progress=progress)
        return
    if passphrase is None:
        raise BookError(
            _("{source} is encrypted; give its passphrase to {doing}.").format(
                source=source, doing=_(doing)
            )
        )
    from rmtui.core.sqlcipher import copy_encrypted

    copy_encrypted(source, dest, passphrase)


def _is_encrypted(path: Path) -> bool:
    from rmtui.core.sqlcipher import is_encrypted

    return is_encrypted(path)


def _connect_encrypted(path: Path, passphrase: str | None) -> Any:
    from rmtui.core.sqlcipher import connect_sqlcipher

    if passphrase is None:
        raise BookError(
            _(
                "{path} is encrypted or not an rmtui backup; give its passphrase"
                " if it is encrypted."
            ).format(path=path)
        )
    return connect_sqlcipher(path, passphrase)


def _database_errors(encrypted: bool) -> tuple[type[Exception], ...]:
    if not encrypted:
        return (sqlite3.DatabaseError,)
    from rmtui.core.sqlcipher import sqlcipher

    return (sqlite3.DatabaseError, sqlcipher().DatabaseError)


def _check_reason(reason: str) -> None:
    if not _REASON.match(reason):
        raise BookError(
            _("'{reason}' cannot name a backup; use lower-case letters, digits and -.").format(
                reason=reason
            )
        )


def _check_book_exists(db_path: Path) -> None:
    if db_path.is_dir():
        raise BookError(
            _("{db_path} is a folder, not a book file; give the path of a .db file.").format(
                db_path=db_path
            )
        )
    if not db_path.exists():
        raise BookError(
            _("there is no book at {db_path}, so there is nothing to back up.").format(
                db_path=db_path
            )
        )


def _stamp() -> str:
    """A timestamp for a backup's name on `dates.today()` (which tests and demos can freeze)."""
    return datetime.combine(dates.today(), datetime.now().time()).strftime(STAMP_FORMAT)


def _has_daily_backup_on(db_path: Path, day: date) -> bool:
    return any(
        backup.reason == DAILY and backup.taken_at.date() == day for backup in list_backups(db_path)
    )


def _backup_of(path: Path, pattern: re.Pattern[str]) -> Backup | None:
    match = pattern.match(path.name)
    if not match or not path.is_file():
        return None
    try:
        taken_at = stamp_time(match.group(1))
    except ValueError:
        return None
    return Backup(path=path, taken_at=taken_at, reason=match.group(2))


def stamp_time(stamp: str) -> datetime:
    """The moment a backup's stamp says (STAMP_FORMAT: `20261203-101500-123456`, as its file
    name's pattern checked); ValueError when it is no moment. Read by position rather than
    by `strptime`, whose module takes milliseconds to load on the way to the first screen."""
    return datetime(
        int(stamp[0:4]),
        int(stamp[4:6]),
        int(stamp[6:8]),
        int(stamp[9:11]),
        int(stamp[11:13]),
        int(stamp[13:15]),
        int(stamp[16:22]),
    )


def _check_is_sqlite(path: Path) -> bool:
    """Refuse what is not an SQLite file; whether it is an encrypted one."""
    if path.is_dir():
        raise BookError(_("{path} is a folder; give the path of a backup file.").format(path=path))
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        raise BookError(
            _("{path} does not exist; check the name of the backup file.").format(path=path)
        ) from None
    except OSError as error:
        raise BookError(
            _("{path} cannot be read ({strerror}).").format(path=path, strerror=error.strerror)
        ) from None
    if len(header) >= 100 and not header.startswith(SQLITE_HEADER) and _is_encrypted(path):
        if _looks_like_text(header):
            raise BookError(
                _("{path} is not an rmtui backup (it is a text file); choose another.").format(
                    path=path
                )
            )
        return True
    if not header.startswith(SQLITE_HEADER):
        raise BookError(
            _("{path} is not an rmtui backup (not an SQLite file); choose another file.").format(
                path=path
            )
        )
    if len(header) < 100:
        raise BookError(
            _("{path} is cut short and cannot be restored; choose another backup.").format(
                path=path
            )
        )
    return False


def _looks_like_text(header: bytes) -> bool:
    try:
        header.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _connect_for_check(path: Path) -> sqlite3.Connection:
    """A connection that reads `path` without leaving -wal/-shm files behind when it can."""
    uri = f"file:{quote(str(path.absolute()))}"
    try:
        return sqlite3.connect(f"{uri}?mode=rw", uri=True, timeout=5)
    except sqlite3.OperationalError:
        return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=5)


def _check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    problems = [row[0] for row in rows if row[0] != "ok"]
    if problems:
        raise BookError(
            _("{path} is damaged ({value}) and cannot be restored; choose another backup.").format(
                path=path, value=problems[0]
            )
        )


def _revision(conn: sqlite3.Connection, path: Path, tables: set[str]) -> str:
    if "alembic_version" not in tables:
        raise _foreign(path)
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if not row:
        raise BookError(
            _("{path} has no schema version, so it is not a complete rmtui book.").format(path=path)
        )
    return str(row[0])


def _foreign(path: Path) -> BookError:
    return BookError(
        _("{path} is an SQLite file but not an rmtui book; choose another file.").format(path=path)
    )


def _check_revision(path: Path, revision: str) -> None:
    if revision not in KNOWN_REVISIONS:
        raise BookError(
            _(
                "{path} was written by a newer rmtui (schema {revision}); upgrade"
                " rmtui to restore it."
            ).format(path=path, revision=revision)
        )
