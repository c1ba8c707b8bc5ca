"""The Today list: follow-ups, check-ins, cases and birthdays due on a day, each section read
through an index, whole or up to a limit with its full count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    cast,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from rmtui.kpi import checkin_due, rarely
from rmtui.models import Case, Client, FollowUp
from rmtui.queries.clients import active_on, last_contact_on, not_archived
from rmtui.queries.common import columns_for, page_limit, table_of

CLIENT = table_of(Client)
FOLLOW_UP = table_of(FollowUp)
CASE = table_of(Case)
UPCOMING_DAYS = 7  # upcoming: follow-ups due in the 7 days after the day
CASE_WARNING_DAYS = 2  # cases: overdue or due within 2 days
BIRTHDAY_DAYS = 7  # birthdays: the day and the 6 after it
# A birthday's month and day, written literally (not as a bound parameter) so that SQLite
# reads it from ix_client_birthday_month_day.
MONTH_DAY: ColumnElement[str] = literal_column("'%m-%d'")
Item = TypeVar("Item")
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
    """The Today list for one day, section by section.

    A section may hold only its first items (see build_agenda's `limit`); `totals` has how
    many it has in all.
    """

    day: date
    overdue: tuple[FollowUpItem, ...]
    due_today: tuple[FollowUpItem, ...]
    checkins_due: tuple[CheckinItem, ...]
    cases_due: tuple[CaseItem, ...]
    birthdays: tuple[BirthdayItem, ...]
    upcoming: tuple[FollowUpItem, ...]
    totals: Mapping[str, int] = field(default_factory=dict)

    def sections(self) -> list[tuple[str, str, tuple[Any, ...]]]:
        """(key, title, items) of every section, in the order they are shown."""
        return [(key, title, getattr(self, key)) for key, title in SECTIONS]

    def total(self, key: str) -> int:
        """How many items the section `key` has in all, listed or not."""
        return self.totals.get(key, len(getattr(self, key)))

    def not_listed(self, key: str) -> int:
        """How many items of the section `key` were left out by the limit."""
        return self.total(key) - len(getattr(self, key))

    @property
    def is_empty(self) -> bool:
        """True when nothing at all is on the agenda."""
        return not any(self.total(key) for key, _title in SECTIONS)


@dataclass(frozen=True)
class Section:
    """One section's first items and how many it has in all."""

    items: tuple[Any, ...]
    total: int


def build_agenda(*, session: Session, day: date, limit: int | None = None) -> Agenda:
    """The Today list for `day` (PRODUCT.md, "A day with rmtui", step 1).

    With a `limit`, each section holds at most that many items, first ones first, and the
    agenda's totals say how many it has in all; so it takes as long for any size of book.
    """
    due_on = FOLLOW_UP.c.due_on
    after = day + timedelta(days=1)
    coming = and_(due_on >= after, due_on <= day + timedelta(days=UPCOMING_DAYS))
    sections = {
        "overdue": follow_ups_due(session, due_on < day, limit),
        "due_today": follow_ups_due(session, due_on == day, limit),
        "checkins_due": checkins_due(session, day, limit),
        "cases_due": cases_due(session, day, limit),
        "birthdays": birthdays(session, day, limit),
        "upcoming": follow_ups_due(session, coming, limit),
    }
    return Agenda(
        day,
        **{key: section.items for key, section in sections.items()},
        totals={key: section.total for key, section in sections.items()},
    )


def _section(
    session: Session, items: Sequence[Item], limit: int | None, count: Select[Any]
) -> Section:
    """`items` (at most `limit` of them) and their total: `count` is run only when the limit
    may have left some out."""
    total = len(items)
    if limit is not None and total >= limit:
        total = int(session.execute(count).scalar_one())
    return Section(tuple(items), total)


def _limited(query: Select[Any], limit: int | None) -> Select[Any]:
    return query if limit is None else query.limit(page_limit(limit))


def follow_ups_due(session: Session, when: ColumnElement[bool], limit: int | None) -> Section:
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
    items = [FollowUpItem(*row) for row in session.execute(_limited(query, limit))]
    return _section(session, items, limit, _follow_ups_count(when))


def _follow_ups_count(when: ColumnElement[bool]) -> Select[Any]:
    """SQL: how many open follow-ups meet `when` less those of archived clients, each count
    read from a follow-up index (archived clients are few; every follow-up is not read)."""
    is_open = FOLLOW_UP.c.status == "open"
    every = select(func.count()).select_from(FOLLOW_UP).where(is_open, when).scalar_subquery()
    of_client = (
        select(func.count())
        .select_from(FOLLOW_UP)
        .where(FOLLOW_UP.c.client_id == CLIENT.c.id, is_open, when)
        .scalar_subquery()
    )
    archived = select(func.coalesce(func.sum(of_client), 0)).where(CLIENT.c.archived.is_(True))
    return select(every - archived.scalar_subquery())


def checkins_due(session: Session, day: date, limit: int | None) -> Section:
    """Clients due for a check-in on `day`, most overdue first (PRODUCT.md definition).

    Clients last contacted on or before `day` are read in due order from the check-in index;
    those contacted after it (a past day, or a contact logged ahead) look up their last
    contact on `day` in the interaction index. SQLite merges the two in order.
    """
    stored = CLIENT.c.last_contact_on
    up_to_day = CheckinsDue(day, stored, checkin_due(), func.coalesce(stored, "") <= day)
    after_day = CheckinsDue(day, last_contact_on(day), None, stored > day)
    order: list[ColumnElement[Any]] = [
        literal_column(name) for name in ("due", "tier", "name", "client_id")
    ]
    query = union_all(up_to_day.rows(), after_day.rows()).order_by(*order)
    if limit is not None:
        query = query.limit(page_limit(limit))
    items = [CheckinItem(*row[:-1]) for row in session.execute(query)]
    count = select(up_to_day.count() + after_day.count())
    return _section(session, items, limit, count)


@dataclass(frozen=True)
class CheckinsDue:
    """SQL for the active, non-archived clients due for a check-in on `day` among those that
    meet `contacted`, whose last contact on `day` is `last`.

    `indexed_due` is the day their check-in falls due as ix_client_checkin_due has it, when
    it holds for them; otherwise it is worked out from `last`.
    """

    day: date
    last: Any
    indexed_due: Any
    contacted: ColumnElement[bool]

    def due(self) -> ColumnElement[float]:
        """SQL: the Julian day the check-in falls due."""
        if self.indexed_due is not None:
            return self.indexed_due  # type: ignore[no-any-return]
        base = func.coalesce(self.last, CLIENT.c.client_since)
        return func.julianday(base) + CLIENT.c.checkin_every_days  # type: ignore[no-any-return]

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL: the client is due; read from the index on the due day when there is one."""
        is_due = self.due() <= func.julianday(self.day)
        indexed = rarely(is_due) if self.indexed_due is not None else is_due
        return [indexed, self.contacted, not_archived(), active_on(self.day)]

    def rows(self) -> Select[Any]:
        """SQL: the CheckinItem columns and the due day."""
        base = func.coalesce(self.last, CLIENT.c.client_since)
        days_since = days_between(base, self.day)
        cadence = CLIENT.c.checkin_every_days
        columns = columns_for(
            CheckinItem,
            CLIENT,
            client_id=CLIENT.c.id,
            last_contact_on=self.last,
            days_since=days_since,
            cadence=cadence,
            days_overdue=days_since - cadence,
        )
        return select(*columns, self.due().label("due")).where(*self.conditions())

    def count(self) -> Any:
        """SQL: how many clients are due (a scalar subquery)."""
        return select(func.count()).where(*self.conditions()).scalar_subquery()


def days_between(start: Any, day: date) -> ColumnElement[int]:
    """SQL: whole days from the date `start` to `day`."""
    return cast(func.julianday(day) - func.julianday(start), Integer)


def cases_due(session: Session, day: date, limit: int | None) -> Section:
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
    items = [CaseItem(*row) for row in session.execute(_limited(query, limit))]
    count = select(func.count()).select_from(query.order_by(None).subquery())
    return _section(session, items, limit, count)


def birthdays(session: Session, day: date, limit: int | None) -> Section:
    """Non-archived clients whose birthday falls in the BIRTHDAY_DAYS from `day` on, soonest
    first (a week's birthdays are few: all are read, then the first `limit` kept).

    In a year without 29 February, a birthday on that day is celebrated on 28 February.
    """
    window = birthday_window(day)
    month_day = func.strftime(MONTH_DAY, CLIENT.c.birthday)
    query = select(month_day, CLIENT.c.name, CLIENT.c.id, CLIENT.c.birthday).where(
        not_archived(), month_day.in_(list(window))
    )
    rows = sorted(
        (window[born_on], name.lower(), client_id, name, born)
        for born_on, name, client_id, born in session.execute(query)
    )
    items = tuple(
        BirthdayItem(client_id, name, born, on, on.year - born.year)
        for on, _key, client_id, name, born in rows[:limit]
    )
    return Section(items, len(rows))


def birthday_window(day: date) -> dict[str, date]:
    """Each `MM-DD` whose birthday falls in the week from `day`, mapped to the date it is kept."""
    window: dict[str, date] = {}
    for offset in range(BIRTHDAY_DAYS):
        on = day + timedelta(days=offset)
        window[on.strftime("%m-%d")] = on
        if on.month == 2 and on.day == 28 and not _is_leap(on.year):
            window["02-29"] = on
    return window


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
    for key, title, items in agenda.sections():
        lines += ["", f"{title} ({agenda.total(key)})"]
        lines += [f"  {item_text(item, agenda.day)}" for item in items] or ["  nothing"]
        if agenda.not_listed(key):
            lines.append(f"  … and {agenda.not_listed(key)} more")
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
