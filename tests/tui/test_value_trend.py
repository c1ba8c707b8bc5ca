"""Monthly value trends of holdings, and the widget that draws one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session
from textual.app import App, ComposeResult

from rmtui.core.charts import bar_eighths
from rmtui.core.models import Client, Holding
from rmtui.core.queries.financials import AccountValue
from rmtui.core.queries.holding_trend import (
    ValuePoint,
    account_trends,
    account_values,
    summarize_trend,
    trend_days,
    value_trend,
)
from rmtui.widgets.value_trend import ValueTrend
from tests.factories import make

DAY = date(2026, 11, 29)


def snapshot(session: Session, client_id: int, account: str, as_of: str, value: str) -> None:
    make(
        session,
        Holding,
        client_id=client_id,
        account=account,
        as_of=date.fromisoformat(as_of),
        value=Decimal(value),
    )


def values(points: list[ValuePoint]) -> list[str | None]:
    return [None if point.value is None else str(point.value) for point in points]


def test_trend_days_step_back_a_month_at_a_time() -> None:
    days = trend_days(date(2026, 8, 31), months=6)
    assert days == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
        date(2026, 7, 31),
        date(2026, 8, 31),
    ]
    assert len(trend_days(DAY)) == 13


def test_value_trend_sums_each_accounts_latest_value(session: Session) -> None:
    client = make(session, Client)
    other = make(session, Client, name="Other")
    assert client.id is not None and other.id is not None
    snapshot(session, client.id, "Main", "2026-06-01", "100")
    snapshot(session, client.id, "Main", "2026-08-29", "150")
    snapshot(session, client.id, "Main", "2026-08-29", "160")  # entered last: counts
    snapshot(session, client.id, "Savings", "2026-07-15", "50")
    snapshot(session, client.id, "Main", "2026-12-01", "999")  # after the day
    snapshot(session, other.id, "Main", "2026-06-01", "7")
    trend = value_trend(session=session, client_id=client.id, day=DAY, months=6)
    assert [point.on for point in trend] == trend_days(DAY, 6)
    assert values(trend) == [None, "100.00", "150.00", "210.00", "210.00", "210.00", "210.00"]
    main = value_trend(session=session, client_id=client.id, day=DAY, months=6, account="Main")
    assert values(main) == [None, "100.00", "100.00", "160.00", "160.00", "160.00", "160.00"]
    by_account = account_trends(session=session, client_id=client.id, day=DAY, months=6)
    assert sorted(by_account) == ["Main", "Savings"]
    assert values(by_account["Savings"]) == [
        None,
        None,
        "50.00",
        "50.00",
        "50.00",
        "50.00",
        "50.00",
    ]


def test_a_value_held_before_the_window_starts_the_trend(session: Session) -> None:
    client = make(session, Client)
    assert client.id is not None
    snapshot(session, client.id, "Main", "2020-01-01", "80")
    trend = value_trend(session=session, client_id=client.id, day=DAY, months=2)
    assert values(trend) == ["80.00", "80.00", "80.00"]


def test_account_values_folds_snapshots_in_order() -> None:
    days = [date(2026, 1, 1), date(2026, 2, 1)]
    start = [AccountValue("A", date(2025, 12, 1), Decimal(1))]
    later = [AccountValue("B", date(2026, 1, 20), Decimal(5))]
    trends = account_values(start, later, days)
    assert {name: values(points) for name, points in trends.items()} == {
        "A": ["1", "1"],
        "B": [None, "5"],
    }


def test_summary_of_a_trend() -> None:
    points = [
        ValuePoint(date(2026, 1, 1), None),
        ValuePoint(date(2026, 2, 1), Decimal(200)),
        ValuePoint(date(2026, 3, 1), Decimal(150)),
        ValuePoint(date(2026, 4, 1), Decimal(250)),
    ]
    summary = summarize_trend(points)
    assert summary is not None
    assert (summary.first.value, summary.last.value) == (200, 250)
    assert (summary.change, summary.change_pct) == (50, 25.0)
    assert (summary.low, summary.high) == (150, 250)
    assert summarize_trend([ValuePoint(date(2026, 1, 1), None)]) is None


def test_bar_eighths_spread_from_lowest_to_highest() -> None:
    assert bar_eighths([Decimal(10), None, Decimal(20), Decimal(15)], 16) == [1, None, 16, 9]
    assert bar_eighths([Decimal(3), Decimal(3)], 16) == [8, 8]
    assert bar_eighths([None], 8) == [None]


# -- the widget --------------------------------------------------------------------------------

POINTS = [
    ValuePoint(date(2026, month, 1), value)
    for month, value in zip(
        range(1, 7),
        (
            None,
            Decimal("100000"),
            Decimal("110000"),
            Decimal("90000"),
            Decimal("120000"),
            Decimal("125000"),
        ),
        strict=True,
    )
]


class TrendApp(App[None]):
    """A tiny app showing one value trend."""

    def __init__(self, points: list[ValuePoint], *, width: int = 44) -> None:
        super().__init__()
        self.points = points
        self.width = width

    def compose(self) -> ComposeResult:
        yield ValueTrend("AUM", id="trend")

    def on_mount(self) -> None:
        self.query_one(ValueTrend).styles.width = self.width
        self.query_one(ValueTrend).show_trend(self.points)


async def test_the_widget_draws_bars_months_and_summary() -> None:
    app = TrendApp(POINTS)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        widget = app.query_one(ValueTrend)
        assert widget.border_title == "AUM · last 5 months"
        lines = widget.render().plain.splitlines()
        assert len(lines) == widget.content_size.height == 5
        # Six bars five cells wide in 40 cells, two rows high: "·" for the month with nothing
        # held, the lowest value one eighth high, the highest filling both rows. The summary
        # takes two lines at this width.
        assert lines[:2] == [
            "            ▂▂▂▂▂       ▆▆▆▆▆ █████",
            "····· ▅▅▅▅▅ █████ ▁▁▁▁▁ █████ █████",
        ]
        assert lines[2] == "Jan 2026" + " " * 19 + "Jun 2026"
        assert lines[3:] == ["100,000 → 125,000 +25.0%", "min 90,000 · max 125,000"]


async def test_a_wide_widget_keeps_the_summary_on_one_line() -> None:
    app = TrendApp(POINTS, width=60)
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        lines = app.query_one(ValueTrend).render().plain.splitlines()
        assert len(lines) == 5
        assert lines[-1] == "100,000 → 125,000 +25.0%   min 90,000 · max 125,000"


async def test_the_widget_says_when_there_is_nothing_to_draw() -> None:
    app = TrendApp([ValuePoint(date(2026, 1, 1), None)])
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        assert app.query_one(ValueTrend).render().plain == "No holdings recorded yet."


def test_the_widget_snapshot(snap_compare: Any) -> None:
    assert snap_compare(TrendApp(POINTS), terminal_size=(60, 12))
