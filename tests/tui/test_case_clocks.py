"""Case clocks used like a user: a payment complaint opened on a client's detail runs 15
business days, and a complaint plans its holding reply."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from rmtui.core.db import session_scope
from rmtui.core.models import Case, Client, FollowUp
from rmtui.screens.forms.case import CaseForm
from tests.clients_book import SIZE, app_on, settle
from tests.factories import make
from tests.tui.form_app import choose
from tests.tui.test_client_detail import open_detail
from tests.tui.test_client_financials_screen import go_to_panel, row_text, save_form, type_into


@pytest.fixture
def client_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        client = make(session, Client, name="Ann Peeters")
        assert client.id is not None
        return client.id


async def test_a_payment_complaint_runs_fifteen_business_days(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await pilot.press("c")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, CaseForm)
        await choose(pilot, "clock", 3)  # (none), complaint, summary, payment
        assert "15 business days" in str(form.query_one("#clock-hint").render())
        await type_into(pilot, "subject", "Card payment taken twice")
        await save_form(pilot)
        # Opened Sunday 29 Nov 2026: the 15th business day after it is Friday 18 Dec.
        assert row_text(pilot, "cases", 0)[:3] == [
            "18 Dec 2026",
            "15 business days left",
            "complaint",
        ]
    with session_scope(engine) as session:
        case = session.exec(select(Case)).one()
        assert (case.clock, case.business_days, case.due_on) == (
            "payment",
            True,
            date(2026, 12, 18),
        )


async def test_a_complaint_plans_its_holding_reply(engine: Engine, client_id: int) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await pilot.press("c")
        await settle(pilot)
        await choose(pilot, "clock", 1)
        await type_into(pilot, "subject", "Advice was unclear")
        await save_form(pilot)
    with session_scope(engine) as session:
        case = session.exec(select(Case)).one()
        reply = session.exec(select(FollowUp)).one()
    assert case.due_on == date(2027, 1, 24)  # 8 weeks
    assert (reply.title, reply.due_on) == (
        "Send a holding reply: Advice was unclear",
        date(2026, 12, 27),
    )


async def test_x_extends_a_payment_complaint_with_a_reason_and_u_takes_it_back(
    engine: Engine, client_id: int
) -> None:
    from rmtui.core.queries.cases import add_case

    with session_scope(engine) as session:
        add_case(
            session=session,
            client_id=client_id,
            kind="complaint",
            subject="Transfer lost",
            opened_on=date(2026, 11, 27),
            clock="payment",
        )
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await go_to_panel(pilot, "cases")
        await pilot.press("X")
        await settle(pilot)
        await save_form(pilot)  # no reason: refused next to the field
        assert "Say why" in str(pilot.app.screen.query_one("#error-reason").render())
        await pilot.press(*"Waiting for the receiving bank")
        await save_form(pilot)
        assert row_text(pilot, "cases", 0)[:2] == ["19 Jan 2027", "35 business days left"]
        await pilot.press("u")
        await settle(pilot)
        assert row_text(pilot, "cases", 0)[:2] == ["18 Dec 2026", "15 business days left"]
