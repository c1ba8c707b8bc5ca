"""The urgency terms an agenda item has from its client (core/urgency.py): their assets and
revenue, an open complaint, a detractor in their last survey, a deal closing soon; read for
the clients of the items listed, in one query per CLIENTS_A_QUERY clients, each term through
an index on the client.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from rmtui.core.rules import holding_in_effect_sql, last_survey_detractor_sql, open_deal_sql
from rmtui.core.urgency import Coefficients, TermValues

CLIENTS_A_QUERY = 500  # SQLite takes at most 32,766 values in one statement
MILLION = Decimal(100 * 1_000_000)  # in cents
THOUSAND = Decimal(100 * 1_000)

# For each client: the sum of their accounts' values on :day and their revenue in the 12
# months up to it (in cents, at most :assets_max and :revenue_max), whether a complaint is
# open, whether their last survey came from a detractor, and whether an open deal is expected
# to close from :day to :deal_horizon. Each is looked up by the client (a server would answer
# an EXISTS by reading every open complaint or deal of the book first).
CLIENT_TERMS_SQL = f"""
    SELECT c.id,
        min((SELECT coalesce(sum(h.value), 0) FROM holding AS h
             WHERE h.client_id = c.id AND {holding_in_effect_sql("h.")}), :assets_max),
        min((SELECT coalesce(sum(r.amount), 0) FROM revenue AS r
             WHERE r.client_id = c.id AND r."on" > :year_before AND r."on" <= :day),
            :revenue_max),
        coalesce((SELECT 1 FROM "case" AS k
                  WHERE k.client_id = c.id AND k.kind = 'complaint' AND k.resolved_on IS NULL
                    AND k.opened_on <= :day
                  LIMIT 1), 0),
        {last_survey_detractor_sql("c.")},
        coalesce((SELECT 1 FROM opportunity AS o
                  WHERE o.client_id = c.id AND {open_deal_sql("o.")}
                    AND o.expected_close_on BETWEEN :day AND :deal_horizon
                  LIMIT 1), 0)
    FROM client AS c
    WHERE c.id IN ({{ids}})"""


def client_terms(
    connection: Any, client_ids: Collection[int], *, day: date, coefficients: Coefficients
) -> dict[int, TermValues]:
    """The client terms' values ((term key, value) pairs) of each of `client_ids` on `day`."""
    params = {
        "day": day.isoformat(),
        "year_before": year_before(day).isoformat(),
        "deal_horizon": (day + timedelta(days=coefficients.deal_closing_days)).isoformat(),
        "assets_max": _cents(coefficients.assets_million_max, MILLION),
        "revenue_max": _cents(coefficients.revenue_thousand_max, THOUSAND),
    }
    found: dict[int, TermValues] = {}
    for batch in _batches(sorted(client_ids), CLIENTS_A_QUERY):
        names = {f"c{number}": client_id for number, client_id in enumerate(batch)}
        sql = CLIENT_TERMS_SQL.format(ids=", ".join(f":{name}" for name in names))
        cursor = connection.cursor()
        try:
            cursor.execute(sql, {**params, **names})
            for row in cursor.fetchall():
                found[row[0]] = _values(row)
        finally:
            cursor.close()
    return found


def _values(row: Sequence[Any]) -> TermValues:
    """A row of CLIENT_TERMS_SQL as term values."""
    _id, assets, revenue, complaint, detractor, deal = row
    return (
        ("assets_million", Decimal(assets) / MILLION if assets else 0),
        ("revenue_thousand", Decimal(revenue) / THOUSAND if revenue else 0),
        ("complaint", int(complaint)),
        ("detractor", int(detractor)),
        ("deal_closing", int(deal)),
    )


def _cents(count: float, unit: Decimal) -> int:
    """`count` units (millions, thousands) in whole cents."""
    return int(Decimal(str(count)) * unit)


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February): revenue counts from the day
    after it."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
