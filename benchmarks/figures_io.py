"""Figures of import and export of the whole book, in rows per second, against plain sqlite3,
and the memory an import takes, against the size of the file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.bench import Bench, Group
from benchmarks.report import Measured, Spec, at_least, at_most
from benchmarks.timing import median

# The interchange entities and their tables, in the order they are written and read.
ENTITY_TABLES = {
    "clients": "client",
    "contact_persons": "contact_person",
    "interactions": "interaction",
    "follow_ups": "follow_up",
    "opportunities": "opportunity",
    "revenue": "revenue",
    "holdings": "holding",
    "financial_goals": "financial_goal",
    "surveys": "survey",
    "cases": "case",
    "targets": "target",
}
MONEY_FIELDS = {
    "opportunities": ("value",),
    "revenue": ("amount",),
    "holdings": ("value",),
    "financial_goals": ("target_amount", "current_amount"),
    "targets": ("target",),
}
COLUMN_OF_FIELD = {
    "client": "client_id",
    "interaction": "interaction_id",
    "referred_by": "referred_by_id",
    "contact_person": "contact_person_id",
}
# The page cache of the baseline import, as large as rmtui's import uses (negative: KiB).
IMPORT_CACHE_KIB = -256 * 1024
# Books at least this big are imported and exported once per run: each pass takes a while.
BIG_BOOK_ROWS = 1_000_000


def book_rows(path: Path) -> int:
    """How many records the interchange format carries for the book at `path`."""
    with sqlite3.connect(path) as conn:
        counts = [
            conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ENTITY_TABLES.values()
        ]
    return sum(counts)


def passes_for(bench: Bench, rows: int) -> int:
    """How many timed passes of import and export: fewer for big books."""
    return 1 if rows >= BIG_BOOK_ROWS else max(1, min(bench.repeat, 3))


def timed_seconds(action: Callable[[], Any]) -> float:
    """How long one call of `action` takes, in seconds."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


# Export


def rmtui_export(book: Path, dest: Path) -> None:
    """`rmtui export`: the whole book written as interchange JSON."""
    from rmtui.core.db import open_book
    from rmtui.core.interchange.book_file import write_book_file

    engine = open_book(book)
    try:
        write_book_file(dest, engine=engine)
    finally:
        engine.dispose()


def plain_dump(book: Path, dest: Path) -> None:
    """The baseline export: `SELECT *` of every table dumped as JSON objects."""
    document: dict[str, Any] = {"format": "rmtui-book", "version": 1}
    with sqlite3.connect(book) as conn:
        for entity, table in ENTITY_TABLES.items():
            cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY id')
            names = [column[0] for column in cursor.description]
            document[entity] = [dict(zip(names, row, strict=True)) for row in cursor]
    with dest.open("w", encoding="utf-8") as out:
        json.dump(document, out)


# Import


def fresh_book(path: Path) -> Path:
    """An empty, migrated book at `path` (replacing any earlier one)."""
    from rmtui.core.db import open_book

    remove_book(path)
    open_book(path).dispose()
    return path


def remove_book(path: Path) -> None:
    """Delete a scratch book and its WAL files."""
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        name.unlink(missing_ok=True)


def rmtui_import(source: Path, book: Path) -> None:
    """`rmtui import`: read the file, check every record, add them all in one transaction."""
    from rmtui.core.db import open_book
    from rmtui.core.interchange.book_file import import_book_file

    engine = open_book(book)
    try:
        import_book_file(source, engine=engine)
    finally:
        engine.dispose()


# Runs its arguments as a command and prints the command's peak memory (KiB, Linux). The
# command's peak counts what it started from, so it is started from this small process
# rather than from the benchmark, whose own memory it would otherwise report.
PEAK_OF_COMMAND = (
    "import resource, subprocess, sys;"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def import_peak_mb(source: Path, book: Path) -> float:
    """The peak memory (resident set, MB) of `rmtui import SOURCE` into a new book, run as a
    user runs it: in a new process."""
    remove_book(book)
    command = [sys.executable, "-m", "rmtui", "--db", str(book), "import", str(source)]
    done = subprocess.run(
        [sys.executable, "-c", PEAK_OF_COMMAND, *command], capture_output=True, text=True
    )
    remove_book(book)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-300:])
    return int(done.stdout) / 1024


def plain_import(source: Path, book: Path) -> None:
    """The baseline import: `json.load` and one sqlite3 `executemany` per table.

    Into the same schema, triggers and indexes included, in one transaction.
    """
    with source.open(encoding="utf-8") as handle:
        data = json.load(handle)
    conn = sqlite3.connect(book, isolation_level=None)
    try:
        conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        conn.execute("BEGIN")
        for entity, table in ENTITY_TABLES.items():
            _insert_records(conn, entity, table, data.get(entity, []))
        conn.execute("COMMIT")
    finally:
        conn.close()


def _insert_records(conn: sqlite3.Connection, entity: str, table: str, records: list[Any]) -> None:
    if not records:
        return
    fields = list(records[0])
    columns = ", ".join(f'"{COLUMN_OF_FIELD.get(name, name)}"' for name in fields)
    marks = ", ".join("?" for _ in fields)
    convert = _converters(entity, fields)
    rows = (
        [read(record[name]) for name, read in zip(fields, convert, strict=True)]
        for record in records
    )
    conn.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', rows)


def _converters(entity: str, fields: list[str]) -> list[Callable[[Any], Any]]:
    money = MONEY_FIELDS.get(entity, ())
    return [_cents if name in money else _tags if name == "tags" else _same for name in fields]


def _cents(value: Any) -> int | None:
    return None if value is None else int(Decimal(value) * 100)


def _tags(value: Any) -> str:
    return json.dumps(value)


def _same(value: Any) -> Any:
    return value


# The figures


def interchange_figures(bench: Bench) -> dict[str, Measured]:
    """rmtui export and import of the whole book vs a plain dump and executemany, in rows/s."""
    rows = book_rows(bench.book)
    passes = passes_for(bench, rows)
    exported, dumped = bench.scratch / "export.json", bench.scratch / "dump.json"
    export_s = [timed_seconds(lambda: rmtui_export(bench.book, exported)) for _ in range(passes)]
    dump_s = [timed_seconds(lambda: plain_dump(bench.book, dumped)) for _ in range(passes)]
    dumped.unlink(missing_ok=True)
    import_s, plain_s = _import_times(bench, exported, passes)
    exported.unlink(missing_ok=True)
    note = f"{rows:,} rows, median of {passes}"
    return {
        "export": Measured(rows / median(export_s), rows / median(dump_s), note),
        "import": Measured(rows / median(import_s), rows / median(plain_s), note),
    }


def _import_times(bench: Bench, source: Path, passes: int) -> tuple[list[float], list[float]]:
    target = bench.scratch / "imported.db"
    ours, plain = [], []
    try:
        for _ in range(passes):
            fresh_book(target)
            ours.append(timed_seconds(lambda: rmtui_import(source, target)))
            fresh_book(target)
            plain.append(timed_seconds(lambda: plain_import(source, target)))
    finally:
        remove_book(target)
    return ours, plain


def import_memory_figures(bench: Bench) -> dict[str, Measured]:
    """The peak memory of `rmtui import` of the whole book's export, against the file's size."""
    exported = bench.scratch / "memory.json"
    rmtui_export(bench.book, exported)
    try:
        peak = import_peak_mb(exported, bench.scratch / "memory.db")
        size = exported.stat().st_size / 2**20
    finally:
        exported.unlink(missing_ok=True)
    note = f"{book_rows(bench.book):,} rows; peak RSS of a new process"
    return {"import_memory": Measured(peak, size, note)}


INTERCHANGE_GROUP = Group(
    specs=(
        Spec(
            "import",
            "import whole book",
            "rows/s",
            "json.load + sqlite3 executemany",
            at_least(50_000, "rows/s"),
        ),
        Spec("export", "export whole book", "rows/s", "plain SELECT dump to JSON"),
    ),
    needs=(
        "rmtui.core.interchange.book_file:import_book_file",
        "rmtui.core.interchange.book_file:write_book_file",
    ),
    measure=interchange_figures,
)
IMPORT_MEMORY_GROUP = Group(
    specs=(
        Spec(
            "import_memory",
            "import memory (peak)",
            "MB",
            "the file's size in MB",
            at_most(500, "MB"),
        ),
    ),
    needs=("rmtui.core.interchange.book_file:import_book_file",),
    measure=import_memory_figures,
)
