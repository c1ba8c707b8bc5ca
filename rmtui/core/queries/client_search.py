"""What the client filter's text matches, for the queries that take a session: the conditions
of core/client_filter.py as SQLAlchemy text, and its readers on the session's connection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import ColumnElement, text
from sqlalchemy.orm import Session

from rmtui.core import client_filter
from rmtui.core.client_filter import ClientFilter, Condition, IndexMatches, indexed_terms
from rmtui.core.db_api import of_session
from rmtui.core.search_text import SearchTerm

# Where a session keeps the index's matches of its last text (`index_matches_of`).
MATCHES_KEPT = "client_matches"


def sql_conditions(conditions: Sequence[Condition]) -> list[ColumnElement[bool]]:
    """The conditions as SQLAlchemy clauses, with their parameters bound."""
    return [
        cast("ColumnElement[bool]", text(condition.sql).bindparams(**condition.params))
        for condition in conditions
    ]


def raw_connection(session: Session) -> Any:
    """The DB-API connection under `session`, in its transaction."""
    return of_session(session)


def has_search_index(session: Session) -> bool:
    """Whether the book has the clients' trigram search index (see client_filter)."""
    return client_filter.has_search_index(raw_connection(session))


def index_matches_of(
    session: Session, filtered: ClientFilter, search_index: bool
) -> IndexMatches | None:
    """What the index finds for the filter's text (client_filter.read_index_matches), read
    once while the book stays as it is: the first page, the count and whether the text matches
    as typed, asked in one session, evaluate the text's full-text query once between them."""
    indexed = indexed_terms(filtered.terms(), search_index)
    if not indexed:
        return None
    asked = (client_filter.match_expression(indexed), book_state(session))
    kept = session.info.get(MATCHES_KEPT)
    if kept is not None and None not in asked and kept[0] == asked:
        return cast(IndexMatches, kept[1])
    found = client_filter.read_index_matches(raw_connection(session), filtered, search_index)
    session.info[MATCHES_KEPT] = (asked, found)
    return found


def count_matches(session: Session, terms: Sequence[SearchTerm]) -> int:
    """How many clients' search texts hold every one of `terms` (archived or not)."""
    return client_filter.count_matches(raw_connection(session), terms)


def index_matches(
    session: Session, filtered: ClientFilter, search_index: bool, *, at_most: int
) -> int:
    """How many clients the index finds for the filter's text, up to `at_most`."""
    return client_filter.index_matches(
        raw_connection(session),
        filtered,
        search_index,
        at_most=at_most,
        matches=index_matches_of(session, filtered, search_index),
    )


def many_matches(session: Session, filtered: ClientFilter, search_index: bool) -> bool:
    """Whether the index finds MANY_MATCHES clients or more for the filter's text."""
    matches = index_matches_of(session, filtered, search_index)
    return client_filter.many_matches(raw_connection(session), filtered, search_index, matches)


def count_listed(session: Session, filtered: ClientFilter, *, at_most: int) -> int:
    """How many clients the filter lists, its text's words partly in the index, counted up to
    `at_most` (client_filter.count_listed)."""
    among = client_filter.filter_conditions(replace(filtered, text=None))
    return client_filter.count_listed(
        raw_connection(session),
        filtered.terms(),
        among,
        at_most=at_most,
        matches=index_matches_of(session, filtered, search_index=True),
    )


def matches_typed_text(session: Session, filtered: ClientFilter, search_index: bool) -> bool:
    """Whether the filter's text matches clients as typed (see client_filter.matches_as_typed)."""
    return client_filter.matches_as_typed(
        raw_connection(session),
        filtered,
        search_index=search_index,
        matches=index_matches_of(session, filtered, search_index),
    )


def alike_ids(session: Session, filtered: ClientFilter) -> list[int]:
    """The clients alike the filter's text, the likest first (client_filter.clients_alike)."""
    return client_filter.clients_alike(raw_connection(session), filtered)


def book_state(session: Session) -> tuple[int, int] | None:
    """What changes with any change of the book: SQLite's data version (changed by other
    connections' commits) and this connection's count of changed rows; None on a server,
    which tells neither (what depends on it is then read again each time)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return None
    version = connection.exec_driver_sql("PRAGMA data_version").scalar_one()
    return int(version), int(connection.connection.driver_connection.total_changes)  # type: ignore[union-attr]
