"""Cases: a client's requests and complaints, their deadlines (plain, or set by a clock of
core/case_clocks.py) and resolution."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rmtui.core.case_clocks import (
    DEFAULT_CLOCKS,
    DEFAULT_COUNTRY,
    ClockPreset,
    business_days_left,
)
from rmtui.core.dates import today
from rmtui.core.db_api import of_session
from rmtui.core.models import Case, Client, FollowUp
from rmtui.core.public_holidays import holidays_between, keep_holidays
from rmtui.core.queries.common import InvalidChange, apply_values, check_choices, fetch, table_of
from rmtui.core.translation import _

CASE = table_of(Case)
# Days from opening to the deadline, by kind of case, when no deadline is given.
DEADLINE_DAYS = {"request": 5, "complaint": 2}


def default_due_on(kind: str, opened_on: date) -> date:
    """The deadline of a case of `kind` opened on `opened_on` (DEADLINE_DAYS later)."""
    return opened_on + timedelta(days=DEADLINE_DAYS[kind])


def add_case(
    *,
    session: Session,
    client_id: int,
    kind: str,
    subject: str,
    opened_on: date | None = None,
    due_on: date | None = None,
    clock: ClockPreset | str | None = None,
    country: str = DEFAULT_COUNTRY,
    clocks: Mapping[str, ClockPreset] | None = None,
) -> Case:
    """Open a request or complaint; it is opened today and due by DEADLINE_DAYS by default.

    With a `clock`, the deadline is the clock's (in business days of `country` when it counts
    them) unless `due_on` is given, and a clock with a holding reply plans a follow-up for it.
    """
    fetch(session, Client, client_id)
    if isinstance(clock, str):  # a clock's name, one of `clocks`
        clock = (clocks or DEFAULT_CLOCKS)[clock]
    if clock is not None:
        kind = clock.kind
    check_choices(Case, {"kind": kind})
    opened_on = opened_on or today()
    if clock is not None and due_on is None:
        due_on = clock_deadline(session, clock, opened_on, country=country)
    case = Case(
        client_id=client_id,
        kind=kind,
        subject=subject,
        opened_on=opened_on,
        due_on=due_on or default_due_on(kind, opened_on),
        clock=clock.name if clock else None,
        business_days=clock.business_days if clock else False,
    )
    session.add(case)
    if clock is not None and clock.holding_reply is not None:
        session.add(holding_reply(case, clock, country=country, session=session))
    session.flush()
    return case


def clock_deadline(
    session: Session, clock: ClockPreset, opened_on: date, *, country: str, extended: bool = False
) -> date:
    """The deadline `clock` sets for a case opened on `opened_on` (`extended`: its extended
    one), over the public holidays of `country` when it counts business days."""
    span = clock.extended if extended and clock.extended else clock.deadline
    if not span.business:
        return span.after(opened_on)
    rough_end = opened_on + timedelta(days=span.length * 2 + 30)  # past any run of holidays
    holidays = keep_holidays(of_session(session), country, opened_on, rough_end)
    return span.after(opened_on, holidays)


def holding_reply(case: Case, clock: ClockPreset, *, country: str, session: Session) -> FollowUp:
    """The follow-up reminding to send a holding reply on a case opened with `clock`."""
    assert clock.holding_reply is not None
    span = clock.holding_reply
    due_on = (
        clock_deadline(session, ClockPreset("", "", "", span), case.opened_on, country=country)
        if span.business
        else span.after(case.opened_on)
    )
    return FollowUp(
        client_id=case.client_id,
        title=_("Send a holding reply: {subject}").format(subject=case.subject),
        due_on=due_on,
        priority="high",
        notes=_("Final response due {day} ({clock}).").format(
            day=case.due_on.isoformat(), clock=_(clock.label)
        ),
    )


def extend_case(
    *,
    session: Session,
    case_id: int,
    reason: str,
    clocks: Mapping[str, ClockPreset] = DEFAULT_CLOCKS,
    country: str = DEFAULT_COUNTRY,
) -> Case:
    """Extend an open case's deadline to its clock's extended one, with the reason (PSD2
    allows 35 business days in exceptional cases, saying why)."""
    case = fetch(session, Case, case_id)
    clock = clocks.get(case.clock or "")
    if case.resolved_on is not None:
        raise InvalidChange(f"Case {case_id} is resolved; there is no deadline to extend.")
    if clock is None or clock.extended is None:
        raise InvalidChange(f"Case {case_id}'s deadline has no extension; edit its deadline.")
    if not reason.strip():
        raise InvalidChange("Say why the deadline is extended.")
    case.due_on = clock_deadline(session, clock, case.opened_on, country=country, extended=True)
    case.extension_reason = reason.strip()
    session.flush()
    return case


def case_days_left(session: Session, case: Case, day: date, *, country: str) -> int:
    """Days from `day` to the case's deadline (business days for a business-day clock);
    negative when it is past."""
    if not case.business_days:
        return (case.due_on - day).days
    first, last = min(day, case.due_on), max(day, case.due_on)
    holidays = holidays_between(of_session(session), country, first, last)
    return business_days_left(day, case.due_on, holidays)


def update_case(*, session: Session, case_id: int, values: Mapping[str, Any]) -> Case:
    """Change a case's columns."""
    case = fetch(session, Case, case_id)
    check_choices(Case, values)
    apply_values(case, values)
    session.flush()
    return case


def resolve_case(
    *, session: Session, case_id: int, day: date, resolution: str | None = None
) -> Case:
    """Mark a case resolved on `day`, with how it was resolved."""
    case = fetch(session, Case, case_id)
    case.resolved_on = day
    case.resolution = resolution
    session.flush()
    return case


def reopen_case(*, session: Session, case_id: int) -> Case:
    """Open a resolved case again (the undo of resolve_case)."""
    case = fetch(session, Case, case_id)
    case.resolved_on = None
    case.resolution = None
    session.flush()
    return case


def open_cases(*, session: Session, client_id: int) -> list[Case]:
    """A client's unresolved cases, earliest deadline first."""
    query = (
        select(Case)
        .where(CASE.c.client_id == client_id, CASE.c.resolved_on.is_(None))
        .order_by(CASE.c.due_on, CASE.c.id)
    )
    return list(session.execute(query).scalars())


def client_cases(*, session: Session, client_id: int, limit: int = 50) -> list[Case]:
    """A client's cases, open and resolved, newest first."""
    query = (
        select(Case)
        .where(CASE.c.client_id == client_id)
        .order_by(CASE.c.opened_on.desc(), CASE.c.id.desc())
        .limit(limit)
    )
    return list(session.execute(query).scalars())
