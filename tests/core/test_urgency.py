"""Urgency on the Today list: each term read from the book, the score, the order it gives each
section, and the coefficients of config.toml."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from rmtui.core import paths
from rmtui.core.agenda import (
    BIRTHDAYS_SQL,
    RANKED_TOGETHER,
    Agenda,
    BirthdayItem,
    CaseItem,
    CheckinItem,
    FollowUpItem,
    ReviewItem,
    _kept_order,
    _named,
    birthday_window,
    build_agenda,
    with_urgency,
)
from rmtui.core.agenda_terms import CLIENT_TERMS_SQL
from rmtui.core.errors import BookError
from rmtui.core.models import (
    Case,
    Client,
    FollowUp,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
)
from rmtui.core.settings import load_settings
from rmtui.core.urgency import (
    SETTINGS,
    Coefficients,
    Term,
    Urgency,
    default_coefficients,
    urgency_of,
)
from tests.factories import every_term_worth, make

DAY = date(2026, 11, 29)
ONE_EACH = every_term_worth(1.0)  # every term counts its value


def days(n: int) -> date:
    return DAY + timedelta(days=n)


def agenda(session: Session, coefficients: Coefficients | None = None, **kw: Any) -> Agenda:
    return build_agenda(session=session, day=DAY, coefficients=coefficients, **kw)


def values(item: Any) -> dict[str, Decimal]:
    """The item's terms as term → value."""
    return {term.term: term.value for term in item.urgency.terms}


def client(session: Session, **fields: Any) -> Client:
    return make(session, Client, **{"tier": "C", "birthday": None, **fields})


# -- the score ----------------------------------------------------------------------------------


def test_points_are_value_times_coefficient_to_a_tenth_and_add_up_to_the_score() -> None:
    urgency = urgency_of(
        {"overdue_day": 3, "assets_million": Decimal("1.25"), "complaint": 0, "tier_a": None},
        Coefficients(overdue_day=1.5, assets_million=0.5),
    )
    assert [(term.term, term.points) for term in urgency.terms] == [
        ("overdue_day", Decimal("4.5")),
        ("assets_million", Decimal("0.6")),  # 0.625, rounded half up
    ]
    assert urgency.score == Decimal("5.1")
    assert Urgency().score == 0
    assert Term.of("case_day_left", Decimal(-3), Decimal("-2")).points == Decimal("6.0")


@pytest.mark.parametrize(
    "kind", [FollowUpItem, CheckinItem, ReviewItem, CaseItem, BirthdayItem], ids=str
)
def test_an_item_given_its_urgency_keeps_every_other_value(kind: type[Any]) -> None:
    values = {name: f"value of {name}" for name in kind._fields}
    urgency = urgency_of({"overdue_day": 2}, Coefficients())
    given = with_urgency(kind(**values), urgency)
    assert type(given) is kind and given.urgency == urgency
    assert given._replace(urgency=values["urgency"]) == kind(**values)


# -- each term, read from the book --------------------------------------------------------------


def test_a_follow_ups_terms_are_days_overdue_priority_and_tier(session: Session) -> None:
    ada = client(session, tier="A")
    make(session, FollowUp, client_id=ada.id, due_on=days(-4), priority="high")
    make(session, FollowUp, client_id=ada.id, due_on=days(3))
    make(session, FollowUp, client_id=None, due_on=DAY, title="My own")
    today = agenda(session, ONE_EACH)
    assert values(today.overdue[0]) == {"overdue_day": 4, "priority_high": 1, "tier_a": 1}
    assert values(today.upcoming[0]) == {"overdue_day": -3, "tier_a": 1}
    assert values(today.due_today[0]) == {}  # one's own, due today: nothing makes it pressing
    assert today.overdue[0].urgency.score == 6


def test_check_in_review_case_and_birthday_terms(session: Session) -> None:
    bob = client(session, tier="B", checkin_every_days=30, birthday=date(1980, 12, 2))
    make(session, Interaction, client_id=bob.id, at=days(-45))
    make(session, Case, client_id=bob.id, kind="request", opened_on=days(-9), due_on=days(-2))
    make(session, Case, client_id=bob.id, kind="request", opened_on=days(-9), due_on=days(2))
    today = agenda(session, ONE_EACH)
    assert values(today.checkins_due[0]) == {"checkin_day": 15, "tier_b": 1}
    assert [values(case)["case_day_left"] for case in today.cases_due] == [2, -2]
    assert values(today.birthdays[0]) == {"overdue_day": -3, "tier_b": 1}
    (review,) = today.reviews_due
    assert values(review)["overdue_day"] == -review.days_left


def test_a_business_day_clock_counts_business_days_left(session: Session) -> None:
    ada = client(session)
    # Due on Tuesday 1 December, seen on Sunday 29 November: Monday and Tuesday are left.
    make(
        session,
        Case,
        client_id=ada.id,
        opened_on=days(-10),
        due_on=days(2),
        business_days=True,
        clock="summary",
    )
    (case,) = agenda(session, ONE_EACH).cases_due
    assert (case.days_left, values(case)["case_day_left"]) == (2, 2)


def test_assets_are_each_accounts_value_on_the_day(session: Session) -> None:
    ada = client(session)
    make(session, FollowUp, client_id=ada.id, due_on=DAY)
    for account, as_of, value in (
        ("Savings", days(-60), "400000"),
        ("Savings", days(-30), "500000"),  # replaces the one before
        ("Pension", days(-90), "750000.50"),
        ("Pension", days(5), "9000000"),  # taken after the day
    ):
        make(session, Holding, client_id=ada.id, account=account, as_of=as_of, value=value)
    (item,) = agenda(session, ONE_EACH).due_today
    assert values(item)["assets_million"] == Decimal("1.2500005")


def test_revenue_counts_the_twelve_months_up_to_the_day(session: Session) -> None:
    ada = client(session)
    make(session, FollowUp, client_id=ada.id, due_on=DAY)
    for on, amount in (
        (date(2025, 11, 29), "99999"),  # a year before: not in the twelve months
        (date(2025, 11, 30), "1500"),
        (DAY, "250.50"),
        (days(1), "99999"),
    ):
        make(session, Revenue, client_id=ada.id, on=on, amount=amount)
    (item,) = agenda(session, ONE_EACH).due_today
    assert values(item)["revenue_thousand"] == Decimal("1.7505")


def test_large_assets_and_revenue_count_up_to_their_limits(session: Session) -> None:
    ada = client(session)
    make(session, FollowUp, client_id=ada.id, due_on=DAY)
    make(session, Holding, client_id=ada.id, value="48000000")
    make(session, Revenue, client_id=ada.id, amount="160000")
    (item,) = agenda(session, ONE_EACH).due_today
    assert (values(item)["assets_million"], values(item)["revenue_thousand"]) == (10, 100)
    limits = Coefficients(assets_million_max=50, revenue_thousand_max=0)
    (item,) = agenda(session, limits).due_today
    assert values(item)["assets_million"] == 48 and "revenue_thousand" not in values(item)


def test_an_open_complaint_counts_not_a_resolved_one_or_a_request(session: Session) -> None:
    names = ("open complaint", "resolved complaint", "open request")
    clients = {name: client(session, name=name) for name in names}
    for name, kind, resolved in (
        ("open complaint", "complaint", None),
        ("resolved complaint", "complaint", days(-1)),
        ("open request", "request", None),
    ):
        make(
            session,
            Case,
            client_id=clients[name].id,
            kind=kind,
            resolved_on=resolved,
            due_on=days(40),
        )
        make(session, FollowUp, client_id=clients[name].id, title=name, due_on=DAY)
    found = {item.title: values(item) for item in agenda(session, ONE_EACH).due_today}
    assert {title for title, terms in found.items() if "complaint" in terms} == {"open complaint"}


def test_a_detractor_is_one_whose_last_survey_scored_six_or_less(session: Session) -> None:
    surveys: dict[str, list[tuple[date, int | None]]] = {
        "detractor": [(days(-90), 9), (days(-10), 6)],
        "came round": [(days(-90), 3), (days(-10), 7)],
        "no score": [(days(-10), None)],
        "later survey": [(days(-10), 10), (days(1), 2)],  # after the day: not yet known
    }
    for name, answers in surveys.items():
        someone = client(session, name=name)
        for on, nps in answers:
            make(session, Survey, client_id=someone.id, on=on, nps=nps)
        make(session, FollowUp, client_id=someone.id, title=name, due_on=DAY)
    found = {item.title: values(item) for item in agenda(session, ONE_EACH).due_today}
    assert {title for title, terms in found.items() if "detractor" in terms} == {"detractor"}


def test_a_deal_closing_soon_is_an_open_one_expected_within_the_days(session: Session) -> None:
    deals = {
        "closing": ("proposal", days(30)),
        "later": ("proposal", days(31)),
        "won": ("won", days(3)),
        "slipped": ("negotiation", days(-1)),
    }
    for name, (stage, close) in deals.items():
        someone = client(session, name=name)
        make(
            session,
            Opportunity,
            client_id=someone.id,
            stage=stage,
            expected_close_on=close,
            closed_on=days(-1) if stage == "won" else None,
        )
        make(session, FollowUp, client_id=someone.id, title=name, due_on=DAY)
    found = {item.title: values(item) for item in agenda(session, ONE_EACH).due_today}
    assert {title for title, terms in found.items() if "deal_closing" in terms} == {"closing"}
    soon = Coefficients(deal_closing_days=31)
    found = {item.title: values(item) for item in agenda(session, soon).due_today}
    assert {title for title, terms in found.items() if "deal_closing" in terms} == {
        "closing",
        "later",
    }


def test_a_clients_terms_are_read_from_indexes_alone(session: Session) -> None:
    params = {
        "day": DAY.isoformat(),
        "year_before": "2025-11-29",
        "deal_horizon": "2026-12-29",
        "assets_max": 1,
        "revenue_max": 1,
        "c0": 1,
    }
    plan = query_plan(session, CLIENT_TERMS_SQL.format(ids=":c0"), params)
    for index in ("ix_holding_client_in_effect", "ix_revenue_client_on", "ix_survey_client_on"):
        assert f"USING COVERING INDEX {index} (client_id=?" in plan
    kept_on = birthday_window(DAY)
    days, names = _named(list(kept_on))
    birthdays = BIRTHDAYS_SQL.format(days=days, kept_on=_kept_order(names, kept_on))
    assert "USING COVERING INDEX ix_client_birthday_month_day" in query_plan(
        session, birthdays, {**names, "read": 50}
    )


def query_plan(session: Session, sql: str, params: dict[str, Any]) -> str:
    """How SQLite runs `sql`: the details of its query plan, one a line."""
    cursor = session.connection().connection.cursor()
    cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
    return "\n".join(row[3] for row in cursor.fetchall())


# -- the order ----------------------------------------------------------------------------------


def test_each_section_is_in_order_of_urgency(session: Session) -> None:
    big = client(session, name="Big", tier="A")
    make(session, Holding, client_id=big.id, value="8000000")
    small = client(session, name="Small", tier="C")
    make(session, FollowUp, client_id=small.id, title="small, late", due_on=days(-6))
    make(session, FollowUp, client_id=big.id, title="big, high", due_on=days(-1), priority="high")
    make(session, FollowUp, client_id=small.id, title="small, high", due_on=days(-1))
    titles = [item.title for item in agenda(session).overdue]
    # 1 + 5 + 3 + 4 (8 millions at 0.5) = 13 points, then 6 days, then 1 day.
    assert titles == ["big, high", "small, late", "small, high"]
    scores = [item.urgency.score for item in agenda(session).overdue]
    assert scores == sorted(scores, reverse=True) == [13, 6, 1]


def test_items_of_equal_urgency_keep_their_clocks_order(session: Session) -> None:
    someone = client(session)
    for number in range(4):
        make(session, FollowUp, client_id=someone.id, title=f"{number}", due_on=DAY)
    assert [item.title for item in agenda(session).due_today] == ["0", "1", "2", "3"]


def test_a_section_is_ranked_a_page_at_a_time_in_its_clocks_order(session: Session) -> None:
    someone = client(session)
    important = client(session, tier="A")
    for number in range(RANKED_TOGETHER):
        make(session, FollowUp, client_id=someone.id, title=f"late {number}", due_on=days(-2))
    make(session, FollowUp, client_id=important.id, title="later page", due_on=days(-1))
    whole = agenda(session).overdue
    limited = agenda(session, limit=RANKED_TOGETHER).overdue
    # The most overdue page is ranked first; the A client's, one day late, heads the next.
    assert whole[RANKED_TOGETHER].title == "later page"
    assert limited == whole[:RANKED_TOGETHER]
    assert whole[RANKED_TOGETHER].urgency.score > whole[0].urgency.score


# -- coefficients from config.toml ----------------------------------------------------------------


def write_config(text: str) -> Path:
    path = paths.config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_agenda_ranks_by_the_coefficients_of_config_toml(session: Session) -> None:
    tier_a = client(session, tier="A")
    tier_c = client(session, tier="C")
    make(session, FollowUp, client_id=tier_a.id, title="A", due_on=DAY)
    make(session, FollowUp, client_id=tier_c.id, title="C", due_on=DAY)
    assert [item.title for item in agenda(session).due_today] == ["A", "C"]
    write_config("[urgency]\ntier_a = 0\ntier_c = 2.5\n")
    today = agenda(session)
    assert [item.title for item in today.due_today] == ["C", "A"]
    assert today.due_today[0].urgency.terms == (Term.of("tier_c", Decimal(1), Decimal("2.5")),)
    assert today.settings_problem is None


def test_a_broken_config_ranks_by_the_defaults_and_says_why(session: Session) -> None:
    make(session, FollowUp, client_id=client(session, tier="A").id, due_on=DAY)
    write_config('[urgency]\ntier_a = "high"\n')
    today = agenda(session)
    assert today.due_today[0].urgency.score == 3
    assert today.settings_problem is not None
    assert "urgency.tier_a must be a number of points" in today.settings_problem


def test_the_coefficients_by_default_and_as_set(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml").urgency == Coefficients()
    path = tmp_path / "config.toml"
    path.write_text(
        "[urgency]\noverdue_day = 2\ncase_day_left = -0.5\ndeal_closing_days = 14\n",
        encoding="utf-8",
    )
    urgency = load_settings(path).urgency
    assert (urgency.overdue_day, urgency.case_day_left, urgency.deal_closing_days) == (2, -0.5, 14)
    assert urgency.tier_a == Coefficients().tier_a


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[urgency]\ntier_a = "high"\n', "urgency.tier_a must be a number of points"),
        ("[urgency]\ncomplaint = true\n", "urgency.complaint must be a number of points"),
        ("[urgency]\noverdue_day = inf\n", "urgency.overdue_day must be a number of points"),
        ("[urgency]\noverdue_day = 1e30\n", "urgency.overdue_day must be a number of points"),
        ("[urgency]\nassets_million_max = 1e30\n", "assets_million_max must be a number of 0"),
        ("[urgency]\ntier_d = 1\n", "urgency has no setting 'tier_d'"),
        ("[urgency]\ndeal_closing_days = 7.5\n", "deal_closing_days must be a whole number"),
        ("[urgency]\ndeal_closing_days = -1\n", "deal_closing_days must be a whole number"),
        ("[urgency]\nassets_million_max = -1\n", "assets_million_max must be a number of 0"),
        ('urgency = "high"\n', r"\[urgency\] must be a table"),
    ],
)
def test_a_wrong_coefficient_is_one_sentence(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BookError, match=message) as raised:
        load_settings(path)
    assert str(raised.value).count(". ") == 0 and str(raised.value).endswith(".")


def test_the_readme_lists_every_setting_with_its_default() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (-?[\d.]+) \|", readme, re.MULTILINE))
    listed = {key: float(rows[key]) for key in SETTINGS if key in rows}
    assert listed == {key: float(value) for key, value in default_coefficients().items()}
