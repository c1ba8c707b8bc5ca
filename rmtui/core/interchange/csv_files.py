"""CSV: every entity out to a folder of CSV files, and clients in from any spreadsheet."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
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
)
from rmtui.core.interchange.schema import (
    FIELDS,
    client_values,
    field_names,
    fields_of_kind,
    record_of,
)
from rmtui.core.interchange.table_rows import entity_table
from rmtui.core.interchange.vcards import MONTHS
from rmtui.core.models import ENTITIES
from rmtui.core.private_files import open_private, private_folder

BATCH_SIZE = 5000
SKIP = "skip"
NAME_PARTS = ("first_name", "last_name")
# Client fields a spreadsheet can fill; ids and referrals only mean something inside a book.
IMPORTED_FIELDS = tuple(spec.name for spec in FIELDS["clients"] if spec.kind not in ("id", "ref"))
DATE_FIELDS = frozenset(spec.name for spec in fields_of_kind("clients", "date", "birthday"))
# Column headings as spreadsheets and address books write them (Dutch and English), by field.
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
    "first_name": ("first name", "firstname", "given name", "voornaam", "roepnaam"),
    "last_name": ("last name", "lastname", "surname", "family name", "achternaam"),
    "email": (
        "e-mail",
        "e mail",
        "mail",
        "email address",
        "e-mail address",
        "e-mailadres",
        "emailadres",
        "e-mail adres",
        "e-mail 1 - value",
        "e-mail 2 - value",
        "e-mail address 1",
        "e-mail 2 address",
        "e-mail 3 address",
    ),
    "phone": (
        "telephone",
        "tel",
        "tel.",
        "telefoon",
        "telefoonnummer",
        "phone number",
        "mobile",
        "mobiel",
        "mobiele telefoon",
        "gsm",
        "phone 1 - value",
        "primary phone",
        "home phone",
        "business phone",
        "mobile phone",
    ),
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
        "address 1 - city",
    ),
    "country": (
        "land",
        "country/region",
        "home country/region",
        "business country/region",
        "address 1 - country",
    ),
    "birthday": ("date of birth", "dob", "birth date", "geboortedatum", "verjaardag"),
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
FLAG_WORDS = {"ja": "true", "nee": "false", "j": "true"}
# Groups that Google Contacts gives every contact; they say nothing about the client.
IGNORED_TAGS = frozenset({"mycontacts", "starred", ""})
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


# Export


def write_csv_export(folder: Path, *, engine: Engine) -> dict[str, int]:
    """Write every entity, all columns, to `folder`/ENTITY.csv; the number of rows of each.

    Headers are the interchange field names; UTF-8, comma separated, money as decimal strings,
    dates as YYYY-MM-DD, tags joined by ", ". All files come from one snapshot of the book.
    """
    folder = private_folder(Path(folder))
    counts: dict[str, int] = {}
    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN")
        for entity in ENTITIES:
            counts[entity] = _write_entity(folder / f"{entity}.csv", connection, entity)
    return counts


def _write_entity(path: Path, connection: Connection, entity: str) -> int:
    count = 0
    with open_private(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(field_names(entity))
        for row in _rows(connection, entity):
            record = record_of(entity, row)
            writer.writerow([csv_cell(value) for value in record.values()])
            count += 1
    return count


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


@dataclass
class ClientSheet:
    """A CSV file of clients read: which column fills which field, and the rows as records."""

    columns: dict[str, str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_mapping(pairs: list[str] | None) -> dict[str, str]:
    """`--map column=field` options as a dict (field `skip` leaves a column out)."""
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        column, sign, target = pair.partition("=")
        if not sign or not column.strip():
            raise ImportFileError(f"'{pair}' is not a mapping; write it as column=field.")
        mapping[column.strip()] = target.strip() or SKIP
    return mapping


def _csv_rows(path: Path, text: str) -> list[list[str]]:
    """Every row of the CSV `text`, or ImportFileError saying why it cannot be read."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        if "field limit" in str(error):
            limit = csv.field_size_limit() // 1024
            raise ImportFileError(
                f"{path} has a cell longer than {limit} KiB; is it a spreadsheet of clients?"
            ) from None
        raise ImportFileError(f"{path} cannot be read as a spreadsheet: {error}.") from None


def read_clients_csv(path: Path, *, mapping: Mapping[str, str] | None = None) -> ClientSheet:
    """The clients in a CSV file (comma or semicolon, UTF-8 with or without BOM), as records."""
    path = Path(path)
    text = read_import_text(path, advice="save it as 'CSV UTF-8' and import again")
    rows = _csv_rows(path, text)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportFileError(f"{path} is empty; it needs a header row and a row per client.")
    header = [cell.strip() for cell in rows[0]]
    sheet = ClientSheet(columns=_column_fields(path, header, dict(mapping or {})))
    left_out = [
        f"'{column}'"
        for column in header
        if column and column not in sheet.columns and (mapping or {}).get(column) != SKIP
    ]
    if left_out:
        sheet.notes.append(
            f"columns not imported: {', '.join(left_out)} (map one with --map 'COLUMN=FIELD')"
        )
    for number, row in enumerate(rows[1:], 2):
        _read_row(sheet, header, number, row)
    return sheet


def import_clients_csv(
    path: Path,
    *,
    engine: Engine,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    merge: bool = False,
) -> ClientImportReport:
    """Add the clients of a CSV file to the book, all or nothing.

    Duplicates (same e-mail, or same name and phone, in the file or in the book) are skipped,
    or with `merge` the book's client is updated with the file's values. Raises ImportRejected
    (writing nothing) when a row has a problem; a dry run only reports.
    """
    path = Path(path)
    sheet = read_clients_csv(path, mapping=mapping)
    report = ClientImportReport(
        source=path.name, read=len(sheet.rows), dry_run=dry_run, notes=sheet.notes
    )
    report.problems += sheet.problems
    headers = {target: column for column, target in sheet.columns.items()}
    candidates: list[Candidate] = []
    for number, record in sheet.rows:
        where = f"row {number}"
        values, problems = client_values(record, today=dates.today(), label=where)
        for problem in problems:
            column = headers.get(problem.field, headers.get("last_name", problem.field))
            report.problems.append(ImportProblem(where, column, problem.message))
        candidates.append(Candidate(where, record, values))
    report.problems.sort(key=lambda problem: int(problem.where.split()[-1]))
    return import_clients(candidates, report, engine=engine, merge=merge)


def _delimiter(text: str) -> str:
    """Semicolon (Excel in most of Europe), tab or comma, from the header line."""
    first = text.lstrip().split("\n", 1)[0]
    counts = {mark: first.count(mark) for mark in (";", "\t", ",")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] else ","


def normalised(heading: str) -> str:
    """A column heading reduced for matching: lower case, no accents, single spaces."""
    plain = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().replace("_", " ").split())


def _alias_table() -> dict[str, str]:
    table = {normalised(name): name for name in (*IMPORTED_FIELDS, *NAME_PARTS)}
    for target, names in ALIASES.items():
        table.update({normalised(name): target for name in names})
    return table


def _column_fields(path: Path, header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Which field each column fills: the --map overrides first, then the known headings."""
    _check_mapping(path, header, mapping)
    aliases = _alias_table()
    columns: dict[str, str] = {}
    for column in header:
        target = mapping.get(column) or aliases.get(normalised(column))
        if target and target != SKIP:
            columns[column] = normalised(target).replace(" ", "_") if column in mapping else target
    if "name" not in columns.values() and not set(NAME_PARTS) & set(columns.values()):
        raise ImportFileError(
            f"{path} has no column for the client's name (such as 'name' or 'naam'); "
            "add one or map a column with --map 'COLUMN=name'."
        )
    return columns


def _check_mapping(path: Path, header: list[str], mapping: dict[str, str]) -> None:
    known = set(IMPORTED_FIELDS) | set(NAME_PARTS) | {SKIP}
    for column, target in mapping.items():
        if column not in header:
            listed = ", ".join(f"'{name}'" for name in header if name)
            raise ImportFileError(f"{path} has no column '{column}'; its columns are {listed}.")
        if normalised(target).replace(" ", "_") not in known:
            fields = ", ".join(IMPORTED_FIELDS + NAME_PARTS)
            raise ImportFileError(f"'{target}' is not a client field; use one of {fields}.")


def _read_row(sheet: ClientSheet, header: list[str], number: int, row: list[str]) -> None:
    where = f"row {number}"
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        message = f"has {len(row)} cells but the header has {len(header)} columns"
        sheet.problems.append(ImportProblem(where, "", message))
        return
    record: dict[str, Any] = {}
    others: list[str] = []
    for column, cell in zip(header, row, strict=False):
        target = sheet.columns.get(column)
        if not target or not cell.strip():
            continue
        if target not in record:
            record[target] = _cell_value(target, cell.strip())
        elif target in ("email", "phone"):
            others.append(
                f"Other {'e-mail' if target == 'email' else 'phone'}: {cell.strip()} ({column})"
            )
    _join_name(record)
    _keep_yearless_birthday(sheet, where, record, others)
    if others:
        record["notes"] = "\n".join([record["notes"], *others] if record.get("notes") else others)
    sheet.rows.append((number, record))


def _keep_yearless_birthday(
    sheet: ClientSheet, where: str, record: dict[str, Any], others: list[str]
) -> None:
    """A birthday without a year (`--04-17`) can't be a date: it goes into the notes."""
    match = re.fullmatch(r"--(\d{1,2})-?(\d{2})", str(record.get("birthday", "")))
    if not match:
        return
    del record["birthday"]
    said = (
        f"{int(match.group(2))} {MONTHS[int(match.group(1)) - 1]}"
        if 1 <= int(match.group(1)) <= 12
        else match.group(0)
    )
    others.append(f"Birthday: {said}")
    sheet.notes.append(f"{where}: the birthday {said} has no year, so it was put in the notes")


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


def _join_name(record: dict[str, Any]) -> None:
    """First and last name columns make the name when there is no name column."""
    parts = [record.pop(part, "") for part in NAME_PARTS]
    if not record.get("name") and any(parts):
        record["name"] = " ".join(part for part in parts if part)
