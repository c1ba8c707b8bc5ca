"""Figures of the data core: KPIs, the agenda and the client list, each against a baseline."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from typing import Any

from benchmarks.bench import Bench, Group
from benchmarks.rawsql import agenda_ids, disagreements, raw_agenda, raw_kpis
from benchmarks.report import Measured, Spec, at_most, at_most_times
from benchmarks.synth import TODAY
from benchmarks.timing import median, paired_times_ms, percentile, time_ms, times_ms

KPI_TARGET = at_most_times(2, limit=150, unit="ms")
REPLAYED = "its own SQL replayed by sqlite3"


@contextmanager
def opened(bench_book: Any) -> Iterator[tuple[Any, sqlite3.Connection]]:
    """An rmtui engine and a plain sqlite3 connection on the same book file."""
    from rmtui.core.db import open_book

    engine = open_book(bench_book)
    conn = sqlite3.connect(bench_book)
    try:
        yield engine, conn
    finally:
        conn.close()
        engine.dispose()


def in_session(engine: Any, work: Callable[[Any], Any]) -> Any:
    """Run `work(session)` in one rmtui session, as the CLI and the screens do."""
    from rmtui.core.db import session_scope

    with session_scope(engine) as session:
        return work(session)


# KPIs


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of the quarter holding `day`."""
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    end_month = first_month + 2
    following = date(day.year + end_month // 12, end_month % 12 + 1, 1)
    return start, date.fromordinal(following.toordinal() - 1)


def year_of(day: date) -> tuple[date, date]:
    """The first and last day of the year holding `day`."""
    return date(day.year, 1, 1), date(day.year, 12, 31)


def rmtui_kpis(engine: Any, start: date, end: date) -> dict[str, Any]:
    """The KPIs as rmtui computes them, in one session."""
    from rmtui.core.kpi import compute_kpis

    return dict(in_session(engine, partial(_kpis_in, compute_kpis, start, end)))


def _kpis_in(compute: Any, start: date, end: date, session: Any) -> Any:
    return compute(session=session, start=start, end=end)


def recorded_sql(engine: Any, work: Callable[[Any], Any]) -> list[str]:
    """The statements `work(session)` has SQLite run, with their values written in (SQLite's
    expanded SQL): rmtui's own SQL, to be replayed by plain sqlite3."""
    from rmtui.core.db import session_scope

    statements: list[str] = []
    with session_scope(engine) as session:
        driver = session.connection().connection.driver_connection
        assert driver is not None  # a connection checked out of the pool has its driver's
        driver.set_trace_callback(statements.append)
        try:
            work(session)
        finally:
            driver.set_trace_callback(None)
    return [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def replay(conn: sqlite3.Connection, statements: list[str]) -> None:
    """Run `statements` in one read transaction on a plain sqlite3 connection, reading every
    row of each (a query read only in part is replayed by replay_reads)."""
    conn.execute("BEGIN")
    try:
        for sql in statements:
            conn.execute(sql).fetchall()
    finally:
        conn.execute("COMMIT")


class CountedReads:
    """A DB-API connection that notes each statement run on it, with its parameters and how
    many of its rows were read: what rmtui reads, to be read again as far by plain sqlite3."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.reads: list[list[Any]] = []  # [sql, parameters, rows read]

    def cursor(self) -> _CountedCursor:
        return _CountedCursor(self.connection.cursor(), self.reads)

    def execute(self, sql: str, parameters: Any = ()) -> _CountedCursor:
        return self.cursor().execute(sql, parameters)


class _CountedCursor:
    def __init__(self, cursor: Any, reads: list[list[Any]]) -> None:
        self.cursor, self.reads = cursor, reads
        self.read: list[Any] = []

    def execute(self, sql: str, parameters: Any = ()) -> _CountedCursor:
        self.read = [sql, parameters, 0]
        self.reads.append(self.read)
        self.cursor.execute(sql, parameters)
        return self

    @property
    def description(self) -> Any:
        return self.cursor.description

    def fetchone(self) -> Any:
        row = self.cursor.fetchone()
        self.read[2] += row is not None
        return row

    def fetchmany(self, size: int | None = None) -> list[Any]:
        rows = self.cursor.fetchmany() if size is None else self.cursor.fetchmany(size)
        return self._counted(rows)

    def fetchall(self) -> list[Any]:
        return self._counted(self.cursor.fetchall())

    def __iter__(self) -> Iterator[Any]:
        for row in self.cursor:
            self.read[2] += 1
            yield row

    def close(self) -> None:
        self.cursor.close()

    def _counted(self, rows: list[Any]) -> list[Any]:
        self.read[2] += len(rows)
        return rows


def replay_reads(conn: sqlite3.Connection, reads: list[list[Any]]) -> None:
    """Run the `reads` of CountedReads in one read transaction on a plain sqlite3 connection,
    each with its parameters, reading as many of its rows as rmtui read."""
    conn.execute("BEGIN")
    try:
        for sql, parameters, rows in reads:
            conn.execute(sql, parameters).fetchmany(rows)
    finally:
        conn.execute("COMMIT")


def kpi_figures(bench: Bench) -> dict[str, Measured]:
    """compute_kpis for this quarter and this year against the very SQL it runs, replayed by
    plain sqlite3 in one transaction; its values are checked against hand-written SQL that
    reads the rows themselves (timed once, in the note)."""
    periods = {"kpi_quarter": quarter_of(TODAY), "kpi_year": year_of(TODAY)}
    results: dict[str, Measured] = {}
    with opened(bench.book) as (engine, conn):
        for key, (start, end) in periods.items():
            ours = partial(rmtui_kpis, engine, start, end)
            statements = recorded_sql(engine, partial(_kpis_in, _compute_kpis(), start, end))
            ours_ms, replay_ms = paired_times_ms(
                ours, partial(replay, conn, statements), repeat=bench.repeat
            )
            naive_ms = time_ms(partial(raw_kpis, conn, start, end))
            differ = disagreements(ours(), raw_kpis(conn, start, end))
            agree = "values agree" if not differ else "VALUES DIFFER: " + "; ".join(differ)
            note = f"{len(statements)} statements; {agree} with naive SQL ({naive_ms:,.0f} ms)"
            results[key] = Measured(median(ours_ms), median(replay_ms), note)
    return results


def _compute_kpis() -> Any:
    from rmtui.core.kpi import compute_kpis

    return compute_kpis


def trends_in(unit: str, session: Any) -> list[list[Any]]:
    """The dashboard's trend charts for the 12 `unit`s up to TODAY's, as it reads them: a
    query a chart, in one session, the current period to date."""
    from rmtui.core.kpi import kpi_trend
    from rmtui.core.kpi_board import TREND_KEYS
    from rmtui.core.periods import period_containing, trend_periods

    points = trend_periods(period_containing(TODAY, unit), unit, 12)
    return [kpi_trend(session=session, key=key, periods=points, today=TODAY) for key in TREND_KEYS]


def trend_figures(bench: Bench) -> dict[str, Measured]:
    """The dashboard's six 12-period charts by quarter and by year, against their SQL
    replayed by plain sqlite3."""
    results: dict[str, Measured] = {}
    with opened(bench.book) as (engine, conn):
        for key, unit in (("kpi_trends_quarter", "quarter"), ("kpi_trends_year", "year")):
            work = partial(trends_in, unit)
            statements = recorded_sql(engine, work)
            ours_ms, replay_ms = paired_times_ms(
                partial(in_session, engine, work),
                partial(replay, conn, statements),
                repeat=bench.repeat,
            )
            note = f"{len(statements)} statements for 6 charts"
            results[key] = Measured(median(ours_ms), median(replay_ms), note)
    return results


def kpi_and_trend_figures(bench: Bench) -> dict[str, Measured]:
    return {**kpi_figures(bench), **trend_figures(bench)}


TRENDS_TARGET = at_most_times(2, limit=300, unit="ms")
KPI_GROUP = Group(
    specs=(
        Spec("kpi_quarter", "KPI set, quarter", "ms", REPLAYED, KPI_TARGET),
        Spec("kpi_year", "KPI set, year", "ms", REPLAYED, KPI_TARGET),
        Spec("kpi_trends_quarter", "KPI trend charts, 12 quarters", "ms", REPLAYED, TRENDS_TARGET),
        Spec("kpi_trends_year", "KPI trend charts, 12 years", "ms", REPLAYED, TRENDS_TARGET),
    ),
    needs=("rmtui.core.kpi:compute_kpis", "rmtui.core.kpi:kpi_trend"),
    measure=kpi_and_trend_figures,
)


# The client list

PAGE_ROWS = 50
# The filter text after each of 20 keystrokes: words typed and rubbed out, as in the probe.
FILTER_TEXTS = (
    "m",
    "ma",
    "mar",
    "ma",
    "m",
    "",
    "s",
    "so",
    "son",
    "so",
    "s",
    "",
    "b",
    "be",
    "ber",
    "be",
    "b",
    "",
    "l",
    "li",
)


def client_page(session: Any, text: str | None) -> tuple[int, int]:
    """What the Clients screen needs for one filter text: the first page and the total,
    counted as far as the screen counts it."""
    from rmtui.core.queries.clients import (
        ClientFilter,
        count_clients,
        count_limit,
        list_clients,
    )

    page = list_clients(session=session, client_filter=ClientFilter(text=text), limit=PAGE_ROWS)
    at_most = count_limit(session=session, text=text)
    return len(page), count_clients(
        session=session, client_filter=ClientFilter(text=text), at_most=at_most
    )


def filter_times_ms(engine: Any, *, repeat: int) -> tuple[float, float, list[float]]:
    """p50 and p95 of one keystroke's queries over FILTER_TEXTS (medians over `repeat` runs)."""
    from rmtui.core.db import session_scope

    p50s, p95s = [], []
    with session_scope(engine) as session:
        for _ in range(repeat + 1):
            keys = [time_ms(partial(client_page, session, text or None)) for text in FILTER_TEXTS]
            p50s.append(percentile(keys, 0.5))
            p95s.append(percentile(keys, 0.95))
    return median(p50s[1:]), median(p95s[1:]), keys


def first_page_ms(engine: Any, *, repeat: int) -> float:
    """Median time of the unfiltered first page and total, each in a new session."""
    return median(times_ms(partial(in_session, engine, partial(_first_page)), repeat=repeat))


def _first_page(session: Any) -> tuple[int, int]:
    return client_page(session, None)


def client_list_figures(bench: Bench) -> dict[str, Measured]:
    """list_clients + count_clients: first page and filter keystrokes, against 100 clients."""
    with opened(bench.book) as (engine, _conn), opened(bench.small_book) as (small, _small_conn):
        page = first_page_ms(engine, repeat=bench.repeat), first_page_ms(small, repeat=bench.repeat)
        book_p50, book_p95, _ = filter_times_ms(engine, repeat=bench.repeat)
        small_p50, small_p95, _ = filter_times_ms(small, repeat=bench.repeat)
    note = f"first {PAGE_ROWS} rows + count"
    return {
        "list_first_page": Measured(page[0], page[1], note),
        "list_filter_p50": Measured(book_p50, small_p50, f"{note}, 20 keys"),
        "list_filter_p95": Measured(book_p95, small_p95, f"{note}, 20 keys"),
    }


CLIENT_LIST_GROUP = Group(
    specs=(
        Spec(
            "list_first_page",
            "client list first page (queries)",
            "ms",
            "same at 100 clients",
            at_most(50, "ms"),
        ),
        Spec(
            "list_filter_p50", "client filter keystroke p50 (queries)", "ms", "same at 100 clients"
        ),
        Spec(
            "list_filter_p95",
            "client filter keystroke p95 (queries)",
            "ms",
            "same at 100 clients",
            at_most(50, "ms"),
        ),
    ),
    needs=(
        "rmtui.core.queries.clients:list_clients",
        "rmtui.core.queries.clients:count_clients",
        "rmtui.core.queries.clients:count_limit",
    ),
    measure=client_list_figures,
)


# The agenda


def rmtui_agenda(engine: Any, day: date, limit: int | None) -> Any:
    """The Today list as rmtui builds it, in one session, ranked by the default urgency
    coefficients (the raw SQL's; whatever config.toml says)."""
    from rmtui.core.agenda import build_agenda

    return in_session(engine, partial(_agenda_in, build_agenda, day, limit))


def _agenda_in(build: Any, day: date, limit: int | None, session: Any) -> Any:
    """The agenda as Today reads it with a `limit` (its counts up to TODAY_COUNTED), else
    whole as `rmtui agenda` does."""
    from rmtui.core.agenda import TODAY_COUNTED
    from rmtui.core.urgency import DEFAULT_COEFFICIENTS

    return build(
        session=session,
        day=day,
        limit=limit,
        coefficients=DEFAULT_COEFFICIENTS,
        count_up_to=TODAY_COUNTED if limit is not None else None,
    )


def agenda_figures(bench: Bench) -> dict[str, Measured]:
    """The agenda for today as the Today screen reads it (the first rows of each section and
    its total up to TODAY_COUNTED), and whole as `rmtui agenda` prints it, against the very SQL
    it runs, replayed by plain sqlite3 in one transaction; its rows are checked against
    hand-written SQL that ranks every row of each section (timed once, in the note)."""
    from rmtui.core.agenda import TODAY_COUNTED, TODAY_LIMIT

    figures = {}
    with opened(bench.book) as (engine, conn):
        for key, limit in (("agenda", TODAY_LIMIT), ("agenda_all", None)):
            ours = partial(rmtui_agenda, engine, TODAY, limit)
            statements = agenda_reads(engine, limit)
            # Each query read as far as rmtui reads it: the check-ins' two as far as their
            # rows are merged, the clients' terms whole.
            again = partial(replay_reads, conn, statements)
            ours_ms, replay_ms = paired_times_ms(ours, again, repeat=bench.repeat)
            counted = TODAY_COUNTED if limit is not None else None
            raw = partial(raw_agenda, conn, TODAY, limit, counted)
            naive_ms = time_ms(raw)
            agreement = _agenda_agreement(ours(), raw())
            note = f"{len(statements)} statements; {agreement}; naive SQL {naive_ms:,.0f} ms"
            figures[key] = Measured(median(ours_ms), median(replay_ms), note)
    return figures


def agenda_reads(engine: Any, limit: int | None) -> list[list[Any]]:
    """The statements the agenda runs, read as _agenda_in reads it (see CountedReads)."""
    from rmtui.core.agenda import read_agenda
    from rmtui.core.db import session_scope
    from rmtui.core.db_api import of_session

    def read(session: Any, **given: Any) -> Any:
        return read_agenda(counted, **given)

    with session_scope(engine) as session:
        counted = CountedReads(of_session(session))
        _agenda_in(read, TODAY, limit, session)
    return counted.reads


def _agenda_agreement(ours: Any, raw: dict[str, Any]) -> str:
    """Whether rmtui's agenda lists the rows the raw SQL does, with the same totals."""
    expected = agenda_ids({name: rows for name, rows in raw.items() if name in ours.totals})
    found = agenda_ids({name: items for name, _title, items in ours.sections()})
    differ = [name for name in expected if found.get(name) != expected[name]]
    totals = {name: raw.get(f"{name}_total", [(len(raw[name]),)])[0][0] for name in expected}
    differ += [
        f"{name} total" for name, total in totals.items() if not _same_total(ours, name, total)
    ]
    sizes = ", ".join(f"{name} {len(expected[name]):,} of {totals[name]:,}" for name in expected)
    agree = "same rows as naive SQL" if not differ else "ROWS DIFFER in " + ", ".join(differ)
    return f"{agree} ({sizes})"


def _same_total(ours: Any, name: str, total: int) -> bool:
    """Whether rmtui's total of the section `name` is the raw SQL's: the same count, or, for a
    section counted so far only, the limit reached by both."""
    if ours.counted(name):
        return bool(ours.total(name) == total)
    return bool(total >= ours.total(name))


AGENDA_GROUP = Group(
    specs=(
        Spec(
            "agenda",
            "agenda for today, as Today shows it",
            "ms",
            f"{REPLAYED}; the rows Today lists of each section, and its total up to 1,000",
            at_most_times(2, limit=50, unit="ms"),
        ),
        Spec(
            "agenda_all",
            "agenda for today, every row",
            "ms",
            f"{REPLAYED}; every row, as `rmtui agenda` prints it",
            at_most_times(2),
        ),
    ),
    needs=("rmtui.core.agenda:build_agenda", "rmtui.core.agenda:TODAY_LIMIT"),
    measure=agenda_figures,
)


# The pipeline forecast

# The open deals' value and weighted value by expected close month, by plain sqlite3 SQL.
RAW_FORECAST_SQL = """
    SELECT strftime('%Y-%m', o.expected_close_on), count(*), sum(o.value),
        sum(o.value * coalesce(o.probability, CASE o.stage WHEN 'lead' THEN 10
            WHEN 'qualified' THEN 25 WHEN 'proposal' THEN 50 ELSE 75 END))
    FROM opportunity AS o JOIN client AS c ON c.id = o.client_id
    WHERE o.stage IN ('lead', 'qualified', 'proposal', 'negotiation') AND NOT c.archived
    GROUP BY 1"""


def rmtui_forecast(engine: Any, day: date) -> tuple[Any, Any, int]:
    """What the forecast screen reads: the months, its first block of deals and their count."""
    return in_session(engine, partial(forecast_in, day))


def forecast_in(day: date, session: Any) -> tuple[Any, Any, int]:
    """The forecast screen's reads in `session`."""
    from rmtui.core.queries.forecast import count_open_deals, forecast_months, open_deals
    from rmtui.widgets.virtual_table import BLOCK_SIZE

    months = forecast_months(session=session, day=day)
    deals = open_deals(session=session, limit=BLOCK_SIZE)
    return months, deals, count_open_deals(session=session)


def rmtui_board(engine: Any, day: date) -> tuple[Any, Any, Any]:
    """What the Pipeline screen reads as it opens: every stage's totals, the first block of
    the first stage's deals and the year's win rate."""
    from rmtui.core.queries.pipeline_stats import stage_deals, stage_summaries, win_stats
    from rmtui.widgets.virtual_table import BLOCK_SIZE

    since = date(day.year, 1, 1)

    def read(session: Any) -> tuple[Any, Any, Any]:
        return (
            stage_summaries(session=session, closed_since=since),
            stage_deals(session=session, stage="lead", closed_since=since, limit=BLOCK_SIZE - 1),
            win_stats(session=session, start=since, end=day),
        )

    return in_session(engine, read)


def forecast_figures(bench: Bench) -> dict[str, Measured]:
    """The pipeline forecast as its screen reads it, vs its own SQL replayed by plain sqlite3
    (its month sums checked against plain SQL over the deals, timed once, in the note), and vs
    the same read of the 100-client book."""
    with opened(bench.book) as (engine, conn), opened(bench.small_book) as (small, _small_conn):
        ours = partial(rmtui_forecast, engine, TODAY)
        statements = recorded_sql(engine, partial(forecast_in, TODAY))
        ours_ms, replay_ms = paired_times_ms(
            ours, partial(replay, conn, statements), repeat=bench.repeat
        )
        months, _deals, count = ours()
        naive_ms = time_ms(lambda: conn.execute(RAW_FORECAST_SQL).fetchall())
        same = {row[0]: (row[1], row[2]) for row in conn.execute(RAW_FORECAST_SQL)} == {
            (None if m.month is None else f"{m.month:%Y-%m}"): (m.deals, int(m.value * 100))
            for m in months
        }
        note = (
            f"{len(statements)} statements; {'same' if same else 'DIFFERENT'} month sums as"
            f" plain SQL over the deals ({naive_ms:,.0f} ms); {count:,} open deals"
        )
        theirs = partial(rmtui_forecast, small, TODAY)
        book_ms, small_ms = paired_times_ms(ours, theirs, repeat=bench.repeat)
        small_count = theirs()[2]
        board = partial(rmtui_board, engine, TODAY), partial(rmtui_board, small, TODAY)
        board_ms, small_board_ms = paired_times_ms(*board, repeat=bench.repeat)
        deals = sum(stage.count + stage.older for stage in board[0]()[0])
        small_deals = sum(stage.count + stage.older for stage in board[1]()[0])
        return {
            "pipeline_board": Measured(
                median(board_ms),
                median(small_board_ms),
                f"stage totals + first block of deals + win rate;"
                f" {deals:,} vs {small_deals:,} deals",
            ),
            "forecast": Measured(median(ours_ms), median(replay_ms), note),
            "forecast_small": Measured(
                median(book_ms),
                median(small_ms),
                f"{count:,} vs {small_count:,} open deals; no target: the small book fills"
                " neither the first block nor the window's days",
            ),
        }


FORECAST_GROUP = Group(
    specs=(
        Spec(
            "pipeline_board",
            "pipeline board, as its screen reads it opening (queries)",
            "ms",
            "same at 100 clients",
            at_most(50, "ms"),
        ),
        Spec(
            "forecast",
            "pipeline forecast, as its screen reads it",
            "ms",
            f"{REPLAYED}; the months, the first block of deals and their count",
            at_most_times(2, limit=100, unit="ms"),
        ),
        # No target: the forecast reads at most a block of deals per stage and a roll-up row
        # per stage and day of its window, which a 100-client book (9 open deals over six
        # months) does not fill. Once a book fills them its cost stops growing: 100,000 and
        # 1,000,000 clients differ by under 1.2x.
        Spec(
            "forecast_small",
            "pipeline forecast, as its screen reads it, vs a small book",
            "ms",
            "same at 100 clients",
        ),
    ),
    needs=(
        "rmtui.core.queries.forecast:forecast_months",
        "rmtui.core.queries.pipeline_stats:stage_summaries",
        "rmtui.widgets.virtual_table:BLOCK_SIZE",
    ),
    measure=forecast_figures,
)
