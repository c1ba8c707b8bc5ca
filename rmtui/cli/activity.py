"""`rmtui log` and `rmtui follow-up add|done|list`: contacts and what to do next, from the shell."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rmtui.cli.common import open_engine, opened_book
from rmtui.cli.writing import (
    Refused,
    chosen_client,
    print_json,
    print_lines,
    record_json,
    refuse_choices,
    refuse_errors,
)
from rmtui.core.choices import choice_text
from rmtui.core.repeats import repeat_shown
from rmtui.core.translation import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from rmtui.core.client_choice import Candidate
    from rmtui.core.models import FollowUp, Interaction

LOG_OPTIONS = {
    "subject": "SUBJECT",
    "kind": "--kind",
    "direction": "--direction",
    "at": "--at",
    "duration_min": "--minutes",
    "follow_up_due": "--next",
}
FOLLOW_UP_OPTIONS = {
    "title": "TITLE",
    "due_on": "--due",
    "due_at": "--at",
    "priority": "--priority",
    "repeat": "--repeat",
}


@dataclass(frozen=True)
class Logged:
    """A contact logged from the shell: with whom, the interaction and its next follow-up."""

    client: Candidate
    interaction: Interaction
    follow_up: FollowUp | None


def run_log(args: argparse.Namespace) -> int:
    """Log an interaction with a client, with the next follow-up when --next says so."""
    when, _, title = (args.next or "").partition(":")
    typed = {
        "subject": args.subject,
        "kind": args.kind,
        "direction": args.direction,
        "at": args.at,
        "duration_min": args.minutes,
        "notes": args.notes,
        "review": args.review,
        "follow_up_due": when,
        "follow_up_title": title,
    }
    logged = log_contact(open_engine(args), args.client, typed, options=LOG_OPTIONS)
    print_logged(logged, as_json=args.json)
    return 0


def log_contact(
    engine: Engine, client_text: str, typed: Mapping[str, Any], *, options: Mapping[str, str]
) -> Logged:
    """Log what `typed` holds (as the log form reads it) with the client `client_text` means,
    in one transaction; a wrong value is refused naming its option in `options`."""
    from rmtui.core.db import session_scope
    from rmtui.core.entries import KIND_FOR_CHANNEL, Checked, log_entry
    from rmtui.core.models import Client, Interaction
    from rmtui.core.queries.follow_ups import follow_ups_from
    from rmtui.core.queries.interactions import log_interaction

    with session_scope(engine) as session:
        client = chosen_client(session, client_text)
        entry = Checked()
        values = log_entry(typed, entry, client_id=client.id)
        refuse_errors(entry.errors, options)
        if not typed.get("kind"):
            channel = session.get(Client, client.id).preferred_channel  # type: ignore[union-attr]
            values["kind"] = KIND_FOR_CHANNEL.get(channel, "call")
        refuse_choices(Interaction, values, options)
        interaction = log_interaction(session=session, **values)
        follow_ups = follow_ups_from(session=session, interaction_id=interaction.id or 0)
    return Logged(client, interaction, follow_ups[0] if follow_ups else None)


def print_logged(logged: Logged, *, as_json: bool) -> None:
    """Say what was logged: one line, or the interaction record with its next follow-up."""
    from rmtui.core.dates import day_text, today

    interaction, follow_up = logged.interaction, logged.follow_up
    if as_json:
        later = record_json(follow_up) if follow_up else None
        print_json(record_json(interaction, next_follow_up=later))
        return
    line = _("Logged {kind} with {name} (client {client}), interaction {id}").format(
        kind=choice_text(interaction.kind),
        name=logged.client.name,
        client=logged.client.id,
        id=interaction.id,
    )
    if follow_up is not None:
        due = day_text(follow_up.due_on, today=today())
        line += "; " + _("next follow-up {day}: {title} (follow-up {id})").format(
            day=due, title=follow_up.title, id=follow_up.id
        )
    print(line + ".")


def run_follow_up_add(args: argparse.Namespace) -> int:
    """Plan a follow-up for a client."""
    from rmtui.core.db import session_scope
    from rmtui.core.entries import Checked, follow_up_entry
    from rmtui.core.models import FollowUp
    from rmtui.core.queries.follow_ups import add_follow_up

    typed = {
        "title": args.title,
        "due_on": args.due,
        "due_at": args.at,
        "priority": args.priority,
        "repeat": args.repeat,
        "notes": args.notes,
    }
    with session_scope(open_engine(args)) as session:
        client = chosen_client(session, args.client)
        entry = Checked()
        values = follow_up_entry(typed, entry, client_id=client.id)
        refuse_errors(entry.errors, FOLLOW_UP_OPTIONS)
        refuse_choices(FollowUp, values, FOLLOW_UP_OPTIONS)
        follow_up = add_follow_up(session=session, **values)
    if args.json:
        print_json(record_json(follow_up))
    else:
        print(_("Planned {follow_up}.").format(follow_up=follow_up_text(follow_up, client.name)))
    return 0


def run_follow_up_done(args: argparse.Namespace) -> int:
    """Mark a follow-up done today (or on --on)."""
    from rmtui.cli.common import cli_date
    from rmtui.core.db import session_scope
    from rmtui.core.models import Client, FollowUp
    from rmtui.core.queries.common import fetch
    from rmtui.core.queries.follow_ups import complete

    day = _day_option(args.on, "--on", cli_date)
    with session_scope(open_engine(args)) as session:
        follow_up = fetch(session, FollowUp, args.follow_up_id)
        if follow_up.status != "open":
            raise Refused(
                _("follow-up {id} “{title}” is already {status}; nothing was written.").format(
                    id=follow_up.id, title=follow_up.title, status=choice_text(follow_up.status)
                )
            )
        completion = complete(session=session, follow_up_id=args.follow_up_id, day=day)
        follow_up, planned = completion.done, completion.planned
        client = session.get(Client, follow_up.client_id) if follow_up.client_id else None
    name = client.name if client else None
    if args.json:
        later = record_json(planned) if planned else None
        print_json(record_json(follow_up, next_follow_up=later))
    else:
        who = f" ({name})" if name else ""
        print(
            _("Marked follow-up {id} done: {title}.").format(
                id=follow_up.id, title=f"{follow_up.title}{who}"
            )
        )
        if planned is not None:
            print(
                _("Repeats {rule}: planned {follow_up}.").format(
                    rule=repeat_shown(planned.repeat), follow_up=follow_up_text(planned, name)
                )
            )
    return 0


def _day_option(text: str | None, option: str, read: Any) -> Any:
    from rmtui.core.dates import DateError

    try:
        return read(text)
    except DateError as error:
        raise Refused(
            _("{option}: {error}; nothing was written.").format(option=option, error=error)
        ) from None


def run_follow_up_list(args: argparse.Namespace) -> int:
    """Print follow-ups, soonest first: the open ones, or those of --status."""
    from rmtui.core.db import session_scope
    from rmtui.core.models import FOLLOW_UP_STATUSES
    from rmtui.core.queries.follow_ups import list_follow_ups

    if args.status not in (*FOLLOW_UP_STATUSES, "all"):
        listed = ", ".join((*FOLLOW_UP_STATUSES, "all"))
        raise Refused(
            _("--status: choose one of {listed}, not '{text}'.").format(
                listed=listed, text=args.status
            )
        )
    with opened_book(args, read_only=True) as engine, session_scope(engine) as session:
        client_id = chosen_client(session, args.client).id if args.client else None
        status = None if args.status == "all" else args.status
        rows = list_follow_ups(session=session, client_id=client_id, status=status)
    if args.json:
        print_json([record_json(follow_up) for follow_up, _name in rows])
    else:
        print_lines(follow_up_line(follow_up, name) for follow_up, name in rows)
    return 0


def follow_up_line(follow_up: FollowUp, client_name: str | None) -> str:
    """One follow-up of `rmtui follow-up list`: id, due day, status, title, client."""
    flag = " !" if follow_up.priority == "high" else ""
    status = "" if follow_up.status == "open" else f" [{choice_text(follow_up.status)}]"
    who = f"  — {client_name}" if client_name else ""
    at = f" {follow_up.due_at:%H:%M}" if follow_up.due_at else ""
    repeat = f"  ({repeat_shown(follow_up.repeat)})" if follow_up.repeat else ""
    return (
        f"{follow_up.id:>7}  {follow_up.due_on}{at}{flag}{status}  {follow_up.title}{who}{repeat}"
    )


def follow_up_text(follow_up: FollowUp, client_name: str | None) -> str:
    """A follow-up in a sentence: `follow-up 88 for Ann Smit on Fri 11 Dec: send proposal`."""
    from rmtui.core.dates import day_text, today

    due = day_text(follow_up.due_on, today=today())
    if follow_up.due_at:
        due = _("{day} at {time}").format(day=due, time=f"{follow_up.due_at:%H:%M}")
    if client_name:
        said = _("follow-up {id} for {name} on {day}: {title}")
    else:
        said = _("follow-up {id} on {day}: {title}")
    return said.format(id=follow_up.id, name=client_name, day=due, title=follow_up.title)
