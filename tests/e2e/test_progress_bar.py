"""Long commands draw a progress bar on a terminal (stderr a pseudo-terminal here) and say
nothing extra when stderr is a pipe or a file, as in a script or cron."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from rmtui.core.db import session_scope
from rmtui.core.demo import demo_book_data
from rmtui.core.interchange.book_file import import_book
from rmtui.core.models import Client
from tests.conftest import FROZEN_TODAY
from tests.e2e.test_cli import rmtui
from tests.factories import make

BAR = "━"


def assert_drawn(shown: str) -> None:
    """The terminal got a bar drawn with its own escape sequences (not made printable)."""
    assert BAR in shown and "\x1b[2K" in shown, shown
    assert "\ufffd" not in shown and "\\x1b" not in shown


@pytest.fixture
def demo_book(engine: Engine, db_path: Path) -> Path:
    import_book(engine=engine, data=demo_book_data(today=date.fromisoformat(FROZEN_TODAY)))
    engine.dispose()
    return db_path


def run_on_a_terminal(*args: str) -> tuple[int, str, str]:
    """Run rmtui with stderr on a pseudo-terminal: exit status, stdout, what the terminal got."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "LINES": "30", "TERM": "xterm-256color"}
    process = subprocess.Popen(
        [sys.executable, "-m", "rmtui", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=terminal,
        env=env,
    )
    os.close(terminal)
    shown = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        shown += chunk
    assert process.stdout is not None
    out = process.stdout.read().decode()
    os.close(controller)
    return process.wait(timeout=60), out, shown.decode(errors="replace")


@pytest.mark.parametrize(
    "command",
    [("export", "{tmp}/book.json"), ("backup",), ("import", "{tmp}/book.json")],
)
def test_nothing_extra_when_stderr_is_not_a_terminal(
    demo_book: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    rmtui("export", str(tmp_path / "book.json"))
    result = rmtui(*(part.format(tmp=tmp_path) for part in command))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1


def test_an_export_draws_a_bar_on_a_terminal(demo_book: Path, tmp_path: Path) -> None:
    code, out, shown = run_on_a_terminal("export", str(tmp_path / "book.json"))
    assert code == 0, shown
    assert out.startswith("Exported 62 clients")
    assert_drawn(shown)
    assert "rmtui: writing the clients" in shown and "100%" in shown


def test_an_import_draws_a_bar_on_a_terminal(demo_book: Path, tmp_path: Path) -> None:
    rmtui("export", str(tmp_path / "book.json"))
    code, out, shown = run_on_a_terminal(
        "--db", str(tmp_path / "new.db"), "import", str(tmp_path / "book.json")
    )
    assert code == 0, shown
    assert out.startswith("Imported 62 clients")
    assert_drawn(shown)


def test_an_erasure_draws_a_bar_on_a_terminal(engine: Engine) -> None:
    with session_scope(engine) as session:
        client_id = make(session, Client, name="Ann Smit").id
    engine.dispose()
    code, out, shown = run_on_a_terminal("client", "erase", str(client_id), "--yes")
    assert code == 0, shown
    assert out.startswith(f"Client {client_id} was erased")
    assert_drawn(shown)
