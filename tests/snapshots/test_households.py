"""Snapshots of the household view (at 80×24, 120×40 and 200×50) and of a business's People
panel, with today frozen."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot

from rmtui.core.db import session_scope
from rmtui.core.models import Case, Client, ContactPerson, FollowUp, Holding, Interaction
from rmtui.core.queries.households import add_member, create_household
from rmtui.screens.client.detail import ClientDetailScreen
from rmtui.screens.household import HouseholdScreen
from tests.clients_book import SIZE, app_on, settle
from tests.factories import make

SMALL = (80, 24)
WIDE = (200, 50)


def jansen_family(engine: Engine) -> int:
    """Three Jansens with accounts, contacts, a follow-up and a case; their household's id."""
    with session_scope(engine) as session:
        names = (("Piet Jansen", "head"), ("Anna Jansen", "partner"), ("Tim Jansen", "child"))
        members = [make(session, Client, name=name, tier="A") for name, _role in names]
        household = create_household(
            session=session, client_id=members[0].id or 0, name="Jansen family"
        )
        for member, (_name, role) in zip(members[1:], names[1:], strict=True):
            add_member(
                session=session, household_id=household.id or 0, client_id=member.id or 0, role=role
            )
        for month in range(1, 12):
            for member, base in zip(members[:2], (200_000, 50_000), strict=True):
                make(
                    session,
                    Holding,
                    client_id=member.id,
                    account="Portfolio",
                    as_of=date(2026, month, 28),
                    value=Decimal(base + month * 1500),
                )
        for day, member, subject in (
            (20, members[1], "Pension question"),
            (12, members[0], "Quarterly review"),
            (3, members[2], "Student account"),
        ):
            at = datetime(2026, 11, day, 10, 30)
            make(session, Interaction, client_id=member.id, at=at, subject=subject)
        make(
            session,
            FollowUp,
            client_id=members[0].id,
            title="Send the review",
            due_on=date(2026, 12, 2),
        )
        make(session, Case, client_id=members[1].id, subject="Card blocked")
        return household.id or 0


@pytest.mark.parametrize("size", [SMALL, SIZE, WIDE], ids=["80x24", "120x40", "200x50"])
def test_household_view(snap_compare: Any, engine: Engine, size: tuple[int, int]) -> None:
    household_id = jansen_family(engine)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.app.push_screen(HouseholdScreen(household_id))
        await settle(pilot)

    assert snap_compare(app_on(engine), terminal_size=size, run_before=run_before)


def test_people_panel_of_a_corporate_client(snap_compare: Any, engine: Engine) -> None:
    with session_scope(engine) as session:
        firm = make(session, Client, name="De Groot Agro", kind="corporate")
        cfo = make(
            session,
            ContactPerson,
            client_id=firm.id,
            name="Joke de Vries",
            role="CFO",
            email="joke@degroot.example",
            decision_maker=True,
        )
        make(session, ContactPerson, client_id=firm.id, name="Kees de Groot", role="Owner")
        make(
            session,
            Interaction,
            client_id=firm.id,
            contact_person_id=cfo.id,
            at=datetime(2026, 11, 25, 14),
            kind="meeting",
            subject="Credit line renewal",
        )
        firm_id = firm.id or 0

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.app.push_screen(ClientDetailScreen(firm_id))
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ClientDetailScreen)
        screen.show_panel("people")
        await settle(pilot)

    assert snap_compare(app_on(engine), terminal_size=SIZE, run_before=run_before)
