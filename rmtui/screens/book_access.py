"""Typed access, from any widget, to the book and the day the app works with.

Screens and widgets see the app through `BookApp`, what they need of it, so that they never
import the app module that imports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.dom import DOMNode

from rmtui.core.db import reading_connection, session_scope
from rmtui.core.storage import connect_plain

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from rmtui.core.agenda import EarlyAgenda
    from rmtui.core.changes import Seen
    from rmtui.core.kpi import KpiCache


class BookApp(Protocol):
    """What screens and widgets use of the running app."""

    book_path: Path | None
    early_agenda: EarlyAgenda | None
    own_changes: set[int]

    @property
    def kpi_cache(self) -> KpiCache:
        """The KPI sets and trends this window has read while the book is unchanged."""
        ...

    @property
    def engine(self) -> Engine:
        """The book's engine, made on first use."""
        ...

    @property
    def has_engine(self) -> bool:
        """Whether the engine has been made."""
        ...

    @property
    def today(self) -> date:
        """The day the app works with."""
        ...

    def first_screen_shown(self) -> None:
        """Load what the other screens need, once the first one shows."""
        ...

    def switch_mode(self, mode: str) -> Any:
        """Show the screen of `mode`."""
        ...

    def error_text(self, error: BaseException) -> str:
        """One sentence for an error met on the book."""
        ...

    @property
    def owner(self) -> str | None:
        """The owner the screens narrow the book to (the user), or None for every client."""
        ...

    def learn_whose(self, connection: Any) -> str | None:
        """Whether someone else owns clients, read on `connection`: the owner to narrow to."""
        ...

    def whose_known(self, shared: bool) -> None:
        """Note whether someone else owns clients."""
        ...


def rm_app(node: DOMNode) -> BookApp:
    """The running rmtui app."""
    return cast("BookApp", node.app)


def seen_by(screen: DOMNode) -> Seen | None:
    """What `screen` has shown of the book: the change mark of its last reading (set in
    `seen_mark` by screens that show records), with the changes this window made since."""
    from rmtui.core.changes import Seen

    mark = getattr(screen, "seen_mark", None)
    if mark is None:
        return None
    return Seen(mark, own=frozenset(rm_app(screen).own_changes))


def book_day(node: DOMNode) -> date:
    """The day the app works with (today, or the frozen day of a test or demo)."""
    return rm_app(node).today


@contextmanager
def book_session(node: DOMNode) -> Iterator[Session]:
    """A short-lived session on the app's book: one transaction, audited."""
    with session_scope(rm_app(node).engine) as session:
        yield session


@contextmanager
def book_connection(node: DOMNode) -> Iterator[Any]:
    """A DB-API connection on the app's book for reading: the engine's once it is made,
    otherwise a standard-library sqlite3 one, so nothing waits for SQLAlchemy to load."""
    app = rm_app(node)
    if app.has_engine or app.book_path is None:
        with reading_connection(app.engine) as connection:
            yield connection
        return
    with closing(connect_plain(app.book_path)) as connection:
        yield connection
