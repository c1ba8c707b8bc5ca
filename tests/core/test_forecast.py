"""The pipeline forecast: weighted sums by expected close month and quarter, deals past their
close day, the filter and the orders."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session, select

from rmtui.core.models import OPEN_STAGES, STAGES, Client, Opportunity
from rmtui.core.queries import InvalidChange
from rmtui.core.queries.forecast import (
    DealFilter,
    FilterError,
    count_open_deals,
    forecast_months,
    forecast_quarters,
    open_deals,
    parse_deal_filter,
)
from rmtui.core.queries.opportunities import CLOSED_STAGES, add_opportunity
from rmtui.core.queries.pipeline_stats import deal_probability, stage_summaries, weighted_value
from tests.factories import make

DAY = date(2026, 12, 1)


@pytest.fixture
def book(session: Session) -> Session:
    """Ann's and Bob's open deals, one won and one of an archived client."""
    ann = make(session, Client, name="Ann Peeters")
    bob = make(session, Client, name="Bob Janssens")
    gone = make(session, Client, name="Gone", archived=True)
    deals = [
        (ann, "Pension plan", "pension", "proposal", "10000", date(2026, 11, 20), None),
        (ann, "Mortgage", "mortgage", "negotiation", "200000", date(2026, 12, 15), 90),
        (bob, "Fund", "fund", "lead", "5000.50", date(2027, 1, 10), None),
        (bob, "Credit line", "credit", "qualified", "40000", date(2027, 4, 2), 0),
        (bob, "Insurance", None, "lead", "1000", None, None),
        (bob, "Won already", "pension", "won", "999999", date(2026, 12, 1), None),
        (gone, "Archived", "fund", "lead", "77777", date(2026, 12, 2), None),
    ]
    for client, title, product, stage, value, close, chance in deals:
        make(
            session,
            Opportunity,
            client_id=client.id,
            title=title,
            product=product,
            stage=stage,
            value=Decimal(value),
            opened_on=date(2026, 10, 1),
            expected_close_on=close,
            probability=chance,
        )
    return session


def test_a_deal_is_weighted_by_its_own_probability_else_its_stages() -> None:
    assert weighted_value(Decimal("10000"), "proposal", None) == Decimal("5000.00")
    assert weighted_value(Decimal("10000"), "proposal", 80) == Decimal("8000.00")
    assert weighted_value(Decimal("5000.50"), "lead", None) == Decimal("500.05")


def test_the_forecast_sums_each_month(book: Session) -> None:
    months = forecast_months(session=book, day=DAY)
    assert [(m.month, m.deals, m.value, m.weighted, m.past_close) for m in months] == [
        (date(2026, 11, 1), 1, Decimal("10000.00"), Decimal("5000.00"), 1),
        (date(2026, 12, 1), 1, Decimal("200000.00"), Decimal("180000.00"), 0),
        (date(2027, 1, 1), 1, Decimal("5000.50"), Decimal("500.05"), 0),
        (date(2027, 4, 1), 1, Decimal("40000.00"), Decimal("0.00"), 0),
        (None, 1, Decimal("1000.00"), Decimal("100.00"), 0),
    ]


def test_the_forecast_sums_each_quarter(book: Session) -> None:
    quarters = forecast_quarters(forecast_months(session=book, day=DAY))
    assert [(q.label, q.deals, q.value, q.weighted) for q in quarters] == [
        ("Q4 2026", 2, Decimal("210000.00"), Decimal("185000.00")),
        ("Q1 2027", 1, Decimal("5000.50"), Decimal("500.05")),
        ("Q2 2027", 1, Decimal("40000.00"), Decimal("0.00")),
    ]


def test_the_boards_weighted_stage_total_follows_each_deals_probability(book: Session) -> None:
    by_stage = {s.stage: s for s in stage_summaries(session=book, closed_since=date(2026, 1, 1))}
    assert by_stage["negotiation"].weighted == Decimal("180000.00")  # 90%, not 75%
    assert by_stage["qualified"].weighted == Decimal("0.00")
    assert by_stage["lead"].weighted == Decimal("600.05")


def test_deals_past_their_close_day_are_flagged(book: Session) -> None:
    deals = open_deals(session=book, limit=10)
    assert [(d.title, d.is_past_close(DAY)) for d in deals] == [
        ("Pension plan", True),
        ("Mortgage", False),
        ("Fund", False),
        ("Credit line", False),
        ("Insurance", False),
    ]


def test_sorted_by_value_and_by_age(book: Session) -> None:
    assert [d.title for d in open_deals(session=book, sort="value", limit=2)] == [
        "Mortgage",
        "Credit line",
    ]
    assert len(open_deals(session=book, sort="age", limit=10, offset=3)) == 2


@pytest.mark.parametrize(
    ("typed", "titles"),
    [
        ("pension", ["Pension plan"]),
        ("janssens", ["Fund", "Credit line", "Insurance"]),
        ("stage:lead", ["Fund", "Insurance"]),
        ("stage:prop stage:neg", ["Pension plan", "Mortgage"]),
        ("product:fund", ["Fund"]),
        (">10k", ["Pension plan", "Mortgage", "Credit line"]),
        ("<5000.50", ["Fund", "Insurance"]),
        ("5k..50k", ["Pension plan", "Fund", "Credit line"]),
        ("bob >2000 <10k", ["Fund"]),
        ("nobody", []),
    ],
)
def test_the_filter(book: Session, typed: str, titles: list[str]) -> None:
    deal_filter = parse_deal_filter(typed)
    assert [d.title for d in open_deals(session=book, deal_filter=deal_filter, limit=10)] == titles
    assert count_open_deals(session=book, deal_filter=deal_filter) == len(titles)


def test_a_filtered_forecast_sums_the_deals_it_lists(book: Session) -> None:
    months = forecast_months(session=book, day=DAY, deal_filter=parse_deal_filter("stage:lead"))
    assert sum(m.weighted for m in months) == Decimal("600.05")


def test_a_filter_names_an_open_stage() -> None:
    with pytest.raises(FilterError, match="not an open stage"):
        parse_deal_filter("stage:won")
    assert parse_deal_filter("").is_empty and DealFilter().is_empty


def test_a_probability_outside_0_to_100_is_refused(session: Session) -> None:
    client = make(session, Client)
    with pytest.raises(InvalidChange, match="probability"):
        add_opportunity(session=session, client_id=client.id or 0, title="x", probability=120)


@pytest.fixture
def varied(session: Session) -> Session:
    """Deals of every stage over 14 months, some without a close date or a probability, of
    clients of whom some are archived."""
    picked = random.Random(20)
    clients = [
        make(session, Client, name=f"Client {number}", archived=number % 4 == 0)
        for number in range(12)
    ]
    for number in range(160):
        stage = picked.choice(STAGES)
        closed = stage in CLOSED_STAGES
        make(
            session,
            Opportunity,
            client_id=picked.choice(clients).id,
            title=f"Deal {number}",
            product=picked.choice(["fund", "pension", None]),
            stage=stage,
            value=Decimal(picked.randrange(0, 500_000_00)) / 100,
            opened_on=date(2025, 1, 1),
            expected_close_on=None
            if picked.random() < 0.1
            else date(2026, 1, 1) + timedelta(days=picked.randrange(0, 420)),
            probability=None if picked.random() < 0.5 else picked.randrange(0, 101),
            closed_on=(date(2025, 6, 1) + timedelta(days=picked.randrange(0, 500)))
            if closed and picked.random() < 0.9
            else None,
        )
    return session


def _on_the_board(session: Session) -> list[Opportunity]:
    archived = {c.id for c in session.exec(select(Client).where(Client.archived))}
    return [d for d in session.exec(select(Opportunity)) if d.client_id not in archived]


def test_the_forecast_from_the_indexes_is_the_sum_of_its_deals(varied: Session) -> None:
    deals = [d for d in _on_the_board(varied) if d.stage in OPEN_STAGES]
    expected: dict[date | None, list[Any]] = {}
    for deal in deals:
        close = deal.expected_close_on
        month = None if close is None else close.replace(day=1)
        found = expected.setdefault(month, [0, Decimal(0), Decimal(0), 0])
        found[0] += 1
        found[1] += deal.value
        found[2] += deal.value * deal_probability(deal.stage, deal.probability)
        found[3] += close is not None and close < DAY
    months = forecast_months(session=varied, day=DAY)
    assert {m.month: [m.deals, m.value, m.weighted, m.past_close] for m in months} == {
        month: [count, value, weighted.quantize(Decimal("0.01")), past]
        for month, (count, value, weighted, past) in expected.items()
    }
    assert count_open_deals(session=varied) == len(deals)


@pytest.mark.parametrize("typed", ["fund", "stage:lead", ">200k", "deal 1 product:pension"])
def test_a_filtered_forecast_counts_and_sums_the_deals_it_lists(
    varied: Session, typed: str
) -> None:
    deal_filter = parse_deal_filter(typed)
    listed = open_deals(session=varied, deal_filter=deal_filter, limit=1000)
    months = forecast_months(session=varied, day=DAY, deal_filter=deal_filter)
    assert count_open_deals(session=varied, deal_filter=deal_filter) == len(listed) > 0
    assert sum(m.deals for m in months) == len(listed)
    assert sum((m.value for m in months), Decimal(0)) == sum((d.value for d in listed), Decimal(0))


def test_the_boards_totals_from_the_indexes_are_the_sums_of_its_deals(varied: Session) -> None:
    since = date(2026, 1, 1)
    deals = _on_the_board(varied)
    expected = []
    for stage in STAGES:
        mine = [d for d in deals if d.stage == stage]
        closed = stage in CLOSED_STAGES
        listed = [d for d in mine if not closed or (d.closed_on and d.closed_on >= since)]
        weighted = sum(
            (d.value * deal_probability(d.stage, d.probability) for d in listed), Decimal(0)
        )
        expected.append(
            (
                stage,
                len(listed),
                sum((d.value for d in listed), Decimal(0)),
                len(mine) - len(listed),
                weighted.quantize(Decimal("0.01")),
            )
        )
    found = stage_summaries(session=varied, closed_since=since)
    assert [(s.stage, s.count, s.value, s.older, s.weighted) for s in found] == expected
