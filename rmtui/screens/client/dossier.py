"""What client detail says of one client: the heading and check-in line, the profile, and the
rows of follow-ups and the timeline (read by `rmtui.core.queries.client_detail`)."""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text

from rmtui.core.case_clocks import days_left_text
from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text
from rmtui.core.models import Client, FollowUp
from rmtui.core.people import others_owner
from rmtui.core.queries.client_detail import ClientDossier
from rmtui.core.queries.contact_points import PointRow
from rmtui.core.queries.interactions import InteractionRow
from rmtui.core.rules import DueState, next_review_on, review_cadence_of
from rmtui.core.translation import N_, _, pN_
from rmtui.core.wording import ago_text, days_text
from rmtui.widgets.address_text import AddressText
from rmtui.widgets.virtual_table import TableColumn, TableRow

FOLLOW_UP_COLUMNS = (
    TableColumn("due_on", N_("Due"), 11),
    TableColumn("title", N_("What to do"), min_width=20),
    TableColumn("priority", N_("Priority"), 8, drop=1),
)
# Headings a language may write shorter in their narrow columns (see `column_text`).
NARROW_HEADINGS = (pN_("column", "Dir"), pN_("column", "Priority"))
TIMELINE_COLUMNS = (
    TableColumn("at", N_("When"), 17),
    TableColumn("kind", N_("Kind"), 7, drop=2),
    TableColumn("direction", N_("Dir"), 3, drop=3),
    TableColumn("subject", N_("Subject"), min_width=20),
    TableColumn("duration", N_("Min"), 4, align="right", drop=1),
)


# Why a client has no check-ins, by status.
NO_CHECKINS = {
    "lead": N_("No check-ins due: {name} is a lead."),
    "prospect": N_("No check-ins due: {name} is a prospect."),
    "client": N_("No check-ins due: {name} is a client."),
    "former": N_("No check-ins due: {name} is a former client."),
}


def heading_text(client: Client) -> Text:
    """The client's name with kind, status and tier."""
    heading = Text(client.name, style="bold")
    tier = _("tier {tier}").format(tier=client.tier)
    heading.append(
        f"   {choice_text(client.kind)} · {choice_text(client.status)} · {tier}", style="dim"
    )
    if client.archived:
        heading.append("   " + _("ARCHIVED"), style="bold red")
    return heading


def due_text(client: Client, due: DueState, day: date) -> Text:
    """Cadence, last contact and the check-in state in one line."""
    line = Text()
    if client.archived:
        line.append(_("Archived: no check-ins."), style="dim")
    elif due.due_on is None:
        line.append(_(NO_CHECKINS[client.status]).format(name=client.name), style="dim")
    elif due.overdue and due.days_overdue == 0:
        line.append(_("Check-in due today"), style="bold red")
    elif due.overdue:
        overdue = _("Check-in {days} overdue").format(days=days_text(due.days_overdue))
        line.append(overdue, style="bold red")
        line.append(" " + _("(due {day})").format(day=date_text(due.due_on)), style="red")
    else:
        soon = _("Next check-in in {days}").format(days=days_text((due.due_on - day).days))
        line.append(soon, style="bold green")
        line.append(f" ({date_text(due.due_on)})", style="green")
    line.append("  ·  " + _("every {days}").format(days=days_text(due.cadence)), style="dim")
    if client.checkin_every_days is None:
        line.append(" " + _("(tier {tier})").format(tier=client.tier), style="dim")
    line.append("  ·  ")
    line.append_text(last_contact_text(due.last_contact_on, day))
    return line


def last_contact_text(last_contact_on: date | None, day: date) -> Text:
    """When the client was last contacted, and how long ago."""
    if last_contact_on is None:
        return Text(_("never contacted"), style="yellow")
    when = ago_text((day - last_contact_on).days)
    return Text(_("last contact {day} ({ago})").format(day=date_text(last_contact_on), ago=when))


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
        (_("Kind"), choice_text(client.kind)),
        (_("Status"), choice_text(client.status)),
        (_("Tier"), client.tier),
        (_("Owner"), others_owner(client.owner)),
        (_("Company"), client.company),
        *(
            (label, AddressText(address) if address else None)
            for label, address in _contact_rows(
                _("E-mail"), "email", client.email, dossier.contact_points
            )
        ),
        *_contact_rows(_("Phone"), "phone", client.phone, dossier.contact_points),
        (_("City"), place),
        (_("Birthday"), birthday),
        (_("Channel"), choice_text(client.preferred_channel) if client.preferred_channel else None),
        (
            _("Documents in"),
            choice_text(client.preferred_language) if client.preferred_language else None,
        ),
        (_("Source"), client.source),
        (_("Referred by"), dossier.referred_by),
        (_("Tags"), ", ".join(client.tags or [])),
        (_("Risk profile"), client.risk_profile),
        (_("Client since"), _date(client.client_since)),
        (_("Next review"), next_review_text(client, day)),
        (_("Client until"), _date(client.client_until)),
        (_("Added"), _date(client.created_on)),
    )
    for label, value in rows:
        if label in (_("Client until"), _("Documents in"), _("Owner")) and not value:
            continue
        table.add_row(label, value or Text("—", style="dim"))
    table.add_row("", "")
    table.add_row(_("Notes"), client.notes or Text("—", style="dim"))
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
    if client.review_every_months is None:
        every = _("every {months} months").format(months=months)
    else:
        every = _("every {months} months, own cadence").format(months=months)
    return f"{date_text(due_on)} ({left}; {every})"


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
    shown = [
        f"{value} ({_(named)})" if (named := labelled.get(value)) else value for value in values
    ]
    return [(label if index == 0 else "", text) for index, text in enumerate(shown)]


def _date(day: date | None) -> str | None:
    return date_text(day) if day else None


def follow_up_cells(follow_up: FollowUp, day: date) -> tuple[Text | str, ...]:
    """The cells of an open follow-up: due date (coloured when late or today), title, priority."""
    due = follow_up.due_on
    style = "bold red" if due < day else "bold yellow" if due == day else ""
    priority = Text(
        choice_text(follow_up.priority),
        style="bold yellow" if follow_up.priority == "high" else "dim",
    )
    return (Text(date_text(due), style=style), follow_up.title, priority)


def timeline_row(row: InteractionRow) -> TableRow:
    """One interaction of the timeline: when, kind, direction, subject (with notes), minutes."""
    subject = (
        Text(_("with {person}: ").format(person=row.contact_person), style="cyan")
        if row.contact_person
        else Text()
    )
    subject.append(row.subject)
    if row.notes:
        subject.append(f" — {' '.join(row.notes.split())}", style="dim")
    kind_style = "dim" if row.kind == "note" else ""
    minutes = str(row.duration_min) if row.duration_min is not None else ""
    return TableRow(
        row.id,
        (
            f"{row.at:%Y-%m-%d %H:%M}",
            Text(choice_text(row.kind), style=kind_style),
            choice_text(row.direction),
            subject,
            minutes,
        ),
        row,
    )
