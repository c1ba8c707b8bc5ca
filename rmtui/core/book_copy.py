"""Moving a whole book to another engine or place: `rmtui copy --to` a PostgreSQL database or
a new book file, everything in one transaction on the target.

The records go as the interchange file carries them (written to a private temporary file
and imported with their ids, so the target's triggers and roll-ups are built as an import
builds them); the audit trail, the trash and the public holidays, which the interchange file
leaves out, are copied row for row in the same transaction. The target must be empty.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmtui.core.errors import BookError
from rmtui.core.progress import Progress, untold
from rmtui.core.translation import N_, _

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table
    from sqlalchemy.engine import Engine

    from rmtui.core.interchange.book_file import ImportReport

# Rows copied a statement at a time.
BATCH_ROWS = 1000
HALF = 500  # thousandths of the copy: reading, then writing


# What the tables a copy takes row for row hold, as the progress names them.
KEPT_NAMES = {
    "audit": N_("history of changes"),
    "trash": N_("trash"),
    "public_holiday": N_("public holidays"),
}


def kept_tables() -> list[Table]:
    """The tables a copy takes row for row, besides the interchange records."""
    from rmtui.core.models import AuditEntry, SQLModel, TrashEntry

    tables = [AuditEntry.__table__, TrashEntry.__table__]  # type: ignore[attr-defined]
    return [*tables, SQLModel.metadata.tables["public_holiday"]]


def copy_book(*, source: Engine, target: Engine, progress: Progress = untold) -> ImportReport:
    """Copy every record of the book `source` into the empty book `target`, all or nothing."""
    from sqlalchemy import func, select

    from rmtui.core.interchange.book_file import (
        book_is_empty,
        import_book_file,
        write_book_file,
    )

    with target.connect() as connection:
        filled = not book_is_empty(connection) or any(
            connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in kept_tables()
        )
    if filled:
        raise BookError(_("the target book already holds records; copy into a new, empty book."))
    with tempfile.TemporaryDirectory(prefix="rmtui-copy-") as folder:
        carried = Path(folder) / "book.json"
        write_book_file(carried, engine=source, progress=_first_half(progress))

        def copy_kept(into: Connection) -> None:
            with source.connect() as reading:
                for table in kept_tables():
                    progress(
                        _("copying the {table}").format(table=_(KEPT_NAMES[table.name])), 0, None
                    )
                    _copy_table(reading, into, table)

        return import_book_file(
            carried, engine=target, progress=_second_half(progress), also=copy_kept
        )


def _copy_table(reading: Connection, into: Connection, table: Table) -> None:
    """Copy every row of `table`, ids and all; a server's sequence goes on after them."""
    from sqlalchemy import insert, select

    rows = reading.execute(select(table)).mappings()
    while batch := [dict(row) for row in rows.fetchmany(BATCH_ROWS)]:
        into.execute(insert(table), batch)
    if into.dialect.name == "postgresql" and "id" in table.c:
        into.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
            f" (SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"
        )


def _first_half(progress: Progress) -> Progress:
    """Progress of the reading, told as the first half of the copy (in thousandths)."""
    return _half(progress, before=0)


def _second_half(progress: Progress) -> Progress:
    """Progress of the writing, told as the second half of the copy (in thousandths)."""
    return _half(progress, before=HALF)


def _half(progress: Progress, *, before: int) -> Progress:
    def told(step: str, done: int = 0, total: int | None = None) -> None:
        share = HALF * min(done, total) // total if total else 0
        progress(step, before + share, 2 * HALF)

    return told


def same_book(source: Any, target: Any) -> bool:
    """Whether two --db values name the same book."""
    return str(source) == str(target)
