"""The pipeline forecast: open deals by the month they are expected to close, each weighted by
its probability (its own, else its stage's), month and quarter totals, and the open deals
filtered (text, stage, product, value range) and sorted (close date, value, age)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from rmtui.core.models import NO_DEAL_DAY, OPEN_STAGES, PIPELINE_DAY, Client, Opportunity
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
NO_MONTH = f"{NO_DEAL_DAY:%Y-%m}"  # the month of the roll-up's deals with no close date
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


def _deal_conditions(deal_filter: DealFilter) -> list[ColumnElement[bool]]:
    """SQL on the deals alone: an open deal passing `deal_filter`, its client archived or not
    (the clients whose name matches its text are looked up once, as a set, instead of joining
    every deal to its client)."""
    stages = deal_filter.stages or OPEN_STAGES
    conditions: list[ColumnElement[bool]] = [OPPORTUNITY.c.stage.in_(stages)]
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


def _totals_on_the_board(
    session: Session, deal_filter: DealFilter, columns: list[Any], key: Any = None
) -> dict[Any, list[int]]:
    """The sums `columns` (whole numbers) over the open deals passing `deal_filter` whose client
    is not archived, by `key` (None: one total, keyed None).

    The sums over every deal are read from the index that covers them
    (ix_opportunity_stage_expected_close_on) without looking at the clients; those over the
    deals of the archived clients (few), reached from the clients, are then taken away.
    """
    keys = [] if key is None else [key]
    conditions = _deal_conditions(deal_filter)
    every = select(*keys, *columns).where(*conditions)
    archived = (
        select(*keys, *columns)
        .join_from(CLIENT, OPPORTUNITY, OPPORTUNITY.c.client_id == CLIENT.c.id)
        .where(CLIENT.c.archived.is_(True), *conditions)
    )
    if key is not None:
        every, archived = every.group_by(key), archived.group_by(key)
    width = len(keys)
    totals = {
        (row[0] if width else None): [int(value or 0) for value in row[width:]]
        for row in session.execute(every)
    }
    for row in session.execute(archived):
        found = totals[row[0] if width else None]
        for index, value in enumerate(row[width:]):
            found[index] -= int(value or 0)
    return totals


def forecast_months(
    *, session: Session, day: date, deal_filter: DealFilter | None = None
) -> list[ForecastMonth]:
    """The open deals by the month they are expected to close, earliest first, those with no
    close date last; each month's value and weighted value, and how many are past their day.

    With no filter but stages, the months are summed from the roll-up by stage and day
    (`pipeline_day`, migration 0018), a few rows per day whatever the number of deals.
    Otherwise the month is the close date's first seven characters (`2027-01`), read from the
    index with the date; the deals of archived clients are taken away afterwards.
    """
    deal_filter = deal_filter or DealFilter()
    if _rolled_up(deal_filter):
        totals = _months_rolled_up(session, deal_filter.stages or OPEN_STAGES, day)
    else:
        close = OPPORTUNITY.c.expected_close_on
        month = func.substr(cast(close, String), 1, 7)
        columns = [
            func.count(),
            func.sum(_cents()),
            func.sum(_cents() * _percent()),
            func.count().filter(close < day),
        ]
        totals = _totals_on_the_board(session, deal_filter, columns, month)
    months = [
        ForecastMonth(_first_day(key), count, from_cents(cents), weighted_from(weighted), past)
        for key, (count, cents, weighted, past) in totals.items()
        if count
    ]
    return sorted(months, key=lambda row: (row.month is None, row.month or date.min))


def _rolled_up(deal_filter: DealFilter) -> bool:
    """Whether the roll-up by stage and day holds the deals `deal_filter` passes: it names
    stages at most."""
    return deal_filter == DealFilter(stages=deal_filter.stages)


def _months_rolled_up(
    session: Session, stages: tuple[str, ...], day: date
) -> dict[str | None, list[int]]:
    """The deals of `stages` by month (None: no close date) from the roll-up: how many, their
    cents, their weighted cents × 100 and how many are past their day."""
    return {
        (None if key == NO_MONTH else key): [int(value or 0) for value in values]
        for key, *values in session.execute(_months_query(stages), {"day": day})
    }


@lru_cache(maxsize=32)
def _months_query(stages: tuple[str, ...]) -> Select[Any]:
    """The roll-up's sums of `stages` by month, those past the day `:day` counted apart (made
    once for each choice of stages: a forecast is read again at each change of the book)."""
    on = PIPELINE_DAY.c.on
    month = func.substr(cast(on, String), 1, 7)
    return (
        select(
            month,
            func.sum(PIPELINE_DAY.c.deals),
            func.sum(PIPELINE_DAY.c.value),
            func.sum(PIPELINE_DAY.c.weighted),
            func.sum(PIPELINE_DAY.c.deals).filter(on < bindparam("day")),
        )
        .where(PIPELINE_DAY.c.stage.in_(stages), PIPELINE_DAY.c.archived.is_(False))
        .group_by(month)
    )


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
    page's deals are chosen first, then joined to their clients' names.

    By close date with no filter but stages (as the forecast opens), the page is chosen from
    each stage's first deals by close date in the index that holds them, with or without
    one, leaving out those of archived clients as it reads them: as many deals are read as
    the page goes deep, whatever the number of deals. Otherwise it is chosen among every deal
    passing the filter, from the indexes, without looking at the clients: as many more deals
    are read as the archived clients (few) have among them, which are then left out.
    """
    deal_filter = deal_filter or DealFilter()
    if sort == "close" and _rolled_up(deal_filter):
        stages = deal_filter.stages or OPEN_STAGES
        chosen = _first_by_close(session, stages, offset + limit)[offset:]
    else:
        chosen = _chosen(session, deal_filter, sort, offset + limit)[offset:]
    rows = session.execute(_named_deals_query(sort), {"chosen": chosen})
    return [OpportunityRow(*row) for row in rows]


@lru_cache(maxsize=len(SORTS))
def _named_deals_query(sort: str) -> Select[Any]:
    """The deals whose ids are `:chosen`, with their clients' names, in the order of `sort`."""
    columns = columns_for(OpportunityRow, OPPORTUNITY, client_name=CLIENT.c.name)
    return (
        select(*columns)
        .join_from(OPPORTUNITY, CLIENT, CLIENT.c.id == OPPORTUNITY.c.client_id)
        .where(OPPORTUNITY.c.id.in_(bindparam("chosen", expanding=True)))
        .order_by(*_order(sort))
    )


def _chosen(session: Session, deal_filter: DealFilter, sort: str, count: int) -> list[int]:
    """The ids of the first `count` open deals passing `deal_filter` in the order of `sort`
    whose client is not archived."""
    conditions = _deal_conditions(deal_filter)
    archived = set(
        session.execute(
            select(OPPORTUNITY.c.id)
            .join_from(CLIENT, OPPORTUNITY, OPPORTUNITY.c.client_id == CLIENT.c.id)
            .where(CLIENT.c.archived.is_(True), *conditions)
        ).scalars()
    )
    page = (
        select(OPPORTUNITY.c.id)
        .where(*conditions)
        .order_by(*_order(sort))
        .limit(page_limit(count + len(archived)))
    )
    return [id_ for id_ in session.execute(page).scalars() if id_ not in archived][:count]


def _first_by_close(session: Session, stages: tuple[str, ...], count: int) -> list[int]:
    """The ids of the first `count` open deals of `stages` by close date (those without one
    last) whose client is not archived: the first `count` of each stage, with a close date and
    without, each read in the order of ix_opportunity_stage_expected_close_on, then merged."""
    return list(session.execute(_first_by_close_query(stages, count)).scalars())


@lru_cache(maxsize=32)
def _first_by_close_query(stages: tuple[str, ...], count: int) -> Select[Any]:
    """The statement of `_first_by_close`, made once for each choice of stages and depth (it
    takes longer to make than SQLite takes to run it)."""
    close = OPPORTUNITY.c.expected_close_on
    firsts = [
        select(OPPORTUNITY.c.id, close, _cents().label("cents"))
        .join_from(OPPORTUNITY, CLIENT, CLIENT.c.id == OPPORTUNITY.c.client_id)
        .where(
            OPPORTUNITY.c.stage == stage,
            close.is_not(None) if dated else close.is_(None),
            CLIENT.c.archived.is_(False),
        )
        .order_by(close, _cents().desc(), OPPORTUNITY.c.id)
        .limit(page_limit(count))
        .subquery()
        for stage in stages
        for dated in (True, False)
    ]
    merged = union_all(*(select(*first.c) for first in firsts)).subquery()
    return (
        select(merged.c.id)
        .order_by(merged.c.expected_close_on.is_(None), merged.c.expected_close_on)
        .order_by(merged.c.cents.desc(), merged.c.id)
        .limit(page_limit(count))
    )


def count_open_deals(*, session: Session, deal_filter: DealFilter | None = None) -> int:
    """How many open deals pass `deal_filter` (counted as in `forecast_months`)."""
    deal_filter = deal_filter or DealFilter()
    if _rolled_up(deal_filter):
        query = _count_query(deal_filter.stages or OPEN_STAGES)
        return int(session.execute(query).scalar_one() or 0)
    totals = _totals_on_the_board(session, deal_filter, [func.count()])
    return totals[None][0]


@lru_cache(maxsize=32)
def _count_query(stages: tuple[str, ...]) -> Select[Any]:
    """How many open deals of `stages` the roll-up holds."""
    return select(func.sum(PIPELINE_DAY.c.deals)).where(
        PIPELINE_DAY.c.stage.in_(stages), PIPELINE_DAY.c.archived.is_(False)
    )
