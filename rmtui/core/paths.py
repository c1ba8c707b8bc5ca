"""Where rmtui keeps its files: one function per path, nothing created at import."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "rmtui"
DB_ENV = "RMTUI_DB"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def data_dir() -> Path:
    """The user's data directory for rmtui (books and backups live here)."""
    plain = _plain_xdg_dir("XDG_DATA_HOME", ".local/share")
    if plain is not None:
        return plain
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The user's configuration directory for rmtui."""
    plain = _plain_xdg_dir("XDG_CONFIG_HOME", ".config")
    if plain is not None:
        return plain
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    """The user's settings file, config.toml in the configuration directory."""
    return config_dir() / "config.toml"


def _plain_xdg_dir(variable: str, under_home: str) -> Path | None:
    """rmtui's folder by the XDG rule platformdirs follows on Linux, when the environment says
    it plainly: `variable` an absolute path, or else unset and HOME absolute; None elsewhere
    (another system, Android, a relative path), where platformdirs decides. Loading
    platformdirs costs more than a quick command takes in all."""
    if sys.platform != "linux" or _on_android():
        return None
    chosen = os.environ.get(variable, "")
    if os.path.isabs(chosen):
        return Path(chosen) / APP_NAME
    home = os.environ.get("HOME", "")
    if chosen.strip() or not os.path.isabs(home):
        return None
    return Path(home) / under_home / APP_NAME


def _on_android() -> bool:
    """Whether this Linux is Android, where platformdirs puts the folders elsewhere."""
    return hasattr(sys, "getandroidapilevel") or (
        os.environ.get("ANDROID_DATA") == "/data" and os.environ.get("ANDROID_ROOT") == "/system"
    )


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
