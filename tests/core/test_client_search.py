"""The client list's text filter through the trigram search index: it finds what a substring
search over name, company, e-mail, city and tags finds, accents left out on both sides, and
stays right through every change."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rmtui.core import client_filter as client_filter_module
from rmtui.core.db import make_engine, open_book, session_scope
from rmtui.core.db_api import of_session
from rmtui.core.interchange.book_file import InterchangeError, import_book
from rmtui.core.interchange.client_import import ImportRejected
from rmtui.core.interchange.csv_files import import_clients_csv
from rmtui.core.models import Client, Interaction
from rmtui.core.privacy import erase_client
from rmtui.core.queries import clients as client_queries
from rmtui.core.queries.client_list import client_position
from rmtui.core.queries.clients import (
    SORTS,
    TEXT_COUNT_LIMIT,
    ClientFilter,
    add_client,
    archive_client,
    client_filters,
    client_page_at,
    client_page_key,
    count_clients,
    count_limit,
    has_search_index,
    list_clients,
    matches_as_typed,
    unarchive_client,
    update_client,
)
from rmtui.core.search_text import TRIGRAM_WORD, fold
from rmtui.widgets.client_table import ClientListing, ClientPages
from tests.factories import make, make_in_old_book

# The client's own columns the filter reads; the columns of its search text.
TEXT_COLUMNS = ("name", "company", "email", "city", "tags")
SEARCH_COLUMNS = ("name", "company", "email", "city", "tags", "contacts", "people", "digits")

FIXTURES = Path(__file__).parent.parent / "fixtures"
EVERYONE = 10_000  # a page size above any book here

FIRST = ("Ann", "Zoë", "Élodie", "Chloé", "Seán", "Mary", "Marco", "Li", "Bo", "Ïda", "Øyvind")
LAST = (
    "O'Brien",
    "D'Arcy",
    "Müller",
    "Smith",
    "Li",
    "Ng",
    'the "Q"',
    "100%",
    "fifty_fifty",
    "Berg",
    "Larsson",
    "Marsh",
    "Bo",
)
COMPANIES = (
    None,
    "Acme & Co",
    "Mar_Tech",
    "50% Holdings",
    'Quote "Q" Ltd',
    "Crédit Léman",
    "Li & Fung",
    "AB",
    "Ñandú SA",
    "Back\\Slash",
)
CITIES = (None, "Gent", "Zürich", "São Paulo", "Malmö", "L'Aquila", "Rome", "Li", "Oslo")
TAGS: tuple[list[str], ...] = (
    [],
    ["vip"],
    ["golf", "pension"],
    ["café"],
    ['say "hi"'],
    ["50%"],
    ["a_b"],
    ["ÉTÉ"],
)
DOMAINS = ("example.com", "mail.be", "post.ch")
TEXTS = (
    "",
    "a",
    "A",
    "é",
    "É",
    "ë",
    "o'",
    "O'B",
    "o'brien",
    "'",
    '"',
    '"q',
    '"Q"',
    'the "q"',
    "%",
    "0%",
    "50%",
    "100%",
    "_",
    "a_b",
    "fifty_",
    "y_f",
    "\\",
    "k\\s",
    "li",
    "LI",
    "ng",
    "bo",
    "mar",
    "MAR",
    "son",
    "ber",
    "li mar",
    "mar li",
    "li ng",
    "ann gent",
    "vip",
    '"vip"',
    "[]",
    '["',
    "café",
    "caf",
    "u00e9",
    "zür",
    "ZÜR",
    "zurich",
    "élo",
    "ÉLO",
    "crédit",
    "CRÉDIT",
    "müller",
    "MÜLLER",
    "ñandú",
    "são",
    "malmö",
    "example",
    "@",
    ".com",
    "x",
    "zzz",
    "qq",
    "acme co",
    "co acme",
    "ø",
    "øyv",
    "ØYV",
    "ïda",
    "ÏDA",
    "  mar   son  ",
)


def fill_varied_book(session: Session, clients: int = 300) -> None:
    """Clients with accents, apostrophes, quotes, %, _ and \\ in every text column."""
    rng = random.Random(20261129)
    for number in range(clients):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = None
        if rng.random() < 0.8:
            local = f"{first}.{last}".lower().replace(" ", "").replace('"', "")
            email = f"{local}{number}@{rng.choice(DOMAINS)}"
        make(
            session,
            Client,
            name=f"{first} {last}",
            company=rng.choice(COMPANIES),
            email=email,
            city=rng.choice(CITIES),
            tags=rng.choice(TAGS),
            archived=rng.random() < 0.1,
        )


@pytest.fixture
def varied(session: Session) -> Session:
    """The test session on a book of 300 varied clients."""
    fill_varied_book(session)
    return session


def stored_texts(session: Session) -> dict[int, tuple[list[str], bool]]:
    """Each client's five texts as stored (tags as their values), and whether archived."""
    columns = ", ".join(f"coalesce(CAST({name} AS TEXT), '')" for name in TEXT_COLUMNS)
    rows = session.connection().exec_driver_sql(f"SELECT id, {columns}, archived FROM client")
    return {row[0]: ([*row[1:-2], " ".join(json.loads(row[-2]))], bool(row[-1])) for row in rows}


def ascii_folded(text: str) -> str:
    """`text` with its ASCII letters in lower case, as SQLite's LIKE compares."""
    return "".join(char.lower() if char.isascii() else char for char in text)


def holds(values: list[str], word: str) -> bool:
    """Whether one of `values` contains `word`, accents left out on both sides: ignoring the
    case of every letter for an indexed word (the trigram index folds them all), of ASCII
    letters only for a shorter one (LIKE)."""
    word, values = fold(word), [fold(value) for value in values]
    if len(word) >= TRIGRAM_WORD:
        return any(word.lower() in value.lower() for value in values)
    return any(ascii_folded(word) in ascii_folded(value) for value in values)


def expected_ids(session: Session, text: str, *, include_archived: bool = False) -> list[int]:
    """The clients a plain substring check over the stored texts finds for `text`."""
    return sorted(
        client_id
        for client_id, (values, archived) in stored_texts(session).items()
        if (include_archived or not archived) and all(holds(values, w) for w in text.split())
    )


def listed_ids(session: Session, text: str, **filters: Any) -> list[int]:
    rows = list_clients(
        session=session, client_filter=ClientFilter(text=text, **filters), limit=EVERYONE
    )
    return sorted(row.id for row in rows)


def mismatches(session: Session, text: str) -> list[str]:
    """How the client queries disagree with the substring check for `text` (none: [])."""
    found: list[str] = []
    for include_archived in (False, True):
        expected = expected_ids(session, text, include_archived=include_archived)
        filters: dict[str, Any] = {"text": text, "include_archived": include_archived}
        if listed_ids(session, **filters) != expected:
            found.append(f"list_clients {filters}")
        if count_clients(session=session, client_filter=ClientFilter(**filters)) != len(expected):
            found.append(f"count_clients {filters}")
        at_offset = client_page_at(
            session=session, client_filter=ClientFilter(**filters), offset=0, limit=EVERYONE
        )
        if sorted(row.id for row in at_offset) != expected:
            found.append(f"client_page_at {filters}")
    return found


def found_names(session: Session, text: str, **filters: Any) -> list[str]:
    return [
        row.name
        for row in list_clients(session=session, client_filter=ClientFilter(text=text, **filters))
    ]


def check_index(session: Session) -> None:
    """Raise unless the search index is sound and holds exactly each client's search text as
    the view computes it from the client, its contact points and its contact persons (on a
    server: the pg_trgm index of each column is there)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        indexes = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'client_search_text'"
            " AND strpos(indexdef, 'USING gin') > 0 AND strpos(indexdef, 'gin_trgm_ops') > 0"
        ).scalar_one()
        assert indexes == len(SEARCH_COLUMNS)
    else:
        connection.exec_driver_sql(
            "INSERT INTO client_search (client_search, rank) VALUES ('integrity-check', 1)"
        )
    names = ", ".join(SEARCH_COLUMNS)
    indexed = connection.exec_driver_sql(f"SELECT id, {names} FROM client_search_text ORDER BY 1")
    expected = connection.exec_driver_sql(
        f"SELECT id, {names} FROM client_search_folded ORDER BY 1"
    )
    assert list(indexed) == list(expected)


# -- the filter finds what a substring search finds ---------------------------------------------


def test_every_text_finds_what_a_substring_search_finds(varied: Session) -> None:
    if varied.connection().dialect.name == "postgresql":
        check_index(varied)  # pg_trgm's indexes serve LIKE there
    else:
        assert has_search_index(varied)
    disagreements = {text: found for text in TEXTS if (found := mismatches(varied, text))}
    assert disagreements == {}


def test_the_varied_book_gives_every_kind_of_answer(varied: Session) -> None:
    sizes = {text: len(expected_ids(varied, text)) for text in TEXTS}
    assert sizes["zzz"] == 0 and sizes[""] > 250
    assert all(sizes[text] > 0 for text in ("o'brien", '"Q"', "50%", "a_b", "\\", "ZÜR", "li mar"))
    assert sizes["é"] > 0 and sizes["É"] > 0 and sizes["élo"] == sizes["ÉLO"] > 0


def test_the_index_finds_what_like_over_the_folded_text_finds(
    varied: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexed = {text: listed_ids(varied, text) for text in TEXTS}
    monkeypatch.setattr(client_queries, "has_search_index", lambda session: False)
    scanned = {text: listed_ids(varied, text) for text in TEXTS}
    assert indexed == scanned
    assert indexed["ZÜR"] == indexed["zurich"][: len(indexed["ZÜR"])] != []


@pytest.mark.parametrize("sort", ["name", "city", "last_contact", "next_follow_up"])
def test_pages_read_one_after_another_make_the_whole_list(varied: Session, sort: str) -> None:
    for text in ("a", "li", "bo", "é", "ø", "qq", "mar", "li mar", ""):
        whole = list_clients(
            session=varied, client_filter=ClientFilter(text=text), sort=sort, limit=EVERYONE
        )
        paged: list[int] = []
        after = None
        while page := list_clients(
            session=varied, client_filter=ClientFilter(text=text), sort=sort, limit=7, after=after
        ):
            paged += [row.id for row in page]
            after = client_page_key(page[-1], sort)
        assert paged == [row.id for row in whole], text
        for offset in (0, 7, len(whole) - 3):
            at = client_page_at(
                session=varied,
                client_filter=ClientFilter(text=text),
                sort=sort,
                offset=max(offset, 0),
                limit=7,
            )
            assert [row.id for row in at] == paged[max(offset, 0) : max(offset, 0) + 7], text


@pytest.mark.parametrize("sort", ["name", "last_contact", "created_on"])
@pytest.mark.parametrize("descending", [False, True])
def test_a_text_very_many_hold_is_paged_along_the_sort_order_as_it_is_read_otherwise(
    varied: Session, monkeypatch: pytest.MonkeyPatch, sort: str, descending: bool
) -> None:
    texts = ("mar", "li mar", "ber", "o'brien", "smith", "élo", "zzz")
    filters: list[dict[str, Any]] = [{}, {"include_archived": True}, {"tier": "B"}]

    def pages(text: str, limit: int, **extra: Any) -> list[int]:
        listed: list[int] = []
        after = None
        while page := list_clients(
            session=varied,
            client_filter=ClientFilter(text=text, **extra),
            sort=sort,
            descending=descending,
            limit=limit,
            after=after,
        ):
            listed += [row.id for row in page]
            after = client_page_key(page[-1], sort)
        return listed

    read = {
        (text, i): pages(text, EVERYONE, **extra)
        for text in texts
        for i, extra in enumerate(filters)
    }
    walked: list[int] = []
    walk = client_queries._walked_page

    def counted_walk(*args: Any, **kwargs: Any) -> list[int] | None:
        found = walk(*args, **kwargs)
        walked.append(found is not None)
        return found

    monkeypatch.setattr(client_queries, "_walked_page", counted_walk)
    monkeypatch.setattr(client_queries, "VERY_MANY_MATCHES", 4)
    monkeypatch.setattr(client_queries, "MANY_MATCHES", 2)
    monkeypatch.setattr(client_queries, "WALKED_CLIENTS", 40)
    for text in texts:
        for i, extra in enumerate(filters):
            assert pages(text, 7, **extra) == read[(text, i)], (text, extra)
    if has_search_index(varied):  # some pages walked, some read from the index's matches
        assert any(walked) and not all(walked)


def test_a_keystroke_evaluates_its_texts_full_text_query_once(varied: Session) -> None:
    if not has_search_index(varied):
        pytest.skip("a book without the trigram index has no full-text query")
    statements: list[str] = []
    for text in ("li mar", "o'brien", "smith", "élo", "zzz li"):
        client_filter = ClientFilter(text=text)
        statements.clear()
        of_session(varied).set_trace_callback(statements.append)
        try:
            page = list_clients(session=varied, client_filter=client_filter, limit=7)
            at_most = count_limit(session=varied, text=text)
            count_clients(session=varied, client_filter=client_filter, at_most=at_most)
            matches_as_typed(session=varied, client_filter=client_filter)
        finally:
            of_session(varied).set_trace_callback(None)
        evaluated = [sql for sql in statements if "client_search MATCH" in sql]
        # Names alike, looked for once if at all: which trigrams any client holds, how many
        # clients hold them all (when any does), the clients alike.
        alike = [sql for sql in evaluated if "{name company city people}" in sql]
        assert len(evaluated) - len(alike) == 1 and len(alike) <= 3, (text, evaluated)
        assert page or text == "zzz li"


def test_pages_and_counts_are_the_same_with_the_matches_kept_or_read_each_time(
    varied: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not has_search_index(varied):
        pytest.skip("a book without the trigram index keeps no matches")
    texts = ("mar", "li mar", "o'brien", "élo", "zzz")
    filters: list[dict[str, Any]] = [{}, {"include_archived": True, "tier": "B"}]

    def listed(client_filter: ClientFilter, sort: str, descending: bool) -> list[int]:
        paged: list[int] = []
        after = None
        while page := list_clients(
            session=varied,
            client_filter=client_filter,
            sort=sort,
            descending=descending,
            limit=25,
            after=after,
        ):
            paged += [row.id for row in page]
            after = client_page_key(page[-1], sort)
        at = client_page_at(
            session=varied,
            client_filter=client_filter,
            sort=sort,
            descending=descending,
            offset=3,
            limit=7,
        )
        return paged + [-1] + [row.id for row in at]

    def listing() -> dict[tuple[str, int, str, bool], tuple[list[int], int, int]]:
        read = {}
        for text in texts:
            for number, extra in enumerate(filters):
                client_filter = ClientFilter(text=text, **extra)
                counted = count_clients(session=varied, client_filter=client_filter, at_most=5)
                whole = count_clients(session=varied, client_filter=client_filter)
                for sort in SORTS:
                    for descending in (False, True):
                        rows = listed(client_filter, sort, descending)
                        read[(text, number, sort, descending)] = (rows, counted, whole)
        return read

    kept = listing()
    monkeypatch.setattr(client_filter_module, "VERY_MANY_MATCHES", 0)  # none kept
    varied.info.clear()
    assert listing() == kept


def test_a_text_is_counted_up_to_the_limit_whatever_the_index_finds(varied: Session) -> None:
    for text in ("mar", "li mar", "ber", "a", "zzz", "o'brien"):
        extras: list[dict[str, Any]] = [{}, {"include_archived": True}, {"tier": "A"}]
        for extra in extras:
            client_filter = ClientFilter(text=text, **extra)
            everyone = count_clients(session=varied, client_filter=client_filter)
            for at_most in (1, 5, everyone, everyone + 3):
                counted = count_clients(
                    session=varied, client_filter=client_filter, at_most=at_most
                )
                assert counted == min(everyone, max(at_most, 0)), (text, extra, at_most)


def test_client_position_agrees_with_the_list(varied: Session) -> None:
    for text in ("mar", "li", "li mar", "o'brien", "é"):
        rows = list_clients(
            session=varied, client_filter=ClientFilter(text=text), limit=EVERYONE, sort="city"
        )
        assert rows, text
        for position in (0, len(rows) // 2, len(rows) - 1):
            client_id = rows[position].id
            at = client_position(
                session=varied,
                client_filter=ClientFilter(text=text),
                client_id=client_id,
                sort="city",
            )
            assert at == position, text
    left_out = expected_ids(varied, "")[0]
    assert left_out not in expected_ids(varied, "zzz")
    assert (
        client_position(session=varied, client_filter=ClientFilter(text="zzz"), client_id=left_out)
        is None
    )


def test_only_words_of_three_characters_or_more_go_through_the_index() -> None:
    def sql(text: str, search_index: bool = True) -> str:
        conditions = client_filters(
            client_filter=ClientFilter(text=text), search_index=search_index
        )
        return " ".join(str(condition) for condition in conditions)

    assert "MATCH" in sql("mar") and "LIKE" not in sql("mar")
    assert "MATCH" not in sql("ma") and "LIKE" in sql("ma")
    assert "MATCH" in sql("ma mar") and "LIKE" in sql("ma mar")
    assert "MATCH" not in sql("mar", search_index=False)


# -- the index follows every change -------------------------------------------------------------


def test_a_new_client_is_found(session: Session) -> None:
    add_client(session=session, values={"name": "Quentin Quokka", "city": "Perth"})
    assert found_names(session, "quokka") == ["Quentin Quokka"]
    assert found_names(session, "PERTH") == ["Quentin Quokka"]
    check_index(session)


@pytest.mark.parametrize("column", TEXT_COLUMNS)
def test_a_changed_column_is_found_by_its_new_text_only(session: Session, column: str) -> None:
    client = make(
        session,
        Client,
        name="Ada Lovelace",
        company="Difference Engines",
        email="countess@numbers.example",
        city="London",
        tags=["poetry"],
    )
    old = {"name": "lovelace", "company": "difference", "email": "countess", "city": "london"}
    old["tags"] = "poetry"
    new_value: Any = ["wombat"] if column == "tags" else "Wombat Way"
    update_client(session=session, client_id=client.id or 0, values={column: new_value})
    assert found_names(session, "wombat") == ["Ada Lovelace" if column != "name" else "Wombat Way"]
    assert found_names(session, old[column]) == []
    check_index(session)


def test_last_contacts_and_other_columns_leave_the_index_right(session: Session) -> None:
    client = make(session, Client, name="Ada Lovelace", notes="Likes engines")
    make(session, Interaction, client_id=client.id, at=datetime(2026, 11, 20, 9, 0))
    update_client(session=session, client_id=client.id or 0, values={"notes": "Prefers mail"})
    session.refresh(client)
    assert client.last_contact_on == date(2026, 11, 20)
    assert found_names(session, "lovelace") == ["Ada Lovelace"]
    check_index(session)


def test_an_archived_client_is_found_only_with_the_archived(session: Session) -> None:
    client = make(session, Client, name="Ada Lovelace")
    archive_client(session=session, client_id=client.id or 0)
    assert found_names(session, "lovelace") == []
    assert found_names(session, "lovelace", include_archived=True) == ["Ada Lovelace"]
    unarchive_client(session=session, client_id=client.id or 0)
    assert found_names(session, "lovelace") == ["Ada Lovelace"]
    check_index(session)


def test_a_deleted_client_is_not_found(session: Session) -> None:
    client = make(session, Client, name="Ada Lovelace")
    make(session, Client, name="Ada Byron")
    session.delete(client)
    session.flush()
    assert found_names(session, "ada", include_archived=True) == ["Ada Byron"]
    check_index(session)


def test_clients_imported_from_a_json_book_are_found(engine: Engine) -> None:
    with session_scope(engine) as session:
        make(session, Client, name="Already There")
    records = [
        {"id": 1, "name": "Grace Hopper", "city": "Arlington", "tags": ["navy"]},
        {"id": 2, "name": "Alan Turing", "referred_by": 1, "email": "alan@bletchley.example"},
    ]
    import_book(engine=engine, data={"format": "rmtui-book", "version": 1, "clients": records})
    with session_scope(engine) as session:
        assert found_names(session, "hopper") == ["Grace Hopper"]
        assert found_names(session, "navy") == ["Grace Hopper"]
        assert found_names(session, "bletchley") == ["Alan Turing"]
        check_index(session)
    # The index's insert trigger, set aside while the clients were copied, is back.
    with session_scope(engine) as session:
        make(session, Client, name="Added Afterwards")
        assert found_names(session, "afterwards") == ["Added Afterwards"]
        check_index(session)


def test_an_import_that_fails_while_writing_keeps_the_index_trigger(engine: Engine) -> None:
    with session_scope(engine) as session:
        make(session, Client, name="Already There", email="same@example.org")
    records = [{"id": 7, "name": "Twin", "email": "twin@example.org"}]
    with session_scope(engine) as session:  # a clash the checks before writing cannot see
        session.connection().exec_driver_sql(
            "CREATE TRIGGER refuse_twin BEFORE INSERT ON client WHEN NEW.name = 'Twin' "
            "BEGIN SELECT RAISE(ABORT, 'no twins'); END"
        )
    with pytest.raises(InterchangeError):
        import_book(engine=engine, data={"format": "rmtui-book", "version": 1, "clients": records})
    with session_scope(engine) as session:
        make(session, Client, name="Added Afterwards")
        assert found_names(session, "afterwards") == ["Added Afterwards"]
        check_index(session)


def test_clients_imported_and_merged_from_a_csv_file_are_found(engine: Engine) -> None:
    with session_scope(engine) as session:
        make(session, Client, name="Alan Turing", email="alan.turing@example.org", city="Wilmslow")
    source = FIXTURES / "clients_with_duplicates.csv"
    import_clients_csv(source, engine=engine, merge=True)
    with session_scope(engine) as session:
        assert found_names(session, "lovelace") == ["Ada Lovelace"]
        assert found_names(session, "manchester") == ["Alan Turing"]
        assert found_names(session, "wilmslow") == []
        check_index(session)


def test_a_refused_import_leaves_the_index_as_it_was(engine: Engine) -> None:
    with pytest.raises(ImportRejected):
        import_clients_csv(FIXTURES / "broken_clients.csv", engine=engine)
    with session_scope(engine) as session:
        assert (
            count_clients(
                session=session, client_filter=ClientFilter(text="example", include_archived=True)
            )
            == 0
        )
        check_index(session)


# -- erasure --------------------------------------------------------------------------------------


def index_blocks(path: Path) -> bytes:
    with sqlite3.connect(path) as conn:
        blocks = [bytes(block) for (block,) in conn.execute("SELECT block FROM client_search_data")]
        texts = conn.execute("SELECT * FROM client_search_text").fetchall()
    return b"".join(blocks) + repr(texts).encode()


def test_an_erased_client_leaves_nothing_in_the_index(engine: Engine, db_path: Path) -> None:
    with session_scope(engine) as session:
        zelda = make(session, Client, name="Zelda Quixotic", email="zq@hyrule.example")
        make(session, Client, name="Bob Other", email="bob@example.com")
    # Trigrams of Zelda's alone, stored whole in the index (others share a prefix with the
    # trigram before them and are stored shortened).
    distinct = (b"zel", b"hyr", b"rul")
    assert all(trigram in index_blocks(db_path) for trigram in distinct)
    erase_client(engine=engine, client_id=zelda.id or 0)
    blocks = index_blocks(db_path)
    assert not any(trigram in blocks for trigram in distinct)
    with session_scope(engine) as session:
        assert found_names(session, "zelda", include_archived=True) == []
        assert found_names(session, "other") == ["Bob Other"]
        check_index(session)


# -- counting -------------------------------------------------------------------------------------


def test_a_text_is_counted_up_to_a_limit(session: Session) -> None:
    assert count_limit(session=session, text=None) is None
    assert count_limit(session=session, text="  ") is None
    assert count_limit(session=session, text="mar") == TEXT_COUNT_LIMIT
    assert count_limit(session=session, text="li mar") == TEXT_COUNT_LIMIT
    assert count_limit(session=session, text="li") == TEXT_COUNT_LIMIT
    assert count_limit(session=session, text="a b") == TEXT_COUNT_LIMIT


def test_count_stops_at_most(varied: Session) -> None:
    everyone = count_clients(session=varied, client_filter=ClientFilter(text="a"))
    assert everyone > 20
    assert count_clients(session=varied, client_filter=ClientFilter(text="a"), at_most=20) == 20
    assert (
        count_clients(session=varied, client_filter=ClientFilter(text="a"), at_most=everyone + 5)
        == everyone
    )


def test_a_listing_counted_up_to_the_limit_holds_that_many_rows(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(engine) as session:
        fill_varied_book(session)
    monkeypatch.setattr(client_queries, "TEXT_COUNT_LIMIT", 30)
    pages = ClientPages(engine, ClientListing(text="a"), date(2026, 11, 29))
    with session_scope(engine) as session:
        first = pages.read_first(session)
        pages.count(session)
        everyone = list_clients(
            session=session, client_filter=ClientFilter(text="a"), limit=EVERYONE
        )
    assert (pages.total, pages.counted) == (30, False)
    # The last rows of a listing counted only so far are the rows at their place, not the end.
    assert [row.key for row in pages.fetch(20, 10)] == [row.id for row in everyone[20:30]]
    assert [row.key for row in first[:30]] == [row.id for row in everyone[:30]]
    far = everyone[100].id
    with session_scope(engine) as session:
        assert pages.locate(session, far, first) == 100
    assert pages.total == 101


def test_a_listing_under_the_limit_is_counted_in_full(engine: Engine) -> None:
    with session_scope(engine) as session:
        fill_varied_book(session)
        expected = count_clients(session=session, client_filter=ClientFilter(text="mar"))
    pages = ClientPages(engine, ClientListing(text="mar"), date(2026, 11, 29))
    with session_scope(engine) as session:
        pages.read_first(session)
        pages.count(session)
    assert (pages.total, pages.counted) == (expected, True)


# -- books without the index ----------------------------------------------------------------------


def drop_search_index(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        for change in ("added", "changed", "removed"):
            conn.execute(f"DROP TRIGGER client_search_text_{change}")
        conn.execute("DROP TABLE client_search")


def test_a_book_without_the_index_filters_by_scanning(engine: Engine, db_path: Path) -> None:
    with session_scope(engine) as session:
        fill_varied_book(session, clients=100)
    engine.dispose()
    drop_search_index(db_path)
    plain = make_engine(db_path)
    with session_scope(plain) as session:
        assert not has_search_index(session)
        make(session, Client, name="Quentin Quokka")
        assert found_names(session, "quokka") == ["Quentin Quokka"]
        assert count_limit(session=session, text="mar") == TEXT_COUNT_LIMIT
        for text in ("mar", "li mar", "o'brien", '"Q"', "50%", "a_b"):
            assert listed_ids(session, text) == expected_ids(session, text), text
    plain.dispose()


# -- encrypted books ------------------------------------------------------------------------------


def test_an_encrypted_book_is_migrated_with_its_index_and_keeps_it(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    from rmtui.core.encryption import decrypt_book, encrypt_book
    from tests.core.test_migrations import upgrade

    path = tmp_path / "secret.db"
    upgrade(path, "0002")
    engine = make_engine(path)
    with session_scope(engine) as session:
        make_in_old_book(session, Client, name="Wilhelmina Secretkeeper", checkin_every_days=90)
    engine.dispose()
    encrypt_book(path, "passphrase")
    encrypted = open_book(path, passphrase="passphrase")
    with session_scope(encrypted) as session:
        assert has_search_index(session)
        assert found_names(session, "secretkeeper") == ["Wilhelmina Secretkeeper"]
        make(session, Client, name="Wendell Keeper")
        assert found_names(session, "keeper") == ["Wendell Keeper", "Wilhelmina Secretkeeper"]
        check_index(session)
    encrypted.dispose()
    decrypt_book(path, "passphrase")
    plain = open_book(path)
    with session_scope(plain) as session:
        assert found_names(session, "keeper") == ["Wendell Keeper", "Wilhelmina Secretkeeper"]
        check_index(session)
    plain.dispose()
