"""The clients counted by the triggers (schema 0016), archived or not and by owner, always
equal to the clients counted one by one: after inserts, archiving, owner changes, deletes,
the trash, imports and erasure; and the client list's count read from them."""

from __future__ import annotations

import random
from collections import Counter

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rmtui.core.db import session_scope
from rmtui.core.interchange.book_file import import_book
from rmtui.core.models import Client
from rmtui.core.privacy import erase_client
from rmtui.core.queries.clients import (
    ClientFilter,
    archive_client,
    count_clients,
    unarchive_client,
    update_client,
)
from rmtui.core.queries.trash import move_to_trash, restore
from tests.factories import make

Key = tuple[bool, bool, str]


def stored(session: Session) -> Counter[Key]:
    rows = session.connection().execute(
        text("SELECT archived, everyone, owner, clients FROM client_count WHERE clients <> 0")
    )
    return Counter({(bool(a), bool(e), o): n for a, e, o, n in rows})


def recomputed(session: Session) -> Counter[Key]:
    rows = session.connection().execute(text("SELECT archived, owner FROM client"))
    return Counter((bool(archived), owner is None, owner or "") for archived, owner in rows)


def assert_counted(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert stored(session) == recomputed(session)
        for include_archived in (False, True):
            for owner in (None, "ana", "bo", "nobody"):
                narrowed = ClientFilter(include_archived=include_archived, owner=owner)
                query = "SELECT count(*) FROM client WHERE (:archived OR NOT archived)"
                query += " AND (CAST(:owner AS VARCHAR) IS NULL OR owner IS NULL OR owner = :owner)"
                one_by_one = session.connection().execute(
                    text(query), {"archived": include_archived, "owner": owner}
                )
                counted = count_clients(session=session, client_filter=narrowed)
                assert counted == one_by_one.scalar_one(), (include_archived, owner)


def test_every_change_to_a_client_keeps_the_count(engine: Engine) -> None:
    with session_scope(engine) as session:
        ids = [
            make(session, Client, name=f"C{n}", owner=(None, "ana", "bo")[n % 3]).id or 0
            for n in range(9)
        ]
    assert_counted(engine)
    with session_scope(engine) as session:
        archive_client(session=session, client_id=ids[0])
        archive_client(session=session, client_id=ids[1])
        unarchive_client(session=session, client_id=ids[1])
        update_client(session=session, client_id=ids[2], values={"owner": None})
        update_client(session=session, client_id=ids[3], values={"owner": "bo"})
        update_client(session=session, client_id=ids[4], values={"owner": "cy", "city": "Gent"})
        update_client(session=session, client_id=ids[5], values={"city": "Brugge"})
    assert_counted(engine)
    with session_scope(engine) as session:
        session.delete(session.get(Client, ids[6]))
        entry = move_to_trash(session=session, model=Client, record_id=ids[0])  # archived
        other = move_to_trash(session=session, model=Client, record_id=ids[7])
    assert_counted(engine)
    with session_scope(engine) as session:
        restore(session=session, entry_id=entry.id)
    assert_counted(engine)
    with session_scope(engine) as session:
        restore(session=session, entry_id=other.id)
        assert count_clients(session=session, client_filter=ClientFilter(owner="bo")) == 4
    erase_client(engine=engine, client_id=ids[8])
    assert_counted(engine)
    with session_scope(engine) as session:
        assert count_clients(session=session, client_filter=ClientFilter(owner="bo")) == 3


def book_file(clients: int, rng: random.Random) -> dict[str, object]:
    return {
        "format": "rmtui-book",
        "version": 1,
        "clients": [
            {
                "id": n,
                "name": f"Client {n}",
                "archived": rng.random() < 0.3,
                **({} if rng.random() < 0.4 else {"owner": rng.choice(["ana", "bo", "dee"])}),
            }
            for n in range(1, clients + 1)
        ],
    }


def test_imports_into_an_empty_book_and_among_clients_keep_the_count(engine: Engine) -> None:
    rng = random.Random(16)
    import_book(engine=engine, data=book_file(40, rng))
    assert_counted(engine)
    with session_scope(engine) as session:
        make(session, Client, name="Mine", owner="ana")
    import_book(engine=engine, data=book_file(25, rng))
    assert_counted(engine)
