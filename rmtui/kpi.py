"""The KPIs of PRODUCT.md for a period, each computed by a few SQL aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Table,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from rmtui.models import Case, Client, Holding, Interaction, Opportunity, Revenue, Survey, Target
from rmtui.money import from_cents, money_text
from rmtui.periods import Period, previous_period

KPI_KEYS = (
    "clients_start",
    "retained",
    "retention_rate",
    "new_clients",
    "lost_clients",
    "revenue",
    "revenue_previous",
    "revenue_growth",
    "csat",
    "nps",
    "pipeline_conversion",
    "lead_conversion",
    "cases_on_time",
    "interactions",
    "clients_contacted",
    "checkin_coverage",
    "aum",
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
HOLDING: Table = Holding.__table__  # type: ignore[attr-defined]
TARGET: Table = Target.__table__  # type: ignore[attr-defined]
# Written literally (not as a bound parameter) so SQLite can use ix_interaction_contact.
NOT_A_NOTE: ColumnElement[str] = literal_column("'note'")


@dataclass(frozen=True)
class KpiInfo:
    """How to present one KPI: label, definition, kind of figure and which way is good."""

    label: str
    definition: str
    kind: str  # "count" | "percent" | "money" | "mean"
    higher_is_better: bool = True
    sample_key: str | None = None  # the compute_kpis key holding how many answers it rests on


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
    "new_clients": KpiInfo("New clients", "Clients who became clients during the period.", "count"),
    "lost_clients": KpiInfo(
        "Lost clients",
        "Clients whose relationship ended during the period.",
        "count",
        higher_is_better=False,
    ),
    "revenue": KpiInfo("Revenue", "Revenue booked during the period.", "money"),
    "revenue_previous": KpiInfo(
        "Revenue before", "Revenue of the same number of days just before the period.", "money"
    ),
    "revenue_growth": KpiInfo(
        "Revenue growth", "Change in revenue against the days just before the period.", "percent"
    ),
    "csat": KpiInfo(
        "CSAT",
        "Average satisfaction score (1 to 5) of surveys answered in the period.",
        "mean",
        sample_key="csat_responses",
    ),
    "nps": KpiInfo(
        "NPS",
        "Promoters (9-10) minus detractors (0-6) as a share of survey answers in the period.",
        "percent",
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
    ),
    "clients_contacted": KpiInfo(
        "Clients contacted", "Different clients you were in contact with in the period.", "count"
    ),
    "checkin_coverage": KpiInfo(
        "Check-in coverage",
        "Share of clients at the end of the period contacted within their check-in cadence.",
        "percent",
    ),
    "aum": KpiInfo(
        "Assets", "Latest value of the accounts of clients at the end of the period.", "money"
    ),
}


def compute_kpis(*, session: Session, start: date, end: date) -> dict[str, Any]:
    """Every KPI for `start`..`end` (inclusive) plus `from`, `to` and the SAMPLE_KEYS counts.

    Counts are int, percentages and means float (None when the denominator is 0), money Decimal.
    """
    kpis: dict[str, Any] = {"from": start, "to": end}
    kpis.update(_client_kpis(session, start, end))
    kpis.update(_revenue_kpis(session, start, end))
    kpis.update(_survey_kpis(session, start, end))
    kpis["pipeline_conversion"] = _pipeline_conversion(session, start, end)
    kpis["cases_on_time"] = _cases_on_time(session, start, end)
    kpis.update(_contact_kpis(session, start, end))
    kpis["checkin_coverage"] = _checkin_coverage(session, end)
    kpis["aum"] = _aum(session, end)
    return kpis


def kpi_sample_sizes(*, session: Session, start: date, end: date) -> dict[str, int]:
    """How many surveys in `start`..`end` answered csat and nps (the SAMPLE_KEYS)."""
    sizes = _survey_kpis(session, start, end)
    return {key: sizes[key] for key in SAMPLE_KEYS}


def kpis_json(kpis: dict[str, Any]) -> dict[str, Any]:
    """The KPIs for `rmtui kpi --json`: ISO dates, money as decimal strings, ratios or null."""
    out: dict[str, Any] = {"from": kpis["from"].isoformat(), "to": kpis["to"].isoformat()}
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


def active_on(day: date) -> ColumnElement[bool]:
    """SQL condition: the client is active on `day` (became a client, not yet ended)."""
    until = CLIENT.c.client_until
    return and_(CLIENT.c.client_since <= day, or_(until.is_(None), until > day))


def _count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count().filter(condition)


def _between(column: Any, start: date, end: date) -> ColumnElement[bool]:
    return and_(column >= start, column <= end)


def _client_kpis(session: Session, start: date, end: date) -> dict[str, Any]:
    """clients_start, retained, retention_rate, new_clients, lost_clients, lead_conversion."""
    eve = start - timedelta(days=1)
    since, created = CLIENT.c.client_since, CLIENT.c.created_on
    was_lead = and_(_between(created, start, end), or_(since.is_(None), since > created))
    query = select(
        _count_where(active_on(eve)),
        _count_where(and_(active_on(eve), active_on(end))),
        _count_where(_between(since, start, end)),
        _count_where(_between(CLIENT.c.client_until, start, end)),
        _count_where(was_lead),
        _count_where(and_(was_lead, since <= end)),
    )
    at_start, retained, new, lost, leads, converted = session.execute(query).one()
    return {
        "clients_start": at_start,
        "retained": retained,
        "retention_rate": ratio(retained, at_start),
        "new_clients": new,
        "lost_clients": lost,
        "lead_conversion": ratio(converted, leads),
    }


def _revenue_kpis(session: Session, start: date, end: date) -> dict[str, Any]:
    """revenue, revenue_previous and revenue_growth, from one pass over both periods."""
    before = previous_period(Period(start, end))
    cents = type_coerce(REVENUE.c.amount, Integer)
    on = REVENUE.c.on
    query = select(
        func.coalesce(func.sum(cents).filter(_between(on, start, end)), 0),
        func.coalesce(func.sum(cents).filter(_between(on, before.start, before.end)), 0),
    ).where(_between(on, before.start, end))
    now_cents, before_cents = session.execute(query).one()
    revenue, revenue_previous = from_cents(now_cents), from_cents(before_cents)
    return {
        "revenue": revenue,
        "revenue_previous": revenue_previous,
        "revenue_growth": ratio(revenue - revenue_previous, revenue_previous),
    }


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


def _contact_kpis(session: Session, start: date, end: date) -> dict[str, int]:
    """interactions (contacts, notes not counted) and clients_contacted in the period."""
    at = INTERACTION.c.at
    query = select(func.count(), func.count(INTERACTION.c.client_id.distinct())).where(
        at >= datetime.combine(start, time.min),
        at < _start_of_day_after(end),
        INTERACTION.c.kind != NOT_A_NOTE,
    )
    contacts, clients = session.execute(query).one()
    return {"interactions": contacts, "clients_contacted": clients}


def _start_of_day_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min)


def last_contact_on(day: date) -> ColumnElement[Any]:
    """SQL: each client's last contact on or before `day` (ISO date text, NULL if none).

    The maintained `client.last_contact_on` is the latest contact of all time, so it is the
    answer whenever it is not after `day`; only otherwise is the interaction index consulted.
    """
    stored = CLIENT.c.last_contact_on
    latest_before = (
        select(func.date(func.max(INTERACTION.c.at)))
        .where(
            INTERACTION.c.client_id == CLIENT.c.id,
            INTERACTION.c.kind != NOT_A_NOTE,
            INTERACTION.c.at < _start_of_day_after(day),
        )
        .scalar_subquery()
    )
    return case(
        (stored.is_(None), None),
        (stored <= day, stored),
        else_=latest_before,
    )


def _checkin_coverage(session: Session, end: date) -> float | None:
    """100 * clients active on `end` contacted within their cadence / clients active on `end`."""
    last = last_contact_on(end)
    days_since = func.julianday(end.isoformat()) - func.julianday(last)
    within = and_(last.is_not(None), days_since < CLIENT.c.checkin_every_days)
    query = select(_count_where(within), func.count()).where(active_on(end))
    covered, active = session.execute(query).one()
    return ratio(covered, active)


def _aum(session: Session, end: date) -> Decimal:
    """Sum over active clients' accounts of the latest holding value on or before `end`."""
    latest = (
        select(HOLDING.c.client_id, HOLDING.c.account, func.max(HOLDING.c.as_of).label("as_of"))
        .where(HOLDING.c.as_of <= end)
        .group_by(HOLDING.c.client_id, HOLDING.c.account)
        .subquery("latest")
    )
    same_day = HOLDING.alias("same_day")
    # Of two snapshots of one account on the same day, the one entered last counts.
    last_entered = (
        select(func.max(same_day.c.id))
        .where(
            same_day.c.client_id == latest.c.client_id,
            same_day.c.account == latest.c.account,
            same_day.c.as_of == latest.c.as_of,
        )
        .correlate(latest)
        .scalar_subquery()
    )
    snapshots = latest.join(CLIENT, CLIENT.c.id == latest.c.client_id).join(
        HOLDING, HOLDING.c.id == last_entered
    )
    cents = func.coalesce(func.sum(type_coerce(HOLDING.c.value, Integer)), 0)
    query = select(cents).select_from(snapshots).where(active_on(end))
    return from_cents(session.execute(query).scalar_one())


def kpi_display(key: str, value: Any) -> str:
    """A KPI value as shown to a person: percentages to one decimal, money with separators."""
    if value is None:
        return "—"
    kind = KPI_INFO[key].kind
    if kind == "percent":
        return f"{value:.1f}%"
    if kind == "mean":
        return f"{value:.1f}"
    if kind == "money":
        from rmtui.money import money_display

        return money_display(value)
    return f"{value:,}"


def kpis_text(kpis: dict[str, Any]) -> str:
    """The KPIs as aligned plain text, one per line, for the command line."""
    lines = [f"KPIs {kpis['from'].isoformat()} – {kpis['to'].isoformat()}"]
    width = max(len(KPI_INFO[key].label) for key in KPI_KEYS)
    lines += [
        f"  {KPI_INFO[key].label:<{width}}  {kpi_display(key, kpis[key])}" for key in KPI_KEYS
    ]
    return "\n".join(lines)
