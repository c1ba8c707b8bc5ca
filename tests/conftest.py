"""Shared fixtures: every test gets its own book file and never sees the user's data."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rmtui.core.db import open_book, session_scope
from rmtui.core.translation import reset_language
from rmtui.core.user_locale import user_locale
from tests.book_files import close_as_template, copy_book
from tests.pg_cluster import Cluster, server_program

FROZEN_TODAY = "2026-11-29"
SQLITE, POSTGRESQL = "sqlite", "postgresql"
SERVER_TEMPLATE = "rmtui_template"
# The tests run on both engines: the core's and the command line's that use the `engine` book,
# but for the modules about the book file itself (see FILE_ONLY_MODULES).
ON_BOTH_ENGINES = ("tests.core.", "tests.e2e.")
FILE_ONLY_MODULES = frozenset(
    f"tests.{name}"
    for name in (
        "core.test_backups",  # the file backups (a server book: pg_dump, tests/server)
        "core.test_benchmarks",  # SQLite's plans and timings
        "core.test_book_safety",  # the file: locks, WAL, damage
        "core.test_db",  # opening a file
        "core.test_encryption",  # SQLCipher
        "core.test_migrations",  # file migrations (a server's: tests/server)
        "e2e.test_e2e_tmux",  # the installed app in a terminal, on a file
        "e2e.test_progress_bar",
    )
)
# The Pilot tests whose screens read the book in ways that differ by engine (the client list's
# and the palette's search, names alike and pages; the log's reads stopped when no longer
# wanted; the trash's restore) also run on a server book; the others on a file alone.
PILOT_ON_BOTH_ENGINES = frozenset(
    f"tests.tui.{name}"
    for name in (
        "test_clients_screen",
        "test_finding_clients",
        "test_log_screen",
        "test_trash_and_undo",
    )
)
_database_numbers = itertools.count()
# The tests that do not pass on a server book yet, one node id a line.
NOT_YET_ON_SERVER = Path(__file__).parent / "server" / "not_yet_on_postgresql.txt"
# The tests of what only a book file has, with why, one node id a line.
SQLITE_ONLY = Path(__file__).parent / "server" / "sqlite_only.txt"


# The login name the tests run as (people.session_user without `[user] name`).
TEST_USER = "ann"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every user directory and RMTUI_DB into tmp_path, and freeze today."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("RMTUI_DB", str(tmp_path / "book.db"))
    monkeypatch.setenv("RMTUI_TODAY", FROZEN_TODAY)
    monkeypatch.setenv("RMTUI_LOCALE", "en")  # a test that needs another locale sets it
    monkeypatch.setenv("LOGNAME", TEST_USER)  # the user of the run, whoever runs the tests
    user_locale.cache_clear()
    reset_language()
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The path of this test's book file."""
    return tmp_path / "book.db"


@pytest.fixture(scope="session")
def book_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty book at the current schema, migrated once per test session to be copied."""
    path = tmp_path_factory.mktemp("template") / "book.db"
    close_as_template(open_book(path))
    return path


@pytest.fixture
def new_book(book_template: Path) -> Callable[[Path], Engine]:
    """Open an empty book at a path, copied from the session's template instead of migrated."""

    def open_new_book(path: Path) -> Engine:
        return open_book(copy_book(book_template, path))

    return open_new_book


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """A running PostgreSQL cluster for this test process (its tests are skipped where
    PostgreSQL or psycopg is missing)."""
    pytest.importorskip("psycopg")
    if server_program("initdb") is None:
        pytest.skip("PostgreSQL's initdb is not installed")
    running = Cluster()
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def server_template(cluster: Cluster) -> str:
    """An empty server book at the current schema, built once per test process to be copied."""
    from rmtui.core.server import open_server_book

    open_server_book(cluster.create_database(SERVER_TEMPLATE)).dispose()
    return SERVER_TEMPLATE


@pytest.fixture
def server_url(cluster: Cluster) -> Iterator[str]:
    """The URL of a new, empty database on the cluster, dropped after the test."""
    name = f"book_{next(_database_numbers)}"
    yield cluster.create_database(name)
    cluster.drop_database(name)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests listed in NOT_YET_ON_SERVER as expected to fail on PostgreSQL, and
    those in SQLITE_ONLY as not applicable there."""
    listed = _not_yet_on_server()
    file_only = _sqlite_only()
    for item in items:
        if item.nodeid in listed:
            item.add_marker(pytest.mark.xfail(reason="not yet on PostgreSQL", strict=False))
        if item.nodeid in file_only:
            reason = f"not applicable on PostgreSQL: {file_only[item.nodeid]}"
            item.add_marker(pytest.mark.skip(reason=reason))


def _sqlite_only() -> dict[str, str]:
    lines = SQLITE_ONLY.read_text().splitlines() if SQLITE_ONLY.exists() else []
    pairs = (line.partition(" # ") for line in lines if line.strip() and not line.startswith("#"))
    return {node.strip(): reason.strip() for node, _, reason in pairs}


def _not_yet_on_server() -> set[str]:
    lines = NOT_YET_ON_SERVER.read_text().splitlines() if NOT_YET_ON_SERVER.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


@pytest.fixture
def book_kind(request: pytest.FixtureRequest) -> str:
    """Which engine the test's book is on: "sqlite" (a file) unless the test is run on both
    (see pytest_generate_tests)."""
    return str(getattr(request, "param", SQLITE))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each core and command-line test that uses the `engine` book on both engines, and
    the Pilot tests of PILOT_ON_BOTH_ENGINES."""
    if "engine" not in metafunc.fixturenames:
        return
    module = metafunc.module.__name__
    on_both = module.startswith(ON_BOTH_ENGINES) and module not in FILE_ONLY_MODULES
    if on_both or module in PILOT_ON_BOTH_ENGINES:
        metafunc.parametrize("book_kind", [SQLITE, POSTGRESQL], indirect=True)


@pytest.fixture
def engine(
    book_kind: str,
    db_path: Path,
    new_book: Callable[[Path], Engine],
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Engine]:
    """A fresh book at the current schema: a file in tmp_path, or (book_kind "postgresql") a
    database on the test cluster, which RMTUI_DB then names for the commands."""
    if book_kind == POSTGRESQL:
        yield from _server_engine(request, monkeypatch)
        return
    engine = new_book(db_path)
    yield engine
    engine.dispose()


def _server_engine(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    from rmtui.core.server import open_server_book

    cluster: Cluster = request.getfixturevalue("cluster")
    template: str = request.getfixturevalue("server_template")
    name = f"book_{next(_database_numbers)}"
    url = cluster.create_database(name, template=template)
    monkeypatch.setenv("RMTUI_DB", url)
    engine = open_server_book(url)
    try:
        yield engine
    finally:
        engine.dispose()
        cluster.drop_database(name)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test book, committed at the end of the test."""
    with session_scope(engine) as session:
        yield session
