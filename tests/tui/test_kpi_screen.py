"""The KPI dashboard: its figures equal the KPI engine's, and its keys work like a user expects."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.color import Color
from textual.pilot import Pilot

from rmtui.app import RmApp, make_app
from rmtui.core.db import session_scope
from rmtui.core.kpi import KPI_KEYS, compute_kpis, kpi_display, targets_for
from rmtui.core.kpi_board import TREND_KEYS
from rmtui.core.models import Interaction
from rmtui.core.periods import Period, compared_period, trend_periods
from rmtui.core.queries.targets import list_targets
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.forms.target import TargetForm
from rmtui.screens.help import HelpScreen
from rmtui.screens.kpis import KpiInfoScreen, KpiScreen
from rmtui.widgets.kpi_table import KpiTable
from rmtui.widgets.trend_chart import TrendChart
from tests.tui.kpi_book import build_kpi_book

TODAY = date(2026, 11, 29)
Q4_2026 = Period(date(2026, 10, 1), date(2026, 12, 31))


@pytest.fixture
def book(engine: Engine) -> Iterator[Engine]:
    """The test book filled with three years of history and three Q4 2026 targets."""
    with session_scope(engine) as session:
        build_kpi_book(session)
    yield engine


def kpis_of(engine: Engine, period: Period) -> dict[str, Any]:
    """What the KPI engine computes for `period` as the dashboard shows it on TODAY (to date
    while it is in progress)."""
    with session_scope(engine) as session:
        return compute_kpis(session=session, start=period.start, end=period.end, today=TODAY)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the figures and the trends of the dashboard are computed and shown."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_dashboard(pilot: Pilot[None]) -> KpiScreen:
    """Press 5 and wait for every figure."""
    await pilot.press("5")
    await pilot.pause()
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, KpiScreen)
    return screen


def shown_column(screen: KpiScreen, column: str) -> dict[str, str]:
    """The text of one column of the KPI table, by KPI key."""
    table = screen.query_one(KpiTable)
    return {key: table.cell_text(key, column) for key in KPI_KEYS}


def expected_column(figures: dict[str, Any]) -> dict[str, str]:
    """The KPI engine's figures as the dashboard writes them."""
    return {key: kpi_display(key, figures[key]) for key in KPI_KEYS}


def period_label(screen: KpiScreen) -> str:
    """The period named in the header line."""
    return str(screen.query_one("#period-label").content)  # type: ignore[attr-defined]


async def highlight(pilot: Pilot[None], screen: KpiScreen, key: str) -> None:
    """Put the table's cursor on KPI `key`."""
    screen.query_one(KpiTable).move_cursor(row=KPI_KEYS.index(key))
    await pilot.pause()


def app_on(engine: Engine) -> RmApp:
    """The app on `engine` with today frozen."""
    return make_app(engine, book_name="test", day=TODAY)


async def test_figures_equal_the_kpi_engine(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        assert screen.period == Q4_2026
        assert shown_column(screen, "value") == expected_column(kpis_of(book, Q4_2026))
        # Q4 to date on 29 Nov (60 days) against the first 60 days of Q3.
        before = Period(date(2026, 7, 1), date(2026, 8, 29))
        assert compared_period(Q4_2026, TODAY) == before
        assert shown_column(screen, "previous") == expected_column(kpis_of(book, before))


async def test_opens_on_the_current_quarter_with_its_dates(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        assert period_label(screen) == "Q4 2026 to date"
        dates = str(screen.query_one("#period-dates").content)  # type: ignore[attr-defined]
        assert "01 Oct – 29 Nov 2026" in dates
        assert "compared with 01 Jul – 29 Aug 2026" in dates


async def test_p_cycles_quarter_year_month(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        labels = []
        for _ in range(3):
            await pilot.press("p")
            await settle(pilot)
            labels.append(period_label(screen))
            figures = kpis_of(book, screen.period)
            assert shown_column(screen, "value") == expected_column(figures)
        assert labels == ["2026 to date", "Nov 2026 to date", "Q4 2026 to date"]


async def test_brackets_step_back_and_forward(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert period_label(screen) == "Q3 2026"
        assert shown_column(screen, "value") == expected_column(kpis_of(book, screen.period))
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert screen.period == Period(date(2027, 1, 1), date(2027, 3, 31))
        assert period_label(screen) == "Q1 2027"


async def test_stepping_quickly_shows_only_the_last_period(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        await pilot.press(*["left_square_bracket"] * 5, "p", "p")
        await settle(pilot)
        assert screen.period == Period(date(2025, 8, 1), date(2025, 8, 31))
        assert shown_column(screen, "value") == expected_column(kpis_of(book, screen.period))
        trend = trend_periods(screen.period, "month")
        assert screen.query_one("#trend-revenue", TrendChart).values == [
            kpis_of(book, point)["revenue"] for point in trend
        ]


async def test_trends_cover_the_last_12_periods(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        points = trend_periods(Q4_2026, "quarter")
        figures = [kpis_of(book, point) for point in points]
        for key in TREND_KEYS:
            chart = screen.query_one(f"#trend-{key}", TrendChart)
            assert not chart.computing
            assert chart.values == [each[key] for each in figures]
            assert chart.period_labels[0] == "Q1 2024"
            assert chart.period_labels[-1] == "Q4 2026"
            low_high = chart.render().plain.splitlines()[-1]
            assert low_high.startswith("low ") and " high " in low_high
            assert len(low_high) <= chart.content_size.width


async def test_targets_show_with_their_status(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        status = shown_column(screen, "status")
        assert status["new_clients"] == "● met"
        # Revenue is judged by its pace: 60 of the quarter's 92 days are gone, so by today
        # 60/92 of the 40,000 target are due.
        assert status["revenue"] == "● met"
        assert shown_column(screen, "note")["revenue"] == "by today 26,087"
        assert status["nps"] == "● behind"  # a score is judged as it is
        assert status["aum"] == ""
        assert shown_column(screen, "target")["revenue"] == "40,000"


async def test_t_adds_a_target_and_colours_the_kpi(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        await highlight(pilot, screen, "interactions")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TargetForm)
        await pilot.press(*"90", "ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert shown_column(screen, "target")["interactions"] == "90"
        assert shown_column(screen, "status")["interactions"] == "● met"
        cell = screen.query_one(KpiTable).get_cell("interactions", "status")
        success = Color.parse(pilot.app.get_css_variables()["text-success"])
        assert cell.style.color.triplet == success.rich_color.triplet  # type: ignore[union-attr]
        with session_scope(book) as session:
            saved = targets_for(session=session, start=Q4_2026.start, end=Q4_2026.end)
        assert saved["interactions"] == Decimal("90.00")


async def test_t_changes_an_existing_target(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        await highlight(pilot, screen, "revenue")
        await pilot.press("t")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, TargetForm)
        assert form.values()["target"] == "40000"
        await pilot.press(*["backspace"] * 5, *"30000", "ctrl+s")
        await pilot.pause()
        assert shown_column(screen, "target")["revenue"] == "30,000"
        assert shown_column(screen, "status")["revenue"] == "● met"
        with session_scope(book) as session:
            rows = list_targets(session=session, metric="revenue")
        assert [row.target for row in rows] == [Decimal("30000.00")]


async def test_target_form_refuses_a_wrong_value(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        await highlight(pilot, screen, "new_clients")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("backspace", *"2.5", "ctrl+s")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, TargetForm)
        error = str(form.query_one("#error-target").content)  # type: ignore[attr-defined]
        assert "whole number" in error


async def test_x_removes_a_target_after_asking(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        await highlight(pilot, screen, "nps")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert shown_column(screen, "target")["nps"] == "60.0"
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert shown_column(screen, "target")["nps"] == ""
        assert shown_column(screen, "status")["nps"] == ""
        with session_scope(book) as session:
            assert list_targets(session=session, metric="nps") == []


async def test_x_is_dimmed_on_a_kpi_without_a_target(book: Engine) -> None:
    from rmtui.widgets.key_bar import KeyBar

    def x_enabled(screen: KpiScreen) -> bool:
        return next(hint.enabled for hint in screen.query_one(KeyBar).hints if hint.key == "x")

    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        await highlight(pilot, screen, "nps")
        await pilot.pause()
        assert x_enabled(screen)
        await highlight(pilot, screen, "interactions")
        await pilot.pause()
        assert not x_enabled(screen)
        await pilot.press("x")  # nothing to remove: no question
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("t", *"90", "ctrl+s")
        await settle(pilot)
        assert x_enabled(screen)


async def test_i_explains_the_highlighted_kpi(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        await highlight(pilot, screen, "nps")
        definition = str(screen.query_one("#kpi-definition").content)  # type: ignore[attr-defined]
        assert definition.startswith("NPS: A score from -100 to 100")
        await pilot.press("i")
        await pilot.pause()
        info = pilot.app.screen
        assert isinstance(info, KpiInfoScreen)
        text = str(info.query_one("#kpi-info-definition").content)  # type: ignore[attr-defined]
        assert text.startswith("A score from -100 to 100")
        warning = str(info.query_one("#kpi-info-warning").content)  # type: ignore[attr-defined]
        assert "based on 6 answers" in warning
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, KpiInfoScreen)


async def test_few_survey_answers_are_marked(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        answers = kpis_of(book, Q4_2026)["nps_responses"]
        notes = shown_column(screen, "note")
        assert notes["nps"] == f"⚠ based on {answers} answers"
        assert notes["clients_start"] == ""


async def test_coming_back_after_a_change_recomputes(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        before = shown_column(screen, "value")["interactions"]
        await pilot.press("1")
        await pilot.pause()
        with session_scope(book) as session:
            session.add(Interaction(client_id=1, at=datetime(2026, 11, 20, 9), kind="call"))
        await pilot.press("5")
        await pilot.pause()
        await settle(pilot)
        after = shown_column(screen, "value")["interactions"]
        assert int(after) == int(before) + 1
        assert shown_column(screen, "value") == expected_column(kpis_of(book, Q4_2026))


async def test_help_lists_the_dashboard_keys(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = {str(cell) for cell in help_screen.bindings_table.columns[1].cells}
        assert {"Month/quarter/year", "Earlier", "Later", "About KPI", "Target"} <= keys
        assert "Remove target" in keys


def test_a_typed_target_is_read_in_the_users_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    from decimal import Decimal

    from rmtui.core.user_locale import user_locale
    from rmtui.screens.forms.target import parse_target

    assert parse_target("1,000", key="interactions") == Decimal(1000)
    assert parse_target("85.5", key="retention_rate") == Decimal("85.5")
    monkeypatch.setenv("RMTUI_LOCALE", "nl_NL")
    user_locale.cache_clear()
    assert parse_target("1.000", key="interactions") == Decimal(1000)
    assert parse_target("4,5", key="csat") == Decimal("4.5")
    assert parse_target(" 92,5 % ", key="retention_rate") == Decimal("92.5")


async def test_every_kpi_shows_without_scrolling_at_120x40(book: Engine) -> None:
    async with app_on(book).run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        table = screen.query_one(KpiTable)
        assert table.max_scroll_y == 0
        assert table.size.height >= len(KPI_KEYS) + 1  # the header and a line per KPI
        last_line = table.region.y + table.size.height - 1
        assert last_line < screen.query_one("#trends").region.y  # the charts stay below it


async def test_at_80x24_the_kpis_scroll_to_referral_share(book: Engine) -> None:
    async with app_on(book).run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        table = screen.query_one(KpiTable)
        assert table.max_scroll_y > 0
        for _ in KPI_KEYS:
            await pilot.press("j")
        await pilot.pause()
        assert table.current_key == "referral_share"
        row_on_screen = KPI_KEYS.index("referral_share") + 1 - table.scroll_y
        assert 0 < row_on_screen < table.size.height
