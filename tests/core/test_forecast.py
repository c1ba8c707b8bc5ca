"""The pipeline forecast: weighted sums by expected close month and quarter, deals past their
close day, the filter and the orders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from rmtui.core.models import Client, Opportunity
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
from rmtui.core.queries.opportunities import add_opportunity
from rmtui.core.queries.pipeline_stats import stage_summaries, weighted_value
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
