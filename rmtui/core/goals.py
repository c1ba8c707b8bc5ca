"""Whether a client's financial goal is on track, projected from their recent value trend.

The decision, in plain words:

- The *trend* is the client's total holdings value on monthly steps (see
  `rmtui.core.queries.holding_trend`). Its growth is measured from the earliest known value of the
  last TREND_MAX_MONTHS months to the latest one, as a compound rate per month. A trend shorter
  than TREND_MIN_MONTHS months, or one that starts at 0, gives no growth: too little to project
  from.
- The goal's *projected amount* is its current amount growing at that rate until the target
  date: `current × (last / first) ** (months to target / months of the trend)`. The goal's
  money is assumed to grow like the client's assets (markets and savings together).
- A goal is *on track* when the projection reaches the target. A goal already reached is on
  track; a goal whose date has passed unreached is off track. Without a target date, or
  without a trend (no holdings history, only the goal's own current amount), the status is
  unknown (None): the goal's own numbers still give progress and the amount needed per month.
- *Needed per month* is what is missing, spread evenly over the whole months left (at least
  one), leaving growth aside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from rmtui.core.models import FinancialGoal
from rmtui.core.money import CENT
from rmtui.core.queries.financials import client_goals, goal_progress
from rmtui.core.queries.holding_trend import ValuePoint, value_trend
from rmtui.core.translation import N_

TREND_MIN_MONTHS = 6
TREND_MAX_MONTHS = 12
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12


@dataclass(frozen=True)
class Growth:
    """A value multiplied by `ratio` over `months` months."""

    ratio: Decimal
    months: Decimal

    @property
    def pct_per_month(self) -> float:
        """The compound growth per month, in percent."""
        return float((self.ratio ** (1 / self.months) - 1) * 100)

    def factor(self, months: Decimal) -> Decimal:
        """What a value is multiplied by over `months` months at this growth."""
        return self.ratio ** (months / self.months)


@dataclass(frozen=True)
class GoalStatus:
    """Where a goal stands on a day and where the recent trend takes it."""

    progress_pct: float | None  # current / target in percent (None for a target of 0)
    projected_amount: Decimal | None  # at the target date; None when it cannot be projected
    on_track: bool | None  # None when unknown (no target date or no trend)
    months_left: int | None  # whole months to the target date (0 once passed)
    needed_per_month: Decimal | None  # still missing / months left; 0 once reached
    growth_pct_per_month: float | None = None  # the trend used, when there was one


def months_between(start: date, end: date) -> Decimal:
    """Calendar months from `start` to `end` (whole months plus the days over, as a fraction)."""
    gap = relativedelta(end, start)
    return Decimal(gap.years * 12 + gap.months) + Decimal(gap.days) / DAYS_PER_MONTH


def whole_months(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return 0
    gap = relativedelta(end, start)
    return gap.years * 12 + gap.months


def trend_growth(trend: Sequence[ValuePoint]) -> Growth | None:
    """The growth from the earliest known value of the last TREND_MAX_MONTHS months of `trend`
    to its latest value; None when that spans under TREND_MIN_MONTHS months or starts at 0."""
    known = [point for point in trend if point.value is not None]
    if not known:
        return None
    last = known[-1]
    window_start = last.on - relativedelta(months=TREND_MAX_MONTHS)
    first = next(point for point in known if point.on >= window_start)
    months = months_between(first.on, last.on)
    if months < TREND_MIN_MONTHS or first.value is None or last.value is None:
        return None
    if first.value <= 0 or last.value < 0:
        return None
    return Growth(ratio=last.value / first.value, months=months)


def goal_status(goal: FinancialGoal, *, day: date, trend: Sequence[ValuePoint]) -> GoalStatus:
    """The goal's status on `day`, projected with the growth of `trend` (see the module)."""
    current, target = goal.current_amount, goal.target_amount
    progress = goal_progress(goal)
    growth = trend_growth(trend)
    growth_pct = growth.pct_per_month if growth is not None else None
    months_left = whole_months(day, goal.target_date) if goal.target_date else None
    if current >= target:
        return GoalStatus(progress, current, True, months_left, Decimal("0.00"), growth_pct)
    if goal.target_date is None:
        return GoalStatus(progress, None, None, None, None, growth_pct)
    if goal.target_date <= day:
        return GoalStatus(progress, current, False, 0, None, growth_pct)
    needed = _cents((target - current) / max(months_left or 0, 1))
    if growth is None:
        return GoalStatus(progress, None, None, months_left, needed, None)
    projected = _cents(current * growth.factor(months_between(day, goal.target_date)))
    return GoalStatus(progress, projected, projected >= target, months_left, needed, growth_pct)


def client_goal_statuses(
    *, session: Session, client_id: int, day: date
) -> list[tuple[FinancialGoal, GoalStatus]]:
    """Each of the client's goals with its status on `day`, projected from their holdings."""
    goals = client_goals(session=session, client_id=client_id)
    if not goals:
        return []
    trend = value_trend(session=session, client_id=client_id, day=day, months=TREND_MAX_MONTHS)
    return [(goal, goal_status(goal, day=day, trend=trend)) for goal in goals]


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def status_label(status: GoalStatus) -> str:
    """A goal's status in a few words: reached, on track, off track, or why it is unknown."""
    if status.on_track is None:
        return N_("no target date") if status.months_left is None else N_("too little history")
    if not status.on_track:
        return N_("off track")
    reached = status.progress_pct is None or status.progress_pct >= 100
    return N_("reached") if reached else N_("on track")
