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
# keys held go on (on the next key, or by a timer) if the widget or screen its follow-up waits
# on is gone (taken away with it), so that no lost follow-up keeps the keyboard from the app.
# A screen still mounting on a slow machine is waited for, up to ON_ITS_WAY_NEVER_PAST_S.
ON_ITS_WAY_AT_MOST_S = 1.0
ON_ITS_WAY_NEVER_PAST_S = 5.0


class KeysInTypingOrder(App[ReturnType]):
    """An app whose keys (and pastes) act one after the other, each where the focus is once
    the one before it has acted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._typed_ahead: deque[Typed] = deque()
        self._on_its_way_since: float | None = None  # when the key on its way was handed on
        self._turn = 0  # how many keys have been handed on: each follow-up knows its own
        self._watched_turn = 0  # the last turn a timer watches, keys being held behind it
        self._waiting_on: DOMNode | None = None  # where the follow-up of the key waits

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, Typed) and not event.is_forwarded:
            self._typed_ahead.append(event)
            if self._on_its_way_since is None or self._follow_up_lost():
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
        self._waiting_on = None  # until the key's follow-up says where it waits
        if self._typed_ahead:
            typed = self._typed_ahead.popleft()
            await super().on_event(typed)  # a priority binding, else to the focused widget
            self._after((self.focused or self.screen) if typed.is_forwarded else self, turn)
            if self._typed_ahead:
                self._watch_turn()

    def _follow_up_lost(self) -> bool:
        """Whether the key on its way has been so a while and the widget or screen its
        follow-up waits on is gone (or it has been so too long, whatever it waits on)."""
        since = self._on_its_way_since
        if since is None:
            return False
        waited = monotonic() - since
        node = self._waiting_on
        alive = node is self or (node is not None and node.is_attached and node.is_running)
        return waited > ON_ITS_WAY_NEVER_PAST_S or (waited > ON_ITS_WAY_AT_MOST_S and not alive)

    def _watch_turn(self) -> None:
        """Keys are held behind the one on its way: were its follow-up lost, go on after a
        while regardless (once for each key on its way)."""
        if self._watched_turn != self._turn:
            self._watched_turn = self._turn
            self.set_timer(ON_ITS_WAY_AT_MOST_S, partial(self._check_turn, self._turn))

    async def _check_turn(self, turn: int) -> None:
        """The key of `turn` has been on its way a while: go on if its follow-up is lost,
        else look again a while later."""
        if turn != self._turn:
            return
        if self._follow_up_lost():
            await self._hand_on_next()
        else:
            self.set_timer(ON_ITS_WAY_AT_MOST_S, partial(self._check_turn, turn))

    def _after(self, node: DOMNode, turn: int) -> None:
        """Go on once `node` has handled what it was sent before now (the key on its way)."""
        if node.call_later(self._handled_by, node, turn):
            self._waiting_on = node
        else:  # taken off the screen meanwhile
            self._waiting_on = self
            self.call_later(self._handled_by, self, turn)

    def _handled_by(self, node: DOMNode, turn: int) -> None:
        """The key has been through `node`: follow it to its parent (where it bubbles to
        unless it was stopped), and past the app to the screen's focus."""
        if node is not self:
            self._after(node.parent or self, turn)
        elif self.screen.call_later(self._screen_ready, turn):
            self._waiting_on = self.screen
        else:
            self._screen_ready(turn)

    def _screen_ready(self, turn: int) -> None:
        """The screen is mounted; the focus it asked for on mounting (and any an action asked
        for with `focus()`) is set by the app's next callbacks: after them, the next key."""
        self._waiting_on = self
        self.call_later(self._next_turn, turn)

    async def _next_turn(self, turn: int) -> None:
        """Hand the next key on, unless that was done already for the key of `turn`."""
        if turn == self._turn:
            await self._hand_on_next()
