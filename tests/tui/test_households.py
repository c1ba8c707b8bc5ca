"""Households and contact persons in the app: start a household with H, add and take out a
member, add a contact person and log a meeting with them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from rmtui.core.db import session_scope
from rmtui.core.models import Client, ContactPerson, Holding, Interaction
from rmtui.core.queries.households import household_name_of
from rmtui.screens.client.detail import ClientDetailScreen
from rmtui.screens.client_picker import ClientPicker
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.forms.activity import LogForm
from rmtui.screens.forms.contact_person import ContactPersonForm
from rmtui.screens.forms.household import HouseholdForm, MemberRoleForm
from rmtui.screens.household import HouseholdScreen
from rmtui.widgets.virtual_table import VirtualTable
from tests.clients_book import SIZE, app_on, settle
from tests.factories import make


@pytest.fixture
def people(engine: Engine) -> dict[str, int]:
    """Piet and Anna Jansen, and De Groot Agro with its CFO and owner."""
    with session_scope(engine) as session:
        piet = make(session, Client, name="Piet Jansen", tier="A")
        anna = make(session, Client, name="Anna Jansen", tier="A")
        make(session, Holding, client_id=piet.id, as_of=date(2026, 10, 31))
        make(session, Interaction, client_id=anna.id, at=datetime(2026, 11, 20, 10), subject="Tea")
        firm = make(session, Client, name="De Groot Agro", kind="corporate")
        make(session, ContactPerson, client_id=firm.id, name="Joke de Vries", role="CFO")
        make(session, ContactPerson, client_id=firm.id, name="Kees de Groot", role="Owner")
        ids = {"piet": piet.id, "anna": anna.id, "firm": firm.id}
    return {name: id_ for name, id_ in ids.items() if id_ is not None}


def text_of(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def table(pilot: Pilot[None], name: str) -> VirtualTable:
    return pilot.app.screen.query_one(f"#{name}", VirtualTable)


def cells(pilot: Pilot[None], name: str) -> list[list[str]]:
    found = table(pilot, name)
    rows = [found.row_at(index) for index in range(found.total)]
    return [[str(cell) for cell in row.cells] for row in rows if row is not None]


async def open_detail(pilot: Pilot[None], client_id: int) -> ClientDetailScreen:
    await pilot.app.push_screen(ClientDetailScreen(client_id))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ClientDetailScreen)
    return screen


async def test_h_starts_a_household_and_a_member_is_added_taken_out_and_undone(
    engine: Engine, people: dict[str, int]
) -> None:
    async with app_on(engine).run_test(size=SIZE, notifications=True) as pilot:
        await open_detail(pilot, people["piet"])
        await pilot.press("H")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, HouseholdForm)
        assert form.values()["name"] == "Piet Jansen household"
        name = form.query_one("#field-name", Input)
        name.focus()
        name.value = ""
        await pilot.press(*"Jansen family", "ctrl+s")
        await settle(pilot)
        household = pilot.app.screen
        assert isinstance(household, HouseholdScreen)
        assert "Jansen family" in text_of(pilot, "#household-heading")
        assert cells(pilot, "members") == [["Piet Jansen", "head", "—"]]

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ClientPicker)
        await pilot.press(*"Anna")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        role_form = pilot.app.screen
        assert isinstance(role_form, MemberRoleForm)
        role_form.query_one("#field-role", Select).value = "partner"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [row[:2] for row in cells(pilot, "members")] == [
            ["Piet Jansen", "head"],
            ["Anna Jansen", "partner"],
        ]
        # Anna's tea counts for the household: its last contact and its timeline.
        assert "Last contact 20 Nov 2026 (9 days ago)" in text_of(pilot, "#household-summary")
        assert cells(pilot, "household-timeline")[0][1] == "Anna Jansen"

        table(pilot, "members").focus()
        await pilot.press("down", "x")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert [row[0] for row in cells(pilot, "members")] == ["Piet Jansen"]
        await pilot.press("u")
        await settle(pilot)
        assert [row[:2] for row in cells(pilot, "members")][1] == ["Anna Jansen", "partner"]

    with session_scope(engine) as session:
        assert household_name_of(session=session, client_id=people["anna"]) == (
            1,
            "Jansen family",
            "partner",
        )


async def test_h_on_a_member_opens_their_household(engine: Engine, people: dict[str, int]) -> None:
    from rmtui.core.queries.households import create_household

    with session_scope(engine) as session:
        create_household(session=session, client_id=people["anna"], name="Jansen family")
    async with app_on(engine).run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, people["anna"])
        detail.show_panel("relations")
        await settle(pilot)
        assert "Jansen family (head)" in text_of(pilot, "#household-line")
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HouseholdScreen)


async def test_a_contact_person_is_added_on_the_detail(
    engine: Engine, people: dict[str, int]
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, people["firm"])
        detail.show_panel("people")
        await settle(pilot)
        assert [row[:2] for row in cells(pilot, "people")] == [
            ["Joke de Vries", "CFO"],
            ["Kees de Groot", "Owner"],
        ]
        await pilot.press("a")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, ContactPersonForm)
        await pilot.press(*"Sanne Bakker", "tab", *"Treasurer", "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientDetailScreen)
        assert ["Sanne Bakker", "Treasurer"] in [row[:2] for row in cells(pilot, "people")]


async def test_a_meeting_is_logged_with_the_cfo_and_the_timeline_names_her(
    engine: Engine, people: dict[str, int]
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, people["firm"])
        await pilot.press("l")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, LogForm)
        form.query_one("#field-subject", Input).focus()
        await pilot.press(*"Credit line renewal")
        form.query_one("#field-kind", Select).value = "meeting"
        picker = form.query_one("#field-contact_person", Select)
        picker.focus()
        await pilot.press("enter", "down", "enter")  # from the blank to the first: the CFO
        await pilot.pause()
        assert picker.value == "Joke de Vries, CFO"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientDetailScreen)
        first = cells(pilot, "timeline")[0]
        assert first[1] == "meeting"
        assert first[3] == "with Joke de Vries: Credit line renewal"


async def test_d_deletes_the_household_after_saying_the_members_stay_and_u_brings_it_back(
    engine: Engine, people: dict[str, int]
) -> None:
    from rmtui.core.queries.households import add_member, create_household

    with session_scope(engine) as session:
        household = create_household(session=session, client_id=people["piet"], name="Jansens")
        household_id = household.id or 0
        add_member(session=session, household_id=household_id, client_id=people["anna"])
    async with app_on(engine).run_test(size=SIZE, notifications=True) as pilot:
        detail = await open_detail(pilot, people["anna"])
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HouseholdScreen)
        await pilot.press("D")
        await pilot.pause()
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.question.startswith(
            "Delete the household Jansens? Its 2 members stay clients, with everything about "
            "them; only the household and the roles in it go to the trash for 30 days"
        )
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HouseholdScreen)
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.screen is detail
        with session_scope(engine) as session:
            assert household_name_of(session=session, client_id=people["anna"]) is None
            assert session.get(Client, people["anna"]) is not None
        messages = [notice.message for notice in pilot.app._notifications]
        assert (
            "Deleted the household “Jansens” with 2 household members. Press u to undo." in messages
        )
        await pilot.press("u")
        await settle(pilot)
        detail.show_panel("relations")
        await settle(pilot)
        assert "Jansens (other)" in text_of(pilot, "#household-line")
    with session_scope(engine) as session:
        assert household_name_of(session=session, client_id=people["piet"]) == (
            household_id,
            "Jansens",
            "head",
        )


async def test_the_timeline_pages_through_every_interaction_reading_a_block_at_a_time(
    engine: Engine, people: dict[str, int]
) -> None:
    from datetime import timedelta

    from rmtui.core.queries.households import add_member, create_household

    with session_scope(engine) as session:
        household = create_household(session=session, client_id=people["piet"], name="Jansens")
        add_member(session=session, household_id=household.id or 0, client_id=people["anna"])
        start = datetime(2025, 1, 1, 9)
        for number in range(349):
            at = start + timedelta(hours=number)
            who = people["piet"] if number % 2 else people["anna"]
            make(session, Interaction, client_id=who, at=at, subject=f"Call {number}")
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, people["piet"])
        await pilot.press("H")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, HouseholdScreen)
        title = text_of(pilot, "#household-timeline-title")
        assert title == "Timeline of all members, newest first (350)"  # and Anna's tea
        timeline = table(pilot, "household-timeline")
        assert screen.timeline is not None and screen.timeline._read == {0}
        timeline.focus()
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        await settle(pilot)
        assert timeline.cursor > 80 and screen.timeline._read == {0, 100}  # read ahead
        await pilot.press("G")
        await settle(pilot)
        last = timeline.row_at(timeline.cursor)
        assert timeline.cursor == 349 and last is not None
        assert (str(last.cells[1]), str(last.cells[4])) == ("Anna Jansen", "Call 0")
        assert screen.timeline._read == {0, 100, 300}  # never the block in between
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientDetailScreen)
        assert pilot.app.screen.client_id == people["anna"]


async def test_r_writes_the_review_report_of_the_whole_household(
    engine: Engine, people: dict[str, int], private_dirs: Path
) -> None:
    from rmtui.core.queries.households import add_member, create_household
    from rmtui.screens.forms.financial import ReviewExportForm

    private_dirs.mkdir(parents=True, exist_ok=True)
    with session_scope(engine) as session:
        household = create_household(session=session, client_id=people["piet"], name="Jansens")
        add_member(session=session, household_id=household.id or 0, client_id=people["anna"])
    async with app_on(engine).run_test(size=SIZE, notifications=True) as pilot:
        await open_detail(pilot, people["piet"])
        await pilot.press("H")
        await settle(pilot)
        await pilot.press("R")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, ReviewExportForm)
        path = form.query_one("#field-path", Input)
        assert path.value == "~/rmtui-review-jansens-2026-11-29.md"
        form.query_one("#field-format", Select).value = "html"
        await pilot.pause()
        assert path.value == "~/rmtui-review-jansens-2026-11-29.html"
        path.focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HouseholdScreen)
        written = private_dirs / "rmtui-review-jansens-2026-11-29.html"
        page = written.read_text(encoding="utf-8")
        assert "<h1>Household review: Jansens</h1>" in page
        assert "<td>Anna Jansen</td><td>other</td>" in page  # every member, with their role
        assert "Tea" in page  # Anna's contact, with who
        messages = [notice.message for notice in pilot.app._notifications]
        assert f"Wrote the review of Jansens to {written}." in messages
