"""The rules of the book (PRODUCT.md, "KPIs"), each written once: as SQL text and in Python."""

# The SQL of each rule is plain text with named placeholders, so the agenda can run it with the
# standard library's sqlite3 before SQLAlchemy is loaded (README, "Start-up"); SQLAlchemy, loaded
# only inside the functions that need it, runs the same text. Each SQL function takes the prefix
# its columns are read with: "c." for an alias, "client." for the table, "" inside the table's
# own index definitions, or "+client." to keep SQLite from reading them through an index.
#   :day            the day the rule is asked about (ISO date text)
#   :next_midnight  the start of the next day (see next_midnight_text)

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

# The check-in cadence a client gets from their tier, in days, unless one of their own is set.
CADENCE_BY_TIER = {"A": 30, "B": 90, "C": 180}


# -- the next day ------------------------------------------------------------------------------


def start_of_next_day(day: date) -> datetime:
    """Midnight at the end of `day`: a time before it is on or before `day`."""
    return datetime.combine(day + timedelta(days=1), time.min)


def next_midnight_text(day: date) -> str:
    """start_of_next_day as SQLite holds a time (`2026-11-30 00:00:00.000000`)."""
    return start_of_next_day(day).isoformat(" ", "microseconds")


def day_params(day: date) -> dict[str, str]:
    """The values of the rules' placeholders for `day`, for running their SQL with sqlite3."""
    return {"day": day.isoformat(), "next_midnight": next_midnight_text(day)}


# -- active on a day ---------------------------------------------------------------------------


def is_active_on(day: date, since: date | None, until: date | None) -> bool:
    """A client is active on `day`: a client since then (`since`) and not ended (`until`)."""
    return since is not None and since <= day and (until is None or until > day)


def active_on_sql(client: str = "client.") -> str:
    """SQL: the client is active on :day (see is_active_on)."""
    return f"{client}client_since <= :day AND {not_ended_by_sql(client)}"


def not_ended_by_sql(client: str = "client.") -> str:
    """SQL: the client's relationship had not ended by :day."""
    return f"({client}client_until IS NULL OR {client}client_until > :day)"


def active_on(day: date, *, client: str = "client.") -> ColumnElement[bool]:
    """SQLAlchemy: the client is active on `day` (see active_on_sql)."""
    return _boolean(active_on_sql(client), day=day)


def not_ended_by(day: date, *, client: str = "client.") -> ColumnElement[bool]:
    """SQLAlchemy: the client's relationship had not ended by `day`."""
    return _boolean(not_ended_by_sql(client), day=day)


# -- contacts ----------------------------------------------------------------------------------


def is_contact_sql(interaction: str = "interaction.") -> str:
    """SQL: the interaction is a contact, of any kind but a note. The kind is written literally
    so that SQLite can use ix_interaction_contact, whose condition this is."""
    return f"{interaction}kind != 'note'"


def is_contact(*, interaction: str = "interaction.") -> ColumnElement[bool]:
    """SQLAlchemy: the interaction is a contact (see is_contact_sql)."""
    return _boolean(is_contact_sql(interaction))


# -- last contact as of a day ------------------------------------------------------------------


def last_contact_as_of_sql(client: str = "client.") -> str:
    """SQL: the date of the client's latest contact on or before :day (NULL when none).

    The maintained `last_contact_on` is the latest contact of all time, so it is the answer
    whenever it is not after :day; only otherwise is the contact index consulted.
    """
    stored = f"{client}last_contact_on"
    return (
        f"CASE WHEN {stored} IS NULL THEN NULL WHEN {stored} <= :day THEN {stored}"
        f" ELSE {_latest_contact_before_sql(client)} END"
    )


def _latest_contact_before_sql(client: str) -> str:
    """SQL: the date of the client's latest contact before :next_midnight."""
    return (
        "(SELECT date(max(i.at)) FROM interaction AS i"
        f" WHERE i.client_id = {client}id AND {is_contact_sql('i.')} AND i.at < :next_midnight)"
    )


def last_contact_as_of(day: date, *, client: str = "client.") -> ColumnElement[date | None]:
    """SQLAlchemy: the client's last contact on or before `day` (see last_contact_as_of_sql)."""
    from sqlalchemy import Date

    sql = last_contact_as_of_sql(client)
    return _expression(sql, Date(), day=day, next_midnight=start_of_next_day(day))


# -- the check-in cadence ----------------------------------------------------------------------


def cadence_of(every_days: int | None, tier: str) -> int:
    """A client's check-in cadence in days: their own (`every_days`), else their tier's."""
    return every_days if every_days is not None else CADENCE_BY_TIER[tier]


def cadence_sql(client: str = "client.") -> str:
    """SQL: the client's check-in cadence in days (see cadence_of)."""
    by_tier = " ".join(f"WHEN '{tier}' THEN {days}" for tier, days in CADENCE_BY_TIER.items())
    return f"coalesce({client}checkin_every_days, CASE {client}tier {by_tier} END)"


def cadence(*, client: str = "client.") -> ColumnElement[int]:
    """SQLAlchemy: the client's check-in cadence in days (see cadence_sql)."""
    from sqlalchemy import Integer

    return _expression(cadence_sql(client), Integer())


# -- due for a check-in ------------------------------------------------------------------------


def checkin_counts_from(last_contact: date | None, since: date | None) -> date | None:
    """The day a client's check-in cadence counts from: their last contact, or the day they
    became a client (`since`) when there is none."""
    return last_contact or since


def checkin_due_on(last_contact: date | None, since: date | None, cadence: int) -> date | None:
    """The day a client's check-in falls due: `cadence` days after checkin_counts_from; None
    when there is no day to count from."""
    base = checkin_counts_from(last_contact, since)
    return None if base is None else base + timedelta(days=cadence)


class CheckinFacts(Protocol):
    """What a client's check-in state is worked out from: a Client, or a client read with
    sqlite3."""

    @property
    def last_contact_on(self) -> date | None: ...  # the maintained latest contact
    @property
    def client_since(self) -> date | None: ...
    @property
    def client_until(self) -> date | None: ...
    @property
    def checkin_every_days(self) -> int | None: ...
    @property
    def tier(self) -> str: ...
    @property
    def archived(self) -> bool: ...


class DueState(NamedTuple):
    """Where a client stands with check-ins on a day (PRODUCT.md "due for a check-in")."""

    last_contact_on: date | None
    days_since: int | None  # since last contact, or since client_since when never contacted
    cadence: int
    due_on: date | None  # the day the next check-in is due; None when not an active client
    overdue: bool  # due for a check-in on the day
    days_overdue: int


def client_due_state(
    client: CheckinFacts, *, day: date, last_contact_on: date | None = None
) -> DueState:
    """Where `client` stands with check-ins on `day`.

    The client's maintained last contact is used; when it lies after `day`, pass the last
    contact on `day` as `last_contact_on` (see `last_contact_as_of_sql`).
    """
    last = client.last_contact_on
    if last is not None and last > day:
        last = last_contact_on
    base = checkin_counts_from(last, client.client_since)
    days_since = None if base is None else (day - base).days
    cadence = cadence_of(client.checkin_every_days, client.tier)
    due_on = checkin_due_on(last, client.client_since, cadence)
    if due_on is None or not is_active_on(day, client.client_since, client.client_until):
        return DueState(last, days_since, cadence, None, False, 0)
    overdue = not client.archived and due_on <= day
    days_overdue = (day - due_on).days if overdue else 0
    return DueState(last, days_since, cadence, due_on, overdue, days_overdue)


def checkin_due_sql(client: str = "client.") -> str:
    """SQL: the Julian day the client's check-in falls due (see checkin_due_on), counting from
    the stored last contact: the expression ix_client_checkin_due is built on."""
    since = f"coalesce({client}last_contact_on, {client}client_since)"
    return f"julianday({since}) + {cadence_sql(client)}"


def due_for_checkin_sql(client: str = "client.") -> str:
    """SQL: the client's check-in has fallen due by :day. (Due for a check-in is this for an
    active client, not archived, whose last contact is the stored one.)"""
    return f"{checkin_due_sql(client)} <= julianday(:day)"


def checkin_contact_sql(client: str = "client.") -> str:
    """SQL: the contact a client's check-in counts from on the agenda: their household's
    latest contact when the household shares check-ins (the maintained household_contact_on,
    never before their own), else their own last contact."""
    return f"coalesce({client}household_contact_on, {client}last_contact_on)"


def household_checkin_due_sql(client: str = "client.") -> str:
    """SQL: the Julian day the client's check-in falls due on the agenda, counting from
    checkin_contact_sql: the expression ix_client_household_checkin_due is built on."""
    since = f"coalesce({client}household_contact_on, {client}last_contact_on, {client}client_since)"
    return f"julianday({since}) + {cadence_sql(client)}"


def shared_household_sql(client: str = "client.") -> str:
    """SQL: the id of the client's household when it shares check-ins (a check-in with one
    member counts for all, and the agenda asks once), else NULL: kept by the book's
    triggers."""
    return f"{client}shared_household_id"


def household_contact_as_of_sql(household: str) -> str:
    """SQL: the latest contact on or before :day of any member of `household` (an id)."""
    return (
        f"(SELECT max({last_contact_as_of_sql('m.')}) FROM household_member AS o"
        f" JOIN client AS m ON m.id = o.client_id WHERE o.household_id = {household})"
    )


def checkin_due(*, client: str = "client.") -> ColumnElement[float]:
    """SQLAlchemy: the Julian day the client's check-in falls due (see checkin_due_sql)."""
    from sqlalchemy import Float

    return _expression(checkin_due_sql(client), Float())


# -- reviews ---------------------------------------------------------------------------------

# Months between a client's periodic reviews by tier, unless one of their own is set (Slant).
REVIEW_MONTHS_BY_TIER = {"A": 6, "B": 12, "C": 24}
# The kinds of interaction that are meetings: a review counts from the latest one when no
# interaction was logged as a review.
MEETING_KINDS = ("meeting", "video", "visit")


def review_cadence_of(every_months: int | None, tier: str) -> int:
    """A client's review cadence in months: their own (`every_months`), else their tier's."""
    return every_months if every_months is not None else REVIEW_MONTHS_BY_TIER[tier]


def review_counts_from(
    last_review: date | None, last_meeting: date | None, since: date | None
) -> date | None:
    """The day a client's next review counts from: their last meeting logged as a review,
    else their last meeting, else the day they became a client (Slant's rule)."""
    return last_review or last_meeting or since


def review_due_on(base: date | None, months: int) -> date | None:
    """The day a review falls due: `months` after `base`, on the same day of the month or the
    last day of a shorter month (review_due_sql says the same in SQL)."""
    if base is None:
        return None
    from dateutil.relativedelta import relativedelta

    return base + relativedelta(months=months)


def next_review_on(
    *,
    last_review: date | None,
    last_meeting: date | None,
    since: date | None,
    every_months: int | None,
    tier: str,
) -> date | None:
    """The day a client's next review falls due (Slant's rule, as review_due_sql)."""
    base = review_counts_from(last_review, last_meeting, since)
    return review_due_on(base, review_cadence_of(every_months, tier))


def review_cadence_sql(client: str = "client.") -> str:
    """SQL: the client's review cadence in months (see review_cadence_of)."""
    by_tier = " ".join(f"WHEN '{tier}' THEN {n}" for tier, n in REVIEW_MONTHS_BY_TIER.items())
    return f"coalesce({client}review_every_months, CASE {client}tier {by_tier} END)"


def review_due_sql(client: str = "client.") -> str:
    """SQL: the ISO day the client's next review falls due (see review_due_on), counting from
    the maintained last review and last meeting: the expression ix_client_review_due is built
    on. The same day of the month `months` later, or that month's last day when it is shorter
    (SQLite's own '+N months' would run over into the next month)."""
    base = f"coalesce({client}last_review_on, {client}last_meeting_on, {client}client_since)"
    months = review_cadence_sql(client)
    same_day = (
        f"date({base}, 'start of month', '+' || {months} || ' months',"
        f" '+' || (CAST(strftime('%d', {base}) AS INTEGER) - 1) || ' days')"
    )
    month_end = f"date({base}, 'start of month', '+' || ({months} + 1) || ' months', '-1 day')"
    return f"min({same_day}, {month_end})"


def meeting_sql(interaction: str = "interaction.") -> str:
    """SQL: the interaction is a meeting (see MEETING_KINDS)."""
    kinds = ", ".join(f"'{kind}'" for kind in MEETING_KINDS)
    return f"{interaction}kind IN ({kinds})"


# -- surveys -----------------------------------------------------------------------------------

DETRACTOR_NPS = 6  # an NPS answer of at most this is a detractor's (PRODUCT.md, "nps")


def last_survey_detractor_sql(client: str = "client.") -> str:
    """SQL: 1 when the client's last survey on or before :day gave an NPS of DETRACTOR_NPS or
    less, else 0."""
    return (
        f"coalesce((SELECT CAST(s.nps <= {DETRACTOR_NPS} AS INTEGER) FROM survey AS s"
        f' WHERE s.client_id = {client}id AND s."on" <= :day'
        ' ORDER BY s."on" DESC, s.id DESC LIMIT 1), 0)'
    )


# -- deals and holdings ------------------------------------------------------------------------

# The stages a deal ends in; in any other it is open.
CLOSED_STAGES = ("won", "lost")


def open_deal_sql(opportunity: str = "opportunity.") -> str:
    """SQL: the deal is open: in none of CLOSED_STAGES."""
    closed = ", ".join(f"'{stage}'" for stage in CLOSED_STAGES)
    return f"{opportunity}stage NOT IN ({closed})"


def holding_in_effect_sql(holding: str = "holding.") -> str:
    """SQL: the snapshot is its account's value on :day: taken on or before it and not
    replaced by then (superseded_on, kept by the book's triggers, is the day a later one of
    the same account was taken)."""
    return f"{holding}as_of <= :day AND {holding}superseded_on > :day"


# -- birthdays ---------------------------------------------------------------------------------


def birthday_month_day_sql(client: str = "client.") -> str:
    """SQL: the month and day of the client's birthday (`MM-DD`), as
    ix_client_birthday_month_day is built on."""
    return f"strftime('%m-%d', {client}birthday)"


def not_high_priority_sql(follow_up: str = "follow_up.") -> str:
    """SQL: the follow-up is not of high priority (0 for high: a day's follow-ups are listed
    high priority first), as ix_follow_up_status_due_on holds it after the due day."""
    return f"({follow_up}priority <> 'high')"


# -- SQL text as SQLAlchemy expressions --------------------------------------------------------


def _boolean(sql: str, **values: Any) -> ColumnElement[bool]:
    from sqlalchemy import Boolean

    return _expression(sql, Boolean(), **values)


def _expression(sql: str, type_: Any, **values: Any) -> ColumnElement[Any]:
    """`sql` as an expression of `type_`, each placeholder bound to its value under a name of
    its own, so that a statement may hold the same rule for different days."""
    from sqlalchemy import BindParameter, bindparam, text, type_coerce

    params: list[BindParameter[Any]] = [
        bindparam(name, value, unique=True) for name, value in values.items()
    ]
    return type_coerce(text(sql).bindparams(*params), type_)
