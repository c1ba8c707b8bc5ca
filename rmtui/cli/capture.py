"""`rmtui capture "TEXT"`: log a contact in one line, saying first what was understood."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from rmtui.cli.activity import log_contact, print_logged
from rmtui.cli.common import open_engine
from rmtui.cli.writing import Refused
from rmtui.core.choices import choice_text
from rmtui.core.translation import N_, _

if TYPE_CHECKING:
    from rmtui.core.capture import Capture

CAPTURE_OPTIONS = {
    "subject": N_("the subject"),
    "at": N_("the time"),
    "follow_up_due": "+fu",
}


def run_capture(args: argparse.Namespace) -> int:
    """Read the line, say what it was understood to mean, and log it (unless --dry-run)."""
    from rmtui.core.capture import CaptureError, read_capture
    from rmtui.core.client_choice import choose_client
    from rmtui.core.db import session_scope

    engine = open_engine(args, read_only=args.dry_run)
    text = " ".join(args.text)
    with session_scope(engine) as session:
        try:
            capture = read_capture(
                text, find=lambda words: choose_client(session=session, text=words).matches
            )
        except CaptureError as error:
            raise Refused(str(error)) from None
    print(understood(capture), file=sys.stderr if args.json else sys.stdout)
    if capture.subject is None:
        raise Refused(
            _(
                "say what it was about after the client, e.g. `re pension review`; nothing was"
                " written."
            )
        )
    if args.dry_run:
        return 0
    logged = log_contact(engine, str(capture.client.id), typed_of(capture), options=CAPTURE_OPTIONS)
    print_logged(logged, as_json=args.json)
    return 0


def typed_of(capture: Capture) -> dict[str, str | None]:
    """The capture as the log form would have it typed."""
    return {
        "subject": capture.subject or "",
        "kind": capture.kind,
        "direction": "out",
        "at": f"{capture.at:%Y-%m-%d %H:%M}",
        "notes": capture.notes(),
        "follow_up_due": capture.follow_up_due.isoformat() if capture.follow_up_due else None,
        "follow_up_title": capture.follow_up_title,
    }


def understood(capture: Capture) -> str:
    """What the line was read as, in one line."""
    from rmtui.core.dates import day_text, today

    day = today()
    kind = (
        choice_text(capture.kind)
        if capture.kind
        else _("contact (kind by the client's preferred channel)")
    )
    line = _("Understood: {kind} with {name} (client {id}) on {day} at {time}").format(
        kind=kind,
        name=capture.client.name,
        id=capture.client.id,
        day=day_text(capture.at.date(), today=day),
        time=f"{capture.at:%H:%M}",
    )
    line += (
        _(", about “{subject}”").format(subject=capture.subject)
        if capture.subject
        else _(", no subject")
    )
    if capture.follow_up_due:
        title = capture.follow_up_title or _("follow up")
        due = day_text(capture.follow_up_due, today=day)
        line += _("; next follow-up {day}: {title}").format(day=due, title=title)
    if capture.tags:
        line += _("; tags {tags}").format(tags=" ".join(f"#{tag}" for tag in capture.tags))
    return line + "."
