"""The pipeline board's queries: stage totals and probabilities, deals by stage, win figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from rmtui.core.models import STAGES, Client, Opportunity
from rmtui.core.queries.pipeline_stats import (
    STAGE_PROBABILITY,
    StageSummary,
    WinStats,
    deal_position,
    stage_deals,
    stage_summaries,
    win_stats,
)
from tests.factories import make

SINCE = date(2025, 11, 29)


def deal(
    session: Session, client: Client, title: str, stage: str, value: str, **fields: object
) -> int:
    row = make(
        session,
        Opportunity,
        client_id=client.id,
        title=title,
        stage=stage,
        value=Decimal(value),
        **fields,
    )
    assert row.id is not None
    return row.id


@pytest.fixture
def book(session: Session) -> Session:
    """Deals in every stage; some closed long ago; one client archived."""
    ada = make(session, Client, name="Ada")
    gone = make(session, Client, name="Gone", archived=True)
    deal(session, ada, "Small lead", "lead", "1000")
    deal(session, ada, "Big lead", "lead", "9000")
    deal(session, ada, "Tied lead", "lead", "1000")
    deal(session, ada, "Proposal", "proposal", "2000.50")
    deal(session, gone, "Archived lead", "lead", "50000")
    deal(session, ada, "Won lately", "won", "3000", closed_on=date(2026, 11, 1))
    deal(session, ada, "Won earlier", "won", "5000", closed_on=date(2026, 2, 1))
    deal(session, ada, "Won long ago", "won", "7000", closed_on=date(2024, 5, 1))
    deal(session, gone, "Won by archived", "won", "1000", closed_on=date(2026, 3, 1))
    deal(session, ada, "Lost lately", "lost", "4000", closed_on=date(2026, 10, 1))
    deal(session, ada, "Lost long ago", "lost", "8000", closed_on=date(2023, 1, 1))
    return session


def test_stage_summaries_count_listed_deals_and_older_ones_apart(book: Session) -> None:
    summaries = stage_summaries(session=book, closed_since=SINCE)
    assert [summary.stage for summary in summaries] == list(STAGES)
    by_stage = {summary.stage: summary for summary in summaries}
    assert by_stage["lead"] == StageSummary("lead", 3, Decimal("11000.00"), 0)
    assert by_stage["qualified"] == StageSummary("qualified", 0, Decimal("0.00"), 0)
    assert by_stage["proposal"] == StageSummary("proposal", 1, Decimal("2000.50"), 0)
    assert by_stage["won"] == StageSummary("won", 2, Decimal("8000.00"), 1)
    assert by_stage["lost"] == StageSummary("lost", 1, Decimal("4000.00"), 1)


def test_weighted_value_is_value_times_the_stage_probability() -> None:
    assert list(STAGE_PROBABILITY) == list(STAGES)
    assert StageSummary("lead", 3, Decimal("11000.00")).weighted == Decimal("1100.00")
    assert StageSummary("proposal", 1, Decimal("2000.50")).weighted == Decimal("1000.25")
    assert StageSummary("negotiation", 1, Decimal("10.01")).weighted == Decimal("7.51")
    assert StageSummary("won", 1, Decimal("10.00")).weighted == Decimal("10.00")
    assert StageSummary("lost", 1, Decimal("10.00")).weighted == Decimal("0.00")


def titles(book: Session, stage: str, **page: int) -> list[str]:
    rows = stage_deals(session=book, stage=stage, closed_since=SINCE, **{"limit": 50, **page})
    return [row.title for row in rows]


def test_open_stages_list_the_biggest_deals_first(book: Session) -> None:
    assert titles(book, "lead") == ["Big lead", "Small lead", "Tied lead"]
    assert titles(book, "lead", limit=1, offset=1) == ["Small lead"]


def test_closed_stages_list_the_latest_closed_within_the_window(book: Session) -> None:
    assert titles(book, "won") == ["Won lately", "Won earlier"]
    assert titles(book, "lost") == ["Lost lately"]


def test_deal_position_is_the_place_in_its_stage_list(book: Session) -> None:
    for stage in ("lead", "won"):
        rows = stage_deals(session=book, stage=stage, closed_since=SINCE, limit=50)
        for index, row in enumerate(rows):
            assert deal_position(session=book, opportunity_id=row.id, closed_since=SINCE) == index


def test_deal_position_is_none_for_deals_the_board_leaves_out(book: Session) -> None:
    ids = {row.title: row.id or 0 for row in book.exec(select(Opportunity)).all()}
    for title in ("Won long ago", "Archived lead"):
        assert deal_position(session=book, opportunity_id=ids[title], closed_since=SINCE) is None
    assert deal_position(session=book, opportunity_id=999, closed_since=SINCE) is None


def test_win_stats_over_a_year_and_over_all_time(book: Session) -> None:
    year = win_stats(session=book, start=date(2026, 1, 1), end=date(2026, 11, 29))
    assert year == WinStats(won=3, lost=1, won_value=Decimal("9000.00"))
    assert year.win_rate == 75.0
    assert year.average_deal == Decimal("3000.00")
    ever = win_stats(session=book, start=None, end=date(2026, 11, 29))
    assert (ever.won, ever.lost) == (4, 2)
    assert ever.average_deal == Decimal("4000.00")


def test_win_stats_without_closed_deals_have_no_rate() -> None:
    nothing = WinStats(0, 0, Decimal("0.00"))
    assert nothing.win_rate is None
    assert nothing.average_deal is None
    assert WinStats(0, 3, Decimal("0.00")).win_rate == 0.0
