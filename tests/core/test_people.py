"""Who works in the book: the user of a run, the owner of a client, who made a change."""

from __future__ import annotations

import getpass
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, update
from sqlalchemy import select as select_rows
from sqlmodel import Session, select

from rmtui.core.agenda import Agenda, read_agenda
from rmtui.core.client_filter import ClientFilter
from rmtui.core.db import session_scope
from rmtui.core.db_api import of_session
from rmtui.core.errors import BookError
from rmtui.core.kpi import compute_kpis
from rmtui.core.models import AuditEntry, Case, Client, FollowUp
from rmtui.core.people import mine_of, session_user
from rmtui.core.queries.clients import add_client, count_clients, list_clients, update_client
from rmtui.core.settings import load_settings, settings_path
from tests.conftest import TEST_USER
from tests.core.test_kpi_rollups import CLIENT, random_history
from tests.core.test_kpi_summaries import expected_kpis, read_book
from tests.factories import make


def write_config(text: str) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_the_user_is_the_configured_name_else_the_login_name() -> None:
    assert session_user() == getpass.getuser() == TEST_USER
    write_config('[user]\nname = " anna "\n')
    assert session_user() == "anna"


@pytest.mark.parametrize("text", ["user = 3\n", "[user]\nname = 3\n", '[user]\nname = " "\n'])
def test_a_bad_user_name_is_one_sentence(text: str) -> None:
    path = write_config(text)
    with pytest.raises(BookError) as caught:
        load_settings()
    said = str(caught.value)
    assert said.startswith(f"{path}: ") and "user" in said and said.count(".") <= 3
    assert session_user() == getpass.getuser()  # the screens say what is wrong


def test_a_new_client_is_the_users_unless_given_another_owner(engine: Engine) -> None:
    write_config('[user]\nname = "anna"\n')
    with session_scope(engine) as session:
        mine = add_client(session=session, values={"name": "Ada"})
        theirs = add_client(session=session, values={"name": "Bob", "owner": "ben"})
        everyones = add_client(session=session, values={"name": "Cy", "owner": None})
    assert (mine.owner, theirs.owner, everyones.owner) == ("anna", "ben", None)


def test_the_audit_trail_says_who_made_each_change(engine: Engine) -> None:
    write_config('[user]\nname = "anna"\n')
    with session_scope(engine) as session:
        client_id = add_client(session=session, values={"name": "Ada"}).id
    assert client_id is not None
    with session_scope(engine) as session:
        session.info["user"] = "ben"
        update_client(session=session, client_id=client_id, values={"owner": "ben"})
    with Session(engine) as session:
        rows = session.exec(
            select(AuditEntry).where(AuditEntry.entity == "client").order_by(AuditEntry.id)  # type: ignore[arg-type]
        ).all()
    assert [(row.action, row.user_name) for row in rows] == [("insert", "anna"), ("update", "ben")]
    assert rows[1].changes == {"owner": ["anna", "ben"]}
    with Session(engine) as session:
        assert session.get(Client, client_id).owner == "ben"  # type: ignore[union-attr]


PERIODS = [
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2026, 3, 10), date(2026, 3, 20)),
    (date(2026, 3, 15), date(2026, 4, 15)),
    (date(2026, 2, 1), date(2026, 6, 30)),
]


def test_my_kpis_are_those_of_a_book_of_my_clients_and_everyones_alone(session: Session) -> None:
    """They are the KPIs by their definitions of the book without the others' clients."""
    clients = random_history(session, random.Random(7), 200)
    for client_id, owner in zip(clients, ["ann", "ben", None, "ann", "ben", None], strict=True):
        session.execute(update(CLIENT).where(CLIENT.c.id == client_id).values(owner=owner))
    # Referred by a client of ben's: deleting theirs below would take that away too.
    bens = select_rows(CLIENT.c.id).where(CLIENT.c.owner == "ben").scalar_subquery()
    session.execute(
        update(CLIENT).where(CLIENT.c.referred_by_id.in_(bens)).values(referred_by_id=None)
    )
    mine = [compute_kpis(session=session, start=s, end=e, owner="ann") for s, e in PERIODS]
    assert mine != [compute_kpis(session=session, start=s, end=e) for s, e in PERIODS]
    session.execute(delete(CLIENT).where(CLIENT.c.owner == "ben"))
    book = read_book(session)
    for (start, end), found in zip(PERIODS, mine, strict=True):
        expected = expected_kpis(book, start, end)
        assert {key: found[key] for key in expected} == expected, (start, end)


def three_owners(session: Session) -> dict[str | None, int]:
    """A client of ann's, one of ben's and one of everyone's, each with every agenda item due
    on 29 November 2026: a follow-up overdue and one due that day, a check-in, a review, a
    case near its deadline, a birthday and a follow-up coming up."""
    ids: dict[str | None, int] = {}
    for owner, name in (("ann", "Ada"), ("ben", "Bob"), (None, "Cy")):
        client = make(
            session,
            Client,
            name=name,
            owner=owner,
            client_since=date(2020, 1, 1),
            birthday=date(1970, 11, 30),
        )
        assert client.id is not None
        ids[owner] = client.id
        for due in (date(2026, 11, 20), date(2026, 11, 29), date(2026, 12, 1)):
            make(session, FollowUp, client_id=client.id, due_on=due)
        make(
            session,
            Case,
            client_id=client.id,
            opened_on=date(2026, 11, 1),
            due_on=date(2026, 12, 1),
        )
    return ids


def agenda_clients(agenda: Agenda) -> dict[str, set[int]]:
    return {
        key: {item.client_id if hasattr(item, "client_id") else item.id for item in items}
        for key, _title, items in agenda.sections()
    }


def test_my_agenda_lists_my_clients_and_everyones(session: Session) -> None:
    ids = three_owners(session)
    day = date(2026, 11, 29)
    connection = of_session(session)
    everyone = agenda_clients(read_agenda(connection, day=day))
    mine = read_agenda(connection, day=day, owner="ann", limit=1, count_up_to=100)
    assert set(everyone) == set(agenda_clients(mine)) and all(everyone.values())
    for key, clients in agenda_clients(mine).items():
        assert clients <= {ids["ann"], ids[None]}, key
        assert mine.totals[key] == 2, key
    full = read_agenda(connection, day=day, owner="ann")
    for key, clients in agenda_clients(full).items():
        assert clients == {ids["ann"], ids[None]}, key
        assert full.totals[key] == 2, key


def test_my_client_list_and_its_count(session: Session) -> None:
    ids = three_owners(session)
    mine = ClientFilter(owner="ann")
    listed = list_clients(session=session, client_filter=mine)
    assert [row.id for row in listed] == [ids["ann"], ids[None]]
    assert count_clients(session=session, client_filter=mine) == 2
    assert count_clients(session=session, client_filter=ClientFilter(text="bob", owner="ann")) == 0


def test_a_book_without_others_clients_is_all_mine(session: Session) -> None:
    connection = of_session(session)
    assert mine_of(connection, "ann") is None  # an empty book
    make(session, Client, name="Ada", owner="ann")
    make(session, Client, name="Cy")
    assert mine_of(connection, "ann") is None
    make(session, Client, name="Bob", owner="ben")
    assert (mine_of(connection, "ann"), mine_of(connection, "ben")) == ("ann", "ben")
    assert mine_of(connection, "ann", everyone=True) is None


def test_my_clients_are_counted_from_the_client_count(session: Session) -> None:
    """The client list counts "my clients" (not archived, mine or everyone's) from the few
    rows of client_count, reading no client (migration 0016)."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    for owner, archived in [("ann", False), ("ann", True), ("ben", False), (None, False)] * 3:
        make(session, Client, name="Someone", owner=owner, archived=archived)
    statements: list[str] = []
    connection = of_session(session)
    connection.set_trace_callback(statements.append)
    try:
        counted = count_clients(session=session, client_filter=ClientFilter(owner="ann"))
    finally:
        connection.set_trace_callback(None)
    assert counted == 6
    (sql,) = [sql for sql in statements if "client_count" in sql]
    plan = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}")]
    read = [line for line in plan if "client" in line]
    assert read and all("client_count" in line for line in read), plan
