"""Repeating follow-ups: the rules, the day each plans next, and done, undo and the calendar."""

from __future__ import annotations

from datetime import date, time

import pytest
from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from rmtui.core.db import session_scope
from rmtui.core.interchange.calendar import build_calendar
from rmtui.core.models import Client, FollowUp
from rmtui.core.queries import InvalidChange
from rmtui.core.queries.follow_ups import add_follow_up, complete, undo_completion
from rmtui.core.repeats import Repeat, RepeatError, parse_repeat
from tests.factories import make


def series(rule: str, first: date, count: int) -> list[date]:
    """The due days of `count` follow-ups of `rule` from `first`, each done on its due day."""
    repeat = parse_repeat(rule)
    assert repeat is not None
    days = [first]
    while len(days) < count:
        days.append(repeat.next_due(days[-1], days[-1]))
    return days


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("every 2 weeks", "every 2 weeks"),
        ("Every  3 Months", "every 3 months"),
        ("every day", "every day"),
        ("every 1 days", "every day"),
        ("monthly", "every month"),
        ("quarterly", "every 3 months"),
        ("yearly", "yearly"),
        ("every 12 months", "every 12 months"),
        ("every 2w", "every 2 weeks"),
        ("every month after done", "every month after done"),
    ],
)
def test_rules_are_stored_in_one_form(typed: str, stored: str) -> None:
    assert str(parse_repeat(typed)) == stored
    assert str(parse_repeat(stored)) == stored


@pytest.mark.parametrize("typed", ["sometimes", "every", "every 0 days", "every 2 fortnights"])
def test_a_rule_that_is_not_one_says_how_to_write_it(typed: str) -> None:
    with pytest.raises(RepeatError, match=r"every 2 weeks|from 1 to"):
        parse_repeat(typed)


def test_no_rule_is_none() -> None:
    assert parse_repeat("") is None and parse_repeat(None) is None


def test_days_and_weeks_count_from_the_due_day() -> None:
    assert series("every 10 days", date(2026, 12, 25), 3) == [
        date(2026, 12, 25),
        date(2027, 1, 4),
        date(2027, 1, 14),
    ]
    assert series("every 2 weeks", date(2026, 2, 20), 2)[1] == date(2026, 3, 6)


def test_a_month_end_stays_at_the_month_end() -> None:
    assert series("every month", date(2027, 1, 31), 5) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
    ]


def test_jan_31_plus_a_month_in_a_leap_year_is_feb_29() -> None:
    assert series("monthly", date(2028, 1, 31), 2)[1] == date(2028, 2, 29)


def test_the_30th_falls_back_to_a_shorter_months_last_day() -> None:
    assert series("every month", date(2027, 1, 30), 2)[1] == date(2027, 2, 28)
    assert series("every 2 months", date(2027, 3, 15), 3)[2] == date(2027, 7, 15)


def test_feb_29_yearly_is_feb_28_until_the_next_leap_year() -> None:
    assert series("yearly", date(2028, 2, 29), 5) == [
        date(2028, 2, 29),
        date(2029, 2, 28),
        date(2030, 2, 28),
        date(2031, 2, 28),
        date(2032, 2, 29),
    ]


def test_after_done_counts_from_the_day_it_was_done() -> None:
    rule = Repeat(2, "week", after_done=True)
    assert rule.next_due(date(2026, 11, 2), date(2026, 11, 10)) == date(2026, 11, 24)
    assert Repeat(2, "week").next_due(date(2026, 11, 2), date(2026, 11, 10)) == date(2026, 11, 16)


def test_done_plans_the_next_with_everything_but_the_day(session: Session) -> None:
    client = make(session, Client)
    first = add_follow_up(
        session=session,
        client_id=client.id,
        title="Monthly report",
        due_on=date(2027, 1, 31),
        due_at=time(9, 30),
        priority="high",
        notes="send the pdf",
        repeat="monthly",
    )
    done = complete(session=session, follow_up_id=first.id or 0, day=date(2027, 2, 2))
    planned = done.planned
    assert done.done.status == "done" and planned is not None
    assert (planned.due_on, planned.due_at, planned.status) == (
        date(2027, 2, 28),
        time(9, 30),
        "open",
    )
    assert (planned.title, planned.priority, planned.notes, planned.repeat) == (
        "Monthly report",
        "high",
        "send the pdf",
        "every month",
    )
    assert planned.client_id == client.id


def test_a_follow_up_without_a_rule_plans_nothing(session: Session) -> None:
    follow_up = make(session, FollowUp)
    assert (
        complete(session=session, follow_up_id=follow_up.id or 0, day=date(2026, 12, 1)).planned
        is None
    )


def test_done_twice_plans_once(session: Session) -> None:
    follow_up = make(session, FollowUp, repeat="every week")
    complete(session=session, follow_up_id=follow_up.id or 0, day=date(2026, 12, 1))
    assert (
        complete(session=session, follow_up_id=follow_up.id or 0, day=date(2026, 12, 1)).planned
        is None
    )
    assert len(session.exec(select(FollowUp)).all()) == 2


def test_undo_opens_it_again_and_takes_the_next_away(session: Session) -> None:
    follow_up = make(session, FollowUp, repeat="every week")
    done = complete(session=session, follow_up_id=follow_up.id or 0, day=date(2026, 12, 1))
    assert done.planned is not None
    undo_completion(session=session, follow_up_id=follow_up.id or 0, planned_id=done.planned.id)
    session.flush()
    rows = session.exec(select(FollowUp)).all()
    assert [(row.id, row.status, row.done_on) for row in rows] == [(follow_up.id, "open", None)]


def test_a_bad_rule_is_refused(session: Session) -> None:
    with pytest.raises(InvalidChange, match="is not a repeat"):
        add_follow_up(session=session, title="x", due_on=date(2026, 12, 1), repeat="often")


def test_the_calendar_carries_the_rule_and_the_time(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_follow_up(
            session=session,
            title="Quarter report",
            due_on=date(2027, 3, 31),
            due_at=time(14, 0),
            repeat="quarterly",
        )
        add_follow_up(
            session=session,
            title="Call",
            due_on=date(2027, 1, 5),
            repeat="every 2 weeks after done",
        )
        calendar, _counts = build_calendar(connection=session.connection())
    parsed = Calendar.from_ical(calendar.to_ical())
    todos = {str(todo["summary"]): todo for todo in parsed.walk("VTODO")}
    quarter = todos["Quarter report"]
    assert quarter.decoded("due").isoformat() == "2027-03-31T14:00:00"
    assert quarter["rrule"].to_ical() == b"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1;BYSETPOS=-1"
    call = todos["Call"]
    assert "rrule" not in call
    assert "Repeats every 2 weeks after done." in str(call["description"])
