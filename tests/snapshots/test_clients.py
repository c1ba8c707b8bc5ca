"""Snapshots of the Clients and Client detail screens at 120×40 with today frozen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy.engine import Engine
from sqlmodel import Session
from textual.pilot import Pilot

from rmtui.app import RmApp
from rmtui.core.db import session_scope
from rmtui.core.models import Case, FinancialGoal, Holding, Revenue
from rmtui.screens.client.panels import PANELS
from rmtui.screens.clients import ClientsScreen
from tests.clients_book import SIZE, app_on, fill_book, make_rich_client, open_clients, settle
from tests.factories import make


def test_clients_screen(snap_compare: Any, engine: Engine) -> None:
    with session_scope(engine) as session:
        fill_book(session)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_clients(pilot)
        await pilot.press("down", "down", "down")

    assert snap_compare(app_on(engine), terminal_size=SIZE, run_before=run_before)


def test_clients_screen_filtered_and_sorted(snap_compare: Any, engine: Engine) -> None:
    with session_scope(engine) as session:
        fill_book(session)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_clients(pilot)
        await pilot.press("slash", *"pe", "enter", "K", "o")
        await settle(pilot)

    assert snap_compare(app_on(engine), terminal_size=SIZE, run_before=run_before)


def test_client_detail_screen(snap_compare: Any, engine: Engine) -> None:
    with session_scope(engine) as session:
        fill_book(session)
        client_id = make_rich_client(session).id

    async def run_before(pilot: Pilot[None]) -> None:
        await open_clients(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ClientsScreen)
        while screen.table.current_key != client_id:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_on(engine), terminal_size=SIZE, run_before=run_before)


def test_client_detail_help_says_where_each_key_applies(snap_compare: Any, engine: Engine) -> None:
    with session_scope(engine) as session:
        fill_book(session)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_clients(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app_on(engine), terminal_size=SIZE, run_before=run_before)


def add_financial_history(session: Session, client_id: int) -> None:
    """A year of monthly values in two accounts, revenue, a second goal, two more cases."""
    for month in range(13):  # month ends from October 2025 to October 2026
        as_of = date(2025, 10, 31) + relativedelta(months=month, day=31)
        savings = Decimal(10000 + 180 * month + (month % 3) * 90)
        pension = Decimal(38000 + 420 * month - (month % 4) * 300)
        make(session, Holding, client_id=client_id, account="Savings", as_of=as_of, value=savings)
        make(
            session,
            Holding,
            client_id=client_id,
            account="Pension fund",
            as_of=as_of,
            value=pension,
        )
    for on, amount, kind, description in (
        (date(2026, 1, 15), "320.00", "fee", "Advice fee"),
        (date(2026, 4, 15), "320.00", "fee", "Advice fee"),
        (date(2026, 6, 2), "1250.00", "commission", "Pension plan switch"),
        (date(2026, 7, 15), "320.00", "fee", "Advice fee"),
        (date(2026, 10, 15), "335.00", "fee", "Advice fee"),
    ):
        make(
            session,
            Revenue,
            client_id=client_id,
            on=on,
            amount=Decimal(amount),
            kind=kind,
            description=description,
        )
    make(
        session,
        FinancialGoal,
        client_id=client_id,
        title="Emergency reserve",
        target_amount=Decimal("15000"),
        current_amount=Decimal("12500"),
        target_date=date(2027, 12, 31),
    )
    make(
        session,
        FinancialGoal,
        client_id=client_id,
        title="Sabbatical",
        target_amount=Decimal("30000"),
        current_amount=Decimal("4000"),
    )
    make(
        session,
        Case,
        client_id=client_id,
        kind="complaint",
        subject="Statement sent twice",
        opened_on=date(2026, 11, 28),
        due_on=date(2026, 11, 30),
    )
    make(
        session,
        Case,
        client_id=client_id,
        subject="New debit card",
        opened_on=date(2026, 9, 1),
        due_on=date(2026, 9, 6),
        resolved_on=date(2026, 9, 4),
        resolution="Card ordered and delivered to the branch.",
    )


def detail_panel(engine: Engine, panel: str) -> tuple[RmApp, Any]:
    """The app on a book with a rich client, and the keys that open its detail on `panel`."""
    with session_scope(engine) as session:
        client_id = make_rich_client(session).id
        assert client_id is not None
        add_financial_history(session, client_id)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_clients(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ClientsScreen)
        while screen.table.current_key != client_id:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(list(PANELS).index(panel)):
            await pilot.press("right_square_bracket")
        await settle(pilot)

    return app_on(engine), run_before


def test_client_detail_holdings_panel(snap_compare: Any, engine: Engine) -> None:
    app, run_before = detail_panel(engine, "holdings")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_client_detail_holdings_panel_at_80_columns(snap_compare: Any, engine: Engine) -> None:
    """The accounts keep their change over 12 months beside a slimmer value trend."""
    app, run_before = detail_panel(engine, "holdings")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_client_detail_goals_panel(snap_compare: Any, engine: Engine) -> None:
    app, run_before = detail_panel(engine, "goals")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_client_detail_cases_panel(snap_compare: Any, engine: Engine) -> None:
    app, run_before = detail_panel(engine, "cases")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
