"""The year's new fields through the interchange (JSON, CSV), the trash and the audit trail,
and an older book file importing without them."""

from __future__ import annotations

import csv
from datetime import date, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from rmtui.core.db import session_scope
from rmtui.core.interchange.book_file import export_book, import_book
from rmtui.core.interchange.csv_files import write_csv_export
from rmtui.core.models import AuditEntry, Case, Client, FollowUp, Interaction, Opportunity
from rmtui.core.queries.common import table_of
from rmtui.core.queries.follow_ups import delete_follow_up
from rmtui.core.queries.trash import restore
from tests.factories import make


def fill(engine: Engine) -> None:
    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann", review_every_months=9)
        make(
            session,
            FollowUp,
            client_id=ann.id,
            title="Statement call",
            due_at=time(9, 30),
            notes="15 minutes",
            repeat="every month",
        )
        make(
            session,
            Opportunity,
            client_id=ann.id,
            expected_close_on=date(2027, 3, 31),
            probability=70,
        )
        make(session, Interaction, client_id=ann.id, kind="meeting", review=True)
        make(
            session,
            Case,
            client_id=ann.id,
            clock="payment",
            business_days=True,
            extension_reason="bank abroad",
        )


def test_a_book_file_carries_the_new_fields_there_and_back(engine: Engine, tmp_path: Path) -> None:
    fill(engine)
    with session_scope(engine) as session:
        data = export_book(session=session)
    assert data["version"] == 4
    (follow_up,) = data["follow_ups"]
    assert (follow_up["due_at"], follow_up["notes"], follow_up["repeat"]) == (
        "09:30",
        "15 minutes",
        "every month",
    )
    (deal,) = data["opportunities"]
    assert (deal["expected_close_on"], deal["probability"]) == ("2027-03-31", 70)
    assert data["clients"][0]["review_every_months"] == 9
    assert "last_review_on" not in data["clients"][0]  # kept by the book, not interchanged
    assert data["interactions"][0]["review"] is True
    assert data["cases"][0]["clock"] == "payment" and data["cases"][0]["business_days"] is True
    from rmtui.core.db import open_book

    other = open_book(tmp_path / "other.db")
    import_book(engine=other, data=data)
    with session_scope(other) as session:
        again = export_book(session=session)
        client = session.get(Client, 1)
        assert client is not None and client.last_review_on is not None  # the triggers ran
    other.dispose()
    assert again == data


def test_a_version_3_file_imports_with_the_new_fields_empty(engine: Engine) -> None:
    data = {
        "format": "rmtui-book",
        "version": 3,
        "clients": [{"id": 1, "name": "Ann", "client_since": "2024-01-01"}],
        "follow_ups": [{"id": 1, "client": 1, "title": "Call", "due_on": "2026-12-01"}],
        "opportunities": [
            {"id": 1, "client": 1, "title": "Plan", "stage": "lead", "opened_on": "2026-11-01"}
        ],
        "cases": [
            {
                "id": 1,
                "client": 1,
                "subject": "Card",
                "opened_on": "2026-11-01",
                "due_on": "2026-11-05",
            }
        ],
    }
    import_book(engine=engine, data=data)
    with session_scope(engine) as session:
        follow_up = session.get(FollowUp, 1)
        deal = session.get(Opportunity, 1)
        case = session.get(Case, 1)
        assert follow_up is not None and (follow_up.repeat, follow_up.due_at) == (None, None)
        assert deal is not None and (deal.expected_close_on, deal.probability) == (None, None)
        assert case is not None and (case.business_days, case.clock) == (False, None)


def test_a_bad_repeat_or_time_in_a_file_is_one_problem_each(engine: Engine) -> None:
    import pytest

    from rmtui.core.interchange.book_file import BookImportError

    data = {
        "format": "rmtui-book",
        "version": 4,
        "follow_ups": [
            {"id": 1, "title": "a", "due_on": "2026-12-01", "repeat": "sometimes"},
            {"id": 2, "title": "b", "due_on": "2026-12-01", "due_at": "25:00"},
        ],
    }
    with pytest.raises(BookImportError) as caught:
        import_book(engine=engine, data=data)
    problems = [str(problem) for problem in caught.value.problems]
    assert problems[0].startswith("follow_ups #1 repeat: 'sometimes' is not a repeat")
    assert problems[1] == "follow_ups #2 due_at: '25:00' is not a time of day; write it as HH:MM"


def test_the_csv_export_has_the_new_columns(engine: Engine, tmp_path: Path) -> None:
    fill(engine)
    write_csv_export(tmp_path, engine=engine)
    with (tmp_path / "follow_ups.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["due_at"], row["notes"], row["repeat"]) == ("09:30", "15 minutes", "every month")
    with (tmp_path / "opportunities.csv").open(encoding="utf-8") as handle:
        (deal,) = list(csv.DictReader(handle))
    assert (deal["expected_close_on"], deal["probability"]) == ("2027-03-31", "70")


def test_a_follow_up_comes_back_from_the_trash_with_its_time_and_repeat(engine: Engine) -> None:
    fill(engine)
    with session_scope(engine) as session:
        entry = delete_follow_up(session=session, follow_up_id=1)
    with session_scope(engine) as session:
        restore(session=session, entry_id=entry.id)
    with session_scope(engine) as session:
        follow_up = session.get(FollowUp, 1)
        assert follow_up is not None
        assert (follow_up.due_at, follow_up.repeat) == (time(9, 30), "every month")
        audit = table_of(AuditEntry)
        changes = session.execute(
            select(audit.c.changes).where(audit.c.entity == "follow_up")
        ).first()
        assert changes is not None and changes[0]["due_at"] == [None, "09:30:00"]
