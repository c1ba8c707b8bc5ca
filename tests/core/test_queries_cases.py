"""Cases: deadlines by kind, resolving and reopening, a client's open cases."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from rmtui.core.models import Case, Client
from rmtui.core.queries import InvalidChange
from rmtui.core.queries.cases import (
    DEADLINE_DAYS,
    add_case,
    client_cases,
    open_cases,
    reopen_case,
    resolve_case,
    update_case,
)
from tests.factories import make


def id_of(row: Any) -> int:
    """The id of a flushed row."""
    assert isinstance(row.id, int)
    return row.id


DAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("kind", "due_on"), [("request", date(2026, 12, 4)), ("complaint", date(2026, 12, 1))]
)
def test_deadline_defaults_by_kind(session: Session, kind: str, due_on: date) -> None:
    case = add_case(session=session, client_id=id_of(make(session, Client)), kind=kind, subject="x")
    assert case.opened_on == DAY
    assert case.due_on == due_on
    assert (case.due_on - case.opened_on).days == DEADLINE_DAYS[kind]


def test_a_given_deadline_and_opening_day_are_kept(session: Session) -> None:
    case = add_case(
        session=session,
        client_id=id_of(make(session, Client)),
        kind="request",
        subject="Statement",
        opened_on=date(2026, 11, 2),
        due_on=date(2026, 11, 3),
    )
    assert (case.opened_on, case.due_on) == (date(2026, 11, 2), date(2026, 11, 3))


def test_bad_kind_is_refused(session: Session) -> None:
    with pytest.raises(InvalidChange, match="request, complaint"):
        add_case(
            session=session, client_id=id_of(make(session, Client)), kind="praise", subject="x"
        )


def test_resolve_reopen_and_update(session: Session) -> None:
    case = make(session, Case, client_id=id_of(make(session, Client)))
    resolve_case(session=session, case_id=id_of(case), day=DAY, resolution="Card sent")
    assert (case.resolved_on, case.resolution) == (DAY, "Card sent")
    reopen_case(session=session, case_id=id_of(case))
    assert (case.resolved_on, case.resolution) == (None, None)
    update_case(session=session, case_id=id_of(case), values={"subject": "Card still blocked"})
    assert case.subject == "Card still blocked"


def test_open_cases_earliest_deadline_first(session: Session) -> None:
    client = make(session, Client)
    late = make(session, Case, client_id=id_of(client), due_on=date(2026, 12, 9))
    soon = make(session, Case, client_id=id_of(client), due_on=date(2026, 12, 1))
    done = make(
        session, Case, client_id=id_of(client), resolved_on=DAY, opened_on=date(2026, 11, 20)
    )
    assert open_cases(session=session, client_id=id_of(client)) == [soon, late]
    assert client_cases(session=session, client_id=id_of(client))[0] == done
