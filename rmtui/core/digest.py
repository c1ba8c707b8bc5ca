"""The morning digest: the Today list in short and the month's KPIs to date against their
targets, as text, Markdown (for mail) or JSON, for `rmtui digest`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from rmtui.core.agenda import Agenda, agenda_json, item_text, read_agenda
from rmtui.core.dates import date_text
from rmtui.core.db_api import Connection, of_session
from rmtui.core.figures import count_text
from rmtui.core.kpi import kpis_json, read_kpis, read_targets
from rmtui.core.kpi_board import KpiLine, kpi_lines
from rmtui.core.periods import Period, compared_period, period_containing, share_gone
from rmtui.core.translation import N_, _, ngettext

# A KPI's status against its target, as the digest says it.
STATUS_WORDS = {"met": N_("met"), "close": N_("close"), "behind": N_("behind")}

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TOP_ITEMS = 5  # the first items shown of each agenda section
# KPIs shown even without a target; any KPI with a target is shown too.
HEADLINE_KPIS = (
    "revenue",
    "new_clients",
    "interactions",
    "clients_contacted",
    "checkin_coverage",
    "pipeline_conversion",
    "cases_on_time",
)
FORMATS = ("text", "markdown", "json")


class Digest(NamedTuple):
    """The morning summary for one day."""

    day: date
    agenda: Agenda
    month: Period
    kpis: dict[str, Any]
    lines: tuple[KpiLine, ...]


def build_digest(
    *, session: Session, day: date, top: int = TOP_ITEMS, owner: str | None = None
) -> Digest:
    """The digest of `day`, read in `session` (see read_digest)."""
    return read_digest(of_session(session), day=day, top=top, owner=owner)


def read_digest(
    connection: Connection, *, day: date, top: int = TOP_ITEMS, owner: str | None = None
) -> Digest:
    """The digest of `day`, read on a DB-API `connection`: each agenda section's count and
    first `top` items, and the KPIs of the month to date with the previous month's as many
    days and the month's targets; with an `owner`, of that owner's clients and everyone's."""
    agenda = read_agenda(connection, day=day, limit=top, owner=owner)
    month = period_containing(day, "month")
    before = compared_period(month, day)
    kpis = read_kpis(connection, start=month.start, end=month.end, today=day, owner=owner)
    previous = read_kpis(connection, start=before.start, end=before.end, owner=owner)
    targets = read_targets(connection, start=month.start, end=month.end)
    lines = kpi_lines(kpis, previous, targets, gone=share_gone(month, day))
    shown = tuple(line for line in lines if line.key in HEADLINE_KPIS or line.target)
    return Digest(day, agenda, month, kpis, shown)


def digest_text(digest: Digest) -> str:
    """The digest as plain text."""
    lines = [_("rmtui digest for {day}").format(day=date_text(digest.day, "%A %d %B %Y")), ""]
    for key, title, items in digest.agenda.sections():
        lines.append(f"{_(title)}: {count_text(digest.agenda.total(key))}")
        lines += [f"  {item_text(item, digest.day)}" for item in items]
        if digest.agenda.not_listed(key):
            lines.append(f"  {_more(digest.agenda.not_listed(key))}")
    heading = _("{month} to {day} (against the month before):").format(
        month=digest.month.label, day=date_text(digest.day, "%d %b")
    )
    lines += ["", heading]
    lines += [f"  {_kpi_sentence(line)}" for line in digest.lines]
    return "\n".join(lines)


def digest_markdown(digest: Digest) -> str:
    """The digest as Markdown, for a mail."""
    day = date_text(digest.day, "%A %d %B %Y")
    lines = ["# " + _("rmtui digest for {day}").format(day=day)]
    for key, title, items in digest.agenda.sections():
        lines += ["", f"## {_(title)} ({count_text(digest.agenda.total(key))})", ""]
        listed = [f"- {_escaped(item_text(item, digest.day))}" for item in items]
        lines += listed or ["- " + _("nothing")]
        if digest.agenda.not_listed(key):
            lines.append(f"- {_more(digest.agenda.not_listed(key))}")
    lines += ["", "## " + _("{period} to date").format(period=digest.month.label), ""]
    headers = (_("KPI"), _("value"), _("change"), _("target"), _("status"))
    lines += ["| " + " | ".join(headers) + " |", "|---|---:|---:|---:|---|"]
    for line in digest.lines:
        expected = " (" + _("{expected} by today").format(expected=line.expected) + ")"
        target = line.target + (expected if line.expected else "")
        cells = (line.label, line.value, line.change, target, _status(line.status))
        lines.append("| " + " | ".join(_escaped(cell) for cell in cells) + " |")
    return "\n".join(lines)


def digest_json(digest: Digest) -> dict[str, Any]:
    """The digest as JSON-ready data: the agenda's sections with totals, the KPIs with their
    targets and status."""
    agenda = agenda_json(digest.agenda)
    sections = {
        key: {"total": digest.agenda.total(key), "items": agenda[key]}
        for key, _title, _items in digest.agenda.sections()
    }
    figures = kpis_json(digest.kpis)
    return {
        "date": digest.day.isoformat(),
        "agenda": sections,
        "kpis": {
            "from": figures["from"],
            "to": figures["to"],
            **{
                line.key: {
                    "value": figures[line.key],
                    "target": line.target or None,
                    "status": line.status,
                }
                for line in digest.lines
            },
        },
    }


def _kpi_sentence(line: KpiLine) -> str:
    text = f"{line.label}: {line.value} ({line.change})" if line.change else line.label
    if not line.change:
        text += f": {line.value}"
    if line.target:
        text += "; " + _("target {target}").format(target=line.target)
        if line.expected:
            text += ", " + _("{expected} by today").format(expected=line.expected)
        if line.status:
            text += f": {_status(line.status)}"
    return text


def _status(status: str | None) -> str:
    """A KPI's status against its target in words (met, close, behind)."""
    return _(STATUS_WORDS[status]) if status else ""


def _more(count: int) -> str:
    """`… and 3 more`, for the items of a section not listed."""
    return ngettext("… and {count} more", "… and {count} more", count).format(
        count=count_text(count)
    )


def _escaped(text: str) -> str:
    """Text safe in a Markdown list item or table cell."""
    for char in ("\\", "|", "*", "_", "`", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text
