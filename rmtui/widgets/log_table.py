"""The interaction log's rows: its columns and cells, and its blocks read by key next to a block
already read (else by OFFSET from the nearer end), the next one read ahead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text

from rmtui.core.db import session_scope
from rmtui.core.queries.interaction_log import (
    LogKey,
    LogQuery,
    count_log,
    log_block,
    log_block_after,
    log_block_before,
    log_key,
    newest_block,
    stopping_when,
)
from rmtui.core.queries.interactions import InteractionRow
from rmtui.widgets.virtual_table import BLOCK_SIZE, TableColumn, TableRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

LOG_COLUMNS = (
    TableColumn("at", "When", 16),
    TableColumn("client", "Client", 22),
    TableColumn("kind", "Kind", 7),
    TableColumn("direction", "Dir", 3),
    TableColumn("subject", "Subject", 28),
    TableColumn("notes", "Notes"),
)
# Read the next block ahead once the cursor is this close to it.
READ_AHEAD_ROWS = 80


@dataclass
class LogPages:
    """The rows of one filtered log, read block by block as the table scrolls."""

    engine: Engine
    query: LogQuery
    # The total once counted (None while it is being counted).
    total: int | None = None
    # The newest rows, read when the log was opened (the whole log when it is short).
    newest: list[InteractionRow] = field(default_factory=list)
    # First and last key of each block read, by the block's start: neighbours read by key.
    _edges: dict[int, tuple[LogKey, LogKey]] = field(default_factory=dict)
    # Blocks read ahead (by a worker), handed out once.
    _ready: dict[int, list[TableRow]] = field(default_factory=dict)
    # Starts of the blocks read or being read.
    _read: set[int] = field(default_factory=set)

    @property
    def shown_total(self) -> int:
        """The rows the table can show now: the total, or the newest rows while counting."""
        return self.total if self.total is not None else len(self.newest)

    def open(self, session: Session, cancelled: Callable[[], bool]) -> list[TableRow]:
        """Read the newest rows (and the total when that comes with them); the first block."""
        start = newest_block(
            session=session, query=self.query, limit=BLOCK_SIZE, cancelled=cancelled
        )
        self.newest, self.total = start.rows, start.total
        return self.read(session, 0, BLOCK_SIZE)

    def count(self, session: Session, cancelled: Callable[[], bool]) -> int:
        """Count the log (stopped early when `cancelled()`)."""
        with stopping_when(session, cancelled):
            self.total = count_log(session=session, query=self.query)
        return self.total

    def claim_read_ahead(self, cursor: int) -> int | None:
        """The start of the next block when `cursor` is near it and nobody read it yet (it is
        then marked as being read)."""
        following = cursor - cursor % BLOCK_SIZE + BLOCK_SIZE
        near = following - cursor <= READ_AHEAD_ROWS
        if near and following < self.shown_total and following not in self._read:
            self._read.add(following)
            return following
        return None

    def read_ahead(self, offset: int) -> None:
        """Read the block at `offset` now (in a worker) so that scrolling to it does not wait."""
        with session_scope(self.engine) as session:
            self._ready[offset] = self.read(session, offset, BLOCK_SIZE)

    def fetch(self, offset: int, limit: int) -> list[TableRow]:
        """The rows from `offset` (the table's block source)."""
        ready = self._ready.pop(offset, None)
        if ready is not None:
            return ready
        if offset + limit <= len(self.newest) or self._all_newest():
            return self.read(None, offset, limit)
        with session_scope(self.engine) as session:
            return self.read(session, offset, limit)

    def read(self, session: Session | None, offset: int, limit: int) -> list[TableRow]:
        """The rows from `offset`, read in `session` unless they are among the newest."""
        self._read.add(offset)
        rows = self._rows(session, offset, limit)
        if rows:
            self._edges[offset] = (log_key(rows[0]), log_key(rows[-1]))
        return [TableRow(row.id, log_cells(row)) for row in rows]

    def _all_newest(self) -> bool:
        return self.total is not None and len(self.newest) >= self.total

    def _rows(self, session: Session | None, offset: int, limit: int) -> list[InteractionRow]:
        if session is None or offset + limit <= len(self.newest) or self._all_newest():
            return self.newest[offset : offset + limit]
        if offset - limit in self._edges:
            older_than = self._edges[offset - limit][1]
            return log_block_after(session=session, query=self.query, key=older_than, limit=limit)
        if offset + limit in self._edges:
            newer_than = self._edges[offset + limit][0]
            return log_block_before(session=session, query=self.query, key=newer_than, limit=limit)
        return log_block(
            session=session, query=self.query, offset=offset, limit=limit, total=self.total
        )


def log_cells(row: InteractionRow) -> tuple[Text | str, ...]:
    """The cells of one interaction's line: when, client, kind, direction, subject, notes."""
    is_note = row.kind == "note"
    return (
        row.at.strftime("%Y-%m-%d %H:%M"),
        row.client_name,
        Text.styled(row.kind, "dim italic" if is_note else ""),
        "" if is_note else row.direction,
        row.subject,
        Text.styled(first_line(row.notes), "dim"),
    )


def first_line(notes: str | None) -> str:
    """The first non-empty line of some notes ('' for none)."""
    for line in (notes or "").splitlines():
        if line.strip():
            return line.strip()
    return ""
