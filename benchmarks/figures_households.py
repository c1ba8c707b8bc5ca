"""Figures of households and contact persons: the household view, and the client filter
finding a client through one of its people, each against the same in the 100-client book."""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import Any

from benchmarks.bench import Bench, Group
from benchmarks.figures_data import client_page, in_session, opened
from benchmarks.report import Measured, Spec, at_most
from benchmarks.synth import TODAY
from benchmarks.timing import median, times_ms

# The largest household, and the name of a person at a business, as the book holds them.
LARGEST_HOUSEHOLD = """
    SELECT household_id FROM household_member
    GROUP BY household_id ORDER BY count(*) DESC, household_id LIMIT 1"""
A_CONTACT_PERSON = """
    SELECT name FROM contact_person ORDER BY id
    LIMIT 1 OFFSET (SELECT count(*) / 2 FROM contact_person)"""
MEMBERS = "SELECT count(*) FROM household_member WHERE household_id = ?"


def household_view(session: Any, household_id: int) -> int:
    """What the household view reads: members, assets and trend, open items, and the first
    block of the timeline with its count."""
    from rmtui.core.queries.households import household_log, read_household
    from rmtui.core.queries.interaction_log import count_log, newest_block

    view = read_household(session=session, household_id=household_id, day=TODAY)
    if view is None:
        return 0
    timeline = household_log(member_ids=view.member_ids)
    first = newest_block(session=session, query=timeline, limit=100)
    return first.total if first.total is not None else count_log(session=session, query=timeline)


def _one(conn: sqlite3.Connection, sql: str) -> Any:
    row = conn.execute(sql).fetchone()
    return None if row is None else row[0]


def _view_ms(engine: Any, household_id: int | None, repeat: int) -> float | None:
    if household_id is None:
        return None
    work = partial(in_session, engine, partial(_view_in, household_id))
    return median(times_ms(work, repeat=repeat))


def _view_in(household_id: int, session: Any) -> int:
    return household_view(session, household_id)


def _filter_ms(engine: Any, name: str | None, repeat: int) -> float | None:
    if not name:
        return None
    work = partial(in_session, engine, partial(_person_filter, name))
    return median(times_ms(work, repeat=repeat))


def _person_filter(name: str, session: Any) -> tuple[int, int]:
    found = client_page(session, name)
    if not found[0]:
        raise AssertionError(f"the filter {name!r} found no client")
    return found


def household_figures(bench: Bench) -> dict[str, Measured]:
    """The household view of the largest household, and the filter by a person's name."""
    with opened(bench.book) as (engine, conn), opened(bench.small_book) as (small, small_conn):
        big_id, small_id = _one(conn, LARGEST_HOUSEHOLD), _one(small_conn, LARGEST_HOUSEHOLD)
        view = _view_ms(engine, big_id, bench.repeat), _view_ms(small, small_id, bench.repeat)
        name, small_name = _one(conn, A_CONTACT_PERSON), _one(small_conn, A_CONTACT_PERSON)
        found = _filter_ms(engine, name, bench.repeat), _filter_ms(small, small_name, bench.repeat)
        members = conn.execute(MEMBERS, (big_id,)).fetchone()[0]
    return {
        "household_view": Measured(view[0], view[1], f"household of {members} members"),
        "filter_by_person": Measured(found[0], found[1], f"filter “{name}”, first page + count"),
    }


HOUSEHOLD_GROUP = Group(
    specs=(
        Spec(
            "household_view",
            "household view (queries)",
            "ms",
            "same at 100 clients",
            at_most(50, "ms"),
        ),
        Spec(
            "filter_by_person",
            "client filter by a contact person's name",
            "ms",
            "same at 100 clients",
            at_most(50, "ms"),
        ),
    ),
    needs=(
        "rmtui.core.queries.households:read_household",
        "rmtui.core.queries.contact_persons:contact_persons_of",
    ),
    measure=household_figures,
)
