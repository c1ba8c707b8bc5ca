"""JSON interchange: round trip, all-or-nothing import with every problem, id remapping."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.interchange.book_file import (
    BookImportError,
    InterchangeError,
    export_book,
    import_book,
    read_book_file,
    write_book_file,
)
from rmtui.core.interchange.schema import Problem, client_values, record_of, record_values
from rmtui.core.models import (
    AuditEntry,
    Case,
    Client,
    ContactPerson,
    ContactPoint,
    FinancialGoal,
    FollowUp,
    Holding,
    Household,
    HouseholdMember,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
    Target,
)
from rmtui.core.queries.interactions import list_interactions
from tests.factories import make

TODAY = date(2026, 11, 29)


def fill_book(engine: Engine) -> None:
    """A small book with every entity, a referral, links and awkward values."""
    with session_scope(engine) as session:
        ada = make(session, Client, name="Ada Lovelace", tier="A", tags=["vip", "golf"])
        zoe = make(
            session,
            Client,
            name="Zoë Brontë-Müller",
            kind="business",
            email="zoe@example.com",
            phone="+31 6 1234 5678",
            birthday=date(1980, 2, 29),
            referred_by_id=ada.id,
            checkin_every_days=45,
            archived=True,
            client_until=date(2026, 6, 30),
            status="former",
        )
        call = make(session, Interaction, client_id=ada.id, at=datetime(2026, 11, 2, 9, 30))
        make(session, Interaction, client_id=ada.id, kind="note", subject="Remember", notes="a\nb")
        make(session, FollowUp, client_id=ada.id, interaction_id=call.id, priority="high")
        make(session, FollowUp, title="Team meeting", status="done", done_on=date(2026, 11, 28))
        make(session, Opportunity, client_id=ada.id, stage="lost", lost_reason="Price")
        make(session, Revenue, client_id=ada.id, amount=Decimal("1234.56"), kind="commission")
        make(session, Holding, client_id=ada.id, value=Decimal("-10.05"))
        make(session, FinancialGoal, client_id=ada.id, current_amount=Decimal("12.30"))
        make(session, Survey, client_id=ada.id, csat=None, nps=0, comment="Meh")
        make(session, Case, client_id=ada.id, kind="complaint", resolved_on=date(2026, 11, 4))
        make(session, Target, metric="nps", target=Decimal("40"))
        make(session, ContactPoint, client_id=zoe.id, value="zoe@example.com", preferred=True)
        make(session, ContactPoint, client_id=zoe.id, value="zoe@brontë.example", label="home")
        phone = "+31 6 1234 5678"
        make(session, ContactPoint, client_id=zoe.id, kind="phone", value=phone, preferred=True)
        joke = make(session, ContactPerson, client_id=zoe.id, name="Joke", role="CFO")
        make(session, Interaction, client_id=zoe.id, contact_person_id=joke.id)
        home = make(session, Household, name="Lovelace family", shared_checkin=False)
        make(session, HouseholdMember, household_id=home.id, client_id=ada.id, role="head")
        make(session, HouseholdMember, household_id=home.id, client_id=zoe.id, role="partner")


def book_dict(engine: Engine) -> dict[str, Any]:
    with session_scope(engine) as session:
        return export_book(session=session)


def count(engine: Engine, model: Any) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def book_data(**lists: Any) -> dict[str, Any]:
    return {"format": "rmtui-book", "version": 1, **lists}


# Round trip and export


def test_round_trip_gives_the_same_file(
    engine: Engine, tmp_path: Path, new_book: Callable[[Path], Engine]
) -> None:
    fill_book(engine)
    first = tmp_path / "first.json"
    write_book_file(first, engine=engine)
    copy = new_book(tmp_path / "copy.db")
    report = import_book(engine=copy, data=read_book_file(first))
    second = tmp_path / "second.json"
    write_book_file(second, engine=copy)

    assert report.ids_kept
    assert report.counts["clients"] == 2 and report.counts["interactions"] == 3
    assert report.counts["households"] == 1 and report.counts["household_members"] == 2
    assert str(report).startswith("2 clients, 1 contact person, 3 interactions, 2 follow-ups, ")
    assert first.read_bytes() == second.read_bytes()
    assert book_dict(copy) == book_dict(engine)
    copy.dispose()


def test_export_is_private_utf8_json_in_the_format(engine: Engine, tmp_path: Path) -> None:
    fill_book(engine)
    path = tmp_path / "export.json"
    counts = write_book_file(path, engine=engine)
    data = json.loads(path.read_text(encoding="utf-8"))

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Zoë Brontë-Müller" in path.read_text(encoding="utf-8")
    assert data["format"] == "rmtui-book" and data["version"] == 4
    assert data["contact_points"][1] == {
        "id": 2,
        "client": 2,
        "kind": "email",
        "value": "zoe@brontë.example",
        "label": "home",
        "preferred": False,
    }
    assert counts["follow_ups"] == len(data["follow_ups"]) == 2
    zoe = data["clients"][1]
    assert zoe["referred_by"] == 1 and zoe["birthday"] == "1980-02-29" and zoe["archived"]
    assert "last_contact_on" not in zoe and "referred_by_id" not in zoe
    assert data["revenue"][0]["amount"] == "1234.56"
    assert data["holdings"][0]["value"] == "-10.05"
    assert data["interactions"][0]["at"] == "2026-11-02T09:30:00"
    assert data["follow_ups"][0]["interaction"] == 1


def test_export_of_an_empty_book_is_valid(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    write_book_file(path, engine=engine)
    assert json.loads(path.read_text())["clients"] == []


def test_import_keeps_ids_and_lets_triggers_keep_last_contact(engine: Engine) -> None:
    data = book_data(
        clients=[{"id": 7, "name": "Ada"}, {"id": 3, "name": "Bob", "referred_by": 7}],
        interactions=[
            {"id": 10, "client": 7, "at": "2026-11-20T10:00", "kind": "call"},
            {"id": 11, "client": 7, "at": "2026-11-25T10:00", "kind": "note"},
        ],
    )
    import_book(engine=engine, data=data)
    with session_scope(engine) as session:
        ada, bob = session.get(Client, 7), session.get(Client, 3)
        assert ada is not None and bob is not None
        assert ada.last_contact_on == date(2026, 11, 20)
        assert bob.referred_by_id == 7 and bob.last_contact_on is None
        assert ada.checkin_every_days is None and ada.created_on == TODAY


def test_import_records_one_audit_entry(engine: Engine) -> None:
    import_book(engine=engine, data=book_data(clients=[{"id": 1, "name": "Ada"}]))
    with session_scope(engine) as session:
        entries = session.execute(select(AuditEntry)).scalars().all()
    assert [(e.entity, e.action) for e in entries] == [("book", "import")]
    assert entries[0].changes["clients"] == 1


# Import into a book that already has records


def test_import_into_a_non_empty_book_remaps_ids(engine: Engine) -> None:
    with session_scope(engine) as session:
        mine = make(session, Client, name="Already here")
        make(session, Interaction, client_id=mine.id, subject="Mine")
    data = book_data(
        clients=[{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bob", "referred_by": 1}],
        interactions=[{"id": 1, "client": 2, "at": "2026-11-20T10:00", "subject": "New"}],
        follow_ups=[
            {"id": 1, "client": 2, "title": "Call", "due_on": "2026-12-01", "interaction": 1}
        ],
        revenue=[{"id": 5, "client": 1, "on": "2026-11-01", "amount": "10"}],
    )
    report = import_book(engine=engine, data=data)
    book = book_dict(engine)

    assert not report.ids_kept
    assert [(c["id"], c["name"], c["referred_by"]) for c in book["clients"]] == [
        (1, "Already here", None),
        (2, "Ada", None),
        (3, "Bob", 2),
    ]
    assert [(i["id"], i["client"], i["subject"]) for i in book["interactions"]] == [
        (1, 1, "Mine"),
        (2, 3, "New"),
    ]
    assert book["follow_ups"][0]["client"] == 3 and book["follow_ups"][0]["interaction"] == 2
    assert book["revenue"][0]["client"] == 2


def test_import_may_refer_to_clients_already_in_the_book(engine: Engine) -> None:
    with session_scope(engine) as session:
        make(session, Client, name="Already here")
    data = book_data(surveys=[{"client": 1, "on": "2026-11-01", "nps": 9}])
    import_book(engine=engine, data=data)
    assert book_dict(engine)["surveys"][0]["client"] == 1


def test_importing_the_same_file_twice_adds_a_copy(engine: Engine, tmp_path: Path) -> None:
    fill_book(engine)
    data = book_dict(engine)
    import_book(engine=engine, data=data)
    book = book_dict(engine)
    assert len(book["clients"]) == 4
    assert book["clients"][3]["referred_by"] == 3
    assert count(engine, Interaction) == 6
    assert [h["members"] for h in book["households"]][1] == [
        {"client": 3, "role": "head"},
        {"client": 4, "role": "partner"},
    ]
    assert book["interactions"][-1]["contact_person"] == 2


# Bad files


def test_a_broken_file_writes_nothing_and_reports_every_problem(engine: Engine) -> None:
    data = book_data(
        clients=[
            {"id": 1, "name": "Ada", "tier": "gold"},
            {"id": 2, "email": "bob@"},
            {"id": 2, "name": "Copy of Bob"},
            {"name": "No id", "kind": "robot", "emial": "x@example.com"},
        ],
        interactions=[
            {"id": 1, "client": 99, "at": "2026-11-01T10:00"},
            {"id": 2, "client": 1, "at": "yesterday"},
        ],
        follow_ups=[{"id": 1, "title": "Call", "due_on": "2026-02-30", "interaction": 5}],
        revenue=[{"id": 1, "client": 1, "on": "2026-11-01", "amount": "12,5x"}],
        holdings=[{"id": 1, "client": 1, "account": "Main", "as_of": "2026-11-01", "value": 1.5}],
        surveys=[{"id": 1, "client": 1, "on": "2026-11-01", "csat": 6}],
        targets=[{"id": 1, "metric": "profit", "period_start": "2026-12-01"}],
    )
    with pytest.raises(BookImportError) as caught:
        import_book(engine=engine, data=data)

    assert [str(problem) for problem in caught.value.problems] == [
        "clients #1 tier: 'gold' is not one of A, B, C",
        "clients #2 name: is required",
        "clients #2 email: 'bob@' is not an e-mail address",
        "clients #2 id: 2 is also the id of another record",
        "clients item 4 kind: 'robot' is not one of person, business, corporate",
        "clients item 4 emial: is not a field of clients records",
        "interactions #1 client: no client #99 in the file or the book",
        "interactions #2 at: 'yesterday' is not a date and time; write it as YYYY-MM-DDTHH:MM",
        "follow_ups #1 due_on: '2026-02-30' is not a date; write it as YYYY-MM-DD",
        "follow_ups #1 interaction: no interaction #5 in the file or the book",
        "revenue #1 amount: '12,5x' is not an amount; write it like 1234.50",
        "holdings #1 value: amounts must be given as text, not as a floating-point number",
        "surveys #1 csat: 6 is not between 1 and 5",
        "targets #1 metric: 'profit' is not one of " + ", ".join(_kpi_keys()),
        "targets #1 period_end: is required",
        "targets #1 target: is required",
    ]
    assert str(caught.value) == "the file has 16 problems, so nothing was imported."
    assert count(engine, Client) == 0 and count(engine, AuditEntry) == 0


def _kpi_keys() -> list[str]:
    from rmtui.core.kpi import KPI_KEYS

    return list(KPI_KEYS)


def test_a_list_that_is_not_a_list_is_a_problem(engine: Engine) -> None:
    with pytest.raises(BookImportError) as caught:
        import_book(engine=engine, data=book_data(clients={"id": 1}, surveys=[3]))
    assert [str(p) for p in caught.value.problems] == [
        "clients: must be a list of records",
        "surveys item 1: is not a record (a JSON object)",
    ]


def test_an_unknown_list_is_a_problem(engine: Engine) -> None:
    with pytest.raises(BookImportError) as caught:
        import_book(engine=engine, data=book_data(client=[{"id": 1, "name": "Ada"}]))
    assert [str(p) for p in caught.value.problems] == [
        "client: is not part of the rmtui-book format"
    ]


def test_exporting_into_a_missing_folder_says_so(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(BookError, match="does not exist"):
        write_book_file(tmp_path / "nowhere" / "book.json", engine=engine)


def test_an_import_that_fails_leaves_a_non_empty_book_as_it_was(engine: Engine) -> None:
    fill_book(engine)
    before = book_dict(engine)
    bad = book_data(clients=[{"id": 1, "name": "Ok"}, {"id": 2, "name": ""}])
    with pytest.raises(BookImportError):
        import_book(engine=engine, data=bad)
    assert book_dict(engine) == before


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reading_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InterchangeError, match=r"missing\.json does not exist; check the file"):
        read_book_file(tmp_path / "missing.json")


def test_reading_a_file_that_is_not_json(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '{"format": "rmtui-book",\n "version": 1,,\n}')
    with pytest.raises(InterchangeError) as caught:
        read_book_file(path)
    assert str(caught.value) == (
        f"{path} is not valid JSON: Expecting property name enclosed in double quotes "
        "at line 2, column 15."
    )


def test_reading_a_file_of_another_format(tmp_path: Path) -> None:
    path = write(tmp_path / "other.json", '{"format": "contacts", "version": 1}')
    with pytest.raises(InterchangeError) as caught:
        read_book_file(path)
    assert str(caught.value) == (
        f'{path} is not an rmtui book export: its "format" is not "rmtui-book".'
    )


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("5", "was written by a newer rmtui (format version 5); upgrade rmtui to import it."),
        ('"1"', 'has an unsupported "version" ("1"); this rmtui reads versions 1, 2, 3 and 4.'),
        ("null", 'has an unsupported "version" (null); this rmtui reads versions 1, 2, 3 and 4.'),
    ],
)
def test_reading_a_file_of_another_version(tmp_path: Path, version: str, message: str) -> None:
    path = write(tmp_path / "v.json", f'{{"format": "rmtui-book", "version": {version}}}')
    with pytest.raises(InterchangeError) as caught:
        read_book_file(path)
    assert str(caught.value) == f"{path} {message}"


def test_reading_keeps_decimals_exact(tmp_path: Path, engine: Engine) -> None:
    path = write(
        tmp_path / "f.json",
        '{"format": "rmtui-book", "version": 1, "clients": [{"id": 1, "name": "A"}],'
        ' "revenue": [{"client": 1, "on": "2026-01-01", "amount": 0.1}]}',
    )
    import_book(engine=engine, data=read_book_file(path))
    assert book_dict(engine)["revenue"][0]["amount"] == "0.10"


# One record


def test_client_values_fill_defaults() -> None:
    values, problems = client_values({"name": "Ada", "tier": "a", "kind": "Business"}, today=TODAY)
    assert problems == []
    assert values["tier"] == "A" and values["kind"] == "business"
    assert values["checkin_every_days"] is None and values["created_on"] == TODAY
    assert values["tags"] == [] and values["archived"] is False and values["referred_by_id"] is None


def test_client_values_read_csv_like_text() -> None:
    record = {"name": "Ada", "tags": "vip, golf,", "archived": "yes", "checkin_every_days": "14"}
    values, problems = client_values(record, today=TODAY, label="line 3")
    assert problems == []
    assert values["tags"] == ["vip", "golf"] and values["archived"] is True
    assert values["checkin_every_days"] == 14


def test_problem_lines() -> None:
    _values, problems = client_values({"id": 12, "name": "Bob", "email": "bob@"}, today=TODAY)
    assert problems == [Problem("clients", 12, "email", "'bob@' is not an e-mail address")]
    assert str(problems[0]) == "clients #12 email: 'bob@' is not an e-mail address"
    _values, problems = client_values({"name": " "}, today=TODAY, label="line 3")
    assert [str(p) for p in problems] == ["clients line 3 name: is required"]


@pytest.mark.parametrize(
    ("entity", "record", "line"),
    [
        (
            "surveys",
            {"client": 1, "on": "2026-01-01", "nps": 11},
            "nps: 11 is not between 0 and 10",
        ),
        ("surveys", {"client": 1, "on": "2026-01-01", "csat": True}, "csat: true is not a whole"),
        (
            "clients",
            {"name": "A", "checkin_every_days": 0},
            "checkin_every_days: 0 is not at least 1",
        ),
        ("clients", {"name": "A", "phone": 612345678}, "phone: 612345678 is not text"),
        (
            "clients",
            {"name": "A", "client_since": "2026-05-01", "client_until": "2026-01-01"},
            "client_until: 2026-01-01 is before client_since 2026-05-01",
        ),
        ("interactions", {"client": "x", "at": "2026-01-01T10:00"}, "client: 'x' is not an id"),
        (
            "interactions",
            {"client": 1, "at": "2026-01-01T10:00", "duration_min": -5},
            "duration_min: -5 is not at least 0",
        ),
        (
            "follow_ups",
            {"title": "T", "due_on": "2026-01-01", "status": "later"},
            "status: 'later' is not one of open, done, cancelled",
        ),
        (
            "interactions",
            {"client": 1, "at": "2026-01-01T10:00", "duration_min": 10**19},
            "duration_min: 10000000000000000000 is too large to be a whole number",
        ),
        ("revenue", {"client": 10**19, "on": "2026-01-01", "amount": "1"}, "client: 1000"),
        (
            "revenue",
            {"client": 1, "on": "2026-01-01", "amount": "1" * 30},
            f"amount: '{'1' * 30}' is too large; amounts go up to 999,999,999,999.99",
        ),
        ("holdings", {"client": 1, "account": "A", "as_of": "2026-01-01", "value": 7.5}, "value"),
    ],
)
def test_record_problems(entity: str, record: dict[str, Any], line: str) -> None:
    _values, problems = record_values(entity, record, today=TODAY)
    assert len(problems) == 1
    assert f"{problems[0].field}: {problems[0].message}".startswith(line)


def test_interaction_times_with_a_zone_become_local_naive() -> None:
    values, problems = record_values(
        "interactions", {"client": 1, "at": "2026-01-01T10:00:00+00:00"}, today=TODAY
    )
    assert problems == [] and values["at"].tzinfo is None


def test_record_of_is_the_reverse_of_record_values() -> None:
    record = {
        "id": 4,
        "client": 2,
        "title": "Mandate",
        "product": None,
        "stage": "won",
        "value": "2500.00",
        "opened_on": "2026-01-02",
        "closed_on": "2026-03-04",
        "lost_reason": None,
        "expected_close_on": "2026-03-01",
        "probability": 80,
    }
    values, problems = record_values("opportunities", record, today=TODAY)
    assert problems == [] and values["value"] == Decimal("2500.00")
    assert record_of("opportunities", values) == record


def test_an_interaction_imported_with_a_date_only_falls_on_that_day(engine: Engine) -> None:
    data = book_data(
        clients=[{"id": 1, "name": "Ada"}],
        interactions=[{"id": 1, "client": 1, "at": "2026-11-01"}],
    )
    import_book(engine=engine, data=data)
    with session_scope(engine) as session:
        on_the_day = list_interactions(
            session=session, date_from=date(2026, 11, 1), date_to=date(2026, 11, 1)
        )
        day_before = list_interactions(session=session, date_to=date(2026, 10, 31))
    assert [row.id for row in on_the_day] == [1] and day_before == []


def test_an_import_leaves_its_data_alone(engine: Engine) -> None:
    def data() -> dict[str, Any]:
        return book_data(
            clients=[{"id": 1, "name": "Ada"}],
            interactions=[{"client": 1, "at": "2026-11-01T10:00"}],
            households=[{"id": 1, "name": "H", "members": [{"client": 1, "role": "head"}]}],
        )

    kept = data()
    report = import_book(engine=engine, data=kept)
    assert kept == data()
    assert report.counts["interactions"] == 1 and report.counts["household_members"] == 1


def test_a_birthday_in_the_future_is_refused() -> None:
    _values, problems = client_values({"name": "Ada", "birthday": "2030-05-01"}, today=TODAY)
    assert [str(problem) for problem in problems] == [
        "clients (no id) birthday: 2030-05-01 is in the future; a birthday cannot be after today"
    ]
    _values, problems = client_values({"name": "Ada", "birthday": TODAY.isoformat()}, today=TODAY)
    assert problems == []


def test_a_version_1_file_gives_each_client_its_email_and_phone_as_points(engine: Engine) -> None:
    client = {"id": 7, "name": "Ann", "email": "ann@x.test", "phone": "+32 470 00 00 01"}
    report = import_book(engine=engine, data=book_data(clients=[client]))
    assert report.counts["contact_points"] == 2
    points = book_dict(engine)["contact_points"]
    assert [(p["client"], p["kind"], p["value"], p["preferred"]) for p in points] == [
        (7, "email", "ann@x.test", True),
        (7, "phone", "+32 470 00 00 01", True),
    ]


def test_a_version_2_file_keeps_its_points_and_labels(engine: Engine) -> None:
    client = {"id": 1, "name": "Ann", "email": "ann@x.test"}
    points = [
        {"id": 1, "client": 1, "kind": "email", "value": "ann@x.test", "preferred": True},
        {"id": 2, "client": 1, "kind": "phone", "value": "+32 9 000 00 00", "label": "work"},
    ]
    data = {**book_data(clients=[client], contact_points=points), "version": 2}
    import_book(engine=engine, data=data)
    kept = book_dict(engine)["contact_points"]
    assert [(p["kind"], p["value"], p["label"], p["preferred"]) for p in kept] == [
        ("email", "ann@x.test", None, True),
        ("phone", "+32 9 000 00 00", "work", False),
    ]


def test_a_household_lists_its_members_inside_it(engine: Engine, tmp_path: Path) -> None:
    fill_book(engine)
    path = tmp_path / "book.json"
    write_book_file(path, engine=engine)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "household_members" not in data
    assert data["households"] == [
        {
            "id": 1,
            "name": "Lovelace family",
            "shared_checkin": False,
            "members": [{"client": 1, "role": "head"}, {"client": 2, "role": "partner"}],
        }
    ]
    assert data["contact_persons"][0]["name"] == "Joke"
    assert data["interactions"][-1]["contact_person"] == 1


def test_members_of_an_unknown_client_or_role_are_refused(engine: Engine) -> None:
    household = {"id": 1, "name": "H", "members": [{"client": 9, "role": "uncle"}]}
    data = {**book_data(clients=[{"id": 1, "name": "A"}]), "version": 3, "households": [household]}
    with pytest.raises(BookImportError) as refused:
        import_book(engine=engine, data=data)
    said = [str(problem) for problem in refused.value.problems]
    assert any("role" in line and "uncle" in line for line in said), said
    assert any("no client #9" in line for line in said), said
    assert count(engine, Household) == 0


def test_a_flat_list_of_members_is_not_part_of_the_format(engine: Engine) -> None:
    data = {**book_data(), "version": 3, "household_members": []}
    with pytest.raises(BookImportError):
        import_book(engine=engine, data=data)
