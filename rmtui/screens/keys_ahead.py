"""Keys typed ahead of the screen: a key sent to a screen after another one opened over it,
or typed before a new screen's first field had the focus, reaches the field it was meant for."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen


def retyped(event: events.Key) -> events.Key:
    """A fresh copy of a key event, for the app to route again (an event is handled once)."""
    return events.Key(event.key, event.character)


def handed_on(event: events.Key) -> events.Key:
    """A copy of a key event to post to a field: as one the app forwarded to it, so that its
    bindings (tab…) are looked up when it bubbles up."""
    key = retyped(event)
    key._set_forwarded()
    return key


class KeepsEarlyKeys(Screen[Any]):
    """A form or a picker: a key that came before any field had the focus is kept and typed
    into the first field to get it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.early_keys: list[events.Key] = []

    def on_key(self, event: events.Key) -> None:
        if self.focused is None:
            event.stop()
            event.prevent_default()
            self.early_keys.append(retyped(event))

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        early, self.early_keys = self.early_keys, []
        if self.focused is not None:
            for key in early:
                self.focused.post_message(handed_on(key))
