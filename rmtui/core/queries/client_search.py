"""What the client filter's text matches: every word in a client's search text (its own text,
contact points and contact persons, accents left out), a phone number by its digits, and,
when nothing matches, the clients whose names are most alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    column,
    exists,
    func,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.orm import Session

from rmtui.core.models import CLIENT_SEARCH_TEXT, Client
from rmtui.core.queries.common import contains_text, likely, table_of
from rmtui.core.search_text import TRIGRAM_WORD, SearchTerm, inner_trigrams, likeness

CLIENT = table_of(Client)
# Each client's search text (migration 0009), id = client id; all its columns but the digits
# hold text.
SEARCH_TEXT = CLIENT_SEARCH_TEXT
TEXT_COLUMNS = tuple(column.name for column in SEARCH_TEXT.c if column.name not in ("id", "digits"))
# The trigram index over it (rowid = client id), where SQLite has the trigram tokenizer; its
# hidden column of its own name is the left side of MATCH.
SEARCH = table("client_search", column("rowid"), column("client_search"))
SCHEMA = table("sqlite_master", column("type"), column("name"))
# From this many matches of the index on, a page sorted by an indexed column is read along
# that index, each client looked up in the matches, rather than every match looked up and
# sorted.
MANY_MATCHES = 2_000
# When nothing matches, the clients in whose name, company, city or contact persons' names
# every word typed has a word at least this alike (`search_text.similarity`, from 0 to 1) are
# listed, the likest first, this many at most, chosen among the candidates sharing most
# trigrams with the text.
SIMILAR_ENOUGH = 0.3
SIMILAR_LISTED = 50
SIMILAR_CANDIDATES = 150
SIMILAR_COLUMNS = ("name", "company", "city", "people")


def has_search_index(session: Session) -> bool:
    """Whether the book has the clients' trigram search index (schema 0009, made where
    SQLite has FTS5 with the trigram tokenizer)."""
    query = select(SCHEMA.c.name).where(SCHEMA.c.type == "table", SCHEMA.c.name == "client_search")
    return session.execute(query).first() is not None


def indexed_terms(terms: Sequence[SearchTerm], search_index: bool) -> list[SearchTerm]:
    """The terms looked up in the search index (none without one)."""
    return [term for term in terms if search_index and term.indexed]


def term_conditions(
    terms: Sequence[SearchTerm], *, search_index: bool, many: bool = False
) -> list[ColumnElement[bool]]:
    """SQL: the client holds every one of `terms`: the indexed ones through the index, the
    others (too short for a trigram) with LIKE on the search text. With `many`, the index's
    matches are tested client by client (see MANY_MATCHES) rather than read first."""
    indexed = indexed_terms(terms, search_index)
    conditions: list[ColumnElement[bool]] = []
    if indexed:
        key = CLIENT.c.id + 0 if many else CLIENT.c.id  # `+ 0`: no index lookup by id
        conditions.append(key.in_(matching_ids(indexed)))
    conditions += [likely(_holds(term)) for term in terms if term not in indexed]
    return conditions


def matching_ids(terms: Sequence[SearchTerm]) -> Select[Any]:
    """SQL: the ids of the clients whose search text holds every one of `terms`."""
    return select(SEARCH.c.rowid).where(SEARCH.c.client_search.match(match_expression(terms)))


def match_expression(terms: Sequence[SearchTerm]) -> str:
    """The FTS5 query of `terms`: each one's word anywhere in the client's text; a phone
    number's digits in the client's national numbers (`SearchTerm.digits_text`)."""
    return " AND ".join(_term_query(term) for term in terms)


def _term_query(term: SearchTerm) -> str:
    parts = [fts_string(term.word)] if term.as_written and len(term.word) >= TRIGRAM_WORD else []
    if term.digits is not None:
        parts.append(f"digits : {fts_string(term.digits_text)}")
    return "(" + " OR ".join(parts) + ")"


def fts_string(text: str) -> str:
    """`text` as an FTS5 string: in double quotes, its own double quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def any_match(
    session: Session, terms: Sequence[SearchTerm], among: Sequence[ColumnElement[bool]]
) -> bool:
    """Whether a client meeting `among` holds every one of `terms` (some of them indexed).

    The index's matches are read one by one until one is a client meeting `among`, rather
    than all of them first."""
    indexed = indexed_terms(terms, search_index=True)
    others = term_conditions([term for term in terms if term not in indexed], search_index=True)
    query = (
        select(CLIENT.c.id)
        .select_from(SEARCH.join(CLIENT, CLIENT.c.id == SEARCH.c.rowid))
        .where(SEARCH.c.client_search.match(match_expression(indexed)), *among, *others)
        .limit(1)
    )
    return session.execute(query).first() is not None


def count_matches(session: Session, terms: Sequence[SearchTerm]) -> int:
    """How many clients' search texts hold every one of `terms` (archived or not)."""
    found = matching_ids(terms).subquery()
    return session.execute(select(func.count()).select_from(found)).scalar_one()


def _holds(term: SearchTerm) -> ColumnElement[bool]:
    """SQL: the client's search text holds `term` as `match_expression` reads it, with LIKE
    (which ignores the case of ASCII letters only)."""
    found = []
    if term.as_written:
        found += [contains_text(SEARCH_TEXT.c[name], term.word) for name in TEXT_COLUMNS]
    if term.digits is not None:
        found.append(contains_text(SEARCH_TEXT.c.digits, term.digits_text))
    return exists().where(SEARCH_TEXT.c.id == CLIENT.c.id, or_(*found))


def book_state(session: Session) -> tuple[int, int]:
    """What changes with any change of the book: SQLite's data version (changed by other
    connections' commits) and this connection's count of changed rows."""
    connection = session.connection()
    version = connection.exec_driver_sql("PRAGMA data_version").scalar_one()
    return int(version), int(connection.connection.driver_connection.total_changes)  # type: ignore[union-attr]


# -- names alike ----------------------------------------------------------------------------


def misspelt_words(terms: Sequence[SearchTerm]) -> list[str]:
    """The words of `terms` that may be misspelt names: not a phone number, long enough to
    have a trigram."""
    return [term.word for term in terms if term.digits is None and len(term.word) >= TRIGRAM_WORD]


def similar_client_ids(
    session: Session, words: Sequence[str], among: Sequence[ColumnElement[bool]]
) -> list[int]:
    """The ids of the clients meeting `among` whose name, company, city or contact persons'
    names are most alike `words` (`schnieder` finds Schneider), the likest first: each word
    must be SIMILAR_ENOUGH to one of theirs, and they are ranked by how alike all the words
    are on average; SIMILAR_LISTED at most.

    The index gives the candidates that share most trigrams with the words; each is then
    scored by `search_text.likeness`, word by word.
    """
    grams = sorted({gram for word in words for gram in inner_trigrams(word)})
    if not grams:
        return []
    columns = " ".join(SIMILAR_COLUMNS)
    hits = union_all(
        *(
            select(SEARCH.c.rowid.label("id")).where(
                SEARCH.c.client_search.match(f"{{{columns}}} : {fts_string(gram)}")
            )
            for gram in grams
        )
    ).subquery("hits")
    shared = func.count().label("shared")
    candidates = (
        select(hits.c.id).group_by(hits.c.id).order_by(shared.desc()).limit(SIMILAR_CANDIDATES)
    )
    texts = [SEARCH_TEXT.c[name] for name in SIMILAR_COLUMNS]
    query = (
        select(CLIENT.c.id, CLIENT.c.name, *texts)
        .join_from(CLIENT, SEARCH_TEXT, SEARCH_TEXT.c.id == CLIENT.c.id)
        .where(CLIENT.c.id.in_(candidates), *among)
    )
    alike = []
    for row in session.execute(query):
        scores = likeness(words, " ".join(text for text in row[2:] if text))
        if min(scores) >= SIMILAR_ENOUGH:
            alike.append((-sum(scores) / len(scores), row.name.casefold(), row.id))
    return [client_id for _score, _name, client_id in sorted(alike)[:SIMILAR_LISTED]]
