"""The client list: what it is filtered and sorted by, its columns, and its rows read block by
block (keyset after a block already read, otherwise OFFSET from the nearer end)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text

from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text
from rmtui.core.db import interrupter_of, session_scope
from rmtui.core.queries.client_list import client_position
from rmtui.core.queries.clients import (
    ClientFilter,
    ClientRow,
    client_page_at,
    client_page_key,
    count_clients,
    count_limit,
    list_clients,
    matches_as_typed,
)
from rmtui.core.translation import N_, _, pN_
from rmtui.widgets.page_source import READ_AHEAD_ROWS, PageSource
from rmtui.widgets.virtual_table import BLOCK_SIZE, TableColumn, TableRow, column_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The sorts `o` steps through, in order, and how the screen names them.
SORT_CYCLE = ("name", "last_contact", "next_follow_up", "status", "tier", "city", "created_on")
SORT_LABELS = {
    "name": N_("name"),
    "last_contact": N_("last contact"),
    "next_follow_up": N_("next follow-up"),
    "status": N_("status"),
    "tier": N_("tier"),
    "city": N_("city"),
    "created_on": N_("date added"),
}
# Sorts that start with the highest value (newest first).
# Headings a language may write shorter in their narrow columns (see `column_text`).
NARROW_HEADINGS = (
    pN_("column", "Tier"),
    pN_("column", "Last contact"),
    pN_("column", "Next follow-up"),
)
STARTS_DESCENDING = frozenset({"created_on"})
COLUMNS = (
    TableColumn("name", N_("Name"), min_width=30, max_width=48),
    TableColumn("kind", N_("Kind"), 9, drop=6),
    TableColumn("status", N_("Status"), 9, drop=2),
    TableColumn("tier", N_("Tier"), 5, drop=1),
    TableColumn("city", N_("City"), min_width=12, max_width=22, drop=4),
    TableColumn("last_contact", N_("Last contact"), 13, drop=3),
    TableColumn("next_follow_up", N_("Next follow-up"), 15, drop=5),
    TableColumn("tags", N_("Tags"), min_width=14, drop=7),
)


@dataclass(frozen=True)
class ClientListing:
    """What the client list shows: its text filter, quick filters and sort."""

    text: str = ""
    status: str | None = None
    kind: str | None = None
    tier: str | None = None
    tag: str | None = None
    include_archived: bool = False
    sort: str = "name"
    descending: bool = False
    owner: str | None = None  # only this owner's clients and everyone's (people.mine_of)

    def client_filter(self) -> ClientFilter:
        """The filter of the client queries."""
        return ClientFilter(
            text=self.text.strip() or None,
            status=self.status,
            kind=self.kind,
            tier=self.tier,
            tag=self.tag,
            include_archived=self.include_archived,
            owner=self.owner,
        )

    @property
    def filtered(self) -> bool:
        """Whether any filter (text or quick filter) narrows the list."""
        return bool(self.text.strip() or self.status or self.kind or self.tier or self.tag)

    def next_sort(self) -> ClientListing:
        """The listing sorted by the next sort of SORT_CYCLE, in its natural direction."""
        sort = SORT_CYCLE[(SORT_CYCLE.index(self.sort) + 1) % len(SORT_CYCLE)]
        return replace(self, sort=sort, descending=sort in STARTS_DESCENDING)

    def sort_label(self) -> str:
        """The sort as the screen says it, with its direction."""
        return f"{_(SORT_LABELS[self.sort])} {'▼' if self.descending else '▲'}"


def client_columns(listing: ClientListing, *, alike: bool = False) -> list[TableColumn]:
    """The columns, the sorted one marked with its direction (none for clients alike a text,
    which are listed likest first)."""
    mark = "▼" if listing.descending else "▲"
    return [
        replace(column, label=f"{column_text(column.label)}{mark}")
        if column.key == listing.sort and not alike
        else column
        for column in COLUMNS
    ]


@dataclass(frozen=True)
class LoadedList:
    """What a listing shows first: its size (or, until counted, its first block's size), its
    first block, where the kept client is, and whether its clients are only alike the text
    (which matches none as typed)."""

    total: int
    counted: bool
    first_block: list[TableRow]
    position: int | None
    alike: bool = False


@dataclass
class ClientPages(PageSource[ClientRow]):
    """The rows of one listing, read block by block as the table scrolls."""

    listing: ClientListing
    day: date
    total: int = 0
    counted: bool = False
    # The text matches no client as typed: the rows are the clients alike, likest first.
    alike: bool = False
    # Page key of the row just before each block start already read: the next block by keyset.
    _after: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    # Stops the reads of the worker loading this listing, while it reads.
    _loading: Callable[[], None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    interrupted: bool = False

    @contextmanager
    def loading(self) -> Iterator[Session]:
        """A session for the worker that loads the listing; `interrupt()` stops its reads."""
        with session_scope(self.engine) as session:
            with self._lock:
                self._loading = interrupter_of(session)
            try:
                yield session
            finally:
                with self._lock:
                    self._loading = None

    def interrupt(self) -> None:
        """Stop loading this listing: a newer one replaces it."""
        with self._lock:
            self.interrupted = True
            if self._loading is not None:
                self._loading()

    def read_first(self, session: Session) -> list[TableRow]:
        """Read the first block; a short one is the whole list, so it is counted too (and,
        for a text filter, it may hold clients alike the text rather than matching it)."""
        first = self.read(session, 0, BLOCK_SIZE)
        self.total = len(first)
        self.counted = len(first) < BLOCK_SIZE
        if first and self.counted and self.listing.text.strip():
            client_filter = self.listing.client_filter()
            self.alike = not matches_as_typed(session=session, client_filter=client_filter)
        return first

    def count(self, session: Session) -> None:
        """Count the listing (unless the first block already did).

        A text filter is counted up to `count_limit`: reaching it, the listing stays not
        counted (its size shown with a "+") and holds that many rows, counted further as the
        cursor nears their end (`count_further`).
        """
        if not self.counted:
            self._count_to(session, count_limit(session=session, text=self.listing.text))

    def count_further(self, session: Session) -> None:
        """Count a listing counted only so far by another `count_limit` (the cursor came near
        its end)."""
        limit = count_limit(session=session, text=self.listing.text)
        if not self.counted and limit is not None:
            self._count_to(session, self.total + limit)

    def needs_counting_further(self, cursor: int) -> bool:
        """Whether `cursor` has come near the end of a listing counted only so far."""
        return not self.counted and self.total - cursor <= READ_AHEAD_ROWS

    def _count_to(self, session: Session, at_most: int | None) -> None:
        client_filter = self.listing.client_filter()
        self.total = count_clients(session=session, client_filter=client_filter, at_most=at_most)
        self.counted = at_most is None or self.total < at_most

    def loaded(self, first: list[TableRow], position: int | None) -> LoadedList:
        """What to show now."""
        return LoadedList(self.total, self.counted, first, position, self.alike)

    def locate(self, session: Session, client_id: int, first: list[TableRow]) -> int | None:
        """Where the client is in the (counted) listing, its block read ahead; None when the
        filters leave it out."""
        keys = [row.key for row in first]
        if client_id in keys:
            position: int | None = keys.index(client_id)
        else:
            position = client_position(
                session=session,
                client_id=client_id,
                sort=self.listing.sort,
                descending=self.listing.descending,
                client_filter=self.listing.client_filter(),
            )
        if position is not None and position >= BLOCK_SIZE:
            start = position - position % BLOCK_SIZE
            self._ready[start] = self.read(session, start, BLOCK_SIZE)
        if position is not None and not self.counted:
            self.total = max(self.total, position + 1)  # the rows up to the client, at least
        return position

    @property
    def shown_total(self) -> int:
        """The rows the table can show: the total, or as far as it is counted."""
        return self.total

    def remember(self, offset: int, records: Sequence[ClientRow]) -> None:
        """Keep the page key of the block's last row: the next block is read after it."""
        self._after[offset + len(records)] = client_page_key(records[-1], self.listing.sort)

    def cells(self, record: ClientRow) -> tuple[Text | str, ...]:
        """The cells of one client's line."""
        return client_cells(record, self.day)

    def rows(self, session: Session, offset: int, limit: int) -> list[ClientRow]:
        """Read the clients from `offset`: after the block before when it was read, else by
        OFFSET from the nearer end."""
        listing = self.listing
        if offset in self._after:
            return self._page(session, 0, limit, listing.descending, self._after[offset])
        end = min(offset + limit, self.total)
        from_end = self.total - end
        # Nearer the end: read it in the opposite order (only a counted listing has a known end).
        if self.counted and 0 <= from_end < offset:
            rows = self._page(session, from_end, end - offset, not listing.descending, None)
            return rows[::-1]
        return self._page(session, offset, limit, listing.descending, None)

    def _page(
        self,
        session: Session,
        offset: int,
        limit: int,
        descending: bool,
        after: tuple[Any, ...] | None,
    ) -> list[ClientRow]:
        listing = self.listing
        if offset == 0:
            return list_clients(
                session=session,
                sort=listing.sort,
                descending=descending,
                limit=limit,
                after=after,
                client_filter=listing.client_filter(),
            )
        return client_page_at(
            session=session,
            offset=offset,
            limit=limit,
            sort=listing.sort,
            descending=descending,
            client_filter=listing.client_filter(),
        )


def client_cells(row: ClientRow, day: date) -> tuple[Text | str, ...]:
    """The cells of one client's line, with what needs attention coloured."""
    name = Text(row.name)
    if row.archived:
        name = Text(_("{name} (archived)").format(name=row.name), style="dim italic")
    return (
        name,
        choice_text(row.kind),
        choice_text(row.status),
        row.tier,
        row.city or "",
        last_contact_cell(row, day),
        follow_up_cell(row.next_follow_up_on, day),
        ", ".join(row.tags),
    )


def last_contact_cell(row: ClientRow, day: date) -> Text:
    """The last contact, red when a client is due for a check-in."""
    checking_in = row.status == "client" and not row.archived
    if row.last_contact_on is None:
        return Text(_("never"), style="yellow" if checking_in else "dim")
    overdue = checking_in and (day - row.last_contact_on).days >= row.cadence
    return Text(date_text(row.last_contact_on), style="red" if overdue else "")


def follow_up_cell(due_on: date | None, day: date) -> Text:
    """The next follow-up's date: red when late, yellow when due today."""
    if due_on is None:
        return Text("—", style="dim")
    style = "bold red" if due_on < day else "bold yellow" if due_on == day else ""
    return Text(date_text(due_on), style=style)
