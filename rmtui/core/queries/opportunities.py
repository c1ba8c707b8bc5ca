"""Opportunities: the pipeline, moving a deal through its stages, lists per client and stage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, func, select, type_coerce
from sqlalchemy.orm import Session

from rmtui.core.dates import today
from rmtui.core.models import OPEN_STAGES, STAGES, Client, Opportunity
from rmtui.core.money import from_cents
from rmtui.core.queries.common import (
    InvalidChange,
    apply_values,
    check_choices,
    check_ranges,
    columns_for,
    fetch,
    page_limit,
    table_of,
)

OPPORTUNITY = table_of(Opportunity)
CLIENT = table_of(Client)
CLOSED_STAGES = ("won", "lost")
# The stage a closed (won or lost) deal goes back to.
LAST_OPEN_STAGE = OPEN_STAGES[-1]


@dataclass(frozen=True)
class OpportunityRow:
    """One deal of the pipeline, with its client's name."""

    id: int
    client_id: int
    client_name: str
    title: str
    product: str | None
    stage: str
    value: Decimal
    opened_on: date
    closed_on: date | None
    lost_reason: str | None
    expected_close_on: date | None = None
    probability: int | None = None  # percent; None: the stage's

    def is_past_close(self, day: date) -> bool:
        """Whether the deal is still open after the day it was expected to close."""
        close = self.expected_close_on
        return self.stage not in CLOSED_STAGES and close is not None and close < day


@dataclass(frozen=True)
class StageTotal:
    """How many deals a stage holds and what they are worth."""

    stage: str
    count: int
    value: Decimal


def add_opportunity(
    *,
    session: Session,
    client_id: int,
    title: str,
    value: Decimal = Decimal("0.00"),
    product: str | None = None,
    stage: str = "lead",
    opened_on: date | None = None,
    expected_close_on: date | None = None,
    probability: int | None = None,
) -> Opportunity:
    """Add a deal to the pipeline, opened today unless `opened_on` says otherwise; it is
    expected to close on `expected_close_on`, and won with `probability` percent (None: the
    stage's)."""
    fetch(session, Client, client_id)
    check_choices(Opportunity, {"stage": stage})
    check_ranges(Opportunity, {"probability": probability})
    opened_on = opened_on or today()
    opportunity = Opportunity(
        client_id=client_id,
        title=title,
        product=product,
        stage=stage,
        value=value,
        opened_on=opened_on,
        closed_on=opened_on if stage in CLOSED_STAGES else None,
        expected_close_on=expected_close_on,
        probability=probability,
    )
    session.add(opportunity)
    session.flush()
    return opportunity


def update_opportunity(
    *, session: Session, opportunity_id: int, values: Mapping[str, Any]
) -> Opportunity:
    """Change a deal's columns (use move_stage or set_stage to change its stage)."""
    opportunity = fetch(session, Opportunity, opportunity_id)
    check_ranges(Opportunity, values)
    apply_values(opportunity, values, fixed=("id", "stage"))
    session.flush()
    return opportunity


def move_stage(
    *,
    session: Session,
    opportunity_id: int,
    forward: bool,
    day: date,
    lost_reason: str | None = None,
) -> Opportunity:
    """Move a deal one stage on or back.

    Forward goes lead → qualified → proposal → negotiation → won, or straight to lost when a
    `lost_reason` is given; won and lost are dated `day`. Back from won or lost reopens the deal
    in negotiation.
    """
    opportunity = fetch(session, Opportunity, opportunity_id)
    stage = next_stage(opportunity.stage, forward=forward, lost=lost_reason is not None)
    return _put_in_stage(session, opportunity, stage, day=day, lost_reason=lost_reason)


def set_stage(
    *,
    session: Session,
    opportunity_id: int,
    stage: str,
    day: date,
    lost_reason: str | None = None,
) -> Opportunity:
    """Put a deal in `stage` directly (also the undo of move_stage)."""
    check_choices(Opportunity, {"stage": stage})
    opportunity = fetch(session, Opportunity, opportunity_id)
    return _put_in_stage(session, opportunity, stage, day=day, lost_reason=lost_reason)


def next_stage(stage: str, *, forward: bool, lost: bool = False) -> str:
    """The stage a deal in `stage` moves to (see `move_stage`); InvalidChange when it cannot
    move that way."""
    if stage in CLOSED_STAGES:
        if forward:
            raise InvalidChange(f"This deal is already {stage}; move it back to reopen it.")
        return LAST_OPEN_STAGE
    if forward and lost:
        return "lost"
    position = OPEN_STAGES.index(stage)
    if not forward and position == 0:
        raise InvalidChange("This deal is a lead, the first stage; it cannot move back.")
    return STAGES[position + 1] if forward else OPEN_STAGES[position - 1]


def _put_in_stage(
    session: Session, opportunity: Opportunity, stage: str, *, day: date, lost_reason: str | None
) -> Opportunity:
    closed = stage in CLOSED_STAGES
    if not closed or opportunity.stage != stage:
        opportunity.closed_on = day if closed else None
    opportunity.lost_reason = lost_reason if stage == "lost" else None
    opportunity.stage = stage
    session.flush()
    return opportunity


def client_opportunities(*, session: Session, client_id: int) -> list[Opportunity]:
    """A client's deals: open ones first by stage, then closed ones newest first."""
    closed_on = OPPORTUNITY.c.closed_on
    query = (
        select(Opportunity)
        .where(OPPORTUNITY.c.client_id == client_id)
        .order_by(
            closed_on.is_not(None), closed_on.desc(), OPPORTUNITY.c.opened_on, OPPORTUNITY.c.id
        )
    )
    return list(session.execute(query).scalars())


def stage_opportunities(
    *,
    session: Session,
    stage: str,
    limit: int = 200,
    offset: int = 0,
    include_archived: bool = False,
) -> list[OpportunityRow]:
    """The deals in one stage of the pipeline, biggest first."""
    columns = columns_for(OpportunityRow, OPPORTUNITY, client_name=CLIENT.c.name)
    query = (
        select(*columns)
        .join_from(OPPORTUNITY, CLIENT, CLIENT.c.id == OPPORTUNITY.c.client_id)
        .where(OPPORTUNITY.c.stage == stage)
        .order_by(type_coerce(OPPORTUNITY.c.value, Integer).desc(), OPPORTUNITY.c.id)
        .limit(page_limit(limit))
        .offset(offset)
    )
    if not include_archived:
        query = query.where(CLIENT.c.archived.is_(False))
    return [OpportunityRow(*row) for row in session.execute(query)]


def pipeline_totals(*, session: Session, include_archived: bool = False) -> list[StageTotal]:
    """Count and value of the deals in every stage, in pipeline order."""
    cents = func.coalesce(func.sum(type_coerce(OPPORTUNITY.c.value, Integer)), 0)
    query = (
        select(OPPORTUNITY.c.stage, func.count(), cents)
        .join_from(OPPORTUNITY, CLIENT, CLIENT.c.id == OPPORTUNITY.c.client_id)
        .group_by(OPPORTUNITY.c.stage)
    )
    if not include_archived:
        query = query.where(CLIENT.c.archived.is_(False))
    found = {stage: (count, total) for stage, count, total in session.execute(query)}
    return [
        StageTotal(stage, found.get(stage, (0, 0))[0], from_cents(found.get(stage, (0, 0))[1]))
        for stage in STAGES
    ]
