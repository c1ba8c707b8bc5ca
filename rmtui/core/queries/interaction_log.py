"""The interaction log at any size: filters as SQL, a count, and blocks read by key or offset."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, event, func, literal_column, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from rmtui.core.models import Client, Interaction
from rmtui.core.queries.common import (
    after_key,
    contains_text,
    ordered,
    page_limit,
    table_of,
)
from rmtui.core.queries.interactions import (
    InteractionRow,
    interaction_filters,
    interaction_rows_query,
)

INTERACTION = table_of(Interaction)
CLIENT = table_of(Client)
# Newest first; the id breaks ties between interactions logged at the same moment.
LOG_ORDER = (INTERACTION.c.at, INTERACTION.c.id)
# A client name matching more clients than this is tested row by row while walking the log.
FEW_CLIENTS = 2000
# How long the newest rows are looked for by walking the log before one scan is cheaper.
WALK_BUDGET_S = 0.1
# A log this short (after filtering) is read whole when the scan finds it.
SMALL_LOG = 2000
# How many SQLite steps run between two looks at whether a query should stop.
STOP_CHECK_STEPS = 10_000
# How often, in seconds, a query on a server is looked at for whether it should stop.
STOP_CHECK_S = 0.02

LogKey = tuple[datetime, int]


class QueryStopped(Exception):
    """A query given up because its answer is no longer wanted or took too long."""


@dataclass(frozen=True)
class LogFilter:
    """What the interaction log is narrowed to; an empty field does not filter."""

    client_name: str = ""
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        """Whether nothing is filtered."""
        return self == LogFilter()


@dataclass(frozen=True)
class LogQuery:
    """A LogFilter made into SQL once: conditions to read rows by and to count them by (a
    client name matching many clients is best tested differently for each)."""

    conditions: tuple[ColumnElement[bool], ...] = ()
    count_conditions: tuple[ColumnElement[bool], ...] = ()


@dataclass(frozen=True)
class LogStart:
    """The newest rows of a log, and its total when finding them told it."""

    rows: list[InteractionRow]
    total: int | None


def log_query(*, session: Session, log_filter: LogFilter) -> LogQuery:
    """The SQL for `log_filter`; a client name matches clients having each of its words."""
    conditions = interaction_filters(
        kind=log_filter.kind,
        date_from=log_filter.date_from,
        date_to=log_filter.date_to,
        text=log_filter.text,
    )
    words = log_filter.client_name.split()
    if not words:
        return LogQuery(tuple(conditions), tuple(conditions))
    named = select(CLIENT.c.id).where(*(contains_text(CLIENT.c.name, word) for word in words))
    ids = list(session.execute(named.limit(page_limit(FEW_CLIENTS + 1))).scalars())
    if len(ids) <= FEW_CLIENTS:
        by_ids = INTERACTION.c.client_id.in_(ids)
        return LogQuery((*conditions, by_ids), (*conditions, by_ids))
    # Many clients: test each row while walking the log by date (`+ 0` keeps SQLite off the
    # client index, which would sort all their interactions for every block).
    walked = (INTERACTION.c.client_id + literal_column("0")).in_(named)
    return LogQuery((*conditions, walked), (*conditions, INTERACTION.c.client_id.in_(named)))


def log_key(row: InteractionRow) -> LogKey:
    """The position of a row in the log's order."""
    return (row.at, row.id)


def count_log(*, session: Session, query: LogQuery) -> int:
    """How many interactions the query lets through."""
    counted = select(func.count()).select_from(INTERACTION).where(*query.count_conditions)
    return int(session.execute(counted).scalar_one())


def newest_block(
    *,
    session: Session,
    query: LogQuery,
    limit: int,
    cancelled: Callable[[], bool] = lambda: False,
    budget_s: float = WALK_BUDGET_S,
) -> LogStart:
    """The newest `limit` rows of the log, and its total when that came for free.

    Walking the log from the newest row is immediate unless few rows match; after `budget_s`
    seconds one scan of the table is cheaper: it sorts and counts the matches in one pass,
    and returns up to SMALL_LOG rows (all of them for a short log).
    """
    deadline = time.monotonic() + budget_s
    try:
        with stopping_when(session, lambda: cancelled() or time.monotonic() > deadline):
            rows = log_block(session=session, query=query, offset=0, limit=limit)
    except QueryStopped:
        if cancelled():
            raise
        with stopping_when(session, cancelled):
            return _scanned_start(session, query)
    return LogStart(rows, len(rows) if len(rows) < limit else None)


def _scanned_start(session: Session, query: LogQuery) -> LogStart:
    """The newest SMALL_LOG rows and the total, by one scan (`+at` keeps SQLite off the index
    of `at`, whose walk is slow when matches are rare)."""
    scan = (
        interaction_rows_query()
        .add_columns(func.count().over())
        .where(*query.conditions)
        .order_by(literal_column("+interaction.at").desc(), INTERACTION.c.id.desc())
        .limit(page_limit(SMALL_LOG))
    )
    found = list(session.execute(scan))
    total = found[0][-1] if found else 0
    return LogStart([InteractionRow(*row[:-1]) for row in found], int(total))


def log_block(
    *,
    session: Session,
    query: LogQuery,
    offset: int,
    limit: int,
    total: int | None = None,
) -> list[InteractionRow]:
    """Rows `offset` .. `offset + limit` of the log, newest first, found by OFFSET.

    Only ids are skipped over (on the index of `at`), and when `total` is known the offset
    is counted from whichever end of the log is nearer.
    """
    from_end = total is not None and offset > total // 2
    if total is not None and from_end:
        limit = min(limit, total - offset)
        offset = max(total - offset - limit, 0)
    if limit <= 0:
        return []
    ids = (
        select(INTERACTION.c.id)
        .where(*query.conditions)
        .order_by(*ordered(LOG_ORDER, descending=not from_end))
        .limit(page_limit(limit))
        .offset(offset)
    )
    rows = interaction_rows_query().where(INTERACTION.c.id.in_(ids))
    return _run(session, rows.order_by(*ordered(LOG_ORDER, descending=True)))


def log_block_after(
    *, session: Session, query: LogQuery, key: LogKey, limit: int
) -> list[InteractionRow]:
    """The `limit` rows that follow the row at `key` in the log (older ones)."""
    rows = (
        interaction_rows_query()
        .where(*query.conditions, after_key(LOG_ORDER, key, descending=True))
        .order_by(*ordered(LOG_ORDER, descending=True))
        .limit(page_limit(limit))
    )
    return _run(session, rows)


def log_block_before(
    *, session: Session, query: LogQuery, key: LogKey, limit: int
) -> list[InteractionRow]:
    """The `limit` rows just before the row at `key` in the log (newer ones), newest first."""
    rows = (
        interaction_rows_query()
        .where(*query.conditions, after_key(LOG_ORDER, key, descending=False))
        .order_by(*ordered(LOG_ORDER, descending=False))
        .limit(page_limit(limit))
    )
    return _run(session, rows)[::-1]


def _run(session: Session, query: Select[Any]) -> list[InteractionRow]:
    return [InteractionRow(*row) for row in session.execute(query)]


@contextmanager
def stopping_when(session: Session, should_stop: Callable[[], bool]) -> Iterator[None]:
    """Let SQLite abandon the session's statements as soon as `should_stop()` is true.

    A statement stopped that way raises QueryStopped, so that a search nobody waits for any
    more (the user typed on) does not keep a thread busy scanning the book.
    """
    connection = session.connection().connection.driver_connection
    set_handler = getattr(connection, "set_progress_handler", None)
    if set_handler is None:
        with _stopping_on_server(session, connection, should_stop):
            yield
        return
    set_handler(lambda: int(should_stop()), STOP_CHECK_STEPS)
    try:
        yield
    except OperationalError:
        if should_stop():
            raise QueryStopped from None
        raise
    finally:
        set_handler(None, 0)


@contextmanager
def _stopping_on_server(
    session: Session, driver: Any, should_stop: Callable[[], bool]
) -> Iterator[None]:
    """stopping_when on PostgreSQL, which has no progress handler: a statement does not start
    once `should_stop()` is true, and one running then is cancelled (looked at every
    STOP_CHECK_S from another thread). The statements run in a savepoint, rolled back when
    one is stopped, so that the session's transaction goes on."""
    connection = session.connection()

    def refuse(*_args: Any) -> None:
        if should_stop():
            raise QueryStopped

    done = threading.Event()

    def watch() -> None:
        while not done.wait(STOP_CHECK_S):
            if should_stop():
                driver.cancel_safe()
                return

    savepoint = session.begin_nested()
    event.listen(connection, "before_cursor_execute", refuse)
    watcher = threading.Thread(target=watch, name="stopping-when", daemon=True)
    watcher.start()
    try:
        yield
    except (QueryStopped, OperationalError):
        done.set()
        savepoint.rollback()
        if should_stop():
            raise QueryStopped from None
        raise
    finally:
        done.set()
        watcher.join()
        event.remove(connection, "before_cursor_execute", refuse)
    savepoint.commit()
