"""Cases: a client's requests and complaints, their deadlines and resolution."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rmtui.core.dates import today
from rmtui.core.models import Case, Client
from rmtui.core.queries.common import apply_values, check_choices, fetch, table_of

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
) -> Case:
    """Open a request or complaint; it is opened today and due by DEADLINE_DAYS by default."""
    fetch(session, Client, client_id)
    check_choices(Case, {"kind": kind})
    opened_on = opened_on or today()
    case = Case(
        client_id=client_id,
        kind=kind,
        subject=subject,
        opened_on=opened_on,
        due_on=due_on or default_due_on(kind, opened_on),
    )
    session.add(case)
    session.flush()
    return case


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
