"""Opportunities: moving through the pipeline, won and lost, lists per client and stage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session

from rmtui.core.models import Client, Opportunity
from rmtui.core.queries import InvalidChange
from rmtui.core.queries.opportunities import (
    add_opportunity,
    client_opportunities,
    move_stage,
    pipeline_totals,
    set_stage,
    stage_opportunities,
    update_opportunity,
)
from tests.factories import make


def id_of(row: Any) -> int:
    """The id of a flushed row."""
    assert isinstance(row.id, int)
    return row.id


DAY = date(2026, 11, 29)


def deal(session: Session, **fields: object) -> Opportunity:
    return make(session, Opportunity, client_id=id_of(make(session, Client)), **fields)


def move(session: Session, opportunity: Opportunity, *, forward: bool, **kw: object) -> str:
    move_stage(
        session=session,
        opportunity_id=id_of(opportunity),
        forward=forward,
        day=DAY,
        **kw,  # type: ignore[arg-type]
    )
    return opportunity.stage


def test_forward_through_every_stage_to_won(session: Session) -> None:
    opportunity = deal(session)
    stages = [move(session, opportunity, forward=True) for _ in range(4)]
    assert stages == ["qualified", "proposal", "negotiation", "won"]
    assert opportunity.closed_on == DAY


def test_back_from_won_reopens_in_negotiation(session: Session) -> None:
    opportunity = deal(session, stage="won", closed_on=date(2026, 11, 1))
    assert move(session, opportunity, forward=False) == "negotiation"
    assert opportunity.closed_on is None
    assert move(session, opportunity, forward=False) == "proposal"


def test_lost_with_a_reason_and_back(session: Session) -> None:
    opportunity = deal(session, stage="proposal")
    assert move(session, opportunity, forward=True, lost_reason="Price") == "lost"
    assert (opportunity.closed_on, opportunity.lost_reason) == (DAY, "Price")
    assert move(session, opportunity, forward=False) == "negotiation"
    assert (opportunity.closed_on, opportunity.lost_reason) == (None, None)


def test_no_move_past_either_end(session: Session) -> None:
    with pytest.raises(InvalidChange, match="already won"):
        move(session, deal(session, stage="won", closed_on=DAY), forward=True)
    with pytest.raises(InvalidChange, match="first stage"):
        move(session, deal(session, stage="lead"), forward=False)


def test_set_stage_undoes_a_move(session: Session) -> None:
    opportunity = deal(session, stage="lead")
    move(session, opportunity, forward=True, lost_reason="No budget")
    set_stage(session=session, opportunity_id=id_of(opportunity), stage="lead", day=DAY)
    assert (opportunity.stage, opportunity.closed_on, opportunity.lost_reason) == (
        "lead",
        None,
        None,
    )


def test_add_and_update(session: Session) -> None:
    client = make(session, Client)
    opportunity = add_opportunity(
        session=session, client_id=id_of(client), title="Mortgage", value=Decimal("2500.50")
    )
    assert (opportunity.stage, opportunity.opened_on) == ("lead", DAY)
    update_opportunity(
        session=session, opportunity_id=id_of(opportunity), values={"product": "Loan"}
    )
    assert opportunity.product == "Loan"
    with pytest.raises(ValueError, match="stage"):
        update_opportunity(
            session=session, opportunity_id=id_of(opportunity), values={"stage": "won"}
        )


def test_lists_per_client_and_per_stage(session: Session) -> None:
    client = make(session, Client, name="Ada")
    small = make(
        session, Opportunity, client_id=id_of(client), stage="proposal", value=Decimal("10")
    )
    big = make(
        session, Opportunity, client_id=id_of(client), stage="proposal", value=Decimal("900")
    )
    won = make(session, Opportunity, client_id=id_of(client), stage="won", closed_on=DAY)
    hidden = make(session, Client, archived=True)
    make(session, Opportunity, client_id=id_of(hidden), stage="proposal", value=Decimal("5"))
    assert client_opportunities(session=session, client_id=id_of(client)) == [small, big, won]
    rows = stage_opportunities(session=session, stage="proposal")
    assert [(row.id, row.client_name, row.value) for row in rows] == [
        (big.id, "Ada", Decimal("900.00")),
        (small.id, "Ada", Decimal("10.00")),
    ]
    totals = {total.stage: total for total in pipeline_totals(session=session)}
    assert (totals["proposal"].count, totals["proposal"].value) == (2, Decimal("910.00"))
    assert (totals["lead"].count, totals["lead"].value) == (0, Decimal("0.00"))
    assert pipeline_totals(session=session, include_archived=True)[2].count == 3
