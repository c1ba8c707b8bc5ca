"""A server book made before the KPI roll-ups were kept by owner is summed up by owner when
it is upgraded (migration 0017), as a book file is (tests/core/test_migrations.py)."""

from __future__ import annotations

import random

from sqlalchemy import update

from rmtui.core.db import migration_config, session_scope
from rmtui.core.dialects import install_compatibility
from rmtui.core.server import make_server_engine, open_server_book
from tests.core.maintained import recomputed_summaries, stored_summaries
from tests.core.test_kpi_rollups import CLIENT, random_history


def test_0017_sums_up_an_existing_server_book_by_owner(server_url: str) -> None:
    from alembic import command

    engine = make_server_engine(server_url)
    with engine.begin() as connection:
        install_compatibility(connection)
        command.upgrade(migration_config(connection, None, None), "0015")
    with session_scope(engine) as session:
        clients = random_history(session, random.Random(22), 120, checked=False)
        owners = set(session.execute(CLIENT.select().with_only_columns(CLIENT.c.owner)).scalars())
    engine.dispose()
    assert owners == {"ann", "ben", None}
    engine = open_server_book(server_url)
    try:
        with session_scope(engine) as session:
            assert stored_summaries(session) == recomputed_summaries(session)
            session.execute(update(CLIENT).where(CLIENT.c.id == clients[0]).values(owner="cy"))
            assert stored_summaries(session) == recomputed_summaries(session)
    finally:
        engine.dispose()
