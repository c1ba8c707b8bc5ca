"""`rmtui agenda` with urgency: each item's score and terms in JSON, the score in the text, the
coefficients of config.toml, and a wrong one refused in one sentence."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from rmtui.cli import main
from rmtui.core import paths
from rmtui.core.db import session_scope
from rmtui.core.models import Client, FollowUp, Holding
from tests.factories import make


@pytest.fixture
def book(small_book: Engine) -> Engine:
    """Ann (tier B, revenue 1,250.50, a follow-up 9 days late) and Ben (tier A, 2 millions, a
    high-priority follow-up 1 day late)."""
    with session_scope(small_book) as session:
        ben = make(session, Client, name="Ben Smit", tier="A")
        make(session, Holding, client_id=ben.id, value="2000000")
        make(
            session,
            FollowUp,
            client_id=ben.id,
            title="Sign the mandate",
            due_on=date(2026, 11, 28),
            priority="high",
        )
    small_book.dispose()
    return small_book


def agenda_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["agenda", "--json", *args]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_agenda_json_carries_each_items_urgency_and_terms(
    book: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    overdue = agenda_json(capsys)["overdue"]
    assert [item["title"] for item in overdue] == ["Send proposal", "Sign the mandate"]
    proposal, mandate = overdue
    # 1 day late + high priority + tier A + 2 millions at 0.5 a million.
    assert mandate["urgency"] == 10.0
    assert mandate["terms"] == [
        {"term": "overdue_day", "value": 1, "coefficient": 1.0, "points": 1.0},
        {"term": "priority_high", "value": 1, "coefficient": 5.0, "points": 5.0},
        {"term": "tier_a", "value": 1, "coefficient": 3.0, "points": 3.0},
        {"term": "assets_million", "value": 2, "coefficient": 0.5, "points": 1.0},
    ]
    # 9 days late + tier B + 1.2505 thousand of revenue at 0.05 a thousand (0.06, to 0.1).
    assert proposal["urgency"] == 10.1
    assert proposal["terms"][-1] == {
        "term": "revenue_thousand",
        "value": 1.2505,
        "coefficient": 0.05,
        "points": 0.1,
    }
    assert sum(term["points"] for term in proposal["terms"]) == pytest.approx(10.1)


def test_the_coefficients_of_config_toml_change_the_order(
    book: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    config = paths.config_dir() / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[urgency]\noverdue_day = 0.5\n", encoding="utf-8")
    overdue = agenda_json(capsys)["overdue"]
    assert [(item["title"], item["urgency"]) for item in overdue] == [
        ("Sign the mandate", 9.5),
        ("Send proposal", 5.6),
    ]


def test_agenda_text_shows_each_items_urgency(
    book: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agenda"]) == 0
    text = capsys.readouterr().out
    assert (
        "Overdue follow-ups (2)\n"
        "  2026-11-20  Send proposal - Ann Peeters (9 days late)  (urgency 10.1)\n"
        "  2026-11-28  Sign the mandate - Ben Smit [high] (1 day late)  (urgency 10.0)\n"
    ) in text


def test_a_wrong_coefficient_is_refused_in_one_sentence(
    book: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    config = paths.config_dir() / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[urgency]\ntier_a = "very"\n', encoding="utf-8")
    assert main(["agenda", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        f"rmtui: {config}: urgency.tier_a must be a number of points, like 2.5 or -1, not 'very'."
    ]
