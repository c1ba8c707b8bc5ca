"""Holding, goal, survey and revenue forms used like a user, the review export form, and the
queries that save what they return."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from textual.pilot import Pilot

from rmtui.app import make_app
from rmtui.core.db import session_scope
from rmtui.core.models import Client, FinancialGoal, Holding, Revenue, Survey
from rmtui.core.queries.client_records import (
    add_goal,
    add_holding,
    add_revenue,
    add_survey,
    client_accounts,
    client_holdings,
    client_revenue_entries,
    delete_goal,
    delete_holding,
    delete_revenue,
    delete_survey,
    update_goal,
    update_holding,
    update_revenue,
    update_survey,
)
from rmtui.core.queries.common import InvalidChange, RecordNotFound
from rmtui.screens.flows import records as record_actions
from rmtui.screens.forms.financial import (
    GoalForm,
    HoldingForm,
    RevenueForm,
    ReviewExportForm,
    SurveyForm,
)
from tests.factories import make
from tests.tui.form_app import NOTHING, FormApp, choose, error_of, type_in, value_of

DAY = date(2026, 11, 29)
SIZE = (120, 40)
WHO: dict[str, Any] = {"client_id": 7, "client_name": "Ann Maes", "day": DAY}


async def save(pilot: Pilot[None]) -> None:
    """Press ctrl+s and let the form answer."""
    await pilot.press("ctrl+s")
    await pilot.pause()


# -- holdings ----------------------------------------------------------------------------------


async def test_holding_form_records_an_accounts_value() -> None:
    form = HoldingForm(**WHO, accounts=("Pension fund", "Savings"))
    app = FormApp(form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert form.FORM_TITLE == "New holding value for Ann Maes"
        assert value_of(pilot, "as_of") == "today"
        await pilot.press(*"Pension fund", "tab", "tab", *"125,000.50")
        await save(pilot)
    assert app.result == {
        "client_id": 7,
        "account": "Pension fund",
        "as_of": DAY,
        "value": Decimal("125000.50"),
    }


async def test_holding_form_explains_bad_values() -> None:
    app = FormApp(HoldingForm(**WHO))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, "as_of", "tomorrow")
        await type_in(pilot, "value", "lots")
        await save(pilot)
        assert app.result is NOTHING
        assert error_of(pilot, "account") == "The account is required."
        assert error_of(pilot, "as_of") == "This day is still to come; give today or a day before."
        assert error_of(pilot, "value") == "The value must be an amount like 1250.00, not 'lots'."
        await type_in(pilot, "account", "Main")
        await type_in(pilot, "as_of", "2026-10-31")
        await type_in(pilot, "value", "")
        await save(pilot)
        assert error_of(pilot, "value") == "The value is required: an amount like 1250.00."
        assert error_of(pilot, "account") is None
        await type_in(pilot, "value", "900")
        await save(pilot)
    assert app.result["as_of"] == date(2026, 10, 31)
    assert app.result["value"] == Decimal("900.00")


# -- goals -------------------------------------------------------------------------------------


async def test_goal_form_adds_a_goal() -> None:
    app = FormApp(GoalForm(**WHO))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"House deposit", "tab", *"80000", "tab", *"2028-11-29", "tab", *"50000")
        await save(pilot)
    assert app.result == {
        "client_id": 7,
        "title": "House deposit",
        "target_amount": Decimal("80000.00"),
        "target_date": date(2028, 11, 29),
        "current_amount": Decimal("50000.00"),
    }


async def test_goal_form_needs_a_target_and_a_date_to_come() -> None:
    app = FormApp(GoalForm(**WHO))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Studies", "tab", *"0", "tab", *"2026-01-01", "tab", *"-5")
        await save(pilot)
        assert app.result is NOTHING
        assert error_of(pilot, "target_amount") == "The target amount must be more than 0."
        assert error_of(pilot, "target_date") == "A new goal's date should still be to come."
        assert error_of(pilot, "current_amount") == "The amount reached cannot be below 0."
        await type_in(pilot, "target_amount", "30000")
        await type_in(pilot, "target_date", "")
        await type_in(pilot, "current_amount", "")
        await save(pilot)
    assert app.result["target_date"] is None
    assert app.result["current_amount"] == Decimal("0.00")


async def test_goal_form_edits_what_was_there() -> None:
    initial = {"title": "Car", "target_amount": Decimal("20000.00"), "current_amount": "5000.00"}
    form = GoalForm(**WHO, initial=initial)
    app = FormApp(form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert form.FORM_TITLE == "Edit the financial goal for Ann Maes"
        assert value_of(pilot, "target_amount") == "20000.00"
        await type_in(pilot, "current_amount", "7500")
        await save(pilot)
    assert app.result["title"] == "Car"
    assert app.result["current_amount"] == Decimal("7500.00")


# -- surveys -----------------------------------------------------------------------------------


async def test_survey_form_records_scores_and_a_comment() -> None:
    app = FormApp(SurveyForm(**WHO))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+u", *"yesterday", "tab", *"4", "tab", *"9", "tab")
        await pilot.press(*"Quick answers")
        await save(pilot)
    assert app.result == {
        "client_id": 7,
        "on": date(2026, 11, 28),
        "csat": 4,
        "nps": 9,
        "comment": "Quick answers",
    }


async def test_survey_form_checks_the_score_ranges() -> None:
    app = FormApp(SurveyForm(**WHO))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await save(pilot)
        assert error_of(pilot, "csat") == "Give a CSAT score (1–5), an NPS score (0–10) or both."
        await type_in(pilot, "csat", "6")
        await type_in(pilot, "nps", "11")
        await save(pilot)
        assert error_of(pilot, "csat") == "CSAT must be from 1 to 5."
        assert error_of(pilot, "nps") == "NPS must be from 0 to 10."
        await type_in(pilot, "csat", "")
        await type_in(pilot, "nps", "0")
        await save(pilot)
    assert (app.result["csat"], app.result["nps"], app.result["comment"]) == (None, 0, None)


# -- revenue -----------------------------------------------------------------------------------


async def test_revenue_form_records_a_commission() -> None:
    app = FormApp(RevenueForm(**WHO))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", *"350.25")
        await choose(pilot, "kind", 1)
        await type_in(pilot, "description", "Fund switch")
        await save(pilot)
    assert app.result == {
        "client_id": 7,
        "on": DAY,
        "amount": Decimal("350.25"),
        "kind": "commission",
        "description": "Fund switch",
    }


async def test_revenue_form_refuses_a_zero_amount() -> None:
    app = FormApp(RevenueForm(**WHO))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, "amount", "0")
        await save(pilot)
        assert error_of(pilot, "amount") == "The amount cannot be 0."
        await type_in(pilot, "amount", "-20")
        await save(pilot)
    assert app.result["amount"] == Decimal("-20.00")  # a refund


# -- the review export -------------------------------------------------------------------------


async def test_review_export_offers_a_file_in_the_home_folder(private_dirs: Path) -> None:
    private_dirs.mkdir(parents=True, exist_ok=True)
    app = FormApp(ReviewExportForm(client_name="Ann <b>& Co", day=DAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert value_of(pilot, "path") == "~/rmtui-review-ann-b-co-2026-11-29.md"
        await choose(pilot, "format", 1)
        assert value_of(pilot, "path") == "~/rmtui-review-ann-b-co-2026-11-29.html"
        await save(pilot)
    assert app.result == private_dirs / "rmtui-review-ann-b-co-2026-11-29.html"


async def test_review_export_checks_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a name without a folder is written in the current one
    app = FormApp(ReviewExportForm(client_name="Ann", day=DAY, folder=str(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, "path", "review.html")
        await save(pilot)
        assert error_of(pilot, "path") == ("A Markdown file name should end in .md, not .html.")
        await type_in(pilot, "path", "missing/review.md")
        await save(pilot)
        assert error_of(pilot, "path") == f"The folder {tmp_path / 'missing'} does not exist."
        await type_in(pilot, "path", "")
        await save(pilot)
        assert error_of(pilot, "path") == "A file name is required."
        await type_in(pilot, "path", "for-ann")
        await save(pilot)
    assert app.result == tmp_path / "for-ann.md"


# -- the queries behind the forms --------------------------------------------------------------


def client_id(session: Session) -> int:
    client = make(session, Client)
    assert client.id is not None
    return client.id


def test_holdings_add_update_delete(session: Session) -> None:
    cid = client_id(session)
    holding = add_holding(
        session=session, client_id=cid, account=" Main ", as_of=DAY, value=Decimal("10")
    )
    assert holding.account == "Main"
    add_holding(session=session, client_id=cid, account="Savings", as_of=DAY, value=Decimal(1))
    assert holding.id is not None
    update_holding(session=session, holding_id=holding.id, values={"value": "12.5"})
    session.expire_all()
    assert session.get(Holding, holding.id).value == Decimal("12.50")  # type: ignore[union-attr]
    assert client_accounts(session=session, client_id=cid) == ["Main", "Savings"]
    assert [row.account for row in client_holdings(session=session, client_id=cid)] == [
        "Main",
        "Savings",
    ]
    delete_holding(session=session, holding_id=holding.id)
    assert client_accounts(session=session, client_id=cid) == ["Savings"]
    with pytest.raises(InvalidChange, match="An account needs a name"):
        add_holding(session=session, client_id=cid, account=" ", as_of=DAY, value=Decimal(1))
    with pytest.raises(RecordNotFound):
        add_holding(session=session, client_id=999, account="A", as_of=DAY, value=Decimal(1))


def test_goals_add_update_delete(session: Session) -> None:
    cid = client_id(session)
    goal = add_goal(session=session, client_id=cid, title="Car", target_amount=Decimal(20000))
    assert goal.id is not None and goal.current_amount == 0
    update_goal(session=session, goal_id=goal.id, values={"current_amount": Decimal(500)})
    with pytest.raises(ValueError, match="no settable field"):
        update_goal(session=session, goal_id=goal.id, values={"client_id": 3})
    session.expire_all()
    assert session.get(FinancialGoal, goal.id).current_amount == 500  # type: ignore[union-attr]
    delete_goal(session=session, goal_id=goal.id)
    assert session.get(FinancialGoal, goal.id) is None


def test_surveys_add_update_delete(session: Session) -> None:
    cid = client_id(session)
    survey = add_survey(session=session, client_id=cid, on=DAY, csat=3)
    assert survey.id is not None
    update_survey(session=session, survey_id=survey.id, values={"nps": 10})
    with pytest.raises(InvalidChange, match="A CSAT score must be from 1 to 5, not 0"):
        update_survey(session=session, survey_id=survey.id, values={"csat": 0})
    with pytest.raises(InvalidChange, match="An NPS score must be from 0 to 10, not 11"):
        add_survey(session=session, client_id=cid, on=DAY, nps=11)
    assert session.get(Survey, survey.id).nps == 10  # type: ignore[union-attr]
    delete_survey(session=session, survey_id=survey.id)
    assert session.get(Survey, survey.id) is None


def test_revenue_add_update_delete(session: Session) -> None:
    cid = client_id(session)
    first = add_revenue(session=session, client_id=cid, on=date(2026, 1, 1), amount=Decimal(5))
    second = add_revenue(
        session=session, client_id=cid, on=DAY, amount=Decimal("7.5"), kind="commission"
    )
    assert first.id is not None and second.id is not None
    assert [row.id for row in client_revenue_entries(session=session, client_id=cid)] == [
        second.id,
        first.id,
    ]
    update_revenue(session=session, revenue_id=first.id, values={"kind": "interest"})
    with pytest.raises(InvalidChange, match="The kind of revenue must be one of"):
        update_revenue(session=session, revenue_id=first.id, values={"kind": "gift"})
    with pytest.raises(InvalidChange):
        add_revenue(session=session, client_id=cid, on=DAY, amount=Decimal(1), kind="gift")
    assert session.get(Revenue, first.id).kind == "interest"  # type: ignore[union-attr]
    delete_revenue(session=session, revenue_id=first.id)
    with pytest.raises(RecordNotFound, match="There is no revenue #"):
        delete_revenue(session=session, revenue_id=first.id)


# -- the actions client detail runs: the form, then the save -----------------------------------


def book_with_a_client(engine: Engine) -> int:
    with session_scope(engine) as session:
        return client_id(session)


async def test_add_edit_and_delete_records_through_the_actions(engine: Engine) -> None:
    cid = book_with_a_client(engine)
    refreshed: list[str] = []
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        record_actions.add_record(
            app.screen, "holding", cid, on_saved=lambda: refreshed.append("holding")
        )
        await pilot.pause()
        await pilot.press(*"Pension fund", "tab", "tab", *"125000", "ctrl+s")
        await pilot.pause()
        assert refreshed == ["holding"]
        assert [n.message for n in app._notifications] == [
            "Added the value of Pension fund on 29 Nov 2026 (125,000)."
        ]
        with session_scope(engine) as session:
            [holding] = client_holdings(session=session, client_id=cid)
        assert (holding.account, holding.as_of, holding.value) == ("Pension fund", DAY, 125000)
        assert holding.id is not None

        record_actions.edit_record(app.screen, "holding", holding.id)
        await pilot.pause()
        assert isinstance(app.screen, HoldingForm)
        assert value_of(pilot, "value") == "125000.00"
        await type_in(pilot, "value", "130000")
        await pilot.press("ctrl+s")
        await pilot.pause()

        record_actions.add_record(app.screen, "survey", cid)
        await pilot.pause()
        await type_in(pilot, "nps", "3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        with session_scope(engine) as session:
            [survey] = session.exec(select(Survey)).all()
            assert session.get(Holding, holding.id).value == 130000  # type: ignore[union-attr]
        assert survey.id is not None and survey.nps == 3

        record_actions.delete_record(
            app.screen, "survey", survey.id, on_saved=lambda: refreshed.append("gone")
        )
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert refreshed[-1] == "gone"
        with session_scope(engine) as session:
            assert session.get(Survey, survey.id) is None


async def test_a_goal_and_revenue_through_the_actions(engine: Engine) -> None:
    cid = book_with_a_client(engine)
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        record_actions.add_record(app.screen, "goal", cid)
        await pilot.pause()
        await pilot.press(*"House", "tab", *"80000", "tab", *"2028-11-29", "ctrl+s")
        await pilot.pause()
        record_actions.add_record(app.screen, "revenue", cid)
        await pilot.pause()
        await type_in(pilot, "amount", "99.90")
        await pilot.press("ctrl+s")
        await pilot.pause()
    with session_scope(engine) as session:
        [goal] = session.exec(select(FinancialGoal)).all()
        [revenue] = client_revenue_entries(session=session, client_id=cid)
    assert (goal.title, goal.target_amount, goal.current_amount) == ("House", 80000, 0)
    assert (revenue.amount, revenue.kind, revenue.on) == (Decimal("99.90"), "fee", DAY)


async def test_export_review_writes_the_file_and_says_where(
    engine: Engine, private_dirs: Path
) -> None:
    private_dirs.mkdir(parents=True, exist_ok=True)
    cid = book_with_a_client(engine)
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        record_actions.export_review(app.screen, cid)
        await pilot.pause()
        assert isinstance(app.screen, ReviewExportForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        written = private_dirs / "rmtui-review-ada-client-2026-11-29.md"
        assert written.read_text(encoding="utf-8").startswith("# Client review: Ada Client")
        assert [n.message for n in app._notifications] == [
            f"Wrote the review of Ada Client to {written}."
        ]
