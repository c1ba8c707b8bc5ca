"""vCards: clients out as vCard 3.0 (one file or a khard folder), and contacts in from any phone."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import vobject
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from rmtui.core import dates
from rmtui.core.db import session_scope
from rmtui.core.interchange.client_import import (
    Candidate,
    ClientImportReport,
    ImportFileError,
    ImportProblem,
    import_clients,
    read_import_text,
)
from rmtui.core.interchange.schema import client_values
from rmtui.core.interchange.table_rows import entity_table
from rmtui.core.private_files import open_private, private_folder, write_private_bytes

UID_DOMAIN = "rmtui"
PRODUCT_ID = "-//rmtui//rmtui clients//EN"
CARD_FILE = re.compile(r"^client-\d+\.vcf$")
# Google Contacts puts every contact in this group; it says nothing about the client.
IGNORED_CATEGORIES = frozenset({"mycontacts", "starred"})
# The vCard property each client field comes from, to name it in a problem.
PROPERTY_OF_FIELD = {
    "name": "FN",
    "email": "EMAIL",
    "phone": "TEL",
    "company": "ORG",
    "city": "ADR",
    "country": "ADR",
    "birthday": "BDAY",
    "tags": "CATEGORIES",
    "notes": "NOTE",
}
MONTHS = tuple(date(2000, month, 1).strftime("%B") for month in range(1, 13))


# Export


def client_uid(client_id: int) -> str:
    """The stable UID of a client's vCard."""
    return f"client-{client_id}@{UID_DOMAIN}"


def client_vcard(row: Mapping[Any, Any]) -> Any:
    """One client row as a vCard 3.0 component."""
    card = vobject.vCard()
    card.add("prodid").value = PRODUCT_ID
    card.add("uid").value = client_uid(row["id"])
    card.add("fn").value = row["name"]
    card.add("n").value = _name_parts(row["name"], kind=row["kind"])
    if row["kind"] != "person" or row["company"]:
        card.add("org").value = [row["name"] if row["kind"] != "person" else row["company"]]
    if row["kind"] != "person":
        card.add("x-abshowas").value = "COMPANY"
    _add_typed(card, "email", row["email"], "INTERNET")
    _add_typed(card, "tel", row["phone"], "VOICE")
    if row["city"] or row["country"]:
        address = vobject.vcard.Address(city=row["city"] or "", country=row["country"] or "")
        card.add("adr").value = address
    if row["birthday"]:
        card.add("bday").value = row["birthday"].isoformat()
    if row["tags"]:
        card.add("categories").value = list(row["tags"])
    if row["notes"]:
        card.add("note").value = row["notes"]
    return card


def write_vcards(target: Path, *, engine: Engine) -> int:
    """Write every client as vCard 3.0; how many were written.

    `target` is one .vcf file holding them all, or (when it is a folder or has no .vcf suffix)
    a folder with one `client-ID.vcf` per client, as khard and vdirsyncer read; files of
    clients no longer in the book are removed from that folder.
    """
    target = Path(target)
    with session_scope(engine) as session:
        rows = _client_rows(session.connection())
        if target.is_dir() or target.suffix.lower() != ".vcf":
            return _write_folder(target, rows)
        return _write_one_file(target, rows)


def _client_rows(connection: Connection) -> Iterator[Mapping[Any, Any]]:
    clients = entity_table("clients")
    yield from connection.execute(select(clients).order_by(clients.c.id)).mappings()


def _write_one_file(target: Path, rows: Iterator[Mapping[Any, Any]]) -> int:
    count = 0
    with open_private(target) as handle:
        for row in rows:
            handle.write(client_vcard(row).serialize())
            count += 1
    return count


def _write_folder(folder: Path, rows: Iterator[Mapping[Any, Any]]) -> int:
    folder = private_folder(folder)
    written: set[str] = set()
    for row in rows:
        name = f"client-{row['id']}.vcf"
        write_private_bytes(folder / name, client_vcard(row).serialize().encode("utf-8"))
        written.add(name)
    for stale in folder.iterdir():
        if CARD_FILE.match(stale.name) and stale.name not in written:
            stale.unlink()
    return len(written)


def _name_parts(name: str, *, kind: str) -> Any:
    if kind != "person":
        return vobject.vcard.Name()
    given, _, family = name.strip().partition(" ")
    return vobject.vcard.Name(family=family.strip(), given=given)


def _add_typed(card: Any, prop: str, value: str | None, kind: str) -> None:
    if value:
        line = card.add(prop)
        line.value = value
        line.type_param = kind


# Import


@dataclass
class ContactCard:
    """One vCard read from a file: the client record it gives, its problems and notes."""

    number: int
    line: int
    record: dict[str, Any] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        """How the card is named in the report: `card 3 (line 41)`."""
        return f"card {self.number} (line {self.line})"


def read_vcards(path: Path) -> list[ContactCard]:
    """Every vCard (2.1, 3.0 or 4.0) in the file at `path` as client records with problems."""
    text = read_import_text(Path(path), advice="export it again as UTF-8 (Unicode)")
    cards = [
        _read_card(number, line, block) for number, (line, block) in enumerate(_blocks(text), 1)
    ]
    if not cards:
        raise ImportFileError(f"{path} holds no vCards (no BEGIN:VCARD line); check the file.")
    return cards


def import_vcards(
    path: Path, *, engine: Engine, dry_run: bool = False, merge: bool = False
) -> ClientImportReport:
    """Add the contacts of a .vcf file as clients, all or nothing.

    Duplicates (same e-mail, or same name and phone) are skipped, or with `merge` the book's
    client is updated with the card's values. Raises ImportRejected (writing nothing) when a
    card has a problem; a dry run only reports.
    """
    path = Path(path)
    cards = read_vcards(path)
    report = ClientImportReport(source=path.name, read=len(cards), dry_run=dry_run)
    candidates: list[Candidate] = []
    today = dates.today()
    for card in cards:
        report.problems += card.problems
        report.notes += [f"{card.where}: {note}" for note in card.notes]
        if card.problems:
            continue
        values, problems = client_values(card.record, today=today, label=card.where)
        report.problems += [
            ImportProblem(card.where, PROPERTY_OF_FIELD.get(p.field, p.field), p.message)
            for p in problems
        ]
        candidates.append(Candidate(card.where, card.record, values))
    return import_clients(candidates, report, engine=engine, merge=merge)


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, text) of every BEGIN:VCARD ... END:VCARD block."""
    start: int | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        word = line.strip().upper()
        if word == "BEGIN:VCARD" and start is None:
            start, lines = number, []
        if start is not None:
            lines.append(line)
        if word == "END:VCARD" and start is not None:
            yield start, "\r\n".join(lines) + "\r\n"
            start = None
    if start is not None:
        yield start, "\r\n".join(lines) + "\r\n"


def _read_card(number: int, line: int, block: str) -> ContactCard:
    card = ContactCard(number=number, line=line)
    try:
        component = vobject.readOne(block, allowQP=True)
    except vobject.base.ParseError as error:
        problem = ImportProblem(card.where, "", f"is not a readable vCard ({_parse_error(error)})")
        card.problems.append(problem)
        return card
    except (ValueError, TypeError, UnicodeError) as error:
        card.problems.append(ImportProblem(card.where, "", f"is not a readable vCard ({error})"))
        return card
    _fill_record(card, _Properties(component))
    return card


def _parse_error(error: Exception) -> str:
    text = str(error).strip()
    if "never closed" in text:
        return "no END:VCARD line"
    return re.sub(r"^At line \d+: ", "", text)


class _Properties:
    """The content lines of one vCard by property name, with the labels of grouped ones."""

    def __init__(self, component: Any) -> None:
        self.lines: dict[str, list[Any]] = {}
        labels: dict[str, str] = {}
        for line in component.lines():
            self.lines.setdefault(line.name.upper(), []).append(line)
            if line.name.upper() == "X-ABLABEL" and line.group:
                labels[line.group] = _apple_label(str(line.value))
        self.labels = labels

    def all(self, name: str) -> list[Any]:
        """Every line of property `name`, preferred first, else in file order."""
        lines = self.lines.get(name, [])
        return sorted(lines, key=_preference)

    def first(self, name: str) -> Any | None:
        """The preferred (or first) line of property `name`."""
        lines = self.all(name)
        return lines[0] if lines else None

    def text(self, name: str) -> str:
        """The preferred value of a text property, stripped ("" when absent)."""
        line = self.first(name)
        return _plain(line.value).strip() if line is not None else ""

    def label(self, line: Any) -> str:
        """A short label for a line: its Apple/Google label, else its TYPE (work, cell...)."""
        if line.group and line.group in self.labels:
            return self.labels[line.group]
        types = [t.lower() for t in _types(line) if t.lower() not in ("pref", "voice", "internet")]
        return ", ".join(types)


def _fill_record(card: ContactCard, props: _Properties) -> None:
    record = card.record
    business = _is_business(props)
    organisation = _organisation(props)
    personal = _name_from_n(props)
    name = props.text("FN") or personal or organisation
    if organisation and name == organisation and not personal:
        business = True
    record["name"] = name
    record["kind"] = "business" if business else "person"
    if organisation and not business:
        record["company"] = organisation
    notes = [_one_newline(props.text("NOTE"))] if props.text("NOTE") else []
    record["email"] = _chosen(props, "EMAIL", "e-mail", notes)
    record["phone"] = _phone(_chosen(props, "TEL", "phone", notes))
    _fill_address(record, props)
    _fill_birthday(card, props, notes)
    tags = _categories(props)
    if tags:
        record["tags"] = tags
    if notes:
        record["notes"] = "\n".join(notes)
    card.record = {key: value for key, value in record.items() if value not in (None, "")}


def _is_business(props: _Properties) -> bool:
    kind = props.text("KIND").lower()
    show_as = props.text("X-ABSHOWAS").upper()
    return kind in ("org", "organization") or show_as == "COMPANY"


def _organisation(props: _Properties) -> str:
    line = props.first("ORG")
    if line is None:
        return ""
    value = line.value
    parts = value if isinstance(value, list) else [value]
    return _plain(parts[0]).strip() if parts else ""


def _name_from_n(props: _Properties) -> str:
    line = props.first("N")
    if line is None:
        return ""
    n = line.value
    if not isinstance(n, vobject.vcard.Name):
        return _plain(n).strip()
    parts = [n.prefix, n.given, n.additional, n.family, n.suffix]
    return " ".join(_plain(part).strip() for part in parts if _plain(part).strip())


def _chosen(props: _Properties, name: str, noun: str, notes: list[str]) -> str | None:
    """The preferred value of `name`; the others go into the notes so nothing is lost."""
    lines = [line for line in props.all(name) if _plain(line.value).strip()]
    if not lines:
        return None
    for other in lines[1:]:
        label = props.label(other)
        suffix = f" ({label})" if label else ""
        notes.append(f"Other {noun}: {_phone(_plain(other.value).strip())}{suffix}")
    return _plain(lines[0].value).strip()


def _phone(value: str | None) -> str | None:
    """A phone number without the `tel:` of vCard 4.0 URIs."""
    if value is None:
        return None
    return re.sub(r"^tel:", "", value.strip(), flags=re.IGNORECASE)


def _fill_address(record: dict[str, Any], props: _Properties) -> None:
    line = props.first("ADR")
    if line is None or not isinstance(line.value, vobject.vcard.Address):
        return
    record["city"] = _plain(line.value.city).strip()
    record["country"] = _plain(line.value.country).strip()


def _fill_birthday(card: ContactCard, props: _Properties, notes: list[str]) -> None:
    line = props.first("BDAY")
    if line is None or not _plain(line.value).strip():
        return
    text = _plain(line.value).strip()
    omit_year = "X-APPLE-OMIT-YEAR" in {key.upper() for key in line.params}
    try:
        day, has_year = _birthday(text, omit_year=omit_year)
    except ValueError:
        message = f"'{text}' is not a date; write it as YYYY-MM-DD"
        card.problems.append(ImportProblem(card.where, "BDAY", message))
        return
    if has_year:
        card.record["birthday"] = day.isoformat()
        return
    said = f"{day.day} {MONTHS[day.month - 1]}"
    notes.append(f"Birthday: {said}")
    card.notes.append(f"the birthday {said} has no year, so it was put in the notes")


def _birthday(text: str, *, omit_year: bool) -> tuple[date, bool]:
    """The date of a BDAY value and whether it has a real year (ValueError if unreadable)."""
    value = text.split("T")[0].strip()
    no_year = re.fullmatch(r"--(\d{2})-?(\d{2})", value)
    if no_year:
        return date(2000, int(no_year.group(1)), int(no_year.group(2))), False
    full = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", value)
    if not full:
        raise ValueError(text)
    day = date(int(full.group(1)), int(full.group(2)), int(full.group(3)))
    return day, not omit_year


def _categories(props: _Properties) -> list[str]:
    tags: list[str] = []
    for line in props.all("CATEGORIES"):
        values = line.value if isinstance(line.value, list) else str(line.value).split(",")
        tags += [_plain(tag).strip() for tag in values]
    kept = [tag for tag in tags if tag and tag.lower() not in IGNORED_CATEGORIES]
    return list(dict.fromkeys(kept))


def _types(line: Any) -> list[str]:
    """The TYPE values of a line, from 2.1 bare words, TYPE=a,b or repeated TYPE params."""
    found = [str(word) for word in getattr(line, "singletonparams", [])]
    for key, values in line.params.items():
        if key.upper() == "TYPE":
            found += [part for value in values for part in str(value).split(",")]
    return [word.strip() for word in found if word.strip()]


def _preference(line: Any) -> int:
    """Sort key: vCard 4.0 PREF=1..100 as given, TYPE=pref as 1, anything else last."""
    for key, values in line.params.items():
        if key.upper() == "PREF" and values and str(values[0]).isdigit():
            return int(values[0])
    return 1 if "pref" in {word.lower() for word in _types(line)} else 101


def _apple_label(label: str) -> str:
    """Apple's `_$!<Mobile>!$_` labels as plain words."""
    match = re.fullmatch(r"_\$!<(.*)>!\$_", label.strip())
    return (match.group(1) if match else label.strip()).lower()


def _one_newline(text: str) -> str:
    """Text with Windows (CRLF) and old Mac (CR) line ends as plain newlines."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)
