"""The text of an import file, whatever encoding the program that wrote it chose.

Tried in this order: a byte order mark (UTF-8, UTF-16, UTF-32); UTF-16 without one (every
other byte zero); UTF-8; the CHARSET a vCard names; then charset-normalizer's best guess
(imported only when it is needed, which is rare).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from rmtui.core.translation import N_, _

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CHARSET = re.compile(rb"CHARSET=\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Text in UTF-16 without a byte order mark has a zero in most of its high bytes.
ZERO_SHARE = 0.3
SAMPLE = 4096


@dataclass(frozen=True)
class ImportText:
    """A file's text and how it was read."""

    text: str
    encoding: str  # as Python names it: utf-8, cp1252, shift_jis...
    how: str = ""  # why this encoding: "" for UTF-8, else e.g. "its CHARSET"

    @property
    def note(self) -> str | None:
        """A line for the import report when the file was not plain UTF-8, else None."""
        if not self.how:
            return None
        said = _("the file was read as {encoding} ({how})")
        return said.format(encoding=self.encoding, how=_(self.how))


def decode_text(data: bytes, *, charset_hint: bool = False) -> ImportText | None:
    """The text of `data`, or None when no encoding reads it."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decoded(data, encoding, N_("its byte order mark") if bom != BOMS[2][0] else "")
    utf16 = _utf16_without_bom(data)
    if utf16:
        found = _decoded(data, utf16, N_("no byte order mark, but every other byte is zero"))
        if found:
            return found
    plain = _decoded(data, "utf-8", "")
    if plain:
        return plain
    if charset_hint:
        named = _named_charset(data)
        if named:
            found = _decoded(data, named, N_("the CHARSET it names"))
            if found:
                return found
    return _guessed(data)


def _decoded(data: bytes, encoding: str, how: str) -> ImportText | None:
    try:
        return ImportText(data.decode(encoding), codecs.lookup(encoding).name, how)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when the zero bytes say so, else None."""
    sample = data[:SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    if sample[1::2].count(0) > pairs * ZERO_SHARE and sample[0::2].count(0) < pairs * 0.05:
        return "utf-16-le"
    if sample[0::2].count(0) > pairs * ZERO_SHARE and sample[1::2].count(0) < pairs * 0.05:
        return "utf-16-be"
    return None


def _named_charset(data: bytes) -> str | None:
    """The first CHARSET parameter of a vCard that Python knows."""
    for match in CHARSET.finditer(data):
        name = match.group(1).decode("ascii")
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        if codecs.lookup(name).name != "utf-8":
            return name
    return None


def _guessed(data: bytes) -> ImportText | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return _decoded(data, best.encoding, N_("detected"))
