"""The rows of a virtual list read from the book block by block: each block read once, the
next one read ahead (in a worker) as the cursor comes near it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from rmtui.core.db import session_scope
from rmtui.widgets.virtual_table import BLOCK_SIZE, Cell, TableRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

# Read the next block ahead once the cursor is this close to it.
READ_AHEAD_ROWS = 80


class Record(Protocol):
    """A row as a query returns it: the id of the record it shows is its table row's key."""

    @property
    def id(self) -> int: ...


RecordT = TypeVar("RecordT", bound=Record)


@dataclass
class PageSource(ABC, Generic[RecordT]):
    """The block source of a VirtualTable: `fetch` hands it the rows from an offset, read by
    `rows` in a session of its own unless a worker read them ahead."""

    engine: Engine
    # Blocks read ahead (by a worker), handed out once.
    _ready: dict[int, list[TableRow]] = field(default_factory=dict, kw_only=True)
    # Starts of the blocks read or being read.
    _read: set[int] = field(default_factory=set, kw_only=True)

    @property
    @abstractmethod
    def shown_total(self) -> int:
        """How many rows the table can show now."""

    @abstractmethod
    def rows(self, session: Session, offset: int, limit: int) -> Sequence[RecordT]:
        """Read the records from `offset` in `session`."""

    @abstractmethod
    def remember(self, offset: int, records: Sequence[RecordT]) -> None:
        """Keep what reading the neighbours of the block at `offset` by key needs."""

    @abstractmethod
    def cells(self, record: RecordT) -> tuple[Cell, ...]:
        """The cells of the row of one record."""

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
        return self.read_now(offset, limit)

    def read_now(self, offset: int, limit: int) -> list[TableRow]:
        """The rows from `offset`, read in a session of their own."""
        with session_scope(self.engine) as session:
            return self.read(session, offset, limit)

    def read(self, session: Session, offset: int, limit: int) -> list[TableRow]:
        """Read the rows from `offset` in `session`."""
        self._read.add(offset)
        return self.table_rows(offset, self.rows(session, offset, limit))

    def table_rows(self, offset: int, records: Sequence[RecordT]) -> list[TableRow]:
        """The rows of the block of `records` read at `offset` (the block is then read)."""
        self._read.add(offset)
        if records:
            self.remember(offset, records)
        return [TableRow(record.id, self.cells(record), record) for record in records]
