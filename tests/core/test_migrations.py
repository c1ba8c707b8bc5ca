"""Opening a book written at an older schema: a backup first, every row kept, summaries filled,
and a failed migration leaving the file as it was."""

from __future__ import annotations

import random
import re
import sqlite3
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from rmtui.core import db, paths
from rmtui.core.db import make_engine, open_book, session_scope
from rmtui.core.errors import BookError
from rmtui.core.models import (
    Case,
    Client,
    FinancialGoal,
    FollowUp,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
    Target,
)
from rmtui.core.queries.interactions import list_interactions
from rmtui.core.storage import SCHEMA_HEAD, read_revision
from tests.core.maintained import recomputed_summaries, stored_summaries
from tests.core.test_kpi_rollups import CLIENT, random_history
from tests.core.test_pipeline_rollup import recomputed as recomputed_deals
from tests.core.test_pipeline_rollup import some_clients, some_deals
from tests.core.test_pipeline_rollup import stored as stored_deals
from tests.factories import make, make_in_old_book

OLD_TRIGGERS = {
    "interaction_contact_added",
    "interaction_contact_changed",
    "interaction_contact_removed",
}


def migration(revision: str) -> Any:
    """The migration module of `revision`, loaded from its file."""
    import importlib.util

    folder = Path(db.__file__).parent / "migrations" / "versions"
    (path,) = folder.glob(f"{revision}_*.py")
    spec = importlib.util.spec_from_file_location(f"migration_{revision}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade(path: Path, revision: str) -> None:
    """Bring the book at `path` to `revision`, as rmtui.core.db.upgrade_to_head does to head."""
    from alembic import command

    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            config = db.alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def downgrade(path: Path, revision: str) -> None:
    """Take the book at `path` back to `revision`."""
    from alembic import command

    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            config = db.alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def fill(session: Session) -> None:
    """Rows of every table, with same-day holdings of one account and a note among contacts."""
    ada = make_in_old_book(
        session,
        Client,
        name="Ada",
        birthday=date(1980, 12, 1),
        tags=["vip"],
        email="ada@x.test",
        checkin_every_days=45,
    )
    bob = make_in_old_book(
        session, Client, name="Bob", referred_by_id=ada.id, client_since=None, checkin_every_days=7
    )
    call = make_in_old_book(session, Interaction, client_id=ada.id, at=datetime(2026, 11, 2, 9, 30))
    make_in_old_book(
        session, Interaction, client_id=ada.id, at=datetime(2026, 11, 3, 9), kind="note"
    )
    make_in_old_book(
        session, Interaction, client_id=bob.id, at=datetime(2026, 11, 3, 10), kind="email"
    )
    make_in_old_book(session, FollowUp, client_id=ada.id, interaction_id=call.id, priority="high")
    make_in_old_book(session, FollowUp, title="Plan the week")
    make_in_old_book(
        session, Opportunity, client_id=ada.id, stage="won", closed_on=date(2026, 11, 20)
    )
    for on, amount in [
        (date(2026, 11, 1), "100.10"),
        (date(2026, 11, 1), "5"),
        (date(2026, 12, 1), "7"),
    ]:
        make(session, Revenue, client_id=ada.id, on=on, amount=Decimal(amount))
    for account, as_of, value in [
        ("Main", date(2026, 9, 30), "1000"),
        ("Main", date(2026, 10, 31), "1100"),
        ("Main", date(2026, 10, 31), "1150.50"),
        ("ISA", date(2026, 10, 31), "20"),
    ]:
        make(session, Holding, client_id=ada.id, account=account, as_of=as_of, value=Decimal(value))
    make(session, FinancialGoal, client_id=ada.id, target_date=date(2040, 1, 1))
    make(session, Survey, client_id=bob.id, csat=None, nps=3)
    make_in_old_book(
        session, Case, client_id=bob.id, kind="complaint", resolved_on=date(2026, 11, 4)
    )
    make(session, Target)


@pytest.fixture
def old_book(tmp_path: Path) -> Path:
    """A book at schema 0001 holding rows of every table."""
    path = tmp_path / "old.db"
    upgrade(path, "0001")
    engine = make_engine(path)
    with session_scope(engine) as session:
        fill(session)
    engine.dispose()
    assert read_revision(path) == "0001"
    return path


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the book at `path`, by table, in the columns of 0001."""
    with sqlite3.connect(path) as conn:
        tables = [name for (name,) in conn.execute(_NAMES, ("table",))]
        return {table: _rows(conn, table) for table in tables if not is_new_table(table)}


_NAMES = "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name"
NEW_TABLES = {
    "revenue_day",
    "contact_day",
    "trash",
    "contact_point",
    "contact_person",
    "household",
    "household_member",
    *migration("0010").TABLES,  # the KPI roll-ups
    "public_holiday",
    "client_count",  # 0016: the clients counted by the triggers
    "pipeline_day",  # 0018: the deals by stage and day
}
# The search indexes of 0003, 0007 and 0008, and the search text and index of 0009 (with the
# FTS5 shadow tables of each).
SEARCH_INDEXES = ("client_fts", "contact_point_fts", "contact_person_fts", "client_search")


def is_new_table(table: str) -> bool:
    """Whether `table` came after schema 0001 (its rows are not the book's own)."""
    return table in NEW_TABLES or table.startswith(SEARCH_INDEXES)


# The triggers of 0003 that kept the clients' first search index (0009 replaces them).
FIRST_SEARCH_TRIGGERS = {"client_fts_added", "client_fts_changed", "client_fts_removed"}
# The triggers of 0008 (the households' shared contact) and of 0009 (the search text and its
# index).
LATER_TRIGGERS = {
    "household_contact_changed",
    "household_member_added",
    "household_member_moved",
    "household_member_removed",
    "household_sharing_changed",
    *(
        f"{table}_search_{change}"
        for table in ("client", "contact_point", "contact_person")
        for change in ("added", "changed", "removed")
    ),
    *(f"client_search_text_{change}" for change in ("added", "changed", "removed")),
    # 0011: a client's latest review and meeting.
    "interaction_last_review_on_added",
    "interaction_last_review_on_changed",
    "interaction_last_review_on_removed",
    "interaction_last_meeting_on_added",
    "interaction_last_meeting_on_changed",
    "interaction_last_meeting_on_removed",
}
# The triggers of 0016, which count the clients.
COUNTED = set(migration("0016").TRIGGERS)
# The triggers of 0010, which keep the KPI roll-ups, and those 0017 adds to keep them by owner.
OWNER_TRIGGERS = set(migration("0017").TRIGGERS) - set(migration("0010").TRIGGERS)
OWNER_TRIGGERS -= set(migration("0002").TRIGGERS)
ROLLUP_TRIGGERS = set(migration("0010").TRIGGERS) | OWNER_TRIGGERS
# The triggers of 0018, which keep the pipeline's deals by stage and day.
PIPELINE_TRIGGERS = set(migration("0018").TRIGGERS)
NEW_COLUMNS = {
    "superseded_on",
    "name_prefix",
    "given_name",
    "additional_names",
    "family_name",
    "name_suffix",
    "household_contact_on",
    "shared_household_id",
    "contact_person_id",
    # 0011: planning the year.
    "due_at",
    "notes",
    "repeat",
    "expected_close_on",
    "probability",
    "clock",
    "business_days",
    "extension_reason",
    "review",
    "review_every_months",
    "last_review_on",
    "last_meeting_on",
    # 0014: the language of a client's documents.
    "preferred_language",
    # 0015: a client's owner, and who made a change.
    "owner",
    "user_name",
}


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    kept = ", ".join(f'"{column}"' for column in columns if column not in NEW_COLUMNS)
    return conn.execute(f'SELECT {kept} FROM "{table}" ORDER BY rowid').fetchall()


def schema_names(path: Path, kind: str) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {name for (name,) in conn.execute(_NAMES, (kind,))}


def table_sql(path: Path, table: str) -> str:
    with sqlite3.connect(path) as conn:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    return str(sql)


def pre_migration_backups(path: Path) -> list[Path]:
    return sorted(paths.backup_dir(path).glob(f"{path.stem}-*-pre-migration.db"))


def test_an_old_book_is_backed_up_then_migrated_keeping_every_row(old_book: Path) -> None:
    before = contents(old_book)
    assert all(before[table] for table in ("client", "interaction", "holding", "revenue"))
    assert all(rows for table, rows in before.items() if table != "alembic_version")
    open_book(old_book).dispose()
    assert read_revision(old_book) == SCHEMA_HEAD
    assert contents(old_book) == {**before, "alembic_version": [(SCHEMA_HEAD,)]}
    (backup,) = pre_migration_backups(old_book)
    assert read_revision(backup) == "0001"
    assert contents(backup) == before


def test_the_migration_fills_the_summaries_for_the_rows_already_there(old_book: Path) -> None:
    engine = open_book(old_book)
    with session_scope(engine) as session:
        stored = stored_summaries(session)
        assert stored == recomputed_summaries(session)
    engine.dispose()
    superseded_on, revenue_days = stored["superseded_on"], stored["revenue_day"]
    contact_days = stored["contact_day"]
    assert sorted(superseded_on.values()) == [
        date(2026, 10, 31),  # Main of 09-30, superseded on 10-31
        date(2026, 10, 31),  # the first Main of 10-31, superseded the same day
        date(9999, 12, 31),
        date(9999, 12, 31),
    ]
    assert revenue_days["", date(2026, 11, 1)] == (Decimal("105.10"), 2)
    assert contact_days == {("", date(2026, 11, 2)): 1, ("", date(2026, 11, 3)): 1}


def test_the_migration_rebuilds_no_table_and_keeps_the_old_triggers(old_book: Path) -> None:
    tables = ("client", "interaction", "follow_up", "revenue")
    before = {table: table_sql(old_book, table) for table in tables}
    engine = open_book(old_book)
    cadence = "checkin_every_days INTEGER"  # its NOT NULL dropped in place by 0005
    before["client"] = before["client"].replace(f"{cadence} NOT NULL", cadence)
    # Columns added by ALTER TABLE ADD COLUMN are written after the last column in its SQL.
    added = re.compile(
        rf" ({'|'.join(NEW_COLUMNS)}) (VARCHAR|DATE|TIME|BOOLEAN[^,]*|INTEGER[^,]*),"
    )
    after = {table: added.sub("", table_sql(old_book, table)) for table in tables}
    assert after == {table: added.sub("", sql) for table, sql in before.items()}
    assert table_sql(old_book, "holding").startswith("CREATE TABLE holding (")
    assert schema_names(old_book, "trigger") > OLD_TRIGGERS
    with session_scope(engine) as session:
        ada = session.get(Client, 1)
        assert ada is not None
        make(session, Interaction, client_id=ada.id, at=datetime(2026, 11, 28, 16))
        make(session, Holding, client_id=ada.id, account="ISA", as_of=date(2026, 11, 28))
    with session_scope(engine) as session:
        assert session.get(Client, 1).last_contact_on == date(2026, 11, 28)  # type: ignore[union-attr]
        assert stored_summaries(session) == recomputed_summaries(session)
    engine.dispose()


def test_a_book_migrated_and_a_new_book_have_the_same_schema(
    old_book: Path, tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh.db"
    open_book(fresh).dispose()
    open_book(old_book).dispose()
    for kind in ("table", "index", "trigger"):
        assert schema_names(old_book, kind) == schema_names(fresh, kind), kind


def test_a_failed_migration_leaves_the_book_as_it_was(
    old_book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every step ran, then the last failed: all of it is undone, tables and stamp alike, and
    the backup taken for it goes (the book itself is that copy)."""
    from alembic import command

    before = contents(old_book)
    real_upgrade = command.upgrade

    def upgrade_then_fail(config: Any, revision: str) -> None:
        real_upgrade(config, revision)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(BookError) as raised:
        open_book(old_book)
    message = str(raised.value)
    assert "the disk is full" in message and "it was left as it was" in message
    assert message.endswith(".") and message.count(". ") == 0 and "\n" not in message
    assert read_revision(old_book) == "0001"
    assert contents(old_book) == before
    assert schema_names(old_book, "trigger") == OLD_TRIGGERS
    assert pre_migration_backups(old_book) == []
    monkeypatch.setattr(command, "upgrade", real_upgrade)
    open_book(old_book).dispose()
    assert read_revision(old_book) == SCHEMA_HEAD
    assert len(pre_migration_backups(old_book)) == 1


def test_a_book_at_the_current_schema_opens_without_a_backup(db_path: Path) -> None:
    open_book(db_path).dispose()
    assert read_revision(db_path) == SCHEMA_HEAD
    engine = open_book(db_path)
    with session_scope(engine) as session:
        make(session, Client)
    engine.dispose()
    open_book(db_path).dispose()
    assert pre_migration_backups(db_path) == []


def test_downgrade_to_0001_takes_the_summaries_away(old_book: Path, tmp_path: Path) -> None:
    open_book(old_book).dispose()
    downgrade(old_book, "0001")
    first = tmp_path / "first.db"
    upgrade(first, "0001")
    for kind in ("table", "index", "trigger"):
        assert schema_names(old_book, kind) == schema_names(first, kind), kind
    assert read_revision(old_book) == "0001"


def searched(path: Path, word: str, index: str = "client_search") -> list[int]:
    """The ids of the clients whose text the search index finds `word` in."""
    query = f"SELECT rowid FROM {index} WHERE {index} MATCH ? ORDER BY rowid"
    with sqlite3.connect(path) as conn:
        return [client_id for (client_id,) in conn.execute(query, (f'"{word}"',))]


@pytest.mark.parametrize("revision", ["0001", "0002"])
def test_a_migrated_book_has_the_client_search_index_filled(old_book: Path, revision: str) -> None:
    upgrade(old_book, revision)
    assert read_revision(old_book) == revision
    open_book(old_book).dispose()
    assert read_revision(old_book) == SCHEMA_HEAD
    assert searched(old_book, "ada") == [1]
    assert searched(old_book, "vip") == [1]  # the tags' JSON text
    assert searched(old_book, "BOB") == [2]
    with sqlite3.connect(old_book) as conn:
        check = "INSERT INTO client_search (client_search, rank) VALUES ('integrity-check', 1)"
        conn.execute(check)  # raises when the index and the search text disagree
    engine = open_book(old_book)
    with session_scope(engine) as session:
        make(session, Client, name="Adamo")
    engine.dispose()
    assert searched(old_book, "ada") == [1, 3]


def test_downgrade_to_0002_takes_the_search_index_away(old_book: Path, tmp_path: Path) -> None:
    open_book(old_book).dispose()
    downgrade(old_book, "0002")
    second = tmp_path / "second.db"
    upgrade(second, "0002")
    for kind in ("table", "index", "trigger"):
        assert schema_names(old_book, kind) == schema_names(second, kind), kind
    assert read_revision(old_book) == "0002"


def test_moments_an_import_wrote_short_get_microseconds(tmp_path: Path) -> None:
    path = tmp_path / "imported.db"
    upgrade(path, "0003")
    engine = make_engine(path)
    with session_scope(engine) as session:
        ada = make_in_old_book(session, Client, name="Ada", checkin_every_days=30)
        make_in_old_book(session, Interaction, client_id=ada.id, at=datetime(2026, 10, 30, 9, 15))
    engine.dispose()
    with sqlite3.connect(path) as conn:  # as imports before 0004 wrote them
        conn.execute("UPDATE interaction SET at = '2026-11-01 00:00:00'")
        conn.execute(
            "INSERT INTO interaction (client_id, at, kind, direction, subject)"
            " VALUES (1, '2026-11-02 10:30:00.250000', 'call', 'out', '')"
        )
    triggers = schema_names(path, "trigger")
    engine = open_book(path)
    with session_scope(engine) as session:
        days = [row.at for row in list_interactions(session=session, date_from=date(2026, 11, 1))]
        client = session.get(Client, 1)
        assert client is not None and client.last_contact_on == date(2026, 11, 2)
        assert stored_summaries(session) == recomputed_summaries(session)
    engine.dispose()
    assert days == [datetime(2026, 11, 2, 10, 30, 0, 250000), datetime(2026, 11, 1)]
    with sqlite3.connect(path) as conn:
        stored = [at for (at,) in conn.execute("SELECT at FROM interaction ORDER BY id")]
    assert stored == ["2026-11-01 00:00:00.000000", "2026-11-02 10:30:00.250000"]
    later = LATER_TRIGGERS | ROLLUP_TRIGGERS | COUNTED | PIPELINE_TRIGGERS
    assert schema_names(path, "trigger") == triggers - FIRST_SEARCH_TRIGGERS | later


def test_an_upgrade_is_told_before_it_starts_and_as_it_goes(old_book: Path) -> None:
    steps: list[tuple[str, int, int | None]] = []

    def told(step: str, done: int = 0, total: int | None = None) -> None:
        steps.append((step, done, total))

    open_book(old_book, progress=told).dispose()
    assert steps[0] == (f"upgrading old.db to schema {SCHEMA_HEAD} (after a backup)", 0, None)
    summing = [(done, total) for step, done, total in steps if step.startswith("summing up")]
    assert summing and summing[-1][0] == summing[-1][1]  # the book's KPI roll-ups, to the end
    assert [done for done, _total in summing] == sorted(done for done, _total in summing)
    told_before = len(steps)
    open_book(old_book, progress=told).dispose()
    assert len(steps) == told_before  # a book at the current schema opens without a word


def test_stored_tier_cadences_become_by_tier_and_own_ones_stay(tmp_path: Path) -> None:
    path = tmp_path / "cadences.db"
    upgrade(path, "0004")
    engine = make_engine(path)
    with session_scope(engine) as session:
        for name, tier, every in [("A30", "A", 30), ("A90", "A", 90), ("C180", "C", 180)]:
            make_in_old_book(session, Client, name=name, tier=tier, checkin_every_days=every)
    engine.dispose()
    engine = open_book(path)
    with session_scope(engine) as session:
        stored = {c.name: c.checkin_every_days for c in session.exec(select(Client))}
        make(session, Client, name="new", tier="A", checkin_every_days=None)
    engine.dispose()
    assert stored == {"A30": None, "A90": 90, "C180": None}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_downgrade_to_0004_stores_the_tier_cadences_again(tmp_path: Path) -> None:
    path = tmp_path / "cadences.db"
    open_book(path).dispose()
    engine = make_engine(path)
    with session_scope(engine) as session:
        make(session, Client, name="by tier", tier="A", checkin_every_days=None)
        make(session, Client, name="own", tier="A", checkin_every_days=14)
    engine.dispose()
    downgrade(path, "0004")
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, checkin_every_days FROM client ORDER BY id").fetchall()
        assert "checkin_every_days INTEGER NOT NULL" in table_sql(path, "client")
    assert rows == [("by tier", 30), ("own", 14)]


def test_0011_fills_the_last_meeting_and_adds_the_year_plan_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "before-0011.db"
    upgrade(path, "0008")
    engine = make_engine(path)
    with session_scope(engine) as session:
        ann = make_in_old_book(session, Client, name="Ann", tier="A")
        for at, kind in ((datetime(2026, 3, 2, 10), "meeting"), (datetime(2026, 6, 1, 9), "call")):
            make_in_old_book(session, Interaction, client_id=ann.id, at=at, kind=kind)
        make_in_old_book(session, FollowUp, client_id=ann.id)
        make_in_old_book(session, Case, client_id=ann.id)
    engine.dispose()
    engine = open_book(path)
    with session_scope(engine) as session:
        client = session.get(Client, ann.id)
        assert client is not None
        assert (client.last_meeting_on, client.last_review_on) == (date(2026, 3, 2), None)
        follow_up = session.exec(select(FollowUp)).one()
        assert (follow_up.repeat, follow_up.due_at, follow_up.notes) == (None, None, None)
        case = session.exec(select(Case)).one()
        assert (case.business_days, case.clock) == (False, None)
    engine.dispose()
    downgrade(path, "0008")
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(client)")}
    assert "last_meeting_on" not in columns and "name_prefix" in columns


def test_0014_adds_the_clients_language_and_takes_it_away_again(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    open_book(path).dispose()
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(client)")}
        triggers = {name for (name,) in conn.execute(_NAMES, ("trigger",))}
    assert "preferred_language" in columns
    downgrade(path, "0013")
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(client)")}
        kept = {name for (name,) in conn.execute(_NAMES, ("trigger",))}
        assert kept == triggers - COUNTED - OWNER_TRIGGERS - PIPELINE_TRIGGERS
    assert "preferred_language" not in columns


def test_0015_adds_the_owner_and_the_audits_user_and_takes_them_away_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "book.db"
    open_book(path).dispose()
    with sqlite3.connect(path) as conn:
        triggers = {name for (name,) in conn.execute(_NAMES, ("trigger",))}
    assert "owner" in {row[1] for row in _columns(path, "client")}
    assert "user_name" in {row[1] for row in _columns(path, "audit")}
    downgrade(path, "0014")
    with sqlite3.connect(path) as conn:
        kept = {name for (name,) in conn.execute(_NAMES, ("trigger",))}
        assert kept == triggers - COUNTED - OWNER_TRIGGERS - PIPELINE_TRIGGERS
    assert "owner" not in {row[1] for row in _columns(path, "client")}
    assert "user_name" not in {row[1] for row in _columns(path, "audit")}
    assert "ix_client_owner" not in schema_names(path, "index")


def test_0016_counts_the_clients_and_takes_the_count_away_again(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    engine = open_book(path)
    with session_scope(engine) as session:
        make(session, Client, name="Ada", owner="ana")
        make(session, Client, name="Bob", archived=True)
    engine.dispose()
    downgrade(path, "0015")
    assert "client_count" not in schema_names(path, "table")
    assert not COUNTED & schema_names(path, "trigger")
    with sqlite3.connect(path) as conn:  # a client added before the count is back
        names = [row[1] for row in _columns(path, "client") if row[1] != "id"]
        copied = ", ".join("'Cy'" if name == "name" else name for name in names)
        columns = ", ".join(names)
        conn.execute(f"INSERT INTO client ({columns}) SELECT {copied} FROM client WHERE id = 1")
    open_book(path).dispose()
    with sqlite3.connect(path) as conn:
        counted = conn.execute(
            "SELECT archived, everyone, owner, clients FROM client_count ORDER BY 1, 2, 3"
        ).fetchall()
    assert counted == [(0, 0, "ana", 2), (1, 1, "", 1)]
    assert schema_names(path, "trigger") >= COUNTED


def _columns(path: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(f'PRAGMA table_info("{table}")').fetchall()


@pytest.mark.parametrize("owned", [True, False])
def test_0017_sums_up_an_existing_book_by_owner(tmp_path: Path, owned: bool) -> None:
    """A book at 0015 with a random history, its clients of two owners and everyone's (or all
    everyone's, whose roll-ups are copied as they are): at 0017 each owner's roll-ups are those
    of their clients' rows, and the triggers keep them so; back at 0015, the book's are."""
    path = tmp_path / "book.db"
    upgrade(path, "0015")
    engine = make_engine(path)
    with session_scope(engine) as session:
        clients = random_history(session, random.Random(21), 150, checked=False)
        if not owned:
            session.execute(update(CLIENT).values(owner=None))
    engine.dispose()
    with sqlite3.connect(path) as conn:
        owners = {owner for (owner,) in conn.execute("SELECT DISTINCT owner FROM client")}
    assert owners == ({"ann", "ben", None} if owned else {None})
    triggers = schema_names(path, "trigger")
    open_book(path).dispose()
    assert read_revision(path) == SCHEMA_HEAD
    engine = make_engine(path)
    with session_scope(engine) as session:
        assert stored_summaries(session) == recomputed_summaries(session)
        session.execute(update(CLIENT).where(CLIENT.c.id == clients[0]).values(owner="cy"))
        make(session, Interaction, client_id=clients[0], at=datetime(2026, 3, 9, 10))
        assert stored_summaries(session) == recomputed_summaries(session)
    engine.dispose()
    downgrade(path, "0015")
    assert schema_names(path, "trigger") == triggers
    with sqlite3.connect(path) as conn:
        assert "owner" not in {row[1] for row in conn.execute("PRAGMA table_info(client_day)")}
        contacts = dict(conn.execute('SELECT "on", contacts FROM contact_day'))
        recounted = dict(
            conn.execute(
                "SELECT date(at), count(*) FROM interaction WHERE kind != 'note' GROUP BY 1"
            )
        )
    assert contacts == recounted


def test_0018_sums_up_the_deals_of_a_book_and_takes_the_sums_away_again(tmp_path: Path) -> None:
    """A book at 0017 with deals of every stage, some of archived clients: at 0018 the deals
    by stage and day are those of its deals, and the triggers keep them so; back at 0017, the
    roll-up and its triggers are gone."""
    path = tmp_path / "book.db"
    upgrade(path, "0017")
    engine = make_engine(path)
    rng = random.Random(18)
    with session_scope(engine) as session:
        some_deals(session, rng, some_clients(session, 10), 120)
    engine.dispose()
    open_book(path).dispose()
    assert read_revision(path) == SCHEMA_HEAD
    engine = make_engine(path)
    with session_scope(engine) as session:
        assert stored_deals(session) == recomputed_deals(session) != {}
        some_deals(session, rng, some_clients(session, 3), 20)
        assert stored_deals(session) == recomputed_deals(session)
    engine.dispose()
    downgrade(path, "0017")
    assert "pipeline_day" not in schema_names(path, "table")
    assert not PIPELINE_TRIGGERS & schema_names(path, "trigger")
