"""The dashboard's figures: status against target, change, sample warnings, typed targets, bars."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from rmtui.core.charts import bar_levels
from rmtui.core.db import session_scope
from rmtui.core.kpi import KPI_KEYS, compute_kpis, kpi_display
from rmtui.core.kpi_board import (
    change_text,
    figure_display,
    figures_stamp,
    kpi_lines,
    pending_lines,
    sample_warning,
    short_display,
    target_display,
    target_status,
    target_text,
)
from rmtui.core.models import Client, Target
from rmtui.core.parsers import FieldError
from rmtui.screens.forms.target import parse_target
from tests.factories import make


@pytest.mark.parametrize(
    ("key", "value", "target", "status"),
    [
        ("revenue", Decimal("1000"), Decimal("1000"), "met"),
        ("revenue", Decimal("900"), Decimal("1000"), "close"),
        ("revenue", Decimal("899.99"), Decimal("1000"), "behind"),
        ("retention_rate", 91.5, Decimal("90"), "met"),
        ("retention_rate", 81.0, Decimal("90"), "close"),
        ("nps", -10.5, Decimal("-10"), "close"),
        ("nps", -12.0, Decimal("-10"), "behind"),
        ("nps", -5.0, Decimal("-10"), "met"),
        ("lost_clients", 2, Decimal("2"), "met"),
        ("lost_clients", 3, Decimal("2"), "behind"),
        ("lost_clients", 0, Decimal("0"), "met"),
        ("lost_clients", 1, Decimal("0"), "behind"),
        ("csat", None, Decimal("4"), None),
        ("csat", 4.2, None, None),
    ],
)
def test_target_status(key: str, value: object, target: Decimal | None, status: str) -> None:
    assert target_status(key, value, target) == status


@pytest.mark.parametrize(
    ("key", "value", "previous", "text"),
    [
        ("interactions", 12, 9, "+3"),
        ("interactions", 1200, 2500, "-1,300"),
        ("interactions", 5, 5, "0"),
        ("nps", 12.34, 10.0, "+2.3 pts"),
        ("csat", 4.0, 4.02, "0.0"),
        ("revenue", Decimal("110"), Decimal("100"), "+10.0%"),
        ("aum", Decimal("5"), Decimal("0"), "—"),
        ("retention_rate", None, 80.0, "—"),
    ],
)
def test_change_text(key: str, value: object, previous: object, text: str) -> None:
    assert change_text(key, value, previous) == text


def test_sample_warning_under_thirty_answers() -> None:
    assert sample_warning("nps", {"nps_responses": 29}) == "based on 29 answers"
    assert sample_warning("csat", {"csat_responses": 1}) == "based on 1 answer"
    assert sample_warning("nps", {"nps_responses": 30}) is None
    assert sample_warning("nps", {"nps_responses": 0}) is None
    assert sample_warning("revenue", {"nps_responses": 3}) is None


def test_targets_are_written_like_their_kpi() -> None:
    assert target_display("new_clients", Decimal("12.00")) == "12"
    assert target_display("nps", Decimal("35.00")) == "35.0"  # a score, not a percentage
    assert target_display("revenue", Decimal("25000.00")) == "25,000"
    assert target_display("csat", Decimal("4.50")) == "4.5"
    assert target_text(Decimal("25000.00")) == "25000"
    assert target_text(Decimal("4.50")) == "4.5"


def test_kpi_lines_use_the_kpi_engine_display(session: Session) -> None:
    make(session, Client)
    start, end = date(2026, 10, 1), date(2026, 12, 31)
    figures = compute_kpis(session=session, start=start, end=end)
    before = compute_kpis(session=session, start=date(2026, 7, 1), end=date(2026, 9, 30))
    lines = kpi_lines(figures, before, {"clients_start": Decimal(2)})
    assert [line.key for line in lines] == list(KPI_KEYS)
    assert [line.value for line in lines] == [kpi_display(key, figures[key]) for key in KPI_KEYS]
    assert lines[0].target == "2" and lines[0].status == "behind"
    pending = pending_lines({"nps": Decimal(10)})
    assert {line.value for line in pending} == {"…"}
    assert [line.target for line in pending if line.target] == ["10.0"]


def test_figures_stamp_moves_with_changes_but_not_with_targets(engine: object) -> None:
    with session_scope(engine) as session:  # type: ignore[arg-type]
        assert figures_stamp(session=session) == 0
        make(session, Client)
    with session_scope(engine) as session:  # type: ignore[arg-type]
        stamp = figures_stamp(session=session)
        assert stamp > 0
        make(session, Target)
    with session_scope(engine) as session:  # type: ignore[arg-type]
        assert figures_stamp(session=session) == stamp


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("new_clients", "12", Decimal("12")),
        ("nps", "-10", Decimal("-10")),
        ("retention_rate", " 92.5 % ", Decimal("92.5")),  # as en writes it; nl: 92,5
        ("revenue", "25 000", Decimal("25000.00")),
        ("csat", "4.5", Decimal("4.5")),
    ],
)
def test_parse_target(key: str, text: str, value: Decimal) -> None:
    assert parse_target(text, key=key) == value


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("new_clients", "", "Type a target"),
        ("new_clients", "2.5", "whole number"),
        ("new_clients", "-1", "whole number"),
        ("nps", "lots", "must be a number"),
        ("revenue", "-5", "at least 0"),
        ("csat", "7", "from 1 to 5"),
        ("csat", "0.5", "from 1 to 5"),
    ],
)
def test_parse_target_refuses(key: str, text: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        parse_target(text, key=key)


def test_bar_levels_start_from_zero_and_show_every_value() -> None:
    assert bar_levels([0, 5, 10, None], 8) == [1, 4, 8, None]
    assert bar_levels([-50.0, 0.0, 50.0], 8) == [1, 4, 8]
    assert bar_levels([3, 3], 8) == [8, 8]
    assert bar_levels([0, 0], 8) == [1, 1]
    assert bar_levels([None, None], 8) == [None, None]


def test_figures_fit_their_column_without_losing_digits() -> None:
    assert figure_display("aum", Decimal("8581122.63")) == "8,581,123"  # totals in whole units
    assert figure_display("revenue", Decimal("8581122.63")) == "8,581,123"
    assert figure_display("aum", Decimal("13369455994.52")) == "13,369,455,995"
    assert figure_display("aum", Decimal("12345678901234.56")) == "12,345.7B"
    assert figure_display("aum", Decimal("13369455994.52"), width=13) == "13.4B"
    assert figure_display("retention_rate", 98.66) == "98.7%"
    assert figure_display("aum", None) == "—"


def test_short_display_shortens_large_amounts_only() -> None:
    assert short_display("aum", Decimal("182769936.01")) == "182.8M"
    assert short_display("aum", Decimal("133882119596.23")) == "133.9B"
    assert short_display("revenue", Decimal("25300")) == "25.3k"
    assert short_display("revenue", Decimal("950.50")) == "951"
    assert short_display("nps", 12.34) == "12.3"
    assert short_display("aum", None) == "—"


def test_a_target_of_a_count_or_sum_is_judged_by_its_pace() -> None:
    from rmtui.core.kpi_board import expected_by_today, kpi_line

    gone = Decimal(60) / Decimal(92)
    assert expected_by_today("revenue", Decimal("40000"), gone) == Decimal("26086.96")
    assert expected_by_today("interactions", Decimal("175"), gone) == Decimal("114")
    assert expected_by_today("nps", Decimal("40"), gone) is None  # a score: as it is
    assert expected_by_today("aum", Decimal("1000000"), gone) is None  # a level: as it is
    assert expected_by_today("revenue", Decimal("40000"), None) is None  # the period has ended
    figures = {"revenue": Decimal("27000"), "revenue_responses": 0}
    line = kpi_line("revenue", figures, {"revenue": Decimal("1")}, Decimal("40000"), gone=gone)
    assert (line.status, line.expected, line.target) == ("met", "26,087", "40,000")
    ended = kpi_line("revenue", figures, {"revenue": Decimal("1")}, Decimal("40000"))
    assert (ended.status, ended.expected) == ("behind", None)
