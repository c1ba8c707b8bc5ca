"""Finding clients as they are remembered: without accents, by a phone number in any notation,
through a contact person, by a misspelt name; and an old book migrated with its rows."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from rmtui.core.client_filter import SIMILAR_CANDIDATES, SIMILAR_LISTED
from rmtui.core.db import make_engine, open_book, session_scope
from rmtui.core.interchange.book_file import import_book
from rmtui.core.models import Client, ContactPerson, ContactPoint
from rmtui.core.queries import client_search
from rmtui.core.queries.client_list import client_position
from rmtui.core.queries.clients import (
    ClientFilter,
    add_client,
    archive_client,
    client_page_at,
    count_clients,
    find_clients,
    list_clients,
    matches_as_typed,
    update_client,
)
from rmtui.core.queries.contact_persons import (
    add_contact_person,
    delete_contact_person,
    update_contact_person,
)
from rmtui.core.queries.contact_points import NewPoint, add_points
from rmtui.core.queries.trash import move_to_trash, restore
from rmtui.core.search_text import (
    FOLDS,
    TWO_DIGIT_CODES,
    fold,
    fold_function_sql,
    fold_sql,
    national_digits,
    national_sql,
    search_terms,
    similarity,
)
from rmtui.core.server import open_server_book
from rmtui.core.storage import SCHEMA_HEAD, read_revision
from tests.core.test_client_search import check_index
from tests.core.test_migrations import downgrade, schema_names, upgrade
from tests.factories import make, make_in_old_book


def names(session: Session, text: str, **filters: Any) -> list[str]:
    """The names the client list shows for `text`, in its order."""
    found = list_clients(session=session, client_filter=ClientFilter(text=text, **filters))
    return [row.name for row in found]


@pytest.fixture
def book(session: Session) -> Session:
    """Clients remembered in many ways: accents, phone numbers, people at a business."""
    add_client(
        session=session,
        values={"name": "Lena Krüger", "city": "München", "phone": "+32 476 12 34 56"},
    )
    add_client(session=session, values={"name": "Piet Schneider", "phone": "06-1234 5678"})
    add_client(session=session, values={"name": "Anna Schmidt", "city": "Zürich"})
    agro = add_client(session=session, values={"name": "De Groot Agro", "kind": "business"})
    add_contact_person(
        session=session,
        client_id=agro.id or 0,
        name="Joke de Vries",
        role="CFO",
        phone="+31 20 555 1234",
    )
    jansen = add_client(session=session, values={"name": "Jan Jansen", "email": "jan@mail.nl"})
    add_points(session.connection(), jansen.id or 0, [NewPoint("phone", "0031 (0)6 9876 5432")])
    add_client(session=session, values={"name": "Øyvind Ærø", "company": "Straße & Søn"})
    return session


# -- accents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("kruger", ["Lena Krüger"]),
        ("KRÜGER", ["Lena Krüger"]),
        ("munchen", ["Lena Krüger"]),
        ("München", ["Lena Krüger"]),
        ("zurich", ["Anna Schmidt"]),
        ("lena munch", ["Lena Krüger"]),
        ("oyvind", ["Øyvind Ærø"]),
        ("aero", ["Øyvind Ærø"]),
        ("strasse", ["Øyvind Ærø"]),
        ("son", ["Øyvind Ærø"]),
        ("ue", []),  # short words too: `Krüger` holds no `ue`
        ("ru", ["Lena Krüger"]),
    ],
)
def test_accents_are_left_out_on_both_sides(book: Session, text: str, found: list[str]) -> None:
    assert names(book, text) == found
    assert count_clients(session=book, client_filter=ClientFilter(text=text)) == len(found)


def test_without_the_index_like_finds_the_same(
    book: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ("kruger", "munchen", "ru", "0476", "+31 6 98", "cfo", "de vries", "strasse")
    indexed = {text: names(book, text) for text in texts}
    monkeypatch.setattr(client_search, "has_search_index", lambda session: False)
    monkeypatch.setattr("rmtui.core.queries.clients.has_search_index", lambda session: False)
    assert {text: names(book, text) for text in texts} == indexed


def book_fold_sql(connection: Any, expression: str) -> str:
    """SQL: `expression` folded as the book's search text is: by `fold_sql` in a file, by the
    function `rmtui_fold` (search_text.fold_function_sql) on a server."""
    if connection.dialect.name == "postgresql":
        return f"rmtui_fold({expression})"
    return fold_sql(expression)


def test_folding_in_sql_is_folding_in_python(session: Session) -> None:
    texts = ["Lena Krüger", "ÀÉÎÕÜ ÿŸ ĳ", "".join(FOLDS), "Ελένη", "plain", "ŉ × Ŀ"]
    connection = session.connection()
    folded_value = book_fold_sql(connection, "CAST(:v AS TEXT)")
    for text in texts:
        folded = connection.exec_driver_sql(f"SELECT {folded_value}", {"v": text}).scalar()
        assert folded == fold(text), text
    folded_null = book_fold_sql(connection, "CAST(NULL AS TEXT)")
    assert connection.exec_driver_sql(f"SELECT {folded_null}").scalar() is None


def test_the_book_folds_as_the_code_does(engine: Engine) -> None:
    """A change of the fold table needs a migration that makes the search text again."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            function = connection.exec_driver_sql(
                "SELECT prosrc FROM pg_proc WHERE proname = 'rmtui_fold'"
            ).scalar_one()
            view = connection.exec_driver_sql(
                "SELECT pg_get_viewdef('client_search_folded')"
            ).scalar_one()
            # The view as the server keeps it is rewritten, but for its text constants.
            assert f"$${function}$$" in fold_function_sql()
            assert ",".join(TWO_DIGIT_CODES) in view and "rmtui_fold((c.name)" in view
            return
        view = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'client_search_folded'"
        ).scalar_one()
    assert fold_sql("c.name") in view and national_sql("v") in view


# -- phone numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("0476", ["Lena Krüger"]),
        ("0476 12 34 56", ["Lena Krüger"]),
        ("0476123456", ["Lena Krüger"]),
        ("+32 476 12", ["Lena Krüger"]),
        ("+32476123456", ["Lena Krüger"]),
        ("0032 476 123", ["Lena Krüger"]),
        ("06-12", ["Piet Schneider"]),
        ("06 12 34 56 78", ["Piet Schneider"]),
        ("+31 6 1234", ["Piet Schneider"]),
        ("+31 (0)6 1234 5678", ["Piet Schneider"]),
        ("0031612345678", ["Piet Schneider"]),
        ("+31 6 98", ["Jan Jansen"]),  # stored as `0031 (0)6 9876 5432`
        ("06 98765432", ["Jan Jansen"]),
        ("jansen 0698", ["Jan Jansen"]),
        ("020 555 12", ["De Groot Agro"]),  # a contact person's number
        ("+31 20 5551234", ["De Groot Agro"]),
        ("555 1234", ["De Groot Agro"]),  # in the middle of a number
        ("55 51", ["De Groot Agro"]),
        ("76 12", ["Lena Krüger"]),
        ("34 56", ["Lena Krüger", "Piet Schneider"]),
        ("0612 9999", []),
        ("0555 1234", []),  # from the start: no number starts so
    ],
)
def test_phone_numbers_are_found_in_any_notation(
    book: Session, text: str, found: list[str]
) -> None:
    assert names(book, text) == found


@pytest.mark.parametrize(
    ("typed", "national"),
    [
        ("+31 6 1234 5678", "612345678"),
        ("0031 6 1234 5678", "612345678"),
        ("+31 (0)6 1234 5678", "612345678"),
        ("06-1234 5678", "612345678"),
        ("+1 (212) 555-0100", "2125550100"),
        ("+7 916 123 45 67", "9161234567"),
        ("+353 87 123 4567", "871234567"),
        ("+44 20 7946 0958", "2079460958"),
        ("", ""),
    ],
)
def test_the_national_number_of_each_notation(session: Session, typed: str, national: str) -> None:
    assert national_digits(typed) == national
    in_sql = session.connection().exec_driver_sql(f"SELECT {national_sql(':v')}", {"v": typed})
    assert in_sql.scalar() == (national or None)


def test_the_country_codes_of_two_digits_are_those_of_phonenumbers() -> None:
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    two = tuple(str(code) for code in sorted(COUNTRY_CODE_TO_REGION_CODE) if 10 <= code < 100)
    one = {str(code) for code in COUNTRY_CODE_TO_REGION_CODE if code < 10}
    assert two == TWO_DIGIT_CODES and one == {"1", "7"}


def test_the_words_of_a_phone_number_are_one_term() -> None:
    terms = search_terms("jansen 06 12 34 56 78 2026-12 +32 4")
    assert [(term.word, term.digits, term.digits_text) for term in terms] == [
        ("jansen", None, ""),
        ("06 12 34 56 78 2026-12 +32 4", "612345678202612324", " 612345678202612324"),
    ]
    assert [term.digits for term in search_terms("12 b 3")] == [None, None, None]
    bare, _a, middle, _b, typed = search_terms("1987 a 34-56 b +31 6")
    assert bare.as_written and bare.digits_text == "1987"  # in an e-mail address, say
    assert not middle.as_written and middle.digits_text == "3456"
    assert typed.as_written and typed.digits is None  # too short a national number yet


# -- contact persons and points ----------------------------------------------------------------


def test_a_client_is_found_through_its_contact_persons(book: Session) -> None:
    assert names(book, "cfo") == ["De Groot Agro"]
    assert names(book, "CFO groot") == ["De Groot Agro"]
    assert names(book, "joke vries") == ["De Groot Agro"]
    assert names(book, "vries cfo agro") == ["De Groot Agro"]


def test_changes_of_people_and_points_keep_the_search_text(book: Session) -> None:
    joke = book.connection().exec_driver_sql("SELECT id FROM contact_person").scalar_one()
    update_contact_person(session=book, person_id=joke, values={"role": "Treasurer"})
    assert names(book, "cfo") == [] and names(book, "treasurer") == ["De Groot Agro"]
    delete_contact_person(session=book, person_id=joke)
    assert names(book, "joke") == []
    lena = make(book, Client, name="Lena Other")
    point = make(book, ContactPoint, client_id=lena.id, kind="phone", value="+49 89 1234567")
    assert names(book, "089 1234") == ["Lena Other"]
    point.value = "+49 30 7654321"
    book.flush()
    assert names(book, "089 1234") == [] and names(book, "030 765") == ["Lena Other"]
    book.delete(point)
    book.flush()
    assert names(book, "030 765") == []
    update_client(session=book, client_id=lena.id or 0, values={"city": "Köln"})
    assert names(book, "koln") == ["Lena Other"]
    check_index(book)


def test_a_deleted_client_leaves_no_search_text(book: Session) -> None:
    client = book.get(Client, 4)  # De Groot Agro, with a contact person
    assert client is not None
    book.delete(client)
    book.flush()
    assert names(book, "cfo", include_archived=True) == []
    assert (
        book.connection()
        .exec_driver_sql("SELECT count(*) FROM client_search_text WHERE id = 4")
        .scalar()
        == 0
    )
    check_index(book)


# -- names alike ----------------------------------------------------------------------------------


def test_a_misspelt_name_finds_the_names_alike_best_first(book: Session) -> None:
    make(book, Client, name="Paul Schneiders")
    make(book, Client, name="Schnell Catering")
    found = names(book, "schnieder")
    assert found[:2] == ["Piet Schneider", "Paul Schneiders"]
    assert "Anna Schmidt" not in found
    client_filter = ClientFilter(text="schnieder")
    assert not matches_as_typed(session=book, client_filter=client_filter)
    assert count_clients(session=book, client_filter=client_filter) == len(found)
    at = client_page_at(session=book, client_filter=client_filter, offset=1, limit=1)
    assert [row.name for row in at] == [found[1]]
    paul = book.exec(select(Client).where(Client.name == "Paul Schneiders")).one()
    assert client_position(session=book, client_filter=client_filter, client_id=paul.id or 0) == 1


def test_names_alike_come_only_when_nothing_matches(book: Session) -> None:
    assert names(book, "schneider") == ["Piet Schneider"]
    assert names(book, "schmitd") == ["Anna Schmidt"]
    assert names(book, "zzqqxx") == []
    assert names(book, "sch") == ["Anna Schmidt", "Piet Schneider"]  # as typed
    assert matches_as_typed(session=book, client_filter=ClientFilter(text="0612 9999"))


def test_names_alike_keep_the_other_filters(book: Session) -> None:
    archive_client(session=book, client_id=2)  # Piet Schneider
    assert names(book, "schnieder") == []
    assert names(book, "schnieder", include_archived=True) == ["Piet Schneider"]
    assert names(book, "schnieder", include_archived=True, kind="business") == []


def test_a_misspelt_name_many_clients_share_lists_those_who_have_it(book: Session) -> None:
    # More clients hold every trigram of "kowlaski" that any client holds (kow and ski) than
    # are scored: they are the candidates, not those holding only some (Kowalczyk).
    for number in range(SIMILAR_CANDIDATES + 10):
        make(book, Client, name=f"Jan{number} Kowalczyk")
        make(book, Client, name=f"Ewa{number} Kowalski")
    found = names(book, "kowlaski")
    assert len(found) == SIMILAR_LISTED
    assert all(name.endswith(" Kowalski") for name in found)
    assert found == sorted(found, key=str.casefold)  # as alike as each other: by name
    assert count_clients(session=book, client_filter=ClientFilter(text="kowlaski")) == len(found)


def test_a_misspelt_name_many_archived_clients_share_lists_the_others(book: Session) -> None:
    if book.connection().dialect.name == "postgresql":
        pytest.skip("on a server the candidates are chosen before the other filters")
    # As many archived clients as are scored hold the same trigrams: the candidates are
    # chosen among the clients the other filters leave (when as many as are scored hold
    # every trigram), whichever way ties go.
    for number in range(SIMILAR_CANDIDATES):
        make(book, Client, name=f"Ewa{number} Kowalski")
    for number in range(SIMILAR_CANDIDATES):
        make(book, Client, name=f"Adam{number} Kowalski", archived=True)
    found = names(book, "kowlaski")
    assert len(found) == SIMILAR_LISTED
    assert all(name.startswith("Ewa") for name in found)
    assert len(names(book, "kowlaski", include_archived=True)) == SIMILAR_LISTED


def test_similarity_is_that_of_pg_trgm() -> None:
    assert similarity("schnieder", "Schneider") == pytest.approx(6 / 14)
    assert similarity("word", "word") == 1.0


# -- the palette ----------------------------------------------------------------------------------


def test_the_palette_finds_clients_as_remembered(book: Session) -> None:
    def found(text: str) -> tuple[list[str], list[str]]:
        result = find_clients(session=book, text=text)
        return [row.name for row in result.matching], [row.name for row in result.alike]

    assert found("lena") == (["Lena Krüger"], [])
    assert found("kruger") == (["Lena Krüger"], [])
    assert found("0476 12") == (["Lena Krüger"], [])
    assert found("cfo") == (["De Groot Agro"], [])
    assert found("jsen") == (["Jan Jansen"], [])  # the letters in order
    assert found("schnieder") == ([], ["Piet Schneider"])


# -- an old book ----------------------------------------------------------------------------------


@pytest.fixture
def book_at_0008(tmp_path: Path) -> Path:
    """A book at schema 0008 with clients, contact points and a contact person."""
    path = tmp_path / "old.db"
    upgrade(path, "0008")
    engine = make_engine(path)
    with session_scope(engine) as session:
        lena = make_in_old_book(session, Client, name="Lena Krüger", city="München")
        make_in_old_book(
            session, ContactPoint, client_id=lena.id, kind="phone", value="+32 476 12 34 56"
        )
        agro = make_in_old_book(session, Client, name="De Groot Agro", kind="business")
        make_in_old_book(session, ContactPerson, client_id=agro.id, name="Joke", role="CFO")
        make_in_old_book(session, Client, name="Bob Archived", archived=True, tags=["golf"])
    engine.dispose()
    return path


def test_an_old_book_is_migrated_with_the_search_text_of_its_rows(book_at_0008: Path) -> None:
    engine = open_book(book_at_0008)
    assert read_revision(book_at_0008) == SCHEMA_HEAD
    with session_scope(engine) as session:
        assert names(session, "kruger") == ["Lena Krüger"]
        assert names(session, "0476 1234") == ["Lena Krüger"]
        assert names(session, "cfo") == ["De Groot Agro"]
        assert names(session, "golf", include_archived=True) == ["Bob Archived"]
        check_index(session)
        make(session, Client, name="Émile Zola", city="Médan")
        assert names(session, "emile medan") == ["Émile Zola"]
        check_index(session)
    engine.dispose()
    old_tables = {"client_fts", "contact_point_fts", "contact_person_fts"}
    assert not old_tables & schema_names(book_at_0008, "table")


def test_the_migration_down_brings_the_three_indexes_back(
    book_at_0008: Path, tmp_path: Path
) -> None:
    open_book(book_at_0008).dispose()
    downgrade(book_at_0008, "0008")
    fresh = tmp_path / "fresh.db"
    upgrade(fresh, "0008")
    for kind in ("table", "index", "trigger", "view"):
        assert schema_names(book_at_0008, kind) == schema_names(fresh, kind), kind
    with sqlite3.connect(book_at_0008) as conn:
        for index in ("client_fts", "contact_point_fts", "contact_person_fts"):
            conn.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")
        found = conn.execute(
            "SELECT rowid FROM contact_person_fts WHERE contact_person_fts MATCH '\"cfo\"'"
        ).fetchall()
    assert found == [(1,)]
    open_book(book_at_0008).dispose()  # and up again
    assert read_revision(book_at_0008) == SCHEMA_HEAD


def test_names_alike_follow_every_change_of_the_book(book: Session, db_path: Path) -> None:
    assert names(book, "schnieder") == ["Piet Schneider"]
    make(book, Client, name="Mark Schneider")
    assert names(book, "schnieder") == ["Mark Schneider", "Piet Schneider"]
    book.commit()
    # Another program adds one.
    on_server = book.connection().dialect.name == "postgresql"
    other = open_server_book(os.environ["RMTUI_DB"]) if on_server else make_engine(db_path)
    with session_scope(other) as session:
        make(session, Client, name="Anna Schneider")
    other.dispose()
    assert names(book, "schnieder") == ["Anna Schneider", "Mark Schneider", "Piet Schneider"]


def test_an_imported_book_is_found_as_remembered(engine: Engine) -> None:
    """A whole-book import copies its tables in bulk, the triggers set aside: the search text
    of its clients, contact points and contact persons is written all the same."""
    data = {
        "format": "rmtui-book",
        "version": 3,
        "clients": [
            {"id": 1, "name": "Lena Krüger", "city": "München"},
            {"id": 2, "name": "De Groot Agro", "kind": "business"},
        ],
        "contact_points": [
            {"id": 1, "client": 1, "kind": "phone", "value": "+32 476 12 34 56"},
        ],
        "contact_persons": [{"id": 1, "client": 2, "name": "Joke de Vries", "role": "CFO"}],
    }
    import_book(engine=engine, data=data)
    with session_scope(engine) as session:
        assert names(session, "kruger munchen") == ["Lena Krüger"]
        assert names(session, "0476 12") == ["Lena Krüger"]
        assert names(session, "cfo vries") == ["De Groot Agro"]
        check_index(session)
        add_contact_person(session=session, client_id=2, name="Piet Ödegaard", role="CEO")
        assert names(session, "odegaard") == ["De Groot Agro"]  # the triggers are back
        check_index(session)


def test_a_client_back_from_the_trash_is_found_with_its_people(book: Session) -> None:
    deleted = move_to_trash(session=book, model=Client, record_id=4)  # De Groot Agro
    assert names(book, "cfo", include_archived=True) == []
    restore(session=book, entry_id=deleted.id)
    assert names(book, "cfo") == ["De Groot Agro"]
    check_index(book)
