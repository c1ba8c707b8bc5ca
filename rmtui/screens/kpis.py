"""The KPI dashboard: every KPI of a month, quarter or year against the period before and its
target, with 12-period trends of the main ones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from dateutil.relativedelta import relativedelta
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from rmtui.core.changes import change_mark
from rmtui.core.dates import DATE_FORMAT, date_text
from rmtui.core.db import session_scope
from rmtui.core.db_api import of_session
from rmtui.core.errors import BookError, ChangedMeanwhile
from rmtui.core.kpi import KPI_INFO, KPI_KEYS, kpi_display, targets_for
from rmtui.core.kpi_board import (
    TREND_KEYS,
    KpiLine,
    figures_stamp,
    kpi_lines,
    pending_lines,
    sample_note,
    short_display,
    status_sentence,
    target_display,
)
from rmtui.core.periods import (
    EN_DASH,
    MONTHS_PER_UNIT,
    Period,
    compared_period,
    in_progress,
    next_unit,
    period_containing,
    share_gone,
    so_far,
    trend_periods,
)
from rmtui.core.queries.targets import clear_target, set_target
from rmtui.core.queries.trash import restore_all
from rmtui.screens.book_access import BookApp, rm_app, seen_by
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.forms.target import TargetForm
from rmtui.screens.undo import remember

if TYPE_CHECKING:
    from sqlmodel import Session

    from rmtui.core.kpi import KpiCache
from rmtui.core.translation import N_, _
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.kpi_table import KpiTable
from rmtui.widgets.trend_chart import TrendChart

Figures = dict[str, Any]
TREND_COUNT = 12
FIGURES_GROUP = "kpi-figures"
# The units a period is stepped by, as the period bar names them.
UNIT_WORDS = {"month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}


def period_dates(period: Period) -> str:
    """A period's first and last day in the language of the text, the year once when both
    days have it: `01 Oct – 31 Dec 2026` (nl `01 okt – 31 dec 2026`)."""
    same_year = period.start.year == period.end.year
    start = date_text(period.start, "%d %b" if same_year else DATE_FORMAT)
    return f"{start} {EN_DASH} {date_text(period.end)}"


class KpiScreen(Screen[None]):
    """Every KPI for a month, quarter or year; opens on the quarter holding today."""

    SCREEN_NAME = N_("KPI dashboard")
    CSS_PATH = "kpis.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "cycle_unit", N_("Month/quarter/year"), id="kpi-unit"),
        Binding("left_square_bracket", "step(-1)", N_("Earlier"), key_display="[", id="kpi-back"),
        Binding("right_square_bracket", "step(1)", N_("Later"), key_display="]", id="kpi-forward"),
        Binding("i", "info", N_("About KPI"), id="kpi-info"),
        Binding("t", "edit_target", N_("Target"), id="kpi-target"),
        Binding(
            "x,delete", "remove_target", N_("Remove target"), key_display="x", id="kpi-untarget"
        ),
    ]

    class FiguresReady(Message):
        """The KPIs of `period` and of the same number of days before it are computed."""

        def __init__(self, period: Period, figures: Figures, previous: Figures) -> None:
            super().__init__()
            self.period = period
            self.figures = figures
            self.previous = previous

    class TrendsReady(Message):
        """Each KPI of TREND_KEYS for each of the trend periods of the dashboard's `period`."""

        def __init__(self, period: Period, trends: dict[str, list[Any]]) -> None:
            super().__init__()
            self.period = period
            self.trends = trends

    def __init__(self) -> None:
        super().__init__()
        self.unit = "quarter"
        # A day in the period shown: `p` keeps it, `[` and `]` move it by whole periods.
        self.day: date | None = None
        self.figures: tuple[Figures, Figures] | None = None
        self.targets: dict[str, Decimal] = {}
        self.stamp = -1
        self._keys_for: tuple[bool, bool] | None = None  # (on a KPI, it has a target)

    @property
    def book(self) -> BookApp:
        """The app, with its engine and today."""
        return rm_app(self)

    @property
    def period(self) -> Period:
        """The period shown."""
        return period_containing(self.day or self.book.today, self.unit)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="period-bar"):
            yield Static(id="period-label", markup=False)
            yield Static(id="period-dates", markup=False)
            yield Static(id="period-status", markup=False)
        yield KpiTable(KPI_KEYS, id="kpi-table")
        with Vertical(id="kpi-about"):
            yield Static(id="kpi-definition", markup=False)
            yield Static(id="kpi-warning", markup=False)
        with Grid(id="trends"):
            for key in TREND_KEYS:
                yield TrendChart(
                    KPI_INFO[key].label,
                    partial(kpi_display, key),
                    short_value=partial(short_display, key),
                    id=f"trend-{key}",
                )
        yield KeyBar()

    def on_mount(self) -> None:
        self.day = self.book.today
        self.watch(self.app, "theme", self._restyle, init=False)
        self.query_one(KpiTable).focus()

    def book_changed(self, focus: int | None = None) -> None:
        """Another window or program changed the book, or an undo did: compute afresh if the
        figures moved, and read the targets again."""
        self.on_screen_resume()
        self._targets_changed(self.period)

    def on_screen_resume(self) -> None:
        """Compute afresh when the book changed since the figures were computed."""
        stamp = self._read_stamp()
        if stamp != self.stamp:
            self.stamp = stamp
            self.show_period()

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("info", "edit_target", "remove_target"):
            key = self.query_one(KpiTable).current_key
            if key is None or (action == "remove_target" and key not in self.targets):
                return None  # shown dimmed: no KPI, or no target to remove
        return True

    def action_cycle_unit(self) -> None:
        """Month → quarter → year → month, around the same day."""
        self.unit = next_unit(self.unit)
        self.show_period()

    def action_step(self, count: int) -> None:
        """Go `count` periods later (or earlier when negative)."""
        months = count * MONTHS_PER_UNIT[self.unit]
        self.day = (self.day or self.book.today) + relativedelta(months=months)
        self.show_period()

    def action_info(self) -> None:
        """Explain the highlighted KPI."""
        table = self.query_one(KpiTable)
        key = table.current_key
        if key is None:
            return
        period = self.period
        info = KpiInfoScreen(
            key=key,
            line=table.lines.get(key),
            period=so_far(period, self.book.today),
            before=self.compared(period),
            label=self.period_label(period),
        )
        self.app.push_screen(info)

    def compared(self, period: Period) -> Period:
        """The period `period` is compared with (to date for one in progress)."""
        return compared_period(period, self.book.today)

    def period_label(self, period: Period) -> str:
        """The period's name, "to date" while it is in progress."""
        if in_progress(period, self.book.today):
            return _("{period} to date").format(period=period.label)
        return period.label

    def action_edit_target(self) -> None:
        """Set or change the highlighted KPI's target for the period shown."""
        key = self.query_one(KpiTable).current_key
        if key is None:
            return
        period = self.period
        form = TargetForm(key=key, period=period, target=self.targets.get(key))
        self.app.push_screen(form, partial(self._save_target, key, period))

    def action_remove_target(self) -> None:
        """Remove the highlighted KPI's target for the period shown, after asking."""
        key = self.query_one(KpiTable).current_key
        if key is None:
            return
        period, label = self.period, KPI_INFO[key].label
        if key not in self.targets:
            self.notify(
                _("{kpi} has no target for {period}.").format(kpi=label, period=period.label)
            )
            return
        shown = target_display(key, self.targets[key])
        question = _("Remove the target of {target} for {kpi} in {period}?").format(
            target=shown, kpi=label, period=period.label
        )
        confirm = ConfirmScreen(question, yes=_("Remove"), no=_("Keep"))
        self.app.push_screen(confirm, partial(self._remove_target, key, period))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_info()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_about()

    # Showing a period

    def show_period(self) -> None:
        """Show the period: its targets at once, its figures and trends as they are computed."""
        period = self.period
        self.figures = None
        self.targets = self._read_targets(period)
        self._show_bar(_("computing…"))
        self._show_table()
        for chart in self.query(TrendChart).results(TrendChart):
            chart.show_computing(TREND_COUNT, unit=self.unit)
        self.compute_figures(period, self.unit, self.book.kpi_cache)

    @work(thread=True, exclusive=True, group=FIGURES_GROUP, exit_on_error=False)
    def compute_figures(self, period: Period, unit: str, cache: KpiCache) -> None:
        """Read the KPIs of `period` and of the days before it, then the trend of each chart
        over the last TREND_COUNT `unit`s up to `period` (a query a chart), as known to the
        window's `cache` or else from the book, all in one session."""
        worker = get_current_worker()
        today, before = self.book.today, self.compared(period)
        points = trend_periods(period, unit, TREND_COUNT)
        with session_scope(self.book.engine) as session:
            stamp = figures_stamp(session=session)
            connection = of_session(session)
            owner = self.book.learn_whose(connection)
            figures = cache.kpis(connection, stamp, period, today, owner)
            previous = cache.kpis(connection, stamp, before, today, owner)
            if worker.is_cancelled:
                return
            self.post_message(self.FiguresReady(period, figures, previous))
            trends = {
                key: cache.trend(connection, stamp, key, points, today, owner) for key in TREND_KEYS
            }
            if not worker.is_cancelled:
                self.post_message(self.TrendsReady(period, trends))

    def on_kpi_screen_figures_ready(self, message: KpiScreen.FiguresReady) -> None:
        if message.period != self.period:
            return
        self.figures = (message.figures, message.previous)
        self._show_bar("")
        self._show_table()

    def on_kpi_screen_trends_ready(self, message: KpiScreen.TrendsReady) -> None:
        if message.period != self.period:
            return
        labels = [point.label for point in trend_periods(self.period, self.unit, TREND_COUNT)]
        for key, values in message.trends.items():
            chart = self.query_one(f"#trend-{key}", TrendChart)
            chart.show_trend(labels, values, unit=self.unit)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.group == FIGURES_GROUP:
            self._show_bar(_("the figures could not be computed"))

    def _show_bar(self, status: str) -> None:
        period = self.period
        shown, before = so_far(period, self.book.today), self.compared(period)
        self.query_one("#period-label", Static).update(self.period_label(period))
        dates = _("{dates} · {unit} · compared with {before}").format(
            dates=period_dates(shown), unit=_(UNIT_WORDS[self.unit]), before=period_dates(before)
        )
        self.query_one("#period-dates", Static).update(dates)
        self.query_one("#period-status", Static).update(status)

    def _show_table(self) -> None:
        table = self.query_one(KpiTable)
        if self.figures is None:
            table.show_lines(pending_lines(self.targets))
        else:
            figures, previous = self.figures
            gone = share_gone(self.period, self.book.today)
            table.show_lines(kpi_lines(figures, previous, self.targets, gone=gone))
        self._show_about()

    def _show_about(self) -> None:
        table = self.query_one(KpiTable)
        key = table.current_key
        keys_for = (key is not None, key in self.targets)
        if keys_for != self._keys_for:  # the keys change only then
            self._keys_for = keys_for
            self.refresh_bindings()
        if key is None:
            return
        info = KPI_INFO[key]
        self.query_one("#kpi-definition", Static).update(f"{info.label}: {info.definition}")
        line = table.lines.get(key)
        warning = ""
        if line and line.warning:
            warning = f"⚠ {sample_note(line.warning, subject=info.label)}"
        self.query_one("#kpi-warning", Static).update(warning)

    def _restyle(self) -> None:
        self.query_one(KpiTable).restyle()

    # Reading and writing the book

    def _read_stamp(self) -> int:
        with session_scope(self.book.engine) as session:
            return figures_stamp(session=session)

    def _read_targets(self, period: Period) -> dict[str, Decimal]:
        with session_scope(self.book.engine) as session:
            self.seen_mark = change_mark(session.connection())
            return targets_for(session=session, start=period.start, end=period.end)

    @contextmanager
    def _changing_targets(self) -> Iterator[Session]:
        """A session that refuses to change a target someone else changed since it was shown."""
        seen = seen_by(self)
        with session_scope(self.book.engine, seen=seen) as session:
            yield session
        if seen is not None:
            self.book.own_changes.update(seen.written)

    def _save_target(self, key: str, period: Period, target: Decimal | None) -> None:
        if target is None:
            return
        try:
            with self._changing_targets() as session:
                set_target(
                    session=session,
                    metric=key,
                    period_start=period.start,
                    period_end=period.end,
                    target=target,
                )
        except BookError as error:
            self._refused(error, period)
            return
        shown = target_display(key, target)
        self.notify(
            _("Target for {kpi} in {period}: {target}.").format(
                kpi=KPI_INFO[key].label, period=period.label, target=shown
            )
        )
        self._targets_changed(period)

    def _remove_target(self, key: str, period: Period, confirmed: bool | None) -> None:
        if not confirmed:
            return
        try:
            with self._changing_targets() as session:
                entries = clear_target(
                    session=session, metric=key, period_start=period.start, period_end=period.end
                )
        except BookError as error:
            self._refused(error, period)
            return
        remember(
            self,
            _("removed the target for {kpi} in {period}").format(
                kpi=KPI_INFO[key].label, period=period.label
            ),
            partial(restore_all, [entry.id for entry in entries]),
        )
        self._targets_changed(period)

    def _refused(self, error: BookError, period: Period) -> None:
        self.notify(rm_app(self).error_text(error), severity="error", markup=False)
        if isinstance(error, ChangedMeanwhile):
            self._targets_changed(period)

    def _targets_changed(self, period: Period) -> None:
        if period == self.period:
            self.targets = self._read_targets(period)
            self._show_table()


class KpiInfoScreen(ModalScreen[None]):
    """What a KPI means, its figures for the period and how it stands against its target."""

    CSS_PATH = "kpis.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,i,enter,q", "dismiss", N_("Close"), key_display="esc"),
    ]

    def __init__(
        self, *, key: str, line: KpiLine | None, period: Period, before: Period, label: str
    ) -> None:
        super().__init__()
        self.key = key
        self.line = line
        self.period = period
        self.before = before
        self.label = label

    def compose(self) -> ComposeResult:
        info = KPI_INFO[self.key]
        direction = _("Higher is better.") if info.higher_is_better else _("Lower is better.")
        with Vertical(id="kpi-info-box"):
            yield Static(info.label, id="kpi-info-title", markup=False)
            yield Static(info.definition, id="kpi-info-definition", markup=False)
            yield Static(direction, classes="kpi-info-muted")
            yield Static(self._figures(), id="kpi-info-figures", markup=False)
            if self.line and self.line.warning:
                note = f"⚠ {sample_note(self.line.warning)}"
                yield Static(note, id="kpi-info-warning", markup=False)
            yield Static(_("Press escape to close."), classes="kpi-info-muted")

    def _figures(self) -> str:
        line = self.line
        if line is None:
            return _("{kpi}: the figures are still being computed.").format(kpi=self.label)
        rows = [
            f"{self.label} ({period_dates(self.period)}): {line.value}",
            _("Before ({dates}): {value}").format(
                dates=period_dates(self.before), value=line.previous
            ),
            _("Change: {change}").format(change=line.change),
            self._target_row(line),
        ]
        return "\n".join(rows)

    def _target_row(self, line: KpiLine) -> str:
        if not line.target:
            return _("Target: none set for this period (press t on the dashboard to set one).")
        status = status_sentence(self.key, line.status)
        if line.expected:
            return _("Target: {target}; expected by today {expected} — {status}").format(
                target=line.target, expected=line.expected, status=status
            )
        return _("Target: {target} — {status}").format(target=line.target, status=status)
