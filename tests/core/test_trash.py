"""The trash: deleting keeps a record and what hangs on it for 30 days; restoring brings all
of it back, with the references other records had to it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from rmtui.core.agenda import Agenda, build_agenda
from rmtui.core.db import session_scope
from rmtui.core.kpi import compute_kpis
from rmtui.core.models import (
    AuditEntry,
    Case,
    Client,
    ContactPoint,
    FollowUp,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
    Target,
)
from rmtui.core.privacy import erase_client
from rmtui.core.queries.clients import ClientFilter, count_clients
from rmtui.core.queries.common import InvalidChange, RecordNotFound, table_of
from rmtui.core.queries.interactions import delete_interaction
from rmtui.core.queries.targets import clear_target
from rmtui.core.queries.trash import (
    TRASH,
    empty_trash,
    move_to_trash,
    restore,
    trash_count,
    trash_rows,
)
from tests.core.maintained import recomputed_summaries, stored_summaries
from tests.factories import make

DAY = date(2026, 11, 29)
MODELS = (Client, ContactPoint, Interaction, FollowUp, Opportunity, Revenue, Holding, Case, Target)


def agenda(session: Session, day: date) -> Agenda:
    return build_agenda(session=session, day=day)


def book_rows(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every record table, as stored."""
    session.flush()
    return {
        table_of(model).name: [tuple(row) for row in session.execute(table_of(model).select())]
        for model in MODELS
    }


def ann_with_history(session: Session) -> Client:
    """Ann, with something in most tables, referred to by Bob, one of whose follow-ups came
    from a call with Ann."""
    ann = make(session, Client, name="Ann Smit", client_since=date(2026, 10, 5))
    make(session, ContactPoint, client_id=ann.id, value="ann@smit.test", label="home")
    call = make(session, Interaction, client_id=ann.id, at=datetime(2026, 11, 20, 10))
    make(session, Interaction, client_id=ann.id, at=datetime(2026, 11, 21, 9), kind="email")
    make(session, FollowUp, client_id=ann.id, title="Send the proposal", interaction_id=call.id)
    make(session, Opportunity, client_id=ann.id, title="Pension plan", value=Decimal("5000"))
    make(session, Revenue, client_id=ann.id, on=date(2026, 11, 2), amount=Decimal("120.50"))
    for as_of, value in [(date(2026, 9, 30), "1000"), (date(2026, 10, 31), "1100")]:
        make(session, Holding, client_id=ann.id, account="Main", as_of=as_of, value=Decimal(value))
    make(session, Case, client_id=ann.id, subject="Wrong statement")
    bob = make(session, Client, name="Bob Peeters", referred_by_id=ann.id)
    make(session, FollowUp, client_id=bob.id, title="Ask about Ann", interaction_id=call.id)
    return ann


def test_a_deleted_client_leaves_every_list_and_comes_back_whole(session: Session) -> None:
    ann = ann_with_history(session)
    assert ann.id is not None
    before = book_rows(session)
    summaries = stored_summaries(session)
    quarter: dict[str, Any] = {"start": date(2026, 10, 1), "end": date(2026, 12, 31), "today": DAY}
    kpis = compute_kpis(session=session, **quarter)
    assert (kpis["new_clients"], kpis["revenue"], kpis["interactions"]) == (1, Decimal("120.50"), 2)

    entry = move_to_trash(session=session, model=Client, record_id=ann.id)

    assert entry.what == (
        "client Ann Smit with 2 interactions, 1 follow-up, 1 opportunity, 1 revenue entry, "
        "2 holdings, 1 case"
    )
    assert session.get(Client, ann.id) is None
    assert count_clients(session=session, client_filter=ClientFilter(text="Ann")) == 0
    assert [row.what for row in trash_rows(session=session)] == [entry.what]
    kpis = compute_kpis(session=session, **quarter)
    assert (kpis["new_clients"], kpis["revenue"], kpis["interactions"]) == (0, Decimal(0), 0)
    bob = session.exec(select(Client).where(Client.name == "Bob Peeters")).one()
    assert bob.referred_by_id is None
    assert stored_summaries(session) == recomputed_summaries(session)

    restored = restore(session=session, entry_id=entry.id)

    assert (restored.entity, restored.entity_id) == ("client", ann.id)
    after = book_rows(session)
    assert after == before
    assert stored_summaries(session) == summaries
    assert trash_count(session=session) == 0
    assert session.get(Client, ann.id).last_contact_on == date(2026, 11, 21)  # type: ignore[union-attr]


def test_deleted_records_are_in_no_agenda(session: Session) -> None:
    ann = make(session, Client, name="Ann", client_since=date(2026, 1, 1))
    follow_up = make(session, FollowUp, client_id=ann.id, title="Call back", due_on=DAY)
    assert ann.id is not None and follow_up.id is not None
    assert len(agenda(session, DAY).due_today) == 1
    move_to_trash(session=session, model=FollowUp, record_id=follow_up.id)
    assert len(agenda(session, DAY).due_today) == 0
    assert [item.name for item in agenda(session, DAY).checkins_due] == ["Ann"]
    move_to_trash(session=session, model=Client, record_id=ann.id)
    assert len(agenda(session, DAY).checkins_due) == 0


def test_a_taken_id_gives_the_restored_client_a_new_one_and_their_records_follow(
    session: Session,
) -> None:
    ann = ann_with_history(session)
    assert ann.id is not None
    bob = session.exec(select(Client).where(Client.name == "Bob Peeters")).one()
    assert bob.id is not None
    entry = move_to_trash(session=session, model=Client, record_id=bob.id)
    # SQLite gives the highest id again; a server's sequence never does, but an import that
    # keeps its ids may take it there.
    on_server = session.connection().dialect.name == "postgresql"
    newcomer = make(session, Client, name="Cleo", **({"id": bob.id} if on_server else {}))
    assert newcomer.id == bob.id

    restored = restore(session=session, entry_id=entry.id)

    assert restored.entity_id != bob.id
    again = session.get(Client, restored.entity_id)
    assert again is not None and (again.name, again.referred_by_id) == ("Bob Peeters", ann.id)
    follow_ups = session.exec(select(FollowUp).where(FollowUp.client_id == again.id)).all()
    assert [follow_up.title for follow_up in follow_ups] == ["Ask about Ann"]


def test_an_interaction_deleted_alone_unlinks_and_relinks_its_follow_ups(
    session: Session,
) -> None:
    ann = ann_with_history(session)
    call = session.exec(select(Interaction).where(Interaction.kind == "call")).one()
    assert ann.id is not None and call.id is not None
    entry = delete_interaction(session=session, interaction_id=call.id)
    assert entry.what == "call with Ann Smit on 20 Nov 2026: Catch-up"
    linked = session.exec(select(FollowUp).where(FollowUp.interaction_id == call.id)).all()
    assert linked == []
    restore(session=session, entry_id=entry.id)
    linked = session.exec(select(FollowUp).where(FollowUp.interaction_id == call.id)).all()
    assert len(linked) == 2


def test_a_record_of_a_deleted_client_waits_for_the_client(session: Session) -> None:
    ann = ann_with_history(session)
    call = session.exec(select(Interaction).where(Interaction.kind == "call")).one()
    assert ann.id is not None and call.id is not None
    call_entry = delete_interaction(session=session, interaction_id=call.id)
    client_entry = move_to_trash(session=session, model=Client, record_id=ann.id)
    with pytest.raises(
        InvalidChange, match=f"restore the client first .trash entry {client_entry.id}"
    ):
        restore(session=session, entry_id=call_entry.id)
    restore(session=session, entry_id=client_entry.id)
    restore(session=session, entry_id=call_entry.id)
    assert session.get(Interaction, call.id) is not None


def test_entries_older_than_30_days_are_gone(session: Session) -> None:
    ann = make(session, Client, name="Ann")
    assert ann.id is not None
    entry = move_to_trash(session=session, model=Client, record_id=ann.id)
    assert trash_rows(session=session, at=entry.deleted_at + timedelta(days=30)) != []
    assert entry.expires_on == (entry.deleted_at + timedelta(days=30)).date()
    assert trash_rows(session=session, at=entry.deleted_at + timedelta(days=30, minutes=1)) == []
    with pytest.raises(RecordNotFound, match="no entry"):
        restore(session=session, entry_id=entry.id)


def test_emptying_the_trash_deletes_for_good(session: Session) -> None:
    for name in ("Ann", "Bob"):
        client = make(session, Client, name=name)
        assert client.id is not None
        move_to_trash(session=session, model=Client, record_id=client.id)
    assert empty_trash(session=session) == 2
    assert trash_count(session=session) == 0


def test_removed_targets_go_to_the_trash(session: Session) -> None:
    period = {"period_start": date(2026, 10, 1), "period_end": date(2026, 12, 31)}
    make(session, Target, metric="revenue", target=Decimal("1000"), **period)
    assert len(clear_target(session=session, metric="revenue", **period)) == 1
    (entry,) = trash_rows(session=session)
    assert entry.what == "target for revenue 01 Oct 2026–31 Dec 2026"
    restore(session=session, entry_id=entry.id)
    assert session.exec(select(Target)).one().target == Decimal("1000")


def test_erasing_a_deleted_client_empties_their_trash(engine: Engine) -> None:
    with session_scope(engine) as session:
        ann = ann_with_history(session)
        assert ann.id is not None
        ann_id = ann.id
        move_to_trash(session=session, model=Client, record_id=ann_id)
    report = erase_client(engine=engine, client_id=ann_id)
    assert report.erased["interactions"] == 2
    with session_scope(engine) as session:
        assert trash_count(session=session) == 0
        assert session.get(Client, ann_id) is None
        audit = " ".join(str(entry.changes) for entry in session.exec(select(AuditEntry)))
        assert "Ann Smit" not in audit
        assert session.execute(select(TRASH.c.what)).all() == []
