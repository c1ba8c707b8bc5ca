"""The client list (filters, sorts, keyset paging), the palette search, edits and check-ins."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import Session

from rmtui.core.models import Client, FollowUp, Interaction
from rmtui.core.queries import InvalidChange, RecordNotFound
from rmtui.core.queries.clients import (
    SORTS,
    STATUS_RANK,
    ClientFilter,
    ClientRow,
    add_client,
    all_tags,
    archive_client,
    client_page_at,
    client_page_key,
    count_clients,
    get_client,
    last_contact_as_of,
    list_clients,
    search_clients_by_name,
    unarchive_client,
    update_client,
)
from rmtui.core.rules import client_due_state
from tests.factories import make


def id_of(row: Any) -> int:
    """The id of a flushed row."""
    assert isinstance(row.id, int)
    return row.id


DAY = date(2026, 11, 29)


def names(rows: list[ClientRow]) -> list[str]:
    return [row.name for row in rows]


# -- adding and changing clients ----------------------------------------------------------------


def test_add_client_follows_the_tier_cadence_and_dates_today(session: Session) -> None:
    client = add_client(session=session, values={"name": "Ada", "tier": "A", "status": "client"})
    assert client.checkin_every_days is None
    assert client_due_state(client, day=DAY).cadence == 30
    assert client.created_on == DAY
    assert client.client_since == DAY


def test_add_client_keeps_given_values_and_leaves_a_lead_without_client_since(
    session: Session,
) -> None:
    client = add_client(
        session=session,
        values={"name": "Bo", "tier": "C", "status": "lead", "checkin_every_days": 7},
    )
    assert client.checkin_every_days == 7
    assert client.client_since is None
    assert add_client(session=session, values={"name": "Cy"}).checkin_every_days is None


def test_add_client_refuses_a_value_outside_its_choices(session: Session) -> None:
    with pytest.raises(InvalidChange, match="tier"):
        add_client(session=session, values={"name": "Ada", "tier": "Z"})


def test_update_client_dates_status_changes_and_follows_the_tier_cadence(
    session: Session,
) -> None:
    client = add_client(session=session, values={"name": "Ada", "status": "prospect"})
    update_client(
        session=session, client_id=id_of(client), values={"status": "client", "tier": "A"}
    )
    assert client.client_since == DAY
    assert client_due_state(client, day=DAY).cadence == 30
    update_client(session=session, client_id=id_of(client), values={"tier": "C"})
    assert client_due_state(client, day=DAY).cadence == 180
    update_client(session=session, client_id=id_of(client), values={"status": "former"})
    assert client.client_until == DAY


def test_update_client_keeps_a_custom_cadence_on_a_tier_change(session: Session) -> None:
    client = make(session, Client, tier="B", checkin_every_days=45)
    update_client(session=session, client_id=id_of(client), values={"tier": "A"})
    assert client.checkin_every_days == 45


def test_update_of_a_missing_client_says_so(session: Session) -> None:
    with pytest.raises(RecordNotFound, match="client #999"):
        update_client(session=session, client_id=999, values={"name": "x"})


def test_update_refuses_the_maintained_last_contact(session: Session) -> None:
    client = make(session, Client)
    with pytest.raises(ValueError, match="last_contact_on"):
        update_client(session=session, client_id=id_of(client), values={"last_contact_on": DAY})


def test_archive_and_unarchive(session: Session) -> None:
    client = make(session, Client, name="Ada")
    archive_client(session=session, client_id=id_of(client))
    assert list_clients(session=session) == []
    assert names(
        list_clients(session=session, client_filter=ClientFilter(include_archived=True))
    ) == ["Ada"]
    unarchive_client(session=session, client_id=id_of(client))
    assert names(list_clients(session=session)) == ["Ada"]
    assert get_client(session=session, client_id=id_of(client)) is client


# -- filters ------------------------------------------------------------------------------------


@pytest.fixture
def book(session: Session) -> dict[str, Client]:
    """A few clients to filter."""
    return {
        "ada": make(session, Client, name="Ada Lovelace", city="London", tags=["vip", "golf"]),
        "bob": make(
            session, Client, name="Bob Stone", company="Stone & Co", email="bob@stone.example"
        ),
        "cy": make(session, Client, name="Cy Park", city="Paris", kind="business", tier="A"),
        "dee": make(session, Client, name="Dee 100%_sure", status="lead", client_since=None),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lond", ["Ada Lovelace"]),
        ("STONE", ["Bob Stone"]),
        ("stone.example", ["Bob Stone"]),
        ("& co", ["Bob Stone"]),
        ("GOLF", ["Ada Lovelace"]),
        ("ada lon", ["Ada Lovelace"]),
        ("ada paris", []),
        ("100%_", ["Dee 100%_sure"]),
        ("0%s", []),
        ("o", ["Ada Lovelace", "Bob Stone"]),
    ],
)
def test_text_filter_matches_any_field_for_every_word(
    session: Session, book: dict[str, Client], text: str, expected: list[str]
) -> None:
    assert names(list_clients(session=session, client_filter=ClientFilter(text=text))) == expected
    assert count_clients(session=session, client_filter=ClientFilter(text=text)) == len(expected)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "lead"}, ["Dee 100%_sure"]),
        ({"kind": "business"}, ["Cy Park"]),
        ({"tier": "A"}, ["Cy Park"]),
        ({"tag": "vip"}, ["Ada Lovelace"]),
        ({"tag": "VIP"}, ["Ada Lovelace"]),
        ({"tag": "vi"}, []),
        ({"tier": "B", "text": "o"}, ["Ada Lovelace", "Bob Stone"]),
    ],
)
def test_quick_filters(
    session: Session, book: dict[str, Client], filters: dict[str, Any], expected: list[str]
) -> None:
    assert names(list_clients(session=session, client_filter=ClientFilter(**filters))) == expected
    assert count_clients(session=session, client_filter=ClientFilter(**filters)) == len(expected)


def test_all_tags(session: Session, book: dict[str, Client]) -> None:
    make(session, Client, name="Old", tags=["archived-only"], archived=True)
    assert all_tags(session=session) == ["golf", "vip"]
    assert "archived-only" in all_tags(session=session, include_archived=True)


def test_row_carries_the_next_open_follow_up(session: Session, book: dict[str, Client]) -> None:
    ada = book["ada"]
    make(session, FollowUp, client_id=id_of(ada), due_on=date(2026, 12, 5))
    make(session, FollowUp, client_id=id_of(ada), due_on=date(2026, 12, 2))
    make(session, FollowUp, client_id=id_of(ada), due_on=date(2026, 11, 1), status="done")
    rows = {row.id: row for row in list_clients(session=session)}
    assert rows[id_of(ada)].next_follow_up_on == date(2026, 12, 2)
    assert rows[id_of(book["bob"])].next_follow_up_on is None
    assert rows[id_of(ada)].tags == ("vip", "golf")


# -- sorting and paging -------------------------------------------------------------------------


@pytest.fixture
def crowd(session: Session) -> list[Client]:
    """Thirty clients with many ties and gaps in every sort key."""
    clients = []
    statuses = ["lead", "prospect", "client", "former"]
    for number in range(30):
        client = make(
            session,
            Client,
            name=["ada", "Ada", "Bea", "cy", "Zed"][number % 5],
            tier="ABC"[number % 3],
            status=statuses[number % 4],
            city=[None, "Paris", "london", "Berlin"][number % 4],
            created_on=date(2024, 1, 1 + number % 3),
        )
        clients.append(client)
        if number % 3:
            at = datetime(2026, 11, 1 + number % 4, 9, 0)
            make(session, Interaction, client_id=id_of(client), at=at)
        if number % 4 == 1:
            make(session, FollowUp, client_id=id_of(client), due_on=date(2026, 12, 1 + number % 2))
    make(session, Client, name="Archived", archived=True)
    return clients


def expected_order(rows: list[ClientRow], sort: str, descending: bool) -> list[int]:
    """The ids in the order PRODUCT.md's client list should show them."""

    def key(row: ClientRow) -> tuple[Any, ...]:
        name = row.name.lower()
        keys: dict[str, tuple[Any, ...]] = {
            "name": (name,),
            "last_contact": (row.last_contact_on or date.min,),
            "next_follow_up": (row.next_follow_up_on or date.max,),
            "created_on": (row.created_on,),
            "tier": (row.tier, name),
            "status": (STATUS_RANK[row.status], name),
            "city": (row.city is None, (row.city or "").lower(), name),
        }
        return (*keys[sort], row.id)

    return [row.id for row in sorted(rows, key=key, reverse=descending)]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", SORTS)
def test_keyset_paging_lists_every_client_once_in_order(
    session: Session, crowd: list[Client], sort: str, descending: bool
) -> None:
    everyone = list_clients(session=session, sort=sort, descending=descending, limit=1000)
    assert [row.id for row in everyone] == expected_order(everyone, sort, descending)
    assert {row.id for row in everyone} == {client.id for client in crowd}

    seen: list[int] = []
    after = None
    while True:
        page = list_clients(session=session, sort=sort, descending=descending, limit=4, after=after)
        if not page:
            break
        seen += [row.id for row in page]
        after = client_page_key(page[-1], sort)
    assert seen == [row.id for row in everyone]


@pytest.mark.parametrize("sort", SORTS)
def test_offset_pages_agree_with_keyset_pages(
    session: Session, crowd: list[Client], sort: str
) -> None:
    everyone = [row.id for row in list_clients(session=session, sort=sort, limit=1000)]
    for offset in (0, 7, 28):
        page = client_page_at(session=session, offset=offset, limit=7, sort=sort)
        assert [row.id for row in page] == everyone[offset : offset + 7]


def test_keyset_paging_with_a_filter(session: Session, crowd: list[Client]) -> None:
    everyone = list_clients(
        session=session, client_filter=ClientFilter(text="a", tier="A"), sort="city", limit=1000
    )
    first = list_clients(
        session=session, client_filter=ClientFilter(text="a", tier="A"), sort="city", limit=3
    )
    after = client_page_key(first[-1], "city")
    rest = list_clients(
        session=session,
        client_filter=ClientFilter(text="a", tier="A"),
        sort="city",
        limit=1000,
        after=after,
    )
    assert [row.id for row in first + rest] == [row.id for row in everyone]
    assert all(row.tier == "A" for row in everyone)


# -- the command palette ------------------------------------------------------------------------


def test_search_by_name_ranks_prefix_word_start_substring_then_letters(
    session: Session,
) -> None:
    for name in ("Jo Smith", "Smithers", "Blacksmith Ltd", "Sam Mith", "Anna Smith", "Nobody"):
        make(session, Client, name=name)
    make(session, Client, name="Smith Archived", archived=True)
    found = names(search_clients_by_name(session=session, text="smith"))
    assert found == ["Smithers", "Jo Smith", "Anna Smith", "Blacksmith Ltd", "Sam Mith"]
    assert names(search_clients_by_name(session=session, text="jsm")) == ["Jo Smith"]
    assert names(search_clients_by_name(session=session, text="smith", limit=2)) == [
        "Smithers",
        "Jo Smith",
    ]
    assert search_clients_by_name(session=session, text="  ") == []
    archived = search_clients_by_name(session=session, text="smith", include_archived=True)
    assert "Smith Archived" in names(archived)


# -- check-ins ----------------------------------------------------------------------------------


def test_due_state_counts_from_the_last_contact(session: Session) -> None:
    client = make(session, Client, checkin_every_days=30)
    make(session, Interaction, client_id=id_of(client), at=datetime(2026, 10, 30, 9, 0))
    session.refresh(client)
    state = client_due_state(client, day=DAY)
    assert (state.last_contact_on, state.days_since, state.due_on) == (
        date(2026, 10, 30),
        30,
        date(2026, 11, 29),
    )
    assert state.overdue and state.days_overdue == 0
    assert not client_due_state(client, day=date(2026, 11, 28)).overdue


def test_due_state_without_contact_counts_from_client_since(session: Session) -> None:
    client = make(session, Client, client_since=date(2026, 11, 1), checkin_every_days=30)
    state = client_due_state(client, day=DAY)
    assert state.last_contact_on is None
    assert state.days_since == 28
    assert state.due_on == date(2026, 12, 1)
    assert not state.overdue


def test_due_state_of_a_lead_is_never_overdue(session: Session) -> None:
    lead = make(session, Client, status="lead", client_since=None)
    state = client_due_state(lead, day=DAY)
    assert state.due_on is None and not state.overdue


def test_due_state_on_a_past_day_takes_the_contact_of_that_day(session: Session) -> None:
    client = make(session, Client, checkin_every_days=30)
    make(session, Interaction, client_id=id_of(client), at=datetime(2026, 9, 1, 9, 0))
    make(session, Interaction, client_id=id_of(client), at=datetime(2026, 11, 20, 9, 0))
    session.refresh(client)
    day = date(2026, 10, 15)
    last = last_contact_as_of(session=session, client_id=id_of(client), day=day)
    assert last == date(2026, 9, 1)
    state = client_due_state(client, day=day, last_contact_on=last)
    assert state.overdue and state.days_overdue == 14
