"""Who works in the book: the user of this run of rmtui, and whose clients are theirs.

The user is `[user] name` in config.toml, else the login name. A client's owner is the user
who looks after them; a client without one (every client of a book made before owners
existed) is everyone's, so that "my clients" of a book kept by one person are all of them.
"""

from __future__ import annotations

import getpass
import os

from rmtui.core.db_api import Connection, fetch_one
from rmtui.core.errors import BookError


def session_user() -> str:
    """The user of this run: `[user] name` in config.toml, else the login name."""
    from rmtui.core.paths import config_file

    if not os.path.exists(config_file()):  # none (or none readable): nothing set
        return login_name()
    from rmtui.core.settings import load_settings

    try:
        named = load_settings().user_name
    except BookError:
        named = None  # the problem is told where the settings are read for the screens
    return named or login_name()


def login_name() -> str:
    """The name the user logged in with ("someone" when the system has none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "someone"


def others_owner(owner: str | None) -> str | None:
    """The owner of a client as a profile shows it: someone else's name, None when the client
    is the user's or everyone's (a book kept by one person shows no owner)."""
    return owner if owner and owner != session_user() else None


def mine_sql(column: str = "c.owner") -> str:
    """SQL: the client whose owner is `column` is the user's (`:owner`) or everyone's."""
    return f"({column} IS NULL OR {column} = :owner)"


def mine_of(connection: Connection, user: str, *, everyone: bool = False) -> str | None:
    """The owner whose clients (and everyone's) "my clients" narrows a list to for `user`: the
    user, or None (no narrowing) when `everyone` is asked for or no client is someone else's,
    so that a book kept by one person is read as before. Two looks into ix_client_owner_archived."""
    if everyone:
        return None
    for other in ("owner < :owner", "owner > :owner"):
        if fetch_one(connection, f"SELECT 1 FROM client WHERE {other} LIMIT 1", {"owner": user}):
            return user
    return None
