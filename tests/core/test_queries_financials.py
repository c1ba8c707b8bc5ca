"""A client's holdings, assets on a day, revenue per period and goals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from rmtui.core.models import Client, FinancialGoal, Holding, Revenue
from rmtui.core.periods import Period
from rmtui.core.queries.financials import (
    AccountValue,
    client_aum,
    client_goals,
    client_revenue,
    goal_progress,
    holding_history,
    latest_holdings,
)
from tests.factories import make


def id_of(row: Any) -> int:
    """The id of a flushed row."""
    assert isinstance(row.id, int)
    return row.id


def snapshot(session: Session, client: Client, account: str, as_of: str, value: str) -> None:
    make(
        session,
        Holding,
        client_id=id_of(client),
        account=account,
        as_of=date.fromisoformat(as_of),
        value=Decimal(value),
    )


def test_latest_holdings_per_account(session: Session) -> None:
    client, other = make(session, Client), make(session, Client)
    snapshot(session, client, "Main", "2026-09-30", "100")
    snapshot(session, client, "Main", "2026-10-31", "110")
    snapshot(session, client, "Main", "2026-10-31", "120")  # entered later the same day
    snapshot(session, client, "Pension", "2026-08-31", "5000")
    snapshot(session, other, "Main", "2026-11-30", "1")
    assert latest_holdings(session=session, client_id=id_of(client)) == [
        AccountValue("Main", date(2026, 10, 31), Decimal("120.00")),
        AccountValue("Pension", date(2026, 8, 31), Decimal("5000.00")),
    ]
    assert latest_holdings(session=session, client_id=id_of(client), day=date(2026, 10, 1))[0] == (
        AccountValue("Main", date(2026, 9, 30), Decimal("100.00"))
    )
    assert client_aum(session=session, client_id=id_of(client), day=date(2026, 11, 1)) == Decimal(
        "5120.00"
    )
    assert client_aum(session=session, client_id=id_of(client), day=date(2026, 1, 1)) == 0


def test_holding_history(session: Session) -> None:
    client = make(session, Client)
    snapshot(session, client, "Main", "2026-10-31", "110")
    snapshot(session, client, "Main", "2026-09-30", "100")
    snapshot(session, client, "Alt", "2026-09-30", "7")
    history = holding_history(session=session, client_id=id_of(client), account="Main")
    assert [row.value for row in history] == [Decimal("100.00"), Decimal("110.00")]
    assert len(holding_history(session=session, client_id=id_of(client))) == 3
    since = holding_history(session=session, client_id=id_of(client), since=date(2026, 10, 1))
    assert [row.as_of for row in since] == [date(2026, 10, 31)]


def test_revenue_per_period(session: Session) -> None:
    client, other = make(session, Client), make(session, Client)
    for on, amount in (("2026-10-01", "10.10"), ("2026-10-31", "5"), ("2026-11-15", "1.01")):
        make(
            session,
            Revenue,
            client_id=id_of(client),
            on=date.fromisoformat(on),
            amount=Decimal(amount),
        )
    make(session, Revenue, client_id=id_of(other), on=date(2026, 10, 5), amount=Decimal("99"))
    periods = [
        Period(date(2026, 10, 1), date(2026, 10, 31)),
        Period(date(2026, 11, 1), date(2026, 11, 30)),
        Period(date(2026, 12, 1), date(2026, 12, 31)),
    ]
    amounts = [
        row.amount
        for row in client_revenue(session=session, client_id=id_of(client), periods=periods)
    ]
    assert amounts == [Decimal("15.10"), Decimal("1.01"), Decimal("0.00")]
    assert client_revenue(session=session, client_id=id_of(client), periods=[]) == []


def test_goals_and_progress(session: Session) -> None:
    client = make(session, Client)
    undated = make(session, FinancialGoal, client_id=id_of(client), title="Someday")
    soon = make(
        session,
        FinancialGoal,
        client_id=id_of(client),
        target_date=date(2030, 1, 1),
        target_amount=Decimal("200"),
        current_amount=Decimal("50"),
    )
    assert client_goals(session=session, client_id=id_of(client)) == [soon, undated]
    assert goal_progress(soon) == 25.0
    undated.target_amount = Decimal("0")
    assert goal_progress(undated) is None
