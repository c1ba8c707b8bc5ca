"""Keys act in the order they were typed: each goes where the focus is once the one before it
has done all it does (moved the focus, opened a form, switched the screen).

Textual reads every key the terminal sends at once and hands it to the widget focused at that
moment; a binding acts only when the key has gone up to the app again. Typed fast (or pasted),
`/maes` on the Clients screen reached the list before `/` had put the focus in the filter, and
its `a` opened the add-client form; `2/maes` lost the name to the Today screen, where a `d`
would mark a follow-up done. So the app hands the keys on one at a time: it holds those that
come while one is on its way, and hands the next on only when the one before has been through
every widget from the focused one up to the app (its bindings acted) and the screen it left
showing is mounted, its focus set.
"""

from __future__ import annotations

from collections import deque
from functools import partial
from time import monotonic
from typing import Any, TypeVar

from textual import events
from textual.app import App
from textual.dom import DOMNode

Typed = events.Key | events.Paste
ReturnType = TypeVar("ReturnType")
# A key is on its way for a few milliseconds, a screen's mounting included; past this the
# keys held go on regardless (on the next key, or by a timer), so that no follow-up lost on
# the way (a widget taken away with it) can keep the keyboard from the app.
ON_ITS_WAY_AT_MOST_S = 1.0


class KeysInTypingOrder(App[ReturnType]):
    """An app whose keys (and pastes) act one after the other, each where the focus is once
    the one before it has acted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._typed_ahead: deque[Typed] = deque()
        self._on_its_way_since: float | None = None  # when the key on its way was handed on
        self._turn = 0  # how many keys have been handed on: each follow-up knows its own
        self._watched_turn = 0  # the last turn a timer watches, keys being held behind it

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, Typed) and not event.is_forwarded:
            self._typed_ahead.append(event)
            since = self._on_its_way_since
            if since is None or monotonic() - since > ON_ITS_WAY_AT_MOST_S:
                await self._hand_on_next()
            else:
                self._watch_turn()
            return
        await super().on_event(event)

    async def _hand_on_next(self) -> None:
        """Hand the oldest key held on as Textual would, then follow it up to the app."""
        self._turn += 1
        turn = self._turn
        self._on_its_way_since = monotonic() if self._typed_ahead else None
        if self._typed_ahead:
            typed = self._typed_ahead.popleft()
            await super().on_event(typed)  # a priority binding, else to the focused widget
            self._after((self.focused or self.screen) if typed.is_forwarded else self, turn)
            if self._typed_ahead:
                self._watch_turn()

    def _watch_turn(self) -> None:
        """Keys are held behind the one on its way: were its follow-up lost, go on after a
        while regardless (once for each key on its way)."""
        if self._watched_turn != self._turn:
            self._watched_turn = self._turn
            self.set_timer(ON_ITS_WAY_AT_MOST_S, partial(self._next_turn, self._turn))

    def _after(self, node: DOMNode, turn: int) -> None:
        """Go on once `node` has handled what it was sent before now (the key on its way)."""
        if not node.call_later(self._handled_by, node, turn):
            self.call_later(self._handled_by, self, turn)  # taken off the screen meanwhile

    def _handled_by(self, node: DOMNode, turn: int) -> None:
        """The key has been through `node`: follow it to its parent (where it bubbles to
        unless it was stopped), and past the app to the screen's focus."""
        if node is not self:
            self._after(node.parent or self, turn)
        elif not self.screen.call_later(self._screen_ready, turn):
            self._screen_ready(turn)

    def _screen_ready(self, turn: int) -> None:
        """The screen is mounted; the focus it asked for on mounting (and any an action asked
        for with `focus()`) is set by the app's next callbacks: after them, the next key."""
        self.call_later(self._next_turn, turn)

    async def _next_turn(self, turn: int) -> None:
        """Hand the next key on, unless that was done already for the key of `turn`."""
        if turn == self._turn:
            await self._hand_on_next()
