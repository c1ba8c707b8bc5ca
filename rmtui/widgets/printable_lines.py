"""A line filter that keeps control characters from a book or a file off the terminal."""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from rmtui.core.wording import has_control_characters, printable


class PrintableLines(LineFilter):
    """Take every control character out of every painted line.

    They are zero cells wide, so taking them out keeps every line its width, while an
    escape sequence in a client's name can no longer retitle or clear the terminal.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """The `segments` with their text made printable (only those that need it)."""
        if not has_control_characters("".join(segment.text for segment in segments)):
            return segments
        return [_printable(segment) for segment in segments]


def _printable(segment: Segment) -> Segment:
    if segment.control or not has_control_characters(segment.text):
        return segment
    return Segment(printable(segment.text, replacement=""), segment.style)
