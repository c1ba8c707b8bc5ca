"""The Clients screen, driven with the keyboard like a relationship manager would."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from rmtui.core.db import session_scope
from rmtui.core.models import Client, FollowUp
from rmtui.screens.client.detail import ClientDetailScreen
from rmtui.screens.clients import ClientsScreen
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.forms.client import ClientForm
from rmtui.widgets.virtual_table import VirtualTable
from tests.clients_book import DAY, SIZE, app_on, fill_book, open_clients, settle
from tests.factories import make


@pytest.fixture
def book(engine: Engine) -> Engine:
    """The engine of a book of thirty clients."""
    with session_scope(engine) as session:
        fill_book(session)
    return engine


def clients_screen(pilot: Pilot[None]) -> ClientsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ClientsScreen)
    return screen


def table_of(pilot: Pilot[None]) -> VirtualTable:
    return clients_screen(pilot).table


def summary(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#clients-summary", Static).render())


def shown_names(table: VirtualTable) -> list[str]:
    rows = [table.row_at(index) for index in range(table.total)]
    return [str(row.cells[0]) for row in rows if row is not None]


def current_name(pilot: Pilot[None]) -> str:
    table = table_of(pilot)
    row = table.row_at(table.cursor)
    assert row is not None
    return str(row.cells[0])


def client_named(engine: Engine, name: str) -> Client:
    with session_scope(engine) as session:
        client = session.exec(select(Client).where(Client.name == name)).one()
        session.expunge(client)
        return client


async def move_to(pilot: Pilot[None], name: str) -> None:
    """Walk the cursor down to the client called `name`."""
    table = table_of(pilot)
    await pilot.press("home")
    for _ in range(table.total):
        if current_name(pilot) == name:
            return
        await pilot.press("down")
    raise AssertionError(f"{name} is not in the list")


async def type_in(pilot: Pilot[None], field: str, text: str) -> None:
    """Put the cursor in a form field, rub out what is there and type `text`."""
    widget = pilot.app.screen.query_one(f"#field-{field}", Input)
    widget.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *text)


async def test_clients_open_on_every_client_sorted_by_name(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        table = table_of(pilot)
        assert table.total == 30
        assert shown_names(table)[:3] == ["Ann Claes", "Ann Maes", "Ann Peeters"]
        assert table.columns[0].label == "Name▲"
        assert "30 clients" in summary(pilot)
        assert table.has_focus


async def test_typing_a_filter_narrows_the_list_and_escape_clears_it(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("slash")
        assert isinstance(pilot.app.focused, Input)
        await pilot.press(*"gent")
        await settle(pilot)
        table = table_of(pilot)
        assert table.total == 8
        assert "8 clients matching “gent”" in summary(pilot)
        await pilot.press(*" maes")
        await settle(pilot)
        assert shown_names(table) == ["Chloé Maes", "Gert Maes"]
        await pilot.press("escape")  # leaves the filter, which stays
        assert table.has_focus
        assert table.total == 2
        await pilot.press("escape")  # clears it
        await settle(pilot)
        assert table.total == 30
        assert pilot.app.screen.query_one("#client-filter", Input).value == ""


async def test_a_filter_that_matches_nothing_says_how_to_clear_it(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("slash", *"nobody here", "enter")
        await settle(pilot)
        table = table_of(pilot)
        assert table.total == 0
        assert "press escape or c" in table.empty_text
        assert table.has_focus


async def test_quick_filters_cycle_with_keys_and_c_clears_them(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("S")  # status: lead
        await settle(pilot)
        screen = clients_screen(pilot)
        assert screen.query_one("#filter-status", Select).value == "lead"
        assert table_of(pilot).total == 6
        await pilot.press("T")  # tier: A
        await settle(pilot)
        assert table_of(pilot).total == 2
        assert "c clears the filters" in summary(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert table_of(pilot).total == 30
        assert screen.query_one("#filter-status", Select).value is Select.NULL


async def test_tag_filter_is_picked_from_the_tags_in_use(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("number_sign")
        await pilot.pause()
        await pilot.press(*"vip", "enter")
        await settle(pilot)
        assert clients_screen(pilot).listing.tag == "vip"
        assert table_of(pilot).total == 6
        assert table_of(pilot).has_focus


async def test_a_new_tag_can_be_picked_once_a_client_carries_it(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await move_to(pilot, "Ann Maes")
        await pilot.press("e")
        await pilot.pause()
        await type_in(pilot, "tags", "sailing")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("number_sign")
        await settle(pilot)
        await pilot.press(*"sail", "enter")
        await settle(pilot)
        assert clients_screen(pilot).listing.tag == "sailing"
        assert shown_names(table_of(pilot)) == ["Ann Maes"]


async def test_o_cycles_the_sort_and_O_reverses_it(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("o")
        await settle(pilot)
        table = table_of(pilot)
        assert [column.label for column in table.columns][5] == "Last contact▲"
        assert str(table.row_at(0).cells[5]) == "never"  # type: ignore[union-attr]
        assert "sorted by last contact ▲" in summary(pilot)
        await pilot.press("O")
        await settle(pilot)
        assert table.columns[5].label == "Last contact▼"
        assert str(table.row_at(0).cells[5]) == "20 Nov 2026"  # type: ignore[union-attr]


async def test_the_cursor_stays_on_the_client_when_the_sort_changes(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await move_to(pilot, "Dirk Maes")
        await pilot.press("o", "o")  # next follow-up
        await settle(pilot)
        assert current_name(pilot) == "Dirk Maes"


async def test_adding_a_client_with_a_bad_email_keeps_what_was_typed(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, ClientForm)
        await type_in(pilot, "name", "Zoe Newcomer")
        await type_in(pilot, "email", "zoe.example.com")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        error = str(form.query_one("#error-email", Static).render())
        assert "is not an e-mail address" in error
        assert form.query_one("#field-name", Input).value == "Zoe Newcomer"
        assert form.query_one("#field-email", Input).value == "zoe.example.com"
        assert pilot.app.focused is form.query_one("#field-email", Input)
        await type_in(pilot, "email", "zoe@example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientsScreen)
        assert table_of(pilot).total == 31
        assert current_name(pilot) == "Zoe Newcomer"
    added = client_named(book, "Zoe Newcomer")
    assert added.email == "zoe@example.com"
    assert added.created_on == DAY


async def test_editing_a_client_updates_the_row_in_place(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await move_to(pilot, "Eva Maes")
        await pilot.press("e")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, ClientForm)
        assert form.query_one("#field-name", Input).value == "Eva Maes"
        await type_in(pilot, "city", "Brugge")
        await type_in(pilot, "name", "Eva Maes-Claes")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert current_name(pilot) == "Eva Maes-Claes"
        table = table_of(pilot)
        assert str(table.row_at(table.cursor).cells[4]) == "Brugge"  # type: ignore[union-attr]
    assert client_named(book, "Eva Maes-Claes").city == "Brugge"


async def test_archive_asks_first_and_u_undoes_it(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE, notifications=True) as pilot:
        await open_clients(pilot)
        await move_to(pilot, "Bram Maes")
        row = table_of(pilot).cursor
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")  # keep
        await settle(pilot)
        assert table_of(pilot).total == 30
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        table = table_of(pilot)
        assert table.total == 29
        assert "Bram Maes" not in shown_names(table)
        assert table.cursor == row  # on the next client
        messages = [notice.message for notice in pilot.app._notifications]
        assert "Archived Bram Maes. Press u to undo." in messages
        await pilot.press("u")
        await settle(pilot)
        assert table.total == 30
        assert current_name(pilot) == "Bram Maes"
    assert client_named(book, "Bram Maes").archived is False


async def test_archived_clients_show_only_when_asked(book: Engine) -> None:
    with session_scope(book) as session:
        make_archived(session)
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        assert table_of(pilot).total == 30
        assert "archived hidden" in summary(pilot)
        await pilot.press("A")
        await settle(pilot)
        table = table_of(pilot)
        assert table.total == 31
        assert "Old Archived (archived)" in shown_names(table)
        assert "archived shown" in summary(pilot)


def make_archived(session: Session) -> None:
    from tests.factories import make

    make(session, Client, name="Old Archived", archived=True)


async def test_l_logs_a_call_for_the_selected_client(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await move_to(pilot, "Chloé Claes")  # a client never contacted
        await pilot.press("l")
        await pilot.pause()
        await type_in(pilot, "subject", "Introduced the new savings plan")
        await type_in(pilot, "follow_up_due", "2w")
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = table_of(pilot)
        assert current_name(pilot) == "Chloé Claes"
        row = table.row_at(table.cursor)
        assert row is not None
        assert str(row.cells[5]) == "29 Nov 2026"
        assert str(row.cells[6]) == "13 Dec 2026"
    client = client_named(book, "Chloé Claes")
    assert client.last_contact_on == DAY


async def test_f_plans_a_follow_up_for_the_selected_client(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await move_to(pilot, "Bram Peeters")
        await pilot.press("f")
        await pilot.pause()
        await type_in(pilot, "title", "Send the brochure")
        await type_in(pilot, "due_on", "tomorrow")
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = table_of(pilot)
        assert str(table.row_at(table.cursor).cells[6]) == "30 Nov 2026"  # type: ignore[union-attr]
    client = client_named(book, "Bram Peeters")
    with session_scope(book) as session:
        follow_up = session.exec(select(FollowUp).where(FollowUp.client_id == client.id)).one()
        assert (follow_up.title, follow_up.due_on) == ("Send the brochure", date(2026, 11, 30))


async def test_enter_opens_the_client_and_escape_comes_back(book: Engine) -> None:
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await move_to(pilot, "Hanne Peeters")
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, ClientDetailScreen)
        assert detail.client_id == client_named(book, "Hanne Peeters").id
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientsScreen)
        assert current_name(pilot) == "Hanne Peeters"


async def test_keys_on_an_empty_book_do_nothing_harmful(engine: Engine) -> None:
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        table = table_of(pilot)
        assert table.total == 0
        assert "press a to add" in table.empty_text
        await pilot.press("e", "l", "f", "x", "enter", "u")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientsScreen)


async def test_adding_a_client_already_in_the_book_asks_first_and_offers_to_open_it(
    book: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rmtui.core.user_locale import user_locale
    from rmtui.screens.confirm import LookAlikeQuestion

    monkeypatch.setenv("RMTUI_LOCALE", "nl_BE")  # 0470 … is then the Belgian +32 470 …
    user_locale.cache_clear()
    with session_scope(book) as session:
        make(session, Client, name="Aline Vermeulen", phone="+32 470 12 34 56")
    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("a")
        await pilot.pause()
        await type_in(pilot, "name", "Someone Else")
        await type_in(pilot, "phone", "0470 12 34 56")
        await pilot.press("ctrl+s")
        await pilot.pause()
        question = pilot.app.screen
        assert isinstance(question, LookAlikeQuestion)
        assert "Aline Vermeulen" in question.question
        # The user's locale is Belgian Dutch, so the question is asked in Dutch.
        assert "hetzelfde telefoonnummer" in question.question
        await pilot.press("escape")  # back to the form, with what was typed
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, ClientForm)
        assert form.query_one("#field-phone", Input).value == "0470 12 34 56"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")  # open the client already in the book
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientDetailScreen)
    with session_scope(book) as session:
        assert session.exec(select(Client).where(Client.name == "Someone Else")).all() == []


async def test_a_look_alike_can_be_added_all_the_same(book: Engine) -> None:
    from rmtui.screens.confirm import LookAlikeQuestion

    async with app_on(book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("a")
        await pilot.pause()
        await type_in(pilot, "name", "CHLOE claes")  # Chloé Claes: the same name, folded
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LookAlikeQuestion)
        assert "the same name" in pilot.app.screen.question
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ClientsScreen)
    assert client_named(book, "CHLOE claes").id is not None


async def test_a_filter_counted_only_so_far_is_counted_further_as_the_cursor_nears_its_end(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rmtui.core.queries import clients as client_queries

    with session_scope(engine) as session:
        for number in range(250):
            make(session, Client, name=f"Marta Jansen {number:03}")
        for number in range(20):
            make(session, Client, name=f"Piet Claes {number:03}")
    monkeypatch.setattr(client_queries, "TEXT_COUNT_LIMIT", 120)
    async with app_on(engine).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("slash", *"mar", "enter")
        await settle(pilot)
        table = table_of(pilot)
        assert table.total == 120
        assert "120+ clients matching “mar”" in summary(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert table.total == 240
        assert "240+ clients matching “mar”" in summary(pilot)
        assert current_name(pilot) == "Marta Jansen 119"  # the cursor stays where it went
        await pilot.press("end")
        await settle(pilot)
        assert (table.total, current_name(pilot)) == (250, "Marta Jansen 239")
        assert "250 clients matching “mar”" in summary(pilot)
        await pilot.press("end")
        assert current_name(pilot) == "Marta Jansen 249"
        assert shown_names(table) == [f"Marta Jansen {number:03}" for number in range(250)]
