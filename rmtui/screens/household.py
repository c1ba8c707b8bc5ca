"""The household view: its members and roles, their combined assets and trend, last contact,
the open follow-ups and cases of every member and one timeline of them all, read block by block
as it is scrolled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from rmtui.core.changes import change_mark
from rmtui.core.charts import sparkline
from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text
from rmtui.core.db import session_scope
from rmtui.core.figures import count_text, total_text
from rmtui.core.queries.holding_trend import TREND_MONTHS, value_months_ago
from rmtui.core.queries.households import (
    HouseholdView,
    MemberRow,
    household_log,
    read_household,
)
from rmtui.core.queries.interaction_log import QueryStopped
from rmtui.core.queries.interactions import InteractionRow
from rmtui.core.translation import N_, _, ngettext
from rmtui.core.wording import ago_text
from rmtui.screens.book_access import book_day, rm_app
from rmtui.screens.client.detail import show_rows
from rmtui.screens.client.dossier import TIMELINE_COLUMNS, timeline_row
from rmtui.screens.client.panels import change_text
from rmtui.screens.flows import clients as client_actions
from rmtui.screens.flows import households as actions
from rmtui.screens.list_screen import read_ahead_near
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.log_table import LogPages
from rmtui.widgets.virtual_table import Cell, TableColumn, TableRow, VirtualTable

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

MEMBER_COLUMNS = (
    TableColumn("name", N_("Member")),
    TableColumn("role", N_("Role"), 9),
    TableColumn("last", N_("Last contact"), 12),
)
OPEN_COLUMNS = (
    TableColumn("due", N_("Due"), 11),
    TableColumn("who", N_("Who"), min_width=12, max_width=16),
    TableColumn("what", N_("What"), min_width=12),
)
HOUSEHOLD_TIMELINE_COLUMNS = (
    TIMELINE_COLUMNS[0],
    TableColumn("who", N_("Who"), 14),
    *TIMELINE_COLUMNS[1:],
)

TIMELINE_GROUP = "household-timeline"


class TimelinePages(LogPages):
    """The timeline of all members: the log narrowed to them, read block by block by key (the
    next block read ahead as the cursor nears it), each row saying whose it is."""

    def cells(self, record: InteractionRow) -> tuple[Cell, ...]:
        """When, who, kind, direction, subject (with whom and the notes), minutes."""
        shown = timeline_row(record)
        return (shown.cells[0], record.client_name, *shown.cells[1:])


def read_timeline(
    engine: Engine, session: Session, member_ids: list[int], cancelled: Callable[[], bool]
) -> tuple[TimelinePages, list[TableRow]]:
    """The members' timeline, counted, with its first block read."""
    pages = TimelinePages(engine, household_log(member_ids=member_ids))
    first = pages.open(session, cancelled)
    if pages.total is None:
        pages.count(session, cancelled)
    return pages, first


class HouseholdScreen(Screen[None]):
    """One household: members, combined assets, open items and the timeline of them all.

    `enter` opens the client of the row under the cursor; on the members `r` changes a role,
    `x` takes the member out (`u` puts them back) and `l` logs a contact with them. `R`
    writes the review report of the whole household; `D` deletes the household (to the
    trash; its members stay clients).
    """

    SCREEN_NAME = N_("Household")
    CSS_PATH = "household.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("a", "add_member", N_("Add member")),
        Binding("r", "change_role", N_("Role")),
        Binding("x", "remove_member", N_("Take out…")),
        Binding("l", "log", N_("Log")),
        Binding("e", "edit", N_("Edit household")),
        Binding("R", "export_review", N_("Review report")),
        Binding("D,delete", "delete", N_("Delete household…"), key_display="D"),
    ]

    def __init__(self, household_id: int) -> None:
        super().__init__()
        self.household_id = household_id
        self.view: HouseholdView | None = None
        self.timeline: TimelinePages | None = None
        # The client each row of the open items is about, by row key.
        self.open_clients: dict[int, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading the household…"), id="household-heading")
        yield Static("", id="household-summary")
        with Horizontal(id="household-top"):
            with Vertical(id="members-box"):
                yield Static(_("Members"), id="members-title", classes="section-title")
                yield VirtualTable(MEMBER_COLUMNS, empty_text=N_("No members."), id="members")
            with Vertical(id="open-box"):
                yield Static(_("Open items"), id="open-title", classes="section-title")
                yield VirtualTable(
                    OPEN_COLUMNS, empty_text=N_("No open follow-ups or cases."), id="open-items"
                )
        yield Static(
            _("Timeline of all members"), id="household-timeline-title", classes="section-title"
        )
        yield VirtualTable(
            HOUSEHOLD_TIMELINE_COLUMNS,
            empty_text=N_("No interactions yet."),
            id="household-timeline",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    @property
    def members_table(self) -> VirtualTable:
        """The members and their roles."""
        return self.query_one("#members", VirtualTable)

    # -- reading -------------------------------------------------------------------------------

    @property
    def timeline_table(self) -> VirtualTable:
        """The timeline of all members."""
        return self.query_one("#household-timeline", VirtualTable)

    @work(thread=True, exclusive=True, exit_on_error=False, group="household")
    def load(self) -> None:
        """Read the household and the first block of its timeline again, and show them."""
        day = book_day(self)
        worker = get_current_worker()
        engine = rm_app(self).engine
        try:
            with session_scope(engine) as session:
                mark = change_mark(session.connection())
                view = read_household(session=session, household_id=self.household_id, day=day)
                ids = view.member_ids if view is not None else []
                timeline = read_timeline(engine, session, ids, lambda: worker.is_cancelled)
        except QueryStopped:
            return  # a newer read took over
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_view, view, mark, day, timeline)

    def book_changed(self, focus: int | None = None) -> None:
        """Read the household again (another window changed the book, or an undo did)."""
        self.load()

    def show_view(
        self,
        view: HouseholdView | None,
        mark: int,
        day: date,
        timeline: tuple[TimelinePages, list[TableRow]] | None = None,
    ) -> None:
        """Fill the screen from `view` and the first block of the `timeline`, read at the
        book's change `mark`."""
        self.seen_mark = mark
        first_time = self.view is None
        if view is None:
            self.query_one("#household-heading", Static).update(
                _("This household is no longer in the book.")
            )
            return
        self.view = view
        self.query_one("#household-heading", Static).update(heading_text(view))
        self.query_one("#household-summary", Static).update(summary_text(view, day))
        rows = [TableRow(member.client_id, member_cells(member)) for member in view.members]
        show_rows(self.members_table, rows, keep_key=self.members_table.current_key)
        self.query_one("#members-title", Static).update(
            _("Members ({count})").format(count=count_text(len(rows)))
        )
        self._show_open_items(view, day)
        if timeline is not None:
            self._show_timeline(*timeline)
        if first_time:
            self.members_table.focus()
        self.refresh_bindings()

    def _show_open_items(self, view: HouseholdView, day: date) -> None:
        rows: list[TableRow] = []
        self.open_clients = {}
        for follow_up, who in view.follow_ups:
            key = follow_up.id or 0
            self.open_clients[key] = follow_up.client_id or 0
            rows.append(TableRow(key, open_cells(follow_up.due_on, who, follow_up.title, day)))
        for case, who in view.cases:
            key = -(case.id or 0)
            self.open_clients[key] = case.client_id
            rows.append(
                TableRow(
                    key,
                    open_cells(case.due_on, who, f"{choice_text(case.kind)}: {case.subject}", day),
                )
            )
        rows.sort(key=lambda row: str(row.cells[0]))
        table = self.query_one("#open-items", VirtualTable)
        show_rows(table, rows, keep_key=table.current_key)
        self.query_one("#open-title", Static).update(
            _("Open items ({count})").format(count=count_text(len(rows)))
        )

    def _show_timeline(self, pages: TimelinePages, first: list[TableRow]) -> None:
        self.timeline = pages
        table = self.timeline_table
        table.show(pages.shown_total, pages.fetch, keep_key=table.current_key, first_block=first)
        title = _("Timeline of all members, newest first ({count})").format(
            count=count_text(pages.shown_total)
        )
        self.query_one("#household-timeline-title", Static).update(title)

    # -- keys ----------------------------------------------------------------------------------

    def _selected_member(self) -> MemberRow | None:
        if self.view is None or not self.members_table.has_focus:
            return None
        key = self.members_table.current_key
        return next((m for m in self.view.members if m.client_id == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.view is None and action != "back":
            return None
        if action in ("change_role", "remove_member", "log"):
            return None if self._selected_member() is None else True
        return True

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        self.refresh_bindings()
        if event.table is self.timeline_table and self.timeline is not None:
            read_ahead_near(self, self.timeline, event.table.cursor, group=TIMELINE_GROUP)

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        record = event.table.current_record
        table_clients = {"members": {event.key: event.key}, "open-items": self.open_clients}
        client_id = table_clients.get(event.table.id or "", {}).get(event.key)
        if isinstance(record, InteractionRow):
            client_id = record.client_id
        if client_id:
            from rmtui.screens.client.detail import ClientDetailScreen

            self.app.push_screen(ClientDetailScreen(client_id))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_add_member(self) -> None:
        actions.add_member(self, self.household_id, on_saved=self.load)

    def action_change_role(self) -> None:
        member = self._selected_member()
        if member is not None:
            actions.change_role(
                self, member.client_id, member.name, member.role, on_saved=self.load
            )

    def action_remove_member(self) -> None:
        member = self._selected_member()
        if member is not None:
            actions.remove_member(self, member.client_id, member.name, on_saved=self.load)

    def action_log(self) -> None:
        member = self._selected_member()
        if member is not None:
            client_actions.log_for_client(
                self, member.client_id, on_saved=lambda _values: self.load()
            )

    def action_edit(self) -> None:
        actions.edit_household(self, self.household_id, on_saved=self.load)

    def action_export_review(self) -> None:
        """Ask where to write the review report of the whole household, and write it."""
        if self.view is not None:
            actions.export_review(self, self.household_id, self.view.household.name)

    def action_delete(self) -> None:
        """Ask, then delete the household (its members stay clients) and go back."""
        if self.view is not None:
            name, members = self.view.household.name, len(self.view.members)
            actions.delete_household(
                self, self.household_id, name, members, on_deleted=self.app.pop_screen
            )


def heading_text(view: HouseholdView) -> Text:
    """The household's name, how many members, and how check-ins count."""
    text = Text(view.household.name, style="bold")
    members = ngettext("{count} member", "{count} members", len(view.members))
    text.append(f"  ·  {members.format(count=count_text(len(view.members)))}  ·  ", style="dim")
    shared = view.household.shared_checkin
    text.append(_("one check-in for all") if shared else _("check-ins per member"), style="dim")
    return text


def summary_text(view: HouseholdView, day: date) -> Text:
    """Combined assets with their trend and change, and the household's last contact."""
    text = Text(_("Assets") + " ", style="bold")
    text.append(total_text(view.aum), style="bold")
    text.append(" ")
    text.append(sparkline([point.value for point in view.aum_trend]), style="cyan")
    year_ago = value_months_ago(view.aum_trend, TREND_MONTHS)
    if year_ago is not None:
        text.append(" ")
        text.append_text(change_text(year_ago, view.aum))
        text.append(" " + _("in {months} mo").format(months=TREND_MONTHS), style="dim")
    last = view.last_contact_on
    text.append("\n" + _("Last contact") + " ")
    if last is None:
        text.append(_("none yet"), style="dim")
    else:
        text.append(date_text(last))
        text.append(f" ({ago_text((day - last).days)})", style="dim")
    return text


def member_cells(member: MemberRow) -> tuple[Text | str, ...]:
    """A member's name, role and last contact (archived members dimmed)."""
    style = "dim" if member.archived else ""
    last = date_text(member.last_contact_on) if member.last_contact_on else "—"
    return (Text(member.name, style=style), choice_text(member.role), Text(last, style="dim"))


def open_cells(due: date, who: str, what: str, day: date) -> tuple[Text | str, ...]:
    """An open follow-up or case: when due (red once late), whose, what."""
    late = due < day
    return (Text(date_text(due), style="bold red" if late else ""), who, what)
