"""Records made from rows read with sqlite3 alone are the records the models make."""

from __future__ import annotations

import sqlite3
from datetime import date, time
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from rmtui.core.db import session_scope
from rmtui.core.interchange import row_records, schema
from rmtui.core.interchange.row_records import column_of, columns_sql, record_of_row
from rmtui.core.models import Client, FollowUp
from tests.clients_book import make_rich_client
from tests.factories import make


def test_the_fields_are_those_the_models_declare() -> None:
    for entity, fields in row_records.FIELDS.items():
        declared = schema.FIELDS[entity]
        assert fields == tuple((spec.name, spec.kind) for spec in declared), entity
        assert [column_of(*field) for field in fields] == [spec.column for spec in declared]


def test_a_row_read_with_sqlite3_makes_the_record_of_its_model(
    engine: Engine, db_path: Path
) -> None:
    with session_scope(engine) as session:
        make_rich_client(session)
        odd = make(
            session,
            Client,
            name="Zoë Ödegaard-Ñúñez",
            status="former",
            birthday=date(1984, 2, 29),
            review_every_months=3,
            notes='Line one\nline "two"',
            client_until=date(2026, 6, 30),
            archived=True,
            family_name="Ödegaard-Ñúñez",
        )
        make(session, Client, name="Bo", client_since=None)
        make(session, FollowUp, client_id=odd.id, due_at=time(14, 30), priority="high")
        make(
            session,
            FollowUp,
            client_id=odd.id,
            due_at=time(9, 15, 20),
            status="done",
            done_on=date(2026, 11, 2),
            repeat="every 2 weeks",
        )
        make(session, FollowUp, client_id=None, title="My own")
        expected = {
            "clients": {c.id: schema.record_of_model(c) for c in session.exec(select(Client))},
            "follow_ups": {f.id: schema.record_of_model(f) for f in session.exec(select(FollowUp))},
        }
    engine.dispose()
    with sqlite3.connect(db_path) as connection:
        for entity, table in (("clients", "client"), ("follow_ups", "follow_up")):
            rows = connection.execute(f"SELECT {columns_sql(entity, table)} FROM {table}")
            found = {row[0]: record_of_row(entity, row) for row in rows}
            assert found == expected[entity]
