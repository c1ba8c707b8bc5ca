"""End to end in a real terminal: the installed rmtui in tmux, driven by keys like a person."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from rmtui.core.db import open_book, session_scope
from rmtui.core.models import Client, FollowUp, Interaction
from tests.factories import make

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Terminal:
    """A tmux session running one command at 120×40."""

    def __init__(self, command: str) -> None:
        self.name = f"rmtui-e2e-{uuid.uuid4().hex[:8]}"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", "120", "-y", "40", command],
            check=True,
        )
        # Other tmux sessions on the same server must not change this window's size.
        for option in (
            ["set-option", "-t", self.name, "window-size", "manual"],
            ["resize-window", "-t", self.name, "-x", "120", "-y", "40"],
        ):
            subprocess.run(["tmux", *option], capture_output=True, check=False)

    def screen(self) -> str:
        result = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.3)

    def alive(self) -> bool:
        return (
            subprocess.run(
                ["tmux", "has-session", "-t", self.name], capture_output=True, check=False
            ).returncode
            == 0
        )

    def quit(self) -> None:
        """Press q and wait for rmtui to end."""
        self.keys("q")
        deadline = time.monotonic() + 10
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not self.alive()

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True, check=False)


@pytest.fixture
def routine_book(tmp_path: Path, new_book: Callable[[Path], Engine]) -> Iterator[Path]:
    """A book file with a client due for a check-in and an overdue follow-up."""
    path = tmp_path / "e2e.db"
    engine = new_book(path)
    with session_scope(engine) as session:
        ann = make(
            session,
            Client,
            name="Ann Peeters",
            tier="A",
            checkin_every_days=30,
            preferred_channel="phone",
            review_every_months=120,  # no review due: the check-in is Today's last row
        )
        bob = make(
            session,
            Client,
            name="Bob Janssens",
            tier="B",
            checkin_every_days=90,
            review_every_months=120,
        )
        make(session, Interaction, client_id=ann.id, at=datetime(2026, 9, 1, 10, 0))
        make(session, Interaction, client_id=bob.id, at=datetime(2026, 11, 20, 10, 0))
        make(
            session,
            FollowUp,
            client_id=bob.id,
            title="Send the proposal",
            due_on=date(2026, 11, 25),
        )
    engine.dispose()
    yield path


def rmtui_command(book: Path) -> str:
    # The rmtui installed beside the Python running the tests (another one may come first on
    # the PATH when its environment is not activated).
    program = Path(sys.executable).with_name("rmtui")
    python = f"{shlex.quote(sys.executable)} -m rmtui"
    base = shlex.quote(str(program)) if program.exists() else python
    # COLUMNS/LINES inherited from the test runner would override the terminal's real size.
    return f"env -u COLUMNS -u LINES RMTUI_TODAY=2026-11-29 {base} --db {shlex.quote(str(book))}"


def test_the_morning_routine_in_a_real_terminal(routine_book: Path) -> None:
    terminal = Terminal(rmtui_command(routine_book))
    try:
        shown = terminal.wait_for("Check-ins due (1)")
        assert "Overdue follow-ups (1)" in shown
        assert "Send the proposal" in shown

        terminal.keys("d")  # the cursor starts on the overdue follow-up
        terminal.wait_for("Overdue follow-ups (0)")

        terminal.keys("Down", "Down", "Down")  # down to Ann's check-in
        terminal.keys("l")
        terminal.wait_for("Log an interaction with Ann Peeters")
        terminal.type("Quarterly review call")
        terminal.keys("C-s")
        terminal.wait_for("Check-ins due (0)")

        terminal.keys("2")
        terminal.wait_for("Bob Janssens")
        terminal.quit()
    finally:
        terminal.close()

    engine = open_book(routine_book)
    with session_scope(engine) as session:
        logged = session.exec(
            select(Interaction).where(Interaction.subject.startswith("Quarterly"))
        )  # type: ignore[attr-defined]
        assert [i.kind for i in logged] == ["call"]
        done = session.exec(select(FollowUp).where(FollowUp.title == "Send the proposal")).one()
        assert done.status == "done"
    engine.dispose()


@pytest.fixture
def dirk_book(tmp_path: Path, new_book: Callable[[Path], Engine]) -> Iterator[Path]:
    """A book file whose one client, Dirk Maes, has an overdue follow-up."""
    path = tmp_path / "dirk.db"
    engine = new_book(path)
    with session_scope(engine) as session:
        dirk = make(session, Client, name="Dirk Maes", tier="A")
        make(session, FollowUp, client_id=dirk.id, title="Call Dirk", due_on=date(2026, 11, 25))
    engine.dispose()
    yield path


def test_keys_typed_in_one_burst_act_in_order_in_a_real_terminal(dirk_book: Path) -> None:
    terminal = Terminal(rmtui_command(dirk_book))
    try:
        terminal.wait_for("Overdue follow-ups (1)")  # the cursor is on it: d would mark it done
        terminal.type("2/dirk")  # one write to the terminal, as a fast typist's keys come
        terminal.wait_for("1 client matching “dirk”")
        terminal.keys("Escape")  # out of the filter
        # Once out: a q sent while Escape is still unread would come with it as Alt+Q.
        terminal.wait_for("q Quit")
        terminal.quit()
    finally:
        terminal.close()

    engine = open_book(dirk_book)
    with session_scope(engine) as session:
        assert session.exec(select(FollowUp)).one().status == "open"
    engine.dispose()
