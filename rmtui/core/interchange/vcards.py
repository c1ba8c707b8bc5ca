"""vCards in: the contacts of any phone or address book as clients (the cards rmtui writes are
in `vcard_export`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import vobject
from sqlalchemy.engine import Engine

from rmtui.core import dates
from rmtui.core.interchange.client_import import (
    Candidate,
    ClientImportReport,
    ImportFileError,
    ImportProblem,
    import_clients,
    read_import_text,
)
from rmtui.core.interchange.schema import client_values
from rmtui.core.interchange.vcard_lines import CardText, card_texts
from rmtui.core.interchange.vcard_people import PeopleAdder, group_note, sort_cards
from rmtui.core.models import NAME_PARTS
from rmtui.core.parsers import EMAIL
from rmtui.core.queries.contact_points import NewPoint
from rmtui.core.translation import N_, _

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
# TYPE words that say nothing a label should (pref is a flag; voice and internet the default).
UNLABELLED_TYPES = frozenset({"pref", "voice", "internet", "x400", "msg"})
LABEL_OF_TYPE = {"cell": "mobile", "iphone": "mobile"}
UNREADABLE = N_("is not a readable vCard ({reason})")
# The note on a card named after its e-mail address or phone number, by the kind of point.
NAMED_AFTER = {
    "email": N_("has no name, so it is named after its e-mail address"),
    "phone": N_("has no name, so it is named after its phone number"),
}


@dataclass(frozen=True)
class CardLinks:
    """What a card says of itself and of other cards (vCard 4.0): its UID and KIND, the URIs
    it is RELATED to, how many MEMBERs it has (a group), and a person's TITLE and ROLEs."""

    uid: str = ""
    kind: str = ""  # individual, org, group... lower case ("" when it says none)
    related: tuple[str, ...] = ()
    members: int = 0
    title: str = ""
    roles: tuple[str, ...] = ()


@dataclass
class ContactCard:
    """One vCard read from a file: the client record it gives, its e-mail addresses and phone
    numbers, its problems and notes."""

    number: int
    line: int
    record: dict[str, Any] = field(default_factory=dict)
    points: list[NewPoint] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # values kept in the client's notes
    links: CardLinks = field(default_factory=lambda: CardLinks())

    @property
    def where(self) -> str:
        """How the card is named in the report: `card 3 (line 41)`."""
        return _("card {number} (line {line})").format(number=self.number, line=self.line)


@dataclass
class VCardFile:
    """The cards of a .vcf file and how its text was read."""

    cards: list[ContactCard]
    encoding_note: str | None = None


def read_vcard_file(path: Path, *, encoding: str | None = None) -> VCardFile:
    """Every vCard (2.1, 3.0 or 4.0) in the file at `path` as client records with problems."""
    advice = _("export it again as UTF-8 (Unicode)")
    text = read_import_text(Path(path), advice=advice, charset_hint=True, encoding=encoding)
    cards = [_read_card(number, card) for number, card in enumerate(card_texts(text.text), 1)]
    if not cards:
        message = _("{file} holds no vCards (no BEGIN:VCARD line); check the file.")
        raise ImportFileError(message.format(file=path))
    return VCardFile(cards, text.note)


def read_vcards(path: Path) -> list[ContactCard]:
    """Every vCard in the file at `path` (see `read_vcard_file`)."""
    return read_vcard_file(path).cards


def import_vcards(
    path: Path,
    *,
    engine: Engine,
    dry_run: bool = False,
    merge: bool = False,
    skip_invalid: bool = False,
    encoding: str | None = None,
) -> ClientImportReport:
    """Add the contacts of a .vcf file as clients, all or nothing.

    Duplicates (same e-mail, or same name and phone) are skipped, or with `merge` the book's
    client is updated with the card's values. A person whose card is RELATED to a business's
    card in the same file becomes that business's contact person (one already there is
    skipped); a group card (KIND:group) is left out, said in a note. Raises ImportRejected
    (writing nothing) when a card has a problem, unless `skip_invalid` leaves such cards out;
    a dry run only reports. `encoding` overrides the one detected.
    """
    path = Path(path)
    read = read_vcard_file(path, encoding=encoding)
    cards = sort_cards(read.cards)
    report = ClientImportReport(source=path.name, read=len(cards.clients), dry_run=dry_run)
    if read.encoding_note:
        report.notes.append(read.encoding_note)
    for card in read.cards:
        report.problems += card.problems
        report.notes += [f"{card.where}: {note}" for note in card.notes]
    report.notes += [group_note(card) for card in cards.groups]
    candidates: list[Candidate] = []
    today = dates.today()
    for card in cards.clients:
        if card.problems or not card.record.get("name"):
            report.read -= not card.problems  # an empty card is no client
            continue
        values, problems = client_values(card.record, today=today, label=card.where)
        report.problems += [
            ImportProblem(card.where, PROPERTY_OF_FIELD.get(p.field, p.field), p.message)
            for p in problems
        ]
        candidates.append(Candidate(card.where, card.record, values, card.points))
    add_people = PeopleAdder(cards.people, report)
    return import_clients(
        candidates, report, engine=engine, merge=merge, skip_invalid=skip_invalid, then=add_people
    )


def _read_card(number: int, text: CardText) -> ContactCard:
    card = ContactCard(number=number, line=text.line, notes=list(text.notes))
    try:
        component = _parsed(text, card)
    except vobject.base.ParseError as error:
        reason = _parse_error(error)
        problem = ImportProblem(card.where, "", _(UNREADABLE).format(reason=reason))
        card.problems.append(problem)
        return card
    except (ValueError, TypeError, UnicodeError, vobject.base.VObjectError) as error:
        problem = ImportProblem(card.where, "", _(UNREADABLE).format(reason=error))
        card.problems.append(problem)
        return card
    props = _Properties(component)
    _fill_record(card, props)
    card.links = _links(props)
    return card


def _links(props: _Properties) -> CardLinks:
    related = [
        _plain(line.value).strip()
        for line in props.all("RELATED")
        if "text" not in _param_values(line, "VALUE")  # a name, not a link to a card
    ]
    roles = [_plain(line.value).strip().lower() for line in props.all("ROLE")]
    return CardLinks(
        uid=props.text("UID"),
        kind=props.text("KIND").lower(),
        related=tuple(uri for uri in related if uri),
        members=len(props.all("MEMBER")),
        title=props.text("TITLE"),
        roles=tuple(role for role in roles if role),
    )


def _param_values(line: Any, name: str) -> list[str]:
    """The values of parameter `name` of a line, lower case."""
    return [
        str(v).lower() for key, values in line.params.items() if key.upper() == name for v in values
    ]


PARSE_ERRORS = (vobject.base.VObjectError, ValueError, TypeError, UnicodeError)


def _parsed(text: CardText, card: ContactCard) -> Any:
    """The card as a vobject component; lines vobject cannot read are left out and noted."""
    try:
        return vobject.readOne(text.text, allowQP=True)
    except PARSE_ERRORS:
        pass
    kept: list[str] = []
    for line in text.lines:
        alone = CardText(text.line, [line])
        try:
            vobject.readOne(alone.text, allowQP=True)
        except PARSE_ERRORS:
            name = line.split(":", 1)[0].split(";", 1)[0]
            card.notes.append(_("its {name} line could not be read; left out").format(name=name))
            continue
        kept.append(line)
    return vobject.readOne(CardText(text.line, kept).text, allowQP=True)


def _parse_error(error: Exception) -> str:
    text = str(error).strip()
    if "never closed" in text:
        return _("no END:VCARD line")
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
        """A short label for a line: its Apple/Google label, else its TYPE (work, mobile...)."""
        if line.group and line.group in self.labels:
            return self.labels[line.group]
        types = [LABEL_OF_TYPE.get(t.lower(), t.lower()) for t in _types(line)]
        return ", ".join(dict.fromkeys(t for t in types if t not in UNLABELLED_TYPES))


def _fill_record(card: ContactCard, props: _Properties) -> None:
    record = card.record
    business = _is_business(props)
    organisation = _organisation(props)
    parts = _name_parts_of(props)
    personal = " ".join(part for part in parts.values() if part)
    name = props.text("FN") or personal or organisation
    if organisation and name == organisation and not personal:
        business = True
    record["name"] = name
    record["kind"] = "business" if business else "person"
    if not business:
        record.update(parts)
    if organisation and not business:
        record["company"] = organisation
    notes = [_one_newline(props.text("NOTE"))] if props.text("NOTE") else []
    _fill_points(card, props)
    notes += card.unreadable
    if not name:
        _name_after_a_point(card)
    if not card.record.get("name"):
        card.notes.append(_("holds no name, e-mail address or phone number, so it was left out"))
    _fill_address(record, props)
    _fill_birthday(card, props, notes)
    tags = _categories(props)
    if tags:
        record["tags"] = tags
    if notes:
        record["notes"] = "\n".join(notes)
    card.record = {key: value for key, value in record.items() if value not in (None, "")}


def _name_parts_of(props: _Properties) -> dict[str, str]:
    """The parts of the card's N, by field (empty when the card has no structured N)."""
    line = props.first("N")
    if line is None or not isinstance(line.value, vobject.vcard.Name):
        return {}
    n = line.value
    given = (n.prefix, n.given, n.additional, n.family, n.suffix)
    return {name: _plain(part).strip() for name, part in zip(NAME_PARTS, given, strict=True)}


def _fill_points(card: ContactCard, props: _Properties) -> None:
    """Every EMAIL and TEL of the card as contact points; the preferred one of each kind also
    fills the client's e-mail or phone."""
    for kind, prop in (("email", "EMAIL"), ("phone", "TEL")):
        first = True
        for line in props.all(prop):
            value = _point_value(kind, _plain(line.value))
            if not value:
                continue
            if kind == "email" and not EMAIL.match(value):
                card.unreadable.append(_("E-mail: {address}").format(address=value))
                said = _("'{address}' is not an e-mail address, so it was put in the notes")
                card.notes.append(said.format(address=value))
                continue
            label = props.label(line) or None
            card.points.append(NewPoint(kind, value, label, preferred=first))
            if first:
                card.record[kind] = value
            first = False


def _point_value(kind: str, value: str) -> str:
    """An address or number as kept: no `mailto:` / `tel:` of URIs, no surrounding spaces."""
    prefix = r"^mailto:" if kind == "email" else r"^tel:"
    return re.sub(prefix, "", value.strip(), flags=re.IGNORECASE).strip()


def _name_after_a_point(card: ContactCard) -> None:
    """A card with no name takes its e-mail address, or else its phone number, as its name."""
    for kind in ("email", "phone"):
        if card.record.get(kind):
            card.record["name"] = card.record[kind]
            card.notes.append(_(NAMED_AFTER[kind]))
            return


def _is_business(props: _Properties) -> bool:
    kind = props.text("KIND").lower()
    show_as = props.text("X-ABSHOWAS").upper()
    return kind in ("org", "organization") or show_as == "COMPANY"


def _organisation(props: _Properties) -> str:
    """The organisation's name: the first part of ORG (its commas kept as written)."""
    line = props.first("ORG")
    if line is None:
        return ""
    value = line.value
    parts = value if isinstance(value, list) else [value]
    if not parts:
        return ""
    first = parts[0]
    return (
        ",".join(_plain(item) for item in first).strip()
        if isinstance(first, list)
        else (_plain(first).strip())
    )


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
    if "text" in _param_values(line, "VALUE"):
        notes.append(_("Birthday: {day}").format(day=text))
        said = _("the birthday '{day}' is text, not a date, so it was put in the notes")
        card.notes.append(said.format(day=text))
        return
    omit_year = any(key.upper() == "X-APPLE-OMIT-YEAR" for key in line.params)
    try:
        day, has_year = _birthday(text, omit_year=omit_year)
    except ValueError:
        message = _("{value} is not a date; write it as YYYY-MM-DD").format(value=f"'{text}'")
        card.problems.append(ImportProblem(card.where, "BDAY", message))
        return
    if has_year:
        card.record["birthday"] = day.isoformat()
        return
    said = dates.day_of_year_text(day.month, day.day)
    notes.append(_("Birthday: {day}").format(day=said))
    no_year = _("the birthday {day} has no year, so it was put in the notes")
    card.notes.append(no_year.format(day=said))


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
