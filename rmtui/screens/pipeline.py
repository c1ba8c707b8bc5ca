"""The pipeline: deals by stage with counts, values and weighted values, the win rate and the
average deal; add and edit deals, move them a stage on or back, mark them lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from rmtui.core.changes import change_mark
from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text
from rmtui.core.db import session_scope
from rmtui.core.figures import amount_text, count_text, total_text, totals_within
from rmtui.core.kpi import kpi_display
from rmtui.core.models import STAGES
from rmtui.core.queries.opportunities import CLOSED_STAGES, OpportunityRow
from rmtui.core.queries.pipeline_stats import (
    StageSummary,
    WinStats,
    deal_position,
    stage_summaries,
    win_stats,
)
from rmtui.core.translation import N_, _, ngettext
from rmtui.core.wording import ago_text
from rmtui.screens.client.opening import open_client
from rmtui.screens.client_picker import ClientPicker, PickedClient
from rmtui.screens.flows import clients as actions
from rmtui.screens.flows.deals import (
    can_lose,
    can_move,
    deal_for_form,
    lose_deal,
    move_deal,
    save_deal,
)
from rmtui.screens.undo import delete_question
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.pipeline_table import (
    PIPELINE_COLUMNS,
    PipelineBoard,
    deals_text,
    probability_text,
    stage_title,
)
from rmtui.widgets.virtual_table import BLOCK_SIZE, TableRow, VirtualTable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Won and lost deals are listed when closed within this many days.
CLOSED_WINDOW_DAYS = 365
NO_MONEY = Decimal("0.00")


@dataclass(frozen=True)
class LoadedBoard:
    """What the worker read: the board, its first rows, the win figures, the cursor's row."""

    board: PipelineBoard
    first_block: list[TableRow]
    stats: WinStats
    cursor: int | None


class PipelineScreen(Screen[None]):
    """Deals by stage, lead → qualified → proposal → negotiation → won / lost."""

    SCREEN_NAME = N_("Pipeline")
    CSS_PATH = "pipeline.tcss"
    _keys_for: str | None = None  # the stage of the deal the keys were last refreshed for
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_client", N_("Open client")),
        Binding("a", "add", N_("Add")),
        Binding("e", "edit", N_("Edit")),
        Binding("right_square_bracket", "move(True)", N_("Stage on"), key_display="]"),
        Binding("greater_than_sign", "move(True)", N_("Stage on"), key_display=">", show=False),
        Binding("left_square_bracket", "move(False)", N_("Stage back"), key_display="["),
        Binding("less_than_sign", "move(False)", N_("Stage back"), key_display="<", show=False),
        Binding("x", "lose", N_("Lost…")),
        Binding("D,delete", "delete", N_("Delete…"), key_display="D", show=False),
        Binding("y", "toggle_period", N_("Year / all time")),
        Binding("F", "forecast", N_("Forecast")),
        Binding("l", "log", N_("Log"), show=False),
        Binding("right", "jump_stage(1)", N_("Next stage"), show=False),
        Binding("left", "jump_stage(-1)", N_("Previous stage"), show=False),
        Binding("ctrl+r", "reload", N_("Refresh"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.board: PipelineBoard | None = None
        self.all_time = False
        self.generation = 0
        # The deal the cursor goes to when the board being read arrives (kept across reloads).
        self.wanted: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stage-boxes"):
            for stage in STAGES:
                box = StageBox(stage, id=f"box-{stage}", classes=f"stage-box -{stage}")
                box.border_subtitle = probability_text(stage)
                yield box
        yield Static("Loading the pipeline…", id="pipeline-stats")
        yield VirtualTable(PIPELINE_COLUMNS, id="pipeline-table")
        yield Static("", id="deal-detail")
        yield KeyBar()

    @property
    def table(self) -> VirtualTable:
        """The grouped table of deals."""
        return self.query_one("#pipeline-table", VirtualTable)

    @property
    def day(self) -> date:
        """The day the app works with."""
        return actions.rm_app(self).today

    def on_mount(self) -> None:
        self.table.focus()
        self.load_board()

    def on_screen_resume(self) -> None:
        if self.board is not None:
            self.load_board()

    # -- reading the board ---------------------------------------------------------------------

    def load_board(self, *, focus: int | None = None) -> None:
        """Read the board in a worker; the cursor goes to `focus` (a deal id), else stays."""
        self.generation += 1
        if focus is not None:
            self.wanted = focus
        keep = self.wanted if self.wanted is not None else self.table.current_key
        self._read_board(keep, self.table.cursor, self.all_time, self.generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pipeline")
    def _read_board(self, keep: int | None, fallback: int, all_time: bool, generation: int) -> None:
        engine, day = actions.engine_of(self), self.day
        with session_scope(engine) as session:
            mark = change_mark(session.connection())
            loaded = read_board(session, engine, day, keep=keep, all_time=all_time)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_board, loaded, fallback, generation)
            self.app.call_from_thread(setattr, self, "seen_mark", mark)

    def _show_board(self, loaded: LoadedBoard, fallback: int, generation: int) -> None:
        if generation != self.generation:
            return
        first_time = self.board is None
        self.board = board = loaded.board
        self.wanted = None
        table = self.table
        table.show(board.total, board.fetch, first_block=loaded.first_block)
        if loaded.cursor is not None:
            cursor = loaded.cursor
        else:
            cursor = first_deal_row(board) if first_time else fallback
        table.cursor = max(0, min(cursor, board.total - 1))
        shown = boxed_amounts(board.summaries)
        for summary in board.summaries:
            box = self.query_one(f"#box-{summary.stage}", StageBox)
            box.shown_together = shown
            box.summary = summary
        stats = self.query_one("#pipeline-stats", Static)
        stats.update(stats_text(board.summaries, loaded.stats, self.all_time, self.day))
        self._show_selection()

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        self._show_selection()

    def _show_selection(self) -> None:
        """Mark the stage under the cursor and describe the deal under it."""
        selected = self.selected_deal()
        keys_for = selected.stage if selected else ""
        if keys_for != self._keys_for:  # the keys change only with the stage of the row
            self._keys_for = keys_for
            self.refresh_bindings()
        board = self.board
        if board is None or not board.total:
            return
        stage = board.stage_at(self.table.cursor)
        for box in self.query(".stage-box").results(StageBox):
            box.set_class(box.id == f"box-{stage}", "-current")
        deal = self.selected_deal()
        detail = (
            deal_detail(deal, self.day) if deal else stage_help(board.segment_of(stage).summary)
        )
        self.query_one("#deal-detail", Static).update(detail)

    def selected_deal(self) -> OpportunityRow | None:
        """The deal under the cursor (None on a stage heading)."""
        key = self.table.current_key
        if self.board is None or key is None or key < 0:
            return None
        return self.board.deals.get(key)

    def action_reload(self) -> None:
        self.load_board()

    def action_forecast(self) -> None:
        """The weighted forecast by expected close month, with the open deals to filter."""
        from rmtui.screens.forecast import ForecastScreen

        self.app.push_screen(ForecastScreen(self.day))

    def action_toggle_period(self) -> None:
        self.all_time = not self.all_time
        self.load_board()

    def action_jump_stage(self, step: int) -> None:
        board = self.board
        if board is None or not board.total:
            return
        index = STAGES.index(board.stage_at(self.table.cursor))
        segment = board.segments[(index + step) % len(STAGES)]
        has_deals = segment.summary.count > 0
        self.table.cursor = segment.start + 1 if has_deals else segment.start

    # -- moving deals --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_client", "edit", "move", "lose", "log", "delete"):
            deal = self.selected_deal()
            if deal is None:
                return None  # on a stage heading
            if action == "move" and not can_move(deal.stage, forward=bool(parameters[0])):
                return None  # won or lost goes no further, a lead no further back
            if action == "lose" and not can_lose(deal.stage):
                return None
        return True

    def _chosen_deal(self) -> OpportunityRow | None:
        deal = self.selected_deal()
        if deal is None:
            self.notify(_("Choose a deal first (the cursor is on a stage heading)."))
        return deal

    def action_move(self, forward: bool) -> None:
        deal = self._chosen_deal()
        if deal is not None:
            self._move(deal, forward=forward, lost_reason=None)

    def action_lose(self) -> None:
        deal = self._chosen_deal()
        if deal is not None:
            lose_deal(self, deal.id, on_saved=lambda _before: self.load_board(focus=deal.id))

    def _move(self, deal: OpportunityRow, *, forward: bool, lost_reason: str | None) -> None:
        move_deal(
            self,
            deal.id,
            forward=forward,
            lost_reason=lost_reason,
            on_saved=lambda _before: self.load_board(focus=deal.id),
        )

    def action_delete(self) -> None:
        deal = self._chosen_deal()
        if deal is not None:
            question = delete_question(_("the deal “{title}”").format(title=deal.title))
            actions.delete_asking(self, "deal", deal.id, question, on_deleted=self.load_board)

    def book_changed(self, focus: int | None = None) -> None:
        """Read the board again (another window or program changed the book, or an undo did)."""
        self.load_board(focus=focus)

    # -- adding and editing deals --------------------------------------------------------------

    def action_add(self) -> None:
        deal = self.selected_deal()
        suggested = PickedClient(deal.client_id, deal.client_name) if deal else None
        board = self.board
        stage = board.stage_at(self.table.cursor) if board and board.total else "lead"
        initial = {"stage": stage if stage not in CLOSED_STAGES else "lead"}

        def picked(client: PickedClient | None) -> None:
            if client is not None:
                self._ask_deal(None, client, initial)

        self.app.push_screen(
            ClientPicker(_("New deal for which client?"), suggested=suggested), picked
        )

    def action_edit(self) -> None:
        deal = self._chosen_deal()
        if deal is None:
            return
        found = actions.saved(self, lambda session: deal_for_form(session, deal.id))
        if found is not None:
            client, typed = found
            self._ask_deal(deal.id, client, typed)

    def _ask_deal(
        self, opportunity_id: int | None, client: PickedClient, typed: dict[str, Any]
    ) -> None:
        from rmtui.screens.forms.opportunity import OpportunityForm

        form = OpportunityForm(client=client, day=self.day, initial=typed)
        if opportunity_id is None:
            form.FORM_TITLE = _("New deal")

        def save(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            saved_id = self._save_deal(opportunity_id, values)
            if saved_id is None:
                again = PickedClient(values["client_id"], form.client.name)
                self._ask_deal(opportunity_id, again, actions.as_typed(values))
            else:
                done = _("Added “{title}”.") if opportunity_id is None else _("Saved “{title}”.")
                self.notify(done.format(title=values["title"]), markup=False)
                self.load_board(focus=saved_id)

        self.app.push_screen(form, save)

    def _save_deal(self, opportunity_id: int | None, values: dict[str, Any]) -> int | None:
        day = self.day
        return actions.saved(self, lambda session: save_deal(session, opportunity_id, values, day))

    def action_open_client(self) -> None:
        deal = self._chosen_deal()
        if deal is not None:
            open_client(self, deal.client_id)

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        if event.key > 0:
            self.action_open_client()

    def action_log(self) -> None:
        deal = self._chosen_deal()
        if deal is not None:
            actions.log_for_client(self, deal.client_id)


def first_deal_row(board: PipelineBoard) -> int:
    """The row of the first deal on the board (0 when there is none)."""
    for segment in board.segments:
        if segment.summary.count:
            return segment.start + 1
    return 0


def read_board(
    session: Session, engine: Any, day: date, *, keep: int | None, all_time: bool
) -> LoadedBoard:
    """The board as of `day`, its first rows, the win figures and the row of `keep`."""
    closed_since = day - timedelta(days=CLOSED_WINDOW_DAYS)
    summaries = stage_summaries(session=session, closed_since=closed_since)
    board = PipelineBoard(engine, summaries, closed_since, day)
    first_block = board.read(session, 0, BLOCK_SIZE)
    stats = win_stats(session=session, start=None if all_time else date(day.year, 1, 1), end=day)
    return LoadedBoard(board, first_block, stats, _row_of(session, board, keep))


def _row_of(session: Session, board: PipelineBoard, key: int | None) -> int | None:
    """The table row of a deal id or stage heading key, or None when it is not listed."""
    if key is None:
        return None
    if key < 0:
        return board.segments[-key - 1].start if -key <= len(board.segments) else None
    position = deal_position(session=session, opportunity_id=key, closed_since=board.closed_since)
    if position is None:
        return None
    return board.segment_of(_stage_of(session, key)).start + 1 + position


def _stage_of(session: Session, opportunity_id: int) -> str:
    from rmtui.core.models import Opportunity
    from rmtui.core.queries.common import fetch

    return fetch(session, Opportunity, opportunity_id).stage


class StageBox(Widget):
    """A stage's box, its figures written to fit its width (never wrapped)."""

    summary: reactive[StageSummary | None] = reactive(None)
    shown_together: tuple[Decimal, ...] = ()  # every amount of every box, to share one form

    def __init__(self, stage: str, *, id: str, classes: str) -> None:
        super().__init__(id=id, classes=classes)
        self.stage = stage
        self.border_title = stage_title(stage)

    def on_resize(self, event: events.Resize) -> None:
        """Name the stage in full when the box is wide enough, else shortened."""
        self.border_title = stage_title(self.stage, event.size.width)

    def render(self) -> Text:
        if self.summary is None:
            return Text()
        return box_text(self.summary, self.content_size.width, self.shown_together)


def boxed_amounts(summaries: list[StageSummary]) -> tuple[Decimal, ...]:
    """The amounts the stage boxes show: every stage's value, an open stage's weighted value."""
    values = tuple(summary.value for summary in summaries)
    return values + tuple(s.weighted for s in summaries if s.stage not in CLOSED_STAGES)


def box_text(summary: StageSummary, width: int, shown_together: tuple[Decimal, ...] = ()) -> Text:
    """A stage's box `width` cells wide: how many deals, their value, and weighted value or
    older deals. The amounts are in whole units, or compact (15.5M) in every box when one
    of `shown_together` would not fit; never wrapped."""
    text = Text(no_wrap=True, overflow="ellipsis")
    value, weighted = totals_within((summary.value, summary.weighted, *shown_together), width - 2)[
        :2
    ]
    text.append(f"{deals_text(summary.count)}\n", style="bold")
    text.append(f"{value}\n")
    if summary.stage in CLOSED_STAGES:
        older = _("+{count} older").format(count=count_text(summary.older))
        text.append(older if summary.older else _("12 months"), style="dim")
    else:
        text.append(f"≈ {weighted}", style="dim")
    return text


def stats_text(summaries: list[StageSummary], stats: WinStats, all_time: bool, day: date) -> Text:
    """The lines above the table: the open pipeline, then the win rate and average deal."""
    open_stages = [summary for summary in summaries if summary.stage not in CLOSED_STAGES]
    count = sum(summary.count for summary in open_stages)
    value = sum((summary.value for summary in open_stages), start=NO_MONEY)
    weighted = sum((summary.weighted for summary in open_stages), start=NO_MONEY)
    text = Text()
    text.append(_("Open pipeline") + " ", style="bold")
    text.append(
        _("{deals} · value {value} · weighted {weighted}").format(
            deals=deals_text(count), value=total_text(value), weighted=total_text(weighted)
        )
    )
    text.append("  " + _("(weighted = value × its probability · F forecast)") + "\n", style="dim")
    year = _("{year} to date").format(year=day.year)
    period = _("All time") if all_time else year
    text.append(f"{period} ", style="bold")
    rate = kpi_display("pipeline_conversion", stats.win_rate)
    text.append(
        _("win rate {rate} ({won} won, {lost} lost)").format(
            rate=rate, won=count_text(stats.won), lost=count_text(stats.lost)
        )
    )
    text.append(
        " · " + _("average won deal {amount}").format(amount=total_text(stats.average_deal))
    )
    other = year if all_time else _("all time")
    text.append(f"  (y: {other})", style="dim")
    return text


def deal_detail(deal: OpportunityRow, day: date) -> Text:
    """The line below the table about the deal under the cursor."""
    text = Text()
    text.append(deal.title, style="bold")
    text.append(f" — {deal.client_name}")
    if deal.product:
        text.append(f" · {deal.product}")
    text.append(f" · {amount_text(deal.value)}")
    text.append(" · " + _("opened {day}").format(day=date_text(deal.opened_on)), style="dim")
    if deal.stage not in CLOSED_STAGES:
        text.append(f" ({ago_text((day - deal.opened_on).days)})", style="dim")
        likely = _("{stage}, {chance} likely").format(
            stage=choice_text(deal.stage), chance=probability_text(deal.stage, deal.probability)
        )
        text.append(f" · {likely}")
        if deal.expected_close_on is not None:
            late = " " + _("(passed)") if deal.is_past_close(day) else ""
            closes = _("closes {day}").format(day=date_text(deal.expected_close_on))
            text.append(f" · {closes}{late}")
    elif deal.closed_on:
        text.append(f" · {choice_text(deal.stage)} {date_text(deal.closed_on)}")
    if deal.lost_reason:
        text.append(f": {deal.lost_reason}")
    return text


# What a closed stage lists, as the line below the table says it.
CLOSED_HELP = {
    "won": N_("deals won in the last 12 months, the latest first"),
    "lost": N_("deals lost in the last 12 months, the latest first"),
}


def stage_help(summary: StageSummary) -> Text:
    """The line below the table on a stage heading."""
    text = Text(f"{stage_title(summary.stage)}: ", style="bold")
    if summary.stage in CLOSED_STAGES:
        text.append(_(CLOSED_HELP[summary.stage]))
        if summary.older:
            text.append(
                "; "
                + ngettext(
                    "{count} closed earlier is not listed",
                    "{count} closed earlier are not listed",
                    summary.older,
                ).format(count=count_text(summary.older))
            )
    else:
        text.append(_("the biggest deals first · ] moves a deal on, [ back, x marks it lost"))
    return text
