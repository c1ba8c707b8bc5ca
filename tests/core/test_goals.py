"""Goals on track: growth from the value trend, projection to the target date, hand-computed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from rmtui.core.goals import (
    GoalStatus,
    client_goal_statuses,
    goal_status,
    months_between,
    status_label,
    trend_growth,
    whole_months,
)
from rmtui.core.models import Client, FinancialGoal, Holding
from rmtui.core.queries.holding_trend import ValuePoint
from tests.factories import make

DAY = date(2026, 11, 29)


def point(on: str, value: str | None) -> ValuePoint:
    return ValuePoint(date.fromisoformat(on), None if value is None else Decimal(value))


# 100,000 a year ago, 121,000 now: ×1.21 in 12 months, so ×1.21² = ×1.4641 over 24 months.
GROWING = [
    point("2025-11-29", "100000"),
    point("2026-05-29", None),
    point("2026-08-29", "130000"),
    point("2026-11-29", "121000"),
]


def goal(target: str, current: str, target_date: date | None = date(2028, 11, 29)) -> FinancialGoal:
    return FinancialGoal(
        client_id=1,
        title="House",
        target_amount=Decimal(target),
        current_amount=Decimal(current),
        target_date=target_date,
    )


def test_months_between_counts_calendar_months() -> None:
    assert months_between(date(2025, 11, 29), date(2026, 11, 29)) == 12
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1  # month end to month end
    assert months_between(date(2026, 1, 1), date(2026, 1, 31)) == Decimal(30) / Decimal("30.4375")
    assert whole_months(DAY, date(2028, 11, 29)) == 24
    assert whole_months(DAY, date(2028, 11, 28)) == 23
    assert whole_months(DAY, date(2026, 1, 1)) == 0


def test_growth_runs_from_the_first_to_the_last_known_value() -> None:
    growth = trend_growth(GROWING)
    assert growth is not None
    assert growth.ratio == Decimal("1.21")
    assert growth.months == 12
    assert growth.factor(Decimal(24)) == Decimal("1.4641")
    # 1.21 ** (1/12) = 1.016012... : 1.6 % a month
    assert growth.pct_per_month == pytest.approx(1.6012, abs=1e-4)


def test_growth_looks_back_twelve_months_only() -> None:
    trend = [point("2024-11-29", "50000"), *GROWING]
    growth = trend_growth(trend)
    assert growth is not None and growth.ratio == Decimal("1.21")


def test_a_trend_shorter_than_six_months_gives_no_growth() -> None:
    assert trend_growth([point("2026-05-29", "100"), point("2026-11-29", "110")]) is not None
    assert trend_growth([point("2026-06-01", "100"), point("2026-11-29", "110")]) is None
    assert trend_growth([point("2025-11-29", "0"), point("2026-11-29", "110")]) is None
    assert trend_growth([point("2025-11-29", None), point("2026-11-29", None)]) is None
    assert trend_growth([]) is None


def test_off_track_when_the_projection_falls_short() -> None:
    # 50,000 × 1.4641 = 73,205 < 80,000; missing 30,000 over 24 months = 1,250 a month.
    status = goal_status(goal("80000", "50000"), day=DAY, trend=GROWING)
    assert status == GoalStatus(
        progress_pct=62.5,
        projected_amount=Decimal("73205.00"),
        on_track=False,
        months_left=24,
        needed_per_month=Decimal("1250.00"),
        growth_pct_per_month=status.growth_pct_per_month,
    )
    assert status_label(status) == "off track"


def test_on_track_when_the_projection_reaches_the_target() -> None:
    status = goal_status(goal("70000", "50000"), day=DAY, trend=GROWING)
    assert status.projected_amount == Decimal("73205.00")
    assert status.on_track is True
    assert status.needed_per_month == Decimal("833.33")  # 20,000 / 24
    assert status_label(status) == "on track"


def test_without_a_trend_the_status_is_unknown_but_the_goal_numbers_remain() -> None:
    status = goal_status(goal("80000", "50000"), day=DAY, trend=[point("2026-11-29", "500")])
    assert status.on_track is None
    assert status.projected_amount is None
    assert status.progress_pct == 62.5
    assert status.needed_per_month == Decimal("1250.00")
    assert status_label(status) == "too little history"


def test_reached_passed_and_undated_goals() -> None:
    reached = goal_status(goal("100", "100"), day=DAY, trend=[])
    assert (reached.on_track, reached.needed_per_month) == (True, Decimal("0.00"))
    assert status_label(reached) == "reached"

    passed = goal_status(goal("100", "40", date(2026, 10, 1)), day=DAY, trend=GROWING)
    assert (passed.on_track, passed.months_left, passed.projected_amount) == (
        False,
        0,
        Decimal("40"),
    )

    undated = goal_status(goal("100", "40", None), day=DAY, trend=GROWING)
    assert (undated.on_track, undated.months_left, undated.projected_amount) == (None, None, None)
    assert status_label(undated) == "no target date"


def test_a_target_date_within_the_month_needs_the_whole_gap_this_month() -> None:
    status = goal_status(goal("1000", "400", date(2026, 12, 15)), day=DAY, trend=[])
    assert status.months_left == 0
    assert status.needed_per_month == Decimal("600.00")


def test_client_goal_statuses_project_from_the_holdings(session: Session) -> None:
    client = make(session, Client)
    assert client.id is not None
    for as_of, value in (("2025-11-29", "60000"), ("2026-11-29", "72600")):
        make(
            session,
            Holding,
            client_id=client.id,
            account="Main",
            as_of=date.fromisoformat(as_of),
            value=Decimal(value),
        )
    make(
        session,
        Holding,
        client_id=client.id,
        account="Savings",
        as_of=date(2025, 6, 1),
        value=Decimal("40000"),
    )
    make(
        session,
        Holding,
        client_id=client.id,
        account="Savings",
        as_of=date(2026, 6, 1),
        value=Decimal("48400"),
    )
    make(
        session,
        FinancialGoal,
        client_id=client.id,
        title="House",
        target_amount=Decimal("80000"),
        current_amount=Decimal("50000"),
        target_date=date(2028, 11, 29),
    )
    # Total: 100,000 a year ago, 121,000 now.
    [(found, status)] = client_goal_statuses(session=session, client_id=client.id, day=DAY)
    assert found.title == "House"
    assert status.projected_amount == Decimal("73205.00")
    assert status.on_track is False


def test_a_client_without_goals_reads_no_trend(session: Session) -> None:
    client = make(session, Client)
    assert client.id is not None
    assert client_goal_statuses(session=session, client_id=client.id, day=DAY) == []
