"""What a real contacts file holds, read independently of rmtui's importers: the contacts that
have a name, an e-mail address or a phone number, and every e-mail address in it.

The reading is deliberately plain (line unfolding, a CSV reader, a loose e-mail pattern), so
that the tests compare rmtui's import against the file rather than against itself.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

REAL_FILES = Path(__file__).parent / "fixtures" / "real"
ADDRESS = re.compile(r"[^\s@,;:<>\"'()\[\]]+@[^\s@,;:<>\"'()\[\]]+")
CARD_START = re.compile(r"^(?:[\w-]+\.)?BEGIN:VCARD\s*$", re.IGNORECASE)
CARD_END = re.compile(r"^(?:[\w-]+\.)?END:VCARD\s*$", re.IGNORECASE)
PROPERTY = re.compile(r"^(?:[\w-]+\.)?([\w-]+)[^:]*:(.*)$")
IDENTITY = {"FN", "N", "ORG", "EMAIL", "TEL"}


@dataclass
class FileContents:
    """The contacts of one file (those with a name, e-mail or phone) and its e-mail addresses."""

    contacts: int = 0
    emails: set[str] = field(default_factory=set)


def real_files() -> list[Path]:
    """Every fixture file of real programs, sorted."""
    return sorted(path for path in REAL_FILES.rglob("*") if path.suffix.lower() in (".vcf", ".csv"))


# Files whose encoding no detector can tell from so few bytes; the test names it, as a user
# would with `rmtui import --encoding`.
KNOWN_ENCODINGS = {"thunderbird/shiftjis_addressbook.csv": "shift_jis"}


def fixture_name(path: Path) -> str:
    """A real file's name as the fixtures README lists it: `project/file`."""
    return path.relative_to(REAL_FILES).as_posix()


def file_text(path: Path) -> str:
    """The text of a file: in its known encoding, by its byte order mark, else UTF-8, else the
    detector's guess."""
    data = path.read_bytes()
    if fixture_name(path) in KNOWN_ENCODINGS:
        return data.decode(KNOWN_ENCODINGS[fixture_name(path)])
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("latin-1")


def addresses(text: str) -> set[str]:
    """The e-mail addresses in `text`, lower case, without a `mailto:`."""
    found = {match.rstrip(".").lower() for match in ADDRESS.findall(text)}
    return {re.sub(r"^mailto:", "", address) for address in found}


def contents(path: Path) -> FileContents:
    """What `path` holds, read by its suffix."""
    text = file_text(path)
    return vcard_contents(text) if path.suffix.lower() == ".vcf" else csv_contents(text)


def vcard_contents(text: str) -> FileContents:
    """The cards of a vCard file that name someone or give an address or number."""
    found = FileContents()
    lines = re.split(r"\r*\n|\r", text)
    unfolded: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t") and unfolded:
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    card: dict[str, list[str]] | None = None
    for line in unfolded:
        if CARD_START.match(line.strip()):
            card = {}
        elif card is not None and (CARD_END.match(line.strip())):
            _count_card(found, card)
            card = None
        elif card is not None and (match := PROPERTY.match(line)):
            card.setdefault(match.group(1).upper(), []).append(match.group(2))
    if card is not None:
        _count_card(found, card)
    return found


def _count_card(found: FileContents, card: dict[str, list[str]]) -> None:
    values = [value for name in IDENTITY for value in card.get(name, [])]
    if any(value.replace(";", "").strip() for value in values):
        found.contacts += 1
    for value in card.get("EMAIL", []):
        found.emails |= addresses(value)


def csv_contents(text: str) -> FileContents:
    """The rows of a CSV file after its header (if it has one) that hold anything."""
    found = FileContents()
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if rows and not addresses(" ".join(rows[0])):
        rows = rows[1:]  # the header
    for row in rows:
        found.contacts += 1
        found.emails |= addresses(" ".join(row))
    return found
