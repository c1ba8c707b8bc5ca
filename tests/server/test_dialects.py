"""SQLite's words as PostgreSQL reads them (rmtui.core.dialects)."""

from __future__ import annotations

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
