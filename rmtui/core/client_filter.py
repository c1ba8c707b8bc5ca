"""What the client list is narrowed to, written once as SQL text with named parameters: the
client list of the screens (through SQLAlchemy, see queries/clients.py) and the command line's
(with sqlite3 alone on its quick path, see client_listing.py) both read these conditions.

A filter's text matches every word in a client's search text (its own text, contact points
and contact persons, accents left out, see search_text.py), a phone number by its digits, and,
when nothing matches, the clients whose names are most alike. Each condition reads the row of
the table `client` of the statement it is put in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rmtui.core.db_api import (
    LIKE_ESCAPE,
    Connection,
    fetch_all,
    fetch_one,
    fetch_value,
    like_escaped,
    on_server,
)
from rmtui.core.search_text import (
    SEARCH_TEXT_COLUMNS,
    TRIGRAM_WORD,
    SearchTerm,
    inner_trigrams,
    likeness,
    search_terms,
)

# The columns of a client's search text that hold text (the last holds digits).
TEXT_COLUMNS = tuple(name for name in SEARCH_TEXT_COLUMNS if name != "digits")
# From this many matches of the index on, a page sorted by an indexed column is read along
# that index, each client looked up in the matches, rather than every match looked up and
# sorted.
MANY_MATCHES = 2_000
# From this many matches of the index on, such a page is first looked for without reading the
# matches at all: the sort order's index is walked, WALKED_CLIENTS at most, each client's
# search text tested with LIKE, as a word of one or two letters is (a text this many clients
# hold is found within the first few hundred); only when that finds less than a page are the
# matches read. The index's matches are counted this far at most to tell.
VERY_MANY_MATCHES = 10_000
WALKED_CLIENTS = 2_000
# When nothing matches, the clients in whose name, company, city or contact persons' names
# every word typed has a word at least this alike (`search_text.similarity`, from 0 to 1) are
# listed, the likest first, this many at most, chosen among the candidates sharing most
# trigrams with the text.
SIMILAR_ENOUGH = 0.3
SIMILAR_LISTED = 50
SIMILAR_CANDIDATES = 150
SIMILAR_COLUMNS = ("name", "company", "city", "people")


@dataclass(frozen=True)
class ClientFilter:
    """What the client list is narrowed to; an empty field does not filter."""

    text: str | None = None  # every word in the client's text (see `filter_conditions`)
    status: str | None = None
    kind: str | None = None
    tier: str | None = None
    tag: str | None = None
    include_archived: bool = False
    # Only the clients of this owner and everyone's (people.mine_of); None: every client.
    owner: str | None = None

    def terms(self) -> list[SearchTerm]:
        """What the text asks for, word by word (`search_text.search_terms`)."""
        return search_terms(self.text or "")

    @property
    def text_only(self) -> bool:
        """Whether the text (and the archived ones left out or in) is all that filters."""
        return not (self.status or self.kind or self.tier or self.tag or self.owner)


# Every client that is not archived.
NO_FILTER = ClientFilter()


@dataclass(frozen=True)
class IndexMatches:
    """The clients the index finds for the indexed terms of a text, read once for all the
    queries of a keystroke (`read_index_matches`): how many, and their ids (a JSON array)
    when there are at most VERY_MANY_MATCHES, else None (too many to keep; the queries then
    read the index themselves, each only as far as it needs)."""

    expression: str  # the FTS5 query (`match_expression`)
    found: int  # up to VERY_MANY_MATCHES + 1
    ids: str | None

    def counted(self, at_most: int) -> int | None:
        """How many clients the index finds, up to `at_most`; None when that is not known
        (beyond VERY_MANY_MATCHES)."""
        if self.ids is not None or at_most < self.found:
            return min(self.found, at_most)
        return None

    def condition(self, key: str) -> Condition:
        """SQL: `key` (the client's id) is one of the ids kept."""
        sql = f"{key} IN (SELECT value FROM json_each(:filter_ids))"
        return Condition(sql, {"filter_ids": self.ids})


@dataclass(frozen=True)
class Condition:
    """One SQL condition on the row of the table `client`, with its named parameters."""

    sql: str
    params: dict[str, Any] = field(default_factory=dict)


def where_sql(conditions: Sequence[Condition]) -> str:
    """The conditions joined for a WHERE clause (true when there are none)."""
    return " AND ".join(condition.sql for condition in conditions) or "1"


def params_of(conditions: Sequence[Condition]) -> dict[str, Any]:
    """The parameters of all the conditions."""
    return {name: value for condition in conditions for name, value in condition.params.items()}


# -- the conditions -------------------------------------------------------------------------


def filter_conditions(
    client_filter: ClientFilter = NO_FILTER,
    *,
    search_index: bool = False,
    many: bool = False,
    matches: IndexMatches | None = None,
) -> list[Condition]:
    """SQL conditions for the client list's filters.

    Every term of the filter's text (`ClientFilter.terms`) must be in the client's search text:
    its name, company, e-mail, city, tags, contact points, or a contact person's name, role,
    e-mail or phone, ignoring case and accents; a phone number may also be in the digits of
    one of its numbers, however written. With `search_index` (see `has_search_index`) the
    terms of three characters or more are looked up in its trigram index; the others, and all
    without it, are matched with LIKE. `many` says the index finds many clients (see
    `term_conditions`); `matches`, what it finds, when already read.
    """
    # The conditions are hinted as true for most clients: SQLite then reads the index's
    # matches first when there are some (and sorts only them), otherwise walks the sort
    # order's index and stops at a page (a word of one or two letters is in many clients)
    # rather than walking the archived index row by row.
    conditions: list[Condition] = []
    if not client_filter.include_archived:
        conditions.append(Condition("likely(client.archived IS 0)"))
    chosen = (
        ("status", client_filter.status),
        ("kind", client_filter.kind),
        ("tier", client_filter.tier),
    )
    for name, value in chosen:
        if value:
            conditions.append(
                Condition(f"likely(client.{name} = :filter_{name})", {f"filter_{name}": value})
            )
    if client_filter.tag:
        conditions.append(has_tag(client_filter.tag))
    if client_filter.owner is not None:
        mine = "(client.owner IS NULL OR client.owner = :filter_owner)"
        conditions.append(Condition(mine, {"filter_owner": client_filter.owner}))
    terms = client_filter.terms()
    return conditions + term_conditions(
        terms, search_index=search_index, many=many, matches=matches
    )


def has_tag(tag: str) -> Condition:
    """SQL: the client carries `tag` (exactly, ignoring case)."""
    return Condition(
        "EXISTS (SELECT * FROM json_each(client.tags) AS tag WHERE lower(tag.value) = :filter_tag)",
        {"filter_tag": tag.lower()},
    )


def term_conditions(
    terms: Sequence[SearchTerm],
    *,
    search_index: bool,
    many: bool = False,
    matches: IndexMatches | None = None,
) -> list[Condition]:
    """SQL: the client holds every one of `terms`: the indexed ones through the index (or
    among the ids of `matches`, its matches already read), the others (too short for a
    trigram) with LIKE on the search text. With `many`, the index's matches are tested client
    by client (see MANY_MATCHES) rather than read first."""
    indexed = indexed_terms(terms, search_index)
    conditions = [in_matches(indexed, many=many, matches=matches)] if indexed else []
    conditions += [holds(term, number) for number, term in enumerate(terms) if term not in indexed]
    return conditions


def in_matches(
    terms: Sequence[SearchTerm], *, many: bool = False, matches: IndexMatches | None = None
) -> Condition:
    """SQL: the client's search text holds every one of `terms`, looked up in the index, or
    among the ids of `matches` when they are those of `terms` and all kept; with `many`,
    without looking the client up by its id (`+ 0`), as MANY_MATCHES says."""
    key = "client.id + 0" if many else "client.id"
    kept = _kept_for(matches, terms)
    if kept is not None:
        return kept.condition(key)
    return Condition(f"{key} IN ({MATCHING_IDS_SQL})", {"filter_match": match_expression(terms)})


# The ids of the clients whose search text holds the FTS5 query :filter_match.
MATCHING_IDS_SQL = "SELECT rowid FROM client_search WHERE client_search MATCH :filter_match"


def holds(term: SearchTerm, number: int = 0) -> Condition:
    """SQL: the client's search text holds `term` as `match_expression` reads it, with LIKE
    (which ignores the case of ASCII letters only); its parameters are named after `number`,
    the term's place in the text."""
    found, params = [], {}
    if term.as_written:
        name = f"filter_word_{number}"
        found += [f"client_search_text.{column} {_like(name)}" for column in TEXT_COLUMNS]
        params[name] = _contains(term.word)
    if term.digits is not None:
        name = f"filter_digits_{number}"
        found.append(f"client_search_text.digits {_like(name)}")
        params[name] = _contains(term.digits_text)
    sql = (
        "likely(EXISTS (SELECT * FROM client_search_text"
        f" WHERE client_search_text.id = client.id AND ({' OR '.join(found)})))"
    )
    return Condition(sql, params)


def _like(name: str) -> str:
    return f"LIKE :{name} ESCAPE '{LIKE_ESCAPE}'"


def _contains(text: str) -> str:
    """The LIKE pattern of a text containing `text`."""
    return f"%{like_escaped(text)}%"


# -- the terms ------------------------------------------------------------------------------


def indexed_terms(terms: Sequence[SearchTerm], search_index: bool) -> list[SearchTerm]:
    """The terms looked up in the search index (none without one)."""
    return [term for term in terms if search_index and term.indexed]


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


def misspelt_words(terms: Sequence[SearchTerm]) -> list[str]:
    """The words of `terms` that may be misspelt names: not a phone number, long enough to
    have a trigram."""
    return [term.word for term in terms if term.digits is None and len(term.word) >= TRIGRAM_WORD]


def _kept_for(matches: IndexMatches | None, terms: Sequence[SearchTerm]) -> IndexMatches | None:
    """`matches` when it keeps every id the index finds for `terms`, else None."""
    if matches is None or matches.ids is None or matches.expression != match_expression(terms):
        return None
    return matches


# -- reading on a DB-API connection ---------------------------------------------------------


def has_search_index(connection: Connection) -> bool:
    """Whether the book has the clients' trigram search index (schema 0009, made where
    SQLite has FTS5 with the trigram tokenizer)."""
    if on_server(connection):
        return False  # pg_trgm's indexes serve the filter's LIKE (schema 0009)
    sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'client_search'"
    return fetch_one(connection, sql) is not None


def count_matches(
    connection: Connection, terms: Sequence[SearchTerm], *, at_most: int | None = None
) -> int:
    """How many clients' search texts hold every one of `terms` (archived or not); with
    `at_most`, the index's matches are counted that far only."""
    limit = "" if at_most is None else f" LIMIT {int(at_most)}"
    sql = f"SELECT count(*) FROM ({MATCHING_IDS_SQL}{limit})"
    return int(fetch_value(connection, sql, {"filter_match": match_expression(terms)}))


def read_index_matches(
    connection: Connection, client_filter: ClientFilter, search_index: bool
) -> IndexMatches | None:
    """What the index finds for the filter's text, read once (None when no word of it is
    looked up in the index): every id, or none kept beyond VERY_MANY_MATCHES."""
    indexed = indexed_terms(client_filter.terms(), search_index)
    if not indexed:
        return None
    expression = match_expression(indexed)
    # The ids come as one JSON text, as the conditions bind them (a row each is slower).
    sql = (
        "SELECT count(*), json_group_array(rowid)"
        f" FROM ({MATCHING_IDS_SQL} LIMIT {VERY_MANY_MATCHES + 1})"
    )
    row = fetch_one(connection, sql, {"filter_match": expression})
    found, ids = (int(row[0]), str(row[1])) if row is not None else (0, "[]")
    return IndexMatches(expression, found, ids if found <= VERY_MANY_MATCHES else None)


def index_matches(
    connection: Connection,
    client_filter: ClientFilter,
    search_index: bool,
    *,
    at_most: int,
    matches: IndexMatches | None = None,
) -> int:
    """How many clients the index finds for the filter's text, counted up to `at_most` (0
    when no word of it is looked up in the index); from `matches` when they tell."""
    indexed = indexed_terms(client_filter.terms(), search_index)
    if not indexed:
        return 0
    if matches is not None and matches.expression == match_expression(indexed):
        counted = matches.counted(at_most)
        if counted is not None:
            return counted
    return count_matches(connection, indexed, at_most=at_most)


def many_matches(
    connection: Connection,
    client_filter: ClientFilter,
    search_index: bool,
    matches: IndexMatches | None = None,
) -> bool:
    """Whether the index finds MANY_MATCHES clients or more for the filter's text."""
    found = index_matches(
        connection, client_filter, search_index, at_most=MANY_MATCHES, matches=matches
    )
    return found >= MANY_MATCHES


def any_match(
    connection: Connection,
    terms: Sequence[SearchTerm],
    among: Sequence[Condition],
    matches: IndexMatches | None = None,
) -> bool:
    """Whether a client meeting `among` holds every one of `terms` (some of them indexed)."""
    return count_listed(connection, terms, among, at_most=1, matches=matches) > 0


def count_listed(
    connection: Connection,
    terms: Sequence[SearchTerm],
    among: Sequence[Condition],
    *,
    at_most: int,
    matches: IndexMatches | None = None,
) -> int:
    """How many clients meeting `among` hold every one of `terms` (some of them indexed),
    counted up to `at_most`.

    With `matches` keeping every id the index finds, those clients alone are looked up.
    Otherwise the index's matches are read one by one, each client looked up, until `at_most`
    of them meet the rest, rather than all of them first: the count costs as much for a text
    that a tenth of a large book holds as for a small book."""
    indexed = indexed_terms(terms, search_index=True)
    others = term_conditions([term for term in terms if term not in indexed], search_index=True)
    kept = _kept_for(matches, indexed)
    if kept is not None:
        if not kept.found:
            return 0
        conditions = [kept.condition("client.id"), *among, *others]
        sql = (
            f"SELECT count(*) FROM (SELECT client.id FROM client WHERE {where_sql(conditions)}"
            f" LIMIT {int(at_most)})"
        )
        return int(fetch_value(connection, sql, params_of(conditions)))
    conditions = [*among, *others]
    sql = (
        "SELECT count(*) FROM (SELECT client.id"
        " FROM client_search JOIN client ON client.id = client_search.rowid"
        f" WHERE client_search MATCH :filter_match AND {where_sql(conditions)}"
        f" LIMIT {int(at_most)})"
    )
    params = {"filter_match": match_expression(indexed), **params_of(conditions)}
    return int(fetch_value(connection, sql, params))


def matches_as_typed(
    connection: Connection,
    client_filter: ClientFilter,
    *,
    search_index: bool,
    matches: IndexMatches | None = None,
) -> bool:
    """Whether the list shows the clients the filter matches (accents and the notation of a
    phone number aside), rather than clients alike (see `similar_client_ids`): it does unless
    the text has a word that may be misspelt and matches no client as typed. `matches`, the
    index's matches when already read."""
    terms = client_filter.terms()
    if not misspelt_words(terms) or not finds_names_alike(connection):
        return True
    if not search_index:  # on a server: LIKE, which pg_trgm's indexes serve
        conditions = filter_conditions(client_filter)
        sql = f"SELECT client.id FROM client WHERE {where_sql(conditions)} LIMIT 1"
        return fetch_one(connection, sql, params_of(conditions)) is not None
    others = filter_conditions(replace(client_filter, text=None))
    return any_match(connection, terms, others, matches)


def finds_names_alike(connection: Connection) -> bool:
    """Whether the book can list the clients alike a misspelt text: through the trigram
    search index of a file (`has_search_index`), through pg_trgm's indexes on a server."""
    return on_server(connection) or has_search_index(connection)


def clients_alike(connection: Connection, client_filter: ClientFilter) -> list[int]:
    """The ids of the clients the other filters leave whose name, company, city or contact
    persons' names are alike the filter's text (`schnieder` finds Schneider), the likest
    first (`similar_client_ids`)."""
    words = misspelt_words(client_filter.terms())
    if not words or not finds_names_alike(connection):
        return []
    others = filter_conditions(replace(client_filter, text=None))
    return similar_client_ids(connection, words, others)


def similar_client_ids(
    connection: Connection, words: Sequence[str], among: Sequence[Condition]
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
    candidates, params = _sharing_all_held(connection, grams, among) or _sharing_most(
        connection, grams
    )
    texts = ", ".join(f"client_search_text.{name}" for name in SIMILAR_COLUMNS)
    sql = (
        f"SELECT client.id, client.name, {texts} FROM client"
        " JOIN client_search_text ON client_search_text.id = client.id"
        f" WHERE client.id IN ({candidates}) AND {where_sql(among)}"
    )
    alike = []
    for client_id, name, *found in fetch_all(connection, sql, {**params, **params_of(among)}):
        scores = likeness(words, " ".join(text for text in found if text))
        if min(scores) >= SIMILAR_ENOUGH:
            alike.append((-sum(scores) / len(scores), name.casefold(), client_id))
    return [client_id for _score, _name, client_id in sorted(alike)[:SIMILAR_LISTED]]


def _sharing_most(connection: Connection, grams: Sequence[str]) -> tuple[str, dict[str, Any]]:
    """SQL: the ids of the SIMILAR_CANDIDATES clients that hold most of `grams`, and its
    parameters. Every client holding any of them is read and counted."""
    hits, params = _trigram_hits(connection, grams)
    candidates = (
        f"SELECT hits.id FROM ({hits}) AS hits GROUP BY hits.id"
        f" ORDER BY count(*) DESC LIMIT {SIMILAR_CANDIDATES}"
    )
    return candidates, params


def _sharing_all_held(
    connection: Connection, grams: Sequence[str], among: Sequence[Condition]
) -> tuple[str, dict[str, Any]] | None:
    """SQL for candidates as good as `_sharing_most`'s, and its parameters, when the trigram
    index of a file finds SIMILAR_CANDIDATES clients meeting `among` that hold every one of
    `grams` any client holds (no client holds more); else None.

    A name many clients share (a thousand Kowalskis in a large book) is found this way
    without reading, counting and sorting every client that holds one of its trigrams: the
    index walks its lists of clients side by side and stops once it has enough.
    """
    if on_server(connection):
        return None
    queries = [_column_query(gram) for gram in grams]
    held_sql = ", ".join(
        f"EXISTS (SELECT 1 FROM client_search WHERE client_search MATCH :gram_{number})"
        for number in range(len(queries))
    )
    held = fetch_one(connection, f"SELECT {held_sql}", dict(_gram_params(queries))) or ()
    held_queries = [query for query, is_held in zip(queries, held, strict=True) if is_held]
    if not held_queries:
        return None
    params = {"all_held": " AND ".join(f"({query})" for query in held_queries)}
    params.update(params_of(among))
    candidates = (
        "SELECT client_search.rowid FROM client_search"
        " JOIN client ON client.id = client_search.rowid"
        f" WHERE client_search MATCH :all_held AND {where_sql(among)}"
        f" LIMIT {SIMILAR_CANDIDATES}"
    )
    found = fetch_value(connection, f"SELECT count(*) FROM ({candidates})", params)
    return (candidates, params) if found == SIMILAR_CANDIDATES else None


def _column_query(gram: str) -> str:
    """The FTS5 query of `gram` in the SIMILAR_COLUMNS of the trigram index."""
    return f"{{{' '.join(SIMILAR_COLUMNS)}}} : {fts_string(gram)}"


def _gram_params(values: Sequence[str]) -> list[tuple[str, str]]:
    """The parameters `gram_0`, `gram_1`… holding `values`."""
    return [(f"gram_{number}", value) for number, value in enumerate(values)]


def _trigram_hits(connection: Connection, grams: Sequence[str]) -> tuple[str, dict[str, str]]:
    """SQL: a row with a client's id for each of `grams` in its SIMILAR_COLUMNS, and its
    parameters: looked up in the trigram index of a file, with LIKE (which pg_trgm's indexes
    serve) on a server."""
    if on_server(connection):

        def holding(name: str) -> str:
            found = (f"client_search_text.{column} {_like(name)}" for column in SIMILAR_COLUMNS)
            return f"SELECT id FROM client_search_text WHERE {' OR '.join(found)}"

        hits = " UNION ALL ".join(holding(f"gram_{number}") for number in range(len(grams)))
        return hits, dict(_gram_params([_contains(gram) for gram in grams]))
    hits = " UNION ALL ".join(
        f"SELECT rowid AS id FROM client_search WHERE client_search MATCH :gram_{number}"
        for number in range(len(grams))
    )
    return hits, dict(_gram_params([_column_query(gram) for gram in grams]))
