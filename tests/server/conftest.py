"""The tests of a book on a PostgreSQL server: one throw-away cluster per test process."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.pg_cluster import Cluster, server_program

_numbers = itertools.count()


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """A running PostgreSQL cluster (the tests are skipped where PostgreSQL is missing)."""
    pytest.importorskip("psycopg")
    if server_program("initdb") is None:
        pytest.skip("PostgreSQL's initdb is not installed")
    running = Cluster()
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def server_url(cluster: Cluster, worker_id: str) -> str:
    """The URL of a new, empty database on the cluster."""
    return cluster.create_database(f"book_{worker_id}_{next(_numbers)}")
