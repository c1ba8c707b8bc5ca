"""The pipeline board: stage probabilities, per-stage totals, deals by stage, win rate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    func,
    not_,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from rmtui.core.models import NO_DEAL_DAY, OPEN_STAGES, PIPELINE_DAY, STAGES, Client, Opportunity
from rmtui.core.money import CENT, from_cents, to_cents
from rmtui.core.queries.common import columns_for, page_limit, table_of
from rmtui.core.queries.opportunities import CLOSED_STAGES, OpportunityRow

OPPORTUNITY = table_of(Opportunity)
CLIENT = table_of(Client)
# How likely a deal in each stage is to be won: its value times this is its weighted value.
# The roll-up of the board and the forecast (migration 0018) holds the weighted values by these:
# a change here needs a migration summing them afresh.
STAGE_PROBABILITY: dict[str, Decimal] = {
    "lead": Decimal("0.10"),
    "qualified": Decimal("0.25"),
    "proposal": Decimal("0.50"),
    "negotiation": Decimal("0.75"),
    "won": Decimal("1.00"),
    "lost": Decimal("0.00"),
}


def deal_probability(stage: str, probability: int | None) -> Decimal:
    """The chance a deal is won (0 to 1): its own `probability` (percent), else its stage's."""
    return STAGE_PROBABILITY[stage] if probability is None else Decimal(probability) / 100


def weighted_value(value: Decimal, stage: str, probability: int | None) -> Decimal:
    """A deal's value times the chance it is won, to the cent."""
    return (value * deal_probability(stage, probability)).quantize(CENT)


def probability_percent_sql(deal: str = "opportunity.") -> str:
    """SQL: a deal's chance of being won in percent: its own probability, else its stage's."""
    by_stage = " ".join(
        f"WHEN '{stage}' THEN {int(chance * 100)}" for stage, chance in STAGE_PROBABILITY.items()
    )
    return f"coalesce({deal}probability, CASE {deal}stage {by_stage} END)"


def weighted_from(cents_times_percent: int) -> Decimal:
    """The weighted value of a sum of value-in-cents × percent, to the cent."""
    return (Decimal(cents_times_percent) / 10_000).quantize(CENT)


@dataclass(frozen=True)
class StageSummary:
    """A stage of the board: the deals it lists, their value, and closed deals left out."""

    stage: str
    count: int
    value: Decimal
    older: int = 0  # won or lost deals closed before the board's window, not listed
    # The sum of each listed deal's value times its probability (its own or the stage's);
    # None: the stage's value times the stage's probability.
    weighted_sum: Decimal | None = field(default=None, compare=False)

    @property
    def probability(self) -> Decimal:
        """The chance a deal in this stage is won (0 to 1) unless it says otherwise."""
        return STAGE_PROBABILITY[self.stage]

    @property
    def weighted(self) -> Decimal:
        """The stage's value weighted by each deal's probability."""
        if self.weighted_sum is not None:
            return self.weighted_sum
        return (self.value * self.probability).quantize(CENT)


@dataclass(frozen=True)
class WinStats:
    """Deals closed over a period: how many were won and lost, and what the won ones were worth."""

    won: int
    lost: int
    won_value: Decimal

    @property
    def win_rate(self) -> float | None:
        """100 × won / (won + lost), or None when nothing was closed."""
        closed = self.won + self.lost
        return 100 * self.won / closed if closed else None

    @property
    def average_deal(self) -> Decimal | None:
        """The mean value of a won deal, or None when none was won."""
        return (self.won_value / self.won).quantize(CENT) if self.won else None


def _cents() -> ColumnElement[int]:
    """SQL: a deal's value in whole cents, as stored (to sum and sort)."""
    return type_coerce(OPPORTUNITY.c.value, Integer)


def _listed(closed_since: date) -> ColumnElement[bool]:
    """Deals the board lists: every open one, and closed ones closed on or after `closed_since`."""
    closed_on = OPPORTUNITY.c.closed_on
    return or_(OPPORTUNITY.c.stage.not_in(CLOSED_STAGES), closed_on >= closed_since)


def _on_board() -> ColumnElement[bool]:
    """SQL: the deal's client is not archived (the client joined)."""
    return CLIENT.c.archived.is_(False)


def stage_summaries(*, session: Session, closed_since: date) -> list[StageSummary]:
    """Every stage in pipeline order with its listed deals' count and value; won and lost
    list only the deals closed since `closed_since` and count the older ones apart.

    Deals of archived clients are left out, as in the pipeline lists. The sums are read from
    the roll-up by stage and day (`pipeline_day`, migration 0018), a few rows per day whatever
    the number of deals: an open deal's day is its expected close day, a won or lost one's
    its closing day.
    """
    stage, on = PIPELINE_DAY.c.stage, PIPELINE_DAY.c.on
    deals, cents, weighted = PIPELINE_DAY.c.deals, PIPELINE_DAY.c.value, PIPELINE_DAY.c.weighted
    listed = or_(stage.in_(OPEN_STAGES), and_(on >= closed_since, on < NO_DEAL_DAY))
    query = (
        select(
            stage,
            func.sum(deals).filter(listed),
            func.sum(cents).filter(listed),
            func.sum(deals).filter(not_(listed)),
            func.sum(weighted).filter(listed),
        )
        .where(PIPELINE_DAY.c.archived.is_(False))
        .group_by(stage)
    )
    found: dict[str, list[int]] = {name: [0, 0, 0, 0] for name in STAGES}
    for name, *values in session.execute(query):
        found[name] = [int(value or 0) for value in values]
    return [_summary(name, found[name]) for name in STAGES]


def _summary(stage: str, row: Any) -> StageSummary:
    count, cents, older, weighted = row
    return StageSummary(stage, int(count), from_cents(cents), int(older), weighted_from(weighted))


def _stage_order(stage: str) -> list[Any]:
    """Open stages list the biggest deals first; won and lost the latest closed first."""
    if stage in CLOSED_STAGES:
        return [OPPORTUNITY.c.closed_on.desc(), OPPORTUNITY.c.id.desc()]
    return [_cents().desc(), OPPORTUNITY.c.id]


def stage_deals(
    *, session: Session, stage: str, closed_since: date, limit: int, offset: int = 0
) -> list[OpportunityRow]:
    """One page of the deals a stage lists on the board (see `stage_summaries`)."""
    columns = columns_for(OpportunityRow, OPPORTUNITY, client_name=CLIENT.c.name)
    query = (
        select(*columns)
        .join_from(OPPORTUNITY, CLIENT, CLIENT.c.id == OPPORTUNITY.c.client_id)
        .where(OPPORTUNITY.c.stage == stage, _listed(closed_since), _on_board())
        .order_by(*_stage_order(stage))
        .limit(page_limit(limit))
        .offset(offset)
    )
    return [OpportunityRow(*row) for row in session.execute(query)]


def deal_position(*, session: Session, opportunity_id: int, closed_since: date) -> int | None:
    """Where a deal stands in its stage's list (0 = first), or None when the board leaves it
    out (closed before `closed_since`, or its client archived)."""
    deal = session.get(Opportunity, opportunity_id)
    if deal is None:
        return None
    query = (
        select(func.count())
        .select_from(OPPORTUNITY)
        .join(CLIENT, CLIENT.c.id == OPPORTUNITY.c.client_id)
        .where(OPPORTUNITY.c.stage == deal.stage, _listed(closed_since), _on_board())
    )
    listed = query.where(OPPORTUNITY.c.id == opportunity_id)
    if not session.execute(listed).scalar_one():
        return None
    return int(session.execute(query.where(_comes_before(deal))).scalar_one())


def _comes_before(deal: Opportunity) -> ColumnElement[bool]:
    """SQL: the row comes before `deal` in its stage's order."""
    id_ = OPPORTUNITY.c.id
    if deal.stage in CLOSED_STAGES:
        closed_on = OPPORTUNITY.c.closed_on
        return or_(closed_on > deal.closed_on, and_(closed_on == deal.closed_on, id_ > deal.id))
    cents = _cents()
    value = to_cents(deal.value)
    return or_(cents > value, and_(cents == value, id_ < deal.id))


def win_stats(*, session: Session, start: date | None, end: date) -> WinStats:
    """Won and lost deals closed from `start` (None: ever) to `end`, both inclusive.

    Like the pipeline_conversion KPI, this counts the deals of archived clients too. The
    counts are read from the roll-up by stage and day (`pipeline_day`, migration 0018), a won
    or lost deal's day being the day it was closed.
    """
    stage, on, deals = PIPELINE_DAY.c.stage, PIPELINE_DAY.c.on, PIPELINE_DAY.c.deals
    conditions = [on <= end, on < NO_DEAL_DAY, stage.in_(CLOSED_STAGES)]
    if start is not None:
        conditions.append(on >= start)
    query = select(
        func.sum(deals).filter(stage == "won"),
        func.sum(deals).filter(stage == "lost"),
        func.sum(PIPELINE_DAY.c.value).filter(stage == "won"),
    ).where(*conditions)
    won, lost, cents = session.execute(query).one()
    return WinStats(int(won or 0), int(lost or 0), from_cents(cents or 0))
