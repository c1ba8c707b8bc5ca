"""Typed access, from any widget, to the book and the day the app works with."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from textual.dom import DOMNode

from rmtui.db import connect_plain, session_scope

if TYPE_CHECKING:
    from sqlmodel import Session

    from rmtui.app import RmApp


def rm_app(node: DOMNode) -> RmApp:
    """The running rmtui app."""
    return cast("RmApp", node.app)


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
        with closing(app.engine.raw_connection()) as connection:
            yield connection
        return
    with closing(connect_plain(app.book_path)) as connection:
        yield connection
