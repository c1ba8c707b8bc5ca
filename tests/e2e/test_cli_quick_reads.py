"""The commands that only read (`client list`, `client show`, `digest`, `agenda`, `kpi`) read a
plain book at the current schema with sqlite3 alone and print exactly what they print when the
book is opened the full way (an encrypted book, an older one), which is what the screens list."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from benchmarks.figures_search import A_LAST_NAME, A_PHONE, misspelt, other_notation
from benchmarks.synth import BookSize, generate_book
from rmtui.cli import main
from rmtui.core.db import open_book, session_scope
from rmtui.core.encryption import encrypt_book
from rmtui.core.interchange.schema import record_of_model
from rmtui.core.models import Client
from rmtui.core.queries.clients import (
    ClientFilter,
    client_page_key,
    list_clients,
    matches_as_typed,
)

Capture = pytest.CaptureFixture[str]
PASSPHRASE = "correct horse battery staple"
# Modules a quick read must not load: each costs more than the whole command.
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "textual", "babel")
# Modules a quick read has no use for with the tests' settings (no config.toml, the folders
# named by absolute XDG variables), each a good part of a quick command's time: platformdirs
# (the folders), dateutil (the periods), calendar, tomllib (config.toml).
NEEDLESS = ("platformdirs", "dateutil", "calendar", "tomllib")
# The settings, read by a quick read only for the urgency of the agenda's items, with the
# rules of the case clocks they hold.
SETTINGS = ("rmtui.core.settings", "rmtui.core.case_clocks")
# dataclasses, with the inspect module it loads and the making of each class, is a fifth of
# `rmtui agenda`: the records of the agenda, the KPIs, the digest and the settings are named
# tuples.
RECORDS = ("dataclasses", "inspect")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic book of 300 clients (accents, tags, phone numbers in three notations,
    archived clients, follow-ups, targets), shared read-only by the tests here."""
    path = tmp_path_factory.mktemp("quick") / "book.db"
    generate_book(path, BookSize(clients=300, interactions=3000))
    return path


def one(path: Path, sql: str) -> Any:
    """The first value of `sql` on the book at `path`."""
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchone()[0]


def client_commands(book: Path) -> list[list[str]]:
    """`client list` and `client show` with every kind of filter and choice."""
    name = one(book, "SELECT name FROM client WHERE archived = 0 ORDER BY id LIMIT 1 OFFSET 7")
    phone = other_notation(one(book, A_PHONE))
    typo = misspelt(one(book, A_LAST_NAME))
    return [
        ["client", "list"],
        ["client", "list", "--json"],
        ["client", "list", "mar"],
        ["client", "list", "mar", "--json"],
        ["client", "list", "li"],
        ["client", "list", "ma li", "--archived"],
        ["client", "list", phone],
        ["client", "list", typo],
        ["client", "list", typo, "--json"],
        ["client", "list", "zzzzzz"],
        ["client", "list", "--status", "client", "--tier", "a"],
        ["client", "list", "--tag", "VIP", "--kind", "person", "--archived", "--json"],
        ["client", "show", "7"],
        ["client", "show", "7", "--json"],
        ["client", "show", name],
        ["client", "show", name.split()[0]],
        ["client", "show", "999999"],
        ["client", "show", "nobody at all"],
    ]


REPORTS = [
    ["digest"],
    ["digest", "--format", "markdown"],
    ["digest", "--format", "json"],
    ["digest", "--date", "2026-10-15"],
    ["agenda"],
    ["agenda", "--json"],
    ["kpi"],
    ["kpi", "--json"],
]


def printed(capsys: Capture, book: Path, command: list[str]) -> tuple[int, str, str]:
    """The exit code, standard output and error of `rmtui --db BOOK COMMAND`."""
    capsys.readouterr()
    code = main(["--db", str(book), *command])
    out, err = capsys.readouterr()
    return code, out, err


def through_a_session(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Make the commands open the book the full way, as they do an encrypted or older one;
    the books they asked to read quickly (and could not)."""
    asked: list[Path] = []

    def not_at_head(path: Path) -> None:
        asked.append(path)

    monkeypatch.setattr("rmtui.core.db.reading_at_head", not_at_head)
    return asked


def test_the_quick_path_prints_what_the_session_path_prints(
    book: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = [*client_commands(book), *REPORTS]
    quick = [printed(capsys, book, command) for command in commands]
    asked = through_a_session(monkeypatch)
    full = [printed(capsys, book, command) for command in commands]
    assert asked == [book] * len(commands)
    for command, quick_run, full_run in zip(commands, quick, full, strict=True):
        assert quick_run == full_run, command
    shown = dict(zip(map(tuple, commands), quick, strict=True))
    assert shown[("client", "show", "7")][0] == 0
    assert shown[("client", "show", "nobody at all")][0] == 1
    assert "names alike" in shown[("client", "list", client_commands(book)[7][2])][2]


def test_an_encrypted_book_prints_what_the_plain_book_prints(
    book: Path, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted = tmp_path / "encrypted.db"
    shutil.copy(book, encrypted)
    encrypt_book(encrypted, PASSPHRASE)
    monkeypatch.setenv("RMTUI_PASSPHRASE", PASSPHRASE)
    commands = [*client_commands(book)[::3], ["digest", "--format", "json"]]
    for command in commands:
        assert printed(capsys, encrypted, command) == printed(capsys, book, command), command


def screen_list(session: Session, client_filter: ClientFilter) -> list[dict[str, Any]]:
    """The records of the clients the Clients screen lists for `client_filter`, page by page."""
    records, after = [], None
    while page := list_clients(session=session, client_filter=client_filter, after=after):
        records += [record_of_model(session.get(Client, row.id)) for row in page]  # type: ignore[arg-type]
        after = client_page_key(page[-1], "name")
    return records


@pytest.mark.parametrize(
    ("text", "options"),
    [
        (None, []),
        ("mar", []),
        ("ma li", ["--archived"]),
        (None, ["--status", "client", "--tier", "B"]),
        ("typo", []),
    ],
)
def test_client_list_prints_what_the_clients_screen_lists(
    book: Path, capsys: Capture, text: str | None, options: list[str]
) -> None:
    if text == "typo":
        text = misspelt(one(book, A_LAST_NAME))
    client_filter = ClientFilter(
        text=text,
        status="client" if "--status" in options else None,
        tier="B" if "--tier" in options else None,
        include_archived="--archived" in options,
    )
    code, out, _err = printed(
        capsys, book, ["client", "list", *([text] if text else []), *options, "--json"]
    )
    engine = open_book(book, read_only=True)
    try:
        with session_scope(engine) as session:
            assert json.loads(out) == screen_list(session, client_filter)
            as_typed = matches_as_typed(session=session, client_filter=client_filter)
    finally:
        engine.dispose()
    assert code == 0 and json.loads(out)
    assert as_typed == (text != misspelt(one(book, A_LAST_NAME)))


@pytest.mark.parametrize(
    "command",
    [
        ["client", "list"],
        ["client", "list", "mar", "--json"],
        ["client", "show", "7"],
        ["client", "show", "7", "--json"],
        ["digest"],
        ["digest", "--format", "json"],
        ["agenda"],
        ["kpi"],
    ],
    ids=" ".join,
)
def test_a_quick_read_loads_no_heavy_library(book: Path, command: list[str]) -> None:
    assert run_loading_none_of(book, command, HEAVY)


@pytest.mark.parametrize(
    "command",
    [
        ["client", "list", "--json"],
        ["client", "show", "7"],
        ["digest", "--format", "json"],
        ["agenda", "--json"],
        ["kpi"],
        ["kpi", "--json"],
    ],
    ids=" ".join,
)
def test_a_quick_read_loads_nothing_it_has_no_use_for(book: Path, command: list[str]) -> None:
    reads_urgency = command[0] in ("agenda", "digest")
    needless = NEEDLESS + (() if reads_urgency else SETTINGS)
    needless += RECORDS if command[0] in ("agenda", "kpi", "digest") else ()
    assert run_loading_none_of(book, command, needless)


def run_loading_none_of(book: Path, command: list[str], modules: tuple[str, ...]) -> str:
    """What `rmtui --db BOOK COMMAND` prints, run in a new process that must load none of
    `modules`."""
    script = (
        "import sys; from rmtui.cli import main; "
        f"code = main(['--db', {str(book)!r}, *{command!r}]); "
        f"loaded = [name for name in {modules!r} if name in sys.modules]; "
        "assert not loaded, f'loaded {loaded}'; sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_client_is_chosen_by_a_name_typed_without_its_accents(
    book: Path, capsys: Capture
) -> None:
    from rmtui.core.search_text import fold

    with sqlite3.connect(book) as connection:
        names = [
            name for (name,) in connection.execute("SELECT name FROM client WHERE NOT archived")
        ]
    unique = [name for name in names if fold(name) != name and names.count(name) == 1]
    wanted = next(
        name
        for name in unique
        if [fold(other).lower() for other in names].count(fold(name).lower()) == 1
    )
    code, out, _err = printed(capsys, book, ["client", "show", fold(wanted).lower(), "--json"])
    assert code == 0 and json.loads(out)["name"] == wanted
