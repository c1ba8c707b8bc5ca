"""The summaries the KPI triggers keep, as stored and as recomputed from the rows.

Each is recomputed here in Python, by its definition (migrations 0002 and 0010), not with the
SQL that fills it. A roll-up's row is keyed by the owner of the clients it adds up first ('' for
everyone's, migration 0017), then by its key of 0002 and 0010."""

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


def owners(session: Session) -> dict[int, str]:
    """The owner of each client, '' for everyone's."""
    rows = session.execute(select(CLIENT.c.id, CLIENT.c.owner))
    return {client_id: owner or "" for client_id, owner in rows}


def stored_revenue_days(session: Session) -> dict[tuple[str, date], tuple[Decimal, int]]:
    rows = session.execute(select(REVENUE_DAY)).mappings()
    return {(row["owner"], row["on"]): (row["amount"], row["entries"]) for row in rows}


def recomputed_revenue_days(session: Session) -> dict[tuple[str, date], tuple[Decimal, int]]:
    days: dict[tuple[str, date], tuple[Decimal, int]] = {}
    whose = owners(session)
    query = select(REVENUE.c.client_id, REVENUE.c.on, REVENUE.c.amount)
    for client_id, on, amount in session.execute(query):
        total, entries = days.get((whose[client_id], on), (Decimal(0), 0))
        days[whose[client_id], on] = (total + amount, entries + 1)
    return days


def stored_contact_days(session: Session) -> dict[tuple[str, date], int]:
    rows = session.execute(select(CONTACT_DAY)).mappings()
    return {(row["owner"], row["on"]): row["contacts"] for row in rows}


def recomputed_contact_days(session: Session) -> dict[tuple[str, date], int]:
    days: dict[tuple[str, date], int] = defaultdict(int)
    whose = owners(session)
    query = select(INTERACTION.c.client_id, INTERACTION.c.at).where(INTERACTION.c.kind != "note")
    for client_id, at in session.execute(query):
        days[whose[client_id], at.date()] += 1
    return dict(days)


def stored_rows(session: Session, table: Any) -> Counts:
    """A roll-up's rows by key (the owner, then the rest of its primary key: a day or a
    tuple), each its other columns."""
    keys = [column.name for column in table.primary_key.columns if column.name != "owner"]
    found: Counts = {}
    for row in session.execute(select(table)).mappings():
        found[(row["owner"], *(row[name] for name in keys))] = tuple(
            value for name, value in row.items() if name not in (*keys, "owner")
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
        whose = c["owner"] or ""
        spans = since is not None and (until is None or until > since)
        if since is not None:
            referred = int(c["referred_by_id"] is not None)
            add(days, (whose, since), 1, 0, int(spans), 0, 0, referred)
        if until is not None:
            add(days, (whose, until), 0, 1, 0, int(spans), 0, 0)
        if since is None or since > created:
            add(days, (whose, created), 0, 0, 0, 0, 1, 0)
    return days


def recomputed_client_spans(session: Session) -> Counts:
    spans: Counts = {}
    for c in clients(session):
        since, until, created = c["client_since"], c["client_until"], c["created_on"]
        whose = c["owner"] or ""
        if since is not None and until is not None and until > since:
            add(spans, (whose, "active", since, until), 1)
        if since is not None and since > created:
            add(spans, (whose, "lead", created, since), 1)
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
    whose = owners(session)
    for client_id, contacted in contact_days_by_client(session).items():
        for day in contacted:
            add(days, (whose[client_id], day), 1)
    return days


def recomputed_contact_spans(session: Session) -> Counts:
    spans: Counts = {}
    whose = owners(session)
    for client_id, contacted in contact_days_by_client(session).items():
        for day, following in pairwise(contacted):
            add(spans, (whose[client_id], day, following), 1)
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
                add(days, (c["owner"] or "", start), 1)
                add(days, (c["owner"] or "", end), -1)
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
        whose = by_id[client_id]["owner"] or ""
        snapshots.sort()
        following = [as_of for as_of, _id, _value in snapshots[1:]] + [NEVER]
        for (as_of, _id, value), after in zip(snapshots, following, strict=True):
            start, end = max(as_of, since or NEVER), min(after, until)
            if since is not None and start < end:
                add(days, (whose, start), to_cents(value))
                if end < NEVER:
                    add(days, (whose, end), -to_cents(value))
    return without_zeros(days)


def by_client_dates(client: dict[str, Any]) -> tuple[date | None, date]:
    return client["client_since"], client["client_until"] or NEVER


def recomputed_survey_days(session: Session) -> Counts:
    days: Counts = {}
    whose = owners(session)
    query = select(SURVEY.c.client_id, SURVEY.c.on, SURVEY.c.csat, SURVEY.c.nps)
    for client_id, on, csat, nps in session.execute(query):
        answered = nps is not None
        add(
            days,
            (whose[client_id], on),
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
    whose = owners(session)
    query = select(OPPORTUNITY.c.client_id, OPPORTUNITY.c.closed_on, OPPORTUNITY.c.stage)
    for client_id, closed_on, stage in session.execute(query):
        if closed_on is not None and stage in ("won", "lost"):
            add(days, (whose[client_id], closed_on), int(stage == "won"), int(stage == "lost"))
    return days


def recomputed_case_days(session: Session) -> Counts:
    days: Counts = {}
    whose = owners(session)
    query = select(CASE.c.client_id, CASE.c.resolved_on, CASE.c.due_on)
    for client_id, resolved_on, due_on in session.execute(query):
        if resolved_on is not None:
            on_time = int(due_on is not None and resolved_on <= due_on)
            add(days, (whose[client_id], resolved_on), 1, on_time)
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
