"""The Textual app: one mode per top-level screen, the book handed in by a factory."""

from __future__ import annotations

import gc
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.filter import LineFilter
from textual.notifications import Notification, Notify
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets._toast import Toast
from textual.worker import Worker, WorkerState

from rmtui.core.dates import date_text, today
from rmtui.core.people import session_user
from rmtui.core.translation import N_, _, pN_
from rmtui.screens.typing_order import KeysInTypingOrder
from rmtui.screens.undo import UndoHistory, undo_latest
from rmtui.widgets.printable_lines import PrintableLines

# The other screens' styles, read once the first screen shows: Textual parses every style
# again when a screen brings styles it has not seen, which made opening a screen slow, and
# reading them all before the first screen made start-up slow.
LATER_STYLES = tuple(
    Path(__file__).parent / "screens" / f"{name}.tcss"
    for name in (
        "dialogs",
        "clients",
        "client/detail",
        "client_picker",
        "log",
        "pipeline",
        "kpis",
        "trash",
    )
)
PRINTABLE_LINES = PrintableLines()
SHOWN_INFORMATION = 2  # information toasts on screen at once, the newest
SETTLED_S = 1.0  # a screen has painted and loaded its first rows by then
BACKUP_CHECK_S = 2.0  # how often to look whether the daily backup has finished
BOOK_WATCH_S = 1.5  # how often to look whether another program changed the book
REPLACED = N_(
    "The book file was replaced by another program (a restore or an encryption); "
    "quit rmtui and open the book again to see it."
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from textual.command import Provider

    from rmtui.core.agenda import EarlyAgenda
    from rmtui.core.backups import DailyBackup
    from rmtui.core.book_watch import BookWatch
    from rmtui.core.kpi import KpiCache


def styles_current(screen: Screen[None]) -> Screen[None]:
    """`screen`, marked as styled by the stylesheet as it is now (for every mode but the
    first, whose screen is styled with the app).

    A new screen takes its styles from the stylesheet when it mounts. Textual nonetheless
    parses every style again, twice, when a mode's screen is first shown (its check that the
    screen's styles are current runs before the screen is). This skips those two parses.
    """
    screen._css_update_count = screen.app._css_update_count
    return screen


def _today_screen() -> Screen[None]:
    from rmtui.screens.today import TodayScreen

    return TodayScreen()  # the first screen: the app's first styling pass includes it


def _clients_screen() -> Screen[None]:
    from rmtui.screens.clients import ClientsScreen

    return styles_current(ClientsScreen())


def _log_screen() -> Screen[None]:
    from rmtui.screens.log import LogScreen

    return styles_current(LogScreen())


def _pipeline_screen() -> Screen[None]:
    from rmtui.screens.pipeline import PipelineScreen

    return styles_current(PipelineScreen())


def _kpi_screen() -> Screen[None]:
    from rmtui.screens.kpis import KpiScreen

    return styles_current(KpiScreen())


def _client_commands() -> type[Provider]:
    from rmtui.screens.palette import ClientProvider

    return ClientProvider


def _person_commands() -> type[Provider]:
    from rmtui.screens.palette import ContactPersonProvider

    return ContactPersonProvider


def _screen_commands() -> type[Provider]:
    from rmtui.screens.palette import ScreenCommandProvider

    return ScreenCommandProvider


class RmApp(KeysInTypingOrder[None]):
    """rmtui: the relationship manager's book of business in the terminal."""

    CSS_PATH: ClassVar = ["app.tcss", "screens/today.tcss"]
    TITLE = "rmtui"
    MODES: ClassVar = {
        "today": _today_screen,
        "clients": _clients_screen,
        "log": _log_screen,
        "pipeline": _pipeline_screen,
        "kpis": _kpi_screen,
    }
    DEFAULT_MODE = "today"
    # Screen classes the .tcss files lay out by: a narrow (80 columns, a split laptop) or wide
    # terminal, a short one (24 rows).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-normal"), (170, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    COMMAND_PALETTE_BINDING = "ctrl+p"
    COMMANDS: ClassVar = {_client_commands, _person_commands, _screen_commands}
    # The screen keys' names, translated in the context "screen" (see widgets/key_bar).
    SCREEN_KEY_NAMES = (
        pN_("screen", "Today"),
        pN_("screen", "Clients"),
        pN_("screen", "Log"),
        pN_("screen", "Pipeline"),
        pN_("screen", "KPIs"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('today')", N_("Today"), id="mode-today"),
        Binding("2", "switch_mode('clients')", N_("Clients"), id="mode-clients"),
        Binding("3", "switch_mode('log')", N_("Log"), id="mode-log"),
        Binding("4", "switch_mode('pipeline')", N_("Pipeline"), id="mode-pipeline"),
        Binding("5", "switch_mode('kpis')", N_("KPIs"), id="mode-kpis"),
        Binding(
            "m",
            "mine_or_all",
            N_("Mine/All"),
            tooltip=N_("your clients and everyone's, or every client"),
            id="mine-or-all",
        ),
        Binding("u", "undo", N_("Undo"), show=False, id="undo"),
        Binding("ctrl+t", "trash", N_("Trash"), show=False, id="trash"),
        Binding("question_mark", "help", N_("Help"), key_display="?", id="help"),
        Binding("q", "quit", N_("Quit"), id="quit"),
    ]

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        book_name: str,
        day: date | None = None,
        book_path: Path | None = None,
        early_agenda: EarlyAgenda | None = None,
        daily_backup: DailyBackup | None = None,
    ) -> None:
        super().__init__()
        if engine is None and book_path is None:
            raise ValueError("the app needs an engine or the path of a book at the current schema")
        self._engine = engine
        self._engine_lock = threading.Lock()
        self.book_path = book_path
        self.early_agenda = early_agenda
        self._settled_in = False
        self.daily_backup = daily_backup
        self._backup_told = False
        self.book_name = book_name
        self.fixed_day = day
        self.undo_history = UndoHistory()
        self.own_changes: set[int] = set()  # audit entries this window wrote
        self._kpi_cache: KpiCache | None = None
        self._watch: BookWatch | None = None
        self._version_shown: int | None = None
        self.book_replaced = False
        self.user = session_user()
        # Someone else owns clients of the book (learned as it is read): then Today, Clients
        # and KPIs show the user's clients and everyone's, or, after `m`, every client.
        self.shared = False
        self.everyone = False

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """Quit: today's backup, when it is still being made, stops now, while the app closes
        (the next start takes it again)."""
        if self.daily_backup is not None:
            self.daily_backup.put_off()
        super().exit(*args, **kwargs)

    @property
    def engine(self) -> Engine:
        """The book's engine; on a book given by path, it is made on first use."""
        with self._engine_lock:
            if self._engine is None:
                from rmtui.core.db import make_engine

                assert self.book_path is not None
                self._engine = make_engine(self.book_path)
            return self._engine

    @property
    def kpi_cache(self) -> KpiCache:
        """The KPI sets and trends this window has read while the book is unchanged (made on
        first use: start-up does not load the KPIs)."""
        with self._engine_lock:
            if self._kpi_cache is None:
                from rmtui.core.kpi import KpiCache

                self._kpi_cache = KpiCache()
            return self._kpi_cache

    @property
    def has_engine(self) -> bool:
        """Whether the engine has been made (the Today screen reads without it until then)."""
        return self._engine is not None

    @property
    def today(self) -> date:
        """The day the agenda and forms work with."""
        return self.fixed_day or today()

    @property
    def owner(self) -> str | None:
        """The owner the screens narrow the book to (people.mine_of): the user, or None."""
        return self.user if self.shared and not self.everyone else None

    def learn_whose(self, connection: Any) -> str | None:
        """Whether someone else owns clients, read on `connection` (in any thread): the
        owner to narrow the book to."""
        from rmtui.core.people import mine_of

        self.whose_known(mine_of(connection, self.user) is not None)
        return self.owner

    def whose_known(self, shared: bool) -> None:
        """Note whether someone else owns clients; the key bar and the header follow."""
        if shared != self.shared:
            self.shared = shared
            if threading.get_ident() == self._thread_id:
                self._show_whose()
            else:
                self.call_from_thread(self._show_whose)

    def _show_whose(self) -> None:
        self.sub_title = date_text(self.today, "%a %d %b %Y")
        if self.shared:
            whose = _("all clients") if self.everyone else _("my clients")
            self.sub_title += f" · {self.user} · {whose}"
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`m` is there only in a book where someone else owns clients."""
        if action == "mine_or_all":
            return self.shared
        return super().check_action(action, parameters)

    def action_mine_or_all(self) -> None:
        """Show every client of the book, or again the user's own and everyone's."""
        self.everyone = not self.everyone
        self._show_whose()
        changed = getattr(self.screen, "book_changed", None)
        if callable(changed):
            changed()

    def on_mount(self) -> None:
        self.title = f"rmtui — {self.book_name}"
        self._show_whose()
        self.set_timer(SETTLED_S, freeze_heap)
        self.set_interval(BACKUP_CHECK_S, self.check_daily_backup)

    def on_unmount(self) -> None:
        if self._watch is not None:
            self._watch.close()

    def check_daily_backup(self) -> None:
        """Say so if today's backup, taken in the background, has failed."""
        backup = self.daily_backup
        if backup is not None and backup.large and not self._backup_told:
            from rmtui.core.backups import size_text

            self._backup_told = True
            self.notify(
                _(
                    "Making today's backup of this {size} book in the background; you can "
                    "work meanwhile, and quitting does not wait for it."
                ).format(size=size_text(backup.book_size)),
                timeout=8,
            )
        if backup is None or not backup.done:
            return
        self.daily_backup = None
        if backup.error is not None:
            self.notify(
                _(
                    "Today's backup was not taken: {error} Your book is unchanged; "
                    "run `rmtui backup` to try again."
                ).format(error=backup.error),
                severity="error",
                timeout=20,
            )

    def first_screen_shown(self) -> None:
        """Called when the first screen shows its rows: load the rest behind it."""
        if not self._settled_in:
            self._settled_in = True
            self.call_after_refresh(self.settle_in)

    def settle_in(self) -> None:
        """Read the other screens' styles and, on a book given by path, load the rest of
        rmtui in a worker, while the user reads the first screen."""
        unread = [path for path in LATER_STYLES if not self.stylesheet.has_source(str(path))]
        for path in unread:
            self.stylesheet.read(path)
        if unread:
            self.refresh_css(animate=False)
        if not self.has_engine:
            self.warm_up()
        self.set_interval(BOOK_WATCH_S, self.watch_book)

    def watch_book(self) -> None:
        """Refresh the screen when another program changed the book; say so, once, when
        another file was put in its place."""
        if not self.has_engine or self.book_replaced:
            return  # the engine is still being made behind the first screen, or it is over
        if self._closing or not self.is_running or not self.screen.is_mounted:
            return  # quitting: the screens are being taken down
        watch = self._watch
        if watch is None:
            from rmtui.core.book_watch import BookWatch
            from rmtui.core.db import book_label

            label = book_label(self.engine)
            path = label if isinstance(label, Path) else None  # None: a book on a server
            watch = self._watch = BookWatch(path, self.engine.raw_connection)
        if watch.replaced:
            watch.close()
            self.notify(_(REPLACED), severity="error", timeout=30)
            self._watch = None
            self.book_replaced = True
            return
        self._show_changes(watch)

    def _show_changes(self, watch: BookWatch) -> None:
        version = watch.version()
        changed = getattr(self.screen, "book_changed", None)
        if self._version_shown is None:  # the first look: was the screen read before a change?
            self._version_shown = version
            seen = getattr(self.screen, "seen_mark", None)
            if callable(changed) and seen is not None and watch.mark() > seen:
                changed()
        elif version != self._version_shown and callable(changed):
            self._version_shown = version
            changed()

    @work(thread=True, exit_on_error=False, exclusive=True, group="warm-up")
    def warm_up(self) -> None:
        """Load SQLAlchemy, the models, the screens' actions and the locale's way of writing
        numbers (Babel), and make the engine, while the user reads the first screen: the first
        key that needs them then finds them ready."""
        import rmtui.screens.flows.clients  # noqa: F401  (loads the forms, models and SQLAlchemy)
        from rmtui.core.user_locale import number_symbols, user_locale

        number_symbols(user_locale())
        self.engine.dispose()  # made, with no connection kept open

    def switch_mode(self, mode: str) -> AwaitMount:
        """Show the screen of `mode`; once it has settled, freeze what it built (see
        `freeze_heap`)."""
        switched = super().switch_mode(mode)
        self.set_timer(SETTLED_S, freeze_heap)
        return switched

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then one that keeps control characters off the terminal."""
        return [*super().get_line_filters(), PRINTABLE_LINES]

    def action_undo(self) -> None:
        """Take back the newest change of this session (again for the one before it)."""
        undo_latest(self.screen)

    def action_command_palette(self) -> None:
        """Textual's command palette, in the language of the text."""
        from textual.command import CommandPalette

        from rmtui.screens.palette import Palette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette())

    def action_trash(self) -> None:
        """Show what was deleted in the last 30 days, to restore it."""
        from rmtui.screens.trash import TrashScreen

        if not isinstance(self.screen, TrashScreen):
            self.push_screen(TrashScreen())

    def action_help(self) -> None:
        """Show every binding of the current screen."""
        from rmtui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def on_notify(self, event: Notify) -> None:
        """Keep the newest information toasts only (a warning or an error stays its time):
        the toasts of changes made one after the other never reach down to the rows."""
        new = event.notification
        if new.severity != "information":
            return
        earlier = [shown for shown in self._notifications if shown.severity == "information"]
        earlier = [shown for shown in earlier if shown is not new]
        for older in earlier[: max(len(earlier) - SHOWN_INFORMATION + 1, 0)]:
            self._take_away(older)

    def _take_away(self, notification: Notification) -> None:
        """Take a notification away before its time, the way Textual does when its toast is
        clicked (the toast goes with the box that places it)."""
        toasts = [
            toast for toast in self.screen.query(Toast) if toast._notification is notification
        ]
        for toast in toasts:
            toast._expire()
        if not toasts:  # its toast is not shown yet
            self._unnotify(notification)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Turn a failed background job into a visible error instead of a crash."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(self.error_text(event.worker.error), severity="error", timeout=10)

    def error_text(self, error: BaseException) -> str:
        """One sentence for an error met on the book (that it was replaced, when it was),
        begun with a capital as every message on the screen is."""
        from rmtui.core.errors import error_sentence

        if self.book_replaced or (self._watch is not None and self._watch.replaced):
            return _(REPLACED)
        said = error_sentence(error, path=self._book_file())
        return said[:1].upper() + said[1:]

    def _book_file(self) -> Path | str | None:
        if self.book_path is not None:
            return self.book_path
        if self.has_engine:
            from rmtui.core.db import book_label

            return book_label(self.engine)
        return None


def freeze_heap() -> None:
    """Take the objects alive now out of the garbage collector's rounds.

    After start-up and after a screen has loaded, the heap holds about a million long-lived
    objects (modules, styles, widgets, SQLAlchemy's caches). A full collection walks all of
    them and stalls the next keypress by some 80 ms; frozen, they are skipped, and each
    collection walks only what was made since. Young garbage is collected first.
    """
    gc.collect(1)
    gc.freeze()


def make_app(engine: Engine, *, book_name: str, day: date | None = None) -> RmApp:
    """The app on an open book; the CLI and the tests both build it here."""
    return RmApp(engine, book_name=book_name, day=day)


def make_app_on_path(
    path: Path,
    *,
    book_name: str,
    early_agenda: EarlyAgenda | None = None,
    daily_backup: DailyBackup | None = None,
) -> RmApp:
    """The app on the book at `path`, which must be at the current schema and unencrypted
    (see `rmtui.core.db.book_at_head`): its first screen shows before SQLAlchemy is loaded, with
    the `early_agenda` if one is being read."""
    return RmApp(
        book_name=book_name, book_path=path, early_agenda=early_agenda, daily_backup=daily_backup
    )
