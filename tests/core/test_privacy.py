"""GDPR: a client's dossier holds everything about them; an erase leaves no trace in the file."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from rmtui.core.backups import make_backup
from rmtui.core.db import integrity_problems, session_scope
from rmtui.core.errors import BookError
from rmtui.core.models import (
    AuditEntry,
    Case,
    Client,
    ContactPoint,
    FinancialGoal,
    FollowUp,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
)
from rmtui.core.privacy import client_dossier, erase_client, write_client_dossier
from tests.factories import make

NAME = "Zelda Quixotic-Vandermeer"
EMAIL = "zelda.qv@example.org"


def add_full_client(session: Session, *, name: str = NAME, email: str = EMAIL) -> Client:
    """A client with one of every record, edited once so the audit has an update too."""
    client = make(session, Client, name=name, email=email, phone="+32 470 11 22 33", tags=["vip"])
    make(session, ContactPoint, client_id=client.id, value=email, preferred=True)
    interaction = make(session, Interaction, client_id=client.id, notes=f"Lunch with {name}")
    make(session, FollowUp, client_id=client.id, title="Send offer", interaction_id=interaction.id)
    make(session, Opportunity, client_id=client.id, stage="won", closed_on=date(2026, 11, 2))
    make(session, Revenue, client_id=client.id, amount=Decimal("1250.50"))
    make(session, Holding, client_id=client.id)
    make(session, FinancialGoal, client_id=client.id)
    make(session, Survey, client_id=client.id, comment=f"{name} is happy")
    make(session, Case, client_id=client.id, resolved_on=date(2026, 11, 3))
    client.city = "Gent"
    session.flush()
    return client


def add_other_client(session: Session, *, referred_by: int | None = None) -> Client:
    other = make(session, Client, name="Bob Other", email="bob@example.com")
    other.referred_by_id = referred_by
    make(session, Interaction, client_id=other.id, subject="Portfolio review")
    make(session, Revenue, client_id=other.id, amount=Decimal("99.00"))
    session.flush()
    return other


def file_bytes(db_path: Path) -> bytes:
    sidecars = [Path(f"{db_path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    return b"".join(path.read_bytes() for path in sidecars if path.exists())


def count(engine: Engine, model: type, **where: object) -> int:
    with session_scope(engine) as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.execute(query).scalar_one()


def test_dossier_holds_every_record_in_interchange_fields(engine: Engine) -> None:
    with session_scope(engine) as session:
        client = add_full_client(session)
        add_other_client(session, referred_by=client.id)
    with session_scope(engine) as session:
        dossier = client_dossier(session=session, client_id=client.id or 0)
    assert dossier["format"] == "rmtui-client-dossier"
    assert dossier["client"]["name"] == NAME
    assert dossier["client"]["referred_by"] is None
    assert dossier["client"]["tags"] == ["vip"]
    assert "last_contact_on" not in dossier["client"]
    for entity in ("interactions", "follow_ups", "opportunities", "revenue", "holdings"):
        assert len(dossier[entity]) == 1, entity
    for entity in ("financial_goals", "surveys", "cases"):
        assert len(dossier[entity]) == 1, entity
    assert dossier["revenue"][0]["amount"] == "1250.50"
    assert dossier["revenue"][0]["client"] == client.id
    assert dossier["follow_ups"][0]["interaction"] == dossier["interactions"][0]["id"]
    assert dossier["interactions"][0]["at"] == "2026-11-01T10:00:00"
    actions = {(entry["entity"], entry["action"]) for entry in dossier["audit"]}
    assert ("client", "insert") in actions and ("client", "update") in actions
    assert ("revenue", "insert") in actions
    assert all("Bob Other" not in json.dumps(entry) for entry in dossier["audit"])


def test_write_client_dossier_writes_private_json(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        client = add_full_client(session)
    target = tmp_path / "zelda.json"
    write_client_dossier(target, engine=engine, client_id=client.id or 0)
    assert json.loads(target.read_text(encoding="utf-8"))["client"]["email"] == EMAIL
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_dossier_of_an_unknown_client_says_so(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(BookError, match="there is no client with id 42"):
        write_client_dossier(tmp_path / "x.json", engine=engine, client_id=42)
    assert not (tmp_path / "x.json").exists()


def test_erase_removes_every_record_and_keeps_others(engine: Engine) -> None:
    with session_scope(engine) as session:
        client = add_full_client(session)
        other = add_other_client(session, referred_by=client.id)
    report = erase_client(engine=engine, client_id=client.id or 0)
    assert report.erased == {
        "contact_points": 1,
        "contact_persons": 0,
        "household_members": 0,
        "interactions": 1,
        "follow_ups": 1,
        "opportunities": 1,
        "revenue": 1,
        "holdings": 1,
        "financial_goals": 1,
        "surveys": 1,
        "cases": 1,
        "audit": 11,
    }
    assert report.referrals_cleared == 1
    assert report.kept == {"revenue": 1, "surveys": 1, "opportunities": 1, "cases": 1}
    for model in (Interaction, FollowUp, Opportunity, Revenue, Holding, FinancialGoal, Survey):
        assert count(engine, model, client_id=client.id) == 0
    assert count(engine, Case, client_id=client.id) == 0
    assert count(engine, Client) == 1
    assert count(engine, Revenue, client_id=other.id) == 1
    with session_scope(engine) as session:
        assert session.get(Client, other.id).referred_by_id is None  # type: ignore[union-attr]
    assert integrity_problems(engine) == []
    assert report.summary().startswith(
        f"Client {client.id} was erased (1 contact point, 1 interaction"
    )


def test_erase_leaves_an_anonymous_audit_entry(engine: Engine) -> None:
    with session_scope(engine) as session:
        client = add_full_client(session)
    erase_client(engine=engine, client_id=client.id or 0)
    with session_scope(engine) as session:
        entries = session.execute(select(AuditEntry).where(col(AuditEntry.action) == "erase")).all()
    assert len(entries) == 1
    entry = entries[0][0]
    assert entry.client_id is None and entry.entity_id is None
    assert entry.changes["revenue"] == [{"on": "2026-11-01", "amount": "1250.50", "kind": "fee"}]
    assert entry.changes["surveys"] == [{"on": "2026-11-01", "csat": 5, "nps": 9}]
    assert entry.changes["client_dates"]["client_since"] == "2024-01-01"
    assert NAME not in json.dumps(entry.changes) and EMAIL not in json.dumps(entry.changes)


def test_changes_after_an_erasure_are_audited_after_it(engine: Engine) -> None:
    """The erasure's entry takes the id after the newest; the entries of later changes come
    after it (on a server too, whose ids come from a sequence)."""
    with session_scope(engine) as session:
        client = add_full_client(session)
    erase_client(engine=engine, client_id=client.id or 0)
    with session_scope(engine) as session:
        make(session, Client, name="Next")
    with session_scope(engine) as session:
        actions = session.execute(select(col(AuditEntry.action)).order_by(col(AuditEntry.id))).all()
    assert [action for (action,) in actions[-2:]] == ["erase", "insert"]


@pytest.mark.parametrize(
    ("name", "email"),
    [(NAME, EMAIL), ("Zoë Ångström-Ørsted", "zoë.ångström@exämple.org")],
    ids=["ascii", "accented"],
)
def test_after_erase_the_name_and_email_are_nowhere_in_the_file(
    engine: Engine, db_path: Path, name: str, email: str
) -> None:
    with session_scope(engine) as session:
        client = add_full_client(session, name=name, email=email)
        for number in range(30):
            make(session, Interaction, client_id=client.id, subject=f"Call {number} with {name}")
        add_other_client(session, referred_by=client.id)
    escaped = json.dumps(name)[1:-1].encode()
    assert name.encode() in file_bytes(db_path) or escaped in file_bytes(db_path)
    report = erase_client(engine=engine, client_id=client.id or 0)
    data = file_bytes(db_path)
    for needle in (name, email, name.split()[0], json.dumps(name)[1:-1], json.dumps(email)[1:-1]):
        assert needle.encode() not in data, needle
    assert b"Bob Other" in data
    assert report.mentions == {}
    assert Path(f"{db_path}-wal").stat().st_size == 0


def test_erase_reports_mentions_in_other_records_and_backups(engine: Engine, db_path: Path):
    with session_scope(engine) as session:
        client = add_full_client(session)
        other = add_other_client(session)
        mention = make(session, Interaction, client_id=other.id, notes=f"Introduced by {NAME}")
    if engine.dialect.name == "postgresql":
        from rmtui.core.server_backup import dump_server_book

        backup = dump_server_book(os.environ["RMTUI_DB"])
    else:
        backup = make_backup(db_path, reason="manual")
    report = erase_client(engine=engine, client_id=client.id or 0)
    assert report.mentions["interactions"] == [mention.id]
    assert "audit" in report.mentions
    assert report.backups == [backup]


def test_erase_of_an_unknown_client_changes_nothing(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_other_client(session)
    with pytest.raises(BookError, match="there is no client with id 99"):
        erase_client(engine=engine, client_id=99)
    assert count(engine, Client) == 1


def test_erase_with_the_book_open_elsewhere_says_so(engine: Engine, db_path: Path) -> None:
    import sqlite3

    with session_scope(engine) as session:
        client = add_full_client(session)
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM client").fetchone()
    try:
        with pytest.raises(BookError, match="another program still has the book open"):
            erase_client(engine=engine, client_id=client.id or 0)
    finally:
        reader.close()
    assert count(engine, Client) == 0


def test_erasing_a_member_keeps_the_household_and_their_people_go(engine: Engine) -> None:
    from rmtui.core.models import ContactPerson, Household, HouseholdMember, Interaction
    from rmtui.core.queries.households import add_member, create_household

    with session_scope(engine) as session:
        firm = make(session, Client, name="Firm", kind="business")
        partner = make(session, Client, name="Partner")
        assert firm.id and partner.id
        household = create_household(session=session, client_id=firm.id, name="Home")
        assert household.id is not None
        add_member(session=session, household_id=household.id, client_id=partner.id)
        joke = make(session, ContactPerson, client_id=firm.id, name="Joke de Vries")
        make(session, Interaction, client_id=firm.id, contact_person_id=joke.id)
        dossier = client_dossier(session=session, client_id=firm.id)
        assert [person["name"] for person in dossier["contact_persons"]] == ["Joke de Vries"]
        assert dossier["household_members"] == [
            {"id": 1, "household": household.id, "client": firm.id, "role": "head"}
        ]
        firm_id = firm.id
    report = erase_client(engine=engine, client_id=firm_id)
    assert report.erased["contact_persons"] == 1 and report.erased["household_members"] == 1
    assert count(engine, ContactPerson) == 0
    assert count(engine, HouseholdMember) == 1
    assert count(engine, Household) == 1
