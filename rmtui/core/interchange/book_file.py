"""The JSON interchange format: export and import of the whole book, all or nothing."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rmtui.core import audit, dates
from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.figures import count_text
from rmtui.core.interchange.import_staging import Staging
from rmtui.core.interchange.json_stream import (
    Items,
    JsonSyntaxError,
    NotAnObject,
    ValueTooLarge,
    object_members,
)
from rmtui.core.interchange.nested import (
    NESTED,
    NESTED_IN,
    flat_list_problem,
    taken_apart,
    unnested,
    with_nested,
)
from rmtui.core.interchange.problem_log import ProblemLog
from rmtui.core.interchange.schema import Problem, item_label, record_of, record_values
from rmtui.core.models import ENTITIES
from rmtui.core.private_files import open_private
from rmtui.core.progress import REPORT_EVERY, Progress, untold
from rmtui.core.queries.contact_points import add_missing_contact_points
from rmtui.core.translation import _, ngettext
from rmtui.core.wording import counts_text, plural_noun, records_text

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
# The page caches of an import, in KiB (as SQLite counts a negative cache_size): the book's,
# and that of the temporary tables where the records wait. Larger ones are no quicker, and
# these keep an import of any file within a few hundred MB (SQLite sorts an index in as
# much memory again as its cache).
IMPORT_CACHE_KIB = 64 * 1024
STAGING_CACHE_KIB = 32 * 1024
TABLES: dict[str, Table] = {
    entity: model.__table__  # type: ignore[attr-defined]
    for entity, model in ENTITIES.items()
}
# The lists of a book file: every entity but those written inside another (nested.py).
FILE_ENTITIES = tuple(entity for entity in ENTITIES if entity not in NESTED)


class InterchangeError(BookError):
    """A book file that cannot be read or written, with one sentence saying why."""


class BookImportError(InterchangeError):
    """An import refused because of bad records; nothing was written. `problems` may be
    read from a temporary file when there are very many."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = problems
        said = ngettext(
            "the file has {count} problem, so nothing was imported.",
            "the file has {count} problems, so nothing was imported.",
            len(problems),
        )
        super().__init__(said.format(count=count_text(len(problems))))


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
        step, written = (
            _("writing the {records}").format(records=plural_noun(entity)),
            sum(counts.values()),
        )

        def told(count: int, step: str = step, written: int = written) -> None:
            progress(step, written + count, total)

        told(0)
        out.write(f',\n "{entity}": [')
        counts[entity] = _write_records(out, file_records(connection, entity), told)
        out.write("\n ]" if counts[entity] else "]")
    out.write("\n}\n")
    progress(_("written"), total, total)
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


@contextmanager
def _opened(path: Path) -> Iterator[tuple[TextIO, BinaryIO]]:
    """The file at `path` as UTF-8 text, and its bytes (which tell how far it is read)."""
    try:
        binary = path.open("rb")
    except FileNotFoundError:
        raise InterchangeError(
            _("{path} does not exist; check the file name.").format(path=path)
        ) from None
    except IsADirectoryError:
        raise InterchangeError(
            _("{path} is a folder; give the name of an export file.").format(path=path)
        ) from None
    except PermissionError:
        raise InterchangeError(
            _("{path} cannot be read: you have no permission to open it.").format(path=path)
        ) from None
    with binary, io.TextIOWrapper(binary, encoding="utf-8") as text:
        yield text, binary


def _file_members(path: Path, text: TextIO) -> Iterator[tuple[str, Any]]:
    """The members of the book file being read from `text`, a list as its records one by one
    (an iterator); what is wrong with the file is said as InterchangeError."""
    for key, value in _read_as_book(path, object_members(text)):
        yield key, _read_as_book(path, iter(value)) if isinstance(value, Items) else value


def _read_as_book(path: Path, values: Iterator[Any]) -> Iterator[Any]:
    """`values`, read from the file at `path`, with what is wrong with it in one sentence."""
    try:
        yield from values
    except UnicodeDecodeError:
        raise InterchangeError(
            _("{path} is not a text file in UTF-8; is it a JSON export?").format(path=path)
        ) from None
    except JsonSyntaxError as error:
        raise InterchangeError(
            _("{path} is not valid JSON: {error}.").format(path=path, error=error)
        ) from None
    except RecursionError:
        raise InterchangeError(
            _(
                "{path} nests lists or objects too deeply to be a book file; is it an rmtui export?"
            ).format(path=path)
        ) from None
    except NotAnObject:
        raise InterchangeError(_not_a_book(str(path))) from None
    except ValueTooLarge as error:
        raise InterchangeError(
            _(
                "{path} holds a value of more than {value} MiB at line {line},"
                " larger than any record of a book file; is it an rmtui export?"
            ).format(path=path, value=error.largest >> 20, line=error.line)
        ) from None
    except ValueError as error:  # e.g. a number of more digits than Python reads
        raise InterchangeError(
            _("{path} cannot be read as a book: {error}.").format(path=path, error=error)
        ) from None


def read_book_file(path: Path) -> dict[str, Any]:
    """The interchange data in the file at `path`, or InterchangeError saying what is wrong.

    The whole file is held in memory: for small files (the demo book); `import_book_file`
    imports a file of any size.
    """
    path = Path(path)
    with _opened(path) as (text, _binary):
        data = {
            key: list(value) if isinstance(value, Iterator) else value
            for key, value in _file_members(path, text)
        }
    check_book_header(data, source=str(path))
    return data


def check_book_header(data: Any, *, source: str | None = None) -> None:
    """Raise InterchangeError unless `data` is an rmtui book of a version this code reads;
    `source` names it in the sentence (default: the data)."""
    source = source if source is not None else _("the data")
    if not isinstance(data, Mapping):
        raise InterchangeError(_not_a_book(source))
    _check_format(data.get("format"), source)
    _check_version(data.get("version"), source)


def _not_a_book(source: str) -> str:
    said = _('{source} is not an rmtui book export: its "format" is not "{format}".')
    return said.format(source=source, format=FORMAT)


def _check_format(value: Any, source: str) -> None:
    if value != FORMAT:
        raise InterchangeError(_not_a_book(source))


def _check_version(version: Any, source: str) -> None:
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise InterchangeError(
            _(
                "{source} was written by a newer rmtui (format version {version});"
                " upgrade rmtui to import it."
            ).format(source=source, version=version)
        )
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        numbers = [str(number) for number in READABLE_VERSIONS]
        readable = f"{', '.join(numbers[:-1])} and {numbers[-1]}"
        raise InterchangeError(
            _(
                '{source} has an unsupported "version" ({dumps}); this rmtui reads'
                " versions {readable}."
            ).format(source=source, dumps=json.dumps(version, default=str), readable=readable)
        )


class _Header:
    """The header of a book file read as a stream: each key checked as soon as it is read
    (the format first), wherever it stands in the file, and its absence at the end."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._values: dict[str, Any] = {}

    def read(self, key: str, value: Any) -> None:
        """Take one header value of the file and check what can be checked yet."""
        self._values[key] = value
        if "format" in self._values:
            _check_format(self._values["format"], self._source)
            if "version" in self._values:
                _check_version(self._values["version"], self._source)

    def check_whole(self) -> None:
        """At the end of the file: refuse it unless it said its format and version."""
        check_book_header(self._values, source=self._source)


# Import


@dataclass
class _Source:
    """The members of a book file as they are read (a list's records as an iterator or a
    list), what it is called in a sentence, how far it has been read (`done` turns the
    records read into units of `total`: records, or bytes of a file) and what the reading is
    called in the progress shown."""

    members: Iterable[tuple[str, Any]]
    name: str
    total: int
    done: Callable[[int], int]
    step: str = ""  # "checking every record" when not named


def import_book(
    *, engine: Engine, data: Mapping[str, Any], progress: Progress = untold
) -> ImportReport:
    """Add every record of `data` (a book file read whole) to the book in one transaction,
    or nothing at all; see `import_book_file`."""
    source = _Source(data.items(), _("the data"), _records_in(data), lambda records: records)
    return _import(engine, source, progress)


def import_book_file(
    path: Path,
    *,
    engine: Engine,
    progress: Progress = untold,
    also: Callable[[Connection], None] | None = None,
) -> ImportReport:
    """Add every record of the book file at `path` to the book in one transaction, or
    nothing at all, reading the file as it goes: its records are checked and set aside in
    the book's temporary tables one by one, so that a file of any size takes little memory.

    If any record is bad, BookImportError lists every problem, in file order; a file that
    is not a book file is refused with InterchangeError as soon as that is seen (its header
    may stand anywhere in the file). Into an empty book the ids of the file are kept;
    otherwise records get new ids. `progress` is told the bytes read, then the rows added.
    """
    path = Path(path)
    with _opened(path) as (text, binary):
        size = os.fstat(binary.fileno()).st_size
        members = _file_members(path, text)
        step = _("reading {file}").format(file=path.name)
        source = _Source(members, str(path), size, lambda _records: binary.tell(), step)
        return _import(engine, source, progress, also)


def _records_in(data: Mapping[str, Any]) -> int:
    """How many records `data` lists, those nested in others included."""
    flat, _problems = unnested(data)
    return sum(len(value) for value in flat.values() if isinstance(value, list))


def _import(
    engine: Engine,
    source: _Source,
    progress: Progress,
    also: Callable[[Connection], None] | None = None,
) -> ImportReport:
    """Import `source` in one transaction; `also` (a whole-book copy's other tables) is done
    in the same transaction instead of auditing the import."""
    whole = 2 * source.total  # reading and checking, then as many to add
    try:
        with session_scope(engine, bulk=True) as session:
            connection = session.connection()
            ids_kept = book_is_empty(connection)
            with _import_page_caches(connection):
                counts = _check_and_add(connection, source, ids_kept, progress)
            report = ImportReport(counts, ids_kept)
            if also is not None:
                also(connection)
            else:
                changes = {**report.counts, "ids_kept": report.ids_kept}
                audit.record(session, entity="book", action="import", changes=changes)
            progress(_("saving the book"), whole, whole)
    except IntegrityError as error:
        raise InterchangeError(
            _("the book refused the import ({orig}), so nothing was imported.").format(
                orig=error.orig
            )
        ) from None
    return report


def _check_and_add(
    connection: Connection, source: _Source, ids_kept: bool, progress: Progress
) -> dict[str, int]:
    """Check and stage every record of `source`; refuse the import if any is bad, else
    copy them all into the book; the records added per entity."""
    staging = Staging(connection, list(ENTITIES))
    problems = ProblemLog(connection)
    header = _Header(source.name)
    _check_records(source, _Checker(staging, problems, dates.today()), header, progress)
    header.check_whole()
    progress(_("checking references"), source.total, 2 * source.total)
    staging.finish()
    staging.find_problems(problems)
    if problems.count:
        raise BookImportError(problems.in_file_order())
    staging.give_book_ids(keep=ids_kept)
    counts = staging.copy_into_book(_adding(progress, source.total, staging))
    counts["contact_points"] += add_missing_contact_points(connection, staging.ids_of("clients"))
    staging.drop()
    problems.drop()
    return counts


def _adding(progress: Progress, total: int, staging: Staging) -> Callable[[str, int], None]:
    """Progress of the copy into the book, as a second part as long as the reading."""
    rows = sum(staged.count for staged in staging.entities.values()) or 1

    def told(entity: str, added: int) -> None:
        step = _("adding {records}").format(
            records=records_text(entity, staging.entities[entity].count)
        )
        progress(step, total + total * added // rows, 2 * total)

    return told


@dataclass
class _Checker:
    """Checks each record as it is read and stages it, keeping the problems found."""

    staging: Staging
    problems: ProblemLog
    today: date
    positions: dict[str, int] = field(default_factory=dict)

    def check(self, entity: str, record: Any) -> int:
        """Check and stage one record of `entity` (with those nested in it); how many."""
        position = self.positions[entity] = self.positions.get(entity, 0) + 1
        found: list[Problem] = []
        inside: list[tuple[str, dict[str, Any]]] = []
        if (nested := NESTED_IN.get(entity)) is not None:
            record, children, found = taken_apart(nested, record, position)
            inside = [(nested.entity, child) for child in children]
        if not isinstance(record, Mapping):
            not_one = _("is not a record (a JSON object)")
            found.append(Problem(entity, item_label(position), "", not_one))
        else:
            found += self._values(entity, record, position)
        if found:
            self.problems.add(self.staging.entities[entity].rank, position, found)
        return 1 + sum(self.check(*child) for child in inside)

    def _values(self, entity: str, record: Mapping[str, Any], position: int) -> list[Problem]:
        record_id = record.get("id")
        has_id = isinstance(record_id, int) and not isinstance(record_id, bool)
        label: object = record_id if has_id else item_label(position)
        values, problems = record_values(entity, record, today=self.today, label=label)
        self.staging.add(entity, position, values, label)
        return problems

    def whole_list(self, entity: str, message: str, *, rank: int = -1) -> None:
        """A problem with a whole list of the file (or the file itself)."""
        self.problems.add(rank, 0, [Problem(entity, "", "", message)])


def _check_records(source: _Source, checker: _Checker, header: _Header, progress: Progress) -> None:
    """Read every member of `source`: the header, and each list's records checked."""
    whole, checked, listed = 2 * source.total, 0, set()
    step = source.step or _("checking every record")
    progress(step, 0, whole)
    for key, value in source.members:
        if key in HEADER_KEYS:
            header.read(key, value)
        elif key in NESTED:
            checker.problems.add(-1, 0, [flat_list_problem(NESTED[key])])
        elif key not in FILE_ENTITIES:
            checker.whole_list(str(key), _("is not part of the rmtui-book format"))
        elif key in listed:
            checker.whole_list(key, _("is listed twice in the file; list its records once"))
        elif not isinstance(value, list | Iterator):
            rank = checker.staging.entities[key].rank
            checker.whole_list(key, _("must be a list of records"), rank=rank)
        else:
            listed.add(key)
            for record in value:
                before = checked
                checked += checker.check(key, record)
                if checked // REPORT_EVERY != before // REPORT_EVERY:
                    progress(step, source.done(checked), whole)
    progress(step, source.done(checked), whole)


def book_is_empty(connection: Connection) -> bool:
    """Whether the book holds no record of any entity yet."""
    return all(
        connection.execute(select(table.c.id).limit(1)).first() is None for table in TABLES.values()
    )


@contextmanager
def _import_page_caches(connection: Connection) -> Iterator[None]:
    """Give SQLite the page caches of an import (the book's, the staging tables') while it
    writes (a server has its own)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    connection.exec_driver_sql(f"PRAGMA temp.cache_size = {-STAGING_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA temp.cache_size = {int(before or 0)}")
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or 0)}")
