"""The demo book: generated deterministically, imported whole, shifted to any today."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from rmtui.core.dates import today as frozen_today
from rmtui.core.demo import (
    calendar_unit,
    create_demo_book,
    demo_book_data,
    demo_book_path,
    realigned_target,
)
from rmtui.core.errors import BookError
from rmtui.core.interchange.book_file import read_book_file
from rmtui.core.models import STAGES, Case, Client, FollowUp, Opportunity, Target
from rmtui.core.rules import cadence_of

KPI_TARGETS = {
    "retention_rate",
    "new_clients",
    "revenue",
    "nps",
    "csat",
    "pipeline_conversion",
    "interactions",
    "checkin_coverage",
    "aum",
}
LATER_TODAY = date(2027, 3, 15)


def rows(engine: Engine, model: Any) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(select(model.__table__)).mappings())


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Engine]:
    """The demo book for the frozen today."""
    engine = create_demo_book(tmp_path / "demo.db", today=frozen_today())
    yield engine
    engine.dispose()


def due_for_checkin(engine: Engine, day: date) -> list[str]:
    """Names of the clients due for a check-in on `day` (PRODUCT.md's definition)."""
    due = []
    for client in rows(engine, Client):
        active = client["client_since"] is not None and client["client_since"] <= day
        active = active and (client["client_until"] is None or client["client_until"] > day)
        since = client["last_contact_on"] or client["client_since"]
        cadence = timedelta(days=cadence_of(client["checkin_every_days"], client["tier"]))
        if active and not client["archived"] and since + cadence <= day:
            due.append(client["name"])
    return due


def open_follow_ups_by_when(engine: Engine, day: date) -> Counter[str]:
    when: Counter[str] = Counter()
    for follow_up in rows(engine, FollowUp):
        if follow_up["status"] != "open":
            continue
        due_on = follow_up["due_on"]
        if due_on < day:
            when["overdue"] += 1
        elif due_on == day:
            when["today"] += 1
        elif due_on <= day + timedelta(days=7):
            when["next 7 days"] += 1
        else:
            when["later"] += 1
    return when


def load_generator() -> ModuleType:
    path = Path(__file__).parent.parent.parent / "data" / "make_demo_book.py"
    spec = importlib.util.spec_from_file_location("make_demo_book", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_the_generator_writes_the_committed_demo_book(tmp_path: Path) -> None:
    output = tmp_path / "demo-book.json"
    assert load_generator().main(["--output", str(output)]) == 0
    assert output.read_bytes() == demo_book_path().read_bytes()


def test_the_demo_book_file_is_an_interchange_file_with_an_anchor() -> None:
    data = read_book_file(demo_book_path())
    assert date.fromisoformat(data["anchor"])
    assert 55 <= len(data["clients"]) <= 65
    assert 1300 <= len(data["interactions"]) <= 1700


def test_the_demo_book_has_a_realistic_mix_of_clients(demo: Engine) -> None:
    clients = rows(demo, Client)
    assert 55 <= len(clients) <= 65
    assert {c["kind"] for c in clients} == {"person", "business", "corporate"}
    assert {c["tier"] for c in clients} == {"A", "B", "C"}
    assert {c["status"] for c in clients} == {"lead", "prospect", "client", "former"}
    assert 2 <= sum(c["archived"] for c in clients) <= 6
    assert sum(c["referred_by_id"] is not None for c in clients) >= 6
    assert {"vip", "golf", "pension", "family-office"} <= {t for c in clients for t in c["tags"]}


def test_the_demo_book_has_an_agenda_for_today(demo: Engine) -> None:
    today = frozen_today()
    when = open_follow_ups_by_when(demo, today)
    assert when["overdue"] >= 3 and when["today"] >= 2
    assert when["next 7 days"] >= 3 and when["later"] >= 3
    assert len(due_for_checkin(demo, today)) >= 4
    birthdays = [c["birthday"] for c in rows(demo, Client) if c["birthday"]]
    week = {(today + timedelta(days=n)).strftime("%m-%d") for n in range(7)}
    assert sum(b.strftime("%m-%d") in week for b in birthdays) >= 2
    open_cases = [c for c in rows(demo, Case) if c["resolved_on"] is None]
    assert any(c["due_on"] < today for c in open_cases)
    assert any(today <= c["due_on"] <= today + timedelta(days=3) for c in open_cases)


def test_the_demo_book_has_history_for_the_kpis(demo: Engine) -> None:
    today = frozen_today()
    assert {o["stage"] for o in rows(demo, Opportunity)} == set(STAGES)
    assert all(o["lost_reason"] for o in rows(demo, Opportunity) if o["stage"] == "lost")
    resolved = [c for c in rows(demo, Case) if c["resolved_on"] is not None]
    assert any(c["resolved_on"] > c["due_on"] for c in resolved)
    assert any(c["resolved_on"] <= c["due_on"] for c in resolved)
    targets = rows(demo, Target)
    for start, end in current_periods(today):
        metrics = {
            t["metric"] for t in targets if (t["period_start"], t["period_end"]) == (start, end)
        }
        assert metrics == KPI_TARGETS, (start, end)


def current_periods(day: date) -> list[tuple[date, date]]:
    """The month, quarter and year containing `day`."""
    month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    quarter_month = (day.month - 1) // 3 * 3 + 1
    quarter_start = date(day.year, quarter_month, 1)
    quarter_end = (quarter_start + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    return [
        (day.replace(day=1), month_end),
        (quarter_start, quarter_end),
        (date(day.year, 1, 1), date(day.year, 12, 31)),
    ]


def test_a_shifted_demo_book_keeps_its_agenda_and_birthdays(tmp_path: Path) -> None:
    original = read_book_file(demo_book_path())
    engine = create_demo_book(tmp_path / "later.db", today=LATER_TODAY)
    when = open_follow_ups_by_when(engine, LATER_TODAY)
    assert when["overdue"] >= 3 and when["today"] >= 2
    assert len(due_for_checkin(engine, LATER_TODAY)) >= 4
    birthdays = {c["name"]: c["birthday"] for c in rows(engine, Client)}
    for client in original["clients"]:
        expected = client["birthday"] and date.fromisoformat(client["birthday"])
        assert birthdays[client["name"]] == expected
    targets = rows(engine, Target)
    periods = {(t["period_start"], t["period_end"]) for t in targets}
    for start, end in current_periods(LATER_TODAY):
        assert {
            t["metric"] for t in targets if (t["period_start"], t["period_end"]) == (start, end)
        } == KPI_TARGETS
    assert all(calendar_unit(start, end) for start, end in periods)
    engine.dispose()


def test_shifting_moves_every_other_date_by_the_same_days() -> None:
    original = read_book_file(demo_book_path())
    shifted = demo_book_data(today=LATER_TODAY)
    delta = LATER_TODAY - date.fromisoformat(original["anchor"])
    before, after = original["interactions"][0], shifted["interactions"][0]
    assert after["at"][:10] == (date.fromisoformat(before["at"][:10]) + delta).isoformat()
    assert after["at"][10:] == before["at"][10:]
    first = original["clients"][0]
    moved = shifted["clients"][0]
    assert moved["created_on"] == (date.fromisoformat(first["created_on"]) + delta).isoformat()
    assert moved["birthday"] == first["birthday"]
    assert shifted["anchor"] == LATER_TODAY.isoformat()


def test_the_demo_book_is_only_written_to_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    path.write_bytes(b"precious")
    with pytest.raises(BookError, match="already exists"):
        create_demo_book(path, today=frozen_today())
    assert path.read_bytes() == b"precious"


def test_the_demo_never_touches_the_users_book(tmp_path: Path, db_path: Path) -> None:
    engine = create_demo_book(tmp_path / "demo" / "demo.db", today=frozen_today())
    engine.dispose()
    assert not db_path.exists()


@pytest.mark.parametrize(
    ("start", "end", "unit"),
    [
        (date(2026, 11, 1), date(2026, 11, 30), "month"),
        (date(2026, 10, 1), date(2026, 12, 31), "quarter"),
        (date(2026, 1, 1), date(2026, 12, 31), "year"),
        (date(2026, 2, 1), date(2026, 4, 30), None),
        (date(2026, 11, 2), date(2026, 11, 30), None),
    ],
)
def test_calendar_unit(start: date, end: date, unit: str | None) -> None:
    assert calendar_unit(start, end) == unit


@pytest.mark.parametrize(
    ("start", "end", "new_start", "new_end"),
    [
        ("2026-11-01", "2026-11-30", "2027-02-01", "2027-02-28"),
        ("2026-09-01", "2026-09-30", "2026-12-01", "2026-12-31"),
        ("2026-10-01", "2026-12-31", "2027-01-01", "2027-03-31"),
        ("2026-04-01", "2026-06-30", "2026-07-01", "2026-09-30"),
        ("2026-01-01", "2026-12-31", "2027-01-01", "2027-12-31"),
        ("2025-01-01", "2025-12-31", "2026-01-01", "2026-12-31"),
        ("2026-11-10", "2026-11-20", "2027-02-09", "2027-02-19"),
    ],
)
def test_targets_move_to_the_matching_period(
    start: str, end: str, new_start: str, new_end: str
) -> None:
    record = {"id": 1, "metric": "nps", "period_start": start, "period_end": end, "target": "40"}
    moved = realigned_target(record, date(2026, 11, 29), date(2027, 2, 28))
    assert (moved["period_start"], moved["period_end"]) == (new_start, new_end)
