"""Where rmtui keeps its files: one function per path, nothing created at import."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "rmtui"
DB_ENV = "RMTUI_DB"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def data_dir() -> Path:
    """The user's data directory for rmtui (books and backups live here)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The user's configuration directory for rmtui."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """The book file used when neither --db nor RMTUI_DB names one."""
    return data_dir() / "book.db"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The book file to open: --db first, then RMTUI_DB, then the default."""
    chosen = explicit or os.environ.get(DB_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return default_db_path()


def backup_dir(db: Path) -> Path:
    """The folder that holds the backups of the book at `db`: beside it, or in the user's data
    folder when the book is on a read-only medium (a CD, a share mounted read-only)."""
    if on_read_only_medium(db):
        return data_dir() / "backups" / "read-only-books"
    return db.parent / "backups"


def on_read_only_medium(path: Path) -> bool:
    """Whether the folder of `path` is on a file system mounted read-only."""
    try:
        return bool(os.statvfs(Path(path).absolute().parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the user alone, and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    return path


def make_private(path: Path) -> None:
    """Make a file readable and writable by the user alone."""
    if path.exists():
        path.chmod(PRIVATE_FILE_MODE)
