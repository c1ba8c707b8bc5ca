"""The cards of a vCard file as clean text for vobject, however the program wrote them.

Real exporters fold lines with `\\r\\r\\n`, put a group before BEGIN, leave a card without
END:VCARD, write quoted-printable in any character set, break a PHOTO or add properties that
no parser knows. Only the properties a client is made of are kept (a broken PHOTO, LOGO, SOUND
or KEY cannot stop a card); their quoted-printable is decoded here; a line that cannot be read
is left out and said.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rmtui.core.translation import _

# The properties rmtui makes a client or a contact person of, or that link cards (UID and what
# points at one: RELATED, MEMBER); every other one is left out before parsing.
KEPT = frozenset(
    {
        "VERSION",
        "UID",
        "FN",
        "N",
        "ORG",
        "TITLE",
        "ROLE",
        "EMAIL",
        "TEL",
        "ADR",
        "BDAY",
        "CATEGORIES",
        "NOTE",
        "KIND",
        "RELATED",
        "MEMBER",
        "X-ABSHOWAS",
        "X-ABLABEL",
    }
)
CONTENT_LINE = re.compile(
    r"""^(?:(?P<group>[A-Za-z0-9_-]+)\.)?(?P<name>[A-Za-z0-9_-]+)
        (?P<params>(?:;(?:"[^"]*"|[^";:])*)*):(?P<value>.*)$""",
    re.VERBOSE | re.DOTALL,
)
# The character set of quoted-printable text that does not say, as Windows programs wrote it.
QP_FALLBACK = "cp1252"


@dataclass
class CardText:
    """One card: where it starts, its cleaned text for vobject, what was left out of it."""

    line: int
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ended: bool = False

    @property
    def text(self) -> str:
        """The card as vCard text, CRLF line ends (version 3.0 when it names none)."""
        versioned = any(line.upper().startswith("VERSION:") for line in self.lines)
        lines = self.lines if versioned else ["VERSION:3.0", *self.lines]
        return "\r\n".join(["BEGIN:VCARD", *lines, "END:VCARD"]) + "\r\n"


@dataclass(frozen=True)
class Logical:
    """One logical (unfolded) line and the physical line it starts on."""

    number: int
    text: str


def card_texts(text: str) -> list[CardText]:
    """Every card of a vCard file's text, in order, cleaned."""
    cards: list[CardText] = []
    card: CardText | None = None
    depth = 0
    for logical in logical_lines(text):
        word = _bare(logical.text)
        if word == "BEGIN:VCARD":
            if card is not None:
                depth += 1  # a card inside a card (vCard 2.1 AGENT): not a client of its own
                continue
            card = CardText(logical.number)
        elif word == "END:VCARD" and card is not None:
            if depth:
                depth -= 1
                continue
            card.ended = True
            cards.append(card)
            card = None
        elif card is not None and not depth:
            _add_line(card, logical)
    if card is not None:
        card.notes.append(_("has no END:VCARD line, so it was read up to the end of the file"))
        cards.append(card)
    return cards


def logical_lines(text: str) -> Iterator[Logical]:
    """The unfolded lines of `text`: folded lines joined, quoted-printable soft breaks too."""
    current: Logical | None = None
    for number, line in enumerate(_physical_lines(text), 1):
        if current is not None and line[:1] in (" ", "\t"):
            current = Logical(current.number, current.text + line[1:])
        elif current is not None and _soft_break(current.text):
            current = Logical(current.number, current.text[:-1] + line)
        else:
            if current is not None:
                yield current
            current = Logical(number, line) if line.strip() else None
    if current is not None:
        yield current


def _physical_lines(text: str) -> list[str]:
    """The lines of `text`: any run of CRs before a LF is one line end (some iPhone exports
    write `\\r\\r\\n`); a file with CRs alone (old Macs) is split on those; a stray CR within a
    line becomes an escaped new line."""
    if "\n" not in text:
        return text.split("\r")
    return [line.replace("\r", "\\n") for line in re.split(r"\r*\n", text)]


def _soft_break(text: str) -> bool:
    """Whether a quoted-printable line ends in `=`, which continues it on the next line."""
    match = CONTENT_LINE.match(text)
    return bool(match and _is_quoted_printable(match.group("params")) and text.endswith("="))


def _bare(text: str) -> str:
    """BEGIN:VCARD and END:VCARD without a group, spaces or case (`home.begin:vcard`)."""
    return re.sub(r"^[A-Za-z0-9_-]+\.", "", text.strip()).upper().replace(" ", "")


def _add_line(card: CardText, logical: Logical) -> None:
    match = CONTENT_LINE.match(logical.text)
    if match is None:
        shown = logical.text.strip()[:40]
        said = _("line {number} ('{text}') is not a vCard line; left out")
        card.notes.append(said.format(number=logical.number, text=shown))
        return
    if match.group("name").upper() not in KEPT:
        return
    card.lines.append(_clean(match, card))


def _clean(match: re.Match[str], card: CardText) -> str:
    """A kept line with its quoted-printable decoded and its empty or encoding params gone."""
    group, name, value = match.group("group"), match.group("name"), match.group("value")
    params = [p for p in re.findall(r';((?:"[^"]*"|[^";:])*)', match.group("params")) if p]
    if _is_quoted_printable(match.group("params")):
        value = _escaped(_decoded_qp(value, _charset(params), card, name))
    kept = [p for p in params if not _is_encoding_param(p)]
    head = ";".join([f"{group}.{name}" if group else name, *kept])
    return f"{head}:{value}"


def _is_quoted_printable(params: str) -> bool:
    return "QUOTED-PRINTABLE" in params.upper()


def _is_encoding_param(param: str) -> bool:
    key, _, value = param.partition("=")
    upper = param.upper()
    return key.upper() in ("ENCODING", "CHARSET") or (
        not value and upper in ("QUOTED-PRINTABLE", "8BIT", "7BIT")
    )


def _charset(params: list[str]) -> str | None:
    for param in params:
        key, _, value = param.partition("=")
        if key.upper() == "CHARSET" and value:
            return value.strip('"')
    return None


def _decoded_qp(value: str, charset: str | None, card: CardText, name: str) -> str:
    """A quoted-printable value as text: in its CHARSET, else UTF-8, else Windows-1252."""
    data = quopri.decodestring(value.encode("latin-1", errors="replace"))
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    card.notes.append(_("{name} names no character set; read as Windows-1252").format(name=name))
    return data.decode(QP_FALLBACK, errors="replace")


def _escaped(text: str) -> str:
    """Decoded text as a vCard value: its line ends as `\\n` (separators stay as they were)."""
    return re.sub(r"\r\n|\r|\n", r"\\n", text)
