"""Undo for the session: every change `u` can take back, newest on top.

A screen that changes the book says how to take the change back with `remember`; `u`
anywhere takes back the newest change not yet taken back, then the one before it, and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from textual.dom import DOMNode
from textual.screen import Screen

from rmtui.core.translation import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The oldest changes are forgotten beyond this many.
KEPT_CHANGES = 100


@dataclass(frozen=True)
class Change:
    """A change to the book, as the user would say it, and the work that takes it back."""

    said: str  # e.g. `marked “Send the proposal” done`
    take_back: Callable[[Session], object]
    focus: int | None = None  # the record the cursor goes back to, once taken back
    on_undone: Callable[[], object] | None = None  # told once it is taken back


@runtime_checkable
class ShowsTheBook(Protocol):
    """A screen that reads the book again when a change is taken back under it."""

    def book_changed(self, focus: int | None = None) -> None:
        """Read again what the screen shows, the cursor on record `focus` when it lists it."""
        ...


class UndoHistory:
    """The changes of this session that can still be taken back."""

    def __init__(self) -> None:
        self._changes: list[Change] = []

    def __len__(self) -> int:
        return len(self._changes)

    def remember(self, change: Change) -> None:
        """Add `change` on top."""
        self._changes.append(change)
        del self._changes[:-KEPT_CHANGES]

    def latest(self) -> Change | None:
        """The change `u` takes back next."""
        return self._changes[-1] if self._changes else None

    def forget_latest(self) -> None:
        """Drop the newest change (taken back, or no longer possible)."""
        self._changes.pop()


class HasUndo(Protocol):
    """The app, as far as undo goes."""

    undo_history: UndoHistory


def remember(
    node: DOMNode,
    said: str,
    take_back: Callable[[Session], object],
    *,
    focus: int | None = None,
    on_undone: Callable[[], object] | None = None,
) -> None:
    """Let `u` take back the change just made, and say so: `said` is what was done, in
    lower case and without a full stop (`marked “Call Anna” done`), as in "Undone: …";
    `on_undone` is called once it is taken back, before the screen reads the book again."""
    history = _history(node)
    history.remember(Change(said, take_back, focus, on_undone))
    sentence = f"{said[:1].upper()}{said[1:]}"
    node.app.notify(_("{change}. Press u to undo.").format(change=sentence), markup=False)


def delete_question(what: str) -> str:
    """Asking before a delete that `u` takes back: `what` with its article (`the deal “X”`)."""
    return _("Delete {what}? It goes to the trash for 30 days; press u to bring it back.").format(
        what=what
    )


def undo_latest(screen: Screen[Any]) -> None:
    """Take back the newest change of the session and tell the screen to read the book again."""
    from rmtui.screens.flows.clients import saved

    history = _history(screen)
    change = history.latest()
    if change is None:
        screen.notify(_("Nothing to undo."))
        return
    history.forget_latest()
    if saved(screen, lambda session: change.take_back(session) or True) is None:
        return
    screen.notify(_("Undone: {change}.").format(change=change.said), markup=False)
    if change.on_undone is not None:
        change.on_undone()
    if isinstance(screen, ShowsTheBook):
        screen.book_changed(change.focus)


def _history(node: DOMNode) -> UndoHistory:
    return cast("HasUndo", node.app).undo_history
