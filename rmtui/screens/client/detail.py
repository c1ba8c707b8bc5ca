"""Client detail: the profile, check-in state, open follow-ups, the timeline of interactions and
the panels (opportunities, holdings and revenue, goals, surveys, cases) of one client, with the
keys that act on each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent
from textual.worker import get_current_worker

from rmtui.core.changes import change_mark
from rmtui.core.db import session_scope
from rmtui.core.figures import count_text
from rmtui.core.models import Case, FollowUp, Opportunity
from rmtui.core.queries.client_detail import (
    TIMELINE_PAGE,
    ClientDossier,
    ClientPanels,
    read_dossier,
)
from rmtui.core.queries.interactions import InteractionRow, client_timeline
from rmtui.core.translation import N_, _
from rmtui.screens.client.dossier import (
    FOLLOW_UP_COLUMNS,
    TIMELINE_COLUMNS,
    due_text,
    follow_up_cells,
    heading_text,
    profile_table,
    timeline_row,
)
from rmtui.screens.client.panels import (
    CASES,
    GOALS,
    MAIN_TABLES,
    PANEL_TABLES,
    PANELS,
    PanelTable,
    aum_text,
    compose_panels,
    goal_detail,
    relations_text,
    revenue_table,
)
from rmtui.screens.client_picker import PickedClient
from rmtui.screens.flows import clients as actions
from rmtui.screens.flows import deals as deal_actions
from rmtui.screens.flows import households as household_actions
from rmtui.screens.flows import records as record_actions
from rmtui.screens.flows.deals import StageMove
from rmtui.screens.undo import delete_question
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.value_trend import ValueTrend
from rmtui.widgets.virtual_table import BLOCK_SIZE, TableRow, VirtualTable

# Read the next page of the timeline when the cursor comes this close to its end.
TIMELINE_LOOKAHEAD = 20

# `wanted` for the row of the record added last (the highest id) of a table.
NEWEST = -1
# A panel's record as a question to delete it names it.
THIS_RECORD = {
    "deal": N_("this deal"),
    "holding": N_("this holding value"),
    "revenue": N_("this revenue entry"),
    "goal": N_("this goal"),
    "survey": N_("this survey"),
    "case": N_("this case"),
    "contact_person": N_("this contact person"),
}
# Keys shown together in the footer.
STAGE_KEYS = Binding.Group("Stage", compact=True)
PANEL_KEYS = Binding.Group("Panels", compact=True)


class ClientDetailScreen(Screen[None]):
    """One client: profile, check-ins, follow-ups, timeline and panels.

    `a` adds to the active panel (or to the list of it that has the focus); `e`, `x`, `enter`
    and the panel's own keys act on the row under the cursor once the focus is in the panel
    (`[` and `]` switch panels and put the focus there). Outside the panels, `e` edits what
    has the focus (a follow-up, an interaction, else the profile), `enter` on the timeline
    shows an interaction whole, and `d`, `s`, `r` act on the focused follow-up.
    """

    SCREEN_NAME = N_("Client detail")
    CSS_PATH = "detail.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("l", "log", N_("Log")),
        Binding("f", "follow_up", N_("Follow-up")),
        Binding("a", "add('deal')", N_("Add deal"), tooltip=N_("Opportunities panel")),
        Binding(
            "a", "add('holding')", N_("Add holding value"), tooltip=N_("Holdings panel, accounts")
        ),
        Binding("a", "add('revenue')", N_("Add revenue"), tooltip=N_("Holdings panel, revenue")),
        Binding("a", "add('goal')", N_("Add goal"), tooltip=N_("Goals panel")),
        Binding("a", "add('survey')", N_("Add survey"), tooltip=N_("Surveys panel")),
        Binding("a", "add('case')", N_("Add case"), tooltip=N_("Cases panel")),
        Binding("a", "add('contact_person')", N_("Add person"), tooltip=N_("People panel")),
        Binding("e", "edit_row", N_("Edit row"), tooltip=N_("the row of a panel")),
        Binding("e", "edit_interaction", N_("Edit interaction"), tooltip=N_("Timeline")),
        Binding("e", "edit_follow_up", N_("Edit follow-up"), tooltip=N_("Open follow-ups")),
        Binding("e", "edit_profile", N_("Edit profile"), tooltip=N_("anywhere else")),
        Binding("p", "edit_client", N_("Profile"), tooltip=N_("edit it from anywhere")),
        Binding(
            "x", "remove", N_("Delete row…"), tooltip=N_("Holdings, Goals, Surveys, People panels")
        ),
        Binding(
            "D,delete",
            "delete",
            N_("Delete…"),
            key_display="D",
            tooltip=N_("what is under the cursor, else the client"),
        ),
        Binding("x", "lose_deal", N_("Deal lost…"), tooltip=N_("Opportunities panel")),
        Binding(
            "greater_than_sign",
            "move_deal(True)",
            N_("Stage on"),
            key_display=">",
            group=STAGE_KEYS,
            tooltip=N_("Opportunities panel"),
        ),
        Binding(
            "less_than_sign",
            "move_deal(False)",
            N_("Stage back"),
            key_display="<",
            group=STAGE_KEYS,
            tooltip=N_("Opportunities panel"),
        ),
        Binding("d", "done", N_("Done"), tooltip=N_("Open follow-ups")),
        Binding("d", "resolve_case", N_("Resolve case…"), tooltip=N_("Cases panel")),
        Binding("X", "extend_case", N_("Extend deadline…"), tooltip=N_("Cases panel")),
        Binding("s", "snooze", N_("Snooze"), tooltip=N_("Open follow-ups")),
        Binding("r", "reschedule", N_("Reschedule"), tooltip=N_("Open follow-ups")),
        Binding("c", "add_case", N_("New case"), show=False),  # in the help and the cases hint
        Binding("R", "export_review", N_("Review report")),
        Binding("H", "household", N_("Household")),
        Binding(
            "left_square_bracket",
            "panel(-1)",
            N_("Previous panel"),
            key_display="[",
            group=PANEL_KEYS,
        ),
        Binding(
            "right_square_bracket", "panel(1)", N_("Next panel"), key_display="]", group=PANEL_KEYS
        ),
    ]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.dossier: ClientDossier | None = None
        self.timeline: list[InteractionRow] = []
        self.more_timeline = False
        # The row each panel table's cursor goes to at the next load (e.g. a deal just added).
        self.wanted: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading the client…"), id="client-heading")
        yield Static("", id="client-due")
        with Horizontal(id="detail-body"):
            with VerticalScroll(id="profile-box") as profile_box:
                profile_box.border_title = _("Profile")
                yield Static("", id="profile")
            with Vertical(id="detail-main"):
                yield Static(_("Open follow-ups"), id="follow-ups-title", classes="section-title")
                yield VirtualTable(
                    FOLLOW_UP_COLUMNS,
                    empty_text=N_("No open follow-ups — press f to plan one."),
                    id="follow-ups",
                )
                yield Static(_("Timeline"), id="timeline-title", classes="section-title")
                yield VirtualTable(
                    TIMELINE_COLUMNS,
                    empty_text=N_("No interactions yet — press l to log one."),
                    id="timeline",
                )
        yield from compose_panels()
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    @property
    def follow_ups_table(self) -> VirtualTable:
        """The open follow-ups."""
        return self.query_one("#follow-ups", VirtualTable)

    @property
    def timeline_table(self) -> VirtualTable:
        """The timeline of interactions."""
        return self.query_one("#timeline", VirtualTable)

    @property
    def panels(self) -> TabbedContent:
        """The tabs of the panels."""
        return self.query_one("#panels", TabbedContent)

    def panel_table(self, spec: PanelTable) -> VirtualTable:
        """The table widget of one of the panels' tables."""
        return self.query_one(f"#{spec.id}", VirtualTable)

    # -- reading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="client-detail")
    def load(self) -> None:
        """Read the client again (after a change) and show it."""
        day = actions.rm_app(self).today
        with session_scope(actions.engine_of(self)) as session:
            mark = change_mark(session.connection())
            dossier = read_dossier(session=session, client_id=self.client_id, day=day)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_dossier, dossier, mark)

    def reload(self, *, table: str | None = None, key: int | None = None) -> None:
        """Read the client again; the cursor of `table` goes to the row of record `key`."""
        if table is not None and key is not None:
            self.wanted[table] = key
        self.load()

    def show_dossier(self, dossier: ClientDossier | None, mark: int | None = None) -> None:
        """Fill every part of the screen from `dossier`, read at the book's change `mark`."""
        if mark is not None:
            self.seen_mark = mark
        first_time = self.dossier is None
        if dossier is None:
            self.query_one("#client-heading", Static).update(
                _("This client is no longer in the book.")
            )
            return
        self.dossier = dossier
        day = actions.rm_app(self).today
        self.query_one("#client-heading", Static).update(heading_text(dossier.client))
        self.query_one("#client-due", Static).update(due_text(dossier.client, dossier.due, day))
        self.query_one("#profile", Static).update(profile_table(dossier, day))
        self._show_follow_ups(dossier.follow_ups, day)
        self.timeline, self.more_timeline = list(dossier.timeline), dossier.more_timeline
        self._show_timeline(keep_key=None)
        self._show_panels(dossier.panels)
        if first_time:
            table = self.follow_ups_table if dossier.follow_ups else self.timeline_table
            table.focus()
        self.refresh_bindings()

    def _show_follow_ups(self, follow_ups: list[FollowUp], day: date) -> None:
        rows = [
            TableRow(follow_up.id or 0, follow_up_cells(follow_up, day)) for follow_up in follow_ups
        ]
        show_rows(self.follow_ups_table, rows, keep_key=self.follow_ups_table.current_key)
        self.query_one("#follow-ups-title", Static).update(
            _("Open follow-ups ({count})").format(count=count_text(len(rows)))
        )

    def _show_timeline(self, *, keep_key: int | None) -> None:
        rows = self.timeline

        def fetch(offset: int, limit: int) -> list[TableRow]:
            return [timeline_row(row) for row in rows[offset : offset + limit]]

        self.timeline_table.show(
            len(rows), fetch, keep_key=keep_key, first_block=fetch(0, BLOCK_SIZE)
        )
        count = count_text(len(rows))
        shown = (
            _("{count} shown, more as you scroll").format(count=count)
            if self.more_timeline
            else count
        )
        title = _("Timeline, newest first ({shown})").format(shown=shown)
        self.query_one("#timeline-title", Static).update(title)

    def _show_panels(self, panels: ClientPanels) -> None:
        for spec in PANEL_TABLES.values():
            table = self.panel_table(spec)
            rows = spec.rows(panels)
            keep = self.wanted.pop(spec.id, table.current_key)
            if keep == NEWEST:
                keep = max((row.key for row in rows), default=None)
            show_rows(table, rows, keep_key=keep)
        self.query_one("#aum-line", Static).update(aum_text(panels))
        self.query_one("#aum-trend", ValueTrend).show_trend(panels.aum_trend, label="AUM")
        self.query_one("#revenue-periods", Static).update(revenue_table(panels))
        referrer = self.dossier.referred_by if self.dossier else None
        self.query_one("#household-line", Static).update(relations_text(panels, referrer))
        self._show_goal_detail()

    def _show_goal_detail(self) -> None:
        if self.dossier is None:
            return
        panels = self.dossier.panels
        key = self.panel_table(GOALS).current_key
        found = [(goal, status) for goal, status in panels.goals if goal.id == key]
        detail = goal_detail(*found[0], panels.day) if found else ""
        self.query_one("#goal-detail", Static).update(detail)

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        self.refresh_bindings()
        table = event.table
        if table.id == "goals":
            self._show_goal_detail()
        near_end = table.cursor >= len(self.timeline) - TIMELINE_LOOKAHEAD
        if table.id == "timeline" and self.more_timeline and near_end and self.timeline:
            last = self.timeline[-1]
            self.more_timeline = False  # until the next page says otherwise
            self._read_more_timeline((last.at, last.id))

    @work(thread=True, exclusive=True, exit_on_error=False, group="client-timeline")
    def _read_more_timeline(self, before: tuple[object, int]) -> None:
        with session_scope(actions.engine_of(self)) as session:
            rows = client_timeline(
                session=session,
                client_id=self.client_id,
                limit=TIMELINE_PAGE + 1,
                before=before,  # type: ignore[arg-type]
            )
        self.app.call_from_thread(self._add_to_timeline, rows)

    def _add_to_timeline(self, rows: Sequence[InteractionRow]) -> None:
        self.timeline.extend(rows[:TIMELINE_PAGE])
        self.more_timeline = len(rows) > TIMELINE_PAGE
        self._show_timeline(keep_key=self.timeline_table.current_key)

    # -- where the keys act --------------------------------------------------------------------

    def active_panel(self) -> str:
        """The key of the panel whose tab is active."""
        key = self.panels.active.removeprefix("panel-")
        return key if key in PANELS else next(iter(PANELS))

    def in_panels(self) -> bool:
        """Whether the focus is in the panels (their tabs or a table of the active one)."""
        focused = self.focused
        return focused is not None and self.panels in focused.ancestors_with_self

    def acting_table(self) -> PanelTable:
        """The table of the active panel that `a`, `e` and `x` act on: the focused one, else
        the panel's main table."""
        focused = self.focused
        spec = PANEL_TABLES.get(focused.id or "") if focused is not None else None
        if spec is not None and spec.panel == self.active_panel():
            return spec
        return MAIN_TABLES[self.active_panel()]

    def selected(self, kind: str | None = None) -> int | None:
        """The record under the cursor of the acting table (when it lists `kind`)."""
        spec = self.acting_table()
        if kind is not None and spec.kind != kind:
            return None
        return self.panel_table(spec).current_key

    def _selected_deal(self) -> Opportunity | None:
        key = self.selected("deal")
        deals = self.dossier.panels.opportunities if self.dossier else []
        return next((deal for deal in deals if deal.id == key), None)

    def _selected_case(self) -> Case | None:
        key = self.selected("case")
        cases = self.dossier.panels.cases if self.dossier else []
        return next((case for case in cases if case.id == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.dossier is None and action != "back":
            return None
        if action in PANEL_ACTIONS:
            return self._check_panel_action(action, parameters)
        if action in ("done", "snooze", "reschedule"):
            if self.in_panels():
                return False  # the panel's own keys show instead
            return None if self._focused_follow_up() is None else True
        if action == "edit_interaction":
            return self.timeline_table.has_focus and self.timeline_table.current_key is not None
        if action == "edit_follow_up":
            return self._focused_follow_up() is not None
        if action == "edit_profile":
            return not self.in_panels() and self.focused_list() is None
        return True

    def focused_list(self) -> VirtualTable | None:
        """The open follow-ups or the timeline when one of them has the focus and a row."""
        for table in (self.follow_ups_table, self.timeline_table):
            if table.has_focus and table.current_key is not None:
                return table
        return None

    def _check_panel_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Whether a panel key applies: False (hidden) when it is not this panel's, None (shown
        dimmed) when its row is missing or cannot take it."""
        spec = self.acting_table()
        if action == "add":
            return parameters[0] == spec.kind
        if not self.in_panels() or spec.kind not in PANEL_ACTIONS[action]:
            return False
        if action in ("move_deal", "lose_deal"):
            deal = self._selected_deal()
            return None if deal is None or not can_move(deal, action, parameters) else True
        if action in ("resolve_case", "extend_case"):
            case = self._selected_case()
            return None if case is None or case.resolved_on is not None else True
        return None if self.selected() is None else True

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    def on_tabbed_content_tab_activated(self, _event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    def _focused_follow_up(self) -> int | None:
        table = self.follow_ups_table
        return table.current_key if table.has_focus else None

    # -- the client and follow-ups -------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_log(self) -> None:
        actions.log_for_client(self, self.client_id, on_saved=lambda _values: self.load())

    def action_follow_up(self) -> None:
        actions.plan_follow_up(self, self.client_id, on_saved=self.load)

    def action_edit_client(self) -> None:
        self.action_edit_profile()

    def action_edit_profile(self) -> None:
        actions.edit_client(self, self.client_id, on_saved=lambda _client_id: self.load())

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        if event.table.id == "follow-ups":
            actions.edit_follow_up(self, event.key, on_saved=self.load)
        elif event.table.id == "timeline":
            record = event.table.current_record
            if isinstance(record, InteractionRow):
                actions.read_interaction(self, record, on_saved=lambda _id: self.load())
        elif event.table.id in PANEL_TABLES:
            self._edit(PANEL_TABLES[event.table.id], event.key)

    def action_edit_interaction(self) -> None:
        key = self.timeline_table.current_key
        if key is not None:
            actions.edit_interaction(self, key, on_saved=lambda _id: self.load())

    def action_edit_follow_up(self) -> None:
        key = self._focused_follow_up()
        if key is not None:
            actions.edit_follow_up(self, key, on_saved=self.load)

    def action_done(self) -> None:
        follow_up_id = self._focused_follow_up()
        if follow_up_id is not None:
            actions.complete_follow_up(self, follow_up_id, on_saved=lambda _title: self.load())

    def book_changed(self, focus: int | None = None) -> None:
        """Read the client again (another window or program changed the book, or an undo did)."""
        self.load()

    def action_snooze(self) -> None:
        follow_up_id = self._focused_follow_up()
        if follow_up_id is not None:
            actions.snooze_follow_up(self, follow_up_id, on_saved=self.load)

    def action_reschedule(self) -> None:
        follow_up_id = self._focused_follow_up()
        if follow_up_id is not None:
            actions.reschedule_follow_up(self, follow_up_id, on_saved=self.load)

    def action_export_review(self) -> None:
        record_actions.export_review(self, self.client_id)

    def action_household(self) -> None:
        """Open the client's household, or start one with them when they are in none."""
        place = self.dossier.panels.household if self.dossier else None
        if place is not None:
            household_actions.open_household(self, place.id)
        else:
            household_actions.start_household(self, self.client_id, on_saved=self.load)

    # -- the panels ----------------------------------------------------------------------------

    def action_panel(self, step: int) -> None:
        keys = list(PANELS)
        self.show_panel(keys[(keys.index(self.active_panel()) + step) % len(keys)])

    def show_panel(self, key: str) -> None:
        """Make panel `key` the active one and put the focus in its main table."""
        self.panels.active = f"panel-{key}"
        self.call_after_refresh(self.panel_table(MAIN_TABLES[key]).focus)

    def action_add(self, kind: str) -> None:
        if kind == "deal":
            client = PickedClient(self.client_id, self.dossier.client.name if self.dossier else "")
            deal_actions.add_deal(
                self, client, on_saved=lambda deal_id: self.reload(table="deals", key=deal_id)
            )
        elif kind == "case":
            self.action_add_case()
        else:
            table = self.acting_table().id
            record_actions.add_record(
                self, kind, self.client_id, on_saved=lambda: self.reload(table=table, key=NEWEST)
            )

    def action_add_case(self) -> None:
        record_actions.add_case(self, self.client_id, on_saved=self._case_opened)

    def _case_opened(self) -> None:
        if self.active_panel() != "cases":
            self.show_panel("cases")
        self.reload(table=CASES.id, key=NEWEST)

    def action_edit_row(self) -> None:
        spec = self.acting_table()
        key = self.selected()
        if key is not None:
            self._edit(spec, key)

    def _edit(self, spec: PanelTable, key: int) -> None:
        if spec.kind == "referral":
            self.app.push_screen(ClientDetailScreen(key))
        elif spec.kind == "deal":
            deal_actions.edit_deal(self, key, on_saved=lambda _deal_id: self.load())
        elif spec.kind == "case":
            record_actions.edit_case(self, key, on_saved=self.load)
        else:
            record_actions.edit_record(self, spec.kind, key, on_saved=self.load)

    def action_delete(self) -> None:
        """Delete what has the focus: a panel's row, a follow-up, an interaction of the
        timeline, else the client."""
        if self.in_panels():
            spec, key = self.acting_table(), self.selected()
            if key is not None:
                self._delete(spec.kind, key, _(THIS_RECORD.get(spec.kind, N_("this record"))))
        elif self.follow_ups_table.has_focus and self.follow_ups_table.current_key is not None:
            self._delete("follow_up", self.follow_ups_table.current_key, _("this follow-up"))
        elif self.timeline_table.has_focus and self.timeline_table.current_key is not None:
            self._delete("interaction", self.timeline_table.current_key, _("this interaction"))
        else:
            actions.delete_client_asking(self, self.client_id, on_deleted=self.app.pop_screen)

    def _delete(self, kind: str, key: int, what: str) -> None:
        question = delete_question(what)
        actions.delete_asking(self, kind, key, question, on_deleted=self.load)

    def action_remove(self) -> None:
        spec = self.acting_table()
        key = self.selected()
        if key is not None and spec.kind in PANEL_ACTIONS["remove"]:
            record_actions.delete_record(self, spec.kind, key, on_saved=self.load)

    def action_move_deal(self, forward: bool) -> None:
        deal = self._selected_deal()
        if deal is not None and deal.id is not None:
            deal_actions.move_deal(self, deal.id, forward=forward, on_saved=self._deal_moved)

    def action_lose_deal(self) -> None:
        deal = self._selected_deal()
        if deal is not None and deal.id is not None:
            deal_actions.lose_deal(self, deal.id, on_saved=self._deal_moved)

    def _deal_moved(self, _before: StageMove) -> None:
        self.load()

    def action_resolve_case(self) -> None:
        case = self._selected_case()
        if case is None or case.id is None:
            return
        case_id = case.id
        record_actions.resolve_case(self, case_id, on_saved=lambda _subject: self.load())

    def action_extend_case(self) -> None:
        case = self._selected_case()
        if case is not None and case.id is not None:
            record_actions.extend_case(self, case.id, on_saved=self.load)


# Panel keys and the kinds of record (tables) they act on.
PANEL_ACTIONS: dict[str, tuple[str, ...]] = {
    "add": ("deal", "holding", "revenue", "goal", "survey", "case", "contact_person"),
    "edit_row": ("deal", "holding", "revenue", "goal", "survey", "case", "contact_person"),
    "remove": ("holding", "revenue", "goal", "survey", "contact_person"),
    "move_deal": ("deal",),
    "lose_deal": ("deal",),
    "resolve_case": ("case",),
    "extend_case": ("case",),
}


def can_move(deal: Opportunity, action: str, parameters: tuple[object, ...]) -> bool:
    """Whether a deal can be moved on, back or lost."""
    if action == "lose_deal":
        return deal_actions.can_lose(deal.stage)
    return deal_actions.can_move(deal.stage, forward=bool(parameters[0]))


def show_rows(table: VirtualTable, rows: list[TableRow], *, keep_key: int | None) -> None:
    """Show `rows` (all read already) in `table`, the cursor kept on `keep_key` when listed."""
    table.show(
        len(rows),
        lambda offset, limit: rows[offset : offset + limit],
        keep_key=keep_key,
        first_block=rows[:BLOCK_SIZE],  # where the kept row is looked for
    )
