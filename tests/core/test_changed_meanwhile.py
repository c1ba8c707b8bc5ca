"""Two people editing one record, each on a connection of their own (two windows, or two
computers on a server book): the one who saved last is told it changed meanwhile, never
overwrites it unseen."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import Engine

from rmtui.core.changes import Seen, change_mark
from rmtui.core.db import session_scope
from rmtui.core.errors import ChangedMeanwhile
from rmtui.core.models import Client
from rmtui.core.queries.clients import update_client
from tests.factories import make


def ada(engine: Engine) -> int:
    with session_scope(engine) as session:
        client = make(session, Client, name="Ada", client_since=date(2024, 1, 1))
        assert client.id is not None
        return client.id


def seen_now(engine: Engine) -> Seen:
    with engine.connect() as connection:
        return Seen(change_mark(connection))


def rename(engine: Engine, client_id: int, name: str, seen: Seen) -> None:
    with session_scope(engine, seen=seen) as session:
        update_client(session=session, client_id=client_id, values={"name": name})


def name_of(engine: Engine, client_id: int) -> str:
    with session_scope(engine) as session:
        client = session.get(Client, client_id)
        assert client is not None
        return client.name


def test_an_edit_of_a_record_changed_since_it_was_shown_is_refused(engine: Engine) -> None:
    client_id = ada(engine)
    mine, theirs = seen_now(engine), seen_now(engine)
    rename(engine, client_id, "Ada Lovelace", theirs)
    with pytest.raises(ChangedMeanwhile, match="changed in another window or program"):
        rename(engine, client_id, "Ada King", mine)
    assert name_of(engine, client_id) == "Ada Lovelace"
    rename(engine, client_id, "Ada K. Lovelace", theirs)  # their own change is no one else's
    assert name_of(engine, client_id) == "Ada K. Lovelace"


def test_two_saves_at_the_same_moment_the_second_is_refused(engine: Engine) -> None:
    """The first holds the record until it commits; the second, waiting for it, then finds
    its change rather than overwriting it."""
    client_id = ada(engine)
    mine, theirs = seen_now(engine), seen_now(engine)
    outcome: list[BaseException | None] = []
    started = threading.Event()

    def save_theirs() -> None:
        started.set()
        try:
            rename(engine, client_id, "Ada King", theirs)
            outcome.append(None)
        except BaseException as error:  # handed to the test
            outcome.append(error)

    with session_scope(engine, seen=mine) as session:
        update_client(session=session, client_id=client_id, values={"name": "Ada Lovelace"})
        session.flush()  # holds the record (a file book: its write lock) until the commit
        other = threading.Thread(target=save_theirs)
        other.start()
        started.wait()
        other.join(0.5)
        assert other.is_alive()  # waiting for this one
    other.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], ChangedMeanwhile)
    assert name_of(engine, client_id) == "Ada Lovelace"
