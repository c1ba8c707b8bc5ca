"""The KPIs of PRODUCT.md for a period, each computed by a few SQL aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    ScalarSelect,
    Select,
    Table,
    and_,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from rmtui.core.figures import count_text, mean_text, percent_text, total_text
from rmtui.core.models import (
    CONTACT_DAY,
    HOLDING_TABLE,
    KPI_KEYS,
    NOT_SUPERSEDED,
    REVENUE_DAY,
    Case,
    Client,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
    Target,
)
from rmtui.core.money import from_cents, money_text
from rmtui.core.periods import Period, compared_period, previous_period, so_far
from rmtui.core.rules import (
    active_on,
    cadence,
    checkin_due,
    is_contact,
    last_contact_as_of,
    not_ended_by,
    start_of_next_day,
)

# Extra keys of compute_kpis (not in KPI_KEYS, not in `rmtui kpi --json`): how many survey
# answers csat and nps rest on, so a screen can warn when a figure rests on too few.
SAMPLE_KEYS = ("csat_responses", "nps_responses")

CLIENT: Table = Client.__table__  # type: ignore[attr-defined]
INTERACTION: Table = Interaction.__table__  # type: ignore[attr-defined]
REVENUE: Table = Revenue.__table__  # type: ignore[attr-defined]
SURVEY: Table = Survey.__table__  # type: ignore[attr-defined]
OPPORTUNITY: Table = Opportunity.__table__  # type: ignore[attr-defined]
CASE: Table = Case.__table__  # type: ignore[attr-defined]
HOLDING: Table = HOLDING_TABLE
TARGET: Table = Target.__table__  # type: ignore[attr-defined]
# Up to this many clients last contacted after a period's end are found through the index on
# last_contact_on; more are read from the client table in order (see _client_columns).
FEW_CONTACTED_AFTER = 2000
# Looking up one client's contacts in the contact index costs about as much as reading three
# contacts of a period in date order: clients_contacted does whichever costs less.
LOOKUPS_PER_CONTACT_READ = 3


@dataclass(frozen=True)
class KpiInfo:
    """How to present one KPI: label, definition, kind of figure and which way is good."""

    label: str
    definition: str
    kind: str  # "count" | "percent" | "money" | "mean" | "score" (NPS, from -100 to 100)
    higher_is_better: bool = True
    sample_key: str | None = None  # the compute_kpis key holding how many answers it rests on
    paced: bool = False  # a count or sum that grows over the period: a target is judged by pace


KPI_INFO: dict[str, KpiInfo] = {
    "clients_start": KpiInfo(
        "Clients at start", "Clients you had on the day before the period began.", "count"
    ),
    "retained": KpiInfo(
        "Retained", "Of the clients at the start, those still clients at the end.", "count"
    ),
    "retention_rate": KpiInfo(
        "Retention", "Share of the clients at the start still clients at the end.", "percent"
    ),
    "new_clients": KpiInfo(
        "New clients", "Clients who became clients during the period.", "count", paced=True
    ),
    "lost_clients": KpiInfo(
        "Lost clients",
        "Clients whose relationship ended during the period.",
        "count",
        higher_is_better=False,
        paced=True,
    ),
    "revenue": KpiInfo("Revenue", "Revenue booked during the period.", "money", paced=True),
    "revenue_previous": KpiInfo(
        "Revenue before", "Revenue of the period it is compared with.", "money"
    ),
    "revenue_growth": KpiInfo(
        "Revenue growth", "Change in revenue against the period it is compared with.", "percent"
    ),
    "csat": KpiInfo(
        "CSAT",
        "Average satisfaction score (1 to 5) of surveys answered in the period.",
        "mean",
        sample_key="csat_responses",
    ),
    "nps": KpiInfo(
        "NPS",
        "A score from -100 to 100: the share of promoters (9-10) minus the share of detractors "
        "(0-6) among survey answers in the period.",
        "score",
        sample_key="nps_responses",
    ),
    "pipeline_conversion": KpiInfo(
        "Pipeline won", "Share of opportunities closed in the period that were won.", "percent"
    ),
    "lead_conversion": KpiInfo(
        "Lead conversion",
        "Share of leads and prospects added in the period who have become clients.",
        "percent",
    ),
    "cases_on_time": KpiInfo(
        "Cases on time",
        "Share of requests and complaints resolved in the period by their deadline.",
        "percent",
    ),
    "interactions": KpiInfo(
        "Contacts",
        "Calls, meetings, e-mails and other contacts (not notes) in the period.",
        "count",
        paced=True,
    ),
    "clients_contacted": KpiInfo(
        "Clients contacted",
        "Different clients you were in contact with in the period.",
        "count",
        paced=True,
    ),
    "checkin_coverage": KpiInfo(
        "Check-in coverage",
        "Share of clients at the end of the period contacted within their check-in cadence.",
        "percent",
    ),
    "aum": KpiInfo(
        "Assets",
        "Latest value of the accounts of clients at the end of the period.",
        "money",
    ),
    "referral_share": KpiInfo(
        "Referral share",
        "Share of the new clients of the period who were referred by another client.",
        "percent",
    ),
}


def compute_kpis(
    *, session: Session, start: date, end: date, today: date | None = None
) -> dict[str, Any]:
    """Every KPI for `start`..`end` (inclusive) plus `from`, `to`, `previous_from`,
    `previous_to` and the SAMPLE_KEYS counts.

    Given `today`, a period that has not ended is computed to date, from `start` to `today`,
    and its revenue compared with as many days from the start of the period before
    (periods.compared_period); `to` is then `today`.
    Counts are int, percentages and means float (None when the denominator is 0), money Decimal.
    """
    period = Period(start, end)
    before = previous_period(period) if today is None else compared_period(period, today)
    if today is not None:
        start, end = so_far(period, today).start, so_far(period, today).end
    kpis: dict[str, Any] = {
        "from": start,
        "to": end,
        "previous_from": before.start,
        "previous_to": before.end,
    }
    kpis.update(_client_kpis(session, start, end))
    kpis.update(_revenue_kpis(session, start, end, before))
    kpis.update(_survey_kpis(session, start, end))
    kpis["pipeline_conversion"] = _pipeline_conversion(session, start, end)
    kpis["cases_on_time"] = _cases_on_time(session, start, end)
    later = _contacted_after(session, end)
    kpis.update(_contact_kpis(session, start, end, later))
    kpis["checkin_coverage"] = _checkin_coverage(session, end, later)
    kpis["aum"] = _aum(session, end)
    return kpis


def kpi_sample_sizes(*, session: Session, start: date, end: date) -> dict[str, int]:
    """How many surveys in `start`..`end` answered csat and nps (the SAMPLE_KEYS)."""
    sizes = _survey_kpis(session, start, end)
    return {key: sizes[key] for key in SAMPLE_KEYS}


def kpis_json(kpis: dict[str, Any]) -> dict[str, Any]:
    """The KPIs for `rmtui kpi --json`: ISO dates, money as decimal strings, ratios or null."""
    out: dict[str, Any] = {
        key: kpis[key].isoformat() for key in ("from", "to", "previous_from", "previous_to")
    }
    for key in KPI_KEYS:
        value = kpis[key]
        out[key] = money_text(value) if isinstance(value, Decimal) else value
    return out


def targets_for(*, session: Session, start: date, end: date) -> dict[str, Decimal]:
    """The target of each metric set for exactly the period `start`..`end`."""
    query = (
        select(TARGET.c.metric, TARGET.c.target)
        .where(TARGET.c.period_start == start, TARGET.c.period_end == end)
        .order_by(TARGET.c.id)
    )
    return {metric: target for metric, target in session.execute(query)}


def ratio(part: int | Decimal, whole: int | Decimal | None) -> float | None:
    """100 * part / whole, or None when `whole` is 0 or missing."""
    if not whole:
        return None
    return float(Decimal(100) * Decimal(part) / Decimal(whole))


def _count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count().filter(condition)


def _between(column: Any, start: date, end: date) -> ColumnElement[bool]:
    return and_(column >= start, column <= end)


def _client_kpis(session: Session, start: date, end: date) -> dict[str, Any]:
    """clients_start, retained, retention_rate, new_clients, lost_clients, lead_conversion,
    referral_share.

    Each count reads one range of a client index (since/until, until, created_on).
    """
    eve = start - timedelta(days=1)
    since, until, created = CLIENT.c.client_since, CLIENT.c.client_until, CLIENT.c.created_on
    was_lead = or_(since.is_(None), since > created)
    query = select(
        _count(active_on(eve)),
        _count(active_on(eve), not_ended_by(end)),
        _count(_between(since, start, end)),
        _count(_between(until, start, end)),
        _count(_between(created, start, end), was_lead),
        _count(_between(created, start, end), was_lead, since <= end),
        _count(_between(since, start, end), CLIENT.c.referred_by_id.is_not(None)),
    )
    at_start, retained, new, lost, leads, converted, referred = session.execute(query).one()
    return {
        "clients_start": at_start,
        "retained": retained,
        "retention_rate": ratio(retained, at_start),
        "new_clients": new,
        "lost_clients": lost,
        "lead_conversion": ratio(converted, leads),
        "referral_share": ratio(referred, new),
    }


def _count(*conditions: ColumnElement[bool]) -> ScalarSelect[int]:
    """SQL: how many clients meet every one of `conditions` (a scalar subquery)."""
    return select(func.count()).select_from(CLIENT).where(*conditions).scalar_subquery()


def _revenue_kpis(session: Session, start: date, end: date, before: Period) -> dict[str, Any]:
    """revenue, revenue_previous (over `before`) and revenue_growth, from the daily roll-up."""
    query = select(_revenue_between(start, end), _revenue_between(before.start, before.end))
    now_cents, before_cents = session.execute(query).one()
    revenue, revenue_previous = from_cents(now_cents), from_cents(before_cents)
    return {
        "revenue": revenue,
        "revenue_previous": revenue_previous,
        "revenue_growth": ratio(revenue - revenue_previous, revenue_previous),
    }


def _revenue_between(start: date, end: date) -> ScalarSelect[int]:
    """SQL: revenue in cents booked from `start` to `end`, from the daily roll-up."""
    cents = func.coalesce(func.sum(type_coerce(REVENUE_DAY.c.amount, Integer)), 0)
    return select(cents).where(_between(REVENUE_DAY.c.on, start, end)).scalar_subquery()


def _survey_kpis(session: Session, start: date, end: date) -> dict[str, Any]:
    """csat, nps and how many answers each rests on."""
    nps = SURVEY.c.nps
    query = select(
        func.avg(SURVEY.c.csat),
        func.count(SURVEY.c.csat),
        func.count(nps),
        _count_where(nps >= 9),
        _count_where(nps <= 6),
    ).where(_between(SURVEY.c.on, start, end))
    csat_mean, csat_count, nps_count, promoters, detractors = session.execute(query).one()
    return {
        "csat": None if csat_mean is None else float(csat_mean),
        "nps": ratio(promoters - detractors, nps_count),
        "csat_responses": csat_count,
        "nps_responses": nps_count,
    }


def _pipeline_conversion(session: Session, start: date, end: date) -> float | None:
    """100 * won / (won + lost) over opportunities closed in the period."""
    stage = OPPORTUNITY.c.stage
    query = select(_count_where(stage == "won"), _count_where(stage == "lost")).where(
        _between(OPPORTUNITY.c.closed_on, start, end)
    )
    won, lost = session.execute(query).one()
    return ratio(won, won + lost)


def _cases_on_time(session: Session, start: date, end: date) -> float | None:
    """100 * cases resolved by their deadline / cases resolved, in the period."""
    resolved_on = CASE.c.resolved_on
    query = select(_count_where(resolved_on <= CASE.c.due_on), func.count()).where(
        _between(resolved_on, start, end)
    )
    on_time, resolved = session.execute(query).one()
    return ratio(on_time, resolved)


def _contacted_after(session: Session, end: date) -> int:
    """How many clients have a stored last contact after `end` (none for a current period)."""
    query = select(func.count()).where(CLIENT.c.last_contact_on > end)
    return int(session.execute(query).scalar_one())


def _client_columns(later: int) -> tuple[Any, str]:
    """last_contact_on, and the prefix to read the other client columns with (see rules), for
    finding the `later` clients whose stored last contact is after a day and looking up each
    one's contacts.

    When more than FEW_CONTACTED_AFTER, the columns are read unindexed, so that SQLite reads
    the client table in id order: the look-ups that follow then go through the contact index
    in order instead of jumping about.
    """
    if later <= FEW_CONTACTED_AFTER:
        return CLIENT.c.last_contact_on, "client."
    return unindexed(CLIENT.c.last_contact_on), "+client."


def unindexed(column: Any) -> ColumnElement[Any]:
    """SQL: `+column`, the column's value that SQLite will not look up through an index."""
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _contact_kpis(session: Session, start: date, end: date, later: int) -> dict[str, int]:
    """interactions (contacts, notes not counted) and clients_contacted in the period;
    `later` clients have a stored last contact after `end`."""
    in_period = _between(CONTACT_DAY.c.on, start, end)
    contacts = session.execute(
        select(func.coalesce(func.sum(CONTACT_DAY.c.contacts), 0)).where(in_period)
    ).scalar_one()
    clients = _clients_contacted(session, start, end, later, contacts) if contacts else 0
    return {"interactions": contacts, "clients_contacted": clients}


def _clients_contacted(session: Session, start: date, end: date, later: int, contacts: int) -> int:
    """Distinct clients among the `contacts` contacts from `start` to `end`.

    A client whose last contact of all time lies in the period was contacted in it; each of
    the `later` ones, last contacted after the period, is looked up in the contact index.
    When reading the period's contacts costs less than those look-ups (a period long past),
    the contacts are read instead.
    """
    if contacts < later * LOOKUPS_PER_CONTACT_READ:
        return int(session.execute(_distinct_contacted(start, end)).scalar_one())
    stored = CLIENT.c.last_contact_on
    last_in_period = select(func.count()).where(_between(stored, start, end)).scalar_subquery()
    earlier = (
        select(func.count())
        .where(stored > end, _contacts_between(start, end).exists())
        .scalar_subquery()
    )
    return int(session.execute(select(last_in_period + earlier)).scalar_one())


def _contacts_between(start: date, end: date) -> Select[Any]:
    """SQL: the client's contacts from `start` to `end` (correlated to CLIENT)."""
    at = INTERACTION.c.at
    return select(INTERACTION.c.id).where(
        INTERACTION.c.client_id == CLIENT.c.id,
        is_contact(),
        at >= datetime.combine(start, time.min),
        at < start_of_next_day(end),
    )


def _distinct_contacted(start: date, end: date) -> Select[Any]:
    """SQL: distinct clients among the contacts from `start` to `end`, read by date."""
    at = INTERACTION.c.at
    return select(func.count(INTERACTION.c.client_id.distinct())).where(
        at >= datetime.combine(start, time.min),
        at < start_of_next_day(end),
        is_contact(),
    )


def rarely(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """SQL: `condition`, marked as rarely true so that SQLite reads it from its index rather
    than from an index on one of the other conditions (the book has no planner statistics)."""
    return func.unlikely(condition)  # type: ignore[no-any-return]


def _checkin_coverage(session: Session, end: date, later: int) -> float | None:
    """100 * clients active on `end` contacted within their cadence / clients active on `end`.

    Clients whose stored last contact is not after `end` are counted from the check-in index
    (contacted within the cadence = not yet due on `end`); the `later` ones, contacted after
    `end`, look up their last contact on `end` in the interaction index.
    """
    stored = CLIENT.c.last_contact_on
    up_to_end = (
        select(func.count())
        .where(rarely(checkin_due() > func.julianday(end.isoformat())), stored <= end)
        .where(active_on(end))
        .scalar_subquery()
    )
    last = last_contact_as_of(end)
    days_since = func.julianday(end.isoformat()) - func.julianday(last)
    stored_later, client = _client_columns(later)
    after_end = (
        select(func.count())
        .where(stored_later > end, active_on(end, client=client))
        .where(days_since < cadence(client=client))
        .scalar_subquery()
    )
    active = select(func.count()).select_from(CLIENT).where(active_on(end)).scalar_subquery()
    covered_before, covered_after, active_count = session.execute(
        select(up_to_end, after_end, active)
    ).one()
    return ratio(covered_before + covered_after, active_count)


def _aum(session: Session, end: date) -> Decimal:
    """Sum over active clients' accounts of the latest holding value on or before `end`.

    A snapshot is the account's value on `end` when as_of <= end < superseded_on (kept by
    triggers; of two snapshots on one day the one entered last supersedes the other).
    """
    in_effect = and_(HOLDING.c.superseded_on > end, HOLDING.c.as_of <= end)
    cents = func.coalesce(func.sum(type_coerce(HOLDING.c.value, Integer)), 0)
    query = (
        select(cents)
        .select_from(HOLDING.join(CLIENT, CLIENT.c.id == HOLDING.c.client_id))
        .where(in_effect, active_on(end))
    )
    return from_cents(session.execute(query).scalar_one())


def refill_summaries(*, connection: Connection) -> None:
    """Recompute from the rows every summary the KPI triggers keep: holding.superseded_on and
    the daily revenue and contact roll-ups. For bulk loads that set the triggers aside."""
    later = HOLDING.alias("later")
    next_as_of = (
        select(func.min(later.c.as_of))
        .where(later.c.client_id == HOLDING.c.client_id, later.c.account == HOLDING.c.account)
        .where(later.c.as_of >= HOLDING.c.as_of)
        .where(or_(later.c.as_of > HOLDING.c.as_of, later.c.id > HOLDING.c.id))
        .scalar_subquery()
    )
    not_superseded: ColumnElement[str] = literal_column(f"'{NOT_SUPERSEDED}'")
    connection.execute(
        update(HOLDING).values(superseded_on=func.coalesce(next_as_of, not_superseded))
    )
    revenue_days = select(REVENUE.c.on, func.sum(REVENUE.c.amount), func.count()).group_by(
        REVENUE.c.on
    )
    connection.execute(delete(REVENUE_DAY))
    connection.execute(insert(REVENUE_DAY).from_select(["on", "amount", "entries"], revenue_days))
    day = func.date(INTERACTION.c.at)
    contact_days = select(day, func.count()).where(is_contact()).group_by(day)
    connection.execute(delete(CONTACT_DAY))
    connection.execute(insert(CONTACT_DAY).from_select(["on", "contacts"], contact_days))


def kpi_display(key: str, value: Any) -> str:
    """A KPI value as shown to a person in their locale (see core.figures): percentages,
    means and scores to one decimal, money as totals in whole units, counts grouped."""
    kind = KPI_INFO[key].kind
    if kind == "percent":
        return percent_text(value)
    if kind in ("mean", "score"):
        return mean_text(value)
    if kind == "money":
        return total_text(value)
    return "—" if value is None else count_text(value)


def kpis_text(kpis: dict[str, Any], *, to_date: bool = False) -> str:
    """The KPIs as aligned plain text, one per line, for the command line; `to_date` for a
    period in progress."""
    span = f"{kpis['from'].isoformat()} – {kpis['to'].isoformat()}"
    compared = f"{kpis['previous_from'].isoformat()} – {kpis['previous_to'].isoformat()}"
    lines = [f"KPIs {span}{' (to date)' if to_date else ''}, compared with {compared}"]
    width = max(len(KPI_INFO[key].label) for key in KPI_KEYS)
    lines += [
        f"  {KPI_INFO[key].label:<{width}}  {kpi_display(key, kpis[key])}" for key in KPI_KEYS
    ]
    return "\n".join(lines)
