"""The commands that write the book: success, the `--json` record, an ambiguous CLIENT, a bad
value (exit 1, one sentence, nothing written), usage (exit 2); and the records on Today."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from rmtui.app import make_app
from rmtui.cli import main
from rmtui.core.db import session_scope
from rmtui.core.models import (
    Case,
    Client,
    FollowUp,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
)
from rmtui.core.translation import reset_language
from rmtui.core.user_locale import user_locale
from rmtui.widgets.line_list import LineList
from tests.e2e.test_cli import rmtui
from tests.factories import make

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def book(engine: Engine) -> Engine:
    """Piet Jansen (1), Ann Smit (2) and Ann de Vries (3); a deal and a case of Piet's."""
    with session_scope(engine) as session:
        piet = make(session, Client, name="Piet Jansen", email="piet@example.nl", city="Utrecht")
        make(session, Client, name="Ann Smit", city="Amsterdam", preferred_channel="email")
        make(session, Client, name="Ann de Vries", city="Delft")
        make(session, Opportunity, client_id=piet.id, title="Pension plan", stage="proposal")
        make(
            session,
            Case,
            client_id=piet.id,
            kind="request",
            subject="Address change",
            opened_on=date(2026, 11, 27),
            due_on=date(2026, 12, 2),
        )
    return engine


def count(engine: Engine, model: type[SQLModel]) -> int:
    with session_scope(engine) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def run_json(capsys: Capture, *args: str) -> Any:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def refused(capsys: Capture, *args: str) -> str:
    """Run a command that must be refused; its error output."""
    assert main(list(args)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("rmtui: ")
    return captured.err


# -- clients -----------------------------------------------------------------------------------


def test_client_add_prints_one_line_and_json_chains(book: Engine, capsys: Capture) -> None:
    assert main(["client", "add", "Kees Bakker", "--tier", "a", "--tag", "golf"]) == 0
    assert capsys.readouterr().out == "Added Kees Bakker (client 4).\n"
    record = run_json(capsys, "client", "add", "Lotte Visser", "--email", "lotte@example.nl")
    assert record["id"] == 5 and record["email"] == "lotte@example.nl"
    assert record["status"] == "client" and record["tags"] == [] and record["tier"] == "B"
    with session_scope(book) as session:
        kees = session.get(Client, 4)
        assert kees is not None and (kees.tier, kees.tags) == ("A", ["golf"])


def test_a_look_alike_is_refused_unless_forced(book: Engine, capsys: Capture) -> None:
    err = refused(capsys, "client", "add", "P. Jansen", "--email", "PIET@example.nl")
    assert "Piet Jansen (client 1) has the same e-mail address" in err and "--force" in err
    assert count(book, Client) == 3
    assert main(["client", "add", "P. Jansen", "--email", "piet@example.nl", "--force"]) == 0
    assert count(book, Client) == 4


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--email", "piet(at)x"], "rmtui: --email: 'piet(at)x' is not an e-mail address"),
        (["--tier", "D"], "rmtui: --tier: choose one of A, B, C, not 'D'"),
        (["--birthday", "2030-01-01"], "rmtui: --birthday: 2030-01-01 is in the future"),
        (["--checkin-every", "0"], "rmtui: --checkin-every: The check-in cadence must be"),
    ],
)
def test_a_bad_client_value_names_its_option(
    book: Engine, capsys: Capture, args: list[str], said: str
) -> None:
    err = refused(capsys, "client", "add", "Kees Bakker", *args)
    assert err.startswith(said) and err.endswith("nothing was written.\n")
    assert err.count("\n") == 1
    assert count(book, Client) == 3


def test_client_list_show_and_edit(book: Engine, capsys: Capture) -> None:
    assert main(["client", "list", "ann"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == ["3", "2"]  # by name: Ann de Vries first
    records = run_json(capsys, "client", "list", "--tier", "b")
    assert [record["id"] for record in records] == [3, 2, 1]
    assert main(["client", "show", "jansen"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Piet Jansen (client 1)") and "piet@example.nl" in shown
    record = run_json(capsys, "client", "edit", "smit", "--city", "Haarlem", "--tier", "c")
    assert (record["id"], record["city"], record["tier"]) == (2, "Haarlem", "C")
    assert record["email"] is None  # fields not given are kept as they were
    assert main(["client", "edit", "1", "--email", ""]) == 0
    assert "Saved Piet Jansen (client 1)." in capsys.readouterr().out
    with session_scope(book) as session:
        piet = session.get(Client, 1)
        assert piet is not None and piet.email is None and piet.city == "Utrecht"


def test_an_ambiguous_client_lists_the_candidates_and_writes_nothing(
    book: Engine, capsys: Capture
) -> None:
    err = refused(capsys, "client", "edit", "ann", "--city", "Gouda")
    assert err.splitlines() == [
        "rmtui: 'ann' matches 2 clients; give the id or more of the name. Nothing was written.",
        "      3  Ann de Vries  (Delft)",
        "      2  Ann Smit  (Amsterdam)",
    ]
    err = refused(capsys, "log", "nobody", "Call")
    assert "no client matches 'nobody'" in err
    err = refused(capsys, "log", "99", "Call")
    assert err == "rmtui: there is no client 99; nothing was written.\n"
    assert count(book, Interaction) == 0


def test_archive_and_bring_back(book: Engine, capsys: Capture) -> None:
    assert main(["client", "archive", "de vries"]) == 0
    assert capsys.readouterr().out == "Archived Ann de Vries (client 3).\n"
    assert main(["client", "show", "ann"]) == 0  # an archived client is matched by id only
    assert "Ann Smit" in capsys.readouterr().out
    assert run_json(capsys, "client", "unarchive", "3")["archived"] is False


# -- contacts and follow-ups -------------------------------------------------------------------


def test_log_with_the_next_follow_up(book: Engine, capsys: Capture) -> None:
    assert main(["log", "jansen", "Pension review", "--next", "fri:send proposal"]) == 0
    assert capsys.readouterr().out == (
        "Logged call with Piet Jansen (client 1), interaction 1; "
        "next follow-up Fri 04 Dec: send proposal (follow-up 1).\n"
    )
    record = run_json(capsys, "log", "smit", "Statement", "--at", "yesterday 14:00")
    assert record["kind"] == "email"  # by Ann's preferred channel
    assert (record["id"], record["client"], record["at"]) == (2, 2, "2026-11-28T14:00:00")
    assert record["next_follow_up"] is None
    with session_scope(book) as session:
        follow_up = session.get(FollowUp, 1)
        assert follow_up is not None and follow_up.interaction_id == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--at", "someday"], "rmtui: --at: 'someday' is not a date"),
        (["--kind", "fax"], "rmtui: --kind: choose one of call, meeting"),
        (["--minutes", "lots"], "rmtui: --minutes: Minutes must be a whole number"),
        (["--next", "whenever:call"], "rmtui: --next: 'whenever' is not a date"),
    ],
)
def test_a_bad_log_value_writes_nothing(
    book: Engine, capsys: Capture, args: list[str], said: str
) -> None:
    assert refused(capsys, "log", "jansen", "Call", *args).startswith(said)
    assert count(book, Interaction) == 0 and count(book, FollowUp) == 0


def test_follow_up_add_list_and_done(book: Engine, capsys: Capture) -> None:
    record = run_json(capsys, "follow-up", "add", "1", "Send the forms", "--due", "2w")
    assert (record["client"], record["due_on"], record["status"]) == (1, "2026-12-13", "open")
    assert main(["follow-up", "add", "smit", "Call back", "--due", "tomorrow"]) == 0
    assert capsys.readouterr().out == "Planned follow-up 2 for Ann Smit on Mon 30 Nov: Call back.\n"
    assert main(["follow-up", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "      2  2026-11-30  Call back  — Ann Smit",
        "      1  2026-12-13  Send the forms  — Piet Jansen",
    ]
    assert run_json(capsys, "follow-up", "done", "2")["status"] == "done"
    assert "already done" in refused(capsys, "follow-up", "done", "2")
    assert [r["id"] for r in run_json(capsys, "follow-up", "list", "--status", "all")] == [2, 1]
    assert "--due: A due date is needed" in refused(
        capsys, "follow-up", "add", "1", "x", "--due", ""
    )


# -- money, deals, cases -----------------------------------------------------------------------


def test_amounts_and_days_as_the_locale_writes_them(
    book: Engine, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RMTUI_LOCALE", "nl")
    user_locale.cache_clear()
    reset_language()
    record = run_json(capsys, "revenue", "add", "jansen", "1.234,50", "--on", "15-11-2026")
    assert (record["amount"], record["on"], record["kind"]) == ("1234.50", "2026-11-15", "fee")
    err = refused(capsys, "revenue", "add", "jansen", "1,234.50")
    assert err == (
        "rmtui: AMOUNT: Het bedrag moet een bedrag zijn zoals 1250,00, niet '1,234.50'; "
        "er is niets vastgelegd.\n"
    )
    monkeypatch.setenv("RMTUI_LOCALE", "en_US")
    user_locale.cache_clear()
    reset_language()
    assert (
        main(["holding", "add", "jansen", "Pension fund", "$125,000", "--as-of", "11/15/2026"]) == 0
    )
    assert capsys.readouterr().out == (
        "Recorded Pension fund of Piet Jansen (client 1) at 125,000 on 2026-11-15, holding 1.\n"
    )
    err = refused(capsys, "revenue", "add", "jansen", "12.345")
    assert "more than two decimals" in err
    err = refused(capsys, "holding", "add", "jansen", "Fund", "100", "--as-of", "next week")
    assert "--as-of: This day is still to come" in err
    assert count(book, Revenue) == 1 and count(book, Holding) == 1


def test_deal_add_and_move(book: Engine, capsys: Capture) -> None:
    record = run_json(capsys, "deal", "add", "smit", "Mortgage", "--value", "250,000")
    assert (record["id"], record["value"], record["stage"]) == (2, "250000.00", "lead")
    assert main(["deal", "move", "1", "won"]) == 0
    assert capsys.readouterr().out == (
        "Moved “Pension plan” of Piet Jansen (client 1) from proposal to won, deal 1.\n"
    )
    assert "--reason: Say why the deal was lost" in refused(capsys, "deal", "move", "2", "lost")
    assert "already won" in refused(capsys, "deal", "move", "1", "won")
    assert "STAGE: choose one of lead" in refused(capsys, "deal", "move", "2", "closed")
    moved = run_json(capsys, "deal", "move", "2", "lost", "--reason", "price")
    assert (moved["stage"], moved["lost_reason"], moved["closed_on"]) == (
        "lost",
        "price",
        "2026-11-29",
    )


def test_case_add_and_resolve(book: Engine, capsys: Capture) -> None:
    record = run_json(capsys, "case", "add", "smit", "Late statement", "--kind", "complaint")
    assert (record["kind"], record["opened_on"], record["due_on"]) == (
        "complaint",
        "2026-11-29",
        "2026-12-01",
    )
    assert "--due: The deadline cannot be before" in refused(
        capsys, "case", "add", "smit", "X", "--due", "2026-11-01"
    )
    assert main(["case", "resolve", "1", "Changed by phone"]) == 0
    assert capsys.readouterr().out == (
        "Resolved the request “Address change” of Piet Jansen (client 1) on 2026-11-29, case 1.\n"
    )
    assert "already resolved" in refused(capsys, "case", "resolve", "1", "Again")
    assert "RESOLUTION: Say how" in refused(capsys, "case", "resolve", "2", " ")
    assert count(book, Case) == 2


# -- capture, digest, usage --------------------------------------------------------------------


def test_capture_says_what_it_understood_then_logs(book: Engine, capsys: Capture) -> None:
    line = "yesterday 14:00 call jansen re pension review +fu 2w send proposal #pension"
    assert main(["capture", "--dry-run", line]) == 0
    understood = (
        "Understood: call with Piet Jansen (client 1) on Sat 28 Nov at 14:00, about “pension "
        "review”; next follow-up Sun 13 Dec: send proposal; tags #pension.\n"
    )
    assert capsys.readouterr().out == understood
    assert count(book, Interaction) == 0
    record = run_json(capsys, "capture", line)
    assert (record["subject"], record["notes"]) == ("pension review", "#pension")
    assert record["next_follow_up"]["title"] == "send proposal"
    assert "'ann' matches 2 clients" in refused(capsys, "capture", "gebeld met ann over x")
    assert count(book, Interaction) == 1


def test_digest_as_text_markdown_and_json(book: Engine, capsys: Capture) -> None:
    assert main(["log", "jansen", "Call", "--next", "tomorrow:send forms"]) == 0
    capsys.readouterr()
    assert main(["digest"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("rmtui digest for Sunday 29 November 2026")
    assert "Coming up in 7 days: 1\n  2026-11-30  send forms - Piet Jansen" in text
    assert "Contacts: 1 (+1)" in text
    assert main(["digest", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "## Coming up in 7 days (1)" in markdown and "| Contacts | 1 |" in markdown
    assert main(["digest", "--format", "json"]) == 0
    digest = json.loads(capsys.readouterr().out)
    assert digest["agenda"]["upcoming"]["total"] == 1
    assert digest["kpis"]["interactions"]["value"] == 1
    assert digest["kpis"]["from"] == "2026-11-01"


def test_usage_errors_exit_2_through_the_entry_point(book: Engine) -> None:
    result = rmtui("follow-up", "add", "jansen", "Call")  # --due is missing
    assert result.returncode == 2
    result = rmtui("deal")
    assert result.returncode == 2 and "rmtui: say what to do" in result.stderr
    result = rmtui("log", "jansen", "Intro call", "--kind", "meeting")
    assert result.returncode == 0
    assert result.stdout == "Logged meeting with Piet Jansen (client 1), interaction 1.\n"
    assert "0 done, 1 refused" in rmtui("--help").stdout


def test_dry_run_import_with_problems_exits_1_with_the_report_on_stderr(book: Engine) -> None:
    from tests.e2e.test_cli import FIXTURES

    result = rmtui("import", str(FIXTURES / "broken_clients.csv"), "--dry-run")
    assert result.returncode == 1
    assert result.stdout == "" and "4 problems" in result.stderr


async def test_what_the_shell_wrote_is_on_today(book: Engine, capsys: Capture) -> None:
    assert main(["capture", "call jansen re pension +fu tomorrow send proposal"]) == 0
    assert main(["follow-up", "add", "smit", "Call back about the mortgage", "--due", "today"]) == 0
    capsys.readouterr()
    app = make_app(book, book_name="test", day=date(2026, 11, 29))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        agenda = app.screen.query_one("#agenda", LineList)
        shown = " ".join(str(option.prompt) for option in agenda.options)
        assert "Call back about the mortgage" in shown and "send proposal" in shown
        await pilot.press("q")


def test_client_list_finds_clients_as_remembered(book: Engine, capsys: Capture) -> None:
    with session_scope(book) as session:
        make(session, Client, name="Lena Krüger", city="München", phone="+49 151 8552 6792")
    assert main(["client", "list", "kruger munchen"]) == 0
    assert capsys.readouterr().out.split()[:3] == ["4", "Lena", "Krüger"]
    assert main(["client", "list", "0151 8552"]) == 0
    assert "Lena Krüger" in capsys.readouterr().out
    assert main(["client", "list", "jansne"]) == 0
    listed = capsys.readouterr()
    assert listed.out.split()[:3] == ["1", "Piet", "Jansen"]
    assert listed.err == "No client matches “jansne”; names alike, likest first:\n"
    assert main(["client", "list", "nobody"]) == 0
    assert capsys.readouterr() == ("", "")
