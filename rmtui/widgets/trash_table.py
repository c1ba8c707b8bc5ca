"""The trash's rows: when each record was deleted, what it was, until when it can come back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from rmtui.core.dates import date_text
from rmtui.core.queries.trash import TrashRow, trash_rows
from rmtui.core.translation import N_
from rmtui.widgets.page_source import PageSource
from rmtui.widgets.virtual_table import TableColumn

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TRASH_COLUMNS = (
    TableColumn("deleted_at", N_("Deleted"), 17),
    TableColumn("what", N_("What")),
    TableColumn("expires_on", N_("Until"), 11),
)


@dataclass
class TrashPages(PageSource[TrashRow]):
    """The trash, read block by block (by OFFSET: it holds 30 days of deletions at most)."""

    total: int = 0

    @property
    def shown_total(self) -> int:
        return self.total

    def rows(self, session: Session, offset: int, limit: int) -> list[TrashRow]:
        return trash_rows(session=session, offset=offset, limit=limit)

    def remember(self, offset: int, records: Sequence[TrashRow]) -> None:
        """Nothing to keep: every block is read by OFFSET."""

    def cells(self, record: TrashRow) -> tuple[Text | str, ...]:
        return (
            record.deleted_at.strftime("%Y-%m-%d %H:%M"),
            record.what,
            Text(date_text(record.expires_on), style="dim"),
        )
