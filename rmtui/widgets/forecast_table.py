"""The forecast's open deals, block by block: when each is expected to close (flagged once
that day has passed), what it is worth and how likely it is won."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text
from rmtui.core.figures import amount_within, count_text, total_text, whole_percent_text
from rmtui.core.models import OPEN_STAGES
from rmtui.core.queries.forecast import (
    DealFilter,
    ForecastMonth,
    ForecastQuarter,
    open_deals,
)
from rmtui.core.queries.opportunities import OpportunityRow
from rmtui.core.queries.pipeline_stats import deal_probability, weighted_value
from rmtui.core.translation import N_, _, pN_
from rmtui.widgets.page_source import PageSource
from rmtui.widgets.virtual_table import TableColumn

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MONEY_WIDTH = 12
FORECAST_COLUMNS = (
    TableColumn("close", N_("Close"), 13),
    TableColumn("title", N_("Deal"), min_width=16, max_width=44),
    TableColumn("client", N_("Client"), min_width=14, max_width=30),
    TableColumn("stage", N_("Stage"), 11, drop=2),
    TableColumn("chance", N_("Chance"), 6, "right", drop=3),
    TableColumn("value", N_("Value"), MONEY_WIDTH, "right"),
    TableColumn("weighted", N_("Weighted"), MONEY_WIDTH, "right", drop=1),
    TableColumn("age", N_("Open"), 8, "right", drop=4),
)
# Headings that need a word of their own as a column (nl "Sluitdatum", not the verb "Sluiten").
FORECAST_HEADINGS = (
    pN_("column", "Close"),
    pN_("column", "Chance"),
    pN_("column", "Open"),
)
NO_MONEY = Decimal("0.00")


def forecast_columns() -> tuple[TableColumn, ...]:
    """The columns of the open deals, the stage's as wide as the longest open stage's word in
    the language of the text (nl `onderhandeling`), so that no stage is cut short."""
    stage_width = max(cell_len(choice_text(stage)) for stage in OPEN_STAGES)
    return tuple(
        replace(column, width=max(column.width or 0, stage_width))
        if column.key == "stage"
        else column
        for column in FORECAST_COLUMNS
    )


@dataclass
class ForecastPages(PageSource[OpportunityRow]):
    """The open deals passing a filter, in one order, read block by block (by OFFSET)."""

    day: date = date.min
    deal_filter: DealFilter = field(default_factory=DealFilter)
    sort: str = "close"
    total: int = 0

    @property
    def shown_total(self) -> int:
        return self.total

    def rows(self, session: Session, offset: int, limit: int) -> list[OpportunityRow]:
        return open_deals(
            session=session,
            deal_filter=self.deal_filter,
            sort=self.sort,
            limit=limit,
            offset=offset,
        )

    def remember(self, offset: int, records: Sequence[OpportunityRow]) -> None:
        """Nothing to keep: every block is read by OFFSET."""

    def cells(self, record: OpportunityRow) -> tuple[Text | str, ...]:
        return forecast_cells(record, self.day)


def forecast_cells(deal: OpportunityRow, day: date) -> tuple[Text | str, ...]:
    """One open deal: its close day (⚠ once passed), title, client, stage, chance, value,
    weighted value and days open. Only text attributes mark a cell (the row colours paint
    over colours)."""
    close = deal.expected_close_on
    if close is None:
        when = Text(_("no date"), style="dim")
    elif deal.is_past_close(day):
        when = Text(f"⚠ {date_text(close)}", style="bold")
    else:
        when = Text(f"  {date_text(close)}")
    chance = deal_probability(deal.stage, deal.probability) * 100
    own = "" if deal.probability is None else "*"
    return (
        when,
        deal.title,
        deal.client_name,
        choice_text(deal.stage),
        f"{whole_percent_text(chance)}{own}",
        amount_within(deal.value, MONEY_WIDTH, total=True),
        Text(
            amount_within(weighted_value(deal.value, deal.stage, deal.probability), MONEY_WIDTH),
            style="dim",
        ),
        f"{(day - deal.opened_on).days}d",  # d for days in English and Dutch alike
    )


def month_rows(months: list[ForecastMonth], day: date, shown: int) -> list[ForecastMonth]:
    """At most `shown` rows: the months before `day`'s folded into one (their close day has
    passed), then month by month, the rest folded into 'later', and those with no date."""
    this_month = day.replace(day=1)
    past = [row for row in months if row.month is not None and row.month < this_month]
    coming = [row for row in months if row.month is not None and row.month >= this_month]
    undated = [row for row in months if row.month is None]
    rows = [_folded(past, date.min)] if past else []
    room = max(shown - len(rows) - len(undated) - 1, 1)
    if len(coming) > room + 1:
        rows += [*coming[:room], _folded(coming[room:], date.max)]
    else:
        rows += coming
    return rows + undated


def _folded(rows: list[ForecastMonth], key: date) -> ForecastMonth:
    return ForecastMonth(
        key,
        sum(row.deals for row in rows),
        sum((row.value for row in rows), NO_MONEY),
        sum((row.weighted for row in rows), NO_MONEY),
        sum(row.past_close for row in rows),
    )


def month_label(row: ForecastMonth) -> str:
    """A month row's name: `Dec 2026`, `Past close date`, `Later`, `No close date`."""
    if row.month is None:
        return _("No close date")
    if row.month == date.min:
        return _("Earlier (passed)")
    if row.month == date.max:
        return _("Later")
    return date_text(row.month, "%b %Y")


def months_table(months: list[ForecastMonth], day: date, shown: int) -> Table:
    """The weighted forecast month by month (see month_rows), with the total."""
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=False)
    table.add_column(_("Closes"), style="bold", no_wrap=True)
    table.add_column(_("Deals"), justify="right")
    table.add_column(_("Value"), justify="right")
    table.add_column(_("Weighted"), justify="right", style="bold")
    for row in month_rows(months, day, shown):
        flag = " ⚠" if row.past_close else ""
        table.add_row(
            Text(month_label(row) + flag, style="red" if row.past_close else ""),
            count_text(row.deals),
            total_text(row.value),
            total_text(row.weighted),
        )
    total_value = sum((row.value for row in months), NO_MONEY)
    total_weighted = sum((row.weighted for row in months), NO_MONEY)
    table.add_row(
        Text(_("All open"), style="bold"),
        count_text(sum(row.deals for row in months)),
        total_text(total_value),
        total_text(total_weighted),
        style="bold",
    )
    return table


def quarters_table(quarters: list[ForecastQuarter], day: date, shown: int) -> Table:
    """The weighted forecast by calendar quarter, from `day`'s quarter on (earlier ones are
    in the months' 'earlier' row)."""
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=False)
    table.add_column(_("Quarter"), style="bold", no_wrap=True)
    table.add_column(_("Value"), justify="right")
    table.add_column(_("Weighted"), justify="right", style="bold")
    start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    for quarter in [q for q in quarters if q.start >= start][:shown]:
        table.add_row(
            quarter.label,
            total_text(quarter.value),
            total_text(quarter.weighted),
        )
    return table
