"""`rmtui trash`: list, restore and empty through the real entry point, with exit codes."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy.engine import Engine

from rmtui.cli import main
from rmtui.core.db import session_scope
from rmtui.core.models import Client, Interaction
from rmtui.core.queries.trash import move_to_trash
from tests.e2e.test_cli import rmtui


@pytest.fixture
def trashed(small_book: Engine) -> Engine:
    """The small book with Ann (and her follow-up and revenue) in the trash."""
    with session_scope(small_book) as session:
        move_to_trash(session=session, model=Client, record_id=1)
    return small_book


def test_list_restore_and_list_again(trashed: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trash", "list"]) == 0
    listed = capsys.readouterr().out
    assert "client Ann Peeters with 1 follow-up, 1 revenue entry" in listed
    assert main(["trash", "list", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert (entry["entity"], entry["entity_id"], entry["client_id"]) == ("client", 1, 1)
    assert main(["trash", "restore", str(entry["id"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "entity": "client",
        "id": 1,
        "what": "client Ann Peeters with 1 follow-up, 1 revenue entry",
    }
    assert main(["agenda", "--json"]) == 0
    assert "Send proposal" in capsys.readouterr().out
    assert main(["trash", "list"]) == 0
    assert capsys.readouterr().out == "The trash is empty.\n"


def test_restoring_what_is_not_there_is_one_sentence_and_exit_1(trashed: Engine) -> None:
    result = rmtui("trash", "restore", "99")
    assert result.returncode == 1
    assert result.stderr == (
        "rmtui: There is no entry #99 in the trash; `rmtui trash list` shows what is there.\n"
    )


def test_a_record_of_a_deleted_client_says_to_restore_the_client_first(
    trashed: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trash", "restore", "1"]) == 0
    with session_scope(trashed) as session:
        call = Interaction(client_id=1, at=datetime(2026, 11, 2, 9))
        session.add(call)
        session.flush()
        call_id = call.id
        assert call_id is not None
        move_to_trash(session=session, model=Interaction, record_id=call_id)
        move_to_trash(session=session, model=Client, record_id=1)
    capsys.readouterr()
    assert main(["trash", "restore", "2"]) == 1
    error = capsys.readouterr().err
    assert error == (
        "rmtui: This interaction belonged to client #1, who is no longer in the book; "
        "restore the client first (trash entry 3).\n"
    )


def test_empty_asks_first_and_deletes_for_good(
    trashed: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    result = rmtui("trash", "empty")  # no terminal to ask on, no --yes: refused
    assert result.returncode == 2
    assert main(["trash", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["trash", "empty", "--yes"]) == 0
    assert capsys.readouterr().out == "Deleted 1 entry for good.\n"
    assert main(["trash", "empty", "--yes"]) == 0
    assert capsys.readouterr().out == "The trash is already empty.\n"


def test_a_deleted_client_can_still_be_erased(
    trashed: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["client", "erase", "1", "--yes"]) == 0
    assert "Client 1 was erased" in capsys.readouterr().out
    assert main(["trash", "list"]) == 0
    assert capsys.readouterr().out == "The trash is empty.\n"
