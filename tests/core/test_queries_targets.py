"""Target queries: add, change, remove and list the targets of the KPIs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlmodel import Session

from rmtui.core.kpi import targets_for
from rmtui.core.models import AuditEntry, Target
from rmtui.core.queries.common import InvalidChange, RecordNotFound, table_of
from rmtui.core.queries.targets import (
    add_target,
    clear_target,
    delete_target,
    find_target,
    list_targets,
    set_target,
    update_target,
)
from tests.factories import make

Q4 = (date(2026, 10, 1), date(2026, 12, 31))
NOV = (date(2026, 11, 1), date(2026, 11, 30))


def q4_target(session: Session, metric: str, value: str) -> Target:
    """Add a Q4 2026 target."""
    start, end = Q4
    return add_target(
        session=session, metric=metric, period_start=start, period_end=end, target=Decimal(value)
    )


def test_add_target_is_read_by_the_kpi_engine(session: Session) -> None:
    row = q4_target(session, "revenue", "25000")
    assert row.id is not None
    assert targets_for(session=session, start=Q4[0], end=Q4[1]) == {"revenue": Decimal("25000.00")}
    assert targets_for(session=session, start=NOV[0], end=NOV[1]) == {}


def test_add_target_refuses_an_unknown_kpi(session: Session) -> None:
    with pytest.raises(InvalidChange, match="must be one of"):
        q4_target(session, "happiness", "1")


def test_add_target_refuses_a_period_ending_before_it_starts(session: Session) -> None:
    with pytest.raises(InvalidChange, match="cannot end"):
        add_target(
            session=session,
            metric="nps",
            period_start=Q4[1],
            period_end=Q4[0],
            target=Decimal(10),
        )


def test_update_target_changes_the_value_and_is_audited(session: Session) -> None:
    row = q4_target(session, "nps", "20")
    assert row.id is not None
    update_target(session=session, target_id=row.id, target=Decimal("35.5"))
    assert targets_for(session=session, start=Q4[0], end=Q4[1])["nps"] == Decimal("35.50")
    audit = table_of(AuditEntry)
    query = select(audit.c.changes).where(audit.c.entity == "target", audit.c.action == "update")
    changes = session.execute(query).scalar_one()
    assert changes["target"] == ["20.00", "35.50"]


def test_delete_target(session: Session) -> None:
    row = q4_target(session, "nps", "20")
    assert row.id is not None
    delete_target(session=session, target_id=row.id)
    assert list_targets(session=session) == []
    with pytest.raises(RecordNotFound):
        delete_target(session=session, target_id=row.id)


def test_list_targets_filters_by_metric_and_period(session: Session) -> None:
    q4_target(session, "revenue", "25000")
    q4_target(session, "nps", "30")
    make(session, Target, metric="nps", period_start=NOV[0], period_end=NOV[1], target=40)
    assert len(list_targets(session=session)) == 3
    assert [row.target for row in list_targets(session=session, metric="nps")] == [
        Decimal("30.00"),
        Decimal("40.00"),
    ]
    in_q4 = list_targets(session=session, period_start=Q4[0], period_end=Q4[1])
    assert sorted(row.metric for row in in_q4) == ["nps", "revenue"]


def test_set_target_adds_then_changes_the_same_row(session: Session) -> None:
    start, end = Q4
    first = set_target(
        session=session, metric="aum", period_start=start, period_end=end, target=Decimal(1000)
    )
    second = set_target(
        session=session, metric="aum", period_start=start, period_end=end, target=Decimal(2000)
    )
    assert first.id == second.id
    assert [row.target for row in list_targets(session=session)] == [Decimal("2000.00")]


def test_find_target_takes_the_newest_like_the_kpi_engine(session: Session) -> None:
    q4_target(session, "csat", "4")
    newest = q4_target(session, "csat", "4.5")
    found = find_target(session=session, metric="csat", period_start=Q4[0], period_end=Q4[1])
    assert found is not None and found.id == newest.id
    assert targets_for(session=session, start=Q4[0], end=Q4[1])["csat"] == found.target
    assert (
        find_target(session=session, metric="csat", period_start=NOV[0], period_end=NOV[1]) is None
    )


def test_clear_target_removes_every_copy_for_the_period_only(session: Session) -> None:
    q4_target(session, "csat", "4")
    q4_target(session, "csat", "4.5")
    make(session, Target, metric="csat", period_start=NOV[0], period_end=NOV[1], target=4)
    removed = clear_target(session=session, metric="csat", period_start=Q4[0], period_end=Q4[1])
    assert len(removed) == 2
    assert [(row.period_start, row.target) for row in list_targets(session=session)] == [
        (NOV[0], Decimal("4.00"))
    ]
