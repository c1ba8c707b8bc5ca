"""Shell completion: the scripts for bash, zsh and fish, and completing a command line as a
shell asks rmtui to (commands, options, the names of the book's clients)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from rmtui.core.db import session_scope
from rmtui.core.models import Client
from tests.e2e.test_cli import rmtui
from tests.factories import make


@pytest.fixture
def book(engine: Engine) -> str:
    """A book of four clients, three of them starting with An, closed: its file, or its
    server's URL."""
    with session_scope(engine) as session:
        for name in ("Ann Smit", "Anouk Dekker", "Andre de Wit", "Piet Jansen"):
            make(session, Client, name=name)
    engine.dispose()
    return os.environ["RMTUI_DB"]


def completions(line: str, tmp_path: Path, *, python: tuple[str, ...] = ()) -> list[str]:
    """What rmtui offers for the command line `line` (cursor at its end), asked for the way
    argcomplete's shell scripts ask; with `python` options for the interpreter."""
    answer = tmp_path / "completions"
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_SHELL": "bash",
        "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
    }
    run = subprocess.run(
        [sys.executable, *python, "-m", "rmtui"], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    completions.stderr = run.stderr  # type: ignore[attr-defined]
    return answer.read_text().split("\013") if answer.read_text() else []


@pytest.mark.parametrize(
    ("shell", "marks"),
    [
        ("bash", ("complete ", "_ARGCOMPLETE=1", " rmtui")),
        ("zsh", ("#compdef rmtui", "compdef _python_argcomplete rmtui")),
        ("fish", ("complete --command rmtui", "set -lx _ARGCOMPLETE 1")),
    ],
)
def test_completion_prints_the_script_for_each_shell(shell: str, marks: tuple[str, ...]) -> None:
    result = rmtui("completion", shell)
    assert result.returncode == 0, result.stderr
    for mark in marks:
        assert mark in result.stdout


def test_completion_refuses_an_unknown_shell() -> None:
    result = rmtui("completion", "tcsh")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_commands_and_options_complete(tmp_path: Path) -> None:
    assert completions("rmtui cl", tmp_path) == ["client "]
    assert completions("rmtui ca", tmp_path) == ["case", "capture"]
    assert set(completions("rmtui client s", tmp_path)) == {"show "}
    assert "--tier " in completions("rmtui client add Ann --ti", tmp_path)


def test_client_names_complete_from_the_book_named_by_rmtui_db(book: str, tmp_path: Path) -> None:
    offered = completions("rmtui client show An", tmp_path)
    assert offered == ["Andre\\ de\\ Wit", "Ann\\ Smit", "Anouk\\ Dekker"]
    assert completions("rmtui log ann", tmp_path) == ["Ann\\ Smit "]
    assert completions("rmtui follow-up list --client pi", tmp_path) == ["Piet\\ Jansen "]


def test_client_names_complete_from_the_book_named_by_db(
    book: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RMTUI_DB", str(tmp_path / "elsewhere.db"))
    assert completions("rmtui client show An", tmp_path) == []
    line = f"rmtui --db {shlex.quote(book)} deal add Pi"
    assert completions(line, tmp_path) == ["Piet\\ Jansen "]


def test_completing_client_names_does_not_load_sqlalchemy(book: str, tmp_path: Path) -> None:
    assert completions("rmtui client show An", tmp_path, python=("-X", "importtime"))
    imported = completions.stderr  # type: ignore[attr-defined]
    assert "rmtui.core.client_names" in imported
    assert "sqlalchemy" not in imported


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_a_client_name(book: str, tmp_path: Path) -> None:
    script = tmp_path / "rmtui.bash"
    script.write_text(rmtui("completion", "bash").stdout)
    program = f"{shlex.quote(sys.executable)} -m rmtui"
    session = f"""
        rmtui() {{ {program} "$@"; }}
        source {shlex.quote(str(script))}
        COMP_LINE='rmtui client show Ann'
        COMP_POINT=${{#COMP_LINE}}
        COMP_WORDS=(rmtui client show Ann)
        COMP_CWORD=3
        _python_argcomplete rmtui rmtui show
        printf '%s\\n' "${{COMPREPLY[@]}}"
    """
    result = subprocess.run(["bash", "-c", session], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines() == ["Ann\\ Smit "], result.stderr
