"""A client's money records: add, change and remove holdings, goals, surveys and revenue."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from rmtui.core.models import Client, FinancialGoal, Holding, Revenue, Survey
from rmtui.core.money import parse_money
from rmtui.core.queries.common import (
    InvalidChange,
    apply_values,
    check_choices,
    check_ranges,
    fetch,
    table_of,
)
from rmtui.core.queries.trash import TrashRow, move_to_trash

REVENUE = table_of(Revenue)
HOLDING = table_of(Holding)
MONEY_COLUMNS = ("value", "target_amount", "current_amount", "amount")
Record = TypeVar("Record", Holding, FinancialGoal, Survey, Revenue)
# The client a record belongs to stays with it: a record is added for a client, not moved.
FIXED = ("id", "client_id")


# -- holdings ----------------------------------------------------------------------------------


def add_holding(
    *, session: Session, client_id: int, account: str, as_of: date, value: Decimal
) -> Holding:
    """Record the value of one of the client's accounts on a day."""
    fetch(session, Client, client_id)
    holding = Holding(
        client_id=client_id, account=_named(account, "An account"), as_of=as_of, value=value
    )
    return _added(session, holding)


def update_holding(*, session: Session, holding_id: int, values: Mapping[str, Any]) -> Holding:
    """Change a holding snapshot's account, day or value."""
    holding = fetch(session, Holding, holding_id)
    if "account" in values:
        values = {**values, "account": _named(values["account"], "An account")}
    return _changed(session, holding, values)


def delete_holding(*, session: Session, holding_id: int) -> TrashRow:
    """Move one holding snapshot to the trash."""
    return move_to_trash(session=session, model=Holding, record_id=holding_id)


def client_holdings(*, session: Session, client_id: int, limit: int = 100) -> list[Holding]:
    """A client's holding snapshots, newest first (to pick one to change or remove)."""
    query = (
        select(Holding)
        .where(HOLDING.c.client_id == client_id)
        .order_by(HOLDING.c.as_of.desc(), HOLDING.c.account, HOLDING.c.id.desc())
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def client_accounts(*, session: Session, client_id: int) -> list[str]:
    """The names of a client's accounts, as they were recorded, in order."""
    query = (
        select(HOLDING.c.account)
        .where(HOLDING.c.client_id == client_id)
        .group_by(HOLDING.c.account)
        .order_by(HOLDING.c.account)
    )
    return list(session.execute(query).scalars())


# -- goals -------------------------------------------------------------------------------------


def add_goal(
    *,
    session: Session,
    client_id: int,
    title: str,
    target_amount: Decimal,
    target_date: date | None = None,
    current_amount: Decimal = Decimal("0.00"),
) -> FinancialGoal:
    """Add a financial goal: an amount to reach, by a date when one is given."""
    fetch(session, Client, client_id)
    goal = FinancialGoal(
        client_id=client_id,
        title=_named(title, "A goal's title"),
        target_amount=target_amount,
        target_date=target_date,
        current_amount=current_amount,
    )
    return _added(session, goal)


def update_goal(*, session: Session, goal_id: int, values: Mapping[str, Any]) -> FinancialGoal:
    """Change a goal's title, amounts or date (e.g. the amount reached so far)."""
    goal = fetch(session, FinancialGoal, goal_id)
    if "title" in values:
        values = {**values, "title": _named(values["title"], "A goal's title")}
    return _changed(session, goal, values)


def delete_goal(*, session: Session, goal_id: int) -> TrashRow:
    """Move one financial goal to the trash."""
    return move_to_trash(session=session, model=FinancialGoal, record_id=goal_id)


# -- surveys -----------------------------------------------------------------------------------


def add_survey(
    *,
    session: Session,
    client_id: int,
    on: date,
    csat: int | None = None,
    nps: int | None = None,
    comment: str | None = None,
) -> Survey:
    """Record a client's answer to a satisfaction survey (CSAT 1–5, NPS 0–10)."""
    fetch(session, Client, client_id)
    _check_scores(csat, nps)
    return _added(session, Survey(client_id=client_id, on=on, csat=csat, nps=nps, comment=comment))


def update_survey(*, session: Session, survey_id: int, values: Mapping[str, Any]) -> Survey:
    """Change a survey's day, scores or comment."""
    survey = fetch(session, Survey, survey_id)
    _check_scores(values.get("csat", survey.csat), values.get("nps", survey.nps))
    return _changed(session, survey, values)


def delete_survey(*, session: Session, survey_id: int) -> TrashRow:
    """Move one survey answer to the trash."""
    return move_to_trash(session=session, model=Survey, record_id=survey_id)


def _check_scores(csat: int | None, nps: int | None) -> None:
    check_ranges(Survey, {"csat": csat, "nps": nps})


# -- revenue -----------------------------------------------------------------------------------


def add_revenue(
    *,
    session: Session,
    client_id: int,
    on: date,
    amount: Decimal,
    kind: str = "fee",
    description: str | None = None,
) -> Revenue:
    """Record money earned from the client on a day (a fee, commission, interest…)."""
    fetch(session, Client, client_id)
    check_choices(Revenue, {"kind": kind})
    revenue = Revenue(client_id=client_id, on=on, amount=amount, kind=kind, description=description)
    return _added(session, revenue)


def update_revenue(*, session: Session, revenue_id: int, values: Mapping[str, Any]) -> Revenue:
    """Change a revenue entry's day, amount, kind or description."""
    revenue = fetch(session, Revenue, revenue_id)
    check_choices(Revenue, values)
    return _changed(session, revenue, values)


def delete_revenue(*, session: Session, revenue_id: int) -> TrashRow:
    """Move one revenue entry to the trash."""
    return move_to_trash(session=session, model=Revenue, record_id=revenue_id)


def client_revenue_entries(*, session: Session, client_id: int, limit: int = 50) -> list[Revenue]:
    """A client's revenue entries, newest first."""
    query = (
        select(Revenue)
        .where(REVENUE.c.client_id == client_id)
        .order_by(REVENUE.c.on.desc(), REVENUE.c.id.desc())
        .limit(limit)
    )
    return list(session.execute(query).scalars())


# -- shared ------------------------------------------------------------------------------------


def _named(text: str, label: str) -> str:
    name = (text or "").strip()
    if not name:
        raise InvalidChange(f"{label} needs a name.")
    return name


def _added(session: Session, record: Record) -> Record:
    session.add(record)
    session.flush()
    return record


def _changed(session: Session, record: Record, values: Mapping[str, Any]) -> Record:
    money = {
        name: parse_money(values[name]) for name in MONEY_COLUMNS if values.get(name) is not None
    }
    apply_values(record, {**values, **money}, fixed=FIXED)
    session.flush()
    return record
