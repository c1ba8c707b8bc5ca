"""What a client review is made of: the profile, accounts, goals, findings and the rest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from rmtui.core.goals import GoalStatus
from rmtui.core.models import Case, FollowUp, Opportunity, Survey
from rmtui.core.queries.financials import PeriodRevenue
from rmtui.core.queries.holding_trend import (
    TrendSummary,
    ValuePoint,
    value_months_ago,
)
from rmtui.core.queries.interactions import InteractionRow


@dataclass(frozen=True)
class Profile:
    """Who the client is and where they stand with check-ins."""

    name: str
    kind: str
    status: str
    tier: str
    company: str | None
    email: str | None
    phone: str | None
    city: str | None
    country: str | None
    preferred_channel: str
    risk_profile: str | None
    tags: tuple[str, ...]
    client_since: date | None
    client_until: date | None
    checkin_every_days: int
    last_contact_on: date | None
    next_checkin_on: date | None
    checkin_overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class AccountReview:
    """One account: its latest value and its trend over the last 12 months."""

    account: str
    as_of: date
    value: Decimal
    trend: tuple[ValuePoint, ...]
    summary: TrendSummary | None


@dataclass(frozen=True)
class GoalReview:
    """One financial goal and its status."""

    title: str
    target_amount: Decimal
    target_date: date | None
    current_amount: Decimal
    status: GoalStatus


@dataclass(frozen=True)
class Review:
    """Everything the review report says about one client on one day."""

    day: date
    profile: Profile
    accounts: tuple[AccountReview, ...]
    aum: Decimal
    aum_trend: tuple[ValuePoint, ...]
    revenue: tuple[PeriodRevenue, ...]
    goals: tuple[GoalReview, ...]
    interactions: tuple[InteractionRow, ...]
    follow_ups: tuple[FollowUp, ...]
    cases: tuple[Case, ...]
    opportunities: tuple[Opportunity, ...]
    surveys: tuple[Survey, ...]
    findings: tuple[Finding, ...] = ()

    def aum_months_ago(self, months: int) -> Decimal | None:
        """The assets `months` months before the day (None when nothing was held then)."""
        return value_months_ago(self.aum_trend, months)


class AssetsOverTime(Protocol):
    """Assets on the review's day and months before it: a client's, or a household's."""

    @property
    def aum(self) -> Decimal:
        """The assets on the day."""
        ...

    def aum_months_ago(self, months: int) -> Decimal | None:
        """The assets `months` months before the day (None when nothing was held then)."""
        ...


@dataclass(frozen=True)
class Finding:
    """A growth area (`kind` "growth") or a risk ("risk") worth raising in the meeting."""

    kind: str
    topic: str  # goal_off_track, goal_reached, falling_value, open_complaint, late_request,
    # overdue_checkin, no_contact, high_value_opportunity, low_satisfaction
    text: str
