"""The client list's block reads (keyset, OFFSET, from the end) and where a client stands."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from rmtui.core.db import session_scope
from rmtui.core.models import Client, FollowUp, Interaction
from rmtui.core.queries.client_list import client_position
from rmtui.core.queries.clients import ClientFilter, list_clients
from rmtui.screens.clients import ClientsScreen
from rmtui.widgets.client_table import (
    SORT_CYCLE,
    ClientListing,
    ClientPages,
    client_columns,
)
from rmtui.widgets.page_source import READ_AHEAD_ROWS
from rmtui.widgets.virtual_table import BLOCK_SIZE
from tests.clients_book import DAY, SIZE, app_on, open_clients, settle
from tests.factories import make

CLIENTS = 450


@pytest.fixture
def big_book(engine: Engine) -> Engine:
    """450 clients (three blocks) with repeated names, some contacts, follow-ups, archived."""
    rng = random.Random(4)
    with session_scope(engine) as session:
        for number in range(CLIENTS):
            client = make(
                session,
                Client,
                name=rng.choice(["ann", "Bob", "carl", "Dora", "Émile"]) + f" {rng.randint(0, 40)}",
                city=rng.choice([None, "Gent", "aalst"]),
                tier=rng.choice("ABC"),
                status=rng.choice(["lead", "prospect", "client", "former"]),
                created_on=date(2025, 1, 1) + timedelta(days=rng.randint(0, 5)),
                archived=number % 37 == 0,
                tags=["vip"] if number % 5 == 0 else [],
            )
            if rng.random() < 0.6:
                at = datetime(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
                make(session, Interaction, client_id=client.id, at=at)
            if rng.random() < 0.4:
                due = date(2026, 12, 1) + timedelta(days=rng.randint(0, 9))
                make(session, FollowUp, client_id=client.id, due_on=due)
    return engine


def every_id(engine: Engine, listing: ClientListing) -> list[int]:
    with session_scope(engine) as session:
        rows = list_clients(
            session=session,
            sort=listing.sort,
            descending=listing.descending,
            limit=10_000,
            client_filter=listing.client_filter(),
        )
    return [row.id for row in rows]


def loaded_pages(engine: Engine, listing: ClientListing) -> ClientPages:
    pages = ClientPages(engine, listing, DAY)
    with session_scope(engine) as session:
        pages.read_first(session)
        pages.count(session)
    return pages


def block_ids(pages: ClientPages, offset: int) -> list[int]:
    return [row.key for row in pages.fetch(offset, BLOCK_SIZE)]


@pytest.mark.parametrize("sort", SORT_CYCLE)
@pytest.mark.parametrize("descending", [False, True])
def test_blocks_read_in_any_order_agree_with_the_whole_list(
    big_book: Engine, sort: str, descending: bool
) -> None:
    listing = ClientListing(sort=sort, descending=descending)
    expected = every_id(big_book, listing)
    starts = range(0, len(expected), BLOCK_SIZE)
    # In order (keyset after the first block), and jumping: last (from the end), middle.
    forward = loaded_pages(big_book, listing)
    assert [key for start in starts for key in block_ids(forward, start)] == expected
    jumping = loaded_pages(big_book, listing)
    for start in reversed(starts):
        assert block_ids(jumping, start) == expected[start : start + BLOCK_SIZE]


def test_filtered_blocks_agree_with_the_whole_list(big_book: Engine) -> None:
    listing = ClientListing(text="a", tier="B", include_archived=True, sort="city")
    expected = every_id(big_book, listing)
    pages = loaded_pages(big_book, listing)
    assert pages.total == len(expected)
    assert block_ids(pages, 0) == expected[:BLOCK_SIZE]


@pytest.mark.parametrize("sort", SORT_CYCLE)
def test_client_position_is_the_row_number_in_the_list(big_book: Engine, sort: str) -> None:
    listing = ClientListing(sort=sort, descending=sort == "city", tag=None)
    expected = every_id(big_book, listing)
    with session_scope(big_book) as session:
        for row in (0, 1, 199, 200, 333, len(expected) - 1):
            found = client_position(
                session=session,
                client_id=expected[row],
                sort=listing.sort,
                descending=listing.descending,
                client_filter=listing.client_filter(),
            )
            assert found == row


def test_client_position_is_none_for_a_client_the_filters_leave_out(big_book: Engine) -> None:
    with session_scope(big_book) as session:
        archived = session.get(Client, 1)
        assert archived is not None and archived.archived
        assert client_position(session=session, client_id=1) is None
        assert (
            client_position(
                session=session, client_filter=ClientFilter(include_archived=True), client_id=1
            )
            is not None
        )
        assert client_position(session=session, client_id=99_999) is None


def test_a_short_first_block_is_the_count(big_book: Engine) -> None:
    pages = ClientPages(big_book, ClientListing(tier="A", text="ann"), DAY)
    with session_scope(big_book) as session:
        first = pages.read_first(session)
    assert pages.counted
    assert pages.total == len(first) < BLOCK_SIZE
    whole = ClientPages(big_book, ClientListing(), DAY)
    with session_scope(big_book) as session:
        whole.read_first(session)
        assert not whole.counted
        whole.count(session)
    assert whole.total == CLIENTS - 13


def test_listing_filters_sorts_and_column_marks() -> None:
    listing = ClientListing(text="x")
    assert listing.filtered
    assert not ClientListing().filtered
    assert ClientListing().next_sort().sort == "last_contact"
    assert ClientListing(sort="city").next_sort() == ClientListing(
        sort="created_on", descending=True
    )
    columns = client_columns(ClientListing(sort="tier", descending=True))
    assert [column.label for column in columns if column.key == "tier"] == ["Tier▼"]


def test_the_next_block_is_read_ahead_once(big_book: Engine) -> None:
    pages = loaded_pages(big_book, ClientListing())
    near = BLOCK_SIZE - READ_AHEAD_ROWS  # that many rows before the next block
    assert pages.claim_read_ahead(near - 1) is None  # far from the next block
    assert pages.claim_read_ahead(near) == BLOCK_SIZE
    assert pages.claim_read_ahead(near + 1) is None  # already claimed
    pages.read_ahead(BLOCK_SIZE)
    expected = every_id(big_book, ClientListing())
    assert block_ids(pages, BLOCK_SIZE) == expected[BLOCK_SIZE : 2 * BLOCK_SIZE]


def test_an_interrupted_listing_stops_its_reads(big_book: Engine) -> None:
    pages = ClientPages(big_book, ClientListing(), DAY)
    with pages.loading() as session:
        pages.read_first(session)
        pages.interrupt()
    assert pages.interrupted


async def test_the_screen_reads_only_the_blocks_it_shows(big_book: Engine) -> None:
    async with app_on(big_book).run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ClientsScreen)
        pages = screen.pages
        assert pages is not None
        assert screen.table.total == CLIENTS - 13  # 13 archived
        assert pages._read == {0}
        await pilot.press("end")
        await settle(pilot)
        assert pages._read == {0, 400}
        await pilot.press("pageup", "pageup", "pageup", "pageup", "pageup", "pageup", "pageup")
        await settle(pilot)
        assert 200 in pages._read  # read ahead of the cursor or when shown
