"""The pipeline forecast (`F` on the pipeline): the weighted value of the open deals by the
month and quarter they are expected to close, and the deals themselves, filtered with `/` and
sorted with `s`; a deal past its expected close day is flagged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from rmtui.core.db import session_scope
from rmtui.core.figures import count_text
from rmtui.core.queries.forecast import (
    FILTER_HELP,
    SORT_LABELS,
    SORTS,
    DealFilter,
    FilterError,
    ForecastMonth,
    count_open_deals,
    forecast_months,
    forecast_quarters,
    parse_deal_filter,
)
from rmtui.core.queries.opportunities import OpportunityRow
from rmtui.core.translation import N_, _, ngettext
from rmtui.screens.flows.clients import engine_of
from rmtui.widgets.forecast_table import (
    ForecastPages,
    forecast_columns,
    months_table,
    quarters_table,
)
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.virtual_table import BLOCK_SIZE, TableRow, VirtualTable

MONTH_ROWS = 8  # rows of the months table at most (the earlier, later and undated folded)
# The parts of the hint beside the deals' count, the most needed first: the marks of the
# table are explained nowhere else, the keys are also in the key bar.
HINTS = (N_("⚠ past its close date"), N_("* own chance"), N_("/ filters, s sorts"))


def filter_hint(room: int) -> str:
    """As many parts of the hint as `room` cells hold, in the order they are read, between
    brackets; "" when not even the first fits."""
    kept: list[str] = []
    for part in HINTS:
        if cell_len("(" + " · ".join([*kept, _(part)]) + ")") > room:
            break
        kept.append(_(part))
    order = [_(part) for part in (HINTS[2], HINTS[0], HINTS[1])]
    return "(" + " · ".join(part for part in order if part in kept) + ")" if kept else ""


@dataclass(frozen=True)
class Forecast:
    """What the worker read: the months, the first block of deals and their source."""

    months: list[ForecastMonth]
    pages: ForecastPages
    first: list[TableRow]


class ForecastScreen(Screen[None]):
    """The weighted forecast by expected close month and quarter, and the open deals."""

    SCREEN_NAME = N_("Forecast")
    CSS_PATH = "forecast.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("slash", "filter", N_("Filter"), key_display="/"),
        Binding("s", "sort", N_("Sort")),
        Binding("enter", "open_client", N_("Open client")),
    ]

    def __init__(self, day: date) -> None:
        super().__init__()
        self._shown_count: int | None = None  # the deals counted in the filter line
        self.day = day
        self.deal_filter = DealFilter()
        self.sort = SORTS[0]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="forecast-tables"):
            yield Static(_("Reading the forecast…"), id="forecast-months")
            yield Static("", id="forecast-quarters")
        yield Static("", id="forecast-filter")
        yield Input(placeholder=_(FILTER_HELP), id="forecast-filter-input", compact=True)
        yield VirtualTable(forecast_columns(), id="forecast-table", empty_text=N_("No open deals."))
        yield KeyBar()

    @property
    def table(self) -> VirtualTable:
        """The open deals."""
        return self.query_one("#forecast-table", VirtualTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#forecast-filter-input", Input)

    def on_mount(self) -> None:
        self.filter_input.display = False
        self.table.focus()
        self.book_changed()

    def book_changed(self, focus: int | None = None) -> None:
        """Read the forecast again."""
        self._read(self.deal_filter, self.sort)

    @work(thread=True, exclusive=True, exit_on_error=False, group="forecast")
    def _read(self, deal_filter: DealFilter, sort: str) -> None:
        engine = engine_of(self)
        pages = ForecastPages(engine, day=self.day, deal_filter=deal_filter, sort=sort)
        with session_scope(engine) as session:
            months = forecast_months(session=session, day=self.day, deal_filter=deal_filter)
            pages.total = count_open_deals(session=session, deal_filter=deal_filter)
            first = pages.read(session, 0, BLOCK_SIZE)
        self.app.call_from_thread(self._show, Forecast(months, pages, first))

    def _show(self, forecast: Forecast) -> None:
        pages = forecast.pages
        if (pages.deal_filter, pages.sort) != (self.deal_filter, self.sort):
            return  # the filter or order changed while it was read
        self.table.show(pages.shown_total, pages.fetch, first_block=forecast.first)
        self.query_one("#forecast-months", Static).update(
            months_table(forecast.months, self.day, MONTH_ROWS)
        )
        quarters = forecast_quarters(forecast.months)
        self.query_one("#forecast-quarters", Static).update(
            quarters_table(quarters, self.day, MONTH_ROWS)
        )
        self._show_filter(pages.total)

    def _show_filter(self, count: int, error: str | None = None) -> None:
        self._shown_count = count
        line = Text()
        deals = ngettext("{count} open deal", "{count} open deals", count)
        line.append(deals.format(count=count_text(count)), style="bold")
        if not self.deal_filter.is_empty:
            line.append(" " + _("matching “{text}”").format(text=self.deal_filter))
        line.append(" · " + _("by {order}").format(order=_(SORT_LABELS[self.sort])), style="dim")
        field = self.query_one("#forecast-filter", Static)
        hint = filter_hint(field.content_size.width - line.cell_len - 2)
        if hint:
            line.append(f"  {hint}", style="dim")
        if error:
            line = Text(error, style="bold red")
        field.update(line)

    def on_resize(self) -> None:
        """Say again as much of the hint as the new width holds."""
        if self._shown_count is not None:  # once the line has its new width
            self.call_after_refresh(self._show_filter, self._shown_count)

    def action_filter(self) -> None:
        field = self.filter_input
        field.display = True
        field.value = str(self.deal_filter)
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.deal_filter = parse_deal_filter(event.value)
        except FilterError as error:
            self._show_filter(self.table.total, str(error))
            return
        self._close_filter()
        self.book_changed()

    def _close_filter(self) -> None:
        self.filter_input.display = False
        self.table.focus()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.book_changed()

    def action_back(self) -> None:
        if self.filter_input.has_focus:
            self._close_filter()
        else:
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("filter", "sort", "open_client") and self.filter_input.has_focus:
            return False  # the keys are typed into the filter
        if action == "open_client":
            return None if self.table.current_key is None else True
        return True

    def action_open_client(self) -> None:
        from rmtui.screens.client.opening import open_client

        deal = self.table.current_record
        if isinstance(deal, OpportunityRow):
            open_client(self, deal.client_id)

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        self.action_open_client()
