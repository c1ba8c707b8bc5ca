"""What the client review reads from the book: one client's records on one day."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from rmtui.core.goals import goal_status
from rmtui.core.models import Client, Opportunity
from rmtui.core.periods import period_containing, trend_periods
from rmtui.core.queries.cases import open_cases
from rmtui.core.queries.clients import last_contact_as_of
from rmtui.core.queries.common import fetch
from rmtui.core.queries.financials import (
    PeriodRevenue,
    client_goals,
    client_revenue,
    latest_holdings,
)
from rmtui.core.queries.follow_ups import open_follow_ups
from rmtui.core.queries.holding_trend import (
    ValuePoint,
    account_trends,
    combined_trend,
    summarize_trend,
    trend_days,
)
from rmtui.core.queries.interactions import InteractionRow, client_timeline
from rmtui.core.queries.opportunities import client_opportunities
from rmtui.core.queries.surveys import client_surveys
from rmtui.core.review.facts import AccountReview, GoalReview, Profile, Review
from rmtui.core.review.findings import growth_and_risks
from rmtui.core.rules import client_due_state, start_of_next_day

# What the report looks back on.
RECENT_INTERACTIONS = 10
RECENT_SURVEYS = 5
REVENUE_QUARTERS = 4
CLOSED_DEALS_MONTHS = 12


def build_review(*, session: Session, client_id: int, day: date) -> Review:
    """Read everything the review of the client on `day` shows, growth areas and risks too."""
    client = fetch(session, Client, client_id)
    trends = account_trends(session=session, client_id=client_id, day=day)
    aum_trend = combined_trend(trends, trend_days(day))
    review = Review(
        day=day,
        profile=_profile(session, client, day),
        accounts=_accounts(session, client_id, day, trends),
        aum=aum_trend[-1].value or Decimal("0.00"),
        aum_trend=tuple(aum_trend),
        revenue=tuple(_revenue(session, client_id, day)),
        goals=_goals(session, client_id, day, aum_trend),
        interactions=tuple(_interactions(session, client_id, day)),
        follow_ups=tuple(open_follow_ups(session=session, client_id=client_id)),
        cases=tuple(open_cases(session=session, client_id=client_id)),
        opportunities=tuple(_opportunities(session, client_id, day)),
        surveys=tuple(client_surveys(session=session, client_id=client_id, limit=RECENT_SURVEYS)),
    )
    return dataclasses.replace(review, findings=tuple(growth_and_risks(review)))


def _profile(session: Session, client: Client, day: date) -> Profile:
    last_contact = client.last_contact_on
    if last_contact is not None and last_contact > day:
        assert client.id is not None
        last_contact = last_contact_as_of(session=session, client_id=client.id, day=day)
    due = client_due_state(client, day=day, last_contact_on=last_contact)
    return Profile(
        name=client.name,
        kind=client.kind,
        status=client.status,
        tier=client.tier,
        company=client.company,
        email=client.email,
        phone=client.phone,
        city=client.city,
        country=client.country,
        preferred_channel=client.preferred_channel,
        risk_profile=client.risk_profile,
        tags=tuple(client.tags or ()),
        client_since=client.client_since,
        client_until=client.client_until,
        checkin_every_days=due.cadence,
        last_contact_on=due.last_contact_on,
        next_checkin_on=due.due_on,
        checkin_overdue=due.overdue,
        days_overdue=due.days_overdue,
    )


def _accounts(
    session: Session, client_id: int, day: date, trends: dict[str, list[ValuePoint]]
) -> tuple[AccountReview, ...]:
    accounts = []
    for holding in latest_holdings(session=session, client_id=client_id, day=day):
        trend = tuple(trends.get(holding.account, ()))
        summary = summarize_trend(trend)
        accounts.append(
            AccountReview(holding.account, holding.as_of, holding.value, trend, summary)
        )
    return tuple(accounts)


def _revenue(session: Session, client_id: int, day: date) -> list[PeriodRevenue]:
    quarters = trend_periods(period_containing(day, "quarter"), "quarter", REVENUE_QUARTERS)
    return client_revenue(session=session, client_id=client_id, periods=quarters)


def _goals(
    session: Session, client_id: int, day: date, trend: Sequence[ValuePoint]
) -> tuple[GoalReview, ...]:
    return tuple(
        GoalReview(
            goal.title,
            goal.target_amount,
            goal.target_date,
            goal.current_amount,
            goal_status(goal, day=day, trend=trend),
        )
        for goal in client_goals(session=session, client_id=client_id)
    )


def _interactions(session: Session, client_id: int, day: date) -> list[InteractionRow]:
    before = (start_of_next_day(day), 0)
    return client_timeline(
        session=session, client_id=client_id, limit=RECENT_INTERACTIONS, before=before
    )


def _opportunities(session: Session, client_id: int, day: date) -> list[Opportunity]:
    """Open deals and the ones closed in the last CLOSED_DEALS_MONTHS months."""
    since = day - relativedelta(months=CLOSED_DEALS_MONTHS)
    deals = client_opportunities(session=session, client_id=client_id)
    return [deal for deal in deals if deal.closed_on is None or deal.closed_on >= since]
