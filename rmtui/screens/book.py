"""Typed access, from any widget, to the book and the day the app works with."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

from rmtui.db import session_scope

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
