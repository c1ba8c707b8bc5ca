"""Households: members and roles, combined assets and timeline, and the shared check-in."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from rmtui.core.agenda import RANKED_TOGETHER, agenda_text, build_agenda
from rmtui.core.models import (
    Case,
    Client,
    ContactPerson,
    FollowUp,
    Holding,
    Household,
    HouseholdMember,
    Interaction,
)
from rmtui.core.queries.common import InvalidChange
from rmtui.core.queries.contact_persons import add_contact_person
from rmtui.core.queries.households import (
    add_member,
    create_household,
    household_log,
    household_name_of,
    household_timeline,
    read_household,
    remove_member,
    set_member_role,
    update_household,
)
from rmtui.core.queries.interaction_log import (
    count_log,
    log_block,
    log_block_after,
    log_key,
    newest_block,
)
from rmtui.core.queries.trash import move_to_trash, restore
from tests.factories import make

DAY = date(2026, 11, 29)


def days(n: int) -> date:
    return DAY + timedelta(days=n)


def contact(session: Session, client: Client, on: date, kind: str = "call") -> Interaction:
    at = datetime.combine(on, datetime.min.time()).replace(hour=12)
    return make(session, Interaction, client_id=client.id, at=at, kind=kind)


def family(session: Session, *, shared: bool = True) -> tuple[Household, list[Client]]:
    """The Jansens: Piet (head), Anna (partner), Tim (child), all tier A clients."""
    piet, anna, tim = (
        make(session, Client, name=name, tier="A", client_since=date(2024, 1, 1))
        for name in ("Piet Jansen", "Anna Jansen", "Tim Jansen")
    )
    assert piet.id and anna.id and tim.id
    household = create_household(
        session=session, client_id=piet.id, name="Jansen family", shared_checkin=shared
    )
    assert household.id is not None
    add_member(session=session, household_id=household.id, client_id=anna.id, role="partner")
    add_member(session=session, household_id=household.id, client_id=tim.id, role="child")
    session.commit()
    return household, [piet, anna, tim]


# -- members -----------------------------------------------------------------------------------


def test_a_household_starts_from_a_client_who_becomes_its_head(session: Session) -> None:
    ada = make(session, Client, name="Ada Lovelace")
    assert ada.id is not None
    household = create_household(session=session, client_id=ada.id)
    assert household.name == "Ada Lovelace household"
    assert household_name_of(session=session, client_id=ada.id) == (
        household.id,
        "Ada Lovelace household",
        "head",
    )


def test_members_are_listed_by_role_then_name(session: Session) -> None:
    household, _ = family(session)
    assert household.id is not None
    view = read_household(session=session, household_id=household.id, day=DAY)
    assert view is not None
    assert [(m.name, m.role) for m in view.members] == [
        ("Piet Jansen", "head"),
        ("Anna Jansen", "partner"),
        ("Tim Jansen", "child"),
    ]


def test_a_client_is_in_one_household_only(session: Session) -> None:
    _household, (piet, *_rest) = family(session)
    other = make(session, Client, name="Other")
    assert other.id and piet.id
    second = create_household(session=session, client_id=other.id)
    assert second.id is not None
    with pytest.raises(InvalidChange, match="already in Jansen family"):
        add_member(session=session, household_id=second.id, client_id=piet.id)


def test_a_role_outside_the_choices_is_refused(session: Session) -> None:
    _household, (piet, *_rest) = family(session)
    assert piet.id is not None
    with pytest.raises(InvalidChange, match="role must be one of head, partner"):
        set_member_role(session=session, client_id=piet.id, role="uncle")


def test_removing_a_member_keeps_the_household_for_the_others(session: Session) -> None:
    household, (piet, anna, tim) = family(session)
    assert household.id and tim.id
    removed = remove_member(session=session, client_id=tim.id)
    session.commit()
    assert (removed.household_id, removed.role) == (household.id, "child")
    view = read_household(session=session, household_id=household.id, day=DAY)
    assert view is not None and [m.client_id for m in view.members] == [piet.id, anna.id]
    assert household_name_of(session=session, client_id=tim.id) is None


# -- what the household view shows -------------------------------------------------------------


def test_household_assets_sum_every_members_latest_values(session: Session) -> None:
    household, (piet, anna, tim) = family(session)
    assert household.id is not None
    for client, account, as_of, value in [
        (piet, "Pension", date(2026, 1, 31), "1000"),
        (piet, "Pension", date(2026, 10, 31), "1500"),
        (anna, "ISA", date(2026, 6, 30), "250.50"),
        (tim, "Savings", date(2026, 12, 31), "99"),  # after the day: not yet held
    ]:
        make(
            session,
            Holding,
            client_id=client.id,
            account=account,
            as_of=as_of,
            value=Decimal(value),
        )
    view = read_household(session=session, household_id=household.id, day=DAY)
    assert view is not None
    assert view.aum == Decimal("1750.50")
    trend = {point.on: point.value for point in view.aum_trend}
    assert trend[date(2025, 11, 29)] is None
    assert trend[date(2026, 2, 28)] == Decimal("1000")
    assert trend[date(2026, 7, 29)] == Decimal("1250.50")


def test_the_combined_timeline_is_every_members_newest_first_with_who(session: Session) -> None:
    household, (piet, anna, tim) = family(session)
    assert household.id is not None
    contact(session, piet, days(-10))
    contact(session, anna, days(-2))
    contact(session, tim, days(-5), kind="note")
    stranger = make(session, Client, name="Stranger")
    contact(session, stranger, days(-1))
    view = read_household(session=session, household_id=household.id, day=DAY)
    assert view is not None
    timeline = household_log(member_ids=view.member_ids)
    newest = newest_block(session=session, query=timeline, limit=100)
    assert [row.client_name for row in newest.rows] == [
        "Anna Jansen",
        "Tim Jansen",
        "Piet Jansen",
    ]
    assert newest.total == count_log(session=session, query=timeline) == 3
    assert view.last_contact_on == days(-2)


def test_the_timeline_is_read_by_key_a_block_at_a_time(session: Session) -> None:
    household, (piet, anna, _tim) = family(session)
    assert household.id is not None and piet.id and anna.id
    start = datetime(2026, 1, 1, 9)
    for number in range(250):
        client = piet if number % 2 else anna
        at = start + timedelta(hours=number)
        make(session, Interaction, client_id=client.id, at=at, subject=f"Call {number}")
    make(session, Interaction, client_id=make(session, Client, name="Stranger").id, at=start)
    session.commit()
    timeline = household_log(member_ids=[piet.id, anna.id])
    first = log_block(session=session, query=timeline, offset=0, limit=100)
    second = log_block_after(session=session, query=timeline, key=log_key(first[-1]), limit=100)
    last = log_block(session=session, query=timeline, offset=200, limit=100, total=250)
    subjects = [row.subject for row in (*first, *second, *last)]
    assert subjects == [f"Call {number}" for number in range(249, -1, -1)]
    assert (
        household_timeline(
            session=session, member_ids=[piet.id, anna.id], limit=3, before=log_key(first[-1])
        )
        == second[:3]
    )


def test_open_follow_ups_and_cases_of_every_member(session: Session) -> None:
    household, (piet, anna, _tim) = family(session)
    assert household.id is not None
    make(session, FollowUp, client_id=anna.id, title="Send forms", due_on=days(3))
    make(session, FollowUp, client_id=piet.id, title="Review", due_on=days(1))
    make(session, FollowUp, client_id=piet.id, title="Done", due_on=days(1), status="done")
    make(session, Case, client_id=anna.id, subject="Card", due_on=days(2), opened_on=days(-1))
    view = read_household(session=session, household_id=household.id, day=DAY)
    assert view is not None
    assert [(f.title, who) for f, who in view.follow_ups] == [
        ("Review", "Piet Jansen"),
        ("Send forms", "Anna Jansen"),
    ]
    assert [(c.subject, who) for c, who in view.cases] == [("Card", "Anna Jansen")]


# -- the shared check-in -----------------------------------------------------------------------


def checkins(session: Session, day: date = DAY) -> list[tuple[str, str | None]]:
    return [
        (item.name, item.household) for item in build_agenda(session=session, day=day).checkins_due
    ]


def test_a_household_that_shares_check_ins_is_asked_about_once(session: Session) -> None:
    _household, (piet, anna, tim) = family(session)
    contact(session, piet, days(-40))
    contact(session, anna, days(-45))
    contact(session, tim, days(-50))
    session.commit()
    today = build_agenda(session=session, day=DAY, limit=50)
    # The most overdue member stands for the household; all are alike here, so by name.
    assert [(item.name, item.household) for item in today.checkins_due] == [
        ("Anna Jansen", "Jansen family")
    ]
    assert today.total("checkins_due") == 1
    assert today.checkins_due[0].last_contact_on == days(-40)
    assert "Jansen family: Anna Jansen (A)" in agenda_text(today)


def test_a_household_of_more_members_than_a_page_leaves_room_for_the_clients_after_it(
    session: Session,
) -> None:
    # Its members come first in due order, more of them than a page of check-ins reads at
    # once: the page is read on until the limit is filled with items.
    since = date(2024, 1, 1)
    head = make(session, Client, name="Head", tier="C", client_since=since)
    assert head.id is not None
    household = create_household(
        session=session, client_id=head.id, name="Large family", shared_checkin=True
    )
    assert household.id is not None
    for number in range(RANKED_TOGETHER + 5):
        member = make(session, Client, name=f"Member {number:02}", tier="C", client_since=since)
        assert member.id is not None
        add_member(session=session, household_id=household.id, client_id=member.id, role="child")
    for name in ("Later one", "Later two"):
        contact(session, make(session, Client, name=name, tier="C", client_since=since), days(-200))
    session.commit()
    whole = build_agenda(session=session, day=DAY).checkins_due
    assert [(item.name, item.household) for item in whole] == [
        ("Head", "Large family"),
        ("Later one", None),
        ("Later two", None),
    ]
    for limit in (1, 2, 3):
        assert build_agenda(session=session, day=DAY, limit=limit).checkins_due == whole[:limit]


def test_a_contact_with_one_member_counts_for_the_household(session: Session) -> None:
    _household, (piet, anna, tim) = family(session)
    contact(session, piet, days(-40))
    contact(session, anna, days(-45))
    contact(session, tim, days(-3))
    session.commit()
    assert checkins(session) == []
    assert checkins(session, days(-4)) == [("Anna Jansen", "Jansen family")]


def test_without_sharing_every_member_is_asked_about(session: Session) -> None:
    household, (piet, anna, tim) = family(session, shared=False)
    contact(session, piet, days(-40))
    contact(session, anna, days(-45))
    contact(session, tim, days(-3))
    session.commit()
    assert checkins(session) == [("Anna Jansen", None), ("Piet Jansen", None)]
    assert household.id is not None
    update_household(session=session, household_id=household.id, values={"shared_checkin": True})
    session.commit()
    assert checkins(session) == []


def test_leaving_the_household_takes_its_contacts_away(session: Session) -> None:
    _household, (piet, anna, tim) = family(session)
    contact(session, piet, days(-40))
    contact(session, tim, days(-3))
    session.commit()
    assert piet.id is not None
    remove_member(session=session, client_id=piet.id)
    session.commit()
    assert checkins(session) == [("Piet Jansen", None)]
    assert anna.client_since is not None


def test_a_member_archived_or_not_yet_a_client_is_not_asked_about(session: Session) -> None:
    _household, (piet, anna, tim) = family(session)
    for client in (piet, anna, tim):
        contact(session, client, days(-60))
    piet.archived = True
    anna.client_since = None
    session.add_all([piet, anna])
    session.commit()
    assert checkins(session) == [("Tim Jansen", "Jansen family")]


# -- the trash ---------------------------------------------------------------------------------


def test_deleting_and_restoring_a_client_brings_their_household_place_and_people_back(
    session: Session,
) -> None:
    household, (piet, anna, _tim) = family(session)
    piet.kind = "business"
    session.add(piet)
    assert piet.id and household.id and anna.id
    piet_id, anna_id, household_id = piet.id, anna.id, household.id
    person = add_contact_person(
        session=session, client_id=piet.id, name="Joke de Vries", role="CFO"
    )
    call = contact(session, piet, days(-1))
    call.contact_person_id = person_id = person.id
    session.add(call)
    session.commit()
    call_id = call.id
    entry = move_to_trash(session=session, model=Client, record_id=piet.id)
    session.commit()
    session.expunge_all()
    assert session.get(HouseholdMember, 1) is None
    assert session.get(ContactPerson, person_id) is None
    view = read_household(session=session, household_id=household_id, day=DAY)
    assert view is not None and "Piet Jansen" not in [m.name for m in view.members]
    restore(session=session, entry_id=entry.id)
    session.commit()
    session.expire_all()
    assert household_name_of(session=session, client_id=piet_id) == (
        household_id,
        "Jansen family",
        "head",
    )
    restored = session.get(Interaction, call_id)
    assert restored is not None and restored.contact_person_id == person_id
    assert session.get(ContactPerson, person_id) is not None
    shared = session.get(Client, anna_id)
    assert shared is not None and shared.household_contact_on == days(-1)


def test_deleting_a_contact_person_clears_them_from_interactions_until_restored(
    session: Session,
) -> None:
    firm = make(session, Client, name="De Groot Agro", kind="corporate")
    assert firm.id is not None
    person = add_contact_person(session=session, client_id=firm.id, name="Joke")
    call = contact(session, firm, days(-1))
    call.contact_person_id = person.id
    session.add(call)
    session.commit()
    assert person.id is not None
    entry = move_to_trash(session=session, model=ContactPerson, record_id=person.id)
    session.commit()
    assert entry.what == "contact person Joke (De Groot Agro)"
    session.expire_all()
    cleared = session.get(Interaction, call.id)
    assert cleared is not None and cleared.contact_person_id is None
    restore(session=session, entry_id=entry.id)
    session.commit()
    session.expire_all()
    again = session.get(Interaction, call.id)
    assert again is not None and again.contact_person_id == person.id


def test_deleting_a_household_keeps_its_clients(session: Session) -> None:
    household, (piet, _anna, _tim) = family(session)
    assert household.id and piet.id
    entry = move_to_trash(session=session, model=Household, record_id=household.id)
    session.commit()
    assert entry.what == "household “Jansen family” with 3 household members"
    assert household_name_of(session=session, client_id=piet.id) is None
    assert session.get(Client, piet.id) is not None
    restore(session=session, entry_id=entry.id)
    session.commit()
    assert household_name_of(session=session, client_id=piet.id) is not None
