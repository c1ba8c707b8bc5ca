"""Surveys: a client's satisfaction answers, newest first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rmtui.core.models import Survey
from rmtui.core.queries.common import table_of

SURVEY = table_of(Survey)


def client_surveys(*, session: Session, client_id: int, limit: int = 50) -> list[Survey]:
    """A client's surveys, newest first."""
    query = (
        select(Survey)
        .where(SURVEY.c.client_id == client_id)
        .order_by(SURVEY.c.on.desc(), SURVEY.c.id.desc())
        .limit(limit)
    )
    return list(session.execute(query).scalars())
