"""CSV: every entity out to a folder of CSV files, and clients in from any spreadsheet."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from rmtui.core import dates
from rmtui.core.interchange.client_import import (
    Candidate,
    ClientImportReport,
    ImportFileError,
    ImportProblem,
    import_clients,
    read_import_text,
    unique_points,
)
from rmtui.core.interchange.schema import (
    FIELDS,
    client_values,
    field_names,
    fields_of_kind,
    record_of,
)
from rmtui.core.interchange.table_rows import entity_table
from rmtui.core.models import ENTITIES, NAME_PARTS
from rmtui.core.parsers import EMAIL
from rmtui.core.private_files import open_private, private_folder
from rmtui.core.queries.contact_points import NewPoint
from rmtui.core.translation import N_, _

BATCH_SIZE = 5000
SKIP = "skip"
# Columns that fill no field alone: the parts of a birthday, as Thunderbird writes them.
BIRTH_PARTS = ("birth_year", "birth_month", "birth_day")
CONTACT_FIELDS = ("email", "phone")
# The field a client without a name is named after, as a note says it.
NAMED_AFTER = {"company": N_("company"), "email": N_("email"), "phone": N_("phone")}
# Client fields a spreadsheet can fill; ids and referrals only mean something inside a book.
IMPORTED_FIELDS = tuple(spec.name for spec in FIELDS["clients"] if spec.kind not in ("id", "ref"))
DATE_FIELDS = frozenset(spec.name for spec in fields_of_kind("clients", "date", "birthday"))
# Column headings as spreadsheets and address books write them (Google, Outlook, Thunderbird,
# Apple, LinkedIn; Dutch and English), by field. E-mail and phone columns are recognised by
# the words in their headings (see `contact_column`).
ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "naam",
        "full name",
        "fullname",
        "volledige naam",
        "display name",
        "weergavenaam",
        "client",
        "client name",
        "klant",
        "klantnaam",
        "contact",
        "contact name",
        "contactpersoon",
        "relatie",
    ),
    "name_prefix": ("name prefix", "prefix", "aanhef", "salutation"),
    "given_name": ("first name", "firstname", "given name", "voornaam", "roepnaam"),
    "additional_names": ("middle name", "middle names", "additional name"),
    "family_name": ("last name", "lastname", "surname", "family name", "achternaam"),
    "name_suffix": ("suffix", "name suffix"),
    "preferred_language": ("language", "taal", "preferred language", "voorkeurstaal"),
    "owner": ("owner", "account manager", "relationship manager", "eigenaar", "beheerder"),
    "company": (
        "organisation",
        "organization",
        "bedrijf",
        "bedrijfsnaam",
        "firma",
        "organisatie",
        "company name",
        "organization 1 - name",
        "organization name",
    ),
    "city": (
        "plaats",
        "woonplaats",
        "stad",
        "gemeente",
        "town",
        "home city",
        "business city",
        "work city",
        "other city",
        "address 1 - city",
        "address 2 - city",
    ),
    "country": (
        "land",
        "country/region",
        "home country/region",
        "business country/region",
        "other country/region",
        "home country",
        "work country",
        "business country",
        "address 1 - country",
        "address 2 - country",
    ),
    "birthday": ("date of birth", "dob", "birth date", "geboortedatum", "verjaardag"),
    "birth_year": ("birth year",),
    "birth_month": ("birth month",),
    "birth_day": ("birth day",),
    "kind": ("type", "soort"),
    "tier": ("segment", "klasse"),
    "preferred_channel": ("channel", "voorkeurskanaal", "kanaal"),
    "checkin_every_days": ("cadence", "check-in every days", "contact every days"),
    "source": ("bron", "herkomst", "lead source"),
    "tags": ("labels", "categories", "categorieen", "group membership", "groepen", "groups"),
    "risk_profile": ("risk profile", "risicoprofiel"),
    "notes": ("note", "notities", "notitie", "opmerkingen", "opmerking", "memo", "comments"),
    "created_on": ("created", "aangemaakt", "aangemaakt op"),
    "client_since": ("klant sinds", "customer since"),
    "client_until": ("klant tot", "customer until"),
    "archived": ("gearchiveerd",),
}
# Words of a heading that make it an e-mail or a phone column, and those that rule it out
# (Outlook's "E-mail Type" and "E-mail Display Name", Google's "E-mail 1 - Type").
EMAIL_WORDS = frozenset({"e-mail", "email", "mail", "e-mailadres", "emailadres", "mailadres"})
PHONE_WORDS = frozenset(
    {
        "phone",
        "telephone",
        "tel",
        "tel.",
        "telefoon",
        "telefoonnummer",
        "mobile",
        "mobiel",
        "gsm",
        "fax",
        "pager",
        "cell",
        "cellphone",
        "handy",
    }
)
NOT_CONTACT_WORDS = frozenset({"type", "label", "display", "name", "opt", "allow"})
# Words of a heading or a Google label that name a contact point's label.
LABEL_WORDS = {
    "home": "home",
    "private": "home",
    "prive": "home",
    "business": "work",
    "work": "work",
    "werk": "work",
    "office": "work",
    "mobile": "mobile",
    "mobiel": "mobile",
    "cell": "mobile",
    "gsm": "mobile",
    "handy": "mobile",
    "fax": "fax",
    "pager": "pager",
    "car": "car",
    "other": "other",
    "assistant": "assistant",
    "assistant's": "assistant",
    "main": "main",
}
PRIMARY_WORDS = frozenset({"primary", "*"})
# A heading is short; a longer text that mentions e-mail is a note above the header.
MOST_HEADING_WORDS = 5
# Google Contacts writes several values of one column in one cell, separated so.
MULTI_VALUE = re.compile(r"\s*:::\s*")
GOOGLE_LABEL = re.compile(r"^((?:e-mail|phone) \d+) - (?:type|label)$")
GOOGLE_VALUE = re.compile(r"^((?:e-mail|phone) \d+) - value$")
FLAG_WORDS = {"ja": "true", "nee": "false", "j": "true"}
# Groups that Google Contacts gives every contact; they say nothing about the client.
IGNORED_TAGS = frozenset({"mycontacts", "starred", ""})
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
# A cell beginning with one of these is read as a formula by spreadsheets (OWASP: CSV
# injection); export writes a ' before it, and import takes that ' away again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# How far down a file the header row is looked for (LinkedIn writes notes above it).
HEADER_SEARCH = 10


# Export


@dataclass(frozen=True)
class CsvStyle:
    """How the CSV files are written: plain (UTF-8, commas, amounts as 1234.50) or for a
    spreadsheet (`excel`: a byte order mark, the locale's list separator and decimal mark,
    phone numbers as text)."""

    excel: bool = False
    delimiter: str = ","
    decimal: str = "."


def csv_style(*, excel: bool) -> CsvStyle:
    """The style of an export; for a spreadsheet, in the user's locale (Excel uses `;` where
    the decimal mark is a comma)."""
    if not excel:
        return CsvStyle()
    from rmtui.core.user_locale import number_symbols, user_locale

    _group, decimal = number_symbols(user_locale())
    return CsvStyle(excel=True, delimiter=";" if decimal == "," else ",", decimal=decimal)


def write_csv_export(folder: Path, *, engine: Engine, excel: bool = False) -> dict[str, int]:
    """Write every entity, all columns, to `folder`/ENTITY.csv; the number of rows of each.

    Headers are the interchange field names; UTF-8, comma separated, money as decimal strings,
    dates as YYYY-MM-DD, tags joined by ", "; with `excel`, as `csv_style` says. A cell that a
    spreadsheet would take for a formula gets a ' before it. All files come from one snapshot.
    """
    style = csv_style(excel=excel)
    folder = private_folder(Path(folder))
    counts: dict[str, int] = {}
    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN")
        for entity in ENTITIES:
            counts[entity] = _write_entity(folder / f"{entity}.csv", connection, entity, style)
    return counts


def _write_entity(path: Path, connection: Connection, entity: str, style: CsvStyle) -> int:
    count = 0
    kinds = [spec.kind for spec in FIELDS[entity]]
    phones = [
        spec.name in ("phone",) or (entity, spec.name) == ("contact_points", "value")
        for spec in FIELDS[entity]
    ]
    with open_private(path) as handle:
        if style.excel:
            handle.write("\ufeff")
        writer = csv.writer(handle, delimiter=style.delimiter)
        writer.writerow(field_names(entity))
        for row in _rows(connection, entity):
            record = record_of(entity, row)
            writer.writerow(
                [
                    _styled(csv_cell(value), kind, phone, style)
                    for value, kind, phone in zip(record.values(), kinds, phones, strict=True)
                ]
            )
            count += 1
    return count


def _styled(cell: str, kind: str, phone: bool, style: CsvStyle) -> str:
    """A cell as the style writes it: amounts with its decimal mark, phone numbers as text."""
    if style.excel and kind == "money":
        return cell.replace(".", style.decimal)
    if style.excel and phone and PHONE_TEXT.fullmatch(cell):
        return f'="{cell}"'  # Excel keeps it as text: no lost leading 0, no 3.2E+10
    return neutralised(cell)


# What a phone number is made of when Excel is told to keep it as text (nothing a formula
# could do anything with).
PHONE_TEXT = re.compile(r"\+?[0-9 ()./-]+")


def neutralised(cell: str) -> str:
    """`cell` with a ' before it when a spreadsheet would read it as a formula (OWASP), or
    when it already starts with the ' that import takes away (so it comes back as it was)."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) or is_marked(cell) else cell


def is_marked(cell: str) -> bool:
    """Whether `cell` starts with a ' before a formula-like value (or before another such ')."""
    rest = cell[1:]
    return cell.startswith("'") and (rest.startswith(FORMULA_STARTS) or is_marked(rest))


def _rows(connection: Connection, entity: str) -> Iterator[Mapping[Any, Any]]:
    table = entity_table(entity)
    query = select(table).order_by(table.c.id)
    yield from connection.execution_options(yield_per=BATCH_SIZE).execute(query).mappings()


def csv_cell(value: Any) -> str:
    """A JSON-ready value as a CSV cell: lists joined by ", ", booleans true/false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


# Import


@dataclass(frozen=True)
class ContactColumn:
    """A column of e-mail addresses or phone numbers, with the label its heading gives."""

    kind: str
    label: str | None = None
    primary: bool = False


@dataclass
class ClientSheet:
    """A CSV file of clients read: which column fills which field, and the rows as records."""

    columns: dict[str, str]
    contacts: dict[str, ContactColumn] = field(default_factory=dict)
    # Google's "E-mail 1 - Type" columns, by the value column they label.
    labels: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, Any], list[NewPoint]]] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unread: int = 0  # rows that could not be read as a record

    def fills(self, target: str) -> bool:
        """Whether some column fills the field `target`."""
        return target in self.columns.values() or (
            target in CONTACT_FIELDS and any(c.kind == target for c in self.contacts.values())
        )


@dataclass
class Table:
    """The rows of a CSV file with the line each starts on, and a quoting problem if any."""

    rows: list[tuple[int, list[str]]]
    problem: ImportProblem | None = None


def parse_mapping(pairs: list[str] | None) -> dict[str, str]:
    """`--map column=field` options as a dict (field `skip` leaves a column out)."""
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        column, sign, target = pair.partition("=")
        if not sign or not column.strip():
            said = _("'{pair}' is not a mapping; write it as column=field.")
            raise ImportFileError(said.format(pair=pair))
        mapping[column.strip()] = target.strip() or SKIP
    return mapping


def csv_table(path: Path, text: str) -> Table:
    """Every row of the CSV `text` with its line; ImportFileError when it cannot be read.

    A quote that is opened and never closed (or closed in the middle of a cell) is a problem
    at the line where the row starts: the rows before it are kept, nothing after it.
    """
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table = Table([])
    line = 1
    try:
        for row in reader:
            table.rows.append((line, _one_delimiter(row, delimiter)))
            line = reader.line_num + 1
    except csv.Error as error:
        if "field limit" in str(error):
            limit = csv.field_size_limit() // 1024
            said = _("{path} has a cell longer than {limit} KiB; is it a spreadsheet of clients?")
            raise ImportFileError(said.format(path=path, limit=limit)) from None
        where = _("line {number}").format(number=line)
        table.problem = ImportProblem(where, "", _quote_problem(str(error)))
    return table


def _quote_problem(error: str) -> str:
    if "end of data" in error:
        return _(
            "a quote opens here and is never closed, so the rest of the file would be one "
            "cell; close or remove it"
        )
    said = _("a quoted cell is followed by more text ({error}); check the quotes of this row")
    return said.format(error=error)


def _one_delimiter(row: list[str], delimiter: str) -> list[str]:
    """A row written with another separator than the file's (one cell holding tabs, say),
    split by that separator."""
    if len(row) != 1:
        return row
    for mark in ("\t", ";", ","):
        if mark != delimiter and mark in row[0]:
            return next(csv.reader([row[0]], delimiter=mark))
    return row


def read_clients_csv(
    path: Path, *, mapping: Mapping[str, str] | None = None, encoding: str | None = None
) -> ClientSheet:
    """The clients in a CSV file (comma, semicolon or tab; any encoding), as records."""
    path = Path(path)
    advice = _("save it as 'CSV UTF-8' and import again")
    text = read_import_text(path, advice=advice, encoding=encoding)
    table = csv_table(path, text.text)
    rows = [(line, row) for line, row in table.rows if any(cell.strip() for cell in row)]
    if not rows:
        problem = table.problem
        if problem is None:
            said = _("{path} is empty; it needs a header row and a row per client.")
            raise ImportFileError(said.format(path=path))
        raise ImportFileError(f"{path}, {problem.where}: {problem.message}.")  # its first row
    mapping = dict(mapping or {})
    header_at = _header_index(rows, mapping)
    if header_at is None:
        header = [
            _("column {number}").format(number=number)
            for number in range(1, max(len(r) for _, r in rows) + 1)
        ]
        mapping = {**_mapping_by_content(header, rows), **mapping}
        sheet = _sheet(path, header, mapping)
        sheet.notes.append(
            _(
                "the file has no header row; its columns were recognised by what they hold: {how}"
            ).format(
                how=", ".join(
                    _("{column} as {field}").format(column=column, field=target)
                    for column, target in mapping.items()
                )
            )
        )
    else:
        header = [cell.strip() for cell in rows[header_at][1]]
        if header_at:
            sheet_note = (
                _("the 1 row above the header row was left out")
                if header_at == 1
                else _("the {count} rows above the header row were left out").format(
                    count=header_at
                )
            )
        rows = rows[header_at + 1 :]
        sheet = _sheet(path, header, mapping)
        if header_at:
            sheet.notes.append(sheet_note)
    if text.note:
        sheet.notes.insert(0, text.note)
    for number, row in rows:
        _read_row(sheet, header, number, row)
    if table.problem is not None:
        sheet.problems.append(table.problem)
    return sheet


def _sheet(path: Path, header: list[str], mapping: dict[str, str]) -> ClientSheet:
    sheet = _column_fields(path, header, mapping)
    used = set(sheet.columns) | set(sheet.contacts) | set(sheet.labels.values())
    left_out = [
        f"'{column}'"
        for column in header
        if column and column not in used and mapping.get(column) != SKIP
    ]
    if left_out:
        sheet.notes.append(
            _("columns not imported: {columns} (map one with --map 'COLUMN=FIELD')").format(
                columns=", ".join(left_out)
            )
        )
    return sheet


def _header_index(rows: list[tuple[int, list[str]]], mapping: Mapping[str, str]) -> int | None:
    """Which row is the header: the first of the top rows with a known heading (or one that
    --map names); None when the file starts with data (an e-mail address in its first row)."""
    aliases = _alias_table()
    for index, (_line, row) in enumerate(rows[:HEADER_SEARCH]):
        known = [
            cell
            for cell in row
            if cell.strip() in mapping
            or normalised(cell) in aliases
            or contact_column(cell) is not None
        ]
        if known and not any(EMAIL.match(cell.strip()) for cell in row):
            return index
    first = rows[0][1] if rows else []
    return None if any(EMAIL.match(cell.strip()) for cell in first) else 0


def _mapping_by_content(header: list[str], rows: list[tuple[int, list[str]]]) -> dict[str, str]:
    """For a file without a header: columns holding e-mail addresses are e-mail columns, and
    the first other column with text is the name."""
    mapping: dict[str, str] = {}
    for index, column in enumerate(header):
        cells = [row[index].strip() for _line, row in rows if index < len(row)]
        if any(EMAIL.match(cell) for cell in cells):
            mapping[column] = "email"
        elif "name" not in mapping.values() and any(cells):
            mapping[column] = "name"
    return mapping


def import_clients_csv(
    path: Path,
    *,
    engine: Engine,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    merge: bool = False,
    skip_invalid: bool = False,
    encoding: str | None = None,
) -> ClientImportReport:
    """Add the clients of a CSV file to the book, all or nothing.

    Duplicates (same e-mail, or same name and phone, in the file or in the book) are skipped,
    or with `merge` the book's client is updated with the file's values. Raises ImportRejected
    (writing nothing) when a row has a problem, unless `skip_invalid` leaves such rows out; a
    dry run only reports. `encoding` overrides the one detected.
    """
    path = Path(path)
    sheet = read_clients_csv(path, mapping=mapping, encoding=encoding)
    report = ClientImportReport(
        source=path.name, read=len(sheet.rows) + sheet.unread, dry_run=dry_run, notes=sheet.notes
    )
    report.problems += sheet.problems
    headers = {target: column for column, target in sheet.columns.items()}
    candidates: list[Candidate] = []
    for number, record, points in sheet.rows:
        where = _("row {number}").format(number=number)
        values, problems = client_values(record, today=dates.today(), label=where)
        for problem in problems:
            column = headers.get(problem.field, problem.field)
            report.problems.append(ImportProblem(where, column, problem.message))
        candidates.append(Candidate(where, record, values, points))
    report.problems.sort(key=lambda problem: int(problem.where.split()[-1]))
    return import_clients(candidates, report, engine=engine, merge=merge, skip_invalid=skip_invalid)


def _delimiter(text: str) -> str:
    """Semicolon (Excel in most of Europe), tab or comma, from the first line that has one."""
    for line in text.lstrip().split("\n", HEADER_SEARCH)[:HEADER_SEARCH]:
        counts = {mark: line.count(mark) for mark in (";", "\t", ",")}
        best = max(counts, key=lambda mark: counts[mark])
        if counts[best]:
            return best
    return ","


def normalised(heading: str) -> str:
    """A column heading reduced for matching: lower case, no accents, single spaces."""
    plain = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().replace("_", " ").split())


def _alias_table() -> dict[str, str]:
    table = {normalised(name): name for name in IMPORTED_FIELDS if name not in CONTACT_FIELDS}
    for target, names in ALIASES.items():
        table.update({normalised(name): target for name in names})
    return table


def contact_column(heading: str) -> ContactColumn | None:
    """The e-mail or phone column a heading names (`Mobile Phone`, `E-mail 2 Address`,
    `Primary Email`, `E-mail 1 - Value`), or None."""
    split = re.split(r"[\s/]+|(?<=\w) - ", normalised(heading))
    words = set(split)
    if len(split) > MOST_HEADING_WORDS or words & NOT_CONTACT_WORDS:
        return None
    if words & EMAIL_WORDS:
        kind = "email"
    elif words & PHONE_WORDS:
        kind = "phone"
    else:
        return None
    labels = [LABEL_WORDS[word] for word in words_in_order(heading) if word in LABEL_WORDS]
    label = ", ".join(dict.fromkeys(label for label in labels if label != kind)) or None
    if kind == "phone" and label == "mobile, mobile":
        label = "mobile"
    return ContactColumn(kind, label, primary=bool(words & PRIMARY_WORDS))


def words_in_order(heading: str) -> list[str]:
    """The words of a heading, normalised, in order."""
    return re.split(r"[\s/-]+", normalised(heading))


def _column_fields(path: Path, header: list[str], mapping: dict[str, str]) -> ClientSheet:
    """Which field each column fills: the --map overrides first, then the known headings."""
    _check_mapping(path, header, mapping)
    aliases = _alias_table()
    sheet = ClientSheet(columns={})
    for column in header:
        target = mapping.get(column)
        if target is not None:
            target = normalised(target).replace(" ", "_")
        if target == SKIP:
            continue
        if target in CONTACT_FIELDS:
            sheet.contacts[column] = ContactColumn(target)
        elif target:
            sheet.columns[column] = target
        elif normalised(column) in aliases:
            sheet.columns[column] = aliases[normalised(column)]
        elif (found := contact_column(column)) is not None:
            sheet.contacts[column] = found
    _title_as_prefix(header, sheet, mapping)
    _pair_google_labels(header, sheet)
    if not any(sheet.fills(target) for target in NAMING_FIELDS):
        said = _(
            "{path} has no column for the client's name, e-mail or phone (such as 'name' or "
            "'naam'); add one or map a column with --map 'COLUMN=name'."
        )
        raise ImportFileError(said.format(path=path))
    return sheet


# A client is named by one of these, in this order of preference.
NAMING_FIELDS = ("name", *NAME_PARTS, "company", "email", "phone")


def _title_as_prefix(header: list[str], sheet: ClientSheet, mapping: dict[str, str]) -> None:
    """Outlook's `Title` beside a `Job Title` column is the name's prefix (Mr., Dr.)."""
    headings = {normalised(column): column for column in header}
    if "title" in headings and "job title" in headings and "title" not in mapping:
        sheet.columns[headings["title"]] = "name_prefix"


def _pair_google_labels(header: list[str], sheet: ClientSheet) -> None:
    """Google's `E-mail 1 - Type` (or `- Label`) columns label their `- Value` column."""
    values = {}
    for column in header:
        match = GOOGLE_VALUE.match(normalised(column))
        if match:
            values[match.group(1)] = column
    for column in header:
        match = GOOGLE_LABEL.match(normalised(column))
        if match and match.group(1) in values:
            sheet.labels[values[match.group(1)]] = column


def _check_mapping(path: Path, header: list[str], mapping: dict[str, str]) -> None:
    known = set(IMPORTED_FIELDS) | {SKIP}
    for column, target in mapping.items():
        if column not in header:
            listed = ", ".join(f"'{name}'" for name in header if name)
            said = _("{path} has no column '{column}'; its columns are {columns}.")
            raise ImportFileError(said.format(path=path, column=column, columns=listed))
        if normalised(target).replace(" ", "_") not in known:
            fields = ", ".join(IMPORTED_FIELDS)
            said = _("'{field}' is not a client field; use one of {fields}.")
            raise ImportFileError(said.format(field=target, fields=fields))


def _read_row(sheet: ClientSheet, header: list[str], number: int, row: list[str]) -> None:
    where = _("row {number}").format(number=number)
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        message = _("has {cells} cells but the header has {columns} columns").format(
            cells=len(row), columns=len(header)
        )
        sheet.problems.append(ImportProblem(where, "", message))
        sheet.unread += 1
        return
    cells = dict(zip(header, (unmarked(cell.strip()) for cell in row), strict=False))
    record: dict[str, Any] = {}
    for column, target in sheet.columns.items():
        cell = cells.get(column, "")
        if cell and target not in record:
            record[target] = _cell_value(target, cell)
    points, others = _points_of_row(sheet, where, cells)
    for kind in CONTACT_FIELDS:
        record[kind] = next((p.value for p in points if p.kind == kind and p.preferred), None)
    _join_birthday(record)
    _keep_yearless_birthday(sheet, where, record, others)
    _name_record(sheet, where, record)
    if others:
        record["notes"] = "\n".join([record["notes"], *others] if record.get("notes") else others)
    sheet.rows.append((number, {k: v for k, v in record.items() if v is not None}, points))


def unmarked(cell: str) -> str:
    """A cell without the ' that a spreadsheet-safe export put before a formula-like value;
    everything else, a formula too, as it is."""
    return cell[1:] if is_marked(cell) else cell


def _points_of_row(
    sheet: ClientSheet, where: str, cells: dict[str, str]
) -> tuple[list[NewPoint], list[str]]:
    """The row's e-mail addresses and phone numbers (several in one of Google's cells), the
    primary of each kind first and preferred; text in an e-mail column that is no address
    goes to the notes instead."""
    found: list[tuple[bool, NewPoint]] = []
    others: list[str] = []
    for column, contact in sheet.contacts.items():
        label_cell = cells.get(sheet.labels.get(column, ""), "")
        primary, label = contact.primary, contact.label
        if label_cell:
            primary = primary or label_cell.startswith("*")
            label = label_cell.lstrip("* ").split(":::")[0].strip().lower() or label
        for value in MULTI_VALUE.split(cells.get(column, "")):
            if not value:
                continue
            if contact.kind == "email" and not EMAIL.match(value):
                kept = _("E-mail: {address}").format(address=value)
                others.append(f"{kept} ({column})")
                said = _("{where}: '{value}' is not an e-mail address, so it was put in the notes")
                sheet.notes.append(said.format(where=where, value=value))
                continue
            found.append((primary, NewPoint(contact.kind, value, label)))
    found.sort(key=lambda pair: not pair[0])
    points = unique_points([point for _primary, point in found])
    firsts = {kind: next((p for p in points if p.kind == kind), None) for kind in CONTACT_FIELDS}
    return [replace(p, preferred=p is firsts[p.kind]) for p in points], others


def _name_record(sheet: ClientSheet, where: str, record: dict[str, Any]) -> None:
    """A row with no name is named by its name's parts, its company, e-mail or phone."""
    if record.get("name"):
        return
    parts = [str(record.get(part) or "") for part in NAME_PARTS]
    name = " ".join(part for part in parts if part)
    if name:
        record["name"] = name
        return
    for target in ("company", "email", "phone"):
        if record.get(target):
            record["name"] = record[target]
            if target == "company":
                record["kind"] = record.get("kind") or "business"
            said = _("{where} has no name, so it is named after its {field}")
            sheet.notes.append(said.format(where=where, field=_(NAMED_AFTER[target])))
            return


def _join_birthday(record: dict[str, Any]) -> None:
    """Thunderbird's Birth Year, Birth Month and Birth Day columns as one birthday."""
    year, month, day = (str(record.pop(part, "") or "").strip() for part in BIRTH_PARTS)
    if record.get("birthday") or not (month and day):
        return
    if month.isdigit() and day.isdigit():
        start = year if year.isdigit() else "-"
        record["birthday"] = f"{start}-{int(month):02d}-{int(day):02d}"


def _keep_yearless_birthday(
    sheet: ClientSheet, where: str, record: dict[str, Any], others: list[str]
) -> None:
    """A birthday without a year (`--04-17`) can't be a date: it goes into the notes."""
    match = re.fullmatch(r"--(\d{1,2})-?(\d{2})", str(record.get("birthday", "")))
    if not match:
        return
    del record["birthday"]
    try:
        said = dates.day_of_year_text(int(match.group(1)), int(match.group(2)))
    except ValueError:
        said = match.group(0)
    others.append(_("Birthday: {day}").format(day=said))
    sheet.notes.append(
        _("{where}: the birthday {day} has no year, so it was put in the notes").format(
            where=where, day=said
        )
    )


def _cell_value(target: str, cell: str) -> str:
    """A cell as the interchange format wants it: day-first dates as YYYY-MM-DD, ja/nee."""
    cell = cell.replace("\r\n", "\n")
    if target in DATE_FIELDS:
        if re.fullmatch(r"0+[-/.]0+[-/.]0+", cell):
            return ""
        match = _DAY_FIRST.match(cell)
        if match:
            day, month, year = match.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
    if target == "archived":
        return FLAG_WORDS.get(cell.lower(), cell)
    if target == "tags":
        tags = re.split(r"[;,]|:::", cell)
        kept = [tag.strip() for tag in tags if tag.strip().lstrip("* ").lower() not in IGNORED_TAGS]
        return ", ".join(tag for tag in kept if tag)
    return cell
