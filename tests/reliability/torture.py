"""The torture rounds, shared by the pytest tests (a few rounds) and `python -m tests.reliability`.

Each scenario runs real processes on real SQLite files, kills them with SIGKILL where it says
so, and counts what a user would count: acknowledged writes, writes lost, books that no
longer open, refusals.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Queue
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"


@dataclass
class Figures:
    """What the rounds did and found."""

    rounds: int = 0
    acknowledged: int = 0
    lost: int = 0
    unopenable: int = 0
    refused_in_use: int = 0
    swaps: int = 0
    fuzzed: int = 0
    unexpected: int = 0
    damaged_cases: int = 0
    damaged_refused_untouched: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Figures) -> None:
        """Count `other`'s figures in too."""
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
        self.problems += other.problems

    def lines(self) -> list[str]:
        """The figures as the report quotes them."""
        return [
            f"rounds: {self.rounds}",
            f"acknowledged writes: {self.acknowledged}",
            f"lost: {self.lost}",
            f"unopenable books: {self.unopenable}",
            f"swaps done while writers ran: {self.swaps}",
            f"refused as open in another program: {self.refused_in_use}",
            f"fuzzed inputs: {self.fuzzed}",
            f"unexpected errors: {self.unexpected}",
            f"damaged-file cases: {self.damaged_cases}, refused in one sentence and left "
            f"byte-for-byte untouched: {self.damaged_refused_untouched}",
            *[f"problem: {problem}" for problem in self.problems],
        ]


def environment(**extra: str) -> dict[str, str]:
    """The environment of a child process: this one's, with the project importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


class Worker:
    """A child process (tests.reliability.worker) whose stdout lines are read as they come."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.worker", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env or environment(),
        )
        self.lines: Queue[str] = Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put("")  # the end

    def wait_for(self, prefix: str, timeout: float = 30) -> bool:
        """Wait until a line starting with `prefix` comes (False when the worker ends first)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except Empty:
                return False
            if line == "" and self.process.poll() is not None:
                return False
            self.seen.append(line)
            if line.startswith(prefix):
                return True
        return False

    def kill(self) -> list[str]:
        """SIGKILL the worker; every line it wrote."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        time.sleep(0.05)  # let the reader take the last lines
        while True:
            try:
                line = self.lines.get_nowait()
            except Empty:
                break
            if line:
                self.seen.append(line)
        return self.seen

    def acknowledged(self, tag: str) -> set[str]:
        """The names of the clients the worker said were committed."""
        return {f"{tag}-{line.split()[1]}" for line in self.seen if line.startswith("ack ")}


def client_names(path: Path, *, passphrase: str | None = None) -> set[str]:
    """The names of every client in the book at `path` (encrypted with `passphrase`)."""
    if passphrase:
        from rmtui.core.sqlcipher import connect_sqlcipher

        connection = connect_sqlcipher(path, passphrase)
    else:
        connection = sqlite3.connect(path)
    with closing(connection):
        return {row[0] for row in connection.execute("SELECT name FROM client")}


def opens_whole(path: Path, *, passphrase: str | None = None) -> bool:
    """Whether rmtui opens the book and SQLite's integrity check passes."""
    from rmtui.core.db import integrity_problems, open_book
    from rmtui.core.errors import BookError

    try:
        engine = open_book(path, passphrase=passphrase)
    except BookError:
        return False
    try:
        return integrity_problems(engine) == []
    finally:
        engine.dispose()


def new_book(path: Path) -> Path:
    """A new, empty book at `path`."""
    from rmtui.core.db import open_book

    open_book(path).dispose()
    return path


# -- kill -9 of a writer ------------------------------------------------------------------------


def killed_writers(folder: Path, rounds: int, rng: random.Random) -> Figures:
    """Kill a writer at a random moment, `rounds` times over one book: every acknowledged
    client must be in it, and it must open whole."""
    figures = Figures()
    path = new_book(folder / "killed-writers.db")
    for number in range(rounds):
        tag = f"r{number}"
        worker = Worker("write", str(path), tag, *(["--reconnect"] if number % 3 == 0 else []))
        if not worker.wait_for("ack ", timeout=60):
            figures.problems.append(f"writer {tag} never wrote: {worker.kill()[-3:]}")
            continue
        time.sleep(rng.uniform(0, 0.3))
        worker.kill()
        acknowledged = worker.acknowledged(tag)
        figures.rounds += 1
        figures.acknowledged += len(acknowledged)
        figures.lost += len(acknowledged - client_names(path))
        figures.unopenable += not opens_whole(path)
    return figures


# -- kill -9 while a book is created or upgraded ---------------------------------------------------


def killed_creations(folder: Path, rounds: int, rng: random.Random) -> Figures:
    """Kill rmtui while it creates a book, after a random step: the book is whole or absent."""
    from rmtui.core.storage import KNOWN_REVISIONS

    figures = Figures()
    for number in range(rounds):
        path = folder / f"created-{number}.db"
        step = rng.randrange(len(KNOWN_REVISIONS) + 1)
        prefix = "starting" if step == 0 else f"schema step {KNOWN_REVISIONS[step - 1]}"
        worker = Worker("open", str(path))
        if not worker.wait_for(prefix):
            figures.problems.append(f"the creation never told {prefix}: {worker.seen}")
        time.sleep(rng.uniform(0, 0.05))
        worker.kill()
        figures.rounds += 1
        if path.exists() and not opens_whole(path):
            figures.unopenable += 1
            figures.problems.append(f"book created to step {step} does not open")
    return figures


def killed_copies(folder: Path, rounds: int, rng: random.Random) -> Figures:
    """Kill rmtui while it copies a book into a new file, at a random step of the copy: no
    book takes the new file's name unless it is whole, and the copy made again goes through,
    leaving nothing half built beside it."""
    from datetime import date

    from rmtui.core.demo import create_demo_book

    source = folder / "source.db"
    create_demo_book(source, today=date.today()).dispose()
    figures = Figures()
    for number in range(rounds):
        target = folder / f"copy-{number}.db"
        worker = Worker("copy", str(source), str(target))
        step = rng.choice(["copying the book: client", "copying the book: interaction", "build"])
        if not worker.wait_for(step):
            figures.problems.append(f"the copy never told {step}: {worker.seen}")
        time.sleep(rng.uniform(0, 0.02))
        worker.kill()
        figures.rounds += 1
        if target.exists() and not opens_whole(target):
            figures.unopenable += 1
        if target.exists() and _records(target) != _records(source):
            figures.problems.append(f"a copy killed at {step} took the name half made")
        if not target.exists():
            again = Worker("copy", str(source), str(target))
            if not again.wait_for("copied", timeout=60):
                figures.problems.append(f"the copy made again failed: {again.seen}")
            again.process.wait()
        left = sorted(path.name for path in folder.glob(f".{target.name}*"))
        if left or not opens_whole(target) or _records(target) != _records(source):
            figures.problems.append(f"after the copy made again: {left}, whole: {target.exists()}")
    return figures


def _records(path: Path) -> tuple[int, int]:
    """How many clients and interactions the book at `path` holds."""
    with closing(sqlite3.connect(path)) as connection:
        clients = connection.execute("SELECT count(*) FROM client").fetchone()[0]
        interactions = connection.execute("SELECT count(*) FROM interaction").fetchone()[0]
    return clients, interactions


def old_book(path: Path, clients: int = 300) -> Path:
    """A book at the first schema revision with clients, contacts and holdings."""
    from datetime import date, datetime, timedelta
    from decimal import Decimal

    from rmtui.core.db import make_engine, session_scope, upgrade_to_head
    from rmtui.core.models import Client, Holding, Interaction
    from tests.factories import make_in_old_book

    path.touch()
    upgrade_to_head(path, target="0001")
    engine = make_engine(path)
    with session_scope(engine) as session:
        for number in range(clients):
            client = make_in_old_book(
                session,
                Client,
                name=f"old-{number}",
                email=f"old{number}@example.test",
                created_on=date(2026, 1, 1),
                checkin_every_days=90,  # not yet optional in the first revision
            )
            assert client.id is not None
            for day in range(5):
                at = datetime(2026, 1, 1, 9) + timedelta(days=day * 7 + number % 7)
                make_in_old_book(
                    session, Interaction, client_id=client.id, at=at, kind="call", subject="s"
                )
            session.add(
                Holding(
                    client_id=client.id, account="Main", as_of=date(2026, 1, 31), value=Decimal(1)
                )
            )
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def killed_upgrades(folder: Path, rounds: int, rng: random.Random) -> Figures:
    """Kill rmtui while it upgrades an old book, after each step in turn: the book opens at the
    old or the new revision with all its clients."""
    import shutil

    from rmtui.core.storage import KNOWN_REVISIONS, read_revision

    figures = Figures()
    template = old_book(folder / "old-template.db")
    expected = client_names(template)
    steps = KNOWN_REVISIONS[1:]
    for number in range(rounds):
        path = folder / f"upgraded-{number}.db"
        shutil.copyfile(template, path)
        revision = steps[number % len(steps)]
        worker = Worker("open", str(path))
        if not worker.wait_for(f"schema step {revision}"):
            figures.problems.append(f"the upgrade never told step {revision}: {worker.seen}")
        time.sleep(rng.uniform(0, 0.02))
        worker.kill()
        figures.rounds += 1
        stamped = read_revision(path)
        if stamped not in ("0001", KNOWN_REVISIONS[-1]):
            figures.problems.append(f"upgrade killed after {revision} left revision {stamped}")
        if not opens_whole(path):
            figures.unopenable += 1
            figures.problems.append(f"upgrade killed after {revision} left a book that won't open")
        elif client_names(path) != expected:
            figures.lost += len(expected - client_names(path))
    return figures


# -- encrypt, decrypt and restore against a live writer -----------------------------------------


def rmtui_command(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the rmtui command line in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "rmtui", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env or environment(),
        timeout=120,
        check=False,
    )


def swaps_against_writers(folder: Path, rounds: int, rng: random.Random) -> Figures:
    """Encrypt, decrypt and restore while a writer works: each is refused while the writer
    has the book open, and once done, no acknowledged write is lost."""
    figures = Figures()
    for number in range(rounds):
        figures.add(_refused_while_open(folder / f"held-{number}.db"))
        figures.add(_encrypt_and_decrypt_between_writes(folder / f"swapped-{number}.db", rng))
        figures.add(_restore_between_writes(folder / f"restored-{number}.db", rng))
    return figures


def _refused_while_open(path: Path) -> Figures:
    from rmtui.core.storage import copy_sqlite

    figures = Figures(rounds=1)
    new_book(path)
    backup = path.with_name(f"{path.stem}-backup.db")
    copy_sqlite(path, backup)
    worker = Worker("write", str(path), "held")
    worker.wait_for("ack 3")
    env = environment(RMTUI_PASSPHRASE=PASSPHRASE)
    for command in (["encrypt"], ["restore", str(backup)], ["decrypt"]):
        done = rmtui_command("--db", str(path), *command, env=env)
        if done.returncode == 1 and "open in another program" in done.stderr:
            figures.refused_in_use += 1
        elif command != ["decrypt"]:  # decrypt: "not encrypted" comes first
            figures.problems.append(f"{command[0]} under a writer: {done.returncode} {done.stderr}")
    worker.kill()
    acknowledged = worker.acknowledged("held")
    figures.acknowledged += len(acknowledged)
    figures.lost += len(acknowledged - client_names(path))
    figures.unopenable += not opens_whole(path)
    return figures


def _until_done(path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run an rmtui command until it is not refused for a writer holding the book."""
    env = environment(RMTUI_PASSPHRASE=PASSPHRASE)
    for _attempt in range(200):
        done = rmtui_command("--db", str(path), *command, env=env)
        if "open in another program" not in done.stderr and "in use" not in done.stderr:
            return done
    return done


def _encrypt_and_decrypt_between_writes(path: Path, rng: random.Random) -> Figures:
    figures = Figures(rounds=1)
    new_book(path)
    worker = Worker(
        "write", str(path), "swap", "--reconnect", env=environment(RMTUI_PASSPHRASE=PASSPHRASE)
    )
    worker.wait_for("ack 2")
    for command in ("encrypt", "decrypt"):
        time.sleep(rng.uniform(0, 0.2))
        done = _until_done(path, command)
        if done.returncode != 0:
            figures.problems.append(f"{command}: {done.stderr.strip()}")
        else:
            figures.swaps += 1
        worker.wait_for("ack ", timeout=10)  # the writer goes on with the new file
    worker.wait_for("ack ", timeout=10)
    worker.kill()
    acknowledged = worker.acknowledged("swap")
    figures.acknowledged += len(acknowledged)
    figures.lost += len(acknowledged - client_names(path))
    figures.unopenable += not opens_whole(path)
    return figures


def _restore_between_writes(path: Path, rng: random.Random) -> Figures:
    figures = Figures(rounds=1)
    new_book(path)
    backup = path.with_name(f"{path.stem}-backup.db")
    from rmtui.core.storage import copy_sqlite

    copy_sqlite(path, backup)
    worker = Worker("write", str(path), "restore", "--reconnect")
    worker.wait_for("ack 2")
    time.sleep(rng.uniform(0, 0.2))
    done = _until_done(path, "restore", str(backup))
    kept = None
    if done.returncode == 0 and "kept at " in done.stdout:
        figures.swaps += 1
        kept = Path(done.stdout.split("kept at ", 1)[1].strip().rstrip("."))
    else:
        figures.problems.append(f"restore: {done.stderr.strip()}")
    worker.wait_for("ack ", timeout=10)
    worker.kill()
    acknowledged = worker.acknowledged("restore")
    present = client_names(path) | (client_names(kept) if kept else set())
    figures.acknowledged += len(acknowledged)
    figures.lost += len(acknowledged - present)
    figures.unopenable += not opens_whole(path)
    return figures


# -- damaged files ---------------------------------------------------------------------------


def file_state(path: Path) -> tuple[str, bool, bool]:
    """The book's bytes (hashed) and whether a -wal and a -shm file lie beside it."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
    return digest, Path(f"{path}-wal").exists(), Path(f"{path}-shm").exists()


def damage(kind: str, path: Path, template: Path) -> None:
    """Make the file at `path` a damaged book of `kind` (copied from the good `template`)."""
    import shutil

    from rmtui.core.storage import remove_book_files

    remove_book_files(path)
    if kind == "text":
        path.write_text("these are my notes, not a book\n")
        return
    if kind == "empty":
        path.write_bytes(b"")
        return
    if kind == "foreign":
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("CREATE TABLE recipes (name)")
            connection.commit()
        return
    shutil.copyfile(template, path)
    data = bytearray(path.read_bytes())
    if kind == "flipped-header":
        data[0:16] = b"\xff" * 16
    elif kind == "cut-short":
        data = data[: len(data) // 3]
    elif kind == "flipped-pages":
        page = _root_page(template, "client")
        offset = (page - 1) * 4096
        data[offset : offset + 64] = bytes(random.Random(page).randrange(256) for _ in range(64))
    path.write_bytes(bytes(data))
    if kind == "dropped-table":
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("DROP TABLE survey")
            connection.commit()


def _root_page(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as connection:
        row = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
        return int(row.fetchone()[0])


DAMAGE_KINDS = ("flipped-pages", "flipped-header", "cut-short", "empty", "text", "foreign")
WRITES = (
    ("import", "{json}"),
    ("import", "{csv}"),
    ("client", "erase", "1", "--yes"),
    ("encrypt",),
)
READS = (("agenda",), ("export", "{out}"), ("backup",), ("doctor",))


def damaged_files(folder: Path, *, in_process: bool = True) -> Figures:
    """Every damaged-file case against the commands that write many rows (refused in one
    sentence, the file untouched) and those that read (one sentence or done, untouched)."""
    figures = Figures()
    template = _filled_template(folder / "good.db")
    files = {
        "json": folder / "in.json",
        "csv": folder / "in.csv",
        "out": folder / "out.json",
    }
    files["json"].write_text('{"format": "rmtui-book", "version": 1, "clients": [{"name": "Zed"}]}')
    files["csv"].write_text("name,email\nZed,zed@example.test\n")
    for kind in DAMAGE_KINDS:
        for command in (*WRITES, *READS, ("restore-from",)):
            figures.add(_damaged_case(folder, kind, command, template, files, in_process))
    figures.add(_damaged_case(folder, "dropped-table", ("doctor",), template, files, in_process))
    return figures


def _filled_template(path: Path) -> Path:
    from datetime import date

    from rmtui.core.db import open_book, session_scope
    from rmtui.core.models import Client

    engine = open_book(path)
    with session_scope(engine) as session:
        for number in range(200):
            session.add(
                Client(name=f"Client {number}", notes="n" * 200, created_on=date(2026, 1, 1))
            )
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _damaged_case(
    folder: Path,
    kind: str,
    command: tuple[str, ...],
    template: Path,
    files: dict[str, Path],
    in_process: bool,
) -> Figures:
    figures = Figures(damaged_cases=1)
    path = folder / f"damaged-{kind}.db"
    damage(kind, path, template)
    if command == ("restore-from",):
        import shutil

        from rmtui.core.storage import remove_book_files

        target = folder / "restore-target.db"
        remove_book_files(target)
        shutil.copyfile(template, target)
        args: tuple[str, ...] = ("--db", str(target), "restore", str(path))
        watched = [path, target]
    else:
        args = ("--db", str(path), *(part.format(**files) for part in command))
        watched = [path]
    before = [file_state(item) for item in watched]
    code, err = run_cli(args, in_process=in_process)
    after = [file_state(item) for item in watched]
    name = f"{kind} / {' '.join(command)}"
    one_sentence = err.count("\n") <= 1 and err.startswith("rmtui: ")
    clean = "Traceback" not in err and "unexpected error" not in err
    if not clean:
        figures.unexpected += 1
        figures.problems.append(f"{name}: {err.strip()}")
    writes = command in WRITES or command == ("restore-from",)
    refused = code == 1 and one_sentence
    if command == ("doctor",) and code == 1:
        refused = True  # doctor lists the problems it found, one a line
    if before != after:
        figures.problems.append(f"{name}: the file changed")
    elif writes and not refused:
        figures.problems.append(f"{name}: not refused in one sentence ({code}: {err.strip()})")
    elif refused or code == 0:
        figures.damaged_refused_untouched += refused
        if not refused:
            figures.damaged_cases -= 1  # a read that worked: not a refusal case
    return figures


def run_cli(args: tuple[str, ...], *, in_process: bool) -> tuple[int, str]:
    """Run rmtui with `args`: its exit code and what it wrote on stderr."""
    if not in_process:
        done = rmtui_command(*args, env=environment(RMTUI_PASSPHRASE=PASSPHRASE))
        return done.returncode, done.stderr
    import contextlib
    import io

    from rmtui.cli import main

    out, err = io.StringIO(), io.StringIO()
    os.environ["RMTUI_PASSPHRASE"] = PASSPHRASE
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        del os.environ["RMTUI_PASSPHRASE"]
    return code, err.getvalue()


@contextmanager
def scratch_folder(base: Path, name: str) -> Iterator[Path]:
    """A new folder under `base` for one scenario."""
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    yield folder


def describe(figures: Any) -> str:
    """The figures, one a line."""
    return "\n".join(figures.lines())
