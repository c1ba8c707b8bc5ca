"""Actions on households, for the client detail and the household view: start one from a
client, add and take out members (undone with `u`), change a role, rename or share check-ins.

As in `rmtui.screens.flows.clients`, each writes in one transaction through `saved` (which
refuses an edit of what changed meanwhile), says so in a toast and calls `on_saved`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rmtui.core.choices import choice_text
from rmtui.core.queries import households
from rmtui.core.queries.common import fetch
from rmtui.core.translation import N_, _
from rmtui.screens.client_picker import ClientPicker, PickedClient
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.flows.clients import as_typed, saved
from rmtui.screens.forms.household import HouseholdForm, MemberRoleForm
from rmtui.screens.undo import remember

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from textual.screen import Screen

Saved = Callable[[], object]
Values = dict[str, Any]


def open_household(screen: Screen[Any], household_id: int) -> None:
    """Show the household view of `household_id`."""
    from rmtui.screens.household import HouseholdScreen

    screen.app.push_screen(HouseholdScreen(household_id))


def start_household(screen: Screen[Any], client_id: int, *, on_saved: Saved | None = None) -> None:
    """Ask for a new household's name and the client's role, create it, then show it."""
    from rmtui.core.models import Client

    client = saved(screen, lambda session: fetch(session, Client, client_id).name)
    if client is not None:
        typed = {
            "name": _("{name} household").format(name=client),
            "role": "head",
            "shared_checkin": True,
        }
        _ask_new(screen, client_id, client, typed, on_saved)


def _ask_new(
    screen: Screen[Any], client_id: int, name: str, typed: Values, on_saved: Saved | None
) -> None:
    def save(values: Values | None) -> None:
        if values is None:
            return
        created = saved(
            screen,
            lambda session: (
                households.create_household(session=session, client_id=client_id, **values).id
            ),
        )
        if created is None:
            _ask_new(screen, client_id, name, as_typed(values), on_saved)
            return
        screen.notify(
            _("Started the household “{name}”.").format(name=values["name"]), markup=False
        )
        if on_saved is not None:
            on_saved()
        open_household(screen, created)

    screen.app.push_screen(HouseholdForm(client_name=name, initial=typed), save)


def edit_household(screen: Screen[Any], household_id: int, *, on_saved: Saved | None) -> None:
    """Ask for the household's new name and whether one check-in counts for all."""
    from rmtui.core.models import Household

    def read(session: Session) -> Values:
        household = fetch(session, Household, household_id)
        return {"name": household.name, "shared_checkin": household.shared_checkin}

    typed = saved(screen, read)
    if typed is None:
        return

    def save(values: Values | None) -> None:
        if values is None:
            return
        done = saved(
            screen,
            lambda session: households.update_household(
                session=session, household_id=household_id, values=values
            ),
        )
        if done is not None:
            screen.notify(
                _("Saved the household “{name}”.").format(name=values["name"]), markup=False
            )
            if on_saved is not None:
                on_saved()

    screen.app.push_screen(HouseholdForm(client_name=None, initial=typed), save)


def add_member(screen: Screen[Any], household_id: int, *, on_saved: Saved | None) -> None:
    """Pick a client, ask their role and put them in the household."""

    def picked(client: PickedClient | None) -> None:
        if client is None:
            return

        def with_role(role: str | None) -> None:
            if role is None:
                return
            done = saved(
                screen,
                lambda session: households.add_member(
                    session=session, household_id=household_id, client_id=client.id, role=role
                ),
            )
            if done is not None:
                said = _("Added {name} to the household as {role}.")
                screen.notify(said.format(name=client.name, role=choice_text(role)), markup=False)
                if on_saved is not None:
                    on_saved()

        screen.app.push_screen(MemberRoleForm(member_name=client.name, role="other"), with_role)

    screen.app.push_screen(ClientPicker(_("Who joins the household?")), picked)


def change_role(
    screen: Screen[Any], client_id: int, member_name: str, role: str, *, on_saved: Saved | None
) -> None:
    """Ask for a member's new role and save it."""

    def save(new_role: str | None) -> None:
        if new_role is None or new_role == role:
            return
        done = saved(
            screen,
            lambda session: households.set_member_role(
                session=session, client_id=client_id, role=new_role
            ),
        )
        if done is not None:
            said = _("Changed the role of {name} to {role}.")
            screen.notify(said.format(name=member_name, role=choice_text(new_role)), markup=False)
            if on_saved is not None:
                on_saved()

    screen.app.push_screen(MemberRoleForm(member_name=member_name, role=role), save)


def remove_member(
    screen: Screen[Any], client_id: int, member_name: str, *, on_saved: Saved | None
) -> None:
    """Ask, then take a member out of the household; `u` puts them back in their role."""

    def remove(yes: bool | None) -> None:
        if not yes:
            return
        removed = saved(
            screen, lambda session: households.remove_member(session=session, client_id=client_id)
        )
        if removed is None:
            return
        back = partial(_put_back, removed.household_id, client_id, removed.role)
        took = _("took {name} out of the household").format(name=member_name)
        remember(screen, took, back, focus=client_id)
        if on_saved is not None:
            on_saved()

    question = _(
        "Take {name} out of the household? {name} stays a client; press u to undo."
    ).format(name=member_name)
    screen.app.push_screen(ConfirmScreen(question, yes=N_("Take out"), no=N_("Keep")), remove)


def _put_back(household_id: int, client_id: int, role: str, session: Session) -> object:
    return households.add_member(
        session=session, household_id=household_id, client_id=client_id, role=role
    )


def delete_household(
    screen: Screen[Any], household_id: int, name: str, members: int, *, on_deleted: Saved
) -> None:
    """Ask, then move the household to the trash; its members stay clients, `u` brings it
    back with everyone in their role."""
    from rmtui.core.wording import members_stay
    from rmtui.screens.flows.clients import delete_asking

    question = _(
        "Delete the household {name}? {members_stay}; only the household and the roles in it"
        " go to the trash for 30 days (ctrl+t), and u brings it back."
    ).format(name=name, members_stay=members_stay(members).capitalize())
    delete_asking(screen, "household", household_id, question, on_deleted=on_deleted)


def export_review(screen: Screen[Any], household_id: int, name: str) -> None:
    """Ask where to write the household's review report (every member in one), write it and
    say where it went."""
    from rmtui.core.queries.households import household_language
    from rmtui.core.review.files import write_household_review
    from rmtui.screens.flows.clients import engine_of, rm_app, saved
    from rmtui.screens.flows.records import ask_and_write_review

    day = rm_app(screen).today
    write = partial(
        write_household_review, engine=engine_of(screen), household_id=household_id, day=day
    )
    language = saved(
        screen, lambda session: household_language(session=session, household_id=household_id)
    )
    ask_and_write_review(screen, name, write, language=language)
