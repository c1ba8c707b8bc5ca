"""iCalendar export: open follow-ups as to-dos (or events) and open case deadlines as all-day
events. A follow-up with a time of day is due at that time (floating: the calendar's own time
zone); a repeating one carries its rule as an RRULE, unless it counts from the day it is done,
which no calendar can know."""

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
from rmtui.core.translation import N_, _

PRODUCT_ID = "-//rmtui//rmtui follow-ups and deadlines//EN"
CALENDAR_NAME = N_("rmtui: follow-ups and deadlines")
UID_DOMAIN = "rmtui"
HIGHEST_PRIORITY = 1  # RFC 5545: 1 is the highest priority, 0 means none given.
TIMED_EVENT = timedelta(minutes=30)  # how long a follow-up with a time of day is shown


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
            _(
                "there are no open follow-ups or case deadlines, so no calendar was written "
                "(a calendar file needs at least one entry)."
            )
        )
    write_private_bytes(Path(path), calendar.to_ical())
    return counts


def follow_up_todo(row: Mapping[Any, Any], *, stamp: datetime) -> Todo:
    """One open follow-up as a VTODO due on its day."""
    todo = Todo()
    due = _due(row)
    if _calendar_rule(row) is not None:
        todo.add("dtstart", due)  # a recurrence counts from DTSTART (RFC 5545)
    todo.add("due", due)
    todo.add("status", "NEEDS-ACTION")
    return _follow_up(todo, row, stamp)


def follow_up_event(row: Mapping[Any, Any], *, stamp: datetime) -> Event:
    """One open follow-up as an event, for calendars without to-dos: all day on its due day,
    or half an hour from its time of day."""
    if row["due_at"] is None:
        return _follow_up(_all_day(row["due_on"]), row, stamp)
    event = Event()
    start = _due(row)
    event.add("dtstart", start)
    event.add("dtend", start + TIMED_EVENT)
    return _follow_up(event, row, stamp)


def _due(row: Mapping[Any, Any]) -> date | datetime:
    """When a follow-up is due: its day, or its day at its time of day."""
    due_on, due_at = row["due_on"], row["due_at"]
    return due_on if due_at is None else datetime.combine(due_on, due_at)


def _calendar_rule(row: Mapping[Any, Any]) -> Any:
    """The follow-up's repeat as an RRULE value, or None (no rule, or one counted from the day
    it is done)."""
    from icalendar import vRecur

    from rmtui.core.repeats import parse_repeat

    rule = parse_repeat(row["repeat"])
    if rule is None or rule.after_done:
        return None
    return vRecur.from_ical(rule.ical_rule(row["due_on"]))


def _follow_up(component: Todo | Event, row: Mapping[Any, Any], stamp: datetime) -> Any:
    """What a follow-up's to-do and event share: its UID, title, priority, client, notes and
    repeat."""
    component.add("uid", follow_up_uid(row["id"]))
    component.add("dtstamp", stamp)
    component.add("summary", _with_client(row["title"], row["client_name"]))
    if row["priority"] == "high":
        component.add("priority", HIGHEST_PRIORITY)
    rule = _calendar_rule(row)
    if rule is not None:
        component.add("rrule", rule)
    description = _follow_up_description(row)
    if description:
        component.add("description", description)
    return component


def _follow_up_description(row: Mapping[Any, Any]) -> str:
    """Whom the follow-up is for, how it repeats when no RRULE can say it, and its notes."""
    lines = []
    if row["client_id"] is not None:
        said = _("Follow-up for {client} (client {id}).")
        lines.append(said.format(client=row["client_name"], id=row["client_id"]))
    if row["repeat"] and _calendar_rule(row) is None:
        from rmtui.core.repeats import repeat_shown

        lines.append(_("Repeats {rule}.").format(rule=repeat_shown(row["repeat"])))
    if row["notes"]:
        lines.append(row["notes"])
    return "\n".join(lines)


def case_event(row: Mapping[Any, Any], *, stamp: datetime) -> Event:
    """One open case as an all-day event on its deadline."""
    event = _all_day(row["due_on"])
    event.add("uid", case_uid(row["id"]))
    event.add("dtstamp", stamp)
    complaint = row["kind"] == "complaint"
    due = _("Complaint due: {subject}") if complaint else _("Request due: {subject}")
    event.add("summary", _with_client(due.format(subject=row["subject"]), row["client_name"]))
    opened = _("Complaint opened on {day}.") if complaint else _("Request opened on {day}.")
    event.add("description", opened.format(day=row["opened_on"].isoformat()))
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
    calendar.add("name", _(CALENDAR_NAME))
    calendar.add("x-wr-calname", _(CALENDAR_NAME))
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
