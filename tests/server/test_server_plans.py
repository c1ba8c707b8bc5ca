"""How a server reads the client list and counts Today's items: from the indexes SQLite reads
them from, not by reading every client (the plans PostgreSQL chooses, asked with EXPLAIN)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from rmtui.core.agenda import build_agenda
from rmtui.core.db import session_scope
from rmtui.core.queries.clients import ClientFilter, list_clients
from rmtui.core.server import open_server_book


@pytest.fixture
def server_engine(server_url: str) -> Iterator[Engine]:
    engine = open_server_book(server_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO client (name, kind, status, tier, preferred_channel, tags, created_on,"
            " archived) SELECT 'Client ' || n, 'person', 'client', 'B', 'email', '[]',"
            " DATE '2026-01-01', mod(n, 50) = 0 FROM generate_series(1, 2000) AS n"
        )
        connection.exec_driver_sql("ANALYZE")
    yield engine
    engine.dispose()


def plans_of_the_page(session: Session, client_filter: ClientFilter) -> list[str]:
    """The plan of each statement `list_clients` runs for its first page, with no whole-table
    reads allowed where an index serves (so that a plan reading every client shows)."""
    connection = session.connection()
    statements: list[tuple[str, object]] = []

    def keep(_conn: object, _cursor: object, statement: str, params: object, *_: object) -> None:
        statements.append((statement, params))

    event.listen(connection, "after_cursor_execute", keep)
    list_clients(session=session, client_filter=client_filter, limit=50)
    event.remove(connection, "after_cursor_execute", keep)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.execute("SET LOCAL enable_seqscan = off")
    plans = []
    for statement, params in statements:
        if statement.lstrip().upper().startswith("SELECT"):
            cursor.execute(f"EXPLAIN {statement}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_the_list_by_name_is_read_from_the_name_index(server_engine: Engine) -> None:
    with session_scope(server_engine) as session:
        plans = plans_of_the_page(session, ClientFilter())
    assert any("ix_client_name_nocase" in plan for plan in plans), plans


def test_a_letter_of_the_filter_tests_clients_along_the_name_index(
    server_engine: Engine,
) -> None:
    """A letter most clients hold: the clients are tested one by one along the name index
    until a page is found, not every client's text searched first."""
    with session_scope(server_engine) as session:
        plans = plans_of_the_page(session, ClientFilter(text="e"))
    assert plans and not any("hashed SubPlan" in plan for plan in plans), plans
    assert any("ix_client_name_nocase" in plan for plan in plans), plans


def test_the_agendas_counts_leave_out_archived_clients_from_their_index(
    server_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today's counts of many items (up to 1,000 overdue follow-ups) read the archived
    clients' partial index, once for a count, not each item's client in turn."""
    import psycopg

    with server_engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO follow_up (client_id, title, due_on, priority, status)"
            " SELECT id, 'Call', DATE '2026-11-01', 'normal', 'open'"
            " FROM client"
        )
        connection.exec_driver_sql("ANALYZE")
    statements: list[tuple[str, object]] = []
    execute = psycopg.Cursor.execute

    def recorded(cursor: Any, query: Any, params: Any = None) -> Any:
        statements.append((query, params))
        return execute(cursor, query, params)

    monkeypatch.setattr(psycopg.Cursor, "execute", recorded)
    with session_scope(server_engine) as session:
        agenda = build_agenda(session=session, day=date(2026, 12, 1), limit=5, count_up_to=1000)
        monkeypatch.undo()
        # The sections' counts, read together in one statement (Reader.counted).
        [(counts, params)] = [(sql, params) for sql, params in statements if "count(*)" in sql]
        cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {counts}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert agenda.total("overdue") == 1000 and not agenda.counted("overdue")
    assert "ix_client_archived_id" in plan, plan
    assert "pk_client" not in plan, plan


@pytest.mark.parametrize("limit", [5, None])
def test_todays_page_of_the_agenda_is_read_without_parallel_workers(
    server_engine: Engine, limit: int | None
) -> None:
    """A page of the agenda (Today's) reads a few thousand index entries a statement, quicker
    in the server's own process than with a worker started beside it; the whole agenda keeps
    the server's parallel workers, and the setting ends with the page's transaction."""
    show = "SHOW max_parallel_workers_per_gather"
    with session_scope(server_engine) as session:
        server_default = session.connection().exec_driver_sql(show).scalar()
    assert server_default != "0"
    with session_scope(server_engine) as session:
        build_agenda(session=session, day=date(2026, 12, 1), limit=limit, count_up_to=1000)
        workers = session.connection().exec_driver_sql(show).scalar()
    assert workers == ("0" if limit is not None else server_default)
    with session_scope(server_engine) as session:
        assert session.connection().exec_driver_sql(show).scalar() == server_default
