"""Every problem an import finds, kept out of memory and read back in file order.

A file whose every record is wrong has as many problems as records, so they are written to a
temporary table of the import's own connection as they are found (the checks that need the
whole file add theirs there by SQL), and handed back sorted by where they were found. Many
problems are handed back from a temporary file rather than as a list.
"""

from __future__ import annotations

import json
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import IO, Any, overload

from sqlalchemy import Connection

from rmtui.core.db_api import KEEP_ROWCOUNT
from rmtui.core.interchange.schema import LARGEST_NUMBER, Problem, record_label

TABLE = "import_problem"
# Where a problem goes among those of its record: the record's own problems come first (in
# the order they were found), then an id used twice, then references, field by field.
DUPLICATE_ID = 1000
REFERENCE = 2000
PENDING_LIMIT = 5000  # problems held before they are written to the table
LISTED_LIMIT = 10_000  # problems handed back as a list; more come from a file


COLUMNS = "(rank, position, seq, entity, label, field, message)"


class ProblemLog:
    """The problems of one import, each with its place: the entity's `rank`, the record's
    `position` in its list and its `seq` among the record's problems."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._pending: list[tuple[Any, ...]] = []
        self.count = 0
        # A label without a type keeps an id a number in SQLite; a server keeps a label as
        # JSON text (an id a number, a name a string) and numbers the rows itself.
        self._labels_as_text = connection.dialect.name != "sqlite"
        label, extra = (
            ("label", "")
            if connection.dialect.name == "sqlite"
            else ("label TEXT", ", rowid SERIAL")
        )
        connection.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {TABLE} (rank INTEGER, position INTEGER, seq INTEGER,"
            f" entity TEXT, {label}, field TEXT, message TEXT{extra})"
        )

    def add(self, rank: int, position: int, problems: list[Problem]) -> None:
        """Keep `problems`, found in this order on the record at `position`."""
        for seq, problem in enumerate(problems):
            where = (rank, position, seq)
            self._pending.append((*where, *_columns(problem, self._labels_as_text)))
        self.count += len(problems)
        if len(self._pending) >= PENDING_LIMIT:
            self.flush()

    def add_found(self, select_sql: str, parameters: dict[str, Any]) -> None:
        """Keep the problems `select_sql` finds: rows of (rank, position, seq, entity, label,
        field, message)."""
        self.flush()
        result = self._connection.exec_driver_sql(
            f"INSERT INTO {TABLE} {COLUMNS} {select_sql}",
            parameters,
            execution_options=KEEP_ROWCOUNT,
        )
        self.count += result.rowcount or 0

    def flush(self) -> None:
        """Write the problems held in memory to the table."""
        if self._pending:
            self._connection.exec_driver_sql(
                f"INSERT INTO {TABLE} {COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?)", self._pending
            )
            self._pending = []

    def _read(self, row: Sequence[Any]) -> tuple[Any, ...]:
        entity, label, field, message = row
        if self._labels_as_text and label is not None:
            label = json.loads(label)
        return (entity, label, field, message)

    def drop(self) -> None:
        """Drop the table of problems (when there were none)."""
        self._connection.exec_driver_sql(f"DROP TABLE {TABLE}")

    def in_file_order(self) -> Sequence[Problem]:
        """Every problem, in the order of the records they are about."""
        self.flush()
        rows = self._connection.exec_driver_sql(
            f"SELECT entity, label, field, message FROM {TABLE} ORDER BY rank, position, seq, rowid"
        )
        problems = (Problem(*self._read(row)) for row in rows)
        if self.count <= LISTED_LIMIT:
            return list(problems)
        return ProblemFile(problems)


class ProblemFile(Sequence[Problem]):
    """Problems in a temporary file, one a line, read again when asked for."""

    def __init__(self, problems: Iterator[Problem]) -> None:
        # Open as long as the problems are: closed (and gone) when they are.
        self._file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._starts = array("q")
        for problem in problems:
            self._starts.append(self._file.tell())
            self._file.write(json.dumps(_columns(problem), ensure_ascii=False) + "\n")
        self._file.flush()

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> Problem: ...

    @overload
    def __getitem__(self, index: slice) -> list[Problem]: ...

    def __getitem__(self, index: int | slice) -> Problem | list[Problem]:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self)))]
        self._file.seek(self._starts[index])
        return _problem(self._file.readline())

    def __iter__(self) -> Iterator[Problem]:
        self._file.seek(0)
        for line in self._file:
            yield _problem(line)


def _columns(problem: Problem, as_text: bool = False) -> tuple[str, object, str, str]:
    label = storable_label(problem.record_id)
    if as_text and label is not None:
        label = json.dumps(label, ensure_ascii=False)
    return (problem.entity, label, problem.field, problem.message)


def storable_label(label: object) -> object:
    """How a record's label is kept in a table: as it is, but an id too large for SQLite as
    the text a problem shows for it."""
    if isinstance(label, int) and not -LARGEST_NUMBER <= label <= LARGEST_NUMBER:
        return record_label(label)
    return label


def _problem(line: str) -> Problem:
    entity, label, field, message = json.loads(line)
    return Problem(entity, label, field, message)
