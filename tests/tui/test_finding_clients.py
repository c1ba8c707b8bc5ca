"""Finding a client as remembered, with the keys: the Clients filter and the ctrl+p palette
take a name without its accents, a phone number in any notation, a contact person, a
misspelt name."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from textual.command import Command, CommandList, CommandPalette
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static

from rmtui.app import make_app
from rmtui.core.db import session_scope
from rmtui.core.queries.clients import add_client
from rmtui.core.queries.contact_persons import add_contact_person
from rmtui.screens.clients import ClientsScreen
from tests.clients_book import SIZE, open_clients, settle

DAY = date(2026, 11, 29)


@pytest.fixture
def book(engine: Engine) -> Engine:
    """Clients remembered in many ways."""
    with session_scope(engine) as session:
        values = [
            {"name": "Lena Krüger", "city": "München", "phone": "+32 476 12 34 56"},
            {"name": "Piet Schneider", "phone": "06-1234 5678"},
            {"name": "Paul Schneiders", "city": "Gent"},
            {"name": "Anna Schmidt", "city": "Zürich"},
            {"name": "Piper Lang", "city": "Brugge"},
            {"name": "Mia Trask"},
        ]
        for client in values:
            add_client(session=session, values=client)
        agro = add_client(session=session, values={"name": "De Groot Agro", "kind": "business"})
        add_contact_person(session=session, client_id=agro.id or 0, name="Joke", role="CFO")
    return engine


def shown(pilot: Pilot[None]) -> list[str]:
    screen = pilot.app.screen
    assert isinstance(screen, ClientsScreen)
    table = screen.table
    rows = [table.row_at(index) for index in range(table.total)]
    return [str(row.cells[0]) for row in rows if row is not None]


def summary(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#clients-summary", Static).render())


async def filter_by(pilot: Pilot[None], text: str) -> list[str]:
    """Rub out the filter, type `text` key by key and read the list."""
    await pilot.press("slash", "ctrl+u", *text)
    await settle(pilot)
    return shown(pilot)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("kruger", ["Lena Krüger"]),
        ("munchen", ["Lena Krüger"]),
        ("zurich", ["Anna Schmidt"]),
        ("0476 12", ["Lena Krüger"]),
        ("+32 476 123", ["Lena Krüger"]),
        ("+31 6 1234", ["Piet Schneider"]),
        ("06-12", ["Piet Schneider"]),
        ("cfo", ["De Groot Agro"]),
        ("joke agro", ["De Groot Agro"]),
    ],
)
async def test_the_filter_finds_clients_as_remembered(
    book: Engine, text: str, found: list[str]
) -> None:
    async with make_app(book, book_name="test", day=DAY).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        assert await filter_by(pilot, text) == found
        assert f"matching “{text}”" in summary(pilot)


async def test_a_misspelt_name_lists_the_names_alike_best_first(book: Engine) -> None:
    async with make_app(book, book_name="test", day=DAY).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        assert await filter_by(pilot, "schnieder") == ["Piet Schneider", "Paul Schneiders"]
        line = summary(pilot)
        assert "2 clients with a name like “schnieder”" in line and "likest first" in line
        screen = pilot.app.screen
        assert isinstance(screen, ClientsScreen)
        assert screen.table.columns[0].label == "Name"  # not sorted by name
        await pilot.press(*["backspace"] * 5)
        await settle(pilot)  # in the names as typed: sorted by name again
        assert shown(pilot) == ["Paul Schneiders", "Piet Schneider"]
        assert "2 clients matching “schn”" in summary(pilot)
        assert screen.table.columns[0].label == "Name▲"


def palette_hits(pilot: Pilot[None]) -> list[str]:
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    options = palette.query_one(CommandList)
    hits = [options.get_option_at_index(index) for index in range(options.option_count)]
    return [str(option.hit.text) for option in hits if isinstance(option, Command)]


async def palette_with(pilot: Pilot[None], text: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*text)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.6)
    return palette_hits(pilot)


async def test_the_palette_lists_the_clients_a_text_matches_before_commands(
    book: Engine,
) -> None:
    async with make_app(book, book_name="test", day=DAY).run_test(size=SIZE) as pilot:
        await pilot.pause()
        hits = await palette_with(pilot, "pipe")
        assert hits[0] == "Piper Lang"
        assert "Go to Pipeline" in hits
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert type(pilot.app.screen).__name__ == "ClientDetailScreen"


@pytest.mark.parametrize(
    ("text", "first"),
    [("kruger", "Lena Krüger"), ("0476 1234", "Lena Krüger"), ("cfo", "De Groot Agro")],
)
async def test_the_palette_finds_clients_as_remembered(book: Engine, text: str, first: str) -> None:
    async with make_app(book, book_name="test", day=DAY).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert (await palette_with(pilot, text))[0] == first


async def test_a_name_only_alike_comes_after_the_commands(book: Engine) -> None:
    async with make_app(book, book_name="test", day=DAY).run_test(size=SIZE) as pilot:
        await pilot.pause()
        hits = await palette_with(pilot, "trash")
        assert hits[0] == "Open the trash (ctrl+t)"
        assert hits[-1] == "Mia Trask"


async def test_the_palette_shows_names_with_square_brackets_as_they_are(engine: Engine) -> None:
    with session_scope(engine) as session:
        for name, company in (("Smith [Ltd]", "Smith [UK] Holdings"), ("Jo [/] Doe", None)):
            add_client(session=session, values={"name": name, "company": company})
    async with make_app(engine, book_name="test", day=DAY).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette_with(pilot, "smith")
        options = pilot.app.screen.query_one(CommandList)
        shown = options.get_option_at_index(0).prompt
        assert isinstance(shown, Content)
        assert shown.plain.splitlines() == [
            "Smith [Ltd]",
            "person · client · tier B · Smith [UK] Holdings",
        ]
        await pilot.press("escape")
        assert (await palette_with(pilot, "jo doe"))[0] == "Jo [/] Doe"


async def test_the_palette_finds_a_contact_person_without_the_accents(book: Engine) -> None:
    with session_scope(book) as session:
        werk = add_client(session=session, values={"name": "Müller Werke", "kind": "corporate"})
        add_contact_person(
            session=session, client_id=werk.id or 0, name="Jörg Müller", role="Geschäftsführer"
        )
    async with make_app(book, book_name="test", day=DAY).run_test(size=SIZE) as pilot:
        await pilot.pause()
        hits = await palette_with(pilot, "jorg geschaft")
        assert "Jörg Müller, Geschäftsführer at Müller Werke" in hits
        await pilot.press("escape")
        assert "Joke, CFO at De Groot Agro" in await palette_with(pilot, "JOKE")
