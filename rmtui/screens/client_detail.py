"""Client detail: the profile, check-in state, open follow-ups, the timeline of interactions and
the panels (opportunities, holdings, goals, surveys, cases) of one client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from rmtui.db import session_scope
from rmtui.models import Client, FollowUp
from rmtui.queries.clients import DueState, client_due_state, get_client
from rmtui.queries.follow_ups import open_follow_ups
from rmtui.queries.interactions import InteractionRow, client_timeline
from rmtui.screens import actions
from rmtui.screens.client_panels import PANELS, ClientPanels, read_panels
from rmtui.widgets.virtual_table import BLOCK_SIZE, TableColumn, TableRow, VirtualTable

TIMELINE_PAGE = 100
# Read the next page of the timeline when the cursor comes this close to its end.
TIMELINE_LOOKAHEAD = 20
DATE_FORMAT = "%d %b %Y"
FOLLOW_UP_COLUMNS = (
    TableColumn("due_on", "Due", 11),
    TableColumn("title", "What to do"),
    TableColumn("priority", "Priority", 8),
)
TIMELINE_COLUMNS = (
    TableColumn("at", "When", 17),
    TableColumn("kind", "Kind", 7),
    TableColumn("direction", "Dir", 3),
    TableColumn("subject", "Subject"),
    TableColumn("duration", "Min", 4, align="right"),
)


@dataclass(frozen=True)
class ClientDossier:
    """Everything the detail screen shows of one client on one day."""

    client: Client
    due: DueState
    referred_by: str | None
    follow_ups: list[FollowUp]
    timeline: list[InteractionRow]
    more_timeline: bool
    panels: ClientPanels


def read_dossier(*, session: Session, client_id: int, day: date) -> ClientDossier | None:
    """Read what the detail screen shows of the client, or None when it is gone."""
    client = get_client(session=session, client_id=client_id)
    if client is None:
        return None
    referrer = None
    if client.referred_by_id is not None:
        referrer = get_client(session=session, client_id=client.referred_by_id)
    timeline = client_timeline(session=session, client_id=client_id, limit=TIMELINE_PAGE + 1)
    return ClientDossier(
        client=client,
        due=client_due_state(client, day=day),
        referred_by=referrer.name if referrer else None,
        follow_ups=open_follow_ups(session=session, client_id=client_id),
        timeline=timeline[:TIMELINE_PAGE],
        more_timeline=len(timeline) > TIMELINE_PAGE,
        panels=read_panels(session=session, client_id=client_id, day=day),
    )


class ClientDetailScreen(Screen[None]):
    """One client: profile, check-ins, follow-ups, timeline and panels."""

    SCREEN_NAME = "Client detail"
    CSS_PATH = "client_detail.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("l", "log", "Log"),
        Binding("f", "follow_up", "Follow-up"),
        Binding("e", "edit_profile", "Edit profile"),
        Binding("d", "done", "Done"),
        Binding("s", "snooze", "Snooze"),
        Binding("r", "reschedule", "Reschedule"),
        Binding("u", "undo", "Undo", show=False),
    ]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.dossier: ClientDossier | None = None
        self.timeline: list[InteractionRow] = []
        self.more_timeline = False
        self.undo_done: tuple[int, str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the client…", id="client-heading")
        yield Static("", id="client-due")
        with Horizontal(id="detail-body"):
            with VerticalScroll(id="profile-box") as profile_box:
                profile_box.border_title = "Profile"
                yield Static("", id="profile")
            with Vertical(id="detail-main"):
                yield Static("Open follow-ups", id="follow-ups-title", classes="section-title")
                yield VirtualTable(
                    FOLLOW_UP_COLUMNS,
                    empty_text="No open follow-ups — press f to plan one.",
                    id="follow-ups",
                )
                yield Static("Timeline", id="timeline-title", classes="section-title")
                yield VirtualTable(
                    TIMELINE_COLUMNS,
                    empty_text="No interactions yet — press l to log one.",
                    id="timeline",
                )
        with TabbedContent(id="panels"):
            for key, (label, _text) in PANELS.items():
                with TabPane(label, id=f"panel-{key}"):
                    yield Static("Loading…", id=f"panel-{key}-text", classes="panel-text")
        yield Footer()

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

    # -- reading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="client-detail")
    def load(self) -> None:
        """Read the client again (after a change) and show it."""
        day = actions.rm_app(self).today
        with session_scope(actions.engine_of(self)) as session:
            dossier = read_dossier(session=session, client_id=self.client_id, day=day)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_dossier, dossier)

    def show_dossier(self, dossier: ClientDossier | None) -> None:
        """Fill every part of the screen from `dossier`."""
        first_time = self.dossier is None
        if dossier is None:
            self.query_one("#client-heading", Static).update(
                "This client is no longer in the book."
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
        for key, (_label, text) in PANELS.items():
            self.query_one(f"#panel-{key}-text", Static).update(text(dossier.panels))
        if first_time:
            table = self.follow_ups_table if dossier.follow_ups else self.timeline_table
            table.focus()

    def _show_follow_ups(self, follow_ups: list[FollowUp], day: date) -> None:
        table = self.follow_ups_table
        rows = [
            TableRow(follow_up.id or 0, follow_up_cells(follow_up, day)) for follow_up in follow_ups
        ]
        table.show(
            len(rows),
            lambda offset, limit: rows[offset : offset + limit],
            keep_key=table.current_key,
            first_block=rows[:BLOCK_SIZE],  # where the kept follow-up is looked for
        )
        self.query_one("#follow-ups-title", Static).update(f"Open follow-ups ({len(rows)})")
        self.refresh_bindings()

    def _show_timeline(self, *, keep_key: int | None) -> None:
        rows = self.timeline

        def fetch(offset: int, limit: int) -> list[TableRow]:
            return [timeline_row(row) for row in rows[offset : offset + limit]]

        self.timeline_table.show(
            len(rows), fetch, keep_key=keep_key, first_block=fetch(0, BLOCK_SIZE)
        )
        shown = f"{len(rows)} shown, more as you scroll" if self.more_timeline else f"{len(rows)}"
        self.query_one("#timeline-title", Static).update(f"Timeline, newest first ({shown})")

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        self.refresh_bindings()
        table = event.table
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

    # -- keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("done", "snooze", "reschedule"):
            return None if self._focused_follow_up() is None else True
        if action == "undo":
            return self.undo_done is not None
        return True

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    def _focused_follow_up(self) -> int | None:
        table = self.follow_ups_table
        return table.current_key if table.has_focus else None

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_log(self) -> None:
        actions.log_for_client(self, self.client_id, on_saved=lambda _values: self.load())

    def action_follow_up(self) -> None:
        actions.plan_follow_up(self, self.client_id, on_saved=self.load)

    def action_edit_profile(self) -> None:
        actions.edit_client(self, self.client_id, on_saved=lambda _client_id: self.load())

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        if event.table.id == "follow-ups":
            actions.edit_follow_up(self, event.key, on_saved=self.load)

    def action_done(self) -> None:
        follow_up_id = self._focused_follow_up()
        if follow_up_id is not None:
            actions.complete_follow_up(
                self, follow_up_id, on_saved=lambda title: self._done(follow_up_id, title)
            )

    def _done(self, follow_up_id: int, title: str) -> None:
        self.undo_done = (follow_up_id, title)
        self.notify(f"Done: {title} — press u to undo.", markup=False)
        self.load()

    def action_undo(self) -> None:
        if self.undo_done is not None:
            follow_up_id, title = self.undo_done
            self.undo_done = None
            actions.reopen_follow_up(self, follow_up_id, on_saved=self.load)
            self.notify(f"Open again: {title}", markup=False)

    def action_snooze(self) -> None:
        follow_up_id = self._focused_follow_up()
        if follow_up_id is not None:
            actions.snooze_follow_up(self, follow_up_id, on_saved=self.load)

    def action_reschedule(self) -> None:
        follow_up_id = self._focused_follow_up()
        if follow_up_id is not None:
            actions.reschedule_follow_up(self, follow_up_id, on_saved=self.load)


# -- what the screen says ----------------------------------------------------------------------


def heading_text(client: Client) -> Text:
    """The client's name with kind, status and tier."""
    heading = Text(client.name, style="bold")
    heading.append(f"   {client.kind} · {client.status} · tier {client.tier}", style="dim")
    if client.archived:
        heading.append("   ARCHIVED", style="bold red")
    return heading


def due_text(client: Client, due: DueState, day: date) -> Text:
    """Cadence, last contact and the check-in state in one line."""
    line = Text()
    if client.archived:
        line.append("Archived: no check-ins.", style="dim")
    elif due.due_on is None:
        reason = "a former client" if client.status == "former" else f"a {client.status}"
        line.append(f"No check-ins due: {client.name} is {reason}.", style="dim")
    elif due.overdue and due.days_overdue == 0:
        line.append("Due for a check-in today", style="bold red")
    elif due.overdue:
        line.append(f"Due for a check-in since {_days(due.days_overdue)}", style="bold red")
        line.append(f" ({due.due_on:{DATE_FORMAT}})", style="red")
    else:
        line.append(f"Next check-in in {_days((due.due_on - day).days)}", style="bold green")
        line.append(f" ({due.due_on:{DATE_FORMAT}})", style="green")
    line.append(f"  ·  every {_days(client.checkin_every_days)}", style="dim")
    line.append("  ·  ")
    line.append_text(last_contact_text(due.last_contact_on, day))
    return line


def last_contact_text(last_contact_on: date | None, day: date) -> Text:
    """When the client was last contacted, and how long ago."""
    if last_contact_on is None:
        return Text("never contacted", style="yellow")
    ago = (day - last_contact_on).days
    when = "today" if ago == 0 else "yesterday" if ago == 1 else f"{_days(ago)} ago"
    return Text(f"last contact {last_contact_on:{DATE_FORMAT}} ({when})")


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def profile_table(dossier: ClientDossier, day: date) -> Table:
    """The profile as label / value lines, with the notes below."""
    client = dossier.client
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    place = ", ".join(part for part in (client.city, client.country) if part)
    birthday = None
    if client.birthday:
        age = (
            day.year
            - client.birthday.year
            - ((day.month, day.day) < (client.birthday.month, client.birthday.day))
        )
        birthday = f"{client.birthday:{DATE_FORMAT}} ({age})"
    rows = (
        ("Kind", client.kind),
        ("Status", client.status),
        ("Tier", client.tier),
        ("Company", client.company),
        ("E-mail", client.email),
        ("Phone", client.phone),
        ("City", place),
        ("Birthday", birthday),
        ("Channel", client.preferred_channel),
        ("Source", client.source),
        ("Referred by", dossier.referred_by),
        ("Tags", ", ".join(client.tags or [])),
        ("Risk profile", client.risk_profile),
        ("Client since", _date(client.client_since)),
        ("Client until", _date(client.client_until)),
        ("Added", _date(client.created_on)),
    )
    for label, value in rows:
        if label == "Client until" and not value:
            continue
        table.add_row(label, value or Text("—", style="dim"))
    table.add_row("", "")
    table.add_row("Notes", client.notes or Text("—", style="dim"))
    return table


def _date(day: date | None) -> str | None:
    return f"{day:{DATE_FORMAT}}" if day else None


def follow_up_cells(follow_up: FollowUp, day: date) -> tuple[Text | str, ...]:
    """The cells of an open follow-up: due date (coloured when late or today), title, priority."""
    due = follow_up.due_on
    style = "bold red" if due < day else "bold yellow" if due == day else ""
    priority = Text(
        follow_up.priority, style="bold yellow" if follow_up.priority == "high" else "dim"
    )
    return (Text(f"{due:{DATE_FORMAT}}", style=style), follow_up.title, priority)


def timeline_row(row: InteractionRow) -> TableRow:
    """One interaction of the timeline: when, kind, direction, subject (with notes), minutes."""
    subject = Text(row.subject)
    if row.notes:
        subject.append(f" — {' '.join(row.notes.split())}", style="dim")
    kind_style = "dim" if row.kind == "note" else ""
    minutes = str(row.duration_min) if row.duration_min is not None else ""
    return TableRow(
        row.id,
        (
            f"{row.at:%Y-%m-%d %H:%M}",
            Text(row.kind, style=kind_style),
            row.direction,
            subject,
            minutes,
        ),
    )
