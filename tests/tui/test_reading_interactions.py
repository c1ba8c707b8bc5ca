"""A note of any length can be read in full: enter opens an interaction whole, the log
previews the selected one, and `e` edits the thing that has the focus."""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.widgets import Input, Static

from rmtui.core.db import session_scope
from rmtui.core.models import Client, Interaction
from rmtui.screens.client.detail import ClientDetailScreen
from rmtui.screens.forms.interaction import InteractionForm
from rmtui.screens.interaction_view import InteractionView, interaction_facts
from rmtui.screens.log import LogScreen
from tests.clients_book import app_on, settle
from tests.factories import make

SENTENCE = "The client asked how the pension top-up changes the tax return of next year. "
LONG_NOTES = (SENTENCE * 7).strip() + " Last words."  # about 540 characters


def book_with_long_note(engine: Engine) -> int:
    """A client with one call whose notes run to 500 characters and more; the client's id."""
    with session_scope(engine) as session:
        client = make(session, Client, name="Lena Krüger", status="client", tier="A")
        make(
            session,
            Interaction,
            client_id=client.id,
            at=datetime(2026, 11, 20, 10, 0),
            kind="call",
            direction="out",
            subject="Pension top-up",
            notes=LONG_NOTES,
            duration_min=25,
        )
        assert client.id is not None
        return client.id


def shown(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def unwrapped(text: str) -> str:
    return " ".join(text.split())


async def test_enter_on_the_log_shows_the_whole_note_and_the_preview_has_it_too(
    engine: Engine,
) -> None:
    book_with_long_note(engine)
    async with app_on(engine).run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LogScreen)
        assert "Last words." in unwrapped(shown(pilot, "#log-preview"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, InteractionView)
        assert unwrapped(shown(pilot, "#interaction-notes")) == LONG_NOTES
        facts = Console(width=80, record=True)
        facts.print(interaction_facts(pilot.app.screen.interaction))
        text = facts.export_text()
        assert "Lena Krüger" in text
        assert "25 min" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LogScreen)


async def test_enter_on_the_timeline_opens_the_interaction_and_e_there_edits_it(
    engine: Engine,
) -> None:
    client_id = book_with_long_note(engine)
    async with app_on(engine).run_test(size=(80, 24)) as pilot:
        pilot.app.push_screen(ClientDetailScreen(client_id))
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, ClientDetailScreen)
        assert detail.timeline_table.has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, InteractionView)
        assert unwrapped(shown(pilot, "#interaction-notes")) == LONG_NOTES
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, InteractionForm)
        assert form.query_one("#field-subject", Input).value == "Pension top-up"
        await pilot.press("end", *" and tax", "ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is detail
    with session_scope(engine) as session:
        assert session.get(Interaction, 1).subject == "Pension top-up and tax"  # type: ignore[union-attr]


async def test_e_on_the_timeline_edits_the_interaction_not_the_profile(engine: Engine) -> None:
    client_id = book_with_long_note(engine)
    async with app_on(engine).run_test(size=(120, 40)) as pilot:
        pilot.app.push_screen(ClientDetailScreen(client_id))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, InteractionForm)
