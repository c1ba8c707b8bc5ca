"""The interaction log's rows: its columns and cells, and its blocks read by key next to a block
already read (else by OFFSET from the nearer end), the next one read ahead."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text

from rmtui.core.choices import choice_text
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
from rmtui.core.translation import N_
from rmtui.widgets.page_source import PageSource
from rmtui.widgets.virtual_table import BLOCK_SIZE, TableColumn, TableRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

LOG_COLUMNS = (
    TableColumn("at", N_("When"), 16),
    TableColumn("client", N_("Client"), min_width=20, max_width=30),
    TableColumn("kind", N_("Kind"), 7, drop=1),
    TableColumn("direction", N_("Dir"), 3, drop=3),
    TableColumn("subject", N_("Subject"), min_width=20, max_width=48),
    TableColumn("notes", N_("Notes"), min_width=20, drop=2),
)


@dataclass
class LogPages(PageSource[InteractionRow]):
    """The rows of one filtered log, read block by block as the table scrolls."""

    query: LogQuery
    # The total once counted (None while it is being counted).
    total: int | None = None
    # The newest rows, read when the log was opened (the whole log when it is short).
    newest: list[InteractionRow] = field(default_factory=list)
    # First and last key of each block read, by the block's start: neighbours read by key.
    _edges: dict[int, tuple[LogKey, LogKey]] = field(default_factory=dict)

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

    def read_now(self, offset: int, limit: int) -> list[TableRow]:
        """The rows from `offset`: from the newest rows when they hold them, else read."""
        if self._among_newest(offset, limit):
            return self.table_rows(offset, self.newest[offset : offset + limit])
        return super().read_now(offset, limit)

    def remember(self, offset: int, records: Sequence[InteractionRow]) -> None:
        """Keep the block's first and last keys: its neighbours are read by key."""
        self._edges[offset] = (log_key(records[0]), log_key(records[-1]))

    def cells(self, record: InteractionRow) -> tuple[Text | str, ...]:
        """The cells of one interaction's line."""
        return log_cells(record)

    def _among_newest(self, offset: int, limit: int) -> bool:
        return offset + limit <= len(self.newest) or self._all_newest()

    def _all_newest(self) -> bool:
        return self.total is not None and len(self.newest) >= self.total

    def rows(self, session: Session, offset: int, limit: int) -> list[InteractionRow]:
        """The interactions from `offset`: among the newest rows, else next to a block read by
        key, else by OFFSET from the nearer end."""
        if self._among_newest(offset, limit):
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
        Text.styled(choice_text(row.kind), "dim italic" if is_note else ""),
        "" if is_note else choice_text(row.direction),
        row.subject,
        Text.styled(first_line(row.notes), "dim"),
    )


def first_line(notes: str | None) -> str:
    """The first non-empty line of some notes ('' for none)."""
    for line in (notes or "").splitlines():
        if line.strip():
            return line.strip()
    return ""
