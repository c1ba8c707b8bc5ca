"""The benchmark harness: its synthetic book is a correct rmtui book, and it runs end to end."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from benchmarks.figures import GROUPS
from benchmarks.synth import BookSize, cached_book, generate_book
from rmtui.core.db import integrity_problems, open_book, session_scope
from rmtui.core.models import Client, Holding, Interaction

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
SMALL = BookSize(clients=300, interactions=3000)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small synthetic book shared by the generator tests (read only)."""
    path = tmp_path_factory.mktemp("synth") / "book.db"
    generate_book(path, SMALL)
    return path


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of `sql` run on the book at `path`."""
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def count(path: Path, table: str) -> int:
    """How many rows `table` has."""
    return int(rows(path, f'SELECT count(*) FROM "{table}"')[0][0])


def test_book_has_the_asked_size_and_every_kind_of_record(book: Path) -> None:
    assert count(book, "client") == SMALL.clients
    assert count(book, "interaction") == SMALL.interactions
    for table in ("follow_up", "opportunity", "revenue", "holding", "survey", "case", "target"):
        assert count(book, table) > 0, table
    open_follow_ups = count_where(book, "follow_up", "status = 'open'")
    assert 0.15 * SMALL.clients < open_follow_ups < 0.45 * SMALL.clients


def count_where(path: Path, table: str, condition: str) -> int:
    """How many rows of `table` meet `condition`."""
    return int(rows(path, f'SELECT count(*) FROM "{table}" WHERE {condition}')[0][0])


def test_book_passes_integrity_and_foreign_key_checks(book: Path) -> None:
    assert rows(book, "PRAGMA foreign_key_check") == []
    engine = open_book(book)
    try:
        assert integrity_problems(engine) == []
    finally:
        engine.dispose()


def test_last_contact_equals_the_recomputed_value(book: Path) -> None:
    recomputed = """
        SELECT count(*) FROM client WHERE last_contact_on IS NOT (
            SELECT date(max(at)) FROM interaction
            WHERE client_id = client.id AND kind != 'note'
        )
    """
    assert rows(book, recomputed) == [(0,)]
    assert count_where(book, "client", "last_contact_on IS NOT NULL") > SMALL.clients / 2


def test_clients_counted_equal_the_clients(book: Path) -> None:
    counted = "SELECT archived, everyone, owner, clients FROM client_count ORDER BY 1, 2, 3"
    recounted = """
        SELECT archived, owner IS NULL, coalesce(owner, ''), count(*) FROM client
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    """
    assert rows(book, counted) == rows(book, recounted)
    assert sum(row[3] for row in rows(book, counted)) == SMALL.clients


def test_schema_and_triggers_are_those_of_a_fresh_book(book: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    open_book(fresh).dispose()
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    assert rows(book, schema) == rows(fresh, schema)
    triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    assert len(rows(book, triggers)) == len(rows(fresh, triggers)) >= 3


def test_client_search_index_holds_every_client(book: Path) -> None:
    with sqlite3.connect(book) as conn:
        conn.execute(
            "INSERT INTO client_search (client_search, rank) VALUES ('integrity-check', 1)"
        )
    columns = ("name", "company", "email", "city", "tags", "contacts", "people", "digits")
    names = ", ".join(columns)
    folded = f"SELECT id, {names} FROM client_search_folded ORDER BY id"
    assert rows(book, f"SELECT id, {names} FROM client_search_text ORDER BY id") == rows(
        book, folded
    )
    indexed = rows(book, """SELECT count(*) FROM client_search WHERE client_search MATCH '"mar"'""")
    like = " OR ".join(f"{column} LIKE '%mar%'" for column in columns)
    assert indexed == [(count_where(book, "client_search_text", like),)] and indexed[0][0] > 0


def test_triggers_keep_last_contact_after_generation(book: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(book) as source, sqlite3.connect(copy) as dest:
        source.backup(dest)
    engine = open_book(copy)
    try:
        with session_scope(engine) as session:
            session.add(Interaction(client_id=1, at=datetime(2026, 11, 30, 9, 0), kind="call"))
        with session_scope(engine) as session:
            assert session.get(Client, 1).last_contact_on == date(2026, 11, 30)  # type: ignore[union-attr]
    finally:
        engine.dispose()


def test_rows_read_back_through_the_models(book: Path) -> None:
    engine = open_book(book)
    try:
        with session_scope(engine) as session:
            interaction = session.exec(select(Interaction).limit(1)).one()
            holding = session.exec(select(Holding).limit(1)).one()
            client = session.get(Client, 1)
        assert isinstance(interaction.at, datetime)
        assert isinstance(holding.value, Decimal) and holding.value > 0
        assert client is not None and isinstance(client.created_on, date)
        assert isinstance(client.tags, list)
    finally:
        engine.dispose()


def test_generation_is_deterministic(book: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    generate_book(again, SMALL)
    for table in ("client", "interaction", "follow_up", "holding", "case"):
        query = f'SELECT * FROM "{table}" ORDER BY id'
        assert rows(again, query) == rows(book, query), table


def test_cached_book_is_made_once_per_size(tmp_path: Path) -> None:
    first = cached_book(BookSize(20, 100), cache_dir=tmp_path)
    made_at = first.stat().st_mtime_ns
    assert cached_book(BookSize(20, 100), cache_dir=tmp_path) == first
    assert first.stat().st_mtime_ns == made_at
    assert cached_book(BookSize(30, 100), cache_dir=tmp_path) != first


def test_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    command = [sys.executable, "-m", "benchmarks", "--clients", "200", "--interactions", "2000"]
    command += ["--repeat", "1", "--json", str(out), "--cache", str(tmp_path / "cache")]
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    figures = {row["key"]: row for row in json.loads(out.read_text())["figures"]}
    specs = [spec for group in GROUPS for spec in group.specs]
    assert set(figures) == {spec.key for spec in specs}
    for spec in specs:
        row = figures[spec.key]
        assert spec.label in done.stdout
        assert row["value"] is not None or row["note"].startswith("n/a"), row
    for key in ("kpi_quarter", "kpi_year"):
        note = figures[key]["note"]
        assert figures[key]["value"] is None or ("values agree" in note and "DIFFER" not in note)


def test_the_agenda_is_replayed_as_far_as_rmtui_reads_it(book: Path) -> None:
    """Its baseline reads each query as far as rmtui does: the clients' terms whole, not
    cut at the limit of a section's rows."""
    from benchmarks.figures_data import TODAY, agenda_reads, replay_reads, rmtui_agenda
    from rmtui.core.agenda import TODAY_LIMIT
    from rmtui.core.agenda_terms import CLIENT_TERMS_SQL

    engine = open_book(book)
    try:
        reads = agenda_reads(engine, TODAY_LIMIT)
        agenda = rmtui_agenda(engine, TODAY, TODAY_LIMIT)
    finally:
        engine.dispose()
    listed = {item.client_id for _key, _title, items in agenda.sections() for item in items}
    terms_read = [rows for sql, _values, rows in reads if sql.startswith(CLIENT_TERMS_SQL[:40])]
    assert sum(terms_read) == len(listed - {None}) > TODAY_LIMIT
    with sqlite3.connect(book) as connection:
        replay_reads(connection, reads)
