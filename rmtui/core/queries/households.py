"""Households: clients looked after together, each member with a role; what the household
view shows of them (combined assets and their trend, open items, last contact) and the log of
every member's interactions it pages through."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rmtui.core.models import (
    HOUSEHOLD_ROLES,
    Case,
    Client,
    FollowUp,
    Household,
    HouseholdMember,
    Interaction,
)
from rmtui.core.queries.common import (
    InvalidChange,
    apply_values,
    check_choice,
    fetch,
    likely,
    page_limit,
    table_of,
    without_case,
)
from rmtui.core.queries.holding_trend import ValuePoint, combined_trend, trend_days, value_trend
from rmtui.core.queries.interaction_log import LogQuery
from rmtui.core.queries.interactions import (
    InteractionRow,
    interaction_rows_query,
    list_interactions,
)
from rmtui.core.queries.trash import TrashRow, move_to_trash
from rmtui.core.rules import is_contact, start_of_next_day
from rmtui.core.translation import _

HOUSEHOLD = table_of(Household)
MEMBER = table_of(HouseholdMember)
CLIENT = table_of(Client)
FOLLOW_UP = table_of(FollowUp)
CASE = table_of(Case)
INTERACTION = table_of(Interaction)
# Members are listed in the order of their roles, then by name.
ROLE_RANK = {role: rank for rank, role in enumerate(HOUSEHOLD_ROLES)}
ROLE_LABEL = "A member's role"


@dataclass(frozen=True)
class MemberRow:
    """A member of a household as the household view lists them."""

    client_id: int
    name: str
    role: str
    tier: str
    last_contact_on: date | None
    archived: bool


@dataclass(frozen=True)
class HouseholdView:
    """What the household view shows on one day."""

    household: Household
    members: list[MemberRow]
    aum_trend: list[ValuePoint]  # the members' holdings summed, month by month up to the day
    follow_ups: list[tuple[FollowUp, str]]  # open ones of every member, with the member's name
    cases: list[tuple[Case, str]]  # unresolved ones of every member, with the member's name

    @property
    def aum(self) -> Decimal:
        """The members' assets on the day: the last point of the trend."""
        last = self.aum_trend[-1].value if self.aum_trend else None
        return last if last is not None else Decimal("0.00")

    @property
    def last_contact_on(self) -> date | None:
        """The household's last contact: the latest of its members'."""
        return max((m.last_contact_on for m in self.members if m.last_contact_on), default=None)

    @property
    def member_ids(self) -> list[int]:
        """The ids of the member clients."""
        return [member.client_id for member in self.members]


# -- changes -----------------------------------------------------------------------------------


def create_household(
    *,
    session: Session,
    client_id: int,
    name: str | None = None,
    role: str = "head",
    shared_checkin: bool = True,
) -> Household:
    """Start a household with `client_id` as its first member (named after them unless a
    `name` is given)."""
    client = fetch(session, Client, client_id)
    _refuse_if_member(session, client)
    household = Household(
        name=_named(name or _("{name} household").format(name=client.name)),
        shared_checkin=shared_checkin,
    )
    session.add(household)
    session.flush()
    assert household.id is not None
    add_member(session=session, household_id=household.id, client_id=client_id, role=role)
    return household


def update_household(
    *, session: Session, household_id: int, values: Mapping[str, Any]
) -> Household:
    """Change a household's name or whether a check-in with one member counts for all."""
    household = fetch(session, Household, household_id)
    if "name" in values:
        values = {**values, "name": _named(values["name"])}
    apply_values(household, values)
    session.flush()
    return household


def delete_household(*, session: Session, household_id: int) -> TrashRow:
    """Move a household (and who was in it) to the trash; its clients stay."""
    return move_to_trash(session=session, model=Household, record_id=household_id)


def add_member(
    *, session: Session, household_id: int, client_id: int, role: str = "other"
) -> HouseholdMember:
    """Put a client in a household with a role; a client is in at most one."""
    fetch(session, Household, household_id)
    client = fetch(session, Client, client_id)
    check_choice(role, HOUSEHOLD_ROLES, label=ROLE_LABEL)
    _refuse_if_member(session, client)
    member = HouseholdMember(household_id=household_id, client_id=client_id, role=role)
    session.add(member)
    session.flush()
    return member


def set_member_role(*, session: Session, client_id: int, role: str) -> HouseholdMember:
    """Change the role a client has in their household."""
    check_choice(role, HOUSEHOLD_ROLES, label=ROLE_LABEL)
    member = _membership(session, client_id)
    member.role = role
    session.flush()
    return member


def remove_member(*, session: Session, client_id: int) -> HouseholdMember:
    """Take a client out of their household (the household stays); returns the membership
    as it was, to be added again on undo."""
    member = _membership(session, client_id)
    removed = HouseholdMember(
        id=member.id, household_id=member.household_id, client_id=client_id, role=member.role
    )
    session.delete(member)
    session.flush()
    return removed


def _membership(session: Session, client_id: int) -> HouseholdMember:
    member = membership_of(session=session, client_id=client_id)
    if member is None:
        client = fetch(session, Client, client_id)
        raise InvalidChange(f"{client.name} is not in a household.")
    return member


def _refuse_if_member(session: Session, client: Client) -> None:
    assert client.id is not None
    member = membership_of(session=session, client_id=client.id)
    if member is not None:
        household = fetch(session, Household, member.household_id)
        raise InvalidChange(
            f"{client.name} is already in {household.name}; a client is in one household only."
        )


def _named(name: str) -> str:
    text = name.strip()
    if not text:
        raise InvalidChange("A household needs a name.")
    return text


# -- reading -----------------------------------------------------------------------------------


def membership_of(*, session: Session, client_id: int) -> HouseholdMember | None:
    """The client's place in a household, or None when they are in none."""
    query = select(HouseholdMember).where(MEMBER.c.client_id == client_id)
    return session.execute(query).scalars().first()


def household_name_of(*, session: Session, client_id: int) -> tuple[int, str, str] | None:
    """(household id, household name, role) of the client's household, or None."""
    query = (
        select(HOUSEHOLD.c.id, HOUSEHOLD.c.name, MEMBER.c.role)
        .join_from(MEMBER, HOUSEHOLD, HOUSEHOLD.c.id == MEMBER.c.household_id)
        .where(MEMBER.c.client_id == client_id)
    )
    found = session.execute(query).first()
    return (found[0], found[1], found[2]) if found is not None else None


def household_members(*, session: Session, household_id: int) -> list[MemberRow]:
    """The members of a household, by role (head first), then by name."""
    query = (
        select(
            CLIENT.c.id,
            CLIENT.c.name,
            MEMBER.c.role,
            CLIENT.c.tier,
            CLIENT.c.last_contact_on,
            CLIENT.c.archived,
        )
        .join_from(MEMBER, CLIENT, CLIENT.c.id == MEMBER.c.client_id)
        .where(MEMBER.c.household_id == household_id)
    )
    rows = [MemberRow(*row) for row in session.execute(query)]
    return sorted(rows, key=lambda row: (ROLE_RANK[row.role], row.name.lower(), row.client_id))


def household_language(*, session: Session, household_id: int) -> str | None:
    """The language the household's documents are written in: the one its members prefer when
    they all prefer the same (None: the user's own)."""
    query = (
        select(CLIENT.c.preferred_language)
        .join_from(MEMBER, CLIENT, CLIENT.c.id == MEMBER.c.client_id)
        .where(MEMBER.c.household_id == household_id)
        .distinct()
    )
    languages = list(session.execute(query).scalars())
    return languages[0] if len(languages) == 1 else None


def list_households(
    *, session: Session, text: str | None = None, limit: int = 50
) -> list[tuple[int, str, int]]:
    """(id, name, members) of households whose name holds `text`, by name."""
    count = select(func.count()).where(MEMBER.c.household_id == HOUSEHOLD.c.id).scalar_subquery()
    query = select(HOUSEHOLD.c.id, HOUSEHOLD.c.name, count).order_by(
        without_case(HOUSEHOLD.c.name), HOUSEHOLD.c.id
    )
    if text:
        query = query.where(HOUSEHOLD.c.name.icontains(text.strip(), autoescape=True))
    return [(id_, name, members) for id_, name, members in session.execute(query.limit(limit))]


def household_aum_trend(*, session: Session, member_ids: list[int], day: date) -> list[ValuePoint]:
    """The members' holdings summed on each monthly step up to `day` (None while none held)."""
    trends = {
        str(client_id): value_trend(session=session, client_id=client_id, day=day)
        for client_id in member_ids
    }
    return combined_trend(trends, trend_days(day))


def household_timeline(
    *,
    session: Session,
    member_ids: Sequence[int],
    limit: int = 50,
    before: tuple[datetime, int] | None = None,
) -> list[InteractionRow]:
    """Every member's interactions, newest first, with whom (the page after `before`)."""
    if not member_ids:
        return []
    return list_interactions(session=session, client_ids=member_ids, limit=limit, before=before)


def household_log(*, member_ids: Sequence[int]) -> LogQuery:
    """The interaction log narrowed to the members: the household's timeline, newest first,
    counted and read block by block by key as the log is (`rmtui.core.queries.interaction_log`),
    so that no more of it is read than is shown."""
    of_members = INTERACTION.c.client_id.in_(list(member_ids))
    return LogQuery((of_members,), (of_members,))


def household_contacts(
    *, session: Session, member_ids: Sequence[int], day: date, limit: int = 15
) -> list[InteractionRow]:
    """The members' latest contacts (every kind of interaction but a note) on or before
    `day`, newest first, each with the member and the person at a business it was with."""
    at, interaction_id = INTERACTION.c.at, INTERACTION.c.id
    query = (
        interaction_rows_query()
        .where(
            INTERACTION.c.client_id.in_(list(member_ids)),
            is_contact(),
            at < start_of_next_day(day),
        )
        .order_by(at.desc(), interaction_id.desc())
        .limit(page_limit(limit))
    )
    return [InteractionRow(*row) for row in session.execute(query)]


def household_follow_ups(*, session: Session, member_ids: list[int]) -> list[tuple[FollowUp, str]]:
    """The members' open follow-ups, earliest due first, each with the member's name."""
    query = (
        select(FollowUp, CLIENT.c.name)
        .join_from(FOLLOW_UP, CLIENT, CLIENT.c.id == FOLLOW_UP.c.client_id)
        # `likely` steers SQLite to the (client_id, status, due_on) index, not to every open one.
        .where(FOLLOW_UP.c.client_id.in_(member_ids), likely(FOLLOW_UP.c.status == "open"))
        .order_by(FOLLOW_UP.c.due_on, FOLLOW_UP.c.id)
    )
    return [(follow_up, name) for follow_up, name in session.execute(query)]


def household_cases(*, session: Session, member_ids: list[int]) -> list[tuple[Case, str]]:
    """The members' unresolved cases, earliest deadline first, each with the member's name."""
    query = (
        select(Case, CLIENT.c.name)
        .join_from(CASE, CLIENT, CLIENT.c.id == CASE.c.client_id)
        .where(CASE.c.client_id.in_(member_ids), likely(CASE.c.resolved_on.is_(None)))
        .order_by(CASE.c.due_on, CASE.c.id)
    )
    return [(case, name) for case, name in session.execute(query)]


def read_household(*, session: Session, household_id: int, day: date) -> HouseholdView | None:
    """What the household view shows of a household on `day` (its timeline is read through
    `household_log`), or None when it is gone."""
    household = session.get(Household, household_id)
    if household is None:
        return None
    members = household_members(session=session, household_id=household_id)
    ids = [member.client_id for member in members]
    return HouseholdView(
        household=household,
        members=members,
        aum_trend=household_aum_trend(session=session, member_ids=ids, day=day),
        follow_ups=household_follow_ups(session=session, member_ids=ids),
        cases=household_cases(session=session, member_ids=ids),
    )
