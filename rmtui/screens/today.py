"""Today: the morning agenda, walked with the keyboard — done, snooze, reschedule, log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Static

from rmtui.core.agenda import (
    SECTIONS,
    TODAY_COUNTED,
    TODAY_LIMIT,
    Agenda,
    BirthdayItem,
    CaseItem,
    CheckinItem,
    EarlyAgenda,
    FollowUpItem,
    ReviewItem,
    read_agenda,
)
from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text, long_day_text, short_day_text
from rmtui.core.figures import count_text
from rmtui.core.translation import N_, N_plural, _, ngettext
from rmtui.core.wording import count_of
from rmtui.screens.book_access import book_connection, book_day, rm_app
from rmtui.screens.undo import remember
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.line_list import LineList, ListLine

if TYPE_CHECKING:
    from rmtui.screens.urgency_view import RankedItem

# The actions (forms, models, SQLAlchemy) are imported inside the methods that use them: the
# agenda is read with the standard library's sqlite3 and shows before they have loaded.

MORE_HINT = {
    "checkins_due": N_("(on the Clients screen sorted by last contact: press o)"),
    "birthdays": N_("(`rmtui agenda` lists them all)"),
    "reviews_due": N_("(press v for the review season, month by month)"),
}
MORE_HINT_DEFAULT = N_("(they move up as you deal with these; `rmtui agenda` lists them all)")
EMPTY_SECTION = {
    "overdue": N_("Nothing overdue."),
    "due_today": N_("No follow-ups due today — press f to plan one."),
    "checkins_due": N_("Every client has been contacted within their cadence."),
    "reviews_due": N_("No reviews due in the next two weeks — press v for the review season."),
    "cases_due": N_("No requests or complaints near their deadline."),
    "birthdays": N_("No birthdays this week."),
    "upcoming": N_("Nothing planned for the next 7 days — press f to add a follow-up."),
}


# The counts of the summary line: section, its words for one and many, colour.
SUMMARY_COUNTS = (
    ("overdue", N_plural("{count} overdue", "{count} overdue"), "red"),
    ("due_today", N_plural("{count} due today", "{count} due today"), "yellow"),
    ("checkins_due", N_plural("{count} check-in", "{count} check-ins"), "yellow"),
    ("reviews_due", N_plural("{count} review", "{count} reviews"), "cyan"),
    ("cases_due", N_plural("{count} case", "{count} cases"), "red"),
    ("birthdays", N_plural("{count} birthday", "{count} birthdays"), "magenta"),
)

# The keys that act on the row under the cursor, and the kinds of row they act on.
ROW_ACTIONS: dict[str, tuple[str, ...]] = {
    "why": ("follow_up", "checkin", "review", "case", "birthday"),
    "open_client": ("follow_up", "checkin", "case", "birthday"),
    "log": ("follow_up", "checkin", "case", "birthday"),
    "done": ("follow_up", "case"),
    "snooze": ("follow_up",),
    "reschedule": ("follow_up",),
}
CLIENT_ACTIONS = ("open_client", "log")  # only on a row about a client


@dataclass(frozen=True)
class AgendaEntry:
    """What one row of the Today list stands for: its kind, record id and client."""

    kind: str  # follow_up | checkin | review | case | birthday
    record_id: int
    client_id: int | None
    client_name: str | None

    @property
    def option_id(self) -> str:
        return f"{self.kind}:{self.record_id}"


class TodayScreen(Screen[None]):
    """The agenda for today, with the actions to work through it."""

    SCREEN_NAME = N_("Today")
    CSS_PATH = "today.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", N_("Down"), show=False),
        Binding("k", "cursor_up", N_("Up"), show=False),
        Binding("g,home", "first", N_("First item"), show=False),
        Binding("G,end", "last", N_("Last item"), show=False),
        Binding("tab,right_curly_bracket", "section(1)", N_("Next section"), show=False),
        Binding("shift+tab,left_curly_bracket", "section(-1)", N_("Previous section"), show=False),
        Binding("enter", "open_client", N_("Open client")),
        Binding("l", "log", N_("Log")),
        Binding("d", "done", N_("Done")),
        Binding("s", "snooze", N_("Snooze")),
        Binding("r", "reschedule", N_("Reschedule")),
        Binding("f", "new_follow_up", N_("Follow-up")),
        Binding("w", "why", N_("Why here")),
        Binding("R", "review_report", N_("Review report")),
        Binding("v", "review_season", N_("Review season")),
        Binding("ctrl+r", "reload", N_("Refresh"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, AgendaEntry] = {}
        self.listed: dict[str, tuple[str, Any]] = {}  # option id → (section key, item)
        self.told_problem: str | None = None  # the config.toml problem said last
        self.agenda: Agenda | None = None
        self.seen_mark: int | None = None  # the book's change mark of the agenda shown
        # The row the cursor stays on when the agenda being read is shown (after a change).
        self.row_to_keep: int | None = None
        # The item the cursor goes to when it is listed again (one a change taken back brings).
        self.item_to_show: str | None = None
        self._row_kind: tuple[str, bool] | None = None  # what the keys were last set for

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading today's agenda…"), id="today-summary")
        yield LineList(id="agenda")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        early = self._early_agenda()
        agenda = early.ready() if early is not None else None
        if agenda is not None and early is not None:
            rm_app(self).whose_known(early.shared)
            self.show_agenda(agenda)
        elif early is not None and not early.done:  # still being read
            self.load_agenda(early)
        else:  # back from another screen (or the early reading failed): read it again
            self.reload_in_place()

    def _early_agenda(self) -> EarlyAgenda | None:
        """The agenda read while the app started, if it is today's (taken only once)."""
        app = rm_app(self)
        early, app.early_agenda = app.early_agenda, None
        if early is None or early.day != book_day(self) or early.limit != TODAY_LIMIT:
            return None
        return early

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda")
    def load_agenda(self, early: EarlyAgenda | None = None) -> None:
        """Read the agenda in a worker (or wait for the `early` reading) and show it."""
        app = rm_app(self)
        if early is not None:
            agenda = early.result()
            app.whose_known(early.shared)
            self.app.call_from_thread(self.show_agenda, agenda)
            return
        with book_connection(self) as connection:
            agenda = read_agenda(
                connection,
                day=book_day(self),
                limit=TODAY_LIMIT,
                count_up_to=TODAY_COUNTED,
                owner=app.learn_whose(connection),
            )
        self.app.call_from_thread(self.show_agenda, agenda)

    def show_agenda(self, agenda: Agenda) -> None:
        """Fill the list from `agenda`, keeping the cursor where it was."""
        options = self.query_one("#agenda", LineList)
        kept_id, kept_index = self._cursor_plan(options)
        self.agenda = agenda
        self.entries, self.listed = {}, {}
        options.set_options(self._options(agenda))
        self.query_one("#today-summary", Static).update(summary_text(agenda))
        self._restore_cursor(options, kept_id, kept_index)
        self.seen_mark = agenda.mark
        self._tell_settings_problem(agenda)
        rm_app(self).first_screen_shown()

    def _tell_settings_problem(self, agenda: Agenda) -> None:
        """Say once that config.toml could not be read, so Today is ranked by the defaults."""
        problem = agenda.settings_problem
        if problem is not None and problem != self.told_problem:
            self.notify(
                _("{problem} Until it is, Today uses the default settings.").format(
                    problem=problem
                ),
                severity="warning",
                markup=False,
            )
        self.told_problem = problem

    def _cursor_plan(self, options: LineList) -> tuple[str | None, int | None]:
        """Where the cursor goes in the agenda about to be shown: on the item with the id, if
        listed, else on the row (on the nearest item when that row has none)."""
        kept_id, row = self._highlighted_id(), options.highlighted
        if self.row_to_keep is not None:  # the row, whatever is on it now
            kept_id, row = None, self.row_to_keep
        if self.item_to_show is not None:
            kept_id = self.item_to_show
        self.row_to_keep = self.item_to_show = None
        return kept_id, row

    def _options(self, agenda: Agenda) -> list[ListLine]:
        result: list[ListLine] = []
        for key, title, items in agenda.sections():
            heading = section_heading(_(title), agenda.total(key), agenda.total_text(key))
            result.append(ListLine(heading, heading=True))
            if not items:
                result.append(ListLine(Text(f"  {_(EMPTY_SECTION[key])}", style="dim")))
            for item in items[:TODAY_LIMIT]:
                entry = entry_for(item)
                self.entries[entry.option_id] = entry
                self.listed[entry.option_id] = (key, item)
                result.append(ListLine(item_line(item, agenda.day), id=entry.option_id))
            more = agenda.total(key) - min(len(items), TODAY_LIMIT)
            if more:
                hint = _(MORE_HINT.get(key, MORE_HINT_DEFAULT))
                plus = "" if agenda.counted(key) else "+"
                line = "  " + ngettext(
                    "… and {count} more {hint}", "… and {count} more {hint}", more
                ).format(count=count_text(more) + plus, hint=hint)
                result.append(ListLine(Text(line, style="dim")))
        return result

    def _highlighted_id(self) -> str | None:
        options = self.query_one("#agenda", LineList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def _restore_cursor(self, options: LineList, kept_id: str | None, index: int | None) -> None:
        if kept_id is not None and kept_id in self.entries:
            options.highlighted = options.get_option_index(kept_id)
            return
        enabled = [
            i for i in range(options.option_count) if not options.get_option_at_index(i).disabled
        ]
        if not enabled:
            options.highlighted = None
            return
        start = index or 0
        options.highlighted = next((i for i in enabled if i >= start), enabled[-1])

    def selected(self) -> AgendaEntry | None:
        """The agenda entry under the cursor."""
        option_id = self._highlighted_id()
        return self.entries.get(option_id) if option_id else None

    def action_cursor_down(self) -> None:
        self.query_one("#agenda", LineList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#agenda", LineList).action_cursor_up()

    def action_first(self) -> None:
        self.query_one("#agenda", LineList).action_first()

    def action_last(self) -> None:
        self.query_one("#agenda", LineList).action_last()

    def action_section(self, step: int) -> None:
        self.query_one("#agenda", LineList).action_section(step)

    def reload_in_place(self) -> None:
        """Read the agenda again after a change made here (or taken back): the cursor stays
        on its row, where the next item comes up when the one it was on left the list."""
        if self.row_to_keep is None:
            self.row_to_keep = self.query_one("#agenda", LineList).highlighted
        self.load_agenda()

    def show_again(self, entry: AgendaEntry) -> Callable[[], None]:
        """What puts the cursor back on `entry` once a change to it is taken back."""

        def wanted() -> None:
            self.item_to_show = entry.option_id

        return wanted

    # -- the keys that apply to the row under the cursor ----------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        kinds = ROW_ACTIONS.get(action)
        if kinds is None:
            return True
        entry = self.selected()
        if entry is None or entry.kind not in kinds:
            return None  # shown dimmed: the key is this screen's, not this row's
        if action in CLIENT_ACTIONS and entry.client_id is None:
            return None
        return True

    def on_line_list_option_highlighted(self, event: LineList.OptionHighlighted) -> None:
        entry = self.entries.get(event.option_id) if event.option_id else None
        row_kind = (entry.kind, entry.client_id is not None) if entry else None
        if row_kind != self._row_kind:  # the keys change only with the kind of row
            self._row_kind = row_kind
            self.refresh_bindings()

    def action_reload(self) -> None:
        self.load_agenda()

    def on_line_list_option_selected(self, event: LineList.OptionSelected) -> None:
        event.stop()
        self.action_open_client()

    def action_open_client(self) -> None:
        from rmtui.screens.client.opening import open_client

        entry = self._client_entry(_("Choose a row about a client to open."))
        if entry is not None:
            open_client(self, entry.client_id)  # type: ignore[arg-type]

    def action_log(self) -> None:
        from rmtui.screens.flows import clients as actions

        entry = self._client_entry(_("Choose a row about a client to log an interaction for."))
        if entry is not None:
            actions.log_for_client(
                self,
                entry.client_id,  # type: ignore[arg-type]
                on_saved=lambda _values: self._after_log(entry),
            )

    def _client_entry(self, refusal: str) -> AgendaEntry | None:
        entry = self.selected()
        if entry is None or entry.client_id is None:
            self.notify(refusal, severity="warning")
            return None
        return entry

    def _after_log(self, entry: AgendaEntry) -> None:
        """A logged contact about a due follow-up also closes that follow-up."""
        from rmtui.screens.flows import clients as actions

        if entry.kind == "follow_up" and self._is_due(entry):
            actions.complete_follow_up(
                self,
                entry.record_id,
                on_saved=lambda _title: self.reload_in_place(),
                on_undone=self.show_again(entry),
            )
        else:
            self.reload_in_place()

    def _is_due(self, entry: AgendaEntry) -> bool:
        agenda = self.agenda
        if agenda is None:
            return False
        due = {item.id for item in (*agenda.overdue, *agenda.due_today)}
        return entry.record_id in due

    def action_done(self) -> None:
        from rmtui.screens.flows import clients as actions

        entry = self.selected()
        if entry is None:
            return
        if entry.kind == "follow_up":
            actions.complete_follow_up(
                self,
                entry.record_id,
                on_saved=lambda _title: self.reload_in_place(),
                on_undone=self.show_again(entry),
            )
        elif entry.kind == "case":
            self._resolve_case(entry)

    def _resolve_case(self, entry: AgendaEntry) -> None:
        from rmtui.core.queries.cases import reopen_case, resolve_case
        from rmtui.screens.flows import clients as actions

        day, case_id = book_day(self), entry.record_id
        subject = actions.saved(
            self, lambda session: resolve_case(session=session, case_id=case_id, day=day).subject
        )
        if subject is not None:
            remember(
                self,
                _("resolved “{subject}”").format(subject=subject),
                lambda session: reopen_case(session=session, case_id=case_id),
                on_undone=self.show_again(entry),
            )
            self.reload_in_place()

    def book_changed(self, focus: int | None = None) -> None:
        """Read the agenda again (another window or program changed the book, or an undo did),
        the cursor staying on its row."""
        self.reload_in_place()

    def action_snooze(self) -> None:
        from rmtui.screens.flows import clients as actions

        entry = self._follow_up_entry(_("Only follow-ups can be put off; choose one to snooze."))
        if entry is not None:
            actions.snooze_follow_up(
                self,
                entry.record_id,
                title=self._title_of(entry),
                on_saved=self.reload_in_place,
                on_undone=self.show_again(entry),
            )

    def action_reschedule(self) -> None:
        from rmtui.screens.flows import clients as actions

        entry = self._follow_up_entry(
            _("Only follow-ups can be put off; choose one to reschedule.")
        )
        if entry is not None:
            actions.reschedule_follow_up(
                self,
                entry.record_id,
                title=self._title_of(entry),
                on_saved=self.reload_in_place,
                on_undone=self.show_again(entry),
            )

    def _title_of(self, entry: AgendaEntry) -> str:
        agenda = self.agenda
        items = (*agenda.overdue, *agenda.due_today, *agenda.upcoming) if agenda else ()
        titles = (item.title for item in items if item.id == entry.record_id)
        return next(titles, _("follow-up"))

    def _follow_up_entry(self, refusal: str) -> AgendaEntry | None:
        entry = self.selected()
        if entry is None or entry.kind != "follow_up":
            self.notify(refusal, severity="warning")
            return None
        return entry

    def action_review_report(self) -> None:
        """Prepare the review report of the client of the row (a review due, or any other)."""
        entry = self._client_entry(
            _("Choose a row about a client to prepare the review report of.")
        )
        if entry is not None:
            review_actions().export_review(self, entry.client_id)

    def action_why(self) -> None:
        """Show the urgency of the item under the cursor, term by term."""
        from rmtui.screens.urgency_view import UrgencyView

        option_id = self._highlighted_id()
        if self.agenda is None or option_id not in self.listed:
            return
        key, item = self.listed[option_id]
        self.app.push_screen(
            UrgencyView(ranked_item(self.agenda, key, item), self.agenda.coefficients)
        )

    def action_review_season(self) -> None:
        """The reviews due month by month, from this month."""
        from rmtui.screens.review_season import ReviewSeasonScreen

        self.app.push_screen(ReviewSeasonScreen(book_day(self)))

    def action_new_follow_up(self) -> None:
        from rmtui.screens.flows import clients as actions

        entry = self.selected()
        client_id = entry.client_id if entry else None
        actions.plan_follow_up(self, client_id, on_saved=self.load_agenda)


def review_actions() -> Any:
    """The review report's actions (imported when used: the agenda shows before they load)."""
    from rmtui.screens.flows import records

    return records


def ranked_item(agenda: Agenda, key: str, item: Any) -> RankedItem:
    """What the urgency view tells of `item`, listed in the section `key` of `agenda`."""
    from rmtui.screens.urgency_view import RankedItem

    return RankedItem(
        item_line(item, agenda.day),
        item.urgency,
        _(dict(SECTIONS)[key]),
        getattr(agenda, key).index(item) + 1,
        agenda.total_text(key),
        business_days=getattr(item, "business_days", False),
    )


def entry_for(item: Any) -> AgendaEntry:
    """The entry an agenda item stands for."""
    if isinstance(item, FollowUpItem):
        return AgendaEntry("follow_up", item.id, item.client_id, item.client_name)
    if isinstance(item, CheckinItem):
        return AgendaEntry("checkin", item.client_id, item.client_id, item.name)
    if isinstance(item, ReviewItem):
        return AgendaEntry("review", item.client_id, item.client_id, item.name)
    if isinstance(item, CaseItem):
        return AgendaEntry("case", item.id, item.client_id, item.client_name)
    assert isinstance(item, BirthdayItem)
    return AgendaEntry("birthday", item.client_id, item.client_id, item.name)


def section_heading(title: str, count: int, shown: str | None = None) -> Text:
    """A section's heading line with its count (`shown` as written, else in figures)."""
    heading = Text()
    heading.append(f"{title} ", style="bold")
    heading.append(f"({shown or count_text(count)})", style="bold" if count else "dim")
    return heading


def item_line(item: Any, day: date) -> Text:
    """One agenda row: what, for whom and when, with the urgency coloured."""
    if isinstance(item, FollowUpItem):
        return _follow_up_line(item, day)
    if isinstance(item, CheckinItem):
        return _checkin_line(item)
    if isinstance(item, ReviewItem):
        return review_line(item, day)
    if isinstance(item, CaseItem):
        return _case_line(item)
    return _birthday_line(item, day)


def _follow_up_line(item: FollowUpItem, day: date) -> Text:
    late = (day - item.due_on).days
    when = (
        _("{days}d late").format(days=late)
        if late > 0
        else _("today")
        if late == 0
        else short_day_text(item.due_on, today=day)
    )
    line = Text("  ")
    line.append(f"{when:<11}", style="bold red" if late > 0 else "")
    line.append("! " if item.priority == "high" else "  ", style="bold yellow")
    if item.due_at is not None:
        line.append(f"{item.due_at:%H:%M} ", style="bold")
    line.append(item.title)
    if item.repeat:
        line.append(" ↻", style="dim")
    if item.client_name:
        line.append(f"  — {item.client_name}", style="dim")
    return line


def _checkin_line(item: CheckinItem) -> Text:
    line = Text("  ")
    # A household that shares check-ins is asked about once: by its name and the first name
    # of the member most overdue.
    who = f"{item.household} ({item.name.split()[0]})" if item.household else item.name
    line.append(f"{who:<30.30}")
    line.append(" " + _("tier {tier}").format(tier=item.tier) + "  ", style="dim")
    line.append(
        _("{days}d since contact").format(days=item.days_since)
        if item.last_contact_on
        else _("never contacted, client {days}d").format(days=item.days_since)
    )
    over = _("{days}d over").format(days=item.days_overdue) if item.days_overdue else _("due today")
    line.append(
        "  " + _("(every {days}d, {over})").format(days=item.cadence, over=over),
        style="red" if item.days_overdue else "yellow",
    )
    return line


def review_line(item: ReviewItem, day: date) -> Text:
    """A review due: when, who, and what its cadence counts from."""
    if item.days_left < 0:
        when, style = _("{days}d late").format(days=-item.days_left), "bold red"
    elif item.days_left == 0:
        when, style = _("today"), "bold yellow"
    else:
        when, style = short_day_text(item.due_on, today=day), ""
    basis = {
        "review": _("last review"),
        "meeting": _("last meeting"),
        "client since": _("client since"),
    }
    line = Text("  ")
    line.append(f"{when:<11}", style=style)
    line.append(f"  {item.name:<30.30}")
    line.append(" " + _("tier {tier}").format(tier=item.tier) + "  ", style="dim")
    every = _("every {months} mo, {basis}").format(
        months=item.every_months, basis=basis[item.counts_from]
    )
    line.append(f"{every} ", style="dim")
    line.append(date_text(item.since), style="dim")
    return line


def _case_line(item: CaseItem) -> Text:
    # Business days for a business-day clock.
    if item.days_left < 0:
        late = _("{days} bd late") if item.business_days else _("{days}d late")
        when, style = late.format(days=-item.days_left), "bold red"
    elif item.days_left == 0:
        when, style = _("due today"), "bold yellow"
    else:
        soon = _("in {days} bd") if item.business_days else _("in {days}d")
        when, style = soon.format(days=item.days_left), "yellow"
    line = Text("  ")
    line.append(f"{when:<11}", style=style)
    line.append(f"  {choice_text(item.kind)}: {item.subject}")
    line.append(f"  — {item.client_name}", style="dim")
    return line


def _birthday_line(item: BirthdayItem, day: date) -> Text:
    when = _("today") if item.on == day else short_day_text(item.on, today=day)
    line = Text("  ")
    line.append(f"{when:<13}", style="bold magenta" if item.on == day else "")
    line.append(_("{name} turns {age}").format(name=item.name, age=item.turns))
    return line


def summary_text(agenda: Agenda) -> Text:
    """The line above the list: the day and the count of each section."""
    line = Text(long_day_text(agenda.day), style="bold")
    for key, forms, style in SUMMARY_COUNTS:
        count = agenda.total(key)
        line.append("  ·  ")
        words = count_of(forms, count, at_least=not agenda.counted(key))
        line.append(words, style=style if count else "dim")
    return line
