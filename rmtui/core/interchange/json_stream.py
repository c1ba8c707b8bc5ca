"""A JSON object read from a file piece by piece: its members one by one, a list's items one
by one, so that a file of any size is read in little memory.

Each value (a record, a header value) is decoded whole by Python's own JSON decoder, which
keeps numbers with a fraction exact as Decimal and refuses deep nesting with RecursionError;
only the top level (the object's members and the lists in it) is walked here, as the decoder
would: its error messages and their line and column are those `json.load` gives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from rmtui.core.translation import _

PIECE = 1 << 20  # characters read at a time
# How far a single value (one record, a header value) may reach: a book's records are far
# smaller, and a value is held whole while it is decoded.
LARGEST_VALUE = 64 << 20
# A value ending this close to the end of what has been read (a number), or an error found
# there, may be a value cut in two by the pieces: it is read again with the next piece.
CUT_MARGIN = 16
WHITESPACE = re.compile(r"[ \t\n\r]*")
COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
BYTE_ORDER_MARK = "\ufeff"


class JsonSyntaxError(ValueError):
    """The text is not JSON: `message` as `json.load` says it, at `line` and `column`."""

    def __init__(self, message: str, line: int, column: int) -> None:
        said = _("{message} at line {line}, column {column}")
        super().__init__(said.format(message=message, line=line, column=column))
        self.message = message
        self.line = line
        self.column = column


class NotAnObject(ValueError):
    """The text is JSON, but not one object."""


class ValueTooLarge(ValueError):
    """One value of the text reaches further than LARGEST_VALUE characters."""

    def __init__(self, line: int) -> None:
        said = _("a value starting at line {line} is longer than the largest read")
        super().__init__(said.format(line=line))
        self.line = line
        self.largest = LARGEST_VALUE


class Items:
    """The items of a list that is a member of the object, decoded one at a time."""

    def __init__(self, text: _Text) -> None:
        self._items = _list_items(text)

    def __iter__(self) -> Iterator[Any]:
        return self._items

    def skip(self) -> None:
        """Read past the items not taken yet."""
        for _item in self._items:
            pass


def _list_items(text: _Text) -> Iterator[Any]:
    """The items of the list whose opening bracket was just read, and its closing one."""
    if text.next_char() == "]":
        text.at += 1
        return
    while True:
        yield text.value()
        if text.ends_with("]"):
            return


def object_members(handle: TextIO) -> Iterator[tuple[str, Any]]:
    """The members of the JSON object in `handle`, in the order they are written: each key
    with its value, or with `Items` when the value is a list (read them before the next
    member, or they are skipped).

    Raises JsonSyntaxError, NotAnObject (after reading the whole text, as `json.load` would
    before it could tell), ValueTooLarge, RecursionError for nesting too deep, or
    UnicodeDecodeError.
    """
    text = _Text(handle)
    if text.next_char() == BYTE_ORDER_MARK:
        text.at += 1
    if text.next_char() != "{":
        _read_whole_value(text)
        raise NotAnObject("the text is not a JSON object")
    text.at += 1
    if text.next_char() == "}":
        text.at += 1
    else:
        yield from _members(text)
    text.expect_end()


def _members(text: _Text) -> Iterator[tuple[str, Any]]:
    while True:
        key = text.key()
        if text.next_char() == "[":
            text.at += 1
            items = Items(text)
            yield key, items
            items.skip()
        else:
            yield key, text.value()
        if text.ends_with("}"):
            return


def _read_whole_value(text: _Text) -> None:
    """Read a value that is not an object (a list item by item), to find what json.load
    would find wrong with it first."""
    if text.next_char() == "[":
        text.at += 1
        Items(text).skip()
    else:
        text.value()
    text.expect_end()


@dataclass
class _Text:
    """The part of the JSON text read so far and not yet used, with where it is."""

    handle: TextIO
    buffer: str = ""
    at: int = 0
    ended: bool = False
    lines_before: int = 0  # newlines in the text already let go
    column_before: int = 0  # characters after the last of them

    def __post_init__(self) -> None:
        self._decode = json.JSONDecoder(parse_float=Decimal).raw_decode

    def next_char(self) -> str:
        """The next character after any whitespace ("" at the end), which `at` is left on."""
        if self.at < len(self.buffer) and not self.buffer[self.at].isspace():
            return self.buffer[self.at]
        while True:
            self.at = WHITESPACE.match(self.buffer, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.buffer):
                return self.buffer[self.at]
            if not self.read_more():
                return ""

    def key(self) -> str:
        """A member's key and the colon after it."""
        if self.next_char() != '"':
            raise self.syntax_error("Expecting property name enclosed in double quotes", self.at)
        key = self.value()
        if self.next_char() != ":":
            raise self.syntax_error("Expecting ':' delimiter", self.at)
        self.at += 1
        return str(key)

    def value(self) -> Any:
        """Decode the value starting at `at`, reading on while it may go on."""
        while True:
            try:
                value, end = self._decode(self.buffer, self.at)
            except json.JSONDecodeError as error:
                if self._maybe_cut(error) and self.read_more():
                    continue
                raise self.syntax_error(error.msg, error.pos) from None
            if end >= len(self.buffer) - CUT_MARGIN and self.read_more():
                continue  # a number may go on in the next piece
            self.at = end
            return value

    def ends_with(self, closing: str) -> bool:
        """After an item of a list or an object: whether `closing` ends it here, else read
        the comma before the next item."""
        comma = COMMA.match(self.buffer, self.at)
        if comma is not None and comma.end() < len(self.buffer):
            self.at = comma.end()
            return False
        after = self.next_char()
        self.at += 1
        if after == closing:
            return True
        if after != ",":
            raise self.syntax_error("Expecting ',' delimiter", self.at - 1)
        self.next_char()
        return False

    def expect_end(self) -> None:
        """Nothing but whitespace may follow the whole value."""
        if self.next_char():
            raise self.syntax_error("Extra data", self.at)

    def read_more(self) -> bool:
        """Read the next piece after what is unused; False at the end of the text."""
        if self.ended:
            return False
        piece = self.handle.read(PIECE)
        if not piece:
            self.ended = True
            return False
        if len(self.buffer) - self.at > LARGEST_VALUE:
            raise ValueTooLarge(self._line_of(self.at))
        self._let_go()
        self.buffer += piece
        return True

    def syntax_error(self, message: str, position: int) -> JsonSyntaxError:
        """JsonSyntaxError for `message` at `position` of the buffer, placed in the text."""
        newline = self.buffer.rfind("\n", 0, position)
        column = position - newline if newline >= 0 else self.column_before + position + 1
        return JsonSyntaxError(message, self._line_of(position), column)

    def _maybe_cut(self, error: json.JSONDecodeError) -> bool:
        return error.pos >= len(self.buffer) - CUT_MARGIN or error.msg.startswith("Unterminated")

    def _line_of(self, position: int) -> int:
        return self.lines_before + self.buffer.count("\n", 0, position) + 1

    def _let_go(self) -> None:
        """Drop the part of the buffer already used, counting its lines."""
        used = self.at
        newlines = self.buffer.count("\n", 0, used)
        if newlines:
            self.lines_before += newlines
            self.column_before = used - self.buffer.rfind("\n", 0, used) - 1
        else:
            self.column_before += used
        self.buffer = self.buffer[used:]
        self.at = 0
