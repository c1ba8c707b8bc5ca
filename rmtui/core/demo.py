"""The demo book: a realistic book of business, shifted so that its "today" is today."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from rmtui.core.db import open_book
from rmtui.core.db_api import of_session
from rmtui.core.errors import BookError
from rmtui.core.interchange.book_file import FILE_ENTITIES, import_book, read_book_file
from rmtui.core.interchange.schema import fields_of_kind
from rmtui.core.translation import _

DEMO_FILE = "demo-book.json"
MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "year": 12}


def demo_book_path() -> Path:
    """The demo book file: data/ in a source checkout, rmtui/_data in an installed wheel."""
    package = Path(__file__).parent.parent
    candidates = (package.parent / "data" / DEMO_FILE, package / "_data" / DEMO_FILE)
    return next((path for path in candidates if path.is_file()), candidates[0])


def demo_book_data(*, today: date) -> dict[str, Any]:
    """The demo book with every date moved so that its anchor day falls on `today`.

    Birthdays keep their day, and targets are set for the months, quarters and years
    around `today` that match the ones they had around the anchor.
    """
    data = read_book_file(demo_book_path())
    anchor = date.fromisoformat(data["anchor"])
    shifted: dict[str, Any] = {"format": data["format"], "version": data["version"]}
    shifted["anchor"] = today.isoformat()
    for entity in FILE_ENTITIES:
        records = data.get(entity, [])
        if entity == "targets":
            shifted[entity] = [realigned_target(record, anchor, today) for record in records]
        else:
            shifted[entity] = [shifted_record(entity, record, today - anchor) for record in records]
    return shifted


def create_demo_book(path: Path, *, today: date) -> Engine:
    """Create a new book at `path` (which must not exist) holding the demo book for `today`."""
    path = Path(path)
    if path.exists():
        said = _("{path} already exists; the demo book is only written to a new file.")
        raise BookError(said.format(path=path))
    data = demo_book_data(today=today)
    engine = open_book(path)
    try:
        import_book(engine=engine, data=data)
        keep_demo_holidays(engine, today=today)
    except Exception:
        engine.dispose()
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return engine


def keep_demo_holidays(engine: Engine, *, today: date) -> None:
    """Copy the public holidays around `today` into the demo book, for its business-day clocks
    (so that Today shows them without loading the holidays package)."""
    from rmtui.core.agenda import book_country
    from rmtui.core.db import session_scope
    from rmtui.core.public_holidays import keep_holidays

    year = today.year
    with session_scope(engine) as session:
        connection = of_session(session)
        keep_holidays(connection, book_country(), date(year - 1, 1, 1), date(year, 12, 31))


def shifted_record(entity: str, record: dict[str, Any], delta: timedelta) -> dict[str, Any]:
    """`record` with its dates and moments moved by `delta` (birthdays stay as they are)."""
    moved = dict(record)
    for spec in fields_of_kind(entity, "date", "datetime"):
        value = record.get(spec.name)
        if not value:
            continue
        if spec.kind == "datetime":
            moved[spec.name] = (datetime.fromisoformat(value) + delta).isoformat()
        else:
            moved[spec.name] = (date.fromisoformat(value) + delta).isoformat()
    return moved


def realigned_target(record: dict[str, Any], anchor: date, today: date) -> dict[str, Any]:
    """A target moved to the period around `today` that its period was around `anchor`.

    A target for the anchor's quarter becomes one for today's quarter, the quarter before
    stays the quarter before, and so on; a target over some other span is simply shifted.
    """
    start = date.fromisoformat(record["period_start"])
    end = date.fromisoformat(record["period_end"])
    unit = calendar_unit(start, end)
    if unit is None:
        return shifted_record("targets", record, today - anchor)
    months = MONTHS_PER_PERIOD[unit]
    steps = (_month_index(start) - _month_index(anchor) // months * months) // months
    new_start = _month_start(_month_index(today) // months * months + steps * months)
    new_end = _month_start(_month_index(new_start) + months) - timedelta(days=1)
    return {**record, "period_start": new_start.isoformat(), "period_end": new_end.isoformat()}


def calendar_unit(start: date, end: date) -> str | None:
    """ "month", "quarter" or "year" when start..end is exactly one of them, else None."""
    if start.day != 1:
        return None
    for unit, months in MONTHS_PER_PERIOD.items():
        aligned = (start.month - 1) % months == 0
        if aligned and end == _month_start(_month_index(start) + months) - timedelta(days=1):
            return unit
    return None


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)
