"""What the household review reads from the book: every member's assets and their trend, their
goals, open follow-ups and cases, and the latest contacts with any of them, on one day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from rmtui.core.goals import goal_status
from rmtui.core.models import Case, FollowUp, Household
from rmtui.core.queries.clients import last_contact_as_of
from rmtui.core.queries.common import fetch
from rmtui.core.queries.financials import client_goals
from rmtui.core.queries.holding_trend import (
    TrendSummary,
    ValuePoint,
    combined_trend,
    summarize_trend,
    trend_days,
    value_months_ago,
    value_trend,
)
from rmtui.core.queries.households import (
    MemberRow,
    household_cases,
    household_contacts,
    household_follow_ups,
    household_members,
)
from rmtui.core.queries.interactions import InteractionRow
from rmtui.core.review.facts import GoalReview

# How many of the latest contacts the report lists.
RECENT_CONTACTS = 15


@dataclass(frozen=True)
class MemberReview:
    """A member: who they are in the household, their last contact and assets on the day and
    the trend of their assets."""

    member: MemberRow
    last_contact_on: date | None
    aum: Decimal
    trend: tuple[ValuePoint, ...]
    summary: TrendSummary | None


@dataclass(frozen=True)
class HouseholdReview:
    """Everything the household review says on one day, each item with whose it is."""

    day: date
    name: str
    shared_checkin: bool
    members: tuple[MemberReview, ...]
    aum_trend: tuple[ValuePoint, ...]  # the members' assets summed, month by month
    goals: tuple[tuple[GoalReview, str], ...]
    follow_ups: tuple[tuple[FollowUp, str], ...]
    cases: tuple[tuple[Case, str], ...]
    contacts: tuple[InteractionRow, ...]

    @property
    def aum(self) -> Decimal:
        """The members' assets on the day."""
        return sum((member.aum for member in self.members), Decimal("0.00"))

    def aum_months_ago(self, months: int) -> Decimal | None:
        """The members' assets `months` months before the day (None when nothing was held)."""
        return value_months_ago(self.aum_trend, months)

    @property
    def last_contact_on(self) -> date | None:
        """The latest contact with any member on or before the day."""
        return self.contacts[0].at.date() if self.contacts else None


def build_household_review(*, session: Session, household_id: int, day: date) -> HouseholdReview:
    """Read everything the review of the household on `day` shows."""
    household = fetch(session, Household, household_id)
    rows = household_members(session=session, household_id=household_id)
    ids = [row.client_id for row in rows]
    trends = {
        row.client_id: value_trend(session=session, client_id=row.client_id, day=day)
        for row in rows
    }
    return HouseholdReview(
        day=day,
        name=household.name,
        shared_checkin=household.shared_checkin,
        members=tuple(_member(session, row, trends[row.client_id], day) for row in rows),
        aum_trend=tuple(combined_trend({str(k): v for k, v in trends.items()}, trend_days(day))),
        goals=tuple(_goals(session, rows, trends, day)),
        follow_ups=tuple(household_follow_ups(session=session, member_ids=ids)),
        cases=tuple(household_cases(session=session, member_ids=ids)),
        contacts=tuple(
            household_contacts(session=session, member_ids=ids, day=day, limit=RECENT_CONTACTS)
        ),
    )


def _member(session: Session, row: MemberRow, trend: list[ValuePoint], day: date) -> MemberReview:
    last_contact = row.last_contact_on
    if last_contact is not None and last_contact > day:  # a review of a day in the past
        last_contact = last_contact_as_of(session=session, client_id=row.client_id, day=day)
    value = trend[-1].value if trend else None
    aum = value if value is not None else Decimal("0.00")
    return MemberReview(row, last_contact, aum, tuple(trend), summarize_trend(trend))


def _goals(
    session: Session, rows: list[MemberRow], trends: dict[int, list[ValuePoint]], day: date
) -> list[tuple[GoalReview, str]]:
    """Every member's goals, each judged by the trend of that member's own assets."""
    goals = []
    for row in rows:
        for goal in client_goals(session=session, client_id=row.client_id):
            status = goal_status(goal, day=day, trend=trends[row.client_id])
            review = GoalReview(
                goal.title, goal.target_amount, goal.target_date, goal.current_amount, status
            )
            goals.append((review, row.name))
    return goals
