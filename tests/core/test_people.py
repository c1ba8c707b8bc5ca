"""Who works in the book: the user of a run, the owner of a client, who made a change."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.models import AuditEntry, Client
from rmtui.core.people import session_user
from rmtui.core.queries.clients import add_client, update_client
from rmtui.core.settings import load_settings, settings_path


def write_config(text: str) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_the_user_is_the_configured_name_else_the_login_name() -> None:
    assert session_user() == getpass.getuser()
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
