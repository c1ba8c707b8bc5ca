"""The interaction log's queries: filters, counts, blocks by offset or key, the newest block."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from rmtui.core.models import INTERACTION_KINDS, Client, Interaction
from rmtui.core.queries import interaction_log
from rmtui.core.queries.interaction_log import (
    LogFilter,
    LogQuery,
    QueryStopped,
    count_log,
    log_block,
    log_block_after,
    log_block_before,
    log_key,
    log_query,
    newest_block,
    stopping_when,
)
from tests.factories import make

NAMES = ("Ada Lovelace", "Ada Smith", "Bram Smith", "Carla Mendes")
START = datetime(2026, 1, 1, 9, 0)


@pytest.fixture
def book(session: Session) -> Session:
    """Four clients and 300 interactions, several at the same moment."""
    rng = random.Random(7)
    ids = [make(session, Client, name=name).id for name in NAMES]
    for number in range(300):
        make(
            session,
            Interaction,
            client_id=ids[number % 4],
            at=START + timedelta(hours=(number // 3) * 7),
            kind=rng.choice(INTERACTION_KINDS),
            subject=f"Subject {number}" + (" pension" if number % 10 == 0 else ""),
            notes="Talked about the mortgage." if number % 15 == 0 else None,
        )
    return session


def whole_log(session: Session, query: LogQuery) -> list[int]:
    """Every id of the log, newest first, in one block."""
    return [row.id for row in log_block(session=session, query=query, offset=0, limit=10_000)]


def expected(session: Session, keep: Callable[[Interaction, str], bool]) -> list[int]:
    """The ids newest first of the interactions `keep(interaction, client_name)` lets through."""
    rows = session.exec(select(Interaction, Client.name).join(Client)).all()
    kept = [(row.at, row.id or 0) for row, name in rows if keep(row, name)]
    return [interaction_id for _at, interaction_id in sorted(kept, reverse=True)]


@pytest.mark.parametrize(
    ("log_filter", "keep"),
    [
        (LogFilter(), lambda row, name: True),
        (LogFilter(kind="call"), lambda row, name: row.kind == "call"),
        (
            LogFilter(text="PENSION"),
            lambda row, name: "pension" in row.subject,
        ),
        (
            LogFilter(text="mortgage"),
            lambda row, name: row.notes is not None,
        ),
        (LogFilter(client_name="smith"), lambda row, name: "Smith" in name),
        (LogFilter(client_name="ada smi"), lambda row, name: name == "Ada Smith"),
        (LogFilter(client_name="nobody"), lambda row, name: False),
        (
            LogFilter(date_from=date(2026, 1, 10), date_to=date(2026, 1, 20)),
            lambda row, name: date(2026, 1, 10) <= row.at.date() <= date(2026, 1, 20),
        ),
    ],
)
def test_filters_and_counts(
    book: Session, log_filter: LogFilter, keep: Callable[[Interaction, str], bool]
) -> None:
    query = log_query(session=book, log_filter=log_filter)
    wanted = expected(book, keep)
    assert whole_log(book, query) == wanted
    assert count_log(session=book, query=query) == len(wanted)


def test_a_name_matching_many_clients_filters_the_same(
    book: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    few = log_query(session=book, log_filter=LogFilter(client_name="smith"))
    monkeypatch.setattr(interaction_log, "FEW_CLIENTS", 1)
    many = log_query(session=book, log_filter=LogFilter(client_name="smith"))
    assert few.conditions != many.conditions
    assert whole_log(book, many) == whole_log(book, few)
    assert count_log(session=book, query=many) == count_log(session=book, query=few) == 150


@pytest.mark.parametrize("log_filter", [LogFilter(), LogFilter(kind="email")])
def test_blocks_by_offset_from_either_end_and_by_key_agree(
    book: Session, log_filter: LogFilter
) -> None:
    query = log_query(session=book, log_filter=log_filter)
    everything = whole_log(book, query)
    total = len(everything)
    size = 40
    for offset in range(0, total, size):
        block = everything[offset : offset + size]
        ids = [
            row.id
            for row in log_block(session=book, query=query, offset=offset, limit=size, total=total)
        ]
        assert ids == block
        if offset:
            before = everything[offset - 1]
            key = next(log_key(row) for row in _rows(book, query) if row.id == before)
            after = log_block_after(session=book, query=query, key=key, limit=size)
            assert [row.id for row in after] == block
        if offset + size < total:
            following = everything[offset + size]
            key = next(log_key(row) for row in _rows(book, query) if row.id == following)
            newer = log_block_before(session=book, query=query, key=key, limit=size)
            assert [row.id for row in newer] == block


def _rows(session: Session, query: LogQuery) -> list[interaction_log.InteractionRow]:
    return log_block(session=session, query=query, offset=0, limit=10_000)


@pytest.fixture
def checked_often(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let SQLite look at whether to stop at every step (a small book is done too soon)."""
    monkeypatch.setattr(interaction_log, "STOP_CHECK_STEPS", 1)


@pytest.mark.usefixtures("checked_often")
def test_newest_block_walks_or_scans_to_the_same_rows(book: Session) -> None:
    query = log_query(session=book, log_filter=LogFilter(text="pension"))
    walked = newest_block(session=book, query=query, limit=10, budget_s=60)
    assert walked.total is None  # a full block: the count comes later
    scanned = newest_block(session=book, query=query, limit=10, budget_s=0)
    assert scanned.total == 30
    assert [row.id for row in scanned.rows] == whole_log(book, query)
    assert scanned.rows[:10] == walked.rows


def test_newest_block_of_a_short_log_tells_its_total(book: Session) -> None:
    query = log_query(session=book, log_filter=LogFilter(text="mortgage"))
    start = newest_block(session=book, query=query, limit=200)
    assert start.total == len(start.rows) == 20


@pytest.mark.usefixtures("checked_often")
def test_a_stopped_query_raises_query_stopped(book: Session) -> None:
    query = log_query(session=book, log_filter=LogFilter(text="pension"))
    with pytest.raises(QueryStopped), stopping_when(book, lambda: True):
        count_log(session=book, query=query)
    with stopping_when(book, lambda: False):
        assert count_log(session=book, query=query) == 30
    with pytest.raises(QueryStopped):
        newest_block(session=book, query=query, limit=10, cancelled=lambda: True)
