"""iCalendar export of open follow-ups and case deadlines, parsed back with icalendar."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy.engine import Engine

from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.interchange.calendar import write_calendar
from rmtui.core.models import Case, Client, FollowUp
from tests.factories import make


@pytest.fixture
def book(engine: Engine) -> dict[str, int]:
    """A book with open, done and high-priority follow-ups and open and resolved cases."""
    with session_scope(engine) as session:
        ada = make(session, Client, name="Ada Lovelace")
        gone = make(session, Client, name="Archie Ved", archived=True)
        ids = {
            "call": make(session, FollowUp, client_id=ada.id, title="Call back").id,
            "urgent": make(
                session,
                FollowUp,
                client_id=ada.id,
                title="Send contract",
                due_on=date(2026, 12, 2),
                priority="high",
            ).id,
            "own": make(session, FollowUp, title="Plan quarter", due_on=date(2026, 12, 15)).id,
            "done": make(session, FollowUp, client_id=ada.id, status="done").id,
            "archived": make(session, FollowUp, client_id=gone.id, title="Never").id,
            "complaint": make(
                session,
                Case,
                client_id=ada.id,
                kind="complaint",
                subject="Wrong fee",
                due_on=date(2026, 12, 4),
            ).id,
            "resolved": make(session, Case, client_id=ada.id, resolved_on=date(2026, 11, 3)).id,
            "archived_case": make(session, Case, client_id=gone.id).id,
        }
    return {key: value or 0 for key, value in ids.items()}


def read_back(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def by_uid(calendar: Calendar, kind: str) -> dict[str, Any]:
    return {str(item["UID"]): item for item in calendar.walk(kind)}


def test_open_follow_ups_become_todos(engine: Engine, book: dict[str, int], tmp_path: Path):
    target = tmp_path / "rmtui.ics"
    counts = write_calendar(target, engine=engine)
    assert counts == {"follow_ups": 3, "cases": 1}
    todos = by_uid(read_back(target), "VTODO")
    assert set(todos) == {
        f"follow-up-{book['call']}@rmtui",
        f"follow-up-{book['urgent']}@rmtui",
        f"follow-up-{book['own']}@rmtui",
    }
    call = todos[f"follow-up-{book['call']}@rmtui"]
    assert str(call["SUMMARY"]) == "Call back — Ada Lovelace"
    assert call["DUE"].dt == date(2026, 11, 29)
    assert "PRIORITY" not in call
    assert call["STATUS"] == "NEEDS-ACTION"
    assert todos[f"follow-up-{book['urgent']}@rmtui"]["PRIORITY"] == 1
    assert str(todos[f"follow-up-{book['own']}@rmtui"]["SUMMARY"]) == "Plan quarter"


def test_open_case_deadlines_become_all_day_events(
    engine: Engine, book: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "rmtui.ics"
    write_calendar(target, engine=engine)
    events = by_uid(read_back(target), "VEVENT")
    assert list(events) == [f"case-{book['complaint']}@rmtui"]
    event = events[f"case-{book['complaint']}@rmtui"]
    assert str(event["SUMMARY"]) == "Complaint due: Wrong fee — Ada Lovelace"
    assert event["DTSTART"].dt == date(2026, 12, 4)
    assert event["DTEND"].dt == date(2026, 12, 5)


def test_calendar_is_valid_and_uids_are_stable(
    engine: Engine, book: dict[str, int], tmp_path: Path
) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    write_calendar(first, engine=engine)
    write_calendar(second, engine=engine)
    calendar = read_back(first)
    assert calendar["VERSION"] == "2.0" and "rmtui" in str(calendar["PRODID"])
    assert set(by_uid(calendar, "VTODO")) == set(by_uid(read_back(second), "VTODO"))
    assert all("DTSTAMP" in item for item in calendar.walk("VTODO") + calendar.walk("VEVENT"))
    assert b"\r\n" in first.read_bytes()
    assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_an_empty_book_writes_no_calendar_without_components(
    engine: Engine, tmp_path: Path
) -> None:
    target = tmp_path / "empty.ics"
    with pytest.raises(BookError, match="no open follow-ups or case deadlines, so no calendar"):
        write_calendar(target, engine=engine)
    assert not target.exists()


def test_follow_ups_as_all_day_events(engine: Engine, book: dict[str, int], tmp_path: Path) -> None:
    target = tmp_path / "events.ics"
    counts = write_calendar(target, engine=engine, events=True)
    calendar = read_back(target)
    assert calendar.walk("VTODO") == []
    events = calendar.walk("VEVENT")
    assert len(events) == counts["follow_ups"] + counts["cases"]
    follow_ups = [event for event in events if str(event["UID"]).startswith("follow-up-")]
    assert len(follow_ups) == counts["follow_ups"] > 0
    for event in follow_ups:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert isinstance(start, date) and (end - start).days == 1


def test_writing_into_a_missing_folder_says_so(
    engine: Engine, book: dict[str, int], tmp_path: Path
) -> None:
    with pytest.raises(BookError, match="does not exist"):
        write_calendar(tmp_path / "nowhere" / "x.ics", engine=engine)
