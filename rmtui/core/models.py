"""The book's entities, each declared once: its fields and their rules, then its table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from types import NoneType
from typing import Annotated, Any, Literal, TypeVar, get_args

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    text,
)
from sqlmodel import Field, SQLModel

from rmtui.core.kpi import KPI_KEYS
from rmtui.core.money_column import Money
from rmtui.core.rules import (
    birthday_month_day_sql,
    checkin_due_sql,
    household_checkin_due_sql,
    is_contact_sql,
    not_high_priority_sql,
    review_due_sql,
)
from rmtui.core.search_text import SEARCH_TEXT_COLUMNS
from rmtui.core.translation import N_

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)

# The choice sets, each declared once; the tuples below list their values in order.
ClientKind = Literal["person", "business", "corporate"]
ClientStatus = Literal["lead", "prospect", "client", "former"]
Tier = Literal["A", "B", "C"]
Channel = Literal["phone", "email", "meeting", "video", "message"]
InteractionKind = Literal["call", "meeting", "email", "video", "message", "visit", "note"]
Direction = Literal["in", "out"]
FollowUpStatus = Literal["open", "done", "cancelled"]
Priority = Literal["normal", "high"]
Stage = Literal["lead", "qualified", "proposal", "negotiation", "won", "lost"]
RevenueKind = Literal["fee", "commission", "interest", "other"]
CaseKind = Literal["request", "complaint"]
ContactKind = Literal["email", "phone"]
HouseholdRole = Literal["head", "partner", "child", "dependent", "other"]
DocumentLanguage = Literal["nl", "en"]


def choices(choice_set: Any) -> tuple[str, ...]:
    """The values of a choice set (a Literal), in the order they are declared."""
    return get_args(choice_set)


CLIENT_KINDS = choices(ClientKind)
CLIENT_STATUSES = choices(ClientStatus)
TIERS = choices(Tier)
CHANNELS = choices(Channel)
INTERACTION_KINDS = choices(InteractionKind)
DIRECTIONS = choices(Direction)
FOLLOW_UP_STATUSES = choices(FollowUpStatus)
PRIORITIES = choices(Priority)
STAGES = choices(Stage)
OPEN_STAGES = STAGES[:4]
REVENUE_KINDS = choices(RevenueKind)
CASE_KINDS = choices(CaseKind)
CONTACT_KINDS = choices(ContactKind)
HOUSEHOLD_ROLES = choices(HouseholdRole)
DOCUMENT_LANGUAGES = choices(DocumentLanguage)
# The fields of the parts of a person's name (vCard N: prefix, given, additional, family, suffix).
NAME_PARTS = ("name_prefix", "given_name", "additional_names", "family_name", "name_suffix")
# holding.superseded_on of a snapshot no later snapshot has replaced yet.
NOT_SUPERSEDED = "9999-12-31"

# -- what a field declares beyond its type (markers in its Annotated type) ---------------------


@dataclass(frozen=True)
class Choice:
    """A text field kept to `values`; `label` names it when a change is refused.

    `in_table`: a CHECK constraint keeps it in the table too.
    """

    values: tuple[str, ...]
    label: str
    in_table: bool = True


@dataclass(frozen=True)
class Range:
    """A whole number's bounds, either end open when None.

    `label` names the field when a change outside them is refused (unlabelled ranges are
    checked on import only); `check` names the CHECK constraint keeping them in the table.
    """

    low: int | None = None
    high: int | None = None
    label: str | None = None
    check: str | None = None


@dataclass(frozen=True)
class NotBefore:
    """A date that may not come before the record's date `field`."""

    field: str


class Holds(Enum):
    """What a field holds when its type does not say it all."""

    EMAIL = "an e-mail address"
    BIRTHDAY = "a birthday, a date that comes back every year"
    REPEAT = "a repeat rule: every 2 weeks, every 3 months, yearly (core/repeats.py)"


class WhenMissing(Enum):
    """How a field an imported record leaves out is filled, when not with its default."""

    TODAY = "today"


Marker = TypeVar("Marker")


def marked(model: type[SQLModel], marker: type[Marker]) -> dict[str, Marker]:
    """The fields of `model` carrying a `marker`, with it, in the order they are declared."""
    return {
        name: found
        for name, info in model.model_fields.items()
        for found in info.metadata
        if isinstance(found, marker)
    }


def references(model: type[SQLModel]) -> dict[str, str]:
    """The fields of `model` referring to a row of another table, with that table's name."""
    found = {name: getattr(info, "foreign_key", None) for name, info in model.model_fields.items()}
    return {name: key.split(".")[0] for name, key in found.items() if isinstance(key, str)}


def table_checks(model: type[SQLModel]) -> tuple[CheckConstraint, ...]:
    """The CHECK constraints of `model`'s choices and ranges, in the order of its fields."""
    checks: list[CheckConstraint] = []
    for name, info in model.model_fields.items():
        optional = NoneType in get_args(info.annotation)
        for rule in info.metadata:
            if isinstance(rule, Choice) and rule.in_table:
                checks.append(one_of(name, rule.values))
            elif isinstance(rule, Range) and rule.check:
                checks.append(within(name, rule, optional=optional))
    return tuple(checks)


def one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    """A CHECK constraint keeping `column` to one of `values`."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_valid")


def within(column: str, rule: Range, *, optional: bool) -> CheckConstraint:
    """A CHECK constraint keeping whole numbers in `column` within `rule`'s bounds."""
    low, high = rule.low, rule.high
    if low is not None and high is not None:
        test = f"{column} BETWEEN {low} AND {high}"
    elif low is not None:
        test = f"{column} > {low - 1}"
    elif high is not None:
        test = f"{column} < {high + 1}"
    else:
        raise ValueError(f"The range of {column} has no bound to check.")
    return CheckConstraint(f"{column} IS NULL OR {test}" if optional else test, name=rule.check)


def client_ref(*, index: bool = True) -> Any:
    """The field of a record's client: the record goes with its client."""
    return Field(foreign_key="client.id", ondelete="CASCADE", index=index)


class Stored(SQLModel):
    """A row of the book; put last among a table's bases so that its id is the first column."""

    id: int | None = Field(default=None, primary_key=True)


# -- the entities ------------------------------------------------------------------------------


class ClientBase(SQLModel):
    """A client's profile, as a form, a spreadsheet or an imported record gives it."""

    name: str
    kind: Annotated[str, Choice(CLIENT_KINDS, N_("The client's kind"))] = "person"
    status: Annotated[str, Choice(CLIENT_STATUSES, N_("The client's status"))] = "client"
    tier: Annotated[str, Choice(TIERS, N_("The client's tier"))] = "B"
    email: Annotated[str | None, Holds.EMAIL] = None
    phone: str | None = None
    company: str | None = None
    city: str | None = None
    country: str | None = None
    birthday: Annotated[date | None, Holds.BIRTHDAY] = None
    preferred_channel: Annotated[str, Choice(CHANNELS, N_("The client's preferred channel"))] = (
        "phone"
    )
    # None: the cadence of the client's tier (rules.cadence_of).
    checkin_every_days: Annotated[int | None, Range(low=1, check="cadence_positive")] = None
    # Months between reviews; None: the review cadence of the client's tier (rules.py).
    review_every_months: Annotated[
        int | None, Range(low=1, high=120, label=N_("The review cadence"))
    ] = None
    source: str | None = None
    referred_by_id: int | None = Field(
        default=None, foreign_key="client.id", ondelete="SET NULL", index=True
    )
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    risk_profile: str | None = None
    notes: str | None = None
    created_on: Annotated[date, WhenMissing.TODAY]
    client_since: date | None = None
    client_until: Annotated[date | None, NotBefore("client_since")] = None
    archived: bool = False
    # The parts of a person's name as an address book gives them (vCard N); kept while the
    # name is the one they came with.
    name_prefix: str | None = None
    given_name: str | None = None
    additional_names: str | None = None
    family_name: str | None = None
    name_suffix: str | None = None
    # The language the client's documents (the review report) are written in; None: the
    # user's own.
    preferred_language: Annotated[
        str | None, Choice(DOCUMENT_LANGUAGES, N_("The client's language"), in_table=False)
    ] = None
    # The user who looks after the client (people.py); None: everyone's.
    owner: str | None = None


class Client(ClientBase, Stored, table=True):
    """A person, business or corporate the relationship manager looks after."""

    __table_args__ = (
        *table_checks(ClientBase),
        Index("ix_client_name_nocase", text("name COLLATE NOCASE")),
        Index("ix_client_archived_status", "archived", "status"),
        # The archived clients alone, in which Today's counts look up an item's client.
        Index(
            "ix_client_archived_id",
            "id",
            sqlite_where=text("archived"),
            postgresql_where=text("archived"),
        ),
        Index("ix_client_since_until", "client_since", "client_until"),
        Index("ix_client_created_on", "created_on", "client_since"),
        Index("ix_client_owner_archived", "owner", "archived"),
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
        Index(
            "ix_client_household_checkin_due",
            text(household_checkin_due_sql("")),
            "tier",
            "name",
            "archived",
            "client_since",
            "client_until",
            "last_contact_on",
            "household_contact_on",
            "shared_household_id",
        ),
        # With the columns a week's birthdays are listed with, so that it covers them.
        Index(
            "ix_client_birthday_month_day",
            text(birthday_month_day_sql("")),
            "archived",
            "name",
            "birthday",
            "tier",
        ),
        # With the columns the day is computed from, so that it covers the agenda's reviews.
        Index(
            "ix_client_review_due",
            text(review_due_sql("")),
            "tier",
            "name",
            "archived",
            "client_since",
            "client_until",
            "last_review_on",
            "last_meeting_on",
            "review_every_months",
        ),
    )

    # Kept by the book's triggers from the client's interactions, never imported.
    last_contact_on: date | None = Field(default=None, index=True)
    # Kept by the book's triggers: the latest last contact of the client's household when it
    # shares check-ins (rules.checkin_contact_sql), else None; never imported.
    household_contact_on: date | None = Field(default=None, index=True)
    # Kept by the book's triggers: the client's household when it shares check-ins, else None.
    shared_household_id: int | None = None
    # Kept by the book's triggers: the day of the client's latest interaction logged as a
    # review, and of their latest meeting (rules.MEETING_KINDS); never imported.
    last_review_on: date | None = None
    last_meeting_on: date | None = None


class InteractionBase(SQLModel):
    """A contact with a client: when, how, about what."""

    client_id: int = client_ref(index=False)
    at: datetime = Field(sa_type=DateTime)
    kind: Annotated[str, Choice(INTERACTION_KINDS, N_("The kind of interaction"))] = "call"
    direction: Annotated[str, Choice(DIRECTIONS, N_("The direction"))] = "out"
    subject: str = ""
    notes: str | None = None
    duration_min: Annotated[int | None, Range(low=0)] = None
    # The person at a business or corporate client the interaction was with.
    contact_person_id: int | None = Field(
        default=None, foreign_key="contact_person.id", ondelete="SET NULL", index=True
    )
    # A meeting logged as the client's periodic review: their next review counts from it.
    review: bool = False


class Interaction(InteractionBase, Stored, table=True):
    """A call, meeting, e-mail or note with a client."""

    __table_args__ = (
        *table_checks(InteractionBase),
        Index("ix_interaction_client_at", "client_id", "at"),
        Index("ix_interaction_contact", "client_id", "at", sqlite_where=text(is_contact_sql(""))),
        Index("ix_interaction_at", "at"),
    )


class FollowUpBase(SQLModel):
    """Something to do by a date, for a client or for the manager alone."""

    client_id: int | None = Field(default=None, foreign_key="client.id", ondelete="CASCADE")
    title: str
    due_on: date
    status: Annotated[str, Choice(FOLLOW_UP_STATUSES, N_("The status"))] = "open"
    done_on: date | None = None
    priority: Annotated[str, Choice(PRIORITIES, N_("The priority"))] = "normal"
    interaction_id: int | None = Field(
        default=None, foreign_key="interaction.id", ondelete="SET NULL"
    )
    due_at: time | None = None  # the time of day, when it has one
    notes: str | None = None
    # Done, it plans the next one: `every 2 weeks`, `yearly`… (core/repeats.py).
    repeat: Annotated[str | None, Holds.REPEAT] = None


class FollowUp(FollowUpBase, Stored, table=True):
    """Something to do by a date, usually for a client."""

    __tablename__ = "follow_up"
    __table_args__ = (
        *table_checks(FollowUpBase),
        Index(
            "ix_follow_up_status_due_on",
            "status",
            "due_on",
            text(not_high_priority_sql("")),
            "id",
            "client_id",
        ),
        Index("ix_follow_up_client_status_due_on", "client_id", "status", "due_on"),
    )


class OpportunityBase(SQLModel):
    """A deal: what, for how much, in which stage."""

    client_id: int = client_ref()
    title: str
    product: str | None = None
    stage: Annotated[str, Choice(STAGES, N_("The stage"))] = "lead"
    value: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    opened_on: date
    closed_on: date | None = None
    lost_reason: str | None = None
    expected_close_on: date | None = None
    # The chance of winning it in percent; None: its stage's (queries/pipeline_stats.py).
    probability: Annotated[int | None, Range(0, 100, label=N_("The probability"))] = None


class Opportunity(OpportunityBase, Stored, table=True):
    """A possible piece of new business moving through the pipeline."""

    __table_args__ = (
        *table_checks(OpportunityBase),
        # A stage's open deals biggest first (the pipeline's lists).
        Index("ix_opportunity_stage", "stage", "value", "id"),
        Index("ix_opportunity_closed_on", "closed_on"),
        # The totals of the board's stages and of the forecast's months, summed from the
        # indexes alone (migration 0016).
        Index(
            "ix_opportunity_stage_expected_close_on",
            "stage",
            "expected_close_on",
            "value",
            "probability",
            "client_id",
        ),
        Index(
            "ix_opportunity_stage_closed_on",
            "stage",
            "closed_on",
            "value",
            "probability",
            "client_id",
        ),
    )


class RevenueBase(SQLModel):
    """An amount earned from a client on a day."""

    client_id: int = client_ref(index=False)
    on: date
    amount: Decimal = Field(sa_type=Money)
    kind: Annotated[str, Choice(REVENUE_KINDS, N_("The kind of revenue"))] = "fee"
    description: str | None = None


class Revenue(RevenueBase, Stored, table=True):
    """Money earned from a client on a day."""

    __table_args__ = (
        *table_checks(RevenueBase),
        Index("ix_revenue_on", "on"),
        # A client's revenue of a period, summed from the index alone (the agenda's urgency).
        Index("ix_revenue_client_on", "client_id", "on", "amount"),
    )


class HoldingBase(SQLModel):
    """The value of one of a client's accounts on a day."""

    client_id: int = client_ref(index=False)
    account: str
    as_of: date
    value: Decimal = Field(sa_type=Money)


class Holding(HoldingBase, Stored, table=True):
    """A dated value snapshot of one of a client's accounts."""

    __table_args__ = (Index("ix_holding_client_account_as_of", "client_id", "account", "as_of"),)


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
# A client's assets on a day (the snapshots not yet replaced then) from the index alone.
Index(
    "ix_holding_client_in_effect",
    HOLDING_TABLE.c.client_id,
    HOLDING_TABLE.c.superseded_on,
    HOLDING_TABLE.c.as_of,
    HOLDING_TABLE.c.value,
)


class FinancialGoalBase(SQLModel):
    """An amount a client wants to reach, by a date when one is given."""

    client_id: int = client_ref()
    title: str
    target_amount: Decimal = Field(sa_type=Money)
    target_date: date | None = None
    current_amount: Decimal = Field(default=Decimal("0.00"), sa_type=Money)


class FinancialGoal(FinancialGoalBase, Stored, table=True):
    """A client's financial goal: an amount to reach by a date."""

    __tablename__ = "financial_goal"


class SurveyBase(SQLModel):
    """A client's answer to a satisfaction survey: CSAT 1–5, NPS 0–10, either or both."""

    client_id: int = client_ref(index=False)
    on: date
    csat: Annotated[int | None, Range(1, 5, label=N_("A CSAT score"), check="csat_range")] = None
    nps: Annotated[int | None, Range(0, 10, label=N_("An NPS score"), check="nps_range")] = None
    comment: str | None = None


class Survey(SurveyBase, Stored, table=True):
    """A satisfaction survey answered by a client."""

    __table_args__ = (
        *table_checks(SurveyBase),
        Index("ix_survey_on", "on"),
        # A client's last survey and its NPS, read from the index alone (the agenda's urgency).
        Index("ix_survey_client_on", "client_id", "on", "nps"),
    )


class CaseBase(SQLModel):
    """A client's request or complaint and its deadline."""

    client_id: int = client_ref()
    kind: Annotated[str, Choice(CASE_KINDS, N_("The kind of case"))] = "request"
    subject: str
    opened_on: date
    due_on: Annotated[date, NotBefore("opened_on")]
    resolved_on: date | None = None
    resolution: str | None = None
    # The clock the deadline was set by (a preset of the book's settings, core/case_clocks.py)
    # and whether it counts business days (weekends and the country's public holidays off).
    clock: str | None = None
    business_days: bool = False
    extension_reason: str | None = None  # why the deadline was extended, when it was


class Case(CaseBase, Stored, table=True):
    """A client's request or complaint, with a deadline."""

    __tablename__ = "case"
    __table_args__ = (
        *table_checks(CaseBase),
        Index(
            "ix_case_resolved_on_due_on",
            *("resolved_on", "due_on", "id", "business_days", "client_id"),
        ),
    )


class TargetBase(SQLModel):
    """What the relationship manager aims at for one KPI over a period."""

    # Not checked in the table: a new KPI needs no new schema.
    metric: Annotated[str, Choice(KPI_KEYS, N_("The KPI of a target"), in_table=False)]
    period_start: date
    period_end: Annotated[date, NotBefore("period_start")]
    target: Decimal = Field(sa_type=Money)


class Target(TargetBase, Stored, table=True):
    """The relationship manager's target for one KPI over a period."""

    __table_args__ = (Index("ix_target_metric_period", "metric", "period_start", "period_end"),)


class ContactPointBase(SQLModel):
    """One of a client's e-mail addresses or phone numbers, with its label."""

    client_id: int = client_ref(index=False)
    kind: Annotated[str, Choice(CONTACT_KINDS, N_("The kind of contact point"))] = "email"
    value: str
    label: str | None = None  # work, home, mobile...
    preferred: bool = False


class ContactPoint(ContactPointBase, Stored, table=True):
    """An e-mail address or phone number of a client; the preferred one of each kind is also
    the client's `email` or `phone`."""

    __tablename__ = "contact_point"
    __table_args__ = (
        *table_checks(ContactPointBase),
        Index("ix_contact_point_client_kind", "client_id", "kind"),
    )


class HouseholdBase(SQLModel):
    """A family or other group of clients looked after together."""

    name: str
    # A check-in with one member counts for every member, so the agenda asks once.
    shared_checkin: bool = True


class Household(HouseholdBase, Stored, table=True):
    """A household: clients looked after together, each member with a role."""


class HouseholdMemberBase(SQLModel):
    """A client's place in a household; a client is in at most one."""

    household_id: int = Field(foreign_key="household.id", ondelete="CASCADE", index=True)
    client_id: int = client_ref(index=False)
    role: Annotated[str, Choice(HOUSEHOLD_ROLES, N_("The member's role"))] = "other"


class HouseholdMember(HouseholdMemberBase, Stored, table=True):
    """A member of a household and their role in it."""

    __tablename__ = "household_member"
    __table_args__ = (
        *table_checks(HouseholdMemberBase),
        Index("ix_household_member_client", "client_id", unique=True),
    )


class ContactPersonBase(SQLModel):
    """A person at a business or corporate client: who they are and how to reach them."""

    client_id: int = client_ref()
    name: str
    role: str | None = None  # free text: CFO, owner, treasurer...
    email: Annotated[str | None, Holds.EMAIL] = None
    phone: str | None = None
    decision_maker: bool = False
    notes: str | None = None


class ContactPerson(ContactPersonBase, Stored, table=True):
    """Someone the relationship manager deals with at a business or corporate client."""

    __tablename__ = "contact_person"


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
    # Who made the change (people.session_user); None for changes made before it was kept.
    user_name: str | None = None


def _owner() -> Column:  # type: ignore[type-arg]
    """The owner of the clients a roll-up's row adds up ('' for everyone's; migration 0017)."""
    return Column("owner", String, primary_key=True)


def _day_table(name: str, *counts: str) -> Table:
    """A roll-up with a row per day and owner holding whole numbers (migrations 0002 and
    0010 say what each is, 0017 why by owner)."""
    columns = [Column(count, Integer, nullable=False) for count in counts]
    return Table(
        name,
        SQLModel.metadata,
        Column("on", Date, primary_key=True),
        _owner(),
        *columns,
        sqlite_with_rowid=False,
    )


# Daily roll-ups kept by triggers for the KPIs: never written by the app, not interchanged.
REVENUE_DAY = Table(
    "revenue_day",
    SQLModel.metadata,
    Column("on", Date, primary_key=True),
    _owner(),
    Column("amount", Money(), nullable=False),
    Column("entries", Integer, nullable=False),
    sqlite_with_rowid=False,
)
CONTACT_DAY = _day_table("contact_day", "contacts")
# The public holidays of a country, copied from the `holidays` package a year at a time when
# a business-day clock first needs them, so that the agenda counts business days with sqlite3
# alone (core/public_holidays.py). Not interchanged.
PUBLIC_HOLIDAY = Table(
    "public_holiday",
    SQLModel.metadata,
    Column("country", String, primary_key=True),
    Column("on", Date, primary_key=True),
    Column("name", String, nullable=False),
    sqlite_with_rowid=False,
)


# Each client's search text for the client filter (migration 0009), kept by triggers from the
# client, its contact points and its contact persons: never written by the app, not
# interchanged. Its text is folded (core/search_text.py): the client's own; its other contact
# points and its contact persons' e-mail and phone; its contact persons' names and roles; and
# the national numbers of its phone numbers, each after a space.
CLIENT_SEARCH_TEXT = Table(
    "client_search_text",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True),
    *(Column(name, String) for name in SEARCH_TEXT_COLUMNS),
)


CLIENT_DAY = _day_table(
    "client_day", "new_clients", "lost_clients", "starts", "ends", "leads", "referred_new"
)
CLIENT_SPAN = Table(
    "client_span",
    SQLModel.metadata,
    Column("kind", String, primary_key=True),  # "active" (since..until) or "lead" (created..since)
    Column("start_on", Date, primary_key=True),
    _owner(),
    Column("end_on", Date, primary_key=True),
    Column("clients", Integer, nullable=False),
    sqlite_with_rowid=False,
)
# How many clients there are, archived or not, by owner (`everyone`: no owner, `owner` then
# ''), kept by triggers (migration 0016) for the client list's count: never written by the app,
# not interchanged.
CLIENT_COUNT = Table(
    "client_count",
    SQLModel.metadata,
    Column("archived", Boolean, primary_key=True),
    Column("everyone", Boolean, primary_key=True),
    Column("owner", String, primary_key=True),
    Column("clients", Integer, nullable=False),
    sqlite_with_rowid=False,
)
CONTACTED_DAY = _day_table("contacted_day", "clients")
CONTACT_SPAN = Table(
    "contact_span",
    SQLModel.metadata,
    Column("start_on", Date, primary_key=True),
    _owner(),
    Column("end_on", Date, primary_key=True),
    Column("clients", Integer, nullable=False),
    sqlite_with_rowid=False,
)
COVERAGE_DAY = _day_table("coverage_day", "change")
ASSETS_DAY = _day_table("assets_day", "change")  # in cents
SURVEY_DAY = _day_table(
    "survey_day", "surveys", "csat_total", "csat_answers", "nps_answers", "promoters", "detractors"
)
DEAL_DAY = _day_table("deal_day", "won", "lost")
CASE_DAY = _day_table("case_day", "resolved", "on_time")
# The deals by stage, day (an open deal's expected close day, a won or lost one's closing day,
# NO_DEAL_DAY for none) and whether their client is archived: how many, their value in cents
# and their weighted value in cents × percent, kept by triggers (migration 0018) for the
# pipeline board, its win rate and the forecast: never written by the app, not interchanged.
PIPELINE_DAY = Table(
    "pipeline_day",
    SQLModel.metadata,
    Column("stage", String, primary_key=True),
    Column("on", Date, primary_key=True),
    Column("archived", Boolean, primary_key=True),
    Column("deals", Integer, nullable=False),
    Column("value", Integer, nullable=False),
    Column("weighted", Integer, nullable=False),
    sqlite_with_rowid=False,
)
NO_DEAL_DAY = date(9999, 12, 31)


class TrashEntry(SQLModel, table=True):
    """A deleted record and the rows deleted with it, kept KEPT_FOR days (core/trash.py)."""

    __tablename__ = "trash"
    # AUTOINCREMENT: an entry's number, which the user types to restore it, is never reused.
    __table_args__ = (Index("ix_trash_deleted_at", "deleted_at"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    deleted_at: datetime = Field(sa_type=DateTime)
    entity: str  # the table of the record deleted
    entity_id: int
    client_id: int | None = Field(default=None, index=True)  # the client it was, or was of
    what: str  # the record as the user knows it
    rows: dict[str, list[dict[str, object]]] = Field(default_factory=dict, sa_type=JSON)
    links: list[list[object]] = Field(default_factory=list, sa_type=JSON)


# Columns the book's triggers keep from other rows: never written by the app or restored.
MAINTAINED_COLUMNS = frozenset(
    {
        "last_contact_on",
        "household_contact_on",
        "shared_household_id",
        "superseded_on",
        "last_review_on",
        "last_meeting_on",
    }
)

ENTITIES: dict[str, type[SQLModel]] = {
    "clients": Client,
    # Before the interactions that name them.
    "contact_persons": ContactPerson,
    "interactions": Interaction,
    "follow_ups": FollowUp,
    "opportunities": Opportunity,
    "revenue": Revenue,
    "holdings": Holding,
    "financial_goals": FinancialGoal,
    "surveys": Survey,
    "cases": Case,
    "targets": Target,
    "contact_points": ContactPoint,
    "households": Household,
    "household_members": HouseholdMember,
}
