"""Small factories for test books: every field has a sensible default."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import column, insert
from sqlalchemy import table as table_clause
from sqlmodel import Session, SQLModel

from rmtui.core.models import (
    Case,
    Client,
    ContactPoint,
    FinancialGoal,
    FollowUp,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
    Target,
)
from rmtui.core.urgency import TERMS, Coefficients

Model = TypeVar("Model", bound=SQLModel)

DEFAULTS: dict[type[SQLModel], dict[str, Any]] = {
    Client: {
        "name": "Ada Client",
        "created_on": date(2024, 1, 1),
        "client_since": date(2024, 1, 1),
    },
    ContactPoint: {"kind": "email", "value": "ada@example.com"},
    Interaction: {"at": datetime(2026, 11, 1, 10, 0), "kind": "call", "subject": "Catch-up"},
    FollowUp: {"title": "Call back", "due_on": date(2026, 11, 29)},
    Opportunity: {
        "title": "Pension plan",
        "opened_on": date(2026, 10, 1),
        "value": Decimal("1000"),
    },
    Revenue: {"on": date(2026, 11, 1), "amount": Decimal("100"), "kind": "fee"},
    Holding: {"account": "Main", "as_of": date(2026, 11, 1), "value": Decimal("1000")},
    FinancialGoal: {"title": "Retire", "target_amount": Decimal("100000")},
    Survey: {"on": date(2026, 11, 1), "csat": 5, "nps": 9},
    Case: {"subject": "Card blocked", "opened_on": date(2026, 11, 1), "due_on": date(2026, 11, 5)},
    Target: {
        "metric": "revenue",
        "period_start": date(2026, 10, 1),
        "period_end": date(2026, 12, 31),
        "target": Decimal("1000"),
    },
}


def make(session: Session, model: type[Model], **fields: Any) -> Model:
    """Add one row of `model` with defaults overridden by `fields`, flushed so it has an id."""
    row = model(**{**DEFAULTS.get(model, {}), **fields})
    session.add(row)
    session.flush()
    return row


def make_in_old_book(session: Session, model: type[Model], **fields: Any) -> Model:
    """Like `make`, for a book at an older schema: only the columns its table has are written,
    and the row (with its id) is returned detached."""
    row = model(**{**DEFAULTS.get(model, {}), **fields})
    table = model.__table__  # type: ignore[attr-defined]
    present = {
        info[1]
        for info in session.connection().exec_driver_sql(f'PRAGMA table_info("{table.name}")')
    }
    values = {
        column.name: getattr(row, column.name)
        for column in table.columns
        if column.name in present and column.name != "id" and hasattr(row, column.name)
    }
    # A table of the present columns alone: the model's table would add its later columns'
    # Python defaults to the insert.
    present_table = table_clause(table.name, *(column(name, table.c[name].type) for name in values))
    result = session.execute(insert(present_table).values(values))
    row.id = result.inserted_primary_key[0] if result.inserted_primary_key else result.lastrowid  # type: ignore[attr-defined]
    return row


def every_term_worth(points: float) -> Coefficients:
    """Urgency coefficients that make every term worth `points` a unit of its value."""
    settings: dict[str, Any] = dict.fromkeys(TERMS, points)
    return Coefficients(**settings)
