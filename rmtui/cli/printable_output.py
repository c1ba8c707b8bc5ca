"""The command line's output, with control characters from the book or a file made harmless."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from rmtui.core.wording import printable


class PrintableOutput:
    """A text stream that writes to `stream` with every control character replaced, so a
    client name holding an escape sequence prints as text instead of steering the terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write `text`, its control characters replaced; the length of `text`."""
        self.stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def guard_output() -> None:
    """Make standard output and error printable for the rest of the command."""
    if not isinstance(sys.stdout, PrintableOutput):
        sys.stdout = PrintableOutput(sys.stdout)  # type: ignore[assignment]
    if not isinstance(sys.stderr, PrintableOutput):
        sys.stderr = PrintableOutput(sys.stderr)  # type: ignore[assignment]


def terminal_stream(stream: TextIO) -> TextIO:
    """The stream under `stream`'s guard, for drawing on the terminal (a progress bar) with
    text made printable by the caller."""
    return stream.stream if isinstance(stream, PrintableOutput) else stream
