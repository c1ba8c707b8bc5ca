"""`rmtui household`: start a household from a client, add and remove members, show one,
write its review report, delete it."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from rmtui.cli.common import UsageError, cli_date, open_engine
from rmtui.core.choices import choice_text
from rmtui.core.figures import count_text
from rmtui.core.translation import _, ngettext

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from rmtui.core.queries.households import HouseholdView

# Candidates named when a text matches several clients or households.
CANDIDATES_SHOWN = 5


def run_household_add(args: argparse.Namespace) -> int:
    """Start a household with CLIENT as its first member."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.households import create_household

    with session_scope(open_engine(args)) as session:
        client_id = find_client(session, args.client)
        household = create_household(
            session=session,
            client_id=client_id,
            name=args.name,
            role=args.role,
            shared_checkin=not args.separate_checkins,
        )
        household_id, name = household.id, household.name
    said = _("Started {name} (household {id}).").format(name=name, id=household_id)
    _said(args, {"id": household_id, "name": name}, said)
    return 0


def run_household_join(args: argparse.Namespace) -> int:
    """Put CLIENT in HOUSEHOLD with a role."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.households import add_member

    with session_scope(open_engine(args)) as session:
        household_id, name = find_household(session, args.household)
        client_id = find_client(session, args.client)
        add_member(session=session, household_id=household_id, client_id=client_id, role=args.role)
    record = {"household": household_id, "client": client_id, "role": args.role}
    said = _("Added client {id} to {name} as {role}.")
    _said(args, record, said.format(id=client_id, name=name, role=choice_text(args.role)))
    return 0


def run_household_leave(args: argparse.Namespace) -> int:
    """Take CLIENT out of their household; the household stays for the others."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.households import remove_member

    with session_scope(open_engine(args)) as session:
        client_id = find_client(session, args.client)
        removed = remove_member(session=session, client_id=client_id)
        household_id = removed.household_id
    record = {"household": household_id, "client": client_id}
    said = _("Took client {id} out of household {household}.")
    _said(args, record, said.format(id=client_id, household=household_id))
    return 0


def run_household_show(args: argparse.Namespace) -> int:
    """Print a household: members, combined assets, last contact, open items."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.households import read_household

    day = cli_date(args.date)
    with session_scope(open_engine(args)) as session:
        household_id, _name = find_household(session, args.household)
        view = read_household(session=session, household_id=household_id, day=day)
        assert view is not None
        if args.json:
            print(json.dumps(household_json(view), indent=2, ensure_ascii=False))
        else:
            print(household_text(view, day))
    return 0


def run_household_list(args: argparse.Namespace) -> int:
    """Print every household with how many members it has."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.households import list_households

    with session_scope(open_engine(args)) as session:
        found = list_households(session=session, text=args.text, limit=args.limit)
    if args.json:
        records = [{"id": id_, "name": name, "members": count} for id_, name, count in found]
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return 0
    if not found:
        print(_("No households."))
    for id_, name, count in found:
        members = ngettext("{count} member", "{count} members", count).format(
            count=count_text(count)
        )
        print(f"{id_:>6}  {name}  ({members})")
    return 0


def run_household_review(args: argparse.Namespace) -> int:
    """Write HOUSEHOLD's review report to FILE (its ending names the format), or print it."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.households import household_language
    from rmtui.core.review.files import review_format, write_household_review
    from rmtui.core.review.household import build_household_review
    from rmtui.core.review.household_sections import household_review_text
    from rmtui.core.translation import current_language, in_language

    day = cli_date(args.date)
    if args.file is not None and args.format and review_format(args.file) != args.format:
        raise UsageError(
            _(
                "--format {format} and the ending of {file} disagree; the ending names the"
                " format, so leave out --format."
            ).format(format=args.format, file=args.file)
        )
    engine = open_engine(args, read_only=True)
    with session_scope(engine) as session:
        household_id, name = find_household(session, args.household)
        language = household_language(session=session, household_id=household_id)
        if args.file is None:
            with in_language(language or current_language()):
                review = build_household_review(session=session, household_id=household_id, day=day)
                print(household_review_text(review, args.format or "markdown"), end="")
            return 0
    written = write_household_review(
        args.file, engine=engine, household_id=household_id, day=day, language=language
    )
    print(_("Wrote the review of {name} to {file}.").format(name=name, file=written))
    return 0


def run_household_delete(args: argparse.Namespace) -> int:
    """Move HOUSEHOLD to the trash; its members stay clients."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.households import delete_household, household_members
    from rmtui.core.wording import members_stay

    with session_scope(open_engine(args)) as session:
        household_id, name = find_household(session, args.household)
        members = len(household_members(session=session, household_id=household_id))
        entry = delete_household(session=session, household_id=household_id)
    record = {"household": household_id, "members": members, "trash_entry": entry.id}
    text = _(
        "Moved {name} to the trash; {members_stay}. `rmtui trash restore {entry}` brings it"
        " back within 30 days."
    ).format(name=name, members_stay=members_stay(members), entry=entry.id)
    _said(args, record, text)
    return 0


def _said(args: argparse.Namespace, record: dict[str, Any], text: str) -> None:
    print(json.dumps(record, ensure_ascii=False) if args.json else text)


# -- finding what the user named ---------------------------------------------------------------


def find_client(session: Session, text: str) -> int:
    """The id of the client `text` names: an id, or a name matching exactly one client."""
    from rmtui.core.queries.clients import get_client, search_clients_by_name
    from rmtui.core.queries.common import InvalidChange

    if text.strip().isdigit():
        client = get_client(session=session, client_id=int(text))
        if client is None or client.id is None:
            raise InvalidChange(_("There is no client #{id}.").format(id=text))
        return client.id
    found = search_clients_by_name(session=session, text=text, limit=CANDIDATES_SHOWN + 1)
    exact = [row for row in found if row.name.casefold() == text.strip().casefold()]
    matches = exact or found
    if len(matches) == 1:
        return matches[0].id
    if not matches:
        raise InvalidChange(_("No client is named like '{text}'.").format(text=text))
    listed = ", ".join(f"{row.name} (#{row.id})" for row in matches[:CANDIDATES_SHOWN])
    raise InvalidChange(
        _("'{text}' matches several clients: {listed}; give the id.").format(
            text=text, listed=listed
        )
    )


def find_household(session: Session, text: str) -> tuple[int, str]:
    """(id, name) of the household `text` names: an id, or a name matching exactly one."""
    from rmtui.core.models import Household
    from rmtui.core.queries.common import InvalidChange
    from rmtui.core.queries.households import list_households

    if text.strip().isdigit():
        household = session.get(Household, int(text))
        if household is None or household.id is None:
            raise InvalidChange(_("There is no household #{id}.").format(id=text))
        return household.id, household.name
    found = list_households(session=session, text=text, limit=CANDIDATES_SHOWN + 1)
    exact = [row for row in found if row[1].casefold() == text.strip().casefold()]
    matches = exact or found
    if len(matches) == 1:
        return matches[0][0], matches[0][1]
    if not matches:
        raise InvalidChange(_("No household is named like '{text}'.").format(text=text))
    listed = ", ".join(f"{name} (#{id_})" for id_, name, _count in matches[:CANDIDATES_SHOWN])
    raise InvalidChange(
        _("'{text}' matches several households: {listed}; give the id.").format(
            text=text, listed=listed
        )
    )


# -- output ------------------------------------------------------------------------------------


def household_json(view: HouseholdView) -> dict[str, Any]:
    """A household as `rmtui household show --json` prints it."""
    from rmtui.core.money import money_text

    last = view.last_contact_on
    return {
        "id": view.household.id,
        "name": view.household.name,
        "shared_checkin": view.household.shared_checkin,
        "members": [
            {"client": member.client_id, "name": member.name, "role": member.role}
            for member in view.members
        ],
        "aum": money_text(view.aum),
        "last_contact_on": last.isoformat() if last else None,
        "open_follow_ups": [
            {"id": f.id, "title": f.title, "due_on": f.due_on.isoformat(), "client": who}
            for f, who in view.follow_ups
        ],
        "open_cases": [
            {"id": c.id, "subject": c.subject, "due_on": c.due_on.isoformat(), "client": who}
            for c, who in view.cases
        ],
    }


def household_text(view: HouseholdView, day: date) -> str:
    """A household as `rmtui household show` prints it."""
    from rmtui.core.figures import total_text

    last = view.last_contact_on
    sharing = (
        _("a check-in with one member counts for all")
        if view.household.shared_checkin
        else _("each member is checked in with on their own")
    )
    heading = _("{name} (household {id}): {sharing}").format(
        name=view.household.name, id=view.household.id, sharing=sharing
    )
    assets = _("Assets {amount} on {day} · last contact {last}").format(
        amount=total_text(view.aum),
        day=day.isoformat(),
        last=last.isoformat() if last else _("none yet"),
    )
    lines = [
        heading,
        assets,
        _("Members:"),
        *(f"  {m.name} (#{m.client_id}), {choice_text(m.role)}" for m in view.members),
    ]
    if view.follow_ups:
        lines.append(_("Open follow-ups:"))
        lines += [f"  {f.due_on.isoformat()}  {f.title} - {who}" for f, who in view.follow_ups]
    if view.cases:
        lines.append(_("Open requests and complaints:"))
        lines += [f"  {c.due_on.isoformat()}  {c.subject} - {who}" for c, who in view.cases]
    return "\n".join(lines)
