"""iCalendar export: open follow-ups as to-dos (or all-day events) and open case deadlines as
all-day events."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, Todo
from sqlalchemy import false, or_, select
from sqlalchemy.engine import Connection, Engine

from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.interchange.table_rows import entity_table
from rmtui.core.private_files import write_private_bytes

PRODUCT_ID = "-//rmtui//rmtui follow-ups and deadlines//EN"
CALENDAR_NAME = "rmtui: follow-ups and deadlines"
UID_DOMAIN = "rmtui"
HIGHEST_PRIORITY = 1  # RFC 5545: 1 is the highest priority, 0 means none given.


def follow_up_uid(follow_up_id: int) -> str:
    """The stable UID of a follow-up's to-do, the same in every export."""
    return f"follow-up-{follow_up_id}@{UID_DOMAIN}"


def case_uid(case_id: int) -> str:
    """The stable UID of a case deadline's event, the same in every export."""
    return f"case-{case_id}@{UID_DOMAIN}"


def build_calendar(
    *, connection: Connection, events: bool = False
) -> tuple[Calendar, dict[str, int]]:
    """The calendar of open follow-ups (to-dos, or all-day events with `events`) and open
    case deadlines, and how many of each."""
    calendar = _empty_calendar()
    stamp = datetime.now(UTC).replace(microsecond=0)
    counts = {"follow_ups": 0, "cases": 0}
    as_component = follow_up_event if events else follow_up_todo
    for row in _open_follow_ups(connection):
        calendar.add_component(as_component(row, stamp=stamp))
        counts["follow_ups"] += 1
    for row in _open_cases(connection):
        calendar.add_component(case_event(row, stamp=stamp))
        counts["cases"] += 1
    return calendar, counts


def write_calendar(path: Path, *, engine: Engine, events: bool = False) -> dict[str, int]:
    """Write the .ics file a calendar app can subscribe to; how many follow-ups and case
    deadlines it has. A calendar needs at least one entry (RFC 5545), so with none BookError
    says so and no file is written."""
    with session_scope(engine) as session:
        calendar, counts = build_calendar(connection=session.connection(), events=events)
    if not any(counts.values()):
        raise BookError(
            "there are no open follow-ups or case deadlines, so no calendar was written "
            "(a calendar file needs at least one entry)."
        )
    write_private_bytes(Path(path), calendar.to_ical())
    return counts


def follow_up_todo(row: Mapping[Any, Any], *, stamp: datetime) -> Todo:
    """One open follow-up as a VTODO due on its day."""
    todo = Todo()
    todo.add("due", row["due_on"])
    todo.add("status", "NEEDS-ACTION")
    return _follow_up(todo, row, stamp)


def follow_up_event(row: Mapping[Any, Any], *, stamp: datetime) -> Event:
    """One open follow-up as an all-day event on its due day, for calendars without to-dos."""
    return _follow_up(_all_day(row["due_on"]), row, stamp)


def _follow_up(component: Todo | Event, row: Mapping[Any, Any], stamp: datetime) -> Any:
    """What a follow-up's to-do and event share: its UID, title, priority and client."""
    component.add("uid", follow_up_uid(row["id"]))
    component.add("dtstamp", stamp)
    component.add("summary", _with_client(row["title"], row["client_name"]))
    if row["priority"] == "high":
        component.add("priority", HIGHEST_PRIORITY)
    if row["client_id"] is not None:
        text = f"Follow-up for {row['client_name']} (client {row['client_id']})."
        component.add("description", text)
    return component


def case_event(row: Mapping[Any, Any], *, stamp: datetime) -> Event:
    """One open case as an all-day event on its deadline."""
    event = _all_day(row["due_on"])
    event.add("uid", case_uid(row["id"]))
    event.add("dtstamp", stamp)
    noun = "Complaint" if row["kind"] == "complaint" else "Request"
    event.add("summary", _with_client(f"{noun} due: {row['subject']}", row["client_name"]))
    event.add("description", f"{noun} opened on {row['opened_on'].isoformat()}.")
    return event


def _all_day(day: date) -> Event:
    """An event filling `day`, which leaves the time free (TRANSPARENT)."""
    event = Event()
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return event


def _empty_calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", CALENDAR_NAME)
    calendar.add("x-wr-calname", CALENDAR_NAME)
    return calendar


def _with_client(text: str, client_name: str | None) -> str:
    return f"{text} — {client_name}" if client_name else text


def _open_follow_ups(connection: Connection) -> Iterator[Mapping[Any, Any]]:
    """Open follow-ups by due date, with their client's name; none of archived clients."""
    follow_ups, clients = entity_table("follow_ups"), entity_table("clients")
    query = (
        select(follow_ups, clients.c.name.label("client_name"))
        .outerjoin(clients, clients.c.id == follow_ups.c.client_id)
        .where(follow_ups.c.status == "open")
        .where(or_(clients.c.archived.is_(None), clients.c.archived == false()))
        .order_by(follow_ups.c.due_on, follow_ups.c.id)
    )
    yield from connection.execute(query).mappings()


def _open_cases(connection: Connection) -> Iterator[Mapping[Any, Any]]:
    """Unresolved cases by deadline, with their client's name; none of archived clients."""
    cases, clients = entity_table("cases"), entity_table("clients")
    query = (
        select(cases, clients.c.name.label("client_name"))
        .join(clients, clients.c.id == cases.c.client_id)
        .where(cases.c.resolved_on.is_(None), clients.c.archived == false())
        .order_by(cases.c.due_on, cases.c.id)
    )
    yield from connection.execute(query).mappings()
