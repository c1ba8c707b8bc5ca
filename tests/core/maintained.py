"""The summaries the KPI triggers keep, as stored and as recomputed from the rows.

Each is recomputed here in Python, by its definition (migrations 0002 and 0010), not with the
SQL that fills it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rmtui.core.models import (
    ASSETS_DAY,
    CASE_DAY,
    CLIENT_DAY,
    CLIENT_SPAN,
    CONTACT_DAY,
    CONTACT_SPAN,
    CONTACTED_DAY,
    COVERAGE_DAY,
    DEAL_DAY,
    HOLDING_TABLE,
    NOT_SUPERSEDED,
    REVENUE_DAY,
    SURVEY_DAY,
    Case,
    Client,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
)
from rmtui.core.money import to_cents
from rmtui.core.queries.common import table_of
from rmtui.core.rules import cadence_of

INTERACTION = table_of(Interaction)
REVENUE = table_of(Revenue)
CLIENT = table_of(Client)
SURVEY = table_of(Survey)
OPPORTUNITY = table_of(Opportunity)
CASE = table_of(Case)
NEVER = date(9999, 12, 31)
Counts = dict[Any, tuple[int, ...]]


def stored_superseded_on(session: Session) -> dict[int, date]:
    rows = session.execute(select(HOLDING_TABLE.c.id, HOLDING_TABLE.c.superseded_on))
    return {holding_id: superseded_on for holding_id, superseded_on in rows}


def recomputed_superseded_on(session: Session) -> dict[int, date]:
    """For each snapshot, the as_of of the next one of its account in (as_of, id) order."""
    accounts: dict[tuple[int, str], list[tuple[date, int]]] = defaultdict(list)
    for row in session.execute(select(HOLDING_TABLE)).mappings():
        accounts[row["client_id"], row["account"]].append((row["as_of"], row["id"]))
    result = {}
    for snapshots in accounts.values():
        snapshots.sort()
        for (_as_of, holding_id), following in zip(snapshots, [*snapshots[1:], None], strict=True):
            result[holding_id] = following[0] if following else date.fromisoformat(NOT_SUPERSEDED)
    return result


def stored_revenue_days(session: Session) -> dict[date, tuple[Decimal, int]]:
    rows = session.execute(select(REVENUE_DAY))
    return {on: (amount, entries) for on, amount, entries in rows}


def recomputed_revenue_days(session: Session) -> dict[date, tuple[Decimal, int]]:
    days: dict[date, tuple[Decimal, int]] = {}
    for on, amount in session.execute(select(REVENUE.c.on, REVENUE.c.amount)):
        total, entries = days.get(on, (Decimal(0), 0))
        days[on] = (total + amount, entries + 1)
    return days


def stored_contact_days(session: Session) -> dict[date, int]:
    return {on: contacts for on, contacts in session.execute(select(CONTACT_DAY))}


def recomputed_contact_days(session: Session) -> dict[date, int]:
    days: dict[date, int] = defaultdict(int)
    query = select(INTERACTION.c.at).where(INTERACTION.c.kind != "note")
    for (at,) in session.execute(query):
        days[at.date()] += 1
    return dict(days)


def stored_rows(session: Session, table: Any) -> Counts:
    """A roll-up's rows by key (its primary key, a day or a tuple), each its other columns."""
    keys = [column.name for column in table.primary_key.columns]
    found: Counts = {}
    for row in session.execute(select(table)).mappings():
        key = tuple(row[name] for name in keys)
        found[key[0] if len(key) == 1 else key] = tuple(
            value for name, value in row.items() if name not in keys
        )
    return found


def add(counts: Counts, key: Any, *values: int) -> None:
    """Add `values` to the counts of `key`."""
    before = counts.get(key, (0,) * len(values))
    counts[key] = tuple(old + new for old, new in zip(before, values, strict=True))


def without_zeros(counts: Counts) -> Counts:
    return {key: values for key, values in counts.items() if any(values)}


def clients(session: Session) -> list[dict[str, Any]]:
    return [dict(row) for row in session.execute(select(CLIENT)).mappings()]


def recomputed_client_days(session: Session) -> Counts:
    """new clients, lost clients, starts and ends of being active, leads, referred new
    clients: by day."""
    days: Counts = {}
    for c in clients(session):
        since, until, created = c["client_since"], c["client_until"], c["created_on"]
        spans = since is not None and (until is None or until > since)
        if since is not None:
            add(days, since, 1, 0, int(spans), 0, 0, int(c["referred_by_id"] is not None))
        if until is not None:
            add(days, until, 0, 1, 0, int(spans), 0, 0)
        if since is None or since > created:
            add(days, created, 0, 0, 0, 0, 1, 0)
    return days


def recomputed_client_spans(session: Session) -> Counts:
    spans: Counts = {}
    for c in clients(session):
        since, until, created = c["client_since"], c["client_until"], c["created_on"]
        if since is not None and until is not None and until > since:
            add(spans, ("active", since, until), 1)
        if since is not None and since > created:
            add(spans, ("lead", created, since), 1)
    return spans


def contact_days_by_client(session: Session) -> dict[int, list[date]]:
    """Each client's contact days (notes not counted), in order."""
    found: dict[int, set[date]] = defaultdict(set)
    query = select(INTERACTION.c.client_id, INTERACTION.c.at).where(INTERACTION.c.kind != "note")
    for client_id, at in session.execute(query):
        found[client_id].add(at.date())
    return {client_id: sorted(days) for client_id, days in found.items()}


def recomputed_contacted_days(session: Session) -> Counts:
    days: Counts = {}
    for contacted in contact_days_by_client(session).values():
        for day in contacted:
            add(days, day, 1)
    return days


def recomputed_contact_spans(session: Session) -> Counts:
    spans: Counts = {}
    for contacted in contact_days_by_client(session).values():
        for day, following in pairwise(contacted):
            add(spans, (day, following), 1)
    return spans


def with_next(days: list[date]) -> list[tuple[date, date]]:
    """Each of `days` (in order) with the one after it, NEVER after the last."""
    return list(zip(days, [*days[1:], NEVER], strict=False))


def recomputed_coverage_days(session: Session) -> Counts:
    """The change by day of the number of active clients last contacted less than their
    cadence ago: a client contacted on d, next on n, counts from max(d, since) until
    min(n, d + cadence, until)."""
    days: Counts = {}
    by_client = contact_days_by_client(session)
    for c in clients(session):
        since, until = c["client_since"], c["client_until"] or NEVER
        if since is None:
            continue
        every = cadence_of(c["checkin_every_days"], c["tier"])
        contacted = by_client.get(c["id"], [])
        for day, following in with_next(contacted):
            start = max(day, since)
            end = min(following, day + timedelta(days=every), until)
            if start < end:
                add(days, start, 1)
                add(days, end, -1)
    return without_zeros(days)


def recomputed_assets_days(session: Session) -> Counts:
    """The change by day of the assets of active clients, in cents: a snapshot counts from
    max(as_of, since) until min(the next snapshot of its account, until)."""
    days: Counts = {}
    by_id = {c["id"]: c for c in clients(session)}
    accounts: dict[tuple[int, str], list[tuple[date, int, Decimal]]] = defaultdict(list)
    for row in session.execute(select(HOLDING_TABLE)).mappings():
        key = (row["client_id"], row["account"])
        accounts[key].append((row["as_of"], row["id"], row["value"]))
    for (client_id, _account), snapshots in accounts.items():
        since, until = by_client_dates(by_id[client_id])
        snapshots.sort()
        following = [as_of for as_of, _id, _value in snapshots[1:]] + [NEVER]
        for (as_of, _id, value), after in zip(snapshots, following, strict=True):
            start, end = max(as_of, since or NEVER), min(after, until)
            if since is not None and start < end:
                add(days, start, to_cents(value))
                if end < NEVER:
                    add(days, end, -to_cents(value))
    return without_zeros(days)


def by_client_dates(client: dict[str, Any]) -> tuple[date | None, date]:
    return client["client_since"], client["client_until"] or NEVER


def recomputed_survey_days(session: Session) -> Counts:
    days: Counts = {}
    for on, csat, nps in session.execute(select(SURVEY.c.on, SURVEY.c.csat, SURVEY.c.nps)):
        answered = nps is not None
        add(
            days,
            on,
            1,
            csat or 0,
            int(csat is not None),
            int(answered),
            int(answered and nps >= 9),
            int(answered and nps <= 6),
        )
    return days


def recomputed_deal_days(session: Session) -> Counts:
    days: Counts = {}
    query = select(OPPORTUNITY.c.closed_on, OPPORTUNITY.c.stage)
    for closed_on, stage in session.execute(query):
        if closed_on is not None and stage in ("won", "lost"):
            add(days, closed_on, int(stage == "won"), int(stage == "lost"))
    return days


def recomputed_case_days(session: Session) -> Counts:
    days: Counts = {}
    for resolved_on, due_on in session.execute(select(CASE.c.resolved_on, CASE.c.due_on)):
        if resolved_on is not None:
            add(days, resolved_on, 1, int(due_on is not None and resolved_on <= due_on))
    return days


ROLLUPS = {
    "client_day": (CLIENT_DAY, recomputed_client_days),
    "client_span": (CLIENT_SPAN, recomputed_client_spans),
    "contacted_day": (CONTACTED_DAY, recomputed_contacted_days),
    "contact_span": (CONTACT_SPAN, recomputed_contact_spans),
    "coverage_day": (COVERAGE_DAY, recomputed_coverage_days),
    "assets_day": (ASSETS_DAY, recomputed_assets_days),
    "survey_day": (SURVEY_DAY, recomputed_survey_days),
    "deal_day": (DEAL_DAY, recomputed_deal_days),
    "case_day": (CASE_DAY, recomputed_case_days),
}
"""Each roll-up of migration 0010: its table and its value recomputed from the rows."""


def stored_summaries(session: Session) -> dict[str, Any]:
    """Every maintained summary as stored."""
    return {
        "superseded_on": stored_superseded_on(session),
        "revenue_day": stored_revenue_days(session),
        "contact_day": stored_contact_days(session),
        **{name: stored_rows(session, table) for name, (table, _) in ROLLUPS.items()},
    }


def recomputed_summaries(session: Session) -> dict[str, Any]:
    """Every maintained summary recomputed from the rows."""
    return {
        "superseded_on": recomputed_superseded_on(session),
        "revenue_day": recomputed_revenue_days(session),
        "contact_day": recomputed_contact_days(session),
        **{name: recompute(session) for name, (_, recompute) in ROLLUPS.items()},
    }
