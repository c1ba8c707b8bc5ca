"""The review season: every client review due in a month, month by month (`v` on Today)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from dateutil.relativedelta import relativedelta
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Static

from rmtui.core.dates import date_text
from rmtui.core.db import session_scope
from rmtui.core.figures import count_text
from rmtui.core.queries.reviews import count_reviews_before, count_reviews_in_month
from rmtui.core.translation import N_, _, ngettext
from rmtui.screens.flows.clients import engine_of
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.review_table import REVIEW_COLUMNS, ReviewPages
from rmtui.widgets.virtual_table import BLOCK_SIZE, TableRow, VirtualTable


def season_summary(month: date, count: int, earlier: int) -> Text:
    """The line above the month's reviews: how many, how many earlier ones are still to hold,
    and the keys."""
    due = ngettext("{count} review due", "{count} reviews due", count).format(
        count=count_text(count)
    )
    text = Text(f"{date_text(month, '%B %Y')}: {due}", style="bold")
    if earlier:
        still = _("{count} from earlier months still to hold").format(count=count_text(earlier))
        text.append(f"  ·  {still}", style="yellow")
    keys = "  —  " + _("[ ] step a month · enter opens the client · R its report")
    text.append(keys, style="dim")
    return text


class ReviewSeasonScreen(Screen[None]):
    """The reviews due in one month: `[` and `]` step a month, `R` prepares the report."""

    SCREEN_NAME = N_("Review season")
    CSS_PATH = "review_season.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("enter", "open_client", N_("Open client")),
        Binding("R", "review_report", N_("Review report")),
        Binding("left_square_bracket", "step(-1)", N_("Month back"), key_display="["),
        Binding("right_square_bracket", "step(1)", N_("Month on"), key_display="]"),
    ]

    def __init__(self, day: date, month: date | None = None) -> None:
        super().__init__()
        self.day = day
        self.month = (month or day).replace(day=1)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Reading the reviews…"), id="season-summary")
        yield VirtualTable(REVIEW_COLUMNS, id="season-table", empty_text=N_("No reviews fall due."))
        yield KeyBar()

    @property
    def table(self) -> VirtualTable:
        """The month's reviews."""
        return self.query_one("#season-table", VirtualTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.book_changed()

    def book_changed(self, focus: int | None = None) -> None:
        """Read the month's reviews again."""
        self._read(self.month, self.table.current_key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="season")
    def _read(self, month: date, keep_key: int | None) -> None:
        engine = engine_of(self)
        pages = ReviewPages(engine, month=month, day=self.day)
        with session_scope(engine) as session:
            pages.total = count_reviews_in_month(session=session, month=month, day=self.day)
            earlier = count_reviews_before(session=session, month=month, day=self.day)
            first = pages.read(session, 0, BLOCK_SIZE)
        self.app.call_from_thread(self._show, pages, first, keep_key, earlier)

    def _show(
        self, pages: ReviewPages, first: list[TableRow], keep_key: int | None, earlier: int
    ) -> None:
        if pages.month != self.month:
            return  # a month stepped past while it was read
        self.table.show(pages.shown_total, pages.fetch, keep_key=keep_key, first_block=first)
        self.query_one("#season-summary", Static).update(
            season_summary(self.month, pages.total, earlier)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_client", "review_report"):
            return None if self.table.current_key is None else True
        return True

    def action_step(self, months: int) -> None:
        self.month = self.month + relativedelta(months=months)
        self.query_one("#season-summary", Static).update(
            Text(_("Reading {month}…").format(month=date_text(self.month, "%B %Y")))
        )
        self._read(self.month, None)

    def action_back(self) -> None:
        self.dismiss()

    def action_open_client(self) -> None:
        from rmtui.screens.client.opening import open_client

        client_id = self.table.current_key
        if client_id is not None:
            open_client(self, client_id)

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        self.action_open_client()

    def action_review_report(self) -> None:
        from rmtui.screens.flows.records import export_review

        client_id = self.table.current_key
        if client_id is not None:
            export_review(self, client_id)
