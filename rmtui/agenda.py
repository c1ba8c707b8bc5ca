"""The Today list: follow-ups, check-ins, cases and birthdays due on a day, one query each."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from rmtui.models import Case, Client, FollowUp
from rmtui.queries.clients import active_on, last_contact_on, not_archived
from rmtui.queries.common import columns_for, table_of

CLIENT = table_of(Client)
FOLLOW_UP = table_of(FollowUp)
CASE = table_of(Case)
UPCOMING_DAYS = 7  # upcoming: follow-ups due in the 7 days after the day
CASE_WARNING_DAYS = 2  # cases: overdue or due within 2 days
BIRTHDAY_DAYS = 7  # birthdays: the day and the 6 after it
SECTIONS = (
    ("overdue", "Overdue follow-ups"),
    ("due_today", "Follow-ups due today"),
    ("checkins_due", "Check-ins due"),
    ("cases_due", "Requests and complaints due"),
    ("birthdays", "Birthdays this week"),
    ("upcoming", "Coming up in 7 days"),
)


@dataclass(frozen=True)
class FollowUpItem:
    """An open follow-up on the agenda; client_id and client_name are None for one's own."""

    id: int
    title: str
    due_on: date
    priority: str
    client_id: int | None
    client_name: str | None


@dataclass(frozen=True)
class CheckinItem:
    """A client due for a check-in: no contact for at least their cadence."""

    client_id: int
    name: str
    tier: str
    last_contact_on: date | None
    days_since: int  # since the last contact, or since client_since when never contacted
    cadence: int
    days_overdue: int  # 0 on the day the check-in falls due


@dataclass(frozen=True)
class CaseItem:
    """An open request or complaint near or past its deadline."""

    id: int
    client_id: int
    client_name: str
    kind: str
    subject: str
    due_on: date
    days_left: int  # negative when overdue


@dataclass(frozen=True)
class BirthdayItem:
    """A client's birthday in the coming week and the age they turn."""

    client_id: int
    name: str
    birthday: date
    on: date
    turns: int


@dataclass(frozen=True)
class Agenda:
    """The Today list for one day, section by section."""

    day: date
    overdue: tuple[FollowUpItem, ...]
    due_today: tuple[FollowUpItem, ...]
    checkins_due: tuple[CheckinItem, ...]
    cases_due: tuple[CaseItem, ...]
    birthdays: tuple[BirthdayItem, ...]
    upcoming: tuple[FollowUpItem, ...]

    def sections(self) -> list[tuple[str, str, tuple[Any, ...]]]:
        """(key, title, items) of every section, in the order they are shown."""
        return [(key, title, getattr(self, key)) for key, title in SECTIONS]

    @property
    def is_empty(self) -> bool:
        """True when nothing at all is on the agenda."""
        return not any(items for _key, _title, items in self.sections())


def build_agenda(*, session: Session, day: date) -> Agenda:
    """The Today list for `day` (PRODUCT.md, "A day with rmtui", step 1)."""
    due_on = FOLLOW_UP.c.due_on
    after = day + timedelta(days=1)
    return Agenda(
        day=day,
        overdue=follow_ups_due(session, due_on < day),
        due_today=follow_ups_due(session, due_on == day),
        checkins_due=checkins_due(session, day),
        cases_due=cases_due(session, day),
        birthdays=birthdays(session, day),
        upcoming=follow_ups_due(
            session, and_(due_on >= after, due_on <= day + timedelta(days=UPCOMING_DAYS))
        ),
    )


def follow_ups_due(session: Session, when: ColumnElement[bool]) -> tuple[FollowUpItem, ...]:
    """Open follow-ups whose due date meets `when`, of no client or a non-archived one,
    earliest first and high priority first within a day."""
    high_first = (FOLLOW_UP.c.priority == "high").desc()
    query = (
        select(*columns_for(FollowUpItem, FOLLOW_UP, client_name=CLIENT.c.name))
        .join_from(FOLLOW_UP, CLIENT, CLIENT.c.id == FOLLOW_UP.c.client_id, isouter=True)
        .where(FOLLOW_UP.c.status == "open", when)
        .where(or_(FOLLOW_UP.c.client_id.is_(None), not_archived()))
        .order_by(FOLLOW_UP.c.due_on, high_first, FOLLOW_UP.c.id)
    )
    return tuple(FollowUpItem(*row) for row in session.execute(query))


def checkins_due(session: Session, day: date) -> tuple[CheckinItem, ...]:
    """Clients due for a check-in on `day`, most overdue first (PRODUCT.md definition)."""
    last = last_contact_on(day)
    base = func.coalesce(last, CLIENT.c.client_since)
    days_since = days_between(base, day)
    cadence = CLIENT.c.checkin_every_days
    columns = columns_for(
        CheckinItem,
        CLIENT,
        client_id=CLIENT.c.id,
        last_contact_on=last,
        days_since=days_since,
        cadence=cadence,
        days_overdue=days_since - cadence,
    )
    query = (
        select(*columns)
        .where(not_archived(), active_on(day))
        .where(func.julianday(base) + cadence <= func.julianday(day))
        .order_by((days_since - cadence).desc(), CLIENT.c.tier, CLIENT.c.name, CLIENT.c.id)
    )
    return tuple(CheckinItem(*row) for row in session.execute(query))


def days_between(start: Any, day: date) -> ColumnElement[int]:
    """SQL: whole days from the date `start` to `day`."""
    return cast(func.julianday(day) - func.julianday(start), Integer)


def cases_due(session: Session, day: date) -> tuple[CaseItem, ...]:
    """Open cases of non-archived clients overdue or due within CASE_WARNING_DAYS."""
    days_left = -days_between(CASE.c.due_on, day)
    query = (
        select(*columns_for(CaseItem, CASE, client_name=CLIENT.c.name, days_left=days_left))
        .join_from(CASE, CLIENT, CLIENT.c.id == CASE.c.client_id)
        .where(CASE.c.resolved_on.is_(None))
        .where(CASE.c.due_on <= day + timedelta(days=CASE_WARNING_DAYS))
        .where(not_archived())
        .order_by(CASE.c.due_on, CASE.c.id)
    )
    return tuple(CaseItem(*row) for row in session.execute(query))


def birthdays(session: Session, day: date) -> tuple[BirthdayItem, ...]:
    """Non-archived clients whose birthday falls in the BIRTHDAY_DAYS from `day` on.

    In a year without 29 February, a birthday on that day is celebrated on 28 February.
    """
    window = birthday_window(day)
    month_day = func.strftime("%m-%d", CLIENT.c.birthday)
    query = select(CLIENT.c.id, CLIENT.c.name, CLIENT.c.birthday).where(
        not_archived(), month_day.in_(list(window))
    )
    items = [
        BirthdayItem(client_id, name, born, window[_month_day(born)], _age(born, window))
        for client_id, name, born in session.execute(query)
    ]
    return tuple(sorted(items, key=lambda item: (item.on, item.name.lower(), item.client_id)))


def birthday_window(day: date) -> dict[str, date]:
    """Each `MM-DD` whose birthday falls in the week from `day`, mapped to the date it is kept."""
    window: dict[str, date] = {}
    for offset in range(BIRTHDAY_DAYS):
        on = day + timedelta(days=offset)
        window[on.strftime("%m-%d")] = on
        if on.month == 2 and on.day == 28 and not _is_leap(on.year):
            window["02-29"] = on
    return window


def _month_day(born: date) -> str:
    return born.strftime("%m-%d")


def _age(born: date, window: dict[str, date]) -> int:
    return window[_month_day(born)].year - born.year


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# -- output for `rmtui agenda` ---------------------------------------------------------------


def agenda_json(agenda: Agenda) -> dict[str, Any]:
    """The agenda as JSON-ready data: ISO dates, one list per section."""
    out: dict[str, Any] = {"date": agenda.day.isoformat()}
    for key, _title, items in agenda.sections():
        out[key] = [_jsonable(asdict(item)) for item in items]
    return out


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def agenda_text(agenda: Agenda) -> str:
    """The agenda as plain text with a heading and count per section, for a morning e-mail."""
    lines = [f"Today, {agenda.day.strftime('%A')} {agenda.day.isoformat()}"]
    for _key, title, items in agenda.sections():
        lines += ["", f"{title} ({len(items)})"]
        lines += [f"  {item_text(item, agenda.day)}" for item in items] or ["  nothing"]
    return "\n".join(lines)


def item_text(item: Any, day: date) -> str:
    """One agenda item as a line of text."""
    if isinstance(item, FollowUpItem):
        return _follow_up_text(item, day)
    if isinstance(item, CheckinItem):
        return _checkin_text(item)
    if isinstance(item, CaseItem):
        return _case_text(item)
    if isinstance(item, BirthdayItem):
        return f"{item.on.strftime('%a')} {item.on.isoformat()}  {item.name} turns {item.turns}"
    raise TypeError(f"not an agenda item: {item!r}")


def _follow_up_text(item: FollowUpItem, day: date) -> str:
    who = f" - {item.client_name}" if item.client_name else ""
    flag = " [high]" if item.priority == "high" else ""
    late = (day - item.due_on).days
    when = f" ({_days(late)} late)" if late > 0 else ""
    return f"{item.due_on.isoformat()}  {item.title}{who}{flag}{when}"


def _checkin_text(item: CheckinItem) -> str:
    if item.last_contact_on:
        since = f"last contact {item.last_contact_on.isoformat()} ({_days(item.days_since)} ago)"
    else:
        since = f"no contact in {_days(item.days_since)} as a client"
    overdue = f"{_days(item.days_overdue)} overdue" if item.days_overdue else "due today"
    return f"{item.name} ({item.tier})  {since}, every {_days(item.cadence)}: {overdue}"


def _case_text(item: CaseItem) -> str:
    if item.days_left < 0:
        when = f"{_days(-item.days_left)} overdue"
    elif item.days_left == 0:
        when = "due today"
    else:
        when = f"due in {_days(item.days_left)}"
    return f"{item.due_on.isoformat()}  {item.kind}: {item.subject} - {item.client_name} ({when})"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
