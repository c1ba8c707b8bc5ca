"""The review season's rows: when each review falls due, whose, and what it counts from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from rmtui.core.agenda import ReviewItem
from rmtui.core.case_clocks import days_left_text
from rmtui.core.dates import date_text
from rmtui.core.queries.reviews import reviews_in_month
from rmtui.core.translation import N_, _
from rmtui.widgets.page_source import PageSource
from rmtui.widgets.virtual_table import TableColumn

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

REVIEW_COLUMNS = (
    TableColumn("due_on", N_("Due"), 11),
    TableColumn("name", N_("Client"), min_width=18, max_width=40),
    TableColumn("tier", N_("Tier"), 4),
    TableColumn("every", N_("Every"), 9, drop=2),
    TableColumn("counts_from", N_("Counts from"), min_width=24, max_width=32, drop=1),
    TableColumn("left", N_("When"), min_width=16, max_width=20),
)
BASIS = {
    "review": N_("last review"),
    "meeting": N_("last meeting"),
    "client since": N_("client since"),
}


@dataclass
class ReviewPages(PageSource[ReviewItem]):
    """The reviews due in one month, read block by block (by OFFSET on the review index)."""

    month: date = date.min
    day: date = date.min
    total: int = 0

    @property
    def shown_total(self) -> int:
        return self.total

    def rows(self, session: Session, offset: int, limit: int) -> list[ReviewItem]:
        return reviews_in_month(
            session=session, month=self.month, day=self.day, limit=limit, offset=offset
        )

    def remember(self, offset: int, records: Sequence[ReviewItem]) -> None:
        """Nothing to keep: every block is read by OFFSET."""

    def cells(self, record: ReviewItem) -> tuple[Text | str, ...]:
        return review_cells(record)


def review_cells(review: ReviewItem) -> tuple[Text | str, ...]:
    """One review's row: due day, client, tier, cadence, what it counts from, time left."""
    left = days_left_text(review.days_left, business=False)
    return (
        Text(date_text(review.due_on), style="bold"),
        review.name,
        review.tier,
        _("{months} months").format(months=review.every_months),
        Text(f"{_(BASIS[review.counts_from])} {date_text(review.since)}", style="dim"),
        Text(left, style="bold" if review.days_left < 0 else ""),
    )
