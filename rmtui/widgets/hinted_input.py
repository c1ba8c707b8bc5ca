"""An input whose placeholder is the longest of its hints that fits its width."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class HintedInput(Input):
    """An Input that shows the longest of `hints` its width holds, so a hint is never cut in
    the middle of a list (the last hint is shown when none fits)."""

    def __init__(self, *hints: str, id: str | None = None) -> None:
        super().__init__(placeholder=hints[0], id=id)
        self.hints = hints

    def on_resize(self, event: events.Resize) -> None:
        room = self.content_size.width
        self.placeholder = next((hint for hint in self.hints if len(hint) <= room), self.hints[-1])
