"""An e-mail address or a web address that wraps where such addresses may break, never
inside a word: before a dot or an @, after a slash or a space."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.text import Text

# Where an address may go on to the next line: before . and @, after / and spaces.
BREAK_POINTS = re.compile(r"(?=[.@])|(?<=[/ ])(?=[^/ ])")


def address_parts(address: str) -> list[str]:
    """`address` cut at every place it may break: `ann.lee@x.example` → `ann`, `.lee`,
    `@x`, `.example`."""
    return [part for part in BREAK_POINTS.split(address) if part]


def address_lines(address: str, width: int) -> list[str]:
    """`address` in lines of at most `width` cells, broken only between its parts (a part
    longer than a line is the one thing folded)."""
    width = max(width, 1)
    lines: list[str] = []
    line = ""
    for part in address_parts(address):
        if line and len(line) + len(part.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += part
        while len(line.rstrip()) > width:
            lines.append(line[:width])
            line = line[width:]
    return [*lines, line.rstrip()]


class AddressText:
    """An address for a rich table cell: whole on one line when it fits, else broken only
    where addresses break (see address_lines)."""

    def __init__(self, address: str, style: str = "") -> None:
        self.address = address
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        for line in address_lines(self.address, options.max_width):
            yield Text(line, style=self.style, no_wrap=True, overflow="fold")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest_part = max((len(part.rstrip()) for part in address_parts(self.address)), default=0)
        return Measurement(longest_part, len(self.address)).clamp(max_width=options.max_width)
