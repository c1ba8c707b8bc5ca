"""The command line's answers: `rmtui agenda` and `rmtui kpi` as a user times them, a new
process each, beside a bare Python that only imports sqlite3 and json."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.bench import Bench, Group
from benchmarks.report import NO_TARGET, Measured, Spec, at_most_times
from benchmarks.timing import median, paired_times_ms

BARE = ("-c", "import sqlite3, json")


def run_python(*args: str, env: dict[str, str]) -> None:
    """Run a new Python process with `args`; fail loudly when it fails."""
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])


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


def cli_figures(bench: Bench) -> dict[str, Measured]:
    """`rmtui agenda --json` and `rmtui kpi --json` on the small and the large book."""
    note = "new process, median"
    figures = {}
    for command in ("agenda", "kpi"):
        small, bare = command_ms(bench, bench.small_book, command, "--json")
        large, _ = command_ms(bench, bench.book, command, "--json")
        figures[f"cli_{command}_small"] = Measured(small, bare, f"{note}; 100 clients")
        figures[f"cli_{command}"] = Measured(large, bare, note)
    return figures


def _spec(command: str, size: str, target_factor: float | None) -> Spec:
    key = f"cli_{command}" + ("_small" if size == "small" else "")
    label = f"`rmtui {command} --json`" + (", 100 clients" if size == "small" else "")
    target = at_most_times(target_factor) if target_factor else NO_TARGET
    return Spec(key, label, "ms", "python -c 'import sqlite3, json'", target)


CLI_GROUP = Group(
    specs=(
        _spec("agenda", "small", 4),
        _spec("agenda", "large", None),
        _spec("kpi", "small", 4),
        _spec("kpi", "large", None),
    ),
    needs=("rmtui.cli:main",),
    measure=cli_figures,
)
