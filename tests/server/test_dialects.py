"""SQLite's words as PostgreSQL reads them (rmtui.core.dialects)."""

from __future__ import annotations

from rmtui.core.db_api import server_statement
from rmtui.core.dialects import on_postgresql


def test_json_each_of_a_list_is_its_elements_as_text_and_nothing_for_the_rest() -> None:
    sql = "SELECT t.value FROM client, json_each(client.tags) AS t WHERE lower(t.value) = 'vip'"
    assert on_postgresql(sql) == (
        "SELECT t.value FROM client, json_array_elements_text(CASE json_typeof((client.tags)::json)"
        " WHEN 'array' THEN (client.tags)::json END) AS t WHERE lower(t.value) = 'vip'"
    )


def test_a_name_ending_in_json_each_is_left_alone() -> None:
    sql = "SELECT my_json_each(x), t.json_each FROM t"
    assert on_postgresql(sql) == sql


def test_words_in_quoted_text_are_left_alone() -> None:
    sql = "SELECT s.id || ' is also LIKE it' FROM s WHERE s.a IS 1 AND s.b LIKE 'x IS y'"
    assert on_postgresql(sql) == (
        "SELECT s.id || ' is also LIKE it' FROM s WHERE s.a IS NOT DISTINCT FROM 1"
        " AND s.b ILIKE 'x IS y'"
    )


def test_each_place_of_a_named_value_is_a_placeholder_of_its_own() -> None:
    """A day used as a function's argument and against a date column is typed by each place,
    as a literal is, not made text everywhere by the function's text form."""
    sql = "SELECT julianday(:day) FROM client WHERE since <= :day AND tier = :tier AND x = '%:no'"
    text, params = server_statement(sql, {"day": "2026-11-29", "tier": "A"})
    assert text == (
        "SELECT julianday(%s) FROM client WHERE since <= %s AND tier = %s AND x = '%%:no'"
    )
    assert params == ["2026-11-29", "2026-11-29", "A"]


def test_sqlite_index_choices_are_left_out() -> None:
    """PostgreSQL has no INDEXED BY: its planner chooses the index itself."""
    sql = (
        "SELECT count(*) FROM follow_up AS f WHERE NOT EXISTS (SELECT 1 FROM client"
        " INDEXED BY ix_client_archived_id WHERE archived AND id = f.client_id)"
        " AND f.title != 'INDEXED BY x'"
    )
    assert on_postgresql(sql) == (
        "SELECT count(*) FROM follow_up AS f WHERE NOT EXISTS (SELECT 1 FROM client"
        " WHERE archived AND id = f.client_id) AND f.title != 'INDEXED BY x'"
    )


def test_question_marks_keep_their_values_in_order() -> None:
    assert server_statement("SELECT ? + ?", (1, 2)) == ("SELECT %s + %s", (1, 2))


def test_sqlite_planner_hints_are_left_out() -> None:
    """PostgreSQL keeps a hinted EXISTS as a subquery it may run for every client first; the
    bare EXISTS is a semi-join that stops at a page."""
    sql = (
        "SELECT id FROM client WHERE likely(client.archived IS 0)"
        " AND likely(EXISTS (SELECT * FROM t WHERE t.id = client.id))"
        " AND unlikely (x <= 1) AND not_likely(y) AND s.likely(z) AND a = 'likely(b)'"
    )
    assert on_postgresql(sql) == (
        "SELECT id FROM client WHERE (client.archived IS NOT DISTINCT FROM 0)"
        " AND (EXISTS (SELECT * FROM t WHERE t.id = client.id))"
        " AND (x <= 1) AND not_likely(y) AND s.likely(z) AND a = 'likely(b)'"
    )
