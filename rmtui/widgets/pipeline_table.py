"""The pipeline as one grouped table: a heading row per stage with its totals, then its deals,
read block by block from the stages they fall in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text
from rmtui.core.db import session_scope
from rmtui.core.figures import amount_within, count_text, whole_percent_text
from rmtui.core.queries.opportunities import CLOSED_STAGES, OpportunityRow
from rmtui.core.queries.pipeline_stats import (
    StageSummary,
    deal_probability,
    stage_deals,
    weighted_value,
)
from rmtui.core.translation import N_, _, ngettext
from rmtui.core.wording import days_text
from rmtui.widgets.virtual_table import TableColumn, TableRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

MONEY_WIDTH = 12  # the value columns, in characters
PIPELINE_COLUMNS = (
    TableColumn("title", N_("Deal"), min_width=18, max_width=48),
    TableColumn("client", N_("Client"), min_width=18, max_width=30),
    TableColumn("product", N_("Product"), min_width=13, max_width=24, drop=2),
    TableColumn("value", N_("Value"), MONEY_WIDTH, "right"),
    TableColumn("weighted", N_("Weighted"), MONEY_WIDTH, "right", drop=1),
    TableColumn("status", N_("Status"), min_width=20, max_width=30, drop=3),
)
CLOSED_WINDOW_LABEL = N_("last 12 months")


@dataclass(frozen=True)
class Segment:
    """A stage's part of the table: its heading row at `start`, then `count` deals."""

    summary: StageSummary
    start: int

    @property
    def end(self) -> int:
        """The index just after the stage's last deal."""
        return self.start + 1 + self.summary.count


def stage_key(stage_index: int) -> int:
    """The row key of a stage's heading (deal keys are positive ids)."""
    return -(stage_index + 1)


@dataclass
class PipelineBoard:
    """The deals of every stage laid out as table rows, read block by block."""

    engine: Engine
    summaries: list[StageSummary]
    closed_since: date
    day: date
    segments: list[Segment] = field(init=False)
    # Every deal read so far, by id (the board holds thousands at most).
    deals: dict[int, OpportunityRow] = field(default_factory=dict)

    def __post_init__(self) -> None:
        start, self.segments = 0, []
        for summary in self.summaries:
            segment = Segment(summary, start)
            self.segments.append(segment)
            start = segment.end

    @property
    def total(self) -> int:
        """Rows in the table: a heading per stage and every listed deal."""
        return self.segments[-1].end if self.segments else 0

    def segment_of(self, stage: str) -> Segment:
        """The table part of `stage`."""
        return next(segment for segment in self.segments if segment.summary.stage == stage)

    def stage_at(self, index: int) -> str:
        """The stage the row at `index` belongs to."""
        for segment in self.segments:
            if index < segment.end:
                return segment.summary.stage
        return self.segments[-1].summary.stage

    def fetch(self, offset: int, limit: int) -> list[TableRow]:
        """Rows `offset` .. `offset + limit` (the table's block source)."""
        with session_scope(self.engine) as session:
            return self.read(session, offset, limit)

    def read(self, session: Session, offset: int, limit: int) -> list[TableRow]:
        """Rows `offset` .. `offset + limit`, read in `session`."""
        rows: list[TableRow] = []
        stop = offset + limit
        for index, segment in enumerate(self.segments):
            if segment.end <= offset or segment.start >= stop:
                continue
            if segment.start >= offset:
                rows.append(TableRow(stage_key(index), heading_cells(segment.summary)))
            rows += self._deal_rows(session, segment, max(offset, segment.start + 1), stop)
        return rows

    def _deal_rows(
        self, session: Session, segment: Segment, first: int, stop: int
    ) -> list[TableRow]:
        last = min(stop, segment.end)
        if first >= last:
            return []
        deals = stage_deals(
            session=session,
            stage=segment.summary.stage,
            closed_since=self.closed_since,
            limit=last - first,
            offset=first - segment.start - 1,
        )
        self.deals.update((deal.id, deal) for deal in deals)
        return [TableRow(deal.id, deal_cells(deal, self.day)) for deal in deals]


def heading_cells(summary: StageSummary) -> tuple[Text | str, ...]:
    """A stage's heading row: name and probability, count, value, weighted value."""
    note = ""
    if summary.stage in CLOSED_STAGES:
        older = _("12 months, +{count} older").format(count=count_text(summary.older))
        note = older if summary.older else _(CLOSED_WINDOW_LABEL)
    return (
        Text.styled(f"▌{stage_title(summary.stage)} · {probability_text(summary.stage)}", "bold"),
        Text.styled(deals_text(summary.count), "bold"),
        "",
        Text.styled(amount_within(summary.value, MONEY_WIDTH, total=True), "bold"),
        Text.styled(amount_within(summary.weighted, MONEY_WIDTH, total=True), "bold"),
        Text.styled(note, "dim"),
    )


def deal_cells(deal: OpportunityRow, day: date) -> tuple[Text | str, ...]:
    """One deal's row: title, client, product, value, weighted value, where it stands.

    Only text attributes (bold, dim, italic) mark a cell: the table's row colours paint over
    a cell's own colours on every other row.
    """
    weighted = weighted_value(deal.value, deal.stage, deal.probability)
    return (
        f"  {deal.title}",
        deal.client_name,
        deal.product or "",
        amount_within(deal.value, MONEY_WIDTH),
        Text.styled(amount_within(weighted, MONEY_WIDTH, total=True), "dim"),
        status_text(deal, day),
    )


def status_text(deal: OpportunityRow, day: date) -> Text:
    """Where a deal stands: days open, or when it was won or lost (and why)."""
    if deal.stage == "won" and deal.closed_on:
        return Text.styled("✓ " + _("won {day}").format(day=date_text(deal.closed_on)), "bold")
    if deal.stage == "lost":
        when = date_text(deal.closed_on) if deal.closed_on else ""
        reason = f": {deal.lost_reason}" if deal.lost_reason else ""
        return Text.styled("✗ " + _("lost {day}").format(day=when) + reason, "italic")
    opened = _("open {days}").format(days=days_text((day - deal.opened_on).days))
    close_on = deal.expected_close_on
    if deal.is_past_close(day) and close_on is not None:
        passed = _("close {day} passed").format(day=date_text(close_on, "%d %b"))
        return Text.styled(f"⚠ {passed} · {opened}", "bold")
    if close_on is not None:
        closes = _("closes {day}").format(day=date_text(close_on))
        return Text.styled(f"{opened} · {closes}", "dim")
    return Text.styled(opened, "dim")


# Stage names shortened for a box too narrow for the whole name (six stages at 80 columns).
SHORT_STAGE_TITLES = {
    "qualified": N_("Qual."),
    "proposal": N_("Prop."),
    "negotiation": N_("Negot."),
    "won": N_("Won"),
    "lost": N_("Lost"),
}
# The cells of a box's top border besides its title: corners, and a space either side.
TITLE_FRAME = 6


def stage_title(stage: str, width: int | None = None) -> str:
    """A stage's name as a title; shortened when it would not fit a box `width` cells wide."""
    title = choice_text(stage).capitalize()
    if width is None or len(title) + TITLE_FRAME <= width:
        return title
    return _(SHORT_STAGE_TITLES[stage]) if stage in SHORT_STAGE_TITLES else title


def deals_text(count: int) -> str:
    """`3 deals` in the language of the text."""
    return ngettext("{count} deal", "{count} deals", count).format(count=count_text(count))


def probability_text(stage: str, probability: int | None = None) -> str:
    """A deal's chance of being won as a percentage: its own `probability`, else its stage's."""
    return whole_percent_text(deal_probability(stage, probability) * 100)
