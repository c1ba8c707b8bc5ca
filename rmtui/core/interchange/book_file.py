"""The JSON interchange format: export and import of the whole book, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rmtui.core import audit, dates
from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.interchange.batches import chunks
from rmtui.core.interchange.bulk_load import copy_rows
from rmtui.core.interchange.nested import NESTED, NESTED_IN, unnested, with_nested
from rmtui.core.interchange.schema import (
    ENTITY_NOUNS,
    FIELDS,
    REFERENCES,
    Problem,
    record_of,
    record_values,
)
from rmtui.core.models import ENTITIES
from rmtui.core.private_files import open_private
from rmtui.core.progress import REPORT_EVERY, Progress, part_of, untold
from rmtui.core.queries.contact_points import add_missing_contact_points
from rmtui.core.wording import NOUNS, count_text, counts_text

FORMAT = "rmtui-book"
VERSION = 4
# Versions this code reads: 1 has no contact points (they come from the clients' e-mail and
# phone), 2 adds them, 3 adds households (their members inside) and contact persons, 4 the
# follow-ups' time, notes and repeat, the deals' expected close and probability, the review
# cadence and review flag, and the cases' clocks (an older file leaves them empty).
READABLE_VERSIONS = (1, 2, 3, 4)
BATCH_SIZE = 5000
# Keys of a book file besides the lists of records ("anchor" dates the demo book).
HEADER_KEYS = frozenset({"format", "version", "anchor"})
IMPORT_CACHE_SIZE = -256 * 1024  # KiB, as SQLite counts a negative cache_size
TABLES: dict[str, Table] = {
    entity: model.__table__  # type: ignore[attr-defined]
    for entity, model in ENTITIES.items()
}
# The lists of a book file: every entity but those written inside another (nested.py).
FILE_ENTITIES = tuple(entity for entity in ENTITIES if entity not in NESTED)


class InterchangeError(BookError):
    """A book file that cannot be read or written, with one sentence saying why."""


class BookImportError(InterchangeError):
    """An import refused because of bad records; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"the file has {count} {noun}, so nothing was imported.")


@dataclass
class ImportReport:
    """What an import added: the number of records per entity."""

    counts: dict[str, int]
    ids_kept: bool

    @property
    def total(self) -> int:
        """All records imported."""
        return sum(self.counts.values())

    def __str__(self) -> str:
        """The counts as a person reads them: `60 clients, 1 interaction, ...`."""
        return counts_text(self.counts)


# Export


def export_book(*, session: Session) -> dict[str, Any]:
    """The whole book in the interchange format, as one dict."""
    connection = session.connection()
    book: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    for entity in FILE_ENTITIES:
        book[entity] = list(file_records(connection, entity))
    return book


def file_records(connection: Connection, entity: str) -> Iterator[dict[str, Any]]:
    """Every record of `entity` as the book file holds it: with the records nested in it."""
    nested = NESTED_IN.get(entity)
    if nested is None:
        return iter_records(connection, entity)
    children = iter_records(connection, nested.entity, by=nested.link)
    return with_nested(nested, iter_records(connection, entity), children)


def iter_records(
    connection: Connection, entity: str, *, by: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every record of `entity` in the book, by id (or by the reference field `by`, then id),
    read in batches."""
    table = TABLES[entity]
    order = [table.c[f"{by}_id"], table.c.id] if by else [table.c.id]
    query = select(table).order_by(*order)
    result = connection.execution_options(yield_per=BATCH_SIZE).execute(query)
    for row in result.mappings():
        yield record_of(entity, row)


def write_book_file(path: Path, *, engine: Engine, progress: Progress = untold) -> dict[str, int]:
    """Export the whole book to `path` (readable by the user alone); return counts per entity.

    The file is written through a temporary file, so a failed export leaves no half file;
    BookError says why the file could not be written.
    """
    with open_private(Path(path)) as out, engine.connect() as connection:
        _begin_snapshot(connection)
        return write_book(out, connection, progress=progress)


def write_book(
    out: IO[str], connection: Connection, *, progress: Progress = untold
) -> dict[str, int]:
    """Stream the book as interchange JSON to `out`, one record a line; return counts.

    `progress` is told the records written so far of all the book's records."""
    counts: dict[str, int] = {}
    total = _record_count(connection)
    out.write(f'{{\n "format": "{FORMAT}",\n "version": {VERSION}')
    for entity in FILE_ENTITIES:
        step, written = f"writing the {NOUNS[entity][1]}", sum(counts.values())

        def told(count: int, step: str = step, written: int = written) -> None:
            progress(step, written + count, total)

        told(0)
        out.write(f',\n "{entity}": [')
        counts[entity] = _write_records(out, file_records(connection, entity), told)
        out.write("\n ]" if counts[entity] else "]")
    out.write("\n}\n")
    progress("written", total, total)
    return counts


def _record_count(connection: Connection) -> int:
    """How many records the book file lists at its top level (the nested ones come along)."""
    counts = (select(func.count()).select_from(TABLES[entity]) for entity in FILE_ENTITIES)
    return sum(connection.execute(count).scalar_one() for count in counts)


def _write_records(
    out: IO[str], records: Iterable[dict[str, Any]], told: Callable[[int], None]
) -> int:
    count = 0
    for record in records:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
        if count % REPORT_EVERY == 0:
            told(count)
    return count


def _begin_snapshot(connection: Connection) -> None:
    """Read every table from one snapshot of the book, even while it is being written."""
    connection.exec_driver_sql("BEGIN")


# Reading a file


def read_book_file(path: Path) -> dict[str, Any]:
    """The interchange data in the file at `path`, or InterchangeError saying what is wrong."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle, parse_float=Decimal)
    except FileNotFoundError:
        raise InterchangeError(f"{path} does not exist; check the file name.") from None
    except IsADirectoryError:
        raise InterchangeError(f"{path} is a folder; give the name of an export file.") from None
    except PermissionError:
        raise InterchangeError(
            f"{path} cannot be read: you have no permission to open it."
        ) from None
    except UnicodeDecodeError:
        raise InterchangeError(
            f"{path} is not a text file in UTF-8; is it a JSON export?"
        ) from None
    except json.JSONDecodeError as error:
        raise InterchangeError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except RecursionError:
        raise InterchangeError(
            f"{path} nests lists or objects too deeply to be a book file; is it an rmtui export?"
        ) from None
    except ValueError as error:  # e.g. a number of more digits than Python reads
        raise InterchangeError(f"{path} cannot be read as a book: {error}.") from None
    check_book_header(data, source=str(path))
    return data


def check_book_header(data: Any, *, source: str = "the data") -> None:
    """Raise InterchangeError unless `data` is an rmtui book of a version this code reads."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise InterchangeError(
            f'{source} is not an rmtui book export: its "format" is not "{FORMAT}".'
        )
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise InterchangeError(
            f"{source} was written by a newer rmtui (format version {version}); "
            "upgrade rmtui to import it."
        )
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        numbers = [str(number) for number in READABLE_VERSIONS]
        readable = f"{', '.join(numbers[:-1])} and {numbers[-1]}"
        raise InterchangeError(
            f'{source} has an unsupported "version" ({json.dumps(version, default=str)}); '
            f"this rmtui reads versions {readable}."
        )


# Import


@dataclass
class _Batch:
    """The checked records of one entity, on their way into the book."""

    entity: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    labels: list[object] = field(default_factory=list)
    file_ids: set[int] = field(default_factory=set)
    new_ids: dict[int, int] = field(default_factory=dict)

    @property
    def table(self) -> Table:
        """The table the records go into."""
        return TABLES[self.entity]


@dataclass(order=True)
class _Found:
    """A problem with where it was found, so problems are reported in file order."""

    entity_index: int
    position: int
    problem: Problem = field(compare=False)


@dataclass
class _Plan:
    """An import checked against itself: batches per entity, problems, outside references."""

    batches: dict[str, _Batch] = field(default_factory=dict)
    found: list[_Found] = field(default_factory=list)
    # References to ids that are not in the file: (target entity, id, problem if not in the book).
    outside: list[tuple[str, int, _Found]] = field(default_factory=list)


def import_book(
    *,
    engine: Engine,
    data: Mapping[str, Any],
    progress: Progress = untold,
    consume: bool = False,
) -> ImportReport:
    """Add every record of `data` to the book in one transaction, or nothing at all.

    Every record is checked first; if any is bad, BookImportError lists every problem.
    Into an empty book the ids of the file are kept; otherwise records get new ids.
    With `consume`, each record of `data` is replaced by None in its list once checked, so
    that a large book read from a file is not held in memory twice over.
    """
    check_book_header(data)
    data, nesting = unnested(data)
    records = sum(len(value) for value in data.values() if isinstance(value, list))
    checking = part_of(progress, before=0, whole=2 * records)  # then as many to add
    plan = _check_book(data, today=dates.today(), let_go=consume, progress=checking)
    plan.found += [_Found(-1, 0, problem) for problem in nesting]
    try:
        with session_scope(engine, bulk=True) as session:
            connection = session.connection()
            found = plan.found + _missing_references(connection, plan.outside)
            if found:
                raise BookImportError([item.problem for item in sorted(found)])
            adding = part_of(progress, before=records, whole=2 * records)
            report = _insert_plan(connection, plan, adding)
            changes = {**report.counts, "ids_kept": report.ids_kept}
            audit.record(session, entity="book", action="import", changes=changes)
            progress("saving the book", 2 * records, 2 * records)
    except IntegrityError as error:
        raise InterchangeError(
            f"the book refused the import ({error.orig}), so nothing was imported."
        ) from None
    return report


def book_is_empty(connection: Connection) -> bool:
    """Whether the book holds no record of any entity yet."""
    return all(
        connection.execute(select(table.c.id).limit(1)).first() is None for table in TABLES.values()
    )


def _check_book(data: Mapping[str, Any], *, today: date, let_go: bool, progress: Progress) -> _Plan:
    """Check every record of `data`; with `let_go`, each record is replaced by None in its
    list once checked, so that it can be freed. `progress` is told the records checked."""
    plan = _Plan()
    checked = 0
    progress("checking every record", checked)
    for key in data:
        if key not in FILE_ENTITIES and key not in HEADER_KEYS and key not in NESTED:
            problem = Problem(str(key), "", "", "is not part of the rmtui-book format")
            plan.found.append(_Found(-1, 0, problem))
    for index, entity in enumerate(ENTITIES):
        plan.batches[entity] = batch = _Batch(entity)
        records = data.get(entity, [])
        if not isinstance(records, list):
            problem = Problem(entity, "", "", "must be a list of records")
            plan.found.append(_Found(index, 0, problem))
            continue
        for position, record in enumerate(records, 1):
            problems = _check_record(batch, record, position, today)
            plan.found += [_Found(index, position, problem) for problem in problems]
            if let_go:
                records[position - 1] = None
            checked += 1
            if checked % REPORT_EVERY == 0:
                progress("checking every record", checked)
    plan.outside = _outside_references(plan.batches)
    return plan


def _check_record(batch: _Batch, record: Any, position: int, today: date) -> list[Problem]:
    entity = batch.entity
    if not isinstance(record, Mapping):
        return [Problem(entity, f"item {position}", "", "is not a record (a JSON object)")]
    record_id = record.get("id")
    has_id = isinstance(record_id, int) and not isinstance(record_id, bool)
    label: object = record_id if has_id else f"item {position}"
    values, problems = record_values(entity, record, today=today, label=label)
    if has_id and record_id in batch.file_ids:
        message = f"{record_id} is also the id of another record"
        problems.append(Problem(entity, label, "id", message))
    elif values.get("id") is not None:
        batch.file_ids.add(values["id"])
    batch.rows.append(values)
    batch.labels.append(label)
    return problems


def _reference_fields(entity: str) -> list[tuple[str, str, str]]:
    """(field, column, target entity) for every reference field of `entity`."""
    columns = {spec.name: spec.column for spec in FIELDS[entity]}
    return [(name, columns[name], target) for name, target in REFERENCES.get(entity, {}).items()]


def _outside_references(batches: dict[str, _Batch]) -> list[tuple[str, int, _Found]]:
    outside: list[tuple[str, int, _Found]] = []
    for index, (entity, batch) in enumerate(batches.items()):
        for name, column, target in _reference_fields(entity):
            in_file = batches[target].file_ids
            for position, (row, label) in enumerate(zip(batch.rows, batch.labels, strict=True), 1):
                ref = row.get(column)
                if ref is not None and ref not in in_file:
                    message = f"no {ENTITY_NOUNS[target]} #{ref} in the file or the book"
                    problem = Problem(entity, label, name, message)
                    outside.append((target, ref, _Found(index, position, problem)))
    return outside


def _missing_references(
    connection: Connection, outside: list[tuple[str, int, _Found]]
) -> list[_Found]:
    """The outside references whose id is not in the book either."""
    wanted: dict[str, set[int]] = {}
    for target, ref, _found in outside:
        wanted.setdefault(target, set()).add(ref)
    existing = {target: _existing_ids(connection, target, ids) for target, ids in wanted.items()}
    return [found for target, ref, found in outside if ref not in existing[target]]


def _existing_ids(connection: Connection, entity: str, ids: set[int]) -> set[int]:
    table = TABLES[entity]
    existing: set[int] = set()
    for chunk in chunks(sorted(ids), 500):
        query = select(table.c.id).where(table.c.id.in_(chunk))
        existing.update(connection.execute(query).scalars())
    return existing


def _insert_plan(connection: Connection, plan: _Plan, progress: Progress) -> ImportReport:
    ids_kept = book_is_empty(connection)
    for batch in plan.batches.values():
        _assign_ids(connection, batch, keep=ids_kept)
    referrals = _resolve_references(plan.batches)
    added = 0
    with _large_page_cache(connection):
        for batch in plan.batches.values():
            if batch.rows:
                progress(f"adding {count_text(batch.entity, len(batch.rows))}", added)
            _insert_rows(connection, batch.table, batch.rows)
            added += len(batch.rows)
        _link_referrals(connection, referrals)
        derived = add_missing_contact_points(
            connection, [row["id"] for row in plan.batches["clients"].rows]
        )
    counts = {entity: len(batch.rows) for entity, batch in plan.batches.items()}
    counts["contact_points"] += derived
    return ImportReport(counts, ids_kept)


def _insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` into `table` by way of a staging table and one INSERT ... SELECT.

    Rows are first written to a temporary table without indexes or triggers, their values
    converted by the column types' own bind processors, then copied over in one statement
    with the table's triggers and indexes set aside (`bulk_load.copy_rows`), which is
    several times faster than one INSERT per row into a table with triggers.
    """
    if not rows:
        return
    staging = _staging_table(table, list(rows[0]))
    staging.create(connection)
    _write_staging(connection, staging, rows)
    copy_rows(connection, source=staging, target=table)
    staging.drop(connection)


def _write_staging(connection: Connection, staging: Table, rows: list[dict[str, Any]]) -> None:
    dialect = connection.dialect
    compiled = insert(staging).compile(dialect=dialect)
    names = list(compiled.positiontup or ())
    # The dialect's own processors: SQLite's DateTime writes `YYYY-MM-DD HH:MM:SS.ffffff`,
    # the form the queries compare `at` with (the generic type would leave it to sqlite3).
    convert = [staging.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    for chunk in chunks(rows, BATCH_SIZE):
        columns = [
            _column_values(chunk, name, to_db) for name, to_db in zip(names, convert, strict=True)
        ]
        connection.exec_driver_sql(str(compiled), list(zip(*columns, strict=True)))


def _column_values(rows: list[dict[str, Any]], name: str, to_db: Any) -> list[Any]:
    """The values of column `name` of `rows`, as the database takes them (column by column,
    so that each conversion is one pass of `map`)."""
    values = [row[name] for row in rows]
    return values if to_db is None else list(map(to_db, values))


def _staging_table(table: Table, columns: list[str]) -> Table:
    """A temporary table with `columns` of `table`, keyed by id, and nothing else."""
    return Table(
        f"import_{table.name}",
        MetaData(),
        *(Column(name, table.c[name].type, primary_key=name == "id") for name in columns),
        prefixes=["TEMPORARY"],
    )


@contextmanager
def _large_page_cache(connection: Connection) -> Iterator[None]:
    """Let SQLite keep a large import (staging tables and indexes) in memory while it writes."""
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {IMPORT_CACHE_SIZE}")
    connection.exec_driver_sql(f"PRAGMA temp.cache_size = {IMPORT_CACHE_SIZE}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA temp.cache_size = {int(before or 0)}")
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or 0)}")


def _assign_ids(connection: Connection, batch: _Batch, *, keep: bool) -> None:
    """Give every row its book id: the file's id when kept, else the next free ones."""
    if keep:
        last = max(batch.file_ids, default=0)
    else:
        last = connection.execute(select(func.max(batch.table.c.id))).scalar() or 0
    for row in batch.rows:
        file_id = row.get("id")
        if keep and file_id is not None:
            continue
        last += 1
        if file_id is not None:
            batch.new_ids[file_id] = last
        row["id"] = last


def _resolve_references(batches: dict[str, _Batch]) -> list[dict[str, int]]:
    """Point references to records of the file at their book ids.

    A client referred by a client of the file gets its referral after all clients are in
    (returned as rows for `_link_referrals`), so the order of clients does not matter.
    """
    referrals: list[dict[str, int]] = []
    for entity, batch in batches.items():
        for _name, column, target in _reference_fields(entity):
            in_file, new_ids = batches[target].file_ids, batches[target].new_ids
            for row in batch.rows:
                ref = row[column]
                if ref is None or ref not in in_file:
                    continue
                row[column] = new_ids.get(ref, ref)
                if entity == "clients":
                    referrals.append({"client": row["id"], "referrer": row[column]})
                    row[column] = None
    return referrals


def _link_referrals(connection: Connection, referrals: list[dict[str, int]]) -> None:
    if not referrals:
        return
    table = TABLES["clients"]
    statement = (
        update(table)
        .where(table.c.id == bindparam("client"))
        .values(referred_by_id=bindparam("referrer"))
    )
    for chunk in chunks(referrals, BATCH_SIZE):
        connection.execute(statement, chunk)
