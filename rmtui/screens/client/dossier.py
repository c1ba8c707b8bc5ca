"""What client detail says of one client: the heading and check-in line, the profile, and the
rows of follow-ups and the timeline (read by `rmtui.core.queries.client_detail`)."""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text

from rmtui.core.case_clocks import days_left_text
from rmtui.core.dates import date_text
from rmtui.core.models import Client, FollowUp
from rmtui.core.queries.client_detail import ClientDossier
from rmtui.core.queries.contact_points import PointRow
from rmtui.core.queries.interactions import InteractionRow
from rmtui.core.rules import DueState, next_review_on, review_cadence_of
from rmtui.core.translation import N_
from rmtui.core.wording import ago_text, days_text
from rmtui.widgets.address_text import AddressText
from rmtui.widgets.virtual_table import TableColumn, TableRow

FOLLOW_UP_COLUMNS = (
    TableColumn("due_on", N_("Due"), 11),
    TableColumn("title", N_("What to do"), min_width=20),
    TableColumn("priority", N_("Priority"), 8, drop=1),
)
TIMELINE_COLUMNS = (
    TableColumn("at", N_("When"), 17),
    TableColumn("kind", N_("Kind"), 7, drop=2),
    TableColumn("direction", N_("Dir"), 3, drop=3),
    TableColumn("subject", N_("Subject"), min_width=20),
    TableColumn("duration", N_("Min"), 4, align="right", drop=1),
)


def heading_text(client: Client) -> Text:
    """The client's name with kind, status and tier."""
    heading = Text(client.name, style="bold")
    heading.append(f"   {client.kind} · {client.status} · tier {client.tier}", style="dim")
    if client.archived:
        heading.append("   ARCHIVED", style="bold red")
    return heading


def due_text(client: Client, due: DueState, day: date) -> Text:
    """Cadence, last contact and the check-in state in one line."""
    line = Text()
    if client.archived:
        line.append("Archived: no check-ins.", style="dim")
    elif due.due_on is None:
        reason = "a former client" if client.status == "former" else f"a {client.status}"
        line.append(f"No check-ins due: {client.name} is {reason}.", style="dim")
    elif due.overdue and due.days_overdue == 0:
        line.append("Check-in due today", style="bold red")
    elif due.overdue:
        line.append(f"Check-in {days_text(due.days_overdue)} overdue", style="bold red")
        line.append(f" (due {date_text(due.due_on)})", style="red")
    else:
        line.append(f"Next check-in in {days_text((due.due_on - day).days)}", style="bold green")
        line.append(f" ({date_text(due.due_on)})", style="green")
    line.append(f"  ·  every {days_text(due.cadence)}", style="dim")
    if client.checkin_every_days is None:
        line.append(f" (tier {client.tier})", style="dim")
    line.append("  ·  ")
    line.append_text(last_contact_text(due.last_contact_on, day))
    return line


def last_contact_text(last_contact_on: date | None, day: date) -> Text:
    """When the client was last contacted, and how long ago."""
    if last_contact_on is None:
        return Text("never contacted", style="yellow")
    when = ago_text((day - last_contact_on).days)
    return Text(f"last contact {date_text(last_contact_on)} ({when})")


def profile_table(dossier: ClientDossier, day: date) -> Table:
    """The profile as label / value lines, with the notes below."""
    client = dossier.client
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    place = ", ".join(part for part in (client.city, client.country) if part)
    birthday = None
    if client.birthday:
        age = (
            day.year
            - client.birthday.year
            - ((day.month, day.day) < (client.birthday.month, client.birthday.day))
        )
        birthday = f"{date_text(client.birthday)} ({age})"
    rows = (
        ("Kind", client.kind),
        ("Status", client.status),
        ("Tier", client.tier),
        ("Company", client.company),
        *(
            (label, AddressText(address) if address else None)
            for label, address in _contact_rows(
                "E-mail", "email", client.email, dossier.contact_points
            )
        ),
        *_contact_rows("Phone", "phone", client.phone, dossier.contact_points),
        ("City", place),
        ("Birthday", birthday),
        ("Channel", client.preferred_channel),
        ("Source", client.source),
        ("Referred by", dossier.referred_by),
        ("Tags", ", ".join(client.tags or [])),
        ("Risk profile", client.risk_profile),
        ("Client since", _date(client.client_since)),
        ("Next review", next_review_text(client, day)),
        ("Client until", _date(client.client_until)),
        ("Added", _date(client.created_on)),
    )
    for label, value in rows:
        if label == "Client until" and not value:
            continue
        table.add_row(label, value or Text("—", style="dim"))
    table.add_row("", "")
    table.add_row("Notes", client.notes or Text("—", style="dim"))
    return table


def next_review_text(client: Client, day: date) -> str | None:
    """When the client's next review falls due, every how many months, from what (None for a
    client not yet one)."""
    due_on = next_review_on(
        last_review=client.last_review_on,
        last_meeting=client.last_meeting_on,
        since=client.client_since,
        every_months=client.review_every_months,
        tier=client.tier,
    )
    months = review_cadence_of(client.review_every_months, client.tier)
    if due_on is None or client.client_since is None:
        return None
    left = days_left_text((due_on - day).days, business=False)
    own = "" if client.review_every_months is None else ", own cadence"
    return f"{date_text(due_on)} ({left}; every {months} months{own})"


def _contact_rows(
    label: str, kind: str, own: str | None, points: list[PointRow]
) -> list[tuple[str, str | None]]:
    """The client's e-mail address (or phone number), then every other one it has, each with
    its label: `ann@work.example (work)`."""
    mine = [point for point in points if point.kind == kind]
    labelled = {point.value: point.label for point in mine}
    values = [own] if own else []
    values += [point.value for point in mine if point.value != own]
    if not values:
        return [(label, None)]
    shown = [f"{value} ({labelled[value]})" if labelled.get(value) else value for value in values]
    return [(label if index == 0 else "", text) for index, text in enumerate(shown)]


def _date(day: date | None) -> str | None:
    return date_text(day) if day else None


def follow_up_cells(follow_up: FollowUp, day: date) -> tuple[Text | str, ...]:
    """The cells of an open follow-up: due date (coloured when late or today), title, priority."""
    due = follow_up.due_on
    style = "bold red" if due < day else "bold yellow" if due == day else ""
    priority = Text(
        follow_up.priority, style="bold yellow" if follow_up.priority == "high" else "dim"
    )
    return (Text(date_text(due), style=style), follow_up.title, priority)


def timeline_row(row: InteractionRow) -> TableRow:
    """One interaction of the timeline: when, kind, direction, subject (with notes), minutes."""
    subject = Text(f"with {row.contact_person}: ", style="cyan") if row.contact_person else Text()
    subject.append(row.subject)
    if row.notes:
        subject.append(f" — {' '.join(row.notes.split())}", style="dim")
    kind_style = "dim" if row.kind == "note" else ""
    minutes = str(row.duration_min) if row.duration_min is not None else ""
    return TableRow(
        row.id,
        (
            f"{row.at:%Y-%m-%d %H:%M}",
            Text(row.kind, style=kind_style),
            row.direction,
            subject,
            minutes,
        ),
        row,
    )
