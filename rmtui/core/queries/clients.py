"""Clients: the filtered, sorted, keyset-paged list, the palette search, edits and check-ins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    case,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from rmtui.core import rules
from rmtui.core.client_filter import (
    MANY_MATCHES,
    NO_FILTER,
    VERY_MANY_MATCHES,
    WALKED_CLIENTS,
    ClientFilter,
    IndexMatches,
    filter_conditions,
    finds_names_alike,
    in_matches,
    indexed_terms,
    misspelt_words,
    similar_client_ids,
    term_conditions,
)
from rmtui.core.dates import today
from rmtui.core.models import (
    CLIENT_COUNT,
    CLIENT_STATUSES,
    NAME_PARTS,
    Client,
    FollowUp,
    Interaction,
)
from rmtui.core.queries.client_search import (
    book_state,
    count_listed,
    count_matches,
    has_search_index,
    index_matches,
    index_matches_of,
    many_matches,
    matches_typed_text,
    raw_connection,
    sql_conditions,
)
from rmtui.core.queries.common import (
    LIKE_ESCAPE,
    after_key,
    apply_values,
    check_choices,
    columns_for,
    contains_text,
    fetch,
    like_escaped,
    likely,
    ordered,
    page_limit,
    table_of,
    without_case,
)
from rmtui.core.queries.contact_points import keep_in_step
from rmtui.core.search_text import search_terms

CLIENT = table_of(Client)
FOLLOW_UP = table_of(FollowUp)
INTERACTION = table_of(Interaction)
SORTS = ("name", "last_contact", "next_follow_up", "created_on", "tier", "status", "city")
# Statuses in the order a relationship goes through them, for sorting by status.
STATUS_RANK = {status: rank for rank, status in enumerate(CLIENT_STATUSES)}
# A client with no open follow-up sorts after every real due date.
NO_FOLLOW_UP = "9999-12-31"
# The same as a day in SQL: text in SQLite, a date on PostgreSQL, whose COALESCE and UNION take
# no mix of dates and text.
NO_FOLLOW_UP_DAY = literal(date.fromisoformat(NO_FOLLOW_UP), Date)
# Where a session keeps the clients alike its last text (`clients_alike`).
ALIKE_KEPT = "clients_alike"
# Sorts whose order an index gives: with many matches, a page walks that index.
INDEXED_SORTS = frozenset({"name", "last_contact", "created_on"})
# A text filter is counted up to this many matches only (shown as "1,000+").
TEXT_COUNT_LIMIT = 1_000
# The highest code point: `prefix + TOP` is above every name starting with `prefix`.
TOP = "\U0010ffff"
FIXED = ("id", "last_contact_on")


@dataclass(frozen=True)
class ClientRow:
    """One line of the client list."""

    id: int
    name: str
    kind: str
    status: str
    tier: str
    company: str | None
    city: str | None
    email: str | None
    phone: str | None
    tags: tuple[str, ...]
    last_contact_on: date | None
    next_follow_up_on: date | None
    archived: bool
    cadence: int  # the client's own check-in cadence, else their tier's
    created_on: date


# -- the client list ---------------------------------------------------------------------------


def list_clients(
    *,
    session: Session,
    client_filter: ClientFilter = NO_FILTER,
    sort: str = "name",
    descending: bool = False,
    limit: int = 50,
    after: tuple[Any, ...] | None = None,
) -> list[ClientRow]:
    """One page of the client list: filtered, sorted, the rows after `after`.

    `after` is `client_page_key(last_row, sort)` of the previous page's last row (None for the
    first page). See `client_filters` for what `client_filter` matches; when its text matches
    no client, the clients alike are listed instead, the likest first (`clients_alike`).
    """
    search_index = has_search_index(session)
    alike = _alike_instead(session, client_filter, search_index)
    if alike is not None:
        return [] if after is not None else _rows_in_order(session, alike[:limit])
    found = _matches_along(session, client_filter, search_index, sort)
    many = found >= MANY_MATCHES
    matches = index_matches_of(session, client_filter, search_index)
    conditions = client_filters(
        client_filter=client_filter, search_index=search_index, many=many, matches=matches
    )
    keys = sort_keys(sort)
    if sort == "next_follow_up":
        page = _follow_up_order_page(conditions, after, descending, limit)
        return _rows(session, page, keys, descending)
    beyond = [] if after is None else [_after(keys, after, sort, descending)]
    conditions += beyond
    if found >= VERY_MANY_MATCHES:
        walked = _walked_page(session, client_filter, beyond, keys, descending, limit)
        if walked is not None:
            page = select(CLIENT.c.id).where(CLIENT.c.id.in_(walked))
            return _rows(session, page, keys, descending)
    if _scanned_text(client_filter.text, search_index):
        few = _every_match_if_few(session, conditions, limit)
        if few is not None:
            return _rows(session, select(CLIENT.c.id).where(CLIENT.c.id.in_(few)), keys, descending)
    page = select(CLIENT.c.id).where(*conditions).order_by(*ordered(keys, descending=descending))
    return _rows(session, page.limit(page_limit(limit)), keys, descending)


def _matches_along(
    session: Session, client_filter: ClientFilter, search_index: bool, sort: str
) -> int:
    """How many clients the index finds for the filter's text, up to VERY_MANY_MATCHES, when
    the list is sorted by an indexed column (else 0: the matches are read and sorted)."""
    if sort not in INDEXED_SORTS:
        return 0
    return index_matches(session, client_filter, search_index, at_most=VERY_MANY_MATCHES)


def _after(keys: Sequence[Any], after: tuple[Any, ...], sort: str, descending: bool) -> Any:
    """SQL: the client comes after the page key `after` in the order of `keys`."""
    nullable_lead = sort == "last_contact"
    return after_key(keys, after, descending=descending, nullable_lead=nullable_lead)


def _walked_page(
    session: Session,
    client_filter: ClientFilter,
    beyond: list[Any],
    keys: Sequence[Any],
    descending: bool,
    limit: int,
) -> list[int] | None:
    """The ids of the page's clients found by walking the sort order's index, WALKED_CLIENTS
    at most (those `beyond` the previous page), each one's search text tested with LIKE; None
    when fewer than `limit` are found that way (see VERY_MANY_MATCHES)."""
    others = client_filters(client_filter=replace(client_filter, text=None))
    walked = (
        select(CLIENT.c.id)
        .where(*others, *beyond)
        .order_by(*ordered(keys, descending=descending))
        .limit(page_limit(WALKED_CLIENTS))
        .subquery("client")
    )
    holding = sql_conditions(term_conditions(client_filter.terms(), search_index=False))
    query = select(walked.c.id).where(*holding).limit(page_limit(limit))
    found = list(session.execute(query).scalars())
    return found if len(found) >= limit else None


def _every_match_if_few(
    session: Session, conditions: list[ColumnElement[bool]], limit: int
) -> list[int] | None:
    """The ids of every client meeting `conditions` when there are fewer than `limit`, else
    None (the page is then read along the sort order's index).

    The table is read in its own order up to `limit` matches: a common word stops this at
    once; a rare one reads the whole table, and its few matches are then sorted alone instead
    of walking the sort order's index to its end, looking up every client on the way.
    """
    query = select(CLIENT.c.id).where(*conditions).limit(page_limit(limit))
    found = list(session.execute(query).scalars())
    return found if len(found) < limit else None


def client_page_at(
    *,
    session: Session,
    offset: int,
    limit: int = 50,
    client_filter: ClientFilter = NO_FILTER,
    sort: str = "name",
    descending: bool = False,
) -> list[ClientRow]:
    """The page of the client list starting at row `offset` (for jumps of a scroll bar)."""
    search_index = has_search_index(session)
    alike = _alike_instead(session, client_filter, search_index)
    if alike is not None:
        return _rows_in_order(session, alike[offset : offset + limit])
    many = sort in INDEXED_SORTS and many_matches(session, client_filter, search_index)
    matches = index_matches_of(session, client_filter, search_index)
    conditions = client_filters(
        client_filter=client_filter, search_index=search_index, many=many, matches=matches
    )
    keys = sort_keys(sort)
    page = select(CLIENT.c.id).where(*conditions).order_by(*ordered(keys, descending=descending))
    return _rows(session, page.limit(page_limit(limit)).offset(offset), keys, descending)


def count_clients(
    *,
    session: Session,
    client_filter: ClientFilter = NO_FILTER,
    at_most: int | None = None,
) -> int:
    """How many clients `list_clients` would list with the same filters; with `at_most`, the
    counting stops there (see `count_limit`)."""
    if _counted_by_owner(client_filter):
        return _counted_clients(session, client_filter)
    search_index = has_search_index(session)
    alike = _alike_instead(session, client_filter, search_index)
    if alike is not None:
        return len(alike) if at_most is None else min(len(alike), at_most)
    if at_most is not None and indexed_terms(client_filter.terms(), search_index):
        return count_listed(session, client_filter, at_most=at_most)
    matches = index_matches_of(session, client_filter, search_index)
    counted = _counted_by_the_index(session, client_filter, search_index, matches)
    if counted is not None:
        return counted
    many = many_matches(session, client_filter, search_index)
    conditions = client_filters(
        client_filter=client_filter, search_index=search_index, many=many, matches=matches
    )
    if at_most is None:
        query = select(func.count()).select_from(CLIENT).where(*conditions)
        return session.execute(query).scalar_one()
    found = select(CLIENT.c.id).where(*conditions).limit(page_limit(at_most)).subquery()
    return session.execute(select(func.count()).select_from(found)).scalar_one()


def _counted_by_owner(client_filter: ClientFilter) -> bool:
    """Whether the listing is narrowed by whether a client is archived and by owner alone, so
    that the clients are counted in `client_count` (kept by the triggers, schema 0016)."""
    chosen = (client_filter.status, client_filter.kind, client_filter.tier, client_filter.tag)
    return not any(chosen) and not client_filter.terms()


def _counted_clients(session: Session, client_filter: ClientFilter) -> int:
    """How many clients `client_filter` lists, read from the few rows of `client_count`."""
    counted = CLIENT_COUNT.c
    conditions: list[ColumnElement[bool]] = []
    if not client_filter.include_archived:
        conditions.append(counted.archived.is_(False))
    if client_filter.owner is not None:
        conditions.append(counted.everyone.is_(True) | (counted.owner == client_filter.owner))
    query = select(func.coalesce(func.sum(counted.clients), 0)).where(*conditions)
    return int(session.execute(query).scalar_one())


def count_limit(*, session: Session, text: str | None) -> int | None:
    """How far to count the client list filtered by `text`: TEXT_COUNT_LIMIT when it has
    words, so that a word many clients hold is not counted through all of them (read from
    every client's search text, or every match of the index); else None (counted in full)."""
    return TEXT_COUNT_LIMIT if search_terms(text or "") else None


def _scanned_text(text: str | None, search_index: bool) -> bool:
    """Whether `text` has words and none of them is looked up in the search index: its matches
    are found by reading every client."""
    terms = search_terms(text or "")
    return bool(terms) and not indexed_terms(terms, search_index)


def _counted_by_the_index(
    session: Session,
    client_filter: ClientFilter,
    search_index: bool,
    matches: IndexMatches | None,
) -> int | None:
    """The count of a listing filtered by an indexed text alone, from the index (or from
    `matches`, its matches already read): its matches, less the archived ones among them when
    those are left out. None for other filters."""
    terms = client_filter.terms()
    indexed = indexed_terms(terms, search_index)
    if not indexed or len(indexed) < len(terms) or not client_filter.text_only:
        return None
    if matches is not None and matches.ids is not None:
        total = matches.found
    else:
        total = count_matches(session, indexed)
    if client_filter.include_archived or not total:
        return total
    many = total >= MANY_MATCHES
    (matching,) = sql_conditions([in_matches(indexed, many=many, matches=matches)])
    archived = select(func.count()).select_from(CLIENT).where(CLIENT.c.archived.is_(True), matching)
    return total - session.execute(archived).scalar_one()


def client_filters(
    *,
    client_filter: ClientFilter = NO_FILTER,
    search_index: bool = False,
    many: bool = False,
    matches: IndexMatches | None = None,
) -> list[ColumnElement[bool]]:
    """SQL conditions for the client list's filters (see client_filter.filter_conditions);
    `matches`, the index's matches of its text when already read."""
    conditions = filter_conditions(
        client_filter, search_index=search_index, many=many, matches=matches
    )
    return sql_conditions(conditions)


def matches_as_typed(*, session: Session, client_filter: ClientFilter) -> bool:
    """Whether the list shows the clients the filter matches (accents and the notation of a
    phone number aside), rather than clients alike (see `clients_alike`)."""
    return _alike_instead(session, client_filter, has_search_index(session)) is None


def clients_alike(*, session: Session, client_filter: ClientFilter) -> list[int]:
    """The ids of the clients the other filters leave whose name, company, city or contact
    persons' names are alike the filter's text (`schnieder` finds Schneider), the likest
    first (`client_filter.similar_client_ids`).

    They are kept in the session while the book stays as it is, for the list, its count and
    a client's place in it."""
    words = misspelt_words(client_filter.terms())
    if not words or not finds_names_alike(raw_connection(session)):
        return []
    others = replace(client_filter, text=None)
    asked = (tuple(words), others, book_state(session))
    kept = session.info.get(ALIKE_KEPT)
    if kept is not None and None not in asked and kept[0] == asked:
        return list(kept[1])
    alike = similar_client_ids(raw_connection(session), words, filter_conditions(others))
    session.info[ALIKE_KEPT] = (asked, alike)
    return list(alike)


def _alike_instead(
    session: Session, client_filter: ClientFilter, search_index: bool
) -> list[int] | None:
    """`clients_alike` when the filter's text has a word that may be misspelt and matches no
    client as typed; else None (the list shows what the filter matches)."""
    if matches_typed_text(session, client_filter, search_index):
        return None
    return clients_alike(session=session, client_filter=client_filter)


def sort_keys(sort: str) -> list[Any]:
    """The SQL sort keys of a client list sort, ending with the id so the order is total."""
    name = without_case(CLIENT.c.name)
    keys: dict[str, list[Any]] = {
        "name": [name],
        "last_contact": [CLIENT.c.last_contact_on],
        "next_follow_up": [func.coalesce(next_follow_up(), NO_FOLLOW_UP_DAY)],
        "created_on": [CLIENT.c.created_on],
        "tier": [CLIENT.c.tier, name],
        "status": [_status_rank(), name],
        "city": [
            case((CLIENT.c.city.is_(None), 1), else_=0),
            without_case(func.coalesce(CLIENT.c.city, "")),
            name,
        ],
    }
    if sort not in keys:
        raise ValueError(f"unknown client sort {sort!r}; use one of {SORTS}")
    return [*keys[sort], CLIENT.c.id]


def client_page_key(row: ClientRow, sort: str) -> tuple[Any, ...]:
    """The `after` of `list_clients` for the page that follows `row` in `sort` order."""
    follow_up = row.next_follow_up_on or date.fromisoformat(NO_FOLLOW_UP)
    keys: dict[str, tuple[Any, ...]] = {
        "name": (row.name,),
        "last_contact": (row.last_contact_on,),
        "next_follow_up": (follow_up,),
        "created_on": (row.created_on,),
        "tier": (row.tier, row.name),
        "status": (STATUS_RANK[row.status], row.name),
        "city": (int(row.city is None), row.city or "", row.name),
    }
    return (*keys[sort], row.id)


def _follow_up_order_page(
    conditions: list[ColumnElement[bool]],
    after: tuple[Any, ...] | None,
    descending: bool,
    limit: int,
) -> Select[Any]:
    """Ids of a page in next-follow-up order without working out every client's date.

    Clients with an open follow-up come from the follow-ups grouped by client; the others
    (key NO_FOLLOW_UP) from the client table in id order. Each part gives at most one page.
    """
    due = (
        select(FOLLOW_UP.c.client_id, func.min(FOLLOW_UP.c.due_on).label("due_on"))
        # `likely` steers SQLite to the covering (client_id, status, due_on) index.
        .where(likely(FOLLOW_UP.c.status == "open"), FOLLOW_UP.c.client_id.is_not(None))
        .group_by(FOLLOW_UP.c.client_id)
        .subquery("due")
    )
    due_key = due.c.due_on
    with_due = select(CLIENT.c.id, due_key.label("key")).join_from(
        due, CLIENT, CLIENT.c.id == due.c.client_id
    )
    no_key = NO_FOLLOW_UP_DAY
    without = select(CLIENT.c.id, no_key.label("key")).where(next_follow_up().is_(None))
    # Ordering the part without a due date by its constant key too would keep SQLite from
    # walking the client table in id order.
    sorts = ((with_due, [due_key, CLIENT.c.id], 0), (without, [no_key, CLIENT.c.id], 1))
    parts = []
    for part, keys, constant_keys in sorts:
        part = part.where(*conditions)
        if after is not None:
            part = part.where(after_key(keys, after, descending=descending))
        order = ordered(keys[constant_keys:], descending=descending)
        parts.append(select(part.order_by(*order).limit(page_limit(limit)).subquery()))
    both = union_all(*parts).subquery("both")
    return (
        select(both.c.id)
        .order_by(*ordered([both.c.key, both.c.id], descending=descending))
        .limit(page_limit(limit))
    )


def _status_rank() -> ColumnElement[int]:
    return case(STATUS_RANK, value=CLIENT.c.status, else_=len(STATUS_RANK))


def next_follow_up() -> Any:
    """SQL: the earliest due date of the client's open follow-ups (NULL when none)."""
    return (
        select(func.min(FOLLOW_UP.c.due_on))
        .where(FOLLOW_UP.c.client_id == CLIENT.c.id, FOLLOW_UP.c.status == "open")
        .scalar_subquery()
    )


def client_row_columns() -> list[Any]:
    """The columns a ClientRow is built from (see client_row)."""
    return columns_for(
        ClientRow, CLIENT, next_follow_up_on=next_follow_up(), cadence=rules.cadence()
    )


def _rows(
    session: Session, page: Select[Any], keys: list[Any], descending: bool
) -> list[ClientRow]:
    """The ClientRows of the ids `page` selects, the follow-up date worked out for them alone."""
    ids = page.subquery("page")
    query = (
        select(*client_row_columns())
        .select_from(CLIENT.join(ids, ids.c.id == CLIENT.c.id))
        .order_by(*ordered(keys, descending=descending))
    )
    return [client_row(row) for row in session.execute(query)]


def client_row(row: Sequence[Any]) -> ClientRow:
    """A ClientRow from a result row of the `client_row_columns()`."""
    values = ClientRow(*row)
    return replace(values, tags=tuple(values.tags or ()), archived=bool(values.archived))


# -- the command palette -------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundClients:
    """The clients a text finds (`find_clients`): those it matches, best first; or, when it
    matches none, those with a name alike, likest first."""

    matching: list[ClientRow]
    alike: list[ClientRow] = field(default_factory=list)


def search_clients_by_name(
    *, session: Session, text: str, limit: int = 20, include_archived: bool = False
) -> list[ClientRow]:
    """Clients whose name matches `text`, best first: name prefix, word start, substring, then
    the letters in order (`jsm` finds John Smith)."""
    text = " ".join(text.split())
    if not text:
        return []
    found = _name_prefix_ids(session, text, limit, include_archived)
    if len(found) < limit:
        found += _name_match_ids(session, text, limit - len(found), include_archived, found)
    return _rows_in_order(session, found)


def find_clients(*, session: Session, text: str, limit: int = 20) -> FoundClients:
    """Clients as they are remembered, best first: by name (`search_clients_by_name`), then as
    the client list's filter finds them (accents left out, a phone number in any notation, a
    contact person); when neither finds one, the clients alike (a name misspelt)."""
    found = search_clients_by_name(session=session, text=text, limit=limit)
    client_filter = ClientFilter(text=text)
    if len(found) >= limit or not client_filter.terms():
        return FoundClients(found)
    if matches_as_typed(session=session, client_filter=client_filter):
        listed = list_clients(session=session, client_filter=client_filter, limit=limit)
        seen = {client.id for client in found}
        return FoundClients([*found, *(row for row in listed if row.id not in seen)][:limit])
    if found:
        return FoundClients(found)
    alike = clients_alike(session=session, client_filter=client_filter)
    return FoundClients([], _rows_in_order(session, alike[:limit]))


def _name_prefix_ids(session: Session, text: str, limit: int, include_archived: bool) -> list[int]:
    """Ids of names starting with `text`, by an index range on the case-folded name."""
    name = without_case(CLIENT.c.name)
    conditions = [name >= text, name < text + TOP]
    if not include_archived:
        conditions.append(likely(CLIENT.c.archived.is_(False)))
    query = (
        select(CLIENT.c.id).where(*conditions).order_by(name, CLIENT.c.id).limit(page_limit(limit))
    )
    return list(session.execute(query).scalars())


def _name_match_ids(
    session: Session, text: str, limit: int, include_archived: bool, skip: list[int]
) -> list[int]:
    """Ids of other names holding `text`'s letters in order, ranked word start, substring, rest."""
    name = CLIENT.c.name
    in_order = "%" + "%".join(like_escaped(char) for char in text) + "%"
    word_start = (literal(" ") + name).like(f"% {like_escaped(text)}%", escape=LIKE_ESCAPE)
    rank = case((word_start, 1), (contains_text(name, text), 2), else_=3)
    conditions = [name.like(in_order, escape=LIKE_ESCAPE), CLIENT.c.id.not_in(skip)]
    if not include_archived:
        conditions.append(CLIENT.c.archived.is_(False))
    query = (
        select(CLIENT.c.id)
        .where(*conditions)
        .order_by(rank, func.length(name), without_case(name), CLIENT.c.id)
        .limit(page_limit(limit))
    )
    return list(session.execute(query).scalars())


def _rows_in_order(session: Session, ids: list[int]) -> list[ClientRow]:
    if not ids:
        return []
    query = select(*client_row_columns()).where(CLIENT.c.id.in_(ids))
    rows = {row.id: client_row(row) for row in session.execute(query)}
    return [rows[client_id] for client_id in ids]


def all_tags(*, session: Session, include_archived: bool = False) -> list[str]:
    """Every tag in use, sorted."""
    tags = func.json_each(CLIENT.c.tags).table_valued("value").alias("tag")
    query = select(tags.c.value).select_from(CLIENT).join(tags, true())
    if not include_archived:
        query = query.where(CLIENT.c.archived.is_(False))
    query = query.distinct().order_by(tags.c.value)
    return [str(tag) for tag in session.execute(query).scalars()]


# -- one client --------------------------------------------------------------------------------


def get_client(*, session: Session, client_id: int) -> Client | None:
    """The client with `client_id`, or None."""
    return session.get(Client, client_id)


def add_client(*, session: Session, values: Mapping[str, Any]) -> Client:
    """Add a client from column `values`, filling the defaults PRODUCT.md gives.

    created_on defaults to today and, for a client (status `client`), client_since to today;
    with no check-in cadence of their own the client follows their tier's.
    """
    from rmtui.core.people import session_user

    given_owner = "owner" in values  # given as None: everyone's
    values = {name: value for name, value in values.items() if value is not None}
    _check_choices(values)
    if not given_owner:
        values["owner"] = session_user()
    values.setdefault("created_on", today())
    if values.get("status", "client") == "client":
        values.setdefault("client_since", today())
    client = Client(name=values["name"], created_on=values["created_on"])
    apply_values(client, values, fixed=FIXED)
    session.add(client)
    session.flush()
    keep_in_step(session, client, {})
    return client


def update_client(*, session: Session, client_id: int, values: Mapping[str, Any]) -> Client:
    """Change a client's columns; becoming a client or a former client dates it today, and a
    check-in cadence of None follows the tier."""
    client = fetch(session, Client, client_id)
    _check_choices(values)
    values = dict(values)
    if values.get("status") == "client" and client.client_since is None:
        values.setdefault("client_since", today())
    if values.get("status") == "former" and client.client_until is None:
        values.setdefault("client_until", today())
    if values.get("name", client.name) != client.name and not set(NAME_PARTS) & set(values):
        values.update(dict.fromkeys(NAME_PARTS))  # the parts were those of the old name
    before = {"email": client.email, "phone": client.phone}
    apply_values(client, values, fixed=FIXED)
    session.flush()
    keep_in_step(session, client, before)
    return client


def _check_choices(values: Mapping[str, Any]) -> None:
    check_choices(Client, {name: value for name, value in values.items() if value is not None})


def archive_client(*, session: Session, client_id: int) -> Client:
    """Archive a client: it leaves the lists and the agenda, its history stays."""
    return _set_archived(session, client_id, archived=True)


def unarchive_client(*, session: Session, client_id: int) -> Client:
    """Bring an archived client back (the undo of archive_client)."""
    return _set_archived(session, client_id, archived=False)


def _set_archived(session: Session, client_id: int, *, archived: bool) -> Client:
    client = fetch(session, Client, client_id)
    client.archived = archived
    session.flush()
    return client


# -- check-ins ---------------------------------------------------------------------------------


def last_contact_as_of(*, session: Session, client_id: int, day: date) -> date | None:
    """The date of the client's latest contact (not a note) on or before `day`."""
    query = (
        select(rules.last_contact_as_of(day)).select_from(CLIENT).where(CLIENT.c.id == client_id)
    )
    return session.execute(query).scalar_one_or_none()
