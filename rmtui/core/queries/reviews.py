"""Review cycles: the clients whose periodic review falls in a month (the review season),
read in due order from ix_client_review_due."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from rmtui.core.agenda import ReviewItem, review_item
from rmtui.core.rules import active_on_sql, review_cadence_sql, review_due_sql

# Active, non-archived clients whose next review falls from :first to :last.
SEASON_WHERE = f"""
    FROM client AS c
    WHERE {review_due_sql("c.")} BETWEEN :first AND :last
      AND likely(c.archived IS 0) AND {active_on_sql("c.")}"""
SEASON_SQL = f"""
    SELECT c.id, c.name, c.tier, {review_due_sql("c.")} AS due, {review_cadence_sql("c.")},
        c.last_review_on, c.last_meeting_on, c.client_since
    {SEASON_WHERE}
    ORDER BY due, c.tier, c.name, c.id
    LIMIT :limit OFFSET :offset"""
SEASON_COUNT_SQL = f"SELECT count(*) {SEASON_WHERE}"


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of the month `month` is in."""
    first = month.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    return first, after - timedelta(days=1)


def _params(month: date, day: date) -> dict[str, Any]:
    first, last = month_bounds(month)
    return {"first": first.isoformat(), "last": last.isoformat(), "day": day.isoformat()}


def reviews_in_month(
    *, session: Session, month: date, day: date, limit: int = -1, offset: int = 0
) -> list[ReviewItem]:
    """The reviews due in the month of `month`, of the clients active on `day`, by due day
    (then tier and name); `days_left` counts from `day`."""
    params = {**_params(month, day), "limit": limit, "offset": offset}
    rows = session.execute(text(SEASON_SQL), params).all()
    return [review_item(row, day) for row in rows]


def count_reviews_in_month(*, session: Session, month: date, day: date) -> int:
    """How many reviews fall due in the month of `month` (see reviews_in_month)."""
    return int(session.execute(text(SEASON_COUNT_SQL), _params(month, day)).scalar_one())


def count_reviews_before(*, session: Session, month: date, day: date) -> int:
    """How many reviews of clients active on `day` fell due before the month of `month` (and
    are still to hold)."""
    first, _last = month_bounds(month)
    params = {"first": "0000-01-01", "last": (first - timedelta(days=1)).isoformat()}
    return int(
        session.execute(text(SEASON_COUNT_SQL), {**params, "day": day.isoformat()}).scalar_one()
    )
