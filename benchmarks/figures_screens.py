"""Figures of the screens, each measured in a fresh process running the app headless."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from itertools import count
from pathlib import Path
from typing import Any

from benchmarks.bench import Bench, Group, missing_parts
from benchmarks.report import NOT_BUILT, Measured, Spec, at_most, at_most_times
from benchmarks.synth import TODAY
from benchmarks.timing import median, percentile

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROBE_TIMEOUT_S = 900
STDERR_TAIL = 600
NO_DAILY_BACKUP = "[backups]\ndaily = false\n"
DAILY_BACKUP = "[backups]\ndaily = true\n"
MAX_SESSIONS = 3
_probe_numbers = count(1)


class ProbeError(RuntimeError):
    """A probe process that did not report what it measured."""


def probe_env(scratch: Path, *, daily_backup: bool = False) -> dict[str, str]:
    """The environment of a probe: frozen today, private scratch folders, no daily backup
    unless `daily_backup`.

    The daily backup is switched off so that a run does not copy the whole book into the
    cache folder (a probe with it opens a link to the book in the scratch folder, beside which
    the backup goes); Textual settings of the caller (TEXTUAL_*) are left out. Compiled
    bytecode is kept (in the scratch folder), as an installed rmtui's is, even where the
    caller's environment says not to write it.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("TEXTUAL")}
    home = scratch / ("probe-home-backups" if daily_backup else "probe-home")
    config = home / "config"
    (config / "rmtui").mkdir(parents=True, exist_ok=True)
    settings = DAILY_BACKUP if daily_backup else NO_DAILY_BACKUP
    (config / "rmtui" / "config.toml").write_text(settings, encoding="utf-8")
    env.update(
        RMTUI_TODAY=TODAY.isoformat(),
        XDG_CONFIG_HOME=str(config),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])),
    )
    env.pop("RMTUI_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "bytecode")
    return env


def run_probe(
    scenario: str,
    *,
    scratch: Path,
    db: Path | str | None = None,
    options: Sequence[str] = (),
    daily_backup: bool = False,
) -> dict[str, Any]:
    """Run one probe scenario in a new process; its results, with `startup_ms` and the moment
    it ended (`exited_at`, monotonic seconds) added."""
    out = scratch / f"probe-{next(_probe_numbers)}.json"
    command = [sys.executable, "-m", "benchmarks.probe", scenario, "--out", str(out), *options]
    command += ["--db", str(db)] if db is not None else []
    started = time.monotonic()
    completed = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=probe_env(scratch, daily_backup=daily_backup),
        capture_output=True,
        text=True,
        timeout=PROBE_TIMEOUT_S,
        check=False,
    )
    exited_at = time.monotonic()
    results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    out.unlink(missing_ok=True)
    if "error" in results or "painted_at" not in results:
        problem = results.get("error") or f"exit code {completed.returncode}"
        tail = (results.get("traceback") or completed.stderr)[-STDERR_TAIL:]
        raise ProbeError(f"the {scenario} probe failed ({problem}): {tail.strip()}")
    results["startup_ms"] = (results["painted_at"] - started) * 1000
    results["exited_at"] = exited_at
    return results


# Start-up


def startup_figures(bench: Bench) -> dict[str, Measured]:
    """Start-up to Today painted, against 100 clients and against a bare Textual app."""
    probes: dict[str, Callable[[], dict[str, Any]]] = {
        "book": lambda: run_probe("startup", scratch=bench.scratch, db=bench.book),
        "small": lambda: run_probe("startup", scratch=bench.scratch, db=bench.small_book),
        "bare": lambda: run_probe("bare", scratch=bench.scratch),
    }
    for probe in probes.values():  # warm the page cache and the bytecode caches
        probe()
    times: dict[str, list[float]] = {name: [] for name in probes}
    for _ in range(bench.repeat):
        for name, probe in probes.items():
            times[name].append(probe()["startup_ms"])
    book, small, bare = (median(times[name]) for name in ("book", "small", "bare"))
    note = f"new process, headless {120}x{40}"
    return {
        "startup": Measured(book, small, note),
        "startup_vs_bare": Measured(book, bare, note),
    }


STARTUP_GROUP = Group(
    specs=(
        Spec(
            "startup", "start-up to Today painted", "ms", "same at 100 clients", at_most_times(1.15)
        ),
        Spec(
            "startup_vs_bare",
            "start-up vs bare Textual app",
            "ms",
            "bare app: header, footer, empty DataTable",
            at_most_times(1.5),
        ),
    ),
    needs=("rmtui.app:make_app", "rmtui.screens.today:TodayScreen"),
    measure=startup_figures,
)


# A session on the Clients screen and the interaction log


def session_figures(bench: Bench) -> dict[str, Measured]:
    """Clients screen open, keys, filter, scroll and memory, against the 100-client book."""
    skip = log_screen_note()
    options = ["--skip-log", skip] if skip else []
    book: list[dict[str, Any]] = []
    small: list[dict[str, Any]] = []
    for _ in range(sessions_for(bench)):
        book.append(run_probe("session", scratch=bench.scratch, db=bench.book, options=options))
        small.append(
            run_probe("session", scratch=bench.scratch, db=bench.small_book, options=options)
        )
    rows = f"{book[0]['clients_rows']:,} vs {small[0]['clients_rows']:,} rows; {len(book)} sessions"
    figures = {
        "clients_open": _compare(book, small, "clients_open_ms", float, note=rows),
        "filter_p50": _compare(book, small, "filter_ms", _p(0.5), note="20 keys"),
        "filter_p95": _compare(book, small, "filter_ms", _p(0.95), note="20 keys"),
        "filter_settled_p95": _compare(
            book, small, "filter_settled_ms", _p(0.95), note="20 keys, until workers done"
        ),
        "arrow_p95": _compare(book, small, "arrow_ms", _p(0.95), note=f"20 keys; {rows}"),
        "pagedown_p95": _compare(book, small, "clients_page_ms", _p(0.95), note=f"20 keys; {rows}"),
        "scroll_clients": _compare(book, small, "clients_page_ms", sum, note="20 page downs"),
        "peak_rss": _compare(book, small, "peak_rss_mb", float),
    }
    figures["scroll_log"] = _log_figure(book, small)
    return figures


def sessions_for(bench: Bench) -> int:
    """How many sessions per book: each already times 20 keys per figure, so at most 3."""
    return min(bench.repeat, MAX_SESSIONS)


def _p(fraction: float) -> Callable[[Sequence[float]], float]:
    return lambda values: percentile(values, fraction)


def _compare(
    book: list[dict[str, Any]],
    small: list[dict[str, Any]],
    key: str,
    summary: Callable[[Any], float],
    *,
    note: str = "",
) -> Measured:
    """The median over runs of `summary` of each run's `key`, for the book and the baseline."""
    value = median([summary(run[key]) for run in book])
    baseline = median([summary(run[key]) for run in small])
    return Measured(value, baseline, note)


def _log_figure(book: list[dict[str, Any]], small: list[dict[str, Any]]) -> Measured:
    if "log_page_ms" not in book[0]:
        return Measured(None, note=book[0].get("log_skipped", "not measured"))
    rows = f"20 page downs; {book[0]['log_rows']:,} vs {small[0]['log_rows']:,} rows"
    return _compare(book, small, "log_page_ms", sum, note=rows)


SESSION_GROUP = Group(
    specs=(
        Spec(
            "clients_open", "Clients screen open", "ms", "same at 100 clients", at_most_times(1.2)
        ),
        Spec("filter_p50", "filter keystroke p50", "ms", "same at 100 clients"),
        Spec("filter_p95", "filter keystroke p95", "ms", "same at 100 clients", at_most(50, "ms")),
        Spec(
            "filter_settled_p95", "filter keystroke p95, count shown", "ms", "same at 100 clients"
        ),
        Spec(
            "scroll_clients",
            "scroll: 20 page downs, clients",
            "ms",
            "same at 100 clients",
            at_most_times(1.2),
        ),
        Spec(
            "scroll_log",
            "scroll: 20 page downs, interactions",
            "ms",
            "same at 100 clients",
            at_most_times(1.2),
        ),
        Spec(
            "arrow_p95", "arrow key p95, client list", "ms", "same at 100 rows", at_most(33, "ms")
        ),
        Spec(
            "pagedown_p95",
            "page down p95, client list",
            "ms",
            "same at 100 rows",
            at_most(50, "ms"),
        ),
        Spec(
            "peak_rss",
            "peak RSS, Clients screen open",
            "MB",
            "same at 100 clients",
            at_most_times(1.3, limit=150, unit="MB"),
        ),
    ),
    needs=(
        "rmtui.app:make_app",
        "rmtui.screens.today:TodayScreen",
        "rmtui.screens.clients:ClientsScreen",
        "rmtui.widgets.virtual_table:VirtualTable",
    ),
    measure=session_figures,
)


def log_screen_note() -> str | None:
    """Why the interaction log cannot be scrolled yet, or None when it can."""
    missing = missing_parts(("rmtui.screens.log:LogScreen",))
    return f"{NOT_BUILT}: {', '.join(missing)}" if missing else None


# The KPI dashboard


def kpi_screen_figures(bench: Bench) -> dict[str, Measured]:
    """The KPI dashboard opened (key 5) until it shows, until its figures, then its 12-quarter
    charts, are drawn, and switched to years (key p) until those charts are; each run a new
    process, so nothing is computed before. Against the 100-client book: the screen's own
    first build is the same at any size, what follows it is the book's."""
    book: list[dict[str, Any]] = []
    small: list[dict[str, Any]] = []
    for _ in range(sessions_for(bench)):
        book.append(charts_after_shown(run_probe("kpis", scratch=bench.scratch, db=bench.book)))
        small.append(
            charts_after_shown(run_probe("kpis", scratch=bench.scratch, db=bench.small_book))
        )
    runs = f"{len(book)} new processes"
    return {
        "kpi_screen_shown": _compare(book, small, "kpi_shown_ms", float, note=runs),
        "kpi_screen_figures": _compare(book, small, "kpi_figures_ms", float, note=runs),
        "kpi_screen_charts": _compare(book, small, "kpi_charts_ms", float, note=runs),
        "kpi_screen_charts_built": _compare(book, small, "kpi_built_ms", float, note=runs),
        "kpi_screen_year_charts": _compare(book, small, "kpi_year_charts_ms", float, note=runs),
    }


def charts_after_shown(results: dict[str, Any]) -> dict[str, Any]:
    """`results` with how long the charts took once the screen showed (`kpi_built_ms`)."""
    return {**results, "kpi_built_ms": results["kpi_charts_ms"] - results["kpi_shown_ms"]}


SAME_AT_ANY_SIZE = at_most_times(1.2)
KPI_SCREEN_GROUP = Group(
    specs=(
        Spec(
            "kpi_screen_shown",
            "KPI dashboard: key 5 to the screen shown",
            "ms",
            "same at 100 clients",
            SAME_AT_ANY_SIZE,
        ),
        Spec(
            "kpi_screen_figures",
            "KPI dashboard: key 5 to figures shown",
            "ms",
            "same at 100 clients",
            SAME_AT_ANY_SIZE,
        ),
        Spec(
            "kpi_screen_charts",
            "KPI dashboard: key 5 to 12-quarter charts drawn",
            "ms",
            "same at 100 clients",
            SAME_AT_ANY_SIZE,
        ),
        Spec(
            "kpi_screen_charts_built",
            "KPI dashboard: 12-quarter charts, from the screen shown to drawn",
            "ms",
            "same at 100 clients",
            at_most(300, "ms"),
        ),
        Spec(
            "kpi_screen_year_charts",
            "KPI dashboard: key p to 12-year charts drawn",
            "ms",
            "same at 100 clients",
            at_most(300, "ms"),
        ),
    ),
    needs=("rmtui.app:make_app", "rmtui.screens.kpis:KpiScreen"),
    measure=kpi_screen_figures,
)


# The pipeline and the interaction log


def screen_figures(bench: Bench) -> dict[str, Measured]:
    """The pipeline opened (key 4) until its board and list are drawn, and the interaction log
    (key 3) until its first page is, each the screen's first opening in a new process started
    a few seconds before, as a user finds them; against the 100-client book."""
    book: list[dict[str, Any]] = []
    small: list[dict[str, Any]] = []
    for _ in range(sessions_for(bench)):
        book.append(run_probe("screens", scratch=bench.scratch, db=bench.book))
        small.append(run_probe("screens", scratch=bench.scratch, db=bench.small_book))
    runs = f"{len(book)} new processes"
    deals = f"{book[0]['pipeline_rows']:,} vs {small[0]['pipeline_rows']:,} rows"
    entries = f"{book[0]['log_rows']:,} vs {small[0]['log_rows']:,} rows"
    return {
        "pipeline_open": _compare(book, small, "pipeline_open_ms", float, note=f"{runs}; {deals}"),
        "log_open": _compare(book, small, "log_open_ms", float, note=f"{runs}; {entries}"),
    }


SCREENS_GROUP = Group(
    specs=(
        Spec(
            "pipeline_open",
            "Pipeline: key 4 to its board and list drawn",
            "ms",
            "same at 100 clients",
            SAME_AT_ANY_SIZE,
        ),
        Spec(
            "log_open",
            "Interaction log: key 3 to its first page drawn",
            "ms",
            "same at 100 clients",
            SAME_AT_ANY_SIZE,
        ),
    ),
    needs=(
        "rmtui.app:make_app",
        "rmtui.screens.pipeline:PipelineScreen",
        "rmtui.screens.log:LogScreen",
    ),
    measure=screen_figures,
)


# Quitting on the first start of the day


def quit_figures(bench: Bench) -> dict[str, Measured]:
    """From q to the end of the process on the large book, once the app has settled after
    start-up, when its daily backup is due (so being made as q is pressed) and when it was
    taken already."""
    due, taken = bench.scratch / "quit-due", bench.scratch / "quit-taken"
    due_book, taken_book = linked_book(bench.book, due), linked_book(bench.book, taken)
    make_daily_backup(taken_book)
    due_runs: list[dict[str, Any]] = []
    taken_runs: list[dict[str, Any]] = []
    for _ in range(bench.repeat):  # a quit is short, and the disk makes it vary
        shutil.rmtree(due / "backups", ignore_errors=True)  # the copy the last run left
        due_runs.append(quit_run(bench, due_book))
        taken_runs.append(quit_run(bench, taken_book))
    copying = sum(run["backup_copying"] for run in due_runs)
    taken_anyway = len(list((due / "backups").glob("*-daily.db")))
    spread = "; ".join(
        f"{name} {min(times):,.0f}–{max(times):,.0f} ms"
        for name, times in (("due", _quit_times(due_runs)), ("taken", _quit_times(taken_runs)))
    )
    note = (
        f"backup under way at q in {copying} of {len(due_runs)} runs, q once the app has "
        f"settled; {taken_anyway} backup finished after the last; {spread}"
    )
    return {"quit_backup_due": _compare(due_runs, taken_runs, "quit_ms", float, note=note)}


def _quit_times(runs: list[dict[str, Any]]) -> list[float]:
    return [run["quit_ms"] for run in runs]


def linked_book(book: Path, folder: Path) -> Path:
    """A link to `book` in `folder`, where its backups go."""
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "book.db"
    link.unlink(missing_ok=True)
    link.symlink_to(book.resolve())
    return link


def make_daily_backup(book: Path) -> None:
    """Take today's daily backup of `book` (today as the probes have it)."""
    from rmtui.core.backups import DAILY, make_backup

    if not list((book.parent / "backups").glob(f"{book.stem}-*-{DAILY}.db")):
        make_backup(book, reason=DAILY)


def quit_run(bench: Bench, book: Path) -> dict[str, Any]:
    """One start of rmtui on `book` (daily backups on), quit once it has settled; its results with
    `quit_ms`, from q to the end of the process."""
    os.sync()  # each start finds the disk done with what the runs before it wrote
    results = run_probe("quit", scratch=bench.scratch, db=book, daily_backup=True)
    return {**results, "quit_ms": (results["exited_at"] - results["quit_sent_at"]) * 1000}


QUIT_GROUP = Group(
    specs=(
        Spec(
            "quit_backup_due",
            "quit on the day's first start (q to exit), daily backup due",
            "ms",
            "same with the day's backup taken",
            at_most_times(1.2),
        ),
    ),
    needs=("rmtui.core.backups:DailyBackup", "rmtui.app:make_app"),
    measure=quit_figures,
)
