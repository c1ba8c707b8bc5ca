"""The Client detail screen: profile, check-in state, follow-ups, timeline and panels."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from rmtui.core.db import session_scope
from rmtui.core.models import Client, ContactPoint, FollowUp, Interaction
from rmtui.screens.client.detail import ClientDetailScreen
from rmtui.screens.client.panels import PANELS
from rmtui.screens.clients import ClientsScreen
from rmtui.screens.forms.activity import DatePrompt, LogForm
from rmtui.widgets.virtual_table import VirtualTable
from tests.clients_book import DAY, SIZE, app_on, make_rich_client, open_clients, settle
from tests.factories import make


@pytest.fixture
def client_id(engine: Engine) -> int:
    """The id of a client with a full profile and something in every panel."""
    with session_scope(engine) as session:
        client = make_rich_client(session)
        assert client.id is not None
        return client.id


def text_of(pilot: Pilot[None], selector: str) -> str:
    """What a Static shows, as plain text."""
    return str(pilot.app.screen.query_one(selector, Static).render())


def profile_text(pilot: Pilot[None]) -> str:
    """The profile as shown, its wrapped lines joined up again."""
    static = pilot.app.screen.query_one("#profile", Static)
    lines = static.render_lines(static.region.reset_offset)
    return " ".join(" ".join(line.text.split()) for line in lines)


async def open_detail(pilot: Pilot[None], client_id: int) -> ClientDetailScreen:
    """Open the client's detail as the Clients screen does (enter on its row)."""
    await open_clients(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ClientsScreen)
    table = screen.table
    while table.current_key != client_id:
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    detail = pilot.app.screen
    assert isinstance(detail, ClientDetailScreen)
    return detail


def table(pilot: Pilot[None], name: str) -> VirtualTable:
    return pilot.app.screen.query_one(f"#{name}", VirtualTable)


def cell(pilot: Pilot[None], name: str, row: int, column: int) -> str:
    found = table(pilot, name).row_at(row)
    assert found is not None
    return str(found.cells[column])


async def test_detail_shows_profile_due_state_follow_ups_and_timeline(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        heading = text_of(pilot, "#client-heading")
        assert "Aline Vermeulen" in heading
        assert "person · client · tier A" in heading
        due = text_of(pilot, "#client-due")
        # Last contact 18 Oct (the note of 1 Jul does not count) + 30 days = due 17 Nov.
        assert "Check-in 12 days overdue (due 17 Nov 2026)" in due
        assert "every 30 days" in due
        assert "last contact 18 Oct 2026 (42 days ago)" in due
        profile = profile_text(pilot)
        for expected in (
            "Vermeulen Bakeries",
            "aline@example.com",
            "Gent, BE",
            "03 Dec 1972 (53)",
            "Ruben Referrer",
            "vip, pension",
            "neutral",
            "Prefers morning meetings",
        ):
            assert expected in profile
        follow_ups = table(pilot, "follow-ups")
        assert follow_ups.total == 2
        assert cell(pilot, "follow-ups", 0, 1) == "Send pension proposal"
        assert follow_ups.has_focus
        assert table(pilot, "timeline").total == 4
        assert cell(pilot, "timeline", 0, 0) == "2026-10-18 09:30"
        assert cell(pilot, "timeline", 0, 3) == "Portfolio review — Rebalance in spring."


async def test_panels_have_their_containers_and_show_what_is_there(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        screen = pilot.app.screen
        for key in PANELS:
            assert screen.query_one(f"#panel-{key}") is not None
        assert cell(pilot, "deals", 0, 0) == "proposal"
        assert cell(pilot, "deals", 0, 1) == "Pension plan — Pension fund"
        assert cell(pilot, "accounts", 0, 1) == "12,501"
        assert cell(pilot, "accounts", 0, 3) == "+25.0%"
        assert "+2,501 (+25.0%) over 12 months" in text_of(pilot, "#aum-line")
        assert cell(pilot, "goals", 0, 3).endswith(" 25%")
        assert cell(pilot, "surveys", 0, 1) == "5/5"
        assert cell(pilot, "cases", 0, 3) == "Card blocked"


async def test_empty_panels_say_so(engine: Engine) -> None:
    with session_scope(engine) as session:
        client_id = make(session, Client, name="Bare Client").id
    assert client_id is not None
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        for name, empty in (
            ("deals", "No deals yet"),
            ("accounts", "No holdings recorded yet"),
            ("revenue", "No revenue recorded yet"),
            ("goals", "No financial goals yet"),
            ("surveys", "No surveys answered yet"),
            ("cases", "No requests or complaints"),
        ):
            assert table(pilot, name).total == 0
            assert table(pilot, name).empty_text.startswith(empty)
        assert text_of(pilot, "#aum-line") == ""
        assert "never contacted" in text_of(pilot, "#client-due")
        assert table(pilot, "timeline").has_focus


async def test_logging_a_call_updates_last_contact_and_due_state(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await pilot.press("l")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, LogForm)
        assert form.values()["kind"] == "meeting"  # her preferred channel
        subject = form.query_one("#field-subject", Input)
        subject.focus()
        await pilot.press(*"Called about the proposal")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientDetailScreen)
        due = text_of(pilot, "#client-due")
        assert "Next check-in in 30 days" in due
        assert "last contact 29 Nov 2026 (today)" in due
        assert table(pilot, "timeline").total == 5
        assert cell(pilot, "timeline", 0, 3) == "Called about the proposal"
        await pilot.press("escape")
        await settle(pilot)
        clients = pilot.app.screen
        assert isinstance(clients, ClientsScreen)
        row = clients.table.row_at(clients.table.cursor)
        assert row is not None and str(row.cells[5]) == "29 Nov 2026"


async def test_d_marks_the_follow_up_done_and_u_opens_it_again(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await pilot.press("d")
        await settle(pilot)
        assert table(pilot, "follow-ups").total == 1
        assert cell(pilot, "follow-ups", 0, 1) == "Book spring review"
        with session_scope(engine) as session:
            done = session.exec(select(FollowUp).where(FollowUp.status == "done")).one()
            assert (done.title, done.done_on) == ("Send pension proposal", DAY)
        await pilot.press("u")
        await settle(pilot)
        assert table(pilot, "follow-ups").total == 2


async def test_s_snoozes_and_r_reschedules_the_focused_follow_up(
    engine: Engine, client_id: int
) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DatePrompt)
        await pilot.press("w")  # next week: Sunday 6 December
        await settle(pilot)
        assert cell(pilot, "follow-ups", 0, 0) == "06 Dec 2026"
        assert cell(pilot, "follow-ups", 0, 1) == "Send pension proposal"
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"2026-12-20", "enter")
        await settle(pilot)
        follow_ups = table(pilot, "follow-ups")
        assert cell(pilot, "follow-ups", 1, 0) == "20 Dec 2026"
        assert cell(pilot, "follow-ups", 1, 1) == "Send pension proposal"
        assert follow_ups.cursor == 1  # still on the follow-up that moved


async def test_follow_up_keys_wait_for_a_focused_follow_up(engine: Engine, client_id: int) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, client_id)
        table(pilot, "timeline").focus()
        await pilot.pause()
        assert detail.check_action("done", ()) is None
        await pilot.press("d")
        await settle(pilot)
        assert table(pilot, "follow-ups").total == 2


async def test_f_adds_a_follow_up_and_e_edits_the_profile(engine: Engine, client_id: int) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        await pilot.press("f")
        await pilot.pause()
        pilot.app.screen.query_one("#field-title", Input).focus()
        await pilot.press(*"Call about the loan", "ctrl+s")
        await settle(pilot)
        assert table(pilot, "follow-ups").total == 3
        await pilot.press("p")
        await pilot.pause()
        tier = pilot.app.screen.query_one("#field-company", Input)
        tier.focus()
        await pilot.press("end", "ctrl+u", *"Vermeulen & Daughters", "ctrl+s")
        await settle(pilot)
        assert "Vermeulen & Daughters" in profile_text(pilot)


async def test_the_timeline_reads_more_as_the_cursor_nears_its_end(engine: Engine) -> None:
    with session_scope(engine) as session:
        client_id = make(session, Client, name="Busy Client").id
        start = datetime(2026, 11, 28, 9, 0)
        for number in range(230):
            at = start - timedelta(hours=number)
            make(session, Interaction, client_id=client_id, at=at, subject=f"Contact {number}")
    assert client_id is not None
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        timeline = table(pilot, "timeline")
        assert timeline.total == 100
        assert "100 shown, more as you scroll" in text_of(pilot, "#timeline-title")
        await pilot.press("end")
        await settle(pilot)
        assert timeline.total == 200
        assert timeline.cursor == 99  # stays on the row it was on
        await pilot.press("end")
        await settle(pilot)
        assert timeline.total == 230
        assert cell(pilot, "timeline", 229, 3) == "Contact 229"
        assert "(230)" in text_of(pilot, "#timeline-title")


async def test_a_client_that_is_gone_says_so(engine: Engine) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await pilot.pause()
        pilot.app.push_screen(ClientDetailScreen(999))
        await settle(pilot)
        assert "no longer in the book" in text_of(pilot, "#client-heading")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ClientDetailScreen)


def test_due_text_for_a_client_not_yet_due() -> None:
    from rmtui.core.rules import client_due_state
    from rmtui.screens.client.dossier import due_text

    client = Client(
        name="Fresh",
        created_on=date(2026, 1, 1),
        client_since=date(2026, 1, 1),
        checkin_every_days=30,
        last_contact_on=date(2026, 11, 19),
    )
    due = client_due_state(client, day=DAY)
    text = due_text(client, due, DAY).plain
    assert text.startswith("Next check-in in 20 days (19 Dec 2026)")
    lead = Client(name="Lead", status="lead", created_on=date(2026, 1, 1))
    assert (
        "No check-ins due: Lead is a lead."
        in due_text(lead, client_due_state(lead, day=DAY), DAY).plain
    )


async def test_a_client_without_a_cadence_of_their_own_follows_a_new_tier(engine: Engine) -> None:
    with session_scope(engine) as session:
        client = make(session, Client, name="Tiered Client", tier="B", checkin_every_days=None)
        make(session, Interaction, client_id=client.id, at=datetime(2026, 10, 20, 9, 0))
        client_id = client.id
    assert client_id is not None
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        assert "every 90 days (tier B)" in text_of(pilot, "#client-due")
        await pilot.press("p")
        await pilot.pause()
        assert pilot.app.screen.query_one("#field-checkin_every_days", Input).value == ""
        pilot.app.screen.query_one("#field-tier", Select).focus()
        await pilot.press("enter", "up", "enter", "ctrl+s")
        await settle(pilot)
        assert "Check-in 10 days overdue" in text_of(pilot, "#client-due")
        assert "every 30 days (tier A)" in text_of(pilot, "#client-due")
    with session_scope(engine) as session:
        stored = session.get(Client, client_id)
        assert stored is not None and (stored.tier, stored.checkin_every_days) == ("A", None)


async def test_the_profile_shows_every_email_and_phone_with_its_label(
    engine: Engine, client_id: int
) -> None:
    with session_scope(engine) as session:
        client = session.get(Client, client_id)
        assert client is not None
        make(session, ContactPoint, client_id=client_id, value=client.email, preferred=True)
        make(session, ContactPoint, client_id=client_id, value="home@x.test", label="home")
        make(session, ContactPoint, client_id=client_id, kind="phone", value="+32 9 1", label="fax")
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_detail(pilot, client_id)
        shown = profile_text(pilot)
        assert "home@x.test (home)" in shown and "+32 9 1 (fax)" in shown
