"""What the client detail screen shows of one client, read in one session: the dossier (the
client, check-in state, follow-ups, the first page of the timeline) and its panels
(opportunities, holdings and revenue, goals, surveys, cases)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from rmtui.core.goals import GoalStatus, goal_status
from rmtui.core.models import (
    Case,
    Client,
    ContactPerson,
    FinancialGoal,
    FollowUp,
    Holding,
    Opportunity,
    Revenue,
    Survey,
)
from rmtui.core.periods import Period, period_containing, trend_periods
from rmtui.core.queries.cases import case_days_left, client_cases, open_cases
from rmtui.core.queries.client_records import client_revenue_entries
from rmtui.core.queries.clients import get_client
from rmtui.core.queries.common import table_of
from rmtui.core.queries.contact_persons import contact_persons_of
from rmtui.core.queries.contact_points import PointRow, contact_points_of
from rmtui.core.queries.financials import (
    AccountValue,
    PeriodRevenue,
    client_goals,
    client_revenue,
    latest_holdings,
)
from rmtui.core.queries.follow_ups import open_follow_ups
from rmtui.core.queries.holding_trend import (
    TREND_MONTHS,
    ValuePoint,
    account_trends,
    combined_trend,
    trend_days,
    value_months_ago,
)
from rmtui.core.queries.households import MemberRow, household_members, household_name_of
from rmtui.core.queries.interactions import InteractionRow, client_timeline
from rmtui.core.queries.opportunities import client_opportunities
from rmtui.core.queries.referrals import Referral, referred_by
from rmtui.core.queries.surveys import client_surveys
from rmtui.core.rules import DueState, client_due_state

TIMELINE_PAGE = 100
REVENUE_QUARTERS = 4
RECENT_REVENUE = 50
RECENT_SURVEYS = 50
RESOLVED_CASES = 30
HOLDING = table_of(Holding)


@dataclass(frozen=True)
class AccountLine:
    """One account: its latest snapshot (the record a row edits) and its monthly values."""

    holding_id: int
    account: str
    as_of: date
    value: Decimal
    trend: tuple[ValuePoint, ...]

    @property
    def year_ago(self) -> Decimal | None:
        """The account's value TREND_MONTHS months ago (None when it was not held yet)."""
        return value_months_ago(self.trend, TREND_MONTHS)


@dataclass(frozen=True)
class HouseholdPlace:
    """The household a client is in, their role and who else is in it."""

    id: int
    name: str
    role: str
    members: list[MemberRow]


@dataclass(frozen=True)
class ClientPanels:
    """What the panels of one client show on one day."""

    day: date
    opportunities: list[Opportunity]
    accounts: list[AccountLine]
    aum_trend: list[ValuePoint]
    revenue: list[PeriodRevenue]  # the last REVENUE_QUARTERS quarters, then the year to date
    revenue_entries: list[Revenue]
    goals: list[tuple[FinancialGoal, GoalStatus]]
    surveys: list[Survey]
    cases: list[Case]  # open ones by deadline, then resolved ones, latest first
    # Days left to each open case's deadline (business days for a business-day clock).
    case_days_left: dict[int, int] = field(default_factory=dict)
    contact_persons: list[ContactPerson] = field(default_factory=list)
    household: HouseholdPlace | None = None
    referrals: list[Referral] = field(default_factory=list)  # the clients they referred

    @property
    def aum(self) -> Decimal:
        """The client's assets today: the sum of each account's latest value."""
        return sum((line.value for line in self.accounts), Decimal("0.00"))


@dataclass(frozen=True)
class ClientDossier:
    """Everything the detail screen shows of one client on one day."""

    client: Client
    due: DueState
    referred_by: str | None
    follow_ups: list[FollowUp]
    timeline: list[InteractionRow]
    more_timeline: bool
    panels: ClientPanels
    contact_points: list[PointRow] = field(default_factory=list)


def read_dossier(*, session: Session, client_id: int, day: date) -> ClientDossier | None:
    """Read what the detail screen shows of the client, or None when it is gone."""
    client = get_client(session=session, client_id=client_id)
    if client is None:
        return None
    referrer = None
    if client.referred_by_id is not None:
        referrer = get_client(session=session, client_id=client.referred_by_id)
    timeline = client_timeline(session=session, client_id=client_id, limit=TIMELINE_PAGE + 1)
    return ClientDossier(
        client=client,
        due=client_due_state(client, day=day),
        referred_by=referrer.name if referrer else None,
        follow_ups=open_follow_ups(session=session, client_id=client_id),
        timeline=timeline[:TIMELINE_PAGE],
        more_timeline=len(timeline) > TIMELINE_PAGE,
        panels=read_panels(session=session, client_id=client_id, day=day),
        contact_points=contact_points_of(session=session, client_id=client_id),
    )


def read_panels(*, session: Session, client_id: int, day: date) -> ClientPanels:
    """Read every panel of the client on `day`."""
    trends = account_trends(session=session, client_id=client_id, day=day)
    aum_trend = combined_trend(trends, trend_days(day))
    cases = recent_cases(session=session, client_id=client_id)
    return ClientPanels(
        day=day,
        opportunities=client_opportunities(session=session, client_id=client_id),
        accounts=account_lines(session=session, client_id=client_id, day=day, trends=trends),
        aum_trend=aum_trend,
        revenue=client_revenue(session=session, client_id=client_id, periods=revenue_periods(day)),
        revenue_entries=client_revenue_entries(
            session=session, client_id=client_id, limit=RECENT_REVENUE
        ),
        goals=[
            (goal, goal_status(goal, day=day, trend=aum_trend))
            for goal in client_goals(session=session, client_id=client_id)
        ],
        surveys=client_surveys(session=session, client_id=client_id, limit=RECENT_SURVEYS),
        cases=cases,
        case_days_left=days_left_of(session, cases, day),
        contact_persons=contact_persons_of(session=session, client_id=client_id),
        household=household_place(session=session, client_id=client_id),
        referrals=referred_by(session=session, client_id=client_id),
    )


def household_place(*, session: Session, client_id: int) -> HouseholdPlace | None:
    """The client's household, role and its members, or None when they are in none."""
    found = household_name_of(session=session, client_id=client_id)
    if found is None:
        return None
    household_id, name, role = found
    members = household_members(session=session, household_id=household_id)
    return HouseholdPlace(household_id, name, role, members)


def revenue_periods(day: date) -> list[Period]:
    """The last REVENUE_QUARTERS quarters up to the one holding `day`, then its year to date."""
    quarters = trend_periods(period_containing(day, "quarter"), "quarter", REVENUE_QUARTERS)
    return [*quarters, Period(date(day.year, 1, 1), day)]


def account_lines(
    *, session: Session, client_id: int, day: date, trends: dict[str, list[ValuePoint]]
) -> list[AccountLine]:
    """Each account's latest value on `day` with the snapshot behind it and its `trends`."""
    holdings = latest_holdings(session=session, client_id=client_id, day=day)
    ids = snapshot_ids(session=session, client_id=client_id, holdings=holdings)
    return [
        AccountLine(
            ids[holding.account, holding.as_of],
            holding.account,
            holding.as_of,
            holding.value,
            tuple(trends.get(holding.account, ())),
        )
        for holding in holdings
    ]


def snapshot_ids(
    *, session: Session, client_id: int, holdings: list[AccountValue]
) -> dict[tuple[str, date], int]:
    """The id of the snapshot behind each of `holdings` (the last one entered that day), by
    account and day, in one query."""
    if not holdings:
        return {}
    account_day = tuple_(HOLDING.c.account, HOLDING.c.as_of)
    query = (
        select(HOLDING.c.account, HOLDING.c.as_of, func.max(HOLDING.c.id))
        .where(
            HOLDING.c.client_id == client_id,
            account_day.in_([(holding.account, holding.as_of) for holding in holdings]),
        )
        .group_by(HOLDING.c.account, HOLDING.c.as_of)
    )
    return {(account, as_of): int(found) for account, as_of, found in session.execute(query)}


def days_left_of(session: Session, cases: list[Case], day: date) -> dict[int, int]:
    """The days left to the deadline of each open case of `cases`, by id (business days for a
    business-day clock, over the book's country's holidays)."""
    from rmtui.core.agenda import book_country

    country = book_country() if any(case.business_days for case in cases) else ""
    return {
        case.id: case_days_left(session, case, day, country=country)
        for case in cases
        if case.id is not None and case.resolved_on is None
    }


def recent_cases(*, session: Session, client_id: int) -> list[Case]:
    """Open cases by deadline, then up to RESOLVED_CASES resolved ones, latest opened first."""
    still_open = open_cases(session=session, client_id=client_id)
    latest = client_cases(
        session=session, client_id=client_id, limit=len(still_open) + RESOLVED_CASES
    )
    return still_open + [case for case in latest if case.resolved_on is not None]
