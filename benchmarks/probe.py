"""Run in a fresh process: start an app headless and time what its user would see.

`python -m benchmarks.probe startup --db BOOK --out FILE` starts rmtui the way `rmtui --db BOOK`
does and records the moment the Today screen is painted with its rows; `bare` does the same for
a bare Textual app (header, footer, an empty DataTable); `session` goes on to open the Clients
screen, move and page through its list, type in its filter and page through the interaction
log; `kpis` opens the KPI dashboard (key 5) until its figures and every trend chart are drawn,
then switches it to years (key p) until those charts are drawn; `screens` opens the pipeline
(key 4) until its board and its list are drawn, then the interaction log (key 3) until its
first page is; `quit` presses q once the app has settled after Today was painted, while the
daily backup of a large book is being made when it is due. Times come from a hook on every
screen update the app sends to the terminal (the update is encoded as terminal output too,
then dropped), never from Pilot's idle waits. Results go to FILE as JSON; the start-up moment
and the moment q was pressed are `time.monotonic()` readings, which the parent compares with
its own readings taken just before it started this process and just after it ended.

Nothing here imports rmtui or Textual before the app starts (Textual is patched as the app
imports it), so start-up is measured whole and in rmtui's own order: it starts reading Today's
agenda before it loads Textual.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.abc
import importlib.util
import json
import os
import resource
import sys
import time
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCREEN_SIZE = (120, 40)
KEY_TIMEOUT_S = 10.0
CHARTS_TIMEOUT_S = 300.0  # the KPI dashboard's 12-period charts of a large book
PAINT_TIMEOUT_S = 120.0
SETTLE_S = 0.3
POLL_S = 0.05
BUSY_POLL_S = 0.002
BETWEEN_KEYS_S = 0.03
ARROW_KEYS = 20
PAGE_KEYS = 20
# 20 filter keystrokes: three words typed and rubbed out, then two letters.
FILTER_KEYS = (
    ["m", "a", "r"]
    + ["backspace"] * 3
    + ["s", "o", "n"]
    + ["backspace"] * 3
    + ["b", "e", "r"]
    + ["backspace"] * 3
    + ["l", "i"]
)
CHARACTERS = {"slash": "/", "backspace": "\x08", "escape": "\x1b"}
LIST_WIDGETS = "VirtualTable, DataTable, OptionList, LineList"
PENDING = "…"  # a KPI not computed yet (rmtui.core.kpi_board.PENDING)

Condition = Callable[[Any], bool]


@dataclass
class Waiter:
    """Something to wait for: the first screen update at which `condition(app)` holds."""

    condition: Condition
    at: float | None = None
    event: asyncio.Event = field(default_factory=asyncio.Event)


class Watch:
    """Sees every screen update the app sends to the terminal and wakes waiters."""

    def __init__(self) -> None:
        self.waiters: list[Waiter] = []
        self.updates = 0
        self.last_update = 0.0  # monotonic seconds

    def wait_for(self, condition: Condition) -> Waiter:
        """A waiter released at the first screen update at which `condition` holds."""
        waiter = Waiter(condition)
        self.waiters.append(waiter)
        return waiter

    def on_update(self, app: Any) -> None:
        """Called right after a screen update was rendered."""
        now = time.monotonic()
        self.updates += 1
        self.last_update = now
        for waiter in list(self.waiters):
            if waiter.condition(app):
                waiter.at = now
                waiter.event.set()
                self.waiters.remove(waiter)


def install(watch: Watch, script: Callable[[Any], Awaitable[None]]) -> None:
    """Make every App run headless at SCREEN_SIZE with `script`, and report screen updates,
    from the moment the app imports Textual (rmtui starts reading its first screen before)."""
    when_imported("textual.app", lambda module: patch_app(module.App, watch, script))


def when_imported(name: str, patch: Callable[[Any], None]) -> None:
    """Call `patch` with the module `name` as soon as it has been imported."""

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            assert spec is not None and spec.loader is not None
            run_module = spec.loader.exec_module

            def exec_module(module: Any) -> None:
                run_module(module)
                patch(module)

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Finder())


def patch_app(app_class: Any, watch: Watch, script: Callable[[Any], Awaitable[None]]) -> None:
    """Make `app_class` run headless at SCREEN_SIZE with `script` and report its screen updates."""
    original_display = app_class._display
    original_run = app_class.run

    def display(self: Any, screen: Any, renderable: Any) -> None:
        original_display(self, screen, renderable)
        if renderable is None or self._batch_count:
            return
        renderable.render_segments(self.console)  # what a terminal would be sent
        watch.on_update(self)

    def run(self: Any, **options: Any) -> Any:
        options.update(headless=True, size=SCREEN_SIZE, auto_pilot=script)
        return original_run(self, **options)

    app_class._display = display
    app_class.run = run


# What is on screen


def row_count(widget: Any) -> int:
    """Rows in a list widget: VirtualTable.total, DataTable.row_count, OptionList.option_count."""
    for attribute in ("total", "row_count", "option_count"):
        value = getattr(widget, attribute, None)
        if isinstance(value, int):
            return value
    return 0


def cursor_of(widget: Any) -> int:
    """The cursor row of a list widget."""
    for attribute in ("cursor", "cursor_row", "highlighted"):
        value = getattr(widget, attribute, None)
        if isinstance(value, int):
            return value
    return 0


def busy(app: Any, screen: Any) -> bool:
    """Whether a worker started by the screen or one of its widgets is still going."""
    return any(
        not worker.is_finished and screen in getattr(worker.node, "ancestors_with_self", ())
        for worker in app.workers
    )


def shows_rows(app: Any, mode: str) -> bool:
    """Whether the screen of `mode` is in front, not loading, and showing rows."""
    screen = app.screen
    if app.current_mode != mode or screen.is_modal:
        return False
    if any(widget.loading for widget in screen.query("*")):
        return False
    return any(row_count(widget) > 0 for widget in screen.query(LIST_WIDGETS))


def main_list(app: Any) -> Any:
    """The biggest list widget of the current screen."""
    return max(app.screen.query(LIST_WIDGETS), key=row_count)


def kpi_lines(app: Any) -> dict[str, Any]:
    """The lines of the KPI dashboard's table, when it is in front (else none)."""
    if app.current_mode != "kpis" or app.screen.is_modal:
        return {}
    tables = app.screen.query("KpiTable")
    return dict(getattr(tables.first(), "lines", {})) if tables else {}


def kpi_screen_shown(app: Any) -> bool:
    """Whether the KPI dashboard is in front with its table, figures computed or not."""
    return bool(kpi_lines(app))


def kpi_figures_shown(app: Any) -> bool:
    """Whether the KPI dashboard is in front with every figure of its table computed."""
    lines = kpi_lines(app)
    return bool(lines) and all(line.value != PENDING for line in lines.values())


def kpi_charts_shown(unit: str) -> Condition:
    """Condition: the KPI dashboard shows its figures and every trend chart drawn, by `unit`."""

    def shown(app: Any) -> bool:
        if not kpi_figures_shown(app):
            return False
        charts = app.screen.query("TrendChart")
        return bool(charts) and all(
            not _computing(chart) and str(chart.border_subtitle).endswith(f" {unit}s")
            for chart in charts
        )

    return shown


def _computing(chart: Any) -> bool:
    """Whether a trend chart still computes its figures (`progress` in rmtui before 0010)."""
    if hasattr(chart, "computing"):
        return bool(chart.computing)
    return chart.progress is not None


def pipeline_drawn(app: Any) -> bool:
    """Whether the pipeline is in front with its board (every stage's box filled) and its
    list of deals drawn."""
    if not shows_rows(app, "pipeline"):
        return False
    boxes = app.screen.query("StageBox")
    return bool(boxes) and all(box.summary is not None for box in boxes)


def log_drawn(app: Any) -> bool:
    """Whether the interaction log is in front with its first page drawn."""
    return shows_rows(app, "log")


def shows_bare_table(app: Any) -> bool:
    """Whether the bare app's DataTable is laid out on screen."""
    tables = app.screen.query("DataTable")
    return bool(tables) and tables.first().size.width > 0


# Driving the app


def send_key(app: Any, key: str) -> float:
    """Send `key` as the terminal driver would; the moment it was sent."""
    from textual import events

    character = CHARACTERS.get(key, key if len(key) == 1 else None)
    event = events.Key(key, character)
    event.set_sender(app)
    sent = time.monotonic()
    app._driver.send_message(event)
    return sent


class AppStopped(RuntimeError):
    """The app crashed or quit while the probe was waiting for the screen."""


async def wait(app: Any, waiter: Waiter, timeout: float) -> float:
    """The moment the waiter's condition held on screen.

    Raises TimeoutError after `timeout` seconds, AppStopped as soon as the app has crashed.
    """
    deadline = time.monotonic() + timeout
    while not waiter.event.is_set():
        if app._exception is not None or not app._running:
            raise AppStopped(f"the app stopped: {app._exception!r}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the screen did not show it within {timeout:g} s")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiter.event.wait(), POLL_S)
    assert waiter.at is not None
    return waiter.at


async def key_to_paint(app: Any, watch: Watch, key: str, condition: Condition) -> float:
    """Milliseconds from sending `key` to the first screen update at which `condition` holds."""
    (painted,) = await key_to_paints(app, watch, key, (condition,))
    return painted


async def key_to_paints(
    app: Any,
    watch: Watch,
    key: str,
    conditions: Sequence[Condition],
    *,
    timeout: float = KEY_TIMEOUT_S,
) -> list[float]:
    """Milliseconds from sending `key` to the first screen update meeting each condition."""
    waiters = [watch.wait_for(condition) for condition in conditions]
    sent = send_key(app, key)
    painted = [await wait(app, waiter, timeout) for waiter in waiters]
    await asyncio.sleep(BETWEEN_KEYS_S)
    return [(moment - sent) * 1000 for moment in painted]


async def cursor_keys(app: Any, watch: Watch, table: Any, keys: Sequence[str]) -> list[float]:
    """Time each key from `keys` until the table's cursor has moved on screen.

    A page-down at the end of the list becomes `home`, so every key moves the cursor.
    """
    times = []
    for key in keys:
        before = cursor_of(table)
        if key == "pagedown" and before >= row_count(table) - 1:
            key = "home"
        times.append(await key_to_paint(app, watch, key, cursor_moved(table, before)))
    return times


def cursor_moved(table: Any, before: int) -> Condition:
    """Condition: the table's cursor is no longer at row `before`."""
    return lambda _app: cursor_of(table) != before


def counted_beyond(calls: Calls, before: int) -> Condition:
    """Condition: the method counted by `calls` was called more than `before` times."""
    return lambda _app: calls.count > before


@dataclass
class Calls:
    """How many times a method was called, and when last (monotonic seconds)."""

    count: int = 0
    last: float = 0.0


def count_calls(cls: Any, name: str) -> Calls:
    """Count the calls of method `name` of `cls` from now on."""
    calls = Calls()
    original = getattr(cls, name)

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.count += 1
        calls.last = time.monotonic()
        return original(self, *args, **kwargs)

    setattr(cls, name, counted)
    return calls


async def filter_keys(app: Any, watch: Watch, table: Any) -> tuple[list[float], list[float]]:
    """Time each FILTER_KEYS keystroke in the `/` filter: until the table shows the first rows
    of the result, and until the screen is done (its workers finished, e.g. the count shown)."""
    await key_to_paint(app, watch, "slash", lambda app: _is_input(app.focused))
    shown = count_calls(type(table), "show")
    first_rows, settled = [], []
    for key in FILTER_KEYS:
        waiter = watch.wait_for(counted_beyond(shown, shown.count))
        sent = send_key(app, key)
        first_rows.append((await wait(app, waiter, KEY_TIMEOUT_S) - sent) * 1000)
        settled.append((await settled_at(app, watch, shown) - sent) * 1000)
        await asyncio.sleep(BETWEEN_KEYS_S)
    return first_rows, settled


async def settled_at(app: Any, watch: Watch, shown: Calls) -> float:
    """The moment the screen showed where its work ended: its workers done, and the table's
    latest rows painted. (A worker is done a moment after its last rows were painted, and
    nothing is painted then: the frame that showed them is the one.)"""
    deadline = time.monotonic() + KEY_TIMEOUT_S
    while busy(app, app.screen):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the screen was still busy after {KEY_TIMEOUT_S:g} s")
        await asyncio.sleep(BUSY_POLL_S)
    if watch.last_update >= shown.last:
        return watch.last_update
    return await wait(app, watch.wait_for(lambda _app: True), KEY_TIMEOUT_S)


async def leave_filter(app: Any) -> None:
    """Press escape to leave the filter; focus the list if the filter still has the focus."""
    send_key(app, "escape")
    await asyncio.sleep(SETTLE_S)
    if _is_input(app.focused):
        main_list(app).focus()
        await asyncio.sleep(SETTLE_S)


def _is_input(widget: Any) -> bool:
    return any(cls.__name__ == "Input" for cls in type(widget).__mro__)


async def focus_list(app: Any) -> Any:
    """Focus the current screen's main list (as a click would) and return it."""
    table = main_list(app)
    if app.focused is not table:
        table.focus()
        await asyncio.sleep(SETTLE_S)
    return table


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far, in MB.

    Read from VmHWM in /proc/self/status: unlike `ru_maxrss`, which Linux carries over
    `execve` from the parent process, it counts this program alone.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Scenarios


async def until_painted(app: Any, watch: Watch, waiter: Waiter, results: dict[str, Any]) -> None:
    """Record when the first screen was painted with its data."""
    results["painted_at"] = await wait(app, waiter, PAINT_TIMEOUT_S)
    results["updates"] = watch.updates


async def session(
    app: Any, watch: Watch, waiter: Waiter, results: dict[str, Any], skip_log: str | None
) -> None:
    """Today painted, then the Clients screen, its list and filter, then the interaction log."""
    await until_painted(app, watch, waiter, results)
    await asyncio.sleep(SETTLE_S)
    results["clients_open_ms"] = await key_to_paint(
        app, watch, "2", lambda app: shows_rows(app, "clients")
    )
    table = await focus_list(app)
    results["clients_rows"] = row_count(table)
    results["arrow_ms"] = await cursor_keys(app, watch, table, ["down"] * ARROW_KEYS)
    results["clients_page_ms"] = await cursor_keys(app, watch, table, ["pagedown"] * PAGE_KEYS)
    results["filter_ms"], results["filter_settled_ms"] = await filter_keys(app, watch, table)
    results["peak_rss_mb"] = peak_rss_mb()
    await leave_filter(app)
    if skip_log:
        results["log_skipped"] = skip_log
        return
    await asyncio.sleep(SETTLE_S)
    results["log_open_ms"] = await key_to_paint(app, watch, "3", lambda app: shows_rows(app, "log"))
    log = await focus_list(app)
    results["log_rows"] = row_count(log)
    results["log_page_ms"] = await cursor_keys(app, watch, log, ["pagedown"] * PAGE_KEYS)


async def settled_app(app: Any) -> None:
    """Wait until the app has done what it does after its first screen (loading the rest of
    rmtui in a worker), as a user who opens a screen a few seconds after start-up finds it."""
    deadline = time.monotonic() + PAINT_TIMEOUT_S
    while any(not worker.is_finished for worker in app.workers):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app was still busy after {PAINT_TIMEOUT_S:g} s")
        await asyncio.sleep(POLL_S)
    await asyncio.sleep(SETTLE_S)


async def kpi_dashboard(app: Any, watch: Watch, waiter: Waiter, results: dict[str, Any]) -> None:
    """Today painted, then the KPI dashboard until its figures and quarterly charts are drawn,
    then the yearly charts (key p)."""
    await until_painted(app, watch, waiter, results)
    await settled_app(app)
    conditions = (kpi_screen_shown, kpi_figures_shown, kpi_charts_shown("quarter"))
    shown, figures, charts = await key_to_paints(
        app, watch, "5", conditions, timeout=CHARTS_TIMEOUT_S
    )
    results["kpi_shown_ms"], results["kpi_figures_ms"], results["kpi_charts_ms"] = (
        shown,
        figures,
        charts,
    )
    await asyncio.sleep(SETTLE_S)
    (years,) = await key_to_paints(
        app, watch, "p", (kpi_charts_shown("year"),), timeout=CHARTS_TIMEOUT_S
    )
    results["kpi_year_charts_ms"] = years


async def open_screens(app: Any, watch: Watch, waiter: Waiter, results: dict[str, Any]) -> None:
    """Today painted and settled, then the pipeline (key 4) until its board and list are
    drawn, then, settled again, the interaction log (key 3) until its first page is: each
    screen's first opening in the process."""
    await until_painted(app, watch, waiter, results)
    await settled_app(app)
    (results["pipeline_open_ms"],) = await key_to_paints(app, watch, "4", (pipeline_drawn,))
    results["pipeline_rows"] = row_count(main_list(app))
    await settled_app(app)
    (results["log_open_ms"],) = await key_to_paints(app, watch, "3", (log_drawn,))
    results["log_rows"] = row_count(main_list(app))


async def quit_soon(app: Any, watch: Watch, waiter: Waiter, results: dict[str, Any]) -> None:
    """Today painted, then q pressed as soon as the app has settled (the rest of its code
    loaded); whether the daily backup was being made then. The app quits by itself; the
    parent times the process's exit."""
    await until_painted(app, watch, waiter, results)
    backup = app.daily_backup
    await settled_app(app)
    results["backup_copying"] = backup is not None and backup.copying and not backup.done
    results["quit_sent_at"] = send_key(app, "q")


# The scenarios that start from Today painted, besides `session`.
SCENARIOS: dict[str, Callable[[Any, Watch, Waiter, dict[str, Any]], Awaitable[None]]] = {
    "kpis": kpi_dashboard,
    "screens": open_screens,
    "quit": quit_soon,
}


def scenario(
    name: str, watch: Watch, waiter: Waiter, results: dict[str, Any], skip_log: str | None = None
) -> Any:
    """The auto-pilot script for scenario `name`; it records into `results`, then quits (or,
    in `quit`, has pressed q)."""

    async def script(pilot: Any) -> None:
        app = pilot.app
        try:
            if name == "session":
                await session(app, watch, waiter, results, skip_log)
            elif name in SCENARIOS:
                await SCENARIOS[name](app, watch, waiter, results)
            else:
                await until_painted(app, watch, waiter, results)
        except Exception as error:  # reported to the parent, which shows it in the table
            results["error"] = f"{type(error).__name__}: {error}"
            results["traceback"] = traceback.format_exc()
        finally:
            if "quit_sent_at" not in results:
                app.exit()

    return script


def run_bare_app() -> None:
    """A bare Textual app: header, footer and an empty DataTable."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

    BareApp().run()


def run_rmtui(db: str) -> None:
    """rmtui as `rmtui --db BOOK` starts it."""
    from rmtui.cli import main as rmtui_main

    code = rmtui_main(["--db", db])
    if code:
        raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one scenario and write its results as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.probe")
    parser.add_argument("scenario", choices=("startup", "bare", "session", *SCENARIOS))
    parser.add_argument("--db", help="the book (startup and session)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--skip-log", metavar="WHY", help="leave out the interaction log")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"pid": os.getpid()}
    watch = Watch()
    condition: Condition = shows_bare_table if args.scenario == "bare" else _today_painted
    waiter = watch.wait_for(condition)
    if args.scenario != "bare":
        from rmtui.cli.tui import paint_promptly

        paint_promptly()  # before Textual loads, as `rmtui` does it
    install(watch, scenario(args.scenario, watch, waiter, results, args.skip_log))
    try:
        run_bare_app() if args.scenario == "bare" else run_rmtui(args.db)
    finally:
        args.out.write_text(json.dumps(results), encoding="utf-8")
    return 0


def _today_painted(app: Any) -> bool:
    return shows_rows(app, "today")


if __name__ == "__main__":
    sys.exit(main())
