"""The Today list: follow-ups, check-ins, cases and birthdays due on a day, each section read
through an index, whole or up to a limit with its full count.

The sections are plain SQL run on a DB-API connection, so the Today screen can show them
before SQLAlchemy and the models are loaded (start-up reads them with the standard
library's sqlite3); `build_agenda` runs the same SQL inside a session.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, time, timedelta
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text, today
from rmtui.core.db_api import of_session, on_server
from rmtui.core.figures import count_text, urgency_text
from rmtui.core.people import mine_of, mine_sql
from rmtui.core.rules import (
    active_on_sql,
    birthday_month_day_sql,
    cadence_sql,
    checkin_contact_sql,
    checkin_due_sql,
    day_params,
    due_for_checkin_sql,
    household_checkin_due_sql,
    household_contact_as_of_sql,
    last_contact_as_of_sql,
    not_high_priority_sql,
    review_cadence_sql,
    review_due_sql,
    shared_household_sql,
)
from rmtui.core.translation import N_, _, ngettext
from rmtui.core.urgency import (
    DEFAULT_COEFFICIENTS,
    NO_URGENCY,
    Coefficients,
    TermValues,
    Urgency,
    Weighing,
    exact_coefficients,
    tier_term,
)
from rmtui.core.wording import ago_text, days_text

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.orm import Session

    from rmtui.core.settings import Settings

TODAY_LIMIT = 50  # the Today screen lists at most this many items a section
# ... and counts a section's items up to this many ("1,000+"), so its counts cost as much in a
# large book as in a small one.
TODAY_COUNTED = 1_000
# A section's items are ranked by urgency this many at a time, taken in the order of their
# section's clock (most overdue first): so Today's page, `rmtui agenda` and the digest agree.
RANKED_TOGETHER = TODAY_LIMIT
UPCOMING_DAYS = 7  # upcoming: follow-ups due in the 7 days after the day
CASE_WARNING_DAYS = 2  # cases: overdue or due within 2 days
BIRTHDAY_DAYS = 7  # birthdays: the day and the 6 after it
REVIEW_NOTICE_DAYS = 14  # reviews: overdue or due within two weeks, to prepare them
SECTIONS = (
    ("overdue", N_("Overdue follow-ups")),
    ("due_today", N_("Follow-ups due today")),
    ("checkins_due", N_("Check-ins due")),
    ("reviews_due", N_("Reviews due")),
    ("cases_due", N_("Requests and complaints due")),
    ("birthdays", N_("Birthdays this week")),
    ("upcoming", N_("Coming up in 7 days")),
)


class Connection(Protocol):
    """A DB-API connection: sqlite3's, SQLCipher's, or the one under a session."""

    def cursor(self) -> Any: ...


class FollowUpItem(NamedTuple):
    """An open follow-up on the agenda; client_id and client_name are None for one's own."""

    id: int
    title: str
    due_on: date
    priority: str
    client_id: int | None
    client_name: str | None
    due_at: time | None = None  # the time of day, when it has one
    repeat: str | None = None  # its repeat rule (core/repeats.py)
    urgency: Urgency = NO_URGENCY


class CheckinItem(NamedTuple):
    """A client due for a check-in: no contact for at least their cadence."""

    client_id: int
    name: str
    tier: str
    last_contact_on: date | None
    days_since: int  # since the last contact, or since client_since when never contacted
    cadence: int
    days_overdue: int  # 0 on the day the check-in falls due
    # The household the check-in is asked for once, when the client's shares check-ins.
    household_id: int | None = None
    household: str | None = None
    urgency: Urgency = NO_URGENCY


class ReviewItem(NamedTuple):
    """A client whose periodic review is overdue or comes within REVIEW_NOTICE_DAYS."""

    client_id: int
    name: str
    tier: str
    due_on: date
    every_months: int
    counts_from: str  # review, meeting or client since (rules.review_counts_from)
    since: date  # the day it counts from
    days_left: int  # negative when overdue
    urgency: Urgency = NO_URGENCY

    @property
    def id(self) -> int:
        """The client's id: a list of reviews has a row per client."""
        return self.client_id


class CaseItem(NamedTuple):
    """An open request or complaint near or past its deadline."""

    id: int
    client_id: int
    client_name: str
    kind: str
    subject: str
    due_on: date
    days_left: int  # negative when overdue; business days for a business-day clock
    business_days: bool = False  # its clock counts business days (core/case_clocks.py)
    urgency: Urgency = NO_URGENCY


class BirthdayItem(NamedTuple):
    """A client's birthday in the coming week and the age they turn."""

    client_id: int
    name: str
    birthday: date
    on: date
    turns: int
    urgency: Urgency = NO_URGENCY


class Agenda(NamedTuple):
    """The Today list for one day, section by section.

    A section may hold only its first items (see build_agenda's `limit`); `totals` has how
    many it has in all.
    """

    day: date
    overdue: tuple[FollowUpItem, ...]
    due_today: tuple[FollowUpItem, ...]
    checkins_due: tuple[CheckinItem, ...]
    reviews_due: tuple[ReviewItem, ...]
    cases_due: tuple[CaseItem, ...]
    birthdays: tuple[BirthdayItem, ...]
    upcoming: tuple[FollowUpItem, ...]
    totals: Mapping[str, int] = MappingProxyType({})
    # The sections counted only up to a limit: they have at least their total.
    counted_so_far: frozenset[str] = frozenset()
    mark: int = 0  # the book's change mark when it was read (rmtui.core.changes)
    # The coefficients the items were ranked by, and why config.toml could not be read, when
    # it could not (the defaults were used).
    coefficients: Coefficients = DEFAULT_COEFFICIENTS
    settings_problem: str | None = None

    def sections(self) -> list[tuple[str, str, tuple[Any, ...]]]:
        """(key, title, items) of every section, in the order they are shown."""
        return [(key, title, getattr(self, key)) for key, title in SECTIONS]

    def total(self, key: str) -> int:
        """How many items the section `key` has in all, listed or not."""
        return self.totals.get(key, len(getattr(self, key)))

    def counted(self, key: str) -> bool:
        """Whether the section `key` was counted in full (else it has at least its total)."""
        return key not in self.counted_so_far

    def total_text(self, key: str) -> str:
        """How many items the section `key` has, as shown: 1,234, or 1,000+ when counted so
        far only."""
        return count_text(self.total(key)) + ("" if self.counted(key) else "+")

    def not_listed(self, key: str) -> int:
        """How many items of the section `key` were left out by the limit."""
        return self.total(key) - len(getattr(self, key))

    @property
    def is_empty(self) -> bool:
        """True when nothing at all is on the agenda."""
        return not any(self.total(key) for key, _title in SECTIONS)


class Count(NamedTuple):
    """How a section's items are counted: SQL of one row of `columns` values, read with the
    counts of the other sections in one statement, and the total `of` that row. Sections
    whose counts are the same SQL share its reading."""

    sql: str
    of: Callable[[Sequence[Any]], int] = lambda row: int(row[0])
    columns: int = 1
    params: Mapping[str, Any] = MappingProxyType({})


class Section(NamedTuple):
    """One section's first items and how many it has in all; `values`, beside each item,
    are the urgency terms it has of its own (those of its client are read for all at once).
    A section the limit may have cut short has its count `to_count`, still to be read."""

    items: tuple[Any, ...]
    total: int
    values: tuple[TermValues, ...] = ()
    counted: bool = True  # False: counted up to a limit only, `total` at least
    to_count: Count | None = None


def build_agenda(
    *,
    session: Session,
    day: date,
    limit: int | None = None,
    coefficients: Coefficients | None = None,
    count_up_to: int | None = None,
    owner: str | None = None,
) -> Agenda:
    """The Today list for `day` (PRODUCT.md, "A day with rmtui", step 1), read in `session`.

    With a `limit`, each section holds at most that many items, first ones first, and the
    agenda's totals say how many it has in all (with `count_up_to`, counted that far at
    most); so it takes as long for any size of book. Items are ranked by urgency
    RANKED_TOGETHER at a time, taken in their section's clock order; `coefficients` default
    to config.toml's. With an `owner`, the items of clients of others than that owner (and
    everyone) are left out (people.mine_of).
    """
    connection = of_session(session)
    return read_agenda(
        connection,
        day=day,
        limit=limit,
        coefficients=coefficients,
        count_up_to=count_up_to,
        owner=owner,
    )


def read_agenda(
    connection: Connection,
    *,
    day: date,
    limit: int | None = None,
    coefficients: Coefficients | None = None,
    count_up_to: int | None = None,
    owner: str | None = None,
) -> Agenda:
    """The Today list for `day` read on a DB-API `connection` (see build_agenda)."""
    from rmtui.core.changes import change_mark

    settings, problem = book_settings()
    coefficients = coefficients or settings.urgency
    mark = change_mark(connection)
    reader = _Reader(connection, day, limit, settings.country, count_up_to, owner)
    with collector_paused(every_row=limit is None):
        sections = {
            "overdue": reader.follow_ups("overdue"),
            "due_today": reader.follow_ups("due_today"),
            "checkins_due": reader.checkins(),
            "reviews_due": reader.reviews(),
            "cases_due": reader.cases(),
            "birthdays": reader.birthdays(),
            "upcoming": reader.follow_ups("upcoming"),
        }
        sections = reader.counted(sections)
        ranked = Ranking(connection, day, coefficients, sections.values())
        listed = {key: ranked.items(section)[:limit] for key, section in sections.items()}
    return Agenda(
        day,
        **listed,
        totals={key: section.total for key, section in sections.items()},
        counted_so_far=frozenset(key for key, section in sections.items() if not section.counted),
        mark=mark,
        coefficients=coefficients,
        settings_problem=problem,
    )


@contextmanager
def collector_paused(*, every_row: bool) -> Iterator[None]:
    """Python's cycle collector held off while every row of the agenda is read and ranked:
    a large book's rows are hundreds of thousands of small records, none in a cycle, and
    the collector would go over the growing heap again and again (half the time it takes at
    100,000 clients). A page of rows is left alone: the app reads it beside Textual's start.

    The records made meanwhile are then taken out of the collector's rounds (frozen, as the
    app freezes its heap after start-up: app.freeze_heap), or its first collection would go
    over every one of them at once (a tenth of the time); they hold no cycles, and are freed
    as any object is when the last reference to them goes."""
    if not every_row or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


class Ranking:
    """Puts the items of an agenda's sections in order of urgency, RANKED_TOGETHER at a time,
    with the terms of their clients read for all the sections at once."""

    def __init__(
        self,
        connection: Connection,
        day: date,
        coefficients: Coefficients,
        sections: Iterable[Section],
    ) -> None:
        from rmtui.core.agenda_terms import client_terms

        self.weighing = Weighing(exact_coefficients(coefficients))
        clients = {
            client_id
            for section in sections
            for item in section.items
            if (client_id := getattr(item, "client_id", None)) is not None
        }
        found = client_terms(connection, clients, day=day, coefficients=coefficients)
        # Each client's terms are weighed and summed once, for all their items; a client
        # with none adds nothing to their items' own.
        self.client_terms = {
            client_id: urgency
            for client_id, values in found.items()
            if (urgency := self.weighing.weighed(values)).terms
        }

    def items(self, section: Section) -> tuple[Any, ...]:
        """The section's items, each with its urgency, the most urgent first within each
        RANKED_TOGETHER of them (the earlier by the section's clock first on a tie)."""
        scored = [
            with_urgency(item, self.urgency(item, values))
            for item, values in zip(section.items, section.values, strict=True)
        ]
        ranked: list[Any] = []
        for start in range(0, len(scored), RANKED_TOGETHER):
            together = scored[start : start + RANKED_TOGETHER]
            ranked += sorted(together, key=_score, reverse=True)  # stable: ties keep order
        return tuple(ranked)

    def urgency(self, item: Any, values: TermValues) -> Urgency:
        """The urgency of `item`: its own terms' `values` and those of its client."""
        own = self.weighing.summed(values)
        of_client = self.client_terms.get(getattr(item, "client_id", None) or 0)
        if of_client is None:
            return own
        return Urgency((*own.terms, *of_client.terms), own.score + of_client.score)


class EarlyAgenda:
    """The agenda of a plain book read in a thread of its own as the app starts up.

    The app's start waits for it a while (`wait`) before it loads the terminal UI: a reading
    alongside that loading makes both slower, since the thread waits for Python's lock at each
    row SQLite gives it while the loading holds the lock (14-16 ms more to Today's rows
    painted, at 100 to a million clients). One that takes longer goes on beside the loading,
    and the screen says it is loading until the agenda is read.
    """

    def __init__(
        self,
        book: Path | sqlite3.Connection,
        *,
        day: date,
        limit: int | None,
        count_up_to: int | None = None,
        user: str | None = None,
    ) -> None:
        """Start reading the agenda of the book at a path, or on a sqlite3 connection to it
        made for any thread (which is closed once read)."""
        self.day = day
        self.limit = limit
        self.count_up_to = count_up_to
        self.user = user  # the agenda is of this user's clients and everyone's (mine_of)
        self.shared = False  # someone else owns clients (known once read)
        self._agenda: Agenda | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._read, args=(book,), daemon=True)
        self._thread.start()

    def _read(self, book: Path | sqlite3.Connection) -> None:
        from contextlib import closing

        from rmtui.core.storage import connect_plain

        try:
            opened = connect_plain(book) if isinstance(book, Path) else book
            with closing(opened) as connection:
                owner = None if self.user is None else mine_of(connection, self.user)
                self.shared = owner is not None
                self._agenda = read_agenda(
                    connection,
                    day=self.day,
                    limit=self.limit,
                    count_up_to=self.count_up_to,
                    owner=owner,
                )
        except Exception as error:  # handed to whoever asks for the agenda
            self._error = error

    @property
    def done(self) -> bool:
        """Whether the reading has finished."""
        return not self._thread.is_alive()

    def wait(self, seconds: float) -> None:
        """Wait until the reading has finished, for `seconds` at most."""
        self._thread.join(seconds)

    def ready(self) -> Agenda | None:
        """The agenda if it has been read by now without error, else None."""
        return self._agenda if self.done else None

    def result(self) -> Agenda:
        """The agenda, once read (waits for it); raises what the reading raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._agenda is not None
        return self._agenda


# The condition on the client (`c`) every section's SQL has: not archived. The agenda of one
# owner's clients adds to it that the client is the owner's or everyone's (people.mine_sql),
# checked on the row each index entry leads to, the sections being read in their indexes'
# order as for the whole book.
NOT_ARCHIVED = "likely(c.archived IS 0)"

# Open follow-ups meeting {when}, of no client or a non-archived one, earliest first and high
# priority first within a day, with their urgency terms: days overdue, high priority, the
# client's tier. `likely` tells SQLite that archived clients are few.
FOLLOW_UPS_SQL = f"""
    SELECT f.id, f.title, f.due_on, f.priority, f.client_id, c.name, f.due_at, f.repeat,
        CAST(julianday(:day) - julianday(f.due_on) AS INTEGER), f.priority = 'high', c.tier
    FROM follow_up AS f LEFT JOIN client AS c ON c.id = f.client_id
    WHERE f.status = 'open' AND {{when}} AND (f.client_id IS NULL OR likely(c.archived IS 0))
    ORDER BY f.due_on, {not_high_priority_sql("f.")}, f.id
    LIMIT :limit"""
# When the follow-ups of each section are due.
FOLLOW_UPS_DUE = {
    "overdue": "f.due_on < :day",
    "due_today": "f.due_on = :day",
    "upcoming": "f.due_on >= :tomorrow AND f.due_on <= :week_end",
}
# How many each section has: its open follow-ups less those of archived clients, all three
# at once, each count read from a follow-up index (archived clients are few: their open
# follow-ups up to :week_end are read through them, CROSS JOIN keeping that order).
OPEN_DUE_COUNTS = ", ".join(
    f"(SELECT count(*) FROM follow_up AS f WHERE f.status = 'open' AND {when}) - archived.{key}"
    for key, when in FOLLOW_UPS_DUE.items()
)
ARCHIVED_DUE_COUNTS = ", ".join(
    f"count(*) FILTER (WHERE {when}) AS {key}" for key, when in FOLLOW_UPS_DUE.items()
)
FOLLOW_UPS_COUNT_SQL = f"""
    SELECT {OPEN_DUE_COUNTS}
    FROM (SELECT {ARCHIVED_DUE_COUNTS}
          FROM client AS c CROSS JOIN follow_up AS f
          WHERE c.archived IS 1 AND f.client_id = c.id AND f.status = 'open'
            AND f.due_on <= :week_end) AS archived"""
# An item's client is not archived, in a count of many items: looked up for each item
# (CLIENT_KEPT: for one owner's clients, NOT_ARCHIVED narrowed to them), or, for the whole
# book, looked up among the archived clients alone (ARCHIVED_LEFT_OUT), in their partial
# index ix_client_archived_id: the count then reads an index of the items and a few pages of
# that index, where looking up each item's client reads a page of the clients for each, and
# a list of the archived clients' ids is made anew for each count (24,000 ids at a million
# clients). SQLite would look the client up by its id instead, hence INDEXED BY. A server,
# which has no INDEXED BY (dialects), reads that index once for a count: into a hash where
# an item may have no client (the OR of the follow-ups), else beside the items' index (an
# anti-join). At 100,000 clients a count of 1,000 overdue follow-ups then takes 1.3 ms, where
# looking each one's client up took 4.2 ms (EXPLAIN ANALYZE).
CLIENT_KEPT = f"(SELECT 1 FROM client AS c WHERE c.id = {{client}} AND {NOT_ARCHIVED}) IS NOT NULL"
ARCHIVED_LEFT_OUT = (
    "NOT EXISTS (SELECT 1 FROM client INDEXED BY ix_client_archived_id"
    " WHERE archived AND id = {client})"
)
# On a server, the rest of a transaction read by the server's own process alone.
WITHOUT_PARALLEL_WORKERS = "SET LOCAL max_parallel_workers_per_gather = 0"
# One section's follow-ups counted up to :count_limit, in due order from the follow-up index.
FOLLOW_UPS_COUNTED_SQL = """
    SELECT count(*) FROM (
        SELECT 1 FROM follow_up AS f
        WHERE f.status = 'open' AND {when} AND (f.client_id IS NULL OR {kept})
        LIMIT :count_limit)"""

# Active, non-archived clients due for a check-in on :day (PRODUCT.md), in two parts; a
# member of a household that shares check-ins counts from the household's latest contact
# (rules.checkin_contact_sql), and each row says which such household it is in. Those whose
# contact counted from is on or before :day are read in due order from
# ix_client_household_checkin_due, whose expression rules.household_checkin_due_sql is;
# `unlikely` makes SQLite prefer that index. Those contacted after :day (a past day, or a
# contact logged ahead) look up their last contact on :day in the interaction index.
ACTIVE_SQL = f"likely(c.archived IS 0) AND {active_on_sql('c.')}"
CONTACTED_BY_DAY_SQL = f"""
    SELECT c.id, c.name, c.tier, {checkin_contact_sql("c.")} AS last, c.client_since,
        {cadence_sql("c.")} AS cadence, {household_checkin_due_sql("c.")} AS due,
        {shared_household_sql("c.")} AS household,
        CAST(julianday(:day) - ({household_checkin_due_sql("c.")}) AS INTEGER)
    FROM client AS c
    WHERE unlikely({household_checkin_due_sql("c.")} <= julianday(:day))
      AND coalesce({checkin_contact_sql("c.")}, '0001-01-01') <= :day AND {ACTIVE_SQL}"""
CONTACTED_AFTER_DAY_SQL = f"""
    SELECT id, name, tier, last_contact_on AS last, client_since, {cadence_sql("")} AS cadence,
        {checkin_due_sql("")} AS due, household,
        CAST(julianday(:day) - ({checkin_due_sql("")}) AS INTEGER)
    FROM (
        SELECT c.id, c.name, c.tier, c.client_since, c.checkin_every_days, household,
            CASE WHEN household IS NULL THEN {last_contact_as_of_sql("c.")}
                 ELSE {household_contact_as_of_sql("household")} END AS last_contact_on
        FROM (SELECT c.id, c.name, c.tier, c.client_since, c.client_until, c.checkin_every_days,
                  c.last_contact_on, {shared_household_sql("c.")} AS household
              FROM client AS c
              WHERE c.id IN (
                  SELECT id FROM client WHERE last_contact_on > :day
                  UNION SELECT id FROM client WHERE household_contact_on > :day)
                AND {ACTIVE_SQL}) AS c)
    WHERE {due_for_checkin_sql("")}"""
# Each part in due order, most overdue first; the first is read from the index in that order.
# A part is read :read rows at a time from :skipped on (a server sends every row a statement
# has at once, and would sort every client due).
CHECKINS_ORDER = """
    ORDER BY due, {prefix}tier, {prefix}name, {prefix}id
    LIMIT :read OFFSET :skipped"""
CHECKINS_SQL = (
    CONTACTED_BY_DAY_SQL + CHECKINS_ORDER.format(prefix="c."),
    CONTACTED_AFTER_DAY_SQL + CHECKINS_ORDER.format(prefix=""),
)
CHECKIN_ORDER = itemgetter(6, 2, 1, 0)  # a row's due, tier, name and id, as CHECKINS_ORDER
# A household that shares check-ins is asked about once: the clients on their own are counted,
# and the households once each (only their members go through the sorter that counts them
# once, not every client due).
# Counted up to :count_limit clients (-1: all of them), its second column says how many were
# read.
CHECKINS_COUNT_SQL = f"""
    SELECT count(*) FILTER (WHERE household IS NULL) + count(DISTINCT household), count(*)
    FROM (
        SELECT id, household FROM ({CONTACTED_BY_DAY_SQL})
        UNION ALL SELECT id, household FROM ({CONTACTED_AFTER_DAY_SQL})
        LIMIT :count_limit)"""

# Active, non-archived clients whose next review (rules.review_due_sql) falls by
# :review_horizon, read in due order from ix_client_review_due (`unlikely` makes SQLite prefer
# it), most overdue first.
REVIEWS_WHERE_SQL = f"""
    FROM client AS c
    WHERE unlikely({review_due_sql("c.")} <= :review_horizon) AND {ACTIVE_SQL}"""
REVIEWS_SQL = f"""
    SELECT c.id, c.name, c.tier, {review_due_sql("c.")} AS due, {review_cadence_sql("c.")},
        c.last_review_on, c.last_meeting_on, c.client_since,
        CAST(julianday(:day) - julianday({review_due_sql("c.")}) AS INTEGER)
    {REVIEWS_WHERE_SQL}
    ORDER BY due, c.tier, c.name, c.id
    LIMIT :limit"""
REVIEWS_COUNT_SQL = f"SELECT count(*) FROM (SELECT 1 {REVIEWS_WHERE_SQL} LIMIT :count_limit)"

# Open cases of non-archived clients overdue or due by :case_horizon (by :business_horizon,
# CASE_WARNING_DAYS business days on, which is never earlier, for a business-day clock), by
# deadline: the least time left first.
CASES_WHERE_SQL = """
    FROM "case" AS k JOIN client AS c ON c.id = k.client_id
    WHERE k.resolved_on IS NULL AND k.due_on <= :business_horizon
      AND (k.business_days OR k.due_on <= :case_horizon) AND likely(c.archived IS 0)"""
CASES_SQL = f"""
    SELECT k.id, k.client_id, c.name, k.kind, k.subject, k.due_on,
        -CAST(julianday(:day) - julianday(k.due_on) AS INTEGER), k.business_days, c.tier
    {CASES_WHERE_SQL}
    ORDER BY k.due_on, k.id
    LIMIT :limit"""
CASES_COUNT_SQL = """
    SELECT count(*) FROM (
        SELECT 1 FROM "case" AS k
        WHERE k.resolved_on IS NULL AND k.due_on <= :business_horizon
          AND (k.business_days OR k.due_on <= :case_horizon) AND {kept}
        LIMIT :count_limit)"""

# Non-archived clients born on one of the window's days, the first :read of them ({kept_on}:
# the day each month-day is kept on) by name. The month and day are written as
# ix_client_birthday_month_day has them, so SQLite reads them from that index.
BIRTHDAYS_SQL = f"""
    SELECT {birthday_month_day_sql("c.")}, c.name, c.id, c.birthday, c.tier
    FROM client AS c
    WHERE likely(c.archived IS 0) AND {birthday_month_day_sql("c.")} IN ({{days}})
    ORDER BY {{kept_on}}, c.name COLLATE NOCASE, c.id
    LIMIT :read"""
BIRTHDAYS_COUNT_SQL = f"""
    SELECT count(*) FROM (
        SELECT 1 FROM client AS c
        WHERE likely(c.archived IS 0) AND {birthday_month_day_sql("c.")} IN ({{days}})
        LIMIT {{limit}})"""


class _Reader:
    """Runs the agenda's SQL for one day on one connection."""

    def __init__(
        self,
        connection: Connection,
        day: date,
        limit: int | None,
        country: str,
        count_up_to: int | None = None,
        owner: str | None = None,
    ) -> None:
        self.connection = connection
        self.owner = owner
        # How a count of many items leaves out those of archived clients.
        self.client_kept = CLIENT_KEPT if owner is not None else ARCHIVED_LEFT_OUT
        self.limit = whole_rankings(limit)
        self.count_up_to = count_up_to
        self.day = day
        self.country = country
        self.business_horizon = self._business_horizon()
        self.params: dict[str, Any] = {
            **day_params(day),
            "tomorrow": (day + timedelta(days=1)).isoformat(),
            "week_end": (day + timedelta(days=UPCOMING_DAYS)).isoformat(),
            "case_horizon": (day + timedelta(days=CASE_WARNING_DAYS)).isoformat(),
            "business_horizon": self.business_horizon.isoformat(),
            "review_horizon": (day + timedelta(days=REVIEW_NOTICE_DAYS)).isoformat(),
            "limit": -1 if self.limit is None else self.limit,
            "count_limit": -1 if count_up_to is None else count_up_to,
        }
        if owner is not None:
            self.params["owner"] = owner
        if self.limit is not None and on_server(connection):
            self._without_parallel_workers()

    def _without_parallel_workers(self) -> None:
        """Have the server read the rest of this transaction in its own process alone. A page
        of the agenda reads at most a few thousand index entries a statement, where starting
        a parallel worker costs more than it saves: at 100,000 clients Today's reads took
        40 ms so, against 50 ms (the check-ins' count gathered from a second process). What
        a transaction reads after it (the digest's KPIs, from roll-ups by day) is as small.
        The whole agenda reads whole sections, which parallel workers make quicker."""
        cursor = self.connection.cursor()
        try:
            cursor.execute(WITHOUT_PARALLEL_WORKERS)
        finally:
            cursor.close()

    def _business_horizon(self) -> date:
        """CASE_WARNING_DAYS business days after the day (weekends and the holidays the book
        holds skipped: the `holidays` package is not loaded for it)."""
        from rmtui.core.case_clocks import add_business_days

        reach = self.day + timedelta(days=CASE_WARNING_DAYS * 2 + 14)
        holidays = self.holidays(self.day, reach, ask_package=False)
        return add_business_days(self.day, CASE_WARNING_DAYS, holidays)

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """The rows of `sql`."""
        cursor = self.cursor(sql, params)
        try:
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def cursor(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """A cursor running `sql` (with the day's parameters, or `params`) on the clients of
        the agenda's owner, its rows read as they are needed."""
        params = dict(params if params is not None else self.params)
        if self.owner is not None:
            sql = sql.replace(NOT_ARCHIVED, f"{NOT_ARCHIVED} AND {mine_sql()}")
            params["owner"] = self.owner
        cursor = self.connection.cursor()
        cursor.execute(sql, params)
        return cursor

    def section(
        self, items: Sequence[Any], values: Sequence[TermValues], count: Count | str
    ) -> Section:
        """`items`, their urgency terms' `values` and their total: their number, or `count`
        (SQL of one value, or a Count) when the limit may have left some out, read later
        with the other sections' (`counted`)."""
        if self.limit is None or len(items) < self.limit:
            return Section(tuple(items), len(items), tuple(values))
        pending = Count(count) if isinstance(count, str) else count
        return Section(tuple(items), len(items), tuple(values), to_count=pending)

    def counted(self, sections: Mapping[str, Section]) -> dict[str, Section]:
        """`sections` with the totals of those whose count is pending, read in one statement
        (a round trip to a server each saved); a total that reaches `count_up_to` was counted
        that far only."""
        pending = [
            section.to_count for section in sections.values() if section.to_count is not None
        ]
        if not pending:
            return dict(sections)
        distinct = list(dict.fromkeys(count.sql for count in pending))
        counts = {count.sql: count for count in pending}
        joined = " CROSS JOIN ".join(f"({sql}) AS count{n}" for n, sql in enumerate(distinct))
        params = {**self.params}
        for count in pending:
            params.update(count.params)
        row = self.rows(f"SELECT * FROM {joined}", params)[0]
        columns: dict[str, Sequence[Any]] = {}
        start = 0
        for sql in distinct:
            end = start + counts[sql].columns
            columns[sql] = row[start:end]
            start = end
        return {key: self._with_total(section, columns) for key, section in sections.items()}

    def _with_total(self, section: Section, columns: Mapping[str, Sequence[Any]]) -> Section:
        """`section` with its total read from its count's `columns`."""
        if section.to_count is None:
            return section
        total = section.to_count.of(columns[section.to_count.sql])
        counted = self.count_up_to is None or total < self.count_up_to
        return section._replace(total=total, counted=counted, to_count=None)

    def follow_ups(self, key: str) -> Section:
        """The open follow-ups of the section `key` (overdue, due_today or upcoming)."""
        items, values = [], []
        for row in self.rows(FOLLOW_UPS_SQL.format(when=FOLLOW_UPS_DUE[key])):
            id_, title, due, priority, client_id, name, at, repeat, late, high, tier = row
            items.append(
                FollowUpItem(id_, title, _day(due), priority, client_id, name, _time(at), repeat)
            )
            values.append((("overdue_day", late), ("priority_high", high), *tier_term(tier)))
        return self.section(items, values, self.follow_up_count(key))

    def follow_up_count(self, key: str) -> Count:
        """How the open follow-ups of the section `key` are counted (up to `count_up_to`):
        without a limit to the count, those of all three sections at once."""
        if self.count_up_to is None and self.owner is None:
            column = list(FOLLOW_UPS_DUE).index(key)
            return Count(FOLLOW_UPS_COUNT_SQL, lambda row: int(row[column]), len(FOLLOW_UPS_DUE))
        kept = self.client_kept.format(client="f.client_id")
        return Count(FOLLOW_UPS_COUNTED_SQL.format(when=FOLLOW_UPS_DUE[key], kept=kept))

    def checkins(self) -> Section:
        """Clients due for a check-in, most overdue first; a household that shares check-ins
        once, as its most overdue member. The rows are read as they come, in due order, up
        to the limit."""
        parts = [self._checkin_rows(sql) for sql in CHECKINS_SQL]
        in_order = heapq.merge(*parts, key=CHECKIN_ORDER)
        rows = itertools.islice(once_a_household(in_order), self.limit)
        items = [self._checkin(row) for row in rows]
        values = [(("checkin_day", item.days_overdue), *tier_term(item.tier)) for item in items]
        count = Count(CHECKINS_COUNT_SQL, self._checkins_total, columns=2)
        return self.section(self._with_household_names(items), values, count)

    def _checkin_rows(self, sql: str) -> Iterator[Sequence[Any]]:
        """The rows of a part of the check-ins in due order, read a limit's worth at a time
        (more are read only when households listed once left the limit short)."""
        read = -1 if self.limit is None else self.limit
        skipped = 0
        while True:
            rows = self.rows(sql, {**self.params, "read": read, "skipped": skipped})
            yield from rows
            if read < 0 or len(rows) < read:
                return
            skipped += read

    def _checkins_total(self, row: Sequence[Any]) -> int:
        """How many are due for a check-in, a household that shares them once, from a row of
        CHECKINS_COUNT_SQL; when `count_up_to` clients were read, as many as found among
        them, made to reach the limit so that it shows as counted so far."""
        once, read = row
        if self.count_up_to is not None and read >= self.count_up_to:
            return max(int(once), self.count_up_to)
        return int(once)

    def _checkin(self, row: Sequence[Any]) -> CheckinItem:
        """A check-in row: id, name, tier, last contact, since, cadence, due, household,
        days past the cadence."""
        id_, name, tier, last, since, cadence, _due, household_id, overdue = row
        last_contact = _day(last)
        days_since = (self.day - (last_contact or _day(since))).days
        return CheckinItem(
            id_, name, tier, last_contact, days_since, cadence, overdue, household_id
        )

    def _with_household_names(self, items: list[CheckinItem]) -> list[CheckinItem]:
        """`items` with the names of their households, read for the listed ones alone."""
        wanted = sorted({item.household_id for item in items if item.household_id is not None})
        if not wanted:
            return items
        marks = ", ".join("?" for _ in wanted)
        cursor = self.connection.cursor()
        try:
            cursor.execute(f"SELECT id, name FROM household WHERE id IN ({marks})", wanted)
            names = dict(cursor.fetchall())
        finally:
            cursor.close()
        return [
            item._replace(household=names.get(item.household_id)) if item.household_id else item
            for item in items
        ]

    def reviews(self) -> Section:
        """Clients whose review is overdue or near, most overdue first."""
        rows = self.rows(REVIEWS_SQL)
        items = [review_item(row[:8], self.day) for row in rows]
        values = [(("overdue_day", row[8]), *tier_term(row[2])) for row in rows]
        return self.section(items, values, REVIEWS_COUNT_SQL)

    def cases(self) -> Section:
        """Open cases overdue or near their deadline, with the days left (business days for
        a business-day clock)."""
        rows = self.rows(CASES_SQL)
        items = self._business_days_left(
            [
                CaseItem(id_, client_id, name, kind, subject, _day(due), left, bool(business))
                for id_, client_id, name, kind, subject, due, left, business, _tier in rows
            ]
        )
        values = [
            (("case_day_left", item.days_left), *tier_term(row[8]))
            for item, row in zip(items, rows, strict=True)
        ]
        kept = self.client_kept.format(client="k.client_id")
        return self.section(items, values, CASES_COUNT_SQL.format(kept=kept))

    def _business_days_left(self, items: list[CaseItem]) -> list[CaseItem]:
        """`items` with business days left on those whose clocks count business days."""
        if not any(item.business_days for item in items):
            return items
        from rmtui.core.case_clocks import business_days_left

        holidays = self.holidays(min(item.due_on for item in items), self.business_horizon)
        return [
            item._replace(days_left=business_days_left(self.day, item.due_on, holidays))
            if item.business_days
            else item
            for item in items
        ]

    def holidays(self, first: date, last: date, *, ask_package: bool = True) -> frozenset[date]:
        """The public holidays of the book's country from `first` (or the day) to `last`;
        only those the book holds unless `ask_package` (see public_holidays)."""
        from rmtui.core.public_holidays import holidays_between

        start, end = min(first, self.day), max(last, self.day)
        return holidays_between(self.connection, self.country, start, end, ask_package=ask_package)

    def birthdays(self) -> Section:
        """Birthdays in the BIRTHDAY_DAYS from the day on, soonest first, by name within a
        day (as the client list sorts names). The day itself is read first, and the rest of
        the week together only when the limit is not reached yet (a large book fills the
        section from its first day, a small one is read in two statements, not one a day),
        each as far as the limit; the birthdays of a day read in part or not at all are
        counted (up to `count_up_to`).

        In a year without 29 February, a birthday on that day is celebrated on 28 February.
        """
        kept_on = birthday_window(self.day)
        listed: list[tuple[date, int, str, Any, str]] = []  # the birthday as stored
        whole = 0  # the birthdays of the days read whole
        to_count: list[str] = []
        for month_days in birthday_reads(self.day, whole=self.limit is None):
            left = None if self.limit is None else self.limit - len(listed)
            if left is not None and left <= 0:
                to_count += month_days
                continue
            days, names = _named(month_days)
            order = _kept_order(names, kept_on)
            rows = self.rows(
                BIRTHDAYS_SQL.format(days=days, kept_on=order),
                {**names, "read": -1 if left is None else left},
            )
            listed += [
                (kept_on[month_day], client_id, name, born, tier)
                for month_day, name, client_id, born, tier in rows
            ]
            if left is not None and len(rows) == left:  # the day may have more
                to_count += month_days
            else:
                whole += len(rows)
        total = len(listed)
        if self.count_up_to is not None:
            total = min(total, self.count_up_to)
        items = tuple(
            BirthdayItem(client_id, name, _day(born), on, on.year - _day(born).year)
            for on, client_id, name, born, _tier in listed
        )
        values = tuple(
            (("overdue_day", (self.day - on).days), *tier_term(tier))
            for on, _id, _name, _born, tier in listed
        )
        counted = self.count_up_to is None or total < self.count_up_to
        count = self._birthdays_count(to_count, whole)
        return Section(items, total, values, counted, count)

    def _birthdays_count(self, month_days: list[str], so_far: int) -> Count | None:
        """How the birthdays on `month_days` are counted, up to what `count_up_to` leaves
        after `so_far`, and added to them; None when there is nothing to count."""
        left = None if self.count_up_to is None else self.count_up_to - so_far
        if not month_days or (left is not None and left <= 0):
            return None
        days, names = _named(month_days)
        sql = BIRTHDAYS_COUNT_SQL.format(days=days, limit=-1 if left is None else left)
        return Count(sql, lambda row: so_far + int(row[0]), params=names)


def _kept_order(names: Mapping[str, str], kept_on: Mapping[str, date]) -> str:
    """SQL: how many days after the first of the window a client's birthday is kept, for the
    month-days `names` holds (as `_named` names them)."""
    month_day = birthday_month_day_sql("c.")
    first = min(kept_on.values())
    whens = " ".join(
        f"WHEN :{name} THEN {(kept_on[value] - first).days}" for name, value in names.items()
    )
    return f"CASE {month_day} {whens} END"


def _named(month_days: Sequence[str]) -> tuple[str, dict[str, str]]:
    """The `MM-DD`s as named parameters: their names for SQL, and their values by name."""
    names = {f"d{number}": month_day for number, month_day in enumerate(month_days)}
    return ", ".join(f":{name}" for name in names), names


def _score(item: Any) -> Decimal:
    return item.urgency.score


def with_urgency(item: Any, urgency: Urgency) -> Any:
    """`item` with its `urgency`, the last field of every kind of item (made from its values
    as they are, not by name as _replace makes it: a large book's agenda has hundreds of
    thousands of items)."""
    return item._make((*item[:-1], urgency))


def whole_rankings(limit: int | None) -> int | None:
    """How many items of a section to read for `limit` of them: whole rankings (a multiple
    of RANKED_TOGETHER), since the first items are the most urgent of the first ranking."""
    if limit is None:
        return None
    return -(-max(limit, 1) // RANKED_TOGETHER) * RANKED_TOGETHER


def review_item(row: Sequence[Any], day: date) -> ReviewItem:
    """A review row: id, name, tier, due, cadence, last review, last meeting, client since."""
    id_, name, tier, due, months, review, meeting, since = row
    if review is not None:
        counts_from, base = "review", review
    elif meeting is not None:
        counts_from, base = "meeting", meeting
    else:
        counts_from, base = "client since", since
    due_on = _day(due)
    return ReviewItem(id_, name, tier, due_on, months, counts_from, _day(base), (due_on - day).days)


def book_country() -> str:
    """The country of the book's public holidays (config.toml `[book] country`); the default
    when the settings cannot be read (the app says why elsewhere)."""
    return book_settings()[0].country


def book_settings() -> tuple[Settings, str | None]:
    """The settings of config.toml and None; the defaults and the sentence saying why when
    it cannot be read."""
    from rmtui.core.errors import BookError
    from rmtui.core.settings import Settings, load_settings

    try:
        return load_settings(), None
    except BookError as error:
        return Settings(), str(error)


def once_a_household(rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The check-in rows but those of a household already listed (the household's id is a
    row's eighth column; None for a client on their own)."""
    seen: set[int] = set()
    for row in rows:
        household = row[7]
        if household is not None:
            if household in seen:
                continue
            seen.add(household)
        yield row


def _day(text: Any) -> Any:
    """A date read from SQLite (ISO text), or None."""
    return date.fromisoformat(text) if isinstance(text, str) else text


def _time(text: Any) -> Any:
    """A time of day read from SQLite (ISO text), or None."""
    return time.fromisoformat(text) if isinstance(text, str) else text


def birthday_days(day: date) -> list[tuple[date, list[str]]]:
    """Each day of the week from `day`, with the `MM-DD`s whose birthdays are kept on it."""
    by_day: dict[date, list[str]] = {}
    for month_day, on in birthday_window(day).items():
        by_day.setdefault(on, []).append(month_day)
    return sorted(by_day.items())


def birthday_reads(day: date, *, whole: bool) -> list[list[str]]:
    """The `MM-DD`s of the week from `day` in the groups the agenda reads them: the whole week
    at once when every birthday is listed, else the day's own, then the rest of the week."""
    days = [month_days for _on, month_days in birthday_days(day)]
    if whole:
        return [[month_day for group in days for month_day in group]]
    return [days[0], [month_day for group in days[1:] for month_day in group]]


def birthday_window(day: date) -> dict[str, date]:
    """Each `MM-DD` whose birthday falls in the week from `day`, mapped to the date it is kept."""
    window: dict[str, date] = {}
    for offset in range(BIRTHDAY_DAYS):
        on = day + timedelta(days=offset)
        window[on.strftime("%m-%d")] = on
        if on.month == 2 and on.day == 28 and not _is_leap(on.year):
            window["02-29"] = on
    return window


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# -- output for `rmtui agenda` ---------------------------------------------------------------


def agenda_json(agenda: Agenda) -> dict[str, Any]:
    """The agenda as JSON-ready data: ISO dates, one list per section, each item with its
    urgency and the terms it is made of."""
    out: dict[str, Any] = {"date": agenda.day.isoformat()}
    for key, _title, items in agenda.sections():
        out[key] = [item_json(item) for item in items]
    return out


def agenda_json_text(agenda: Agenda) -> Iterator[str]:
    """agenda_json as JSON text, piece by piece, an item a line: every row of a large book is
    tens of megabytes, written as it is made (and by json's C encoder, item by item)."""
    import json

    yield f'{{\n  "date": "{agenda.day.isoformat()}"'
    for key, _title, items in agenda.sections():
        yield f',\n  "{key}": ['
        for number, item in enumerate(items):
            line = json.dumps(item_json(item), ensure_ascii=False)
            yield f"{',' if number else ''}\n    {line}"
        yield "\n  ]" if items else "]"
    yield "\n}"


def item_json(item: Any) -> dict[str, Any]:
    """An agenda item as JSON-ready data, its `urgency` a number and its `terms` a list."""
    own = {name: value for name, value in item._asdict().items() if name != "urgency"}
    return {
        **_jsonable(own),
        "urgency": float(item.urgency.score),
        "terms": [
            {
                "term": term.term,
                "value": _number(term.value),
                "coefficient": float(term.coefficient),
                "points": float(term.points),
            }
            for term in item.urgency.terms
        ],
    }


def _number(value: Decimal) -> int | float:
    """A term's value in JSON: a whole number of days or things as an integer."""
    return int(value) if value == value.to_integral_value() else float(value)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date | time) else v for k, v in values.items()}


def agenda_text(agenda: Agenda) -> str:
    """The agenda as plain text with a heading and count per section, for a morning e-mail."""
    day = f"{date_text(agenda.day, '%A')} {agenda.day.isoformat()}"
    lines = [_("Today, {day}").format(day=day) if agenda.day == today() else day]
    for key, title, items in agenda.sections():
        lines += ["", f"{_(title)} ({count_text(agenda.total(key))})"]
        listed = [f"  {ranked_item_text(item, agenda.day)}" for item in items]
        lines += listed or ["  " + _("nothing")]
        if agenda.not_listed(key):
            more = agenda.not_listed(key)
            lines.append(
                "  "
                + ngettext("… and {count} more", "… and {count} more", more).format(
                    count=count_text(more)
                )
            )
    return "\n".join(lines)


def ranked_item_text(item: Any, day: date) -> str:
    """One agenda item as a line of text, with its urgency."""
    urgency = _("urgency {score}").format(score=urgency_text(item.urgency.score))
    return f"{item_text(item, day)}  ({urgency})"


def item_text(item: Any, day: date) -> str:
    """One agenda item as a line of text."""
    if isinstance(item, FollowUpItem):
        return _follow_up_text(item, day)
    if isinstance(item, CheckinItem):
        return _checkin_text(item)
    if isinstance(item, ReviewItem):
        return review_text(item)
    if isinstance(item, CaseItem):
        return _case_text(item)
    if isinstance(item, BirthdayItem):
        turns = _("{name} turns {age}").format(name=item.name, age=item.turns)
        return f"{date_text(item.on, '%a')} {item.on.isoformat()}  {turns}"
    raise TypeError(f"not an agenda item: {item!r}")


def _follow_up_text(item: FollowUpItem, day: date) -> str:
    from rmtui.core.repeats import repeat_shown

    who = f" - {item.client_name}" if item.client_name else ""
    flag = " [" + _("high") + "]" if item.priority == "high" else ""
    late = (day - item.due_on).days
    when = " (" + _("{days} late").format(days=days_text(late)) + ")" if late > 0 else ""
    at = f" {item.due_at:%H:%M}" if item.due_at else ""
    repeat = (
        " (" + _("repeats {rule}").format(rule=repeat_shown(item.repeat)) + ")"
        if item.repeat
        else ""
    )
    return f"{item.due_on.isoformat()}{at}  {item.title}{who}{flag}{when}{repeat}"


def _checkin_text(item: CheckinItem) -> str:
    if item.household:
        return f"{item.household}: {_one_checkin_text(item)}"
    return _one_checkin_text(item)


def _one_checkin_text(item: CheckinItem) -> str:
    if item.last_contact_on:
        ago = ago_text(item.days_since)
        since = _("last contact {day} ({ago})").format(
            day=item.last_contact_on.isoformat(), ago=ago
        )
    else:
        since = _("no contact in {days} as a client").format(days=days_text(item.days_since))
    overdue = (
        _("{days} overdue").format(days=days_text(item.days_overdue))
        if item.days_overdue
        else _("due today")
    )
    every = _("every {days}").format(days=days_text(item.cadence))
    return f"{item.name} ({item.tier})  {since}, {every}: {overdue}"


def review_text(item: ReviewItem) -> str:
    """A review due in a line: who, when, and what it counts from."""
    from rmtui.core.case_clocks import days_left_text

    when = days_left_text(item.days_left, business=False)
    basis = {
        "review": _("last review"),
        "meeting": _("last meeting"),
        "client since": _("client since"),
    }
    since = f"{basis[item.counts_from]} {item.since.isoformat()}"
    said = _("review, every {months} months from {since}").format(
        months=item.every_months, since=since
    )
    return f"{item.due_on.isoformat()}  {item.name} ({item.tier}) {said} ({when})"


def _case_text(item: CaseItem) -> str:
    from rmtui.core.case_clocks import days_left_text

    when = days_left_text(item.days_left, business=item.business_days)
    kind = choice_text(item.kind)
    return f"{item.due_on.isoformat()}  {kind}: {item.subject} - {item.client_name} ({when})"
