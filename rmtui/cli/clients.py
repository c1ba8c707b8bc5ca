"""`rmtui client add|list|show|edit|archive|unarchive`: the client list from the shell."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping
from datetime import date
from itertools import chain
from typing import TYPE_CHECKING, Any

from rmtui.cli.common import open_engine, owner_of, read_book
from rmtui.cli.writing import (
    Refused,
    chosen_client,
    chosen_client_on,
    print_json,
    print_lines,
    record_json,
    refuse_choices,
    refuse_errors,
)
from rmtui.core.choices import choice_text
from rmtui.core.translation import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from rmtui.core.client_filter import ClientFilter
    from rmtui.core.client_listing import ClientProfile
    from rmtui.core.db_api import Connection

# Each profile field and the option (or argument) it is typed in.
CLIENT_OPTIONS = {
    "name": "NAME",
    "kind": "--kind",
    "status": "--status",
    "tier": "--tier",
    "email": "--email",
    "phone": "--phone",
    "company": "--company",
    "city": "--city",
    "country": "--country",
    "birthday": "--birthday",
    "preferred_channel": "--channel",
    "preferred_language": "--language",
    "owner": "--owner",
    "checkin_every_days": "--checkin-every",
    "review_every_months": "--review-every",
    "tags": "--tag",
    "source": "--source",
    "risk_profile": "--risk-profile",
    "notes": "--notes",
}


def run_client_add(args: argparse.Namespace) -> int:
    """Add a client; a look-alike already in the book refuses it unless --force."""
    from rmtui.core.db import session_scope
    from rmtui.core.entries import Checked, client_entry
    from rmtui.core.models import Client
    from rmtui.core.people import session_user
    from rmtui.core.queries.clients import add_client

    typed = {"name": args.name, "owner": session_user(), **given_fields(args)}
    entry = Checked()
    values = client_entry(typed, entry)
    refuse_errors(entry.errors, CLIENT_OPTIONS)
    refuse_choices(Client, values, CLIENT_OPTIONS)
    with session_scope(open_engine(args, create=True)) as session:
        if not args.force:
            _refuse_look_alike(session, values)
        client = add_client(session=session, values=values)
    if args.json:
        print_json(record_json(client))
    else:
        print(_("Added {name} (client {id}).").format(name=client.name, id=client.id))
    return 0


def _refuse_look_alike(session: Session, values: dict[str, Any]) -> None:
    from rmtui.core.queries.look_alikes import look_alikes
    from rmtui.core.user_locale import user_region

    alikes = look_alikes(
        session=session,
        name=values["name"],
        email=values.get("email"),
        phone=values.get("phone"),
        region=user_region(),
    )
    if alikes:
        alike = alikes[0]
        raise Refused(
            _(
                "{alike} (client {id}) has {reason}, so {name} may already be in your book; "
                "add --force to add them all the same. Nothing was written."
            ).format(alike=alike.name, id=alike.client_id, reason=alike.reason, name=values["name"])
        )


def run_client_edit(args: argparse.Namespace) -> int:
    """Change the fields given as options of one client's profile."""
    from rmtui.core.db import session_scope
    from rmtui.core.entries import PROFILE_FIELDS, Checked, as_typed, client_entry
    from rmtui.core.models import Client
    from rmtui.core.queries.clients import get_client, update_client

    changes = given_fields(args)
    if args.name is not None:
        changes["name"] = args.name
    if not changes:
        raise Refused(_("say what to change, e.g. --email or --tier; nothing was written."))
    with session_scope(open_engine(args)) as session:
        client_id = chosen_client(session, args.client).id
        client = get_client(session=session, client_id=client_id)
        assert client is not None  # just chosen
        profile = as_typed({name: getattr(client, name) for name in PROFILE_FIELDS})
        entry = Checked()
        values = client_entry({**profile, **changes}, entry)
        refuse_errors(entry.errors, {**CLIENT_OPTIONS, "name": "--name"})
        refuse_choices(Client, values, CLIENT_OPTIONS)
        client = update_client(session=session, client_id=client_id, values=values)
    if args.json:
        print_json(record_json(client))
    else:
        print(_("Saved {name} (client {id}).").format(name=client.name, id=client.id))
    return 0


def given_fields(args: argparse.Namespace) -> dict[str, Any]:
    """The profile fields typed as options (an empty text clears a field)."""
    given = {
        field: getattr(args, field)
        for field in CLIENT_OPTIONS
        if field not in ("name", "tags") and getattr(args, field, None) is not None
    }
    if args.tags is not None:
        given["tags"] = ", ".join(args.tags)
    return given


def run_client_archive(args: argparse.Namespace) -> int:
    """Archive a client, or bring an archived one back."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.clients import archive_client, unarchive_client

    change = unarchive_client if args.undo else archive_client
    with session_scope(open_engine(args)) as session:
        client = change(session=session, client_id=chosen_client(session, args.client).id)
    if args.json:
        print_json(record_json(client))
    else:
        done = (
            _("Brought back {name} (client {id}).")
            if args.undo
            else _("Archived {name} (client {id}).")
        )
        print(done.format(name=client.name, id=client.id))
    return 0


def run_client_list(args: argparse.Namespace) -> int:
    """Print the clients matching TEXT and the filters, by name; when TEXT matches none, the
    clients with a name alike it, likest first (said on stderr)."""
    from rmtui.core.client_filter import ClientFilter

    client_filter = ClientFilter(
        text=args.text,
        status=args.status,
        tier=args.tier.upper() if args.tier else None,
        tag=args.tag.lower() if args.tag else None,
        kind=args.kind,
        include_archived=args.archived,
    )
    read_book(args, lambda connection: _print_clients(connection, client_filter, args))
    return 0


def _mine(connection: Connection, client_filter: ClientFilter, args: Any) -> ClientFilter:
    """`client_filter` narrowed to the user's clients unless --all (cli.common.owner_of)."""
    from dataclasses import replace

    return replace(client_filter, owner=owner_of(args, connection))


def _print_clients(connection: Connection, client_filter: ClientFilter, args: Any) -> None:
    """Print the clients `client_filter` lists as they are read: as JSON or a line each."""
    from rmtui.core.client_listing import listed_clients

    listed = listed_clients(connection, _mine(connection, client_filter, args))
    records: Iterator[dict[str, Any]] = listed.records
    first = next(records, None)
    if first is not None:
        if listed.alike:
            print(
                _("No client matches “{text}”; names alike, likest first:").format(text=args.text),
                file=sys.stderr,
            )
        records = chain([first], records)
    if args.json:
        print_json(list(records))
    else:
        print_lines(client_line(record) for record in records)


def client_line(client: Mapping[str, Any]) -> str:
    """One client of `rmtui client list` (its record): id, name, status and tier, city,
    e-mail."""
    extra = "  ".join(part for part in (client["city"], client["email"]) if part)
    archived = " (" + _("archived") + ")" if client["archived"] else ""
    status = choice_text(client["status"])
    line = f"{client['id']:>7}  {client['name']}{archived}  [{status} {client['tier']}]"
    return f"{line}  {extra}".rstrip()


def run_client_show(args: argparse.Namespace) -> int:
    """Print one client's profile, check-in state and open follow-ups."""
    from rmtui.core.dates import today

    day = today()
    profile = read_book(args, lambda connection: _profile(connection, args.client, day))
    if args.json:
        print_json({**profile.record, "open_follow_ups": profile.follow_ups})
    else:
        print_lines(profile_lines(profile))
    return 0


def _profile(connection: Connection, text: str, day: date) -> ClientProfile:
    from rmtui.core.client_listing import client_profile

    client_id = chosen_client_on(connection, text).id
    profile = client_profile(connection, client_id, day=day)
    assert profile is not None  # just chosen
    return profile


def profile_lines(profile: ClientProfile) -> Iterator[str]:
    """The lines of `rmtui client show`."""
    from rmtui.core.people import others_owner
    from rmtui.core.wording import days_text

    client, state, last = profile.record, profile.due, profile.last_contact_on
    archived = " — " + _("archived") if client["archived"] else ""
    yield _("{name} (client {id})").format(name=client["name"], id=client["id"]) + archived
    tier = _("tier {tier}").format(tier=client["tier"])
    yield f"  {choice_text(client['kind'])}, {choice_text(client['status'])}, {tier}"
    for label, value in (
        (_("company"), client["company"]),
        (_("e-mail"), client["email"]),
        (_("phone"), client["phone"]),
        (_("city"), ", ".join(part for part in (client["city"], client["country"]) if part)),
        (_("birthday"), client["birthday"]),
        (_("tags"), ", ".join(client["tags"])),
        (_("source"), client["source"]),
        (_("risk profile"), client["risk_profile"]),
        (_("owner"), others_owner(client["owner"])),
    ):
        if value:
            yield f"  {label + ':':<14}{value}"
    checkin = _("every {days}; last contact {day}").format(
        days=days_text(state.cadence), day=last or _("never")
    )
    if state.overdue and state.days_overdue:
        checkin += "; " + _("check-in {days} overdue").format(days=days_text(state.days_overdue))
    elif state.overdue:
        checkin += "; " + _("check-in due today")
    label = _("check-in") + ":"
    yield f"  {label:<14}{checkin}"
    for follow_up in profile.follow_ups:
        said = _("follow-up {id}").format(id=follow_up["id"])
        yield f"  {said}: {follow_up['due_on']}  {follow_up['title']}"
    if client["notes"]:
        label = _("notes") + ":"
        yield f"  {label:<14}{client['notes']}"
