"""The book's tables, one SQLModel class per entity, with form models beside them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    text,
)
from sqlmodel import Field, SQLModel

from rmtui.core.money import Money
from rmtui.core.rules import birthday_month_day_sql, checkin_due_sql, is_contact_sql

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)

CLIENT_KINDS = ("person", "business", "corporate")
CLIENT_STATUSES = ("lead", "prospect", "client", "former")
TIERS = ("A", "B", "C")
CHANNELS = ("phone", "email", "meeting", "video", "message")
INTERACTION_KINDS = ("call", "meeting", "email", "video", "message", "visit", "note")
DIRECTIONS = ("in", "out")
FOLLOW_UP_STATUSES = ("open", "done", "cancelled")
PRIORITIES = ("normal", "high")
STAGES = ("lead", "qualified", "proposal", "negotiation", "won", "lost")
OPEN_STAGES = STAGES[:4]
REVENUE_KINDS = ("fee", "commission", "interest", "other")
CASE_KINDS = ("request", "complaint")
# holding.superseded_on of a snapshot no later snapshot has replaced yet.
NOT_SUPERSEDED = "9999-12-31"


def one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    """A CHECK constraint keeping `column` to one of `values`."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_valid")


def client_fk(*, nullable: bool = False, index: bool = True) -> Column[int]:
    """A foreign key column to the client table; rows go with their client."""
    return Column(
        "client_id",
        Integer,
        ForeignKey("client.id", ondelete="CASCADE"),
        nullable=nullable,
        index=index,
    )


class Client(SQLModel, table=True):
    """A person, business or corporate the relationship manager looks after."""

    __table_args__ = (
        one_of("kind", CLIENT_KINDS),
        one_of("status", CLIENT_STATUSES),
        one_of("tier", TIERS),
        one_of("preferred_channel", CHANNELS),
        CheckConstraint("checkin_every_days > 0", name="cadence_positive"),
        Index("ix_client_name_nocase", text("name COLLATE NOCASE")),
        Index("ix_client_archived_status", "archived", "status"),
        Index("ix_client_since_until", "client_since", "client_until"),
        Index("ix_client_created_on", "created_on", "client_since"),
        Index(
            "ix_client_checkin_due",
            text(checkin_due_sql("")),
            "tier",
            "name",
            "archived",
            "client_since",
            "client_until",
            "last_contact_on",
        ),
        Index("ix_client_birthday_month_day", text(birthday_month_day_sql(""))),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str
    kind: str = "person"
    status: str = "client"
    tier: str = "B"
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    city: str | None = None
    country: str | None = None
    birthday: date | None = None
    preferred_channel: str = "phone"
    checkin_every_days: int = 90
    source: str | None = None
    referred_by_id: int | None = Field(
        default=None,
        sa_column=Column("referred_by_id", Integer, ForeignKey("client.id", ondelete="SET NULL")),
    )
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    risk_profile: str | None = None
    notes: str | None = None
    created_on: date
    client_since: date | None = None
    client_until: date | None = None
    archived: bool = False
    last_contact_on: date | None = Field(default=None, index=True)


class Interaction(SQLModel, table=True):
    """A call, meeting, e-mail or note with a client."""

    __table_args__ = (
        one_of("kind", INTERACTION_KINDS),
        one_of("direction", DIRECTIONS),
        Index("ix_interaction_client_at", "client_id", "at"),
        Index("ix_interaction_contact", "client_id", "at", sqlite_where=text(is_contact_sql(""))),
        Index("ix_interaction_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=client_fk(index=False))
    at: datetime = Field(sa_type=DateTime)
    kind: str = "call"
    direction: str = "out"
    subject: str = ""
    notes: str | None = None
    duration_min: int | None = None


class FollowUp(SQLModel, table=True):
    """Something to do by a date, usually for a client."""

    __tablename__ = "follow_up"
    __table_args__ = (
        one_of("status", FOLLOW_UP_STATUSES),
        one_of("priority", PRIORITIES),
        Index("ix_follow_up_status_due_on", "status", "due_on"),
        Index("ix_follow_up_client_status_due_on", "client_id", "status", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int | None = Field(default=None, sa_column=client_fk(nullable=True, index=False))
    title: str
    due_on: date
    status: str = "open"
    done_on: date | None = None
    priority: str = "normal"
    interaction_id: int | None = Field(
        default=None,
        sa_column=Column(
            "interaction_id", Integer, ForeignKey("interaction.id", ondelete="SET NULL")
        ),
    )


class Opportunity(SQLModel, table=True):
    """A possible piece of new business moving through the pipeline."""

    __table_args__ = (
        one_of("stage", STAGES),
        Index("ix_opportunity_stage", "stage"),
        Index("ix_opportunity_closed_on", "closed_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=client_fk())
    title: str
    product: str | None = None
    stage: str = "lead"
    value: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    opened_on: date
    closed_on: date | None = None
    lost_reason: str | None = None


class Revenue(SQLModel, table=True):
    """Money earned from a client on a day."""

    __table_args__ = (
        one_of("kind", REVENUE_KINDS),
        Index("ix_revenue_on", "on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=client_fk())
    on: date
    amount: Decimal = Field(sa_type=Money)
    kind: str = "fee"
    description: str | None = None


class Holding(SQLModel, table=True):
    """A dated value snapshot of one of a client's accounts."""

    __table_args__ = (Index("ix_holding_client_account_as_of", "client_id", "account", "as_of"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=client_fk(index=False))
    account: str
    as_of: date
    value: Decimal = Field(sa_type=Money)


# The as_of of the snapshot that replaced this one (the next of the same client and account in
# (as_of, id) order), or NOT_SUPERSEDED: kept by triggers, so a snapshot is the account's value
# on day d when as_of <= d < superseded_on. Not mapped: the app never reads or writes it.
HOLDING_TABLE: Table = Holding.__table__  # type: ignore[attr-defined]
HOLDING_TABLE.append_column(
    Column("superseded_on", Date, nullable=False, server_default=NOT_SUPERSEDED)
)
Index(
    "ix_holding_in_effect",
    HOLDING_TABLE.c.superseded_on,
    HOLDING_TABLE.c.as_of,
    HOLDING_TABLE.c.client_id,
    HOLDING_TABLE.c.value,
)


class FinancialGoal(SQLModel, table=True):
    """A client's financial goal: an amount to reach by a date."""

    __tablename__ = "financial_goal"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=client_fk())
    title: str
    target_amount: Decimal = Field(sa_type=Money)
    target_date: date | None = None
    current_amount: Decimal = Field(default=Decimal("0.00"), sa_type=Money)


class Survey(SQLModel, table=True):
    """A satisfaction survey answered by a client."""

    __table_args__ = (
        CheckConstraint("csat IS NULL OR csat BETWEEN 1 AND 5", name="csat_range"),
        CheckConstraint("nps IS NULL OR nps BETWEEN 0 AND 10", name="nps_range"),
        Index("ix_survey_on", "on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=client_fk())
    on: date
    csat: int | None = None
    nps: int | None = None
    comment: str | None = None


class Case(SQLModel, table=True):
    """A client's request or complaint, with a deadline."""

    __tablename__ = "case"
    __table_args__ = (
        one_of("kind", CASE_KINDS),
        Index("ix_case_resolved_on_due_on", "resolved_on", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=client_fk())
    kind: str = "request"
    subject: str
    opened_on: date
    due_on: date
    resolved_on: date | None = None
    resolution: str | None = None


class Target(SQLModel, table=True):
    """The relationship manager's target for one KPI over a period."""

    __table_args__ = (Index("ix_target_metric_period", "metric", "period_start", "period_end"),)

    id: int | None = Field(default=None, primary_key=True)
    metric: str
    period_start: date
    period_end: date
    target: Decimal = Field(sa_type=Money)


class AuditEntry(SQLModel, table=True):
    """One recorded change: what, when, old → new."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=DateTime)
    entity: str
    entity_id: int | None = None
    client_id: int | None = Field(default=None, index=True)
    action: str
    changes: dict[str, object] = Field(default_factory=dict, sa_type=JSON)


# Daily roll-ups kept by triggers for the KPIs: never written by the app, not interchanged.
REVENUE_DAY = Table(
    "revenue_day",
    SQLModel.metadata,
    Column("on", Date, primary_key=True),
    Column("amount", Money(), nullable=False),
    Column("entries", Integer, nullable=False),
    sqlite_with_rowid=False,
)
CONTACT_DAY = Table(
    "contact_day",
    SQLModel.metadata,
    Column("on", Date, primary_key=True),
    Column("contacts", Integer, nullable=False),
    sqlite_with_rowid=False,
)

ENTITIES: dict[str, type[SQLModel]] = {
    "clients": Client,
    "interactions": Interaction,
    "follow_ups": FollowUp,
    "opportunities": Opportunity,
    "revenue": Revenue,
    "holdings": Holding,
    "financial_goals": FinancialGoal,
    "surveys": Survey,
    "cases": Case,
    "targets": Target,
}
