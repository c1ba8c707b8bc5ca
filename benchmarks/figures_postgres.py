"""Figures of the book on a PostgreSQL server, measured beside the same book in SQLite.

`python -m benchmarks --postgres` starts a throw-away cluster (initdb and pg_ctl, as the tests
do, with PostgreSQL's default shared buffers) or takes the URL of an empty database
(`--postgres URL`), copies both synthetic books into it with `rmtui copy --to`, and measures
start-up, the client filter, the KPIs of a quarter and a year, the agenda and scrolling on the
server. Each figure gives two rows: the server's value against the same figure on the SQLite
book in the same run (the cost of the engine, no target), and the server's value against the
baseline the SQLite figure has (the same figure on the 100-client book, or rmtui's own SQL
replayed by plain psycopg), with the SQLite figure's target.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from benchmarks.bench import Bench, Group
from benchmarks.figures_data import (
    AGENDA_GROUP,
    KPI_TARGET,
    PAGE_ROWS,
    _agenda_in,
    _kpis_in,
    client_page,
    filter_times_ms,
    in_session,
    quarter_of,
    year_of,
)
from benchmarks.figures_screens import PROJECT_ROOT, probe_env, run_probe
from benchmarks.report import NO_TARGET, Measured, Spec, Target, at_most, at_most_times
from benchmarks.synth import TODAY
from benchmarks.timing import median, paired_times_ms, percentile, time_ms

BENCH_DATABASE = "rmtui_bench"
SMALL_DATABASE = "rmtui_bench_small"
# The throw-away cluster holds as much of the book in its own memory as PostgreSQL does as it
# comes (the tests' clusters hold less: their books are small).
SERVER_SHARED_BUFFERS = "128MB"
COPY_TIMEOUT_S = 3 * 3600
SAME_ON_SQLITE = "the same figure on the SQLite book, same run"
SERVER_SMALL = "the same on the server at 100 clients"
REPLAYED_PSYCOPG = "its own SQL on the server, replayed by plain psycopg"


@dataclass(frozen=True)
class ServerBooks:
    """The two synthetic books copied into PostgreSQL, and how long each copy took."""

    url: str
    small_url: str
    copy_s: float
    small_copy_s: float


@contextmanager
def server_books(bench: Bench, url: str | None) -> Iterator[ServerBooks]:
    """The run's books on a PostgreSQL server: in the empty databases `url` and `url`_small
    names, else in a throw-away cluster that is removed afterwards."""
    if url is not None:
        small_url = _sibling(url, SMALL_DATABASE)
        yield _copied(bench, url, small_url)
        return
    from tests.pg_cluster import Cluster

    cluster = Cluster(shared_buffers=SERVER_SHARED_BUFFERS)
    cluster.start()
    try:
        big, small = (cluster.create_database(name) for name in (BENCH_DATABASE, SMALL_DATABASE))
        yield _copied(bench, big, small)
    finally:
        cluster.stop()


def _sibling(url: str, database: str) -> str:
    """`url` naming `database` instead (for the 100-client book beside the given one)."""
    head, _, query = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{database}" + (f"?{query}" if query else "")


def _copied(bench: Bench, url: str, small_url: str) -> ServerBooks:
    copy_s = copy_into(str(bench.book), url, bench)
    small_copy_s = copy_into(str(bench.small_book), small_url, bench)
    return ServerBooks(url, small_url, copy_s, small_copy_s)


def copy_into(book: str, target: str, bench: Bench) -> float:
    """Seconds `rmtui --db BOOK copy --to TARGET` took, run as its user runs it."""
    command = [sys.executable, "-m", "rmtui", "--db", book, "copy", "--to", target]
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=probe_env(bench.scratch),
        capture_output=True,
        text=True,
        timeout=COPY_TIMEOUT_S,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"rmtui copy --to {target} failed: {completed.stderr.strip()[-600:]}")
    return time.perf_counter() - started


# Reading rmtui's SQL on the server and replaying it with plain psycopg


@contextmanager
def recording_psycopg() -> Iterator[list[tuple[Any, Any]]]:
    """Every statement psycopg runs meanwhile (through SQLAlchemy or rmtui's quick paths),
    with its parameters."""
    import psycopg

    statements: list[tuple[Any, Any]] = []
    run = psycopg.Cursor.execute

    def execute(cursor: Any, query: Any, params: Any = None, **options: Any) -> Any:
        statements.append((query, params))
        return run(cursor, query, params, **options)

    psycopg.Cursor.execute = execute  # type: ignore[method-assign]
    try:
        yield statements
    finally:
        psycopg.Cursor.execute = run  # type: ignore[method-assign]


def recorded_server_sql(engine: Any, work: Callable[[Any], Any]) -> list[tuple[Any, Any]]:
    """The reading statements `work(session)` has the server run, with their parameters, and
    the settings it gives their transaction (SET LOCAL)."""
    with recording_psycopg() as statements:
        in_session(engine, work)
    return [
        (query, params)
        for query, params in statements
        if str(query).lstrip().upper().startswith(("SELECT", "WITH", "SET LOCAL"))
    ]


def plain_psycopg(url: str) -> Any:
    """A psycopg connection to `url` taking Python strings untyped, as rmtui's quick paths
    give dates and moments as ISO text."""
    import psycopg
    from psycopg.types.string import StrDumperUnknown

    connection = psycopg.connect(url)
    connection.adapters.register_dumper(str, StrDumperUnknown)
    return connection


def replay_on_server(
    connection: Any, statements: list[tuple[Any, Any]], rows: int | None = None
) -> None:
    """Run `statements` in one transaction, reading every row of each or its first `rows`."""
    with connection.transaction(), connection.cursor() as cursor:
        for query, params in statements:
            cursor.execute(query, params)
            if cursor.description is not None:
                cursor.fetchall() if rows is None else cursor.fetchmany(rows)


# The figures


@contextmanager
def engines(bench: Bench, books: ServerBooks) -> Iterator[dict[str, Any]]:
    """rmtui engines on the SQLite book and the two server books."""
    from rmtui.core.db import open_book
    from rmtui.core.server import open_server_book

    opened = {
        "sqlite": open_book(bench.book),
        "server": open_server_book(books.url),
        "server_small": open_server_book(books.small_url),
    }
    try:
        yield opened
    finally:
        for engine in opened.values():
            engine.dispose()


def _timed_against_replay(
    engine: Any, url: str, work: Callable[[Any], Any], *, repeat: int, rows: int | None = None
) -> tuple[float, float, int]:
    """Median ms of `work` in an rmtui session and of its SQL replayed by plain psycopg."""
    statements = recorded_server_sql(engine, work)
    with plain_psycopg(url) as connection:
        ours_ms, replay_ms = paired_times_ms(
            partial(in_session, engine, work),
            partial(replay_on_server, connection, statements, rows),
            repeat=repeat,
        )
    return median(ours_ms), median(replay_ms), len(statements)


def _session_ms(engine: Any, work: Callable[[Any], Any], *, repeat: int) -> float:
    in_session(engine, work)
    return median([time_ms(partial(in_session, engine, work)) for _ in range(repeat)])


def data_figures(bench: Bench, books: ServerBooks) -> dict[str, Measured]:
    """KPIs, the agenda and the filter's queries on the server and on SQLite."""
    from rmtui.core.agenda import TODAY_LIMIT, build_agenda
    from rmtui.core.kpi import compute_kpis

    works: dict[str, tuple[Callable[[Any], Any], int | None]] = {
        "kpi_quarter": (partial(_kpis_in, compute_kpis, *quarter_of(TODAY)), None),
        "kpi_year": (partial(_kpis_in, compute_kpis, *year_of(TODAY)), None),
        "agenda": (partial(_agenda_in, build_agenda, TODAY, TODAY_LIMIT), TODAY_LIMIT),
        "agenda_all": (partial(_agenda_in, build_agenda, TODAY, None), None),
    }
    figures: dict[str, Measured] = {}
    with engines(bench, books) as opened:
        for key, (work, rows) in works.items():
            sqlite_ms = _session_ms(opened["sqlite"], work, repeat=bench.repeat)
            server_ms, replay_ms, count = _timed_against_replay(
                opened["server"], books.url, work, repeat=bench.repeat, rows=rows
            )
            figures[f"pg_{key}"] = Measured(server_ms, replay_ms, f"{count} statements")
            figures[f"pg_{key}_vs_sqlite"] = Measured(server_ms, sqlite_ms)
        figures.update(_filter_figures(bench, opened))
    return figures


def _filter_figures(bench: Bench, opened: dict[str, Any]) -> dict[str, Measured]:
    """One filter keystroke's queries (first page and count), 20 keys, p50 and p95."""
    found = {name: filter_times_ms(engine, repeat=bench.repeat) for name, engine in opened.items()}
    note = f"first {PAGE_ROWS} rows + count, 20 keys"
    page = median([time_ms(partial(in_session, opened["server"], _first_page)) for _ in range(3)])
    return {
        "pg_list_filter_p95": Measured(found["server"][1], found["server_small"][1], note),
        "pg_list_filter_p50_vs_sqlite": Measured(found["server"][0], found["sqlite"][0], note),
        "pg_list_filter_p95_vs_sqlite": Measured(found["server"][1], found["sqlite"][1], note),
        "pg_list_first_page": Measured(page, None, note),
    }


def _first_page(session: Any) -> tuple[int, int]:
    return client_page(session, None)


def screen_figures(bench: Bench, books: ServerBooks) -> dict[str, Measured]:
    """Start-up to Today painted, and a session on the Clients screen and the interaction log
    (filter keys, 20 page downs in each), in new processes on each book."""
    books_by_name = {
        "sqlite": str(bench.book),
        "server": books.url,
        "server_small": books.small_url,
    }
    startup: dict[str, list[float]] = {name: [] for name in books_by_name}
    sessions: dict[str, list[dict[str, Any]]] = {name: [] for name in books_by_name}
    for db in books_by_name.values():  # warm the caches
        run_probe("startup", scratch=bench.scratch, db=db)
    for _ in range(bench.repeat):
        for name, db in books_by_name.items():
            startup[name].append(run_probe("startup", scratch=bench.scratch, db=db)["startup_ms"])
    for _ in range(min(bench.repeat, 3)):
        for name, db in books_by_name.items():
            sessions[name].append(run_probe("session", scratch=bench.scratch, db=db))
    start = {name: median(times) for name, times in startup.items()}
    figures = {
        "pg_startup": Measured(start["server"], start["server_small"], "new process"),
        "pg_startup_vs_sqlite": Measured(start["server"], start["sqlite"], "new process"),
    }
    summaries: dict[str, tuple[str, Callable[[Any], float]]] = {
        "filter_p95": ("filter_ms", lambda keys: percentile(keys, 0.95)),
        "scroll_clients": ("clients_page_ms", sum),
        "scroll_log": ("log_page_ms", sum),
    }
    for key, (field, summary) in summaries.items():
        value = {
            name: median([summary(run[field]) for run in runs if field in run] or [float("nan")])
            for name, runs in sessions.items()
        }
        figures[f"pg_{key}"] = Measured(value["server"], value["server_small"])
        figures[f"pg_{key}_vs_sqlite"] = Measured(value["server"], value["sqlite"])
    return figures


def copy_figures(bench: Bench, books: ServerBooks) -> dict[str, Measured]:
    """The copies made to set the run up, against copying the same book to a new file."""
    started = time.perf_counter()
    copy_into(str(bench.book), str(bench.scratch / "copied.db"), bench)
    to_file_s = time.perf_counter() - started
    (bench.scratch / "copied.db").unlink(missing_ok=True)
    note = f"the 100-client book took {books.small_copy_s:.1f} s"
    return {"pg_copy": Measured(books.copy_s, to_file_s, note)}


def _spec(
    key: str, label: str, baseline: str, target: Target = NO_TARGET, unit: str = "ms"
) -> Spec:
    return Spec(key, label, unit, baseline, target)


def _pair(key: str, label: str, baseline: str, target: Target) -> tuple[Spec, Spec]:
    """The figure against its own kind of baseline, with its target, and against SQLite."""
    return (
        _spec(f"pg_{key}", f"{label}, PostgreSQL", baseline, target),
        _spec(f"pg_{key}_vs_sqlite", f"{label}, PostgreSQL vs SQLite", SAME_ON_SQLITE),
    )


AGENDA_TARGETS = {spec.key: spec.target for spec in AGENDA_GROUP.specs}
DATA_SPECS = (
    *_pair("kpi_quarter", "KPI set, quarter", REPLAYED_PSYCOPG, KPI_TARGET),
    *_pair("kpi_year", "KPI set, year", REPLAYED_PSYCOPG, KPI_TARGET),
    *_pair("agenda", "agenda as Today shows it", REPLAYED_PSYCOPG, AGENDA_TARGETS["agenda"]),
    *_pair("agenda_all", "agenda, every row", REPLAYED_PSYCOPG, AGENDA_TARGETS["agenda_all"]),
    _spec("pg_list_first_page", "client list first page, PostgreSQL", "—", at_most(50, "ms")),
    _spec(
        "pg_list_filter_p95",
        "filter keystroke p95 (queries), PostgreSQL",
        SERVER_SMALL,
        at_most(50, "ms"),
    ),
    _spec(
        "pg_list_filter_p50_vs_sqlite",
        "filter keystroke p50 (queries), PostgreSQL vs SQLite",
        SAME_ON_SQLITE,
    ),
    _spec(
        "pg_list_filter_p95_vs_sqlite",
        "filter keystroke p95 (queries), PostgreSQL vs SQLite",
        SAME_ON_SQLITE,
    ),
)
SCREEN_SPECS = (
    *_pair("startup", "start-up to Today painted", SERVER_SMALL, at_most_times(1.15)),
    *_pair("filter_p95", "filter keystroke p95", SERVER_SMALL, at_most(50, "ms")),
    *_pair("scroll_clients", "scroll: 20 page downs, clients", SERVER_SMALL, at_most_times(1.2)),
    *_pair("scroll_log", "scroll: 20 page downs, interactions", SERVER_SMALL, at_most_times(1.2)),
)
COPY_SPECS = (
    _spec(
        "pg_copy",
        "rmtui copy --to postgresql://…",
        "rmtui copy of the same book to a new file",
        unit="s",
    ),
)


@dataclass(frozen=True)
class ServerGroup:
    """Figures measured on the server books by one function."""

    specs: tuple[Spec, ...]
    measure: Callable[[Bench, ServerBooks], dict[str, Measured]]

    def bound(self, books: ServerBooks) -> Group:
        """The group as the benchmark runs it, on `books`."""
        return Group(self.specs, ("psycopg",), partial(_measure_on, self.measure, books))


def _measure_on(
    measure: Callable[[Bench, ServerBooks], dict[str, Measured]], books: ServerBooks, bench: Bench
) -> dict[str, Measured]:
    return measure(bench, books)


SERVER_GROUPS = (
    ServerGroup(COPY_SPECS, copy_figures),
    ServerGroup(DATA_SPECS, data_figures),
    ServerGroup(SCREEN_SPECS, screen_figures),
)
