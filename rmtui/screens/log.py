"""The interaction log: every interaction, newest first, filtered by client, kind, dates and
text; open the client, log a new interaction, correct one."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import ClassVar

from dateutil.relativedelta import relativedelta
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Header, Input, Select, Static
from textual.worker import get_current_worker

from rmtui.core.changes import change_mark
from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text
from rmtui.core.db import session_scope
from rmtui.core.figures import count_text
from rmtui.core.models import INTERACTION_KINDS
from rmtui.core.parsers import FieldError, parse_optional_date
from rmtui.core.queries.interaction_log import LogFilter, QueryStopped, log_query
from rmtui.core.queries.interactions import InteractionRow
from rmtui.core.translation import N_, _, ngettext, pgettext
from rmtui.core.wording import records_text
from rmtui.screens.client.opening import open_client
from rmtui.screens.client_picker import ClientPicker, PickedClient
from rmtui.screens.flows import clients as actions
from rmtui.screens.list_screen import ListScreen, titled
from rmtui.screens.undo import delete_question
from rmtui.widgets.hinted_input import HintedInput
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.log_table import LOG_COLUMNS, LogPages
from rmtui.widgets.virtual_table import TableRow, VirtualTable

# Typing in a filter waits this long for the next key before the log is read again.
TYPING_PAUSE_S = 0.15
# `-30d`, `3m ago`, `2 weeks ago`; in Dutch `3m geleden`, `2 weken geleden`, `1 jaar geleden`.
PAST = re.compile(r"^(?:-\s*(\d+)\s*([dwmyj])|(\d+)\s*([dwmyj])\w*\s+(?:ago|geleden))$")
PAST_UNITS: dict[str, Callable[[int], relativedelta]] = {
    "d": lambda count: relativedelta(days=count),
    "w": lambda count: relativedelta(weeks=count),
    "m": lambda count: relativedelta(months=count),
    "y": lambda count: relativedelta(years=count),
    "j": lambda count: relativedelta(years=count),  # jaar
}
DATE_FIELDS = ("from", "to")
# A log narrowed to one kind of interaction, as its summary says it.
KIND_ONLY = {
    "call": N_("calls only"),
    "meeting": N_("meetings only"),
    "email": N_("emails only"),
    "video": N_("videos only"),
    "message": N_("messages only"),
    "visit": N_("visits only"),
    "note": N_("notes only"),
}
# A wanted cursor key meaning the top of the log (interaction ids start at 1).
TOP = 0


class LogScreen(ListScreen):
    """Every interaction, newest first, with the filters and actions of the log."""

    SCREEN_NAME = N_("Interaction log")
    CSS_PATH = "log.tcss"
    READ_AHEAD_GROUP = "interaction-log-ahead"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "read", N_("Read")),
        Binding("o", "open_client", N_("Open client")),
        Binding("slash", "focus_filter", N_("Filter"), key_display="/"),
        Binding("escape", "leave_filter", N_("Leave / clear filter"), show=False),
        Binding("l", "log", N_("Log")),
        Binding("e", "edit", N_("Edit")),
        Binding("D,delete", "delete", N_("Delete…"), key_display="D"),
        Binding("c", "clear_filters", N_("Clear filters")),
        Binding("ctrl+r", "reload", N_("Refresh"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.log_filter = LogFilter()
        self.filter_errors: dict[str, str] = {}
        self.pages: LogPages | None = None
        self.generation = 0
        self.typing: Timer | None = None
        # Where the cursor goes when the log being read arrives (kept across reloads).
        self.wanted: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="log-filters"):
            hints = (_("in subject or notes"), _("subject or notes"), _("subject, notes"))
            yield titled(HintedInput(*hints, id="log-text"), _("Text /"))
            client_hints = (_("part of a name"), _("a name"))
            yield titled(HintedInput(*client_hints, id="log-client"), _("Client"))
            kinds = [(choice_text(kind), kind) for kind in INTERACTION_KINDS]
            kind_select = Select(kinds, prompt=_("any"), id="log-kind", compact=True)
            yield titled(kind_select, _("Kind"))
            yield titled(HintedInput(_("-30d or a date"), "-30d", id="log-from"), _("From"))
            to_hints = (_("today, -1w"), pgettext("short hint", "today"))
            yield titled(HintedInput(*to_hints, id="log-to"), _("To"))
        yield Static(_("Loading the interaction log…"), id="log-summary")
        yield VirtualTable(LOG_COLUMNS, id="log-table", empty_text=N_("No interactions yet."))
        yield Static("", id="log-preview")
        yield KeyBar()

    @property
    def table(self) -> VirtualTable:
        """The log's table."""
        return self.query_one("#log-table", VirtualTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.load_log()

    def on_screen_resume(self) -> None:
        if self.pages is not None:
            self.refresh_log()

    # -- reading the log -----------------------------------------------------------------------

    def book_changed(self, focus: int | None = None) -> None:
        """Read the log again (another window or program changed the book, or an undo did),
        the cursor on interaction `focus`."""
        self.refresh_log(focus)

    def refresh_log(self, wanted: int | None = None) -> None:
        """Read the log again after a change, the cursor on interaction `wanted` (TOP for the
        top), else on the one it was on."""
        if wanted is not None:
            self.wanted = wanted
        self.load_log(keep_key=self.wanted if self.wanted is not None else self.table.current_key)

    def load_log(self, *, keep_key: int | None = None) -> None:
        """Read the log for the current filter in a worker: first rows at once, then the count;
        the cursor on interaction `keep_key` (at the same row when it is further down), or at
        the top for None."""
        self.generation += 1
        self._read_log(self.log_filter, keep_key, self.generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="interaction-log")
    def _read_log(self, log_filter: LogFilter, keep_key: int | None, generation: int) -> None:
        worker = get_current_worker()

        def cancelled() -> bool:
            return worker.is_cancelled

        engine = actions.engine_of(self)
        try:
            with session_scope(engine) as session:
                mark = change_mark(session.connection())
                pages = LogPages(engine, log_query(session=session, log_filter=log_filter))
                first = pages.open(session, cancelled)
                if cancelled():
                    return
                self.app.call_from_thread(self._show_log, pages, first, keep_key, generation)
                self.app.call_from_thread(setattr, self, "seen_mark", mark)
                if pages.total is None:
                    pages.count(session, cancelled)
                    self.app.call_from_thread(self._show_total, pages, first, generation)
        except QueryStopped:
            return  # a newer filter took over

    def _show_log(
        self, pages: LogPages, first: list[TableRow], keep_key: int | None, generation: int
    ) -> None:
        if generation != self.generation:
            return
        self.pages = pages
        self.wanted = None
        table = self.table
        table.empty_text = self._empty_text()
        table.show(pages.shown_total, pages.fetch, keep_key=keep_key, first_block=first)
        if not keep_key:
            table.cursor = 0
        self._update_summary()

    def _show_total(self, pages: LogPages, first: list[TableRow], generation: int) -> None:
        if generation != self.generation:
            return
        table = self.table
        table.show(pages.shown_total, pages.fetch, keep_key=table.current_key, first_block=first)
        self._update_summary()

    def _empty_text(self) -> str:
        if self.log_filter.is_empty:
            return "No interactions yet — press l to log one."
        return "No interaction matches these filters — press c to clear them."

    def _update_summary(self) -> None:
        self.query_one("#log-summary", Static).update(
            summary_line(self.pages, self.log_filter, self.filter_errors)
        )

    def action_reload(self) -> None:
        self.refresh_log()

    # -- filters -------------------------------------------------------------------------------

    @on(Input.Changed, "#log-filters Input")
    def _filter_typed(self) -> None:
        if self.typing is not None:
            self.typing.stop()
        self.typing = self.set_timer(TYPING_PAUSE_S, self.apply_filters)

    @on(Select.Changed, "#log-kind")
    def _kind_chosen(self) -> None:
        self.apply_filters()

    @on(Input.Submitted, "#log-filters Input")
    def _filter_done(self) -> None:
        self.apply_filters()
        self.table.focus()

    def apply_filters(self) -> None:
        """Read the filter bar and, when the filter changed, read the log again."""
        self.typing = None
        log_filter, errors = self._typed_filter()
        changed = log_filter != self.log_filter or errors != self.filter_errors
        self.log_filter, self.filter_errors = log_filter, errors
        for name in DATE_FIELDS:
            self.query_one(f"#log-{name}", Input).set_class(name in errors, "-invalid")
        if changed:
            self.load_log()

    def _typed_filter(self) -> tuple[LogFilter, dict[str, str]]:
        kind = self.query_one("#log-kind", Select).value
        errors: dict[str, str] = {}
        log_filter = LogFilter(
            text=self._typed("text").strip(),
            client_name=self._typed("client").strip(),
            kind=None if kind is Select.NULL else str(kind),
            date_from=self._typed_day("from", errors),
            date_to=self._typed_day("to", errors),
        )
        return log_filter, errors

    def _typed_day(self, name: str, errors: dict[str, str]) -> date | None:
        try:
            return typed_day(self._typed(name), base=actions.rm_app(self).today)
        except FieldError as error:
            errors[name] = str(error)
            return None

    def _typed(self, name: str) -> str:
        return self.query_one(f"#log-{name}", Input).value

    def action_focus_filter(self) -> None:
        self.query_one("#log-text", Input).focus()

    def action_leave_filter(self) -> None:
        if not self.table.has_focus:
            self.apply_filters()
            self.table.focus()
        elif not self.log_filter.is_empty or self.filter_errors:
            self.action_clear_filters()

    def action_clear_filters(self) -> None:
        with self.prevent(Input.Changed, Select.Changed):
            for box in self.query("#log-filters Input").results(Input):
                box.value = ""
            self.query_one("#log-kind", Select).clear()
        self.apply_filters()

    # -- actions on an interaction -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("read", "open_client", "edit", "delete"):
            return None if self.table.current_key is None else True
        if action == "clear_filters":
            return None if self.log_filter.is_empty and not self.filter_errors else True
        return True

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        self.action_read()

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        super().on_virtual_table_highlighted(event)
        record = event.table.current_record
        preview = preview_text(record) if isinstance(record, InteractionRow) else ""
        self.query_one("#log-preview", Static).update(preview)

    def action_read(self) -> None:
        record = self.table.current_record
        if isinstance(record, InteractionRow):
            actions.read_interaction(self, record, on_saved=self._interaction_saved)

    def _interaction_saved(self, interaction_id: int) -> None:
        self.refresh_log(interaction_id)

    def _selected_client(self) -> PickedClient | None:
        """The client of the interaction under the cursor."""
        from rmtui.core.queries.interactions import interaction_client

        interaction_id = self.table.current_key
        if interaction_id is None:
            return None
        with session_scope(actions.engine_of(self)) as session:
            found = interaction_client(session=session, interaction_id=interaction_id)
        return PickedClient(*found) if found is not None else None

    def action_open_client(self) -> None:
        client = self._selected_client()
        if client is None:
            self.notify("That interaction is no longer in the book.", severity="warning")
            return
        open_client(self, client.id)

    def action_log(self) -> None:
        picker = ClientPicker(_("Log an interaction with…"), suggested=self._selected_client())
        self.app.push_screen(picker, self._log_for)

    def _log_for(self, client: PickedClient | None) -> None:
        if client is not None:
            actions.log_for_client(self, client.id, on_saved=lambda _values: self.refresh_log(TOP))

    def action_edit(self) -> None:
        interaction_id = self.table.current_key
        if interaction_id is not None:
            actions.edit_interaction(self, interaction_id, on_saved=self._interaction_saved)

    def action_delete(self) -> None:
        interaction_id = self.table.current_key
        if interaction_id is not None:
            question = delete_question(_("this interaction"))
            actions.delete_asking(
                self, "interaction", interaction_id, question, on_deleted=self.refresh_log
            )


def preview_text(row: InteractionRow) -> Text:
    """The preview of the selected interaction: who, when, subject, then the notes in full."""
    text = Text()
    text.append(row.subject, style="bold")
    when = date_text(row.at, "%d %b %Y %H:%M")
    text.append(f"  ·  {row.client_name}  ·  {choice_text(row.kind)}  ·  {when}", style="dim")
    text.append("\n")
    text.append(row.notes or _("No notes."), style="" if row.notes else "dim")
    return text


def typed_day(text: str, *, base: date) -> date | None:
    """A typed filter date: any date rmtui reads, or a past one as `-30d`, `-2w`, `3m ago`
    (nl `3m geleden`)."""
    value = " ".join(text.strip().lower().split())
    match = PAST.match(value)
    if match is None:
        return parse_optional_date(value, base=base)
    count = int(match.group(1) or match.group(3))
    unit = match.group(2) or match.group(4)
    return base - PAST_UNITS[unit](count)


def summary_line(pages: LogPages | None, log_filter: LogFilter, errors: dict[str, str]) -> Text:
    """The line above the log: how many interactions, what they are filtered by, errors."""
    line = Text()
    if pages is None:
        return Text(_("Loading the interaction log…"))
    if pages.total is None:
        shown = f"{count_text(pages.shown_total)}+"
        counted = ngettext("{count} interaction", "{count} interactions", pages.shown_total)
        line.append(counted.format(count=shown), style="bold")
        line.append(" " + _("(counting…)"), style="dim")
    else:
        line.append(records_text("interactions", pages.total), style="bold")
    line.append(" · " + _("newest first"), style="dim")
    for part in filter_parts(log_filter):
        line.append(f" · {part}")
    for name, error in errors.items():
        line.append(f" · {name}: {error}", style="bold red")
    if not log_filter.is_empty:
        line.append("  " + _("(c clears)"), style="dim")
    return line


def filter_parts(log_filter: LogFilter) -> list[str]:
    """The active filters in words."""
    parts = []
    if log_filter.text:
        parts.append(_("with “{text}”").format(text=log_filter.text))
    if log_filter.client_name:
        parts.append(_("client “{name}”").format(name=log_filter.client_name))
    if log_filter.kind:
        parts.append(_(KIND_ONLY[log_filter.kind]))
    if log_filter.date_from:
        parts.append(_("from {day}").format(day=date_text(log_filter.date_from)))
    if log_filter.date_to:
        parts.append(_("to {day}").format(day=date_text(log_filter.date_to)))
    return parts
