"""The pipeline forecast: open deals by the month they are expected to close, each weighted by
its probability (its own, else its stage's), month and quarter totals, and the open deals
filtered (text, stage, product, value range) and sorted (close date, value, age)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, func, literal_column, or_, select, type_coerce
from sqlalchemy.orm import Session

from rmtui.core.models import OPEN_STAGES, Client, Opportunity
from rmtui.core.money import CENT, from_cents, to_cents
from rmtui.core.queries.common import columns_for, contains_text, page_limit, table_of
from rmtui.core.queries.opportunities import OpportunityRow
from rmtui.core.queries.pipeline_stats import probability_percent_sql, weighted_from
from rmtui.core.translation import N_, _

OPPORTUNITY = table_of(Opportunity)
CLIENT = table_of(Client)
SORTS = ("close", "value", "age")  # by expected close date, biggest first, oldest first
SORT_LABELS = {"close": N_("close date"), "value": N_("value"), "age": N_("age")}
NO_MONEY = Decimal("0.00")
# A value bound typed in a filter: 50000, 50k, 1.5m.
AMOUNT = r"(\d+(?:[.,]\d+)?)([km]?)"
RANGE = re.compile(rf"^{AMOUNT}\.\.{AMOUNT}$|^{AMOUNT}-{AMOUNT}$")
BOUND = re.compile(rf"^([<>])={{0,1}}{AMOUNT}$")
FILTER_HELP = N_("text, stage:proposal, product:pension, >50k, <1m, 10k..250k")


@dataclass(frozen=True)
class DealFilter:
    """Which open deals to show: a text in the title, client or product, stages, a product,
    and a value range (either end open)."""

    text: str = ""
    stages: tuple[str, ...] = ()
    product: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    words: tuple[str, ...] = field(default=(), compare=False)  # as typed, for showing

    @property
    def is_empty(self) -> bool:
        """True when every deal passes."""
        return self == DealFilter()

    def __str__(self) -> str:
        return " ".join(self.words)


class FilterError(ValueError):
    """A filter that cannot be read, with one sentence saying how to write it."""


def parse_deal_filter(text: str) -> DealFilter:
    """The filter typed as words: `stage:NAME` (repeatable), `product:TEXT`, `>AMOUNT`,
    `<AMOUNT`, `LOW..HIGH` (amounts like 50000, 50k, 1.5m); the other words are text."""
    words = tuple(text.split())
    stages: list[str] = []
    texts: list[str] = []
    product, low, high = "", None, None
    for word in words:
        key, _, value = word.partition(":")
        if key.lower() == "stage" and value:
            stages.append(_stage(value))
        elif key.lower() == "product" and value:
            product = value
        elif (found := _value_range(word)) is not None:
            low = found[0] if found[0] is not None else low
            high = found[1] if found[1] is not None else high
        else:
            texts.append(word)
    return DealFilter(" ".join(texts), tuple(stages), product, low, high, words)


def _stage(text: str) -> str:
    matches = [stage for stage in OPEN_STAGES if stage.startswith(text.lower())]
    if len(matches) != 1:
        raise FilterError(
            _("'{text}' is not an open stage: {stages}.").format(
                text=text, stages=", ".join(OPEN_STAGES)
            )
        )
    return matches[0]


def _value_range(word: str) -> tuple[Decimal | None, Decimal | None] | None:
    """(low, high) of a value bound or range, or None when `word` is none."""
    bound = BOUND.match(word)
    if bound:
        amount = _amount(bound.group(2), bound.group(3))
        return (amount, None) if bound.group(1) == ">" else (None, amount)
    span = RANGE.match(word)
    if span:
        parts = [part for part in span.groups() if part is not None]
        return _amount(parts[0], parts[1]), _amount(parts[2], parts[3])
    return None


def _amount(number: str, unit: str) -> Decimal:
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[unit]
    return (Decimal(number.replace(",", ".")) * scale).quantize(CENT)


@dataclass(frozen=True)
class ForecastMonth:
    """The open deals expected to close in one month (None: with no close date)."""

    month: date | None  # its first day
    deals: int
    value: Decimal
    weighted: Decimal
    past_close: int  # deals whose expected close day has passed


@dataclass(frozen=True)
class ForecastQuarter:
    """The weighted forecast of one calendar quarter."""

    start: date
    deals: int
    value: Decimal
    weighted: Decimal

    @property
    def label(self) -> str:
        """`Q1 2027`."""
        return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"


def _cents() -> ColumnElement[int]:
    return type_coerce(OPPORTUNITY.c.value, Integer)


def _percent() -> ColumnElement[int]:
    return literal_column(probability_percent_sql(f"{OPPORTUNITY.name}."), Integer)


def _conditions(deal_filter: DealFilter) -> list[ColumnElement[bool]]:
    """SQL on the deals alone: an open deal of a client on the board, passing `deal_filter`.

    The deals are read by stage; the archived clients (few) and the clients whose name
    matches are each looked up once, as a set, instead of joining every deal to its client.
    """
    stages = deal_filter.stages or OPEN_STAGES
    archived = select(CLIENT.c.id).where(CLIENT.c.archived.is_(True))
    conditions: list[ColumnElement[bool]] = [
        OPPORTUNITY.c.stage.in_(stages),
        OPPORTUNITY.c.client_id.not_in(archived),
    ]
    if deal_filter.text:
        text = deal_filter.text
        named = select(CLIENT.c.id).where(contains_text(CLIENT.c.name, text))
        conditions.append(
            or_(
                contains_text(OPPORTUNITY.c.title, text),
                OPPORTUNITY.c.client_id.in_(named),
                contains_text(func.coalesce(OPPORTUNITY.c.product, ""), text),
            )
        )
    if deal_filter.product:
        conditions.append(
            contains_text(func.coalesce(OPPORTUNITY.c.product, ""), deal_filter.product)
        )
    if deal_filter.min_value is not None:
        conditions.append(_cents() >= to_cents(deal_filter.min_value))
    if deal_filter.max_value is not None:
        conditions.append(_cents() <= to_cents(deal_filter.max_value))
    return conditions


def forecast_months(
    *, session: Session, day: date, deal_filter: DealFilter | None = None
) -> list[ForecastMonth]:
    """The open deals by the month they are expected to close, earliest first, those with no
    close date last; each month's value and weighted value, and how many are past their day."""
    month = func.strftime("%Y-%m", OPPORTUNITY.c.expected_close_on)
    close = OPPORTUNITY.c.expected_close_on
    query = (
        select(
            month,
            func.count(),
            func.coalesce(func.sum(_cents()), 0),
            func.coalesce(func.sum(_cents() * _percent()), 0),
            func.count().filter(close < day),
        )
        .where(*_conditions(deal_filter or DealFilter()))
        .group_by(month)
    )
    months = [
        ForecastMonth(
            _first_day(key), int(count), from_cents(cents), weighted_from(weighted), int(past)
        )
        for key, count, cents, weighted, past in session.execute(query)
    ]
    return sorted(months, key=lambda row: (row.month is None, row.month or date.min))


def _first_day(key: str | None) -> date | None:
    return None if key is None else date.fromisoformat(f"{key}-01")


def forecast_quarters(months: list[ForecastMonth]) -> list[ForecastQuarter]:
    """The months' totals by calendar quarter (deals with no close date left out)."""
    quarters: dict[date, list[ForecastMonth]] = {}
    for row in months:
        if row.month is not None:
            start = row.month.replace(month=(row.month.month - 1) // 3 * 3 + 1)
            quarters.setdefault(start, []).append(row)
    return [
        ForecastQuarter(
            start,
            sum(row.deals for row in rows),
            sum((row.value for row in rows), NO_MONEY),
            sum((row.weighted for row in rows), NO_MONEY),
        )
        for start, rows in sorted(quarters.items())
    ]


def _order(sort: str) -> list[Any]:
    close = OPPORTUNITY.c.expected_close_on
    if sort == "value":
        return [_cents().desc(), OPPORTUNITY.c.id]
    if sort == "age":
        return [OPPORTUNITY.c.opened_on, OPPORTUNITY.c.id]
    return [close.is_(None), close, _cents().desc(), OPPORTUNITY.c.id]


def open_deals(
    *,
    session: Session,
    deal_filter: DealFilter | None = None,
    sort: str = "close",
    limit: int,
    offset: int = 0,
) -> list[OpportunityRow]:
    """One page of the open deals passing `deal_filter`, in the order of `sort` (SORTS): the
    page's deals are chosen first, then joined to their clients' names."""
    page = (
        select(OPPORTUNITY.c.id)
        .where(*_conditions(deal_filter or DealFilter()))
        .order_by(*_order(sort))
        .limit(page_limit(limit))
        .offset(offset)
    )
    columns = columns_for(OpportunityRow, OPPORTUNITY, client_name=CLIENT.c.name)
    query = (
        select(*columns)
        .join_from(OPPORTUNITY, CLIENT, CLIENT.c.id == OPPORTUNITY.c.client_id)
        .where(OPPORTUNITY.c.id.in_(page.scalar_subquery()))
        .order_by(*_order(sort))
    )
    return [OpportunityRow(*row) for row in session.execute(query)]


def count_open_deals(*, session: Session, deal_filter: DealFilter | None = None) -> int:
    """How many open deals pass `deal_filter`."""
    query = (
        select(func.count())
        .select_from(OPPORTUNITY)
        .where(and_(*_conditions(deal_filter or DealFilter())))
    )
    return int(session.execute(query).scalar_one())
