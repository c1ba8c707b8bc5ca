"""A server book made before the pipeline's roll-up is summed up by stage and day when it is
upgraded (migration 0018), as a book file is (tests/core/test_migrations.py)."""

from __future__ import annotations

import random

from rmtui.core.db import migration_config, session_scope
from rmtui.core.dialects import install_compatibility
from rmtui.core.queries.clients import archive_client
from rmtui.core.server import make_server_engine, open_server_book
from tests.core.test_pipeline_rollup import recomputed, some_clients, some_deals, stored


def test_0018_sums_up_the_deals_of_an_existing_server_book(server_url: str) -> None:
    from alembic import command

    engine = make_server_engine(server_url)
    with engine.begin() as connection:
        install_compatibility(connection)
        command.upgrade(migration_config(connection, None, None), "0017")
    rng = random.Random(18)
    with session_scope(engine) as session:
        clients = some_clients(session, 8)
        some_deals(session, rng, clients, 90)
    engine.dispose()
    engine = open_server_book(server_url)
    try:
        with session_scope(engine) as session:
            assert stored(session) == recomputed(session) != {}
            archive_client(session=session, client_id=clients[1])
            assert stored(session) == recomputed(session)
    finally:
        engine.dispose()
