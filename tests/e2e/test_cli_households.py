"""`rmtui household`: start one from a client, add and take out members, show and list."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from rmtui.cli import main
from rmtui.core.db import session_scope
from rmtui.core.models import Client, Holding
from tests.factories import make


@pytest.fixture
def jansens(engine: Engine) -> Engine:
    """Three clients named Jansen; Piet holds 1000."""
    with session_scope(engine) as session:
        for name in ("Piet Jansen", "Anna Jansen", "Tim Jansen"):
            make(session, Client, name=name)
        make(session, Holding, client_id=1, as_of=date(2026, 11, 1), value=Decimal("1000"))
    return engine


def test_a_household_is_started_joined_shown_and_left(
    jansens: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["household", "add", "Piet Jansen", "--name", "Jansen family"]) == 0
    assert "Started Jansen family (household 1)." in capsys.readouterr().out
    assert main(["household", "join", "jansen family", "anna jansen", "--role", "partner"]) == 0
    assert main(["household", "join", "1", "3", "--role", "child", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {
        "household": 1,
        "client": 3,
        "role": "child",
    }
    assert main(["household", "show", "Jansen family", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(m["name"], m["role"]) for m in shown["members"]] == [
        ("Piet Jansen", "head"),
        ("Anna Jansen", "partner"),
        ("Tim Jansen", "child"),
    ]
    assert (shown["aum"], shown["shared_checkin"]) == ("1000.00", True)
    assert main(["household", "leave", "Tim Jansen"]) == 0
    assert main(["household", "list"]) == 0
    assert "Jansen family  (2 members)" in capsys.readouterr().out


def test_refusals_are_one_sentence_and_exit_1(
    jansens: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["household", "add", "1"]) == 0
    capsys.readouterr()
    assert main(["household", "join", "1", "Jansen"]) == 1
    assert "'Jansen' matches several clients" in capsys.readouterr().err
    assert main(["household", "join", "1", "2", "--role", "uncle"]) == 1
    assert "role must be one of head, partner, child" in capsys.readouterr().err
    assert main(["household", "add", "Piet Jansen"]) == 1
    assert "already in Piet Jansen household" in capsys.readouterr().err
    assert main(["household", "leave", "2"]) == 1
    assert "not in a household" in capsys.readouterr().err
    assert main(["household"]) == 2
