"""The command line's answers: the commands that only read (`rmtui agenda`, `kpi`, `client
list`, `client show`, `digest`) as a user times them, a new process each, beside a bare Python
that only imports sqlite3 and json; and which heavy libraries each one loads."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from benchmarks.bench import Bench, Group
from benchmarks.report import NO_TARGET, Measured, Spec, at_most_times
from benchmarks.timing import median, paired_times_ms

BARE = ("-c", "import sqlite3, json")
# Libraries that cost more to load than a quick command takes in all.
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "textual", "babel")
# The client halfway down the book, by id.
MIDDLE_CLIENT = "SELECT id FROM client ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM client)"


def _middle_client(book: Path) -> tuple[str, ...]:
    with closing(sqlite3.connect(book)) as connection:
        (client_id,) = connection.execute(MIDDLE_CLIENT).fetchone()
    return ("client", "show", str(client_id), "--json")


# Each command: its figures' key, its label, and its words on a book.
COMMANDS: dict[str, tuple[str, Callable[[Path], tuple[str, ...]]]] = {
    "agenda": ("`rmtui agenda --json`", lambda _book: ("agenda", "--json")),
    "kpi": ("`rmtui kpi --json`", lambda _book: ("kpi", "--json")),
    "client_list": ("`rmtui client list --json`", lambda _book: ("client", "list", "--json")),
    "client_show": ("`rmtui client show ID --json`", _middle_client),
    "digest": ("`rmtui digest --format json`", lambda _book: ("digest", "--format", "json")),
}


def run_python(*args: str, env: dict[str, str]) -> str:
    """Run a new Python process with `args`; its standard error. Fail loudly when it fails."""
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    return done.stderr


def command_env(bench: Bench) -> dict[str, str]:
    """The environment of the commands: compiled bytecode kept (in the scratch folder), as an
    installed rmtui's is, even where the caller's environment says not to write it."""
    env = os.environ.copy()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(bench.scratch / "bytecode")
    return env


def command_ms(bench: Bench, book: Path, *command: str) -> tuple[float, float]:
    """The median times of `rmtui --db BOOK COMMAND` and of the bare Python, in turns (after
    a first run of each, which compiles the bytecode)."""
    env = command_env(bench)
    ours, bare = paired_times_ms(
        lambda: run_python("-m", "rmtui", "--db", str(book), *command, env=env),
        lambda: run_python(*BARE, env=env),
        repeat=bench.repeat,
    )
    return median(ours), median(bare)


def heavy_imports(bench: Bench, book: Path, *command: str) -> list[str]:
    """The HEAVY libraries `rmtui --db BOOK COMMAND` loads (python -X importtime)."""
    report = run_python(
        "-X", "importtime", "-m", "rmtui", "--db", str(book), *command, env=command_env(bench)
    )
    loaded = {line.rsplit("|", 1)[-1].strip() for line in report.splitlines() if "|" in line}
    return [name for name in HEAVY if name in loaded]


def loads_text(heavy: list[str]) -> str:
    """What the note says of the heavy libraries a command loads."""
    return f"LOADS {', '.join(heavy)}" if heavy else "loads none of " + ", ".join(HEAVY)


def cli_figures(bench: Bench) -> dict[str, Measured]:
    """Each command of COMMANDS on the small and the large book."""
    note = "new process, median"
    figures = {}
    for key, (_label, words) in COMMANDS.items():
        small_words, large_words = words(bench.small_book), words(bench.book)
        small, bare = command_ms(bench, bench.small_book, *small_words)
        large, _ = command_ms(bench, bench.book, *large_words)
        small_note = loads_text(heavy_imports(bench, bench.small_book, *small_words))
        large_note = loads_text(heavy_imports(bench, bench.book, *large_words))
        figures[f"cli_{key}_small"] = Measured(small, bare, f"{note}; 100 clients; {small_note}")
        figures[f"cli_{key}"] = Measured(large, bare, f"{note}; {large_note}")
    return figures


def _spec(key: str, size: str, target_factor: float | None) -> Spec:
    label, _words = COMMANDS[key]
    figure = f"cli_{key}" + ("_small" if size == "small" else "")
    target = at_most_times(target_factor) if target_factor else NO_TARGET
    shown = label + (", 100 clients" if size == "small" else "")
    return Spec(figure, shown, "ms", "python -c 'import sqlite3, json'", target)


CLI_GROUP = Group(
    specs=tuple(
        spec for key in COMMANDS for spec in (_spec(key, "small", 4), _spec(key, "large", None))
    ),
    needs=("rmtui.cli:main",),
    measure=cli_figures,
)
