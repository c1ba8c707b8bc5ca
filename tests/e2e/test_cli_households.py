"""`rmtui household`: start one from a client, add and take out members, show and list."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

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


def test_a_household_is_deleted_to_the_trash_and_its_members_stay(
    jansens: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["household", "add", "Piet Jansen", "--name", "Jansen family"]) == 0
    assert main(["household", "join", "1", "Anna Jansen", "--role", "partner"]) == 0
    capsys.readouterr()
    assert main(["household", "delete", "jansen family"]) == 0
    said = capsys.readouterr().out
    assert "Moved Jansen family to the trash; its 2 members stay clients" in said
    assert "`rmtui trash restore 1` brings it back within 30 days." in said
    assert main(["household", "list"]) == 0
    assert "No households." in capsys.readouterr().out
    assert main(["client", "list", "Jansen", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert main(["trash", "list"]) == 0
    assert "household “Jansen family” with 2 household members" in capsys.readouterr().out
    assert main(["trash", "restore", "1"]) == 0
    capsys.readouterr()
    assert main(["household", "show", "1", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["members"]) == 2
    assert main(["household", "delete", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"household": 1, "members": 2, "trash_entry": 2}


def test_deleting_a_household_that_is_not_there_is_one_sentence_and_exit_1(
    jansens: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["household", "delete", "7"]) == 1
    assert capsys.readouterr().err.strip() == "rmtui: There is no household #7."
    assert main(["household", "delete", "Smit"]) == 1
    assert "No household is named like 'Smit'." in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["household", "delete"])
    assert usage.value.code == 2


def test_the_review_of_a_household_is_printed_or_written(
    jansens: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["household", "add", "Piet Jansen", "--name", "Jansen family"]) == 0
    assert main(["household", "join", "1", "Anna Jansen", "--role", "partner"]) == 0
    capsys.readouterr()
    assert main(["household", "review", "jansen family", "--date", "2026-11-29"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# Household review: Jansen family\n\n_Prepared on 29 Nov 2026")
    assert "| Piet Jansen | head | B | never | 1,000 |" in printed
    assert main(["household", "review", "1", "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")
    target = tmp_path / "jansens.html"
    assert main(["household", "review", "1", str(target)]) == 0
    assert capsys.readouterr().out == f"Wrote the review of Jansen family to {target}.\n"
    assert "<h1>Household review: Jansen family</h1>" in target.read_text(encoding="utf-8")


def test_a_review_that_cannot_be_written_is_one_sentence(
    jansens: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["household", "add", "1"]) == 0
    capsys.readouterr()
    assert main(["household", "review", "1", str(tmp_path / "review.txt")]) == 1
    assert "review.txt does not end in .md or .html" in capsys.readouterr().err
    assert main(["household", "review", "1", str(tmp_path / "r.md"), "--format", "html"]) == 2
    assert "the ending names the format, so leave out --format" in capsys.readouterr().err
    assert main(["household", "review", "1", str(tmp_path / "no" / "r.md")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["household", "review", "Smit"]) == 1
    assert capsys.readouterr().err == "rmtui: No household is named like 'Smit'.\n"
    assert not list(tmp_path.glob("*.md")) and not list(tmp_path.glob("*.txt"))


def test_the_vcard_export_says_how_many_households_it_wrote_and_imports_back_alike(
    jansens: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["household", "add", "Piet Jansen", "--name", "Jansen family"]) == 0
    capsys.readouterr()
    target = tmp_path / "book.vcf"
    assert main(["export", str(target)]) == 0
    assert capsys.readouterr().out == f"Exported 3 clients, 1 household to {target}.\n"
    other = str(tmp_path / "other.db")
    assert main(["--db", other, "import", str(target)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("book.vcf: added 3 of 3 clients.\n")
    assert "(Jansen family) is a group of 1 card, not a client, so it was left out" in said
    assert main(["--db", other, "client", "list", "--json"]) == 0
    names = [client["name"] for client in json.loads(capsys.readouterr().out)]
    assert sorted(names) == ["Anna Jansen", "Piet Jansen", "Tim Jansen"]
