"""Noticing, cheaply, that another program changed the book or put another file in its place."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


class BookWatch:
    """Looks at the book through one connection of its own: SQLite's `data_version` changes
    when another connection commits, and the file's identity when it is replaced.

    A book on a server (`path` None) has no file: its change mark, which every audited
    change raises on any machine, tells that it changed, and it is never replaced.
    """

    def __init__(self, path: Path | None, connect: Callable[[], Any]) -> None:
        self.path = path
        self._connect = connect
        self._connection: Any = None
        self._identity = None if path is None else _identity(path)

    def version(self) -> int:
        """A number that changes whenever another connection has committed to the book."""
        if self.path is None:
            return self.mark()
        return self._read("PRAGMA data_version")

    def mark(self) -> int:
        """The book's change mark now (rmtui.core.changes)."""
        from rmtui.core.changes import MARK_SQL

        return self._read(MARK_SQL)

    def _read(self, sql: str) -> int:
        if self._connection is None:
            self._connection = self._connect()
        cursor = self._connection.cursor()
        try:
            cursor.execute(sql)
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()
            if self.path is None:
                self._connection.rollback()  # no transaction left open on the server

    @property
    def replaced(self) -> bool:
        """Whether the file at the book's path is no longer the one that was opened."""
        if self.path is None:
            return False
        identity = _identity(self.path)
        return identity is not None and identity != self._identity

    def close(self) -> None:
        """Let go of the watching connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino
