"""What the household review says, section by section, as a document of plain blocks that the
client review's Markdown and HTML renderers write: members, combined assets and their trend,
goals, open follow-ups and cases, and the latest contacts, each with whose it is."""

from __future__ import annotations

from datetime import date

from rmtui.core.charts import sparkline
from rmtui.core.choices import choice_text
from rmtui.core.figures import listed_amount_text, percent_text, total_text
from rmtui.core.goals import status_label
from rmtui.core.queries.interactions import InteractionRow
from rmtui.core.review.document import (
    Block,
    Chart,
    Document,
    Paragraph,
    Renderer,
    Section,
    Table,
    render,
)
from rmtui.core.review.findings import FALL_WINDOWS
from rmtui.core.review.household import HouseholdReview
from rmtui.core.review.html_page import HtmlRenderer
from rmtui.core.review.markdown import MarkdownRenderer

# The client review's ways of writing a trend and a change, so that both reports say them alike.
from rmtui.core.review.sections import _aum_change, _change_text, _chart_caption
from rmtui.core.review.words import date_text
from rmtui.core.translation import _, ngettext


def household_review_text(review: HouseholdReview, file_format: str) -> str:
    """The household review written as `file_format` ("markdown" or "html")."""
    renderer: Renderer = HtmlRenderer() if file_format == "html" else MarkdownRenderer()
    return render(household_document(review), renderer)


def household_document(review: HouseholdReview) -> Document:
    """The household review laid out as a document, ready to be written in any file format."""
    return Document(
        _("Household review: {name}").format(name=review.name),
        household_subtitle(review),
        tuple(household_sections(review)),
    )


def household_subtitle(review: HouseholdReview) -> str:
    """The line under the title: the day, how many members, how check-ins count."""
    count = len(review.members)
    sharing = _("one check-in for all") if review.shared_checkin else _("check-ins per member")
    members = ngettext("{count} member", "{count} members", count).format(count=count)
    return _("Prepared on {day}").format(day=date_text(review.day)) + f" · {members} · {sharing}"


def household_sections(review: HouseholdReview) -> list[Section]:
    """The report's sections in order."""
    return [
        Section(_("Members"), (_members_block(review),)),
        Section(_("Assets and value trend"), _asset_blocks(review)),
        Section(_("Financial goals"), (_goals_block(review),)),
        Section(_("Open follow-ups"), (_follow_ups_block(review),)),
        Section(_("Open requests and complaints"), (_cases_block(review),)),
        Section(_("Latest contacts"), (_contacts_block(review),)),
    ]


def _members_block(review: HouseholdReview) -> Block:
    if not review.members:
        return Paragraph(_("The household has no members."), muted=True)
    rows = tuple(
        (
            member.member.name,
            choice_text(member.member.role),
            member.member.tier,
            date_text(member.last_contact_on) if member.last_contact_on else _("never"),
            total_text(member.aum),
        )
        for member in review.members
    )
    headers = (_("Member"), _("Role"), _("Tier"), _("Last contact"), _("Assets"))
    return Table(headers, rows, right=frozenset({4}))


def _asset_blocks(review: HouseholdReview) -> tuple[Block, ...]:
    if all(member.summary is None for member in review.members):
        return (Paragraph(_("No holdings recorded for any member."), muted=True),)
    changes = [_aum_change(review, months) for months in FALL_WINDOWS]
    line = _("Assets of all members: {amount} on {day}").format(
        amount=total_text(review.aum), day=date_text(review.day)
    )
    line += "".join(f"; {change}" for change in changes if change)
    rows = tuple(
        (
            member.member.name,
            total_text(member.aum),
            sparkline([point.value for point in member.trend]),
            _change_text(member.summary),
        )
        for member in review.members
    )
    table = Table(
        (_("Member"), _("Assets"), _("12 months"), _("Change")),
        rows,
        frozenset({1, 3}),
        frozenset({2}),
    )
    return (Paragraph(line + "."), Chart(review.aum_trend, _chart_caption(review.aum_trend)), table)


def _goals_block(review: HouseholdReview) -> Block:
    if not review.goals:
        return Paragraph(_("No financial goals recorded."), muted=True)
    rows = tuple(
        (
            goal.title,
            who,
            percent_text(goal.status.progress_pct),
            listed_amount_text(goal.current_amount),
            listed_amount_text(goal.target_amount),
            date_text(goal.target_date) if goal.target_date else "—",
            _(status_label(goal.status)),
        )
        for goal, who in review.goals
    )
    headers = (
        _("Goal"),
        _("Whose"),
        _("Progress"),
        _("Now"),
        _("Target"),
        _("By"),
        _("Status"),
    )
    return Table(headers, rows, frozenset({2, 3, 4}))


def _follow_ups_block(review: HouseholdReview) -> Block:
    if not review.follow_ups:
        return Paragraph(_("No open follow-ups."), muted=True)
    rows = tuple(
        (_due_text(item.due_on, review), who, item.title, choice_text(item.priority))
        for item, who in review.follow_ups
    )
    return Table((_("Due"), _("Who"), _("What to do"), _("Priority")), rows)


def _cases_block(review: HouseholdReview) -> Block:
    if not review.cases:
        return Paragraph(_("No open requests or complaints."), muted=True)
    rows = tuple(
        (
            choice_text(case.kind),
            who,
            case.subject,
            date_text(case.opened_on),
            _due_text(case.due_on, review),
        )
        for case, who in review.cases
    )
    return Table((_("Kind"), _("Who"), _("Subject"), _("Opened"), _("Due")), rows)


def _contacts_block(review: HouseholdReview) -> Block:
    if not review.contacts:
        return Paragraph(_("No contacts with any member yet."), muted=True)
    rows = tuple(
        (
            f"{row.at:%Y-%m-%d %H:%M}",
            _who(row),
            choice_text(row.kind),
            choice_text(row.direction),
            row.subject,
            " ".join((row.notes or "").split()),  # whole, its line breaks as spaces
        )
        for row in review.contacts
    )
    return Table((_("When"), _("Who"), _("Kind"), _("Dir"), _("Subject"), _("Notes")), rows)


def _due_text(due_on: date, review: HouseholdReview) -> str:
    return date_text(due_on) + (" " + _("(late)") if due_on < review.day else "")


def _who(row: InteractionRow) -> str:
    """The member a contact was with, and the person at their business when it names one."""
    return (
        _("{name} (with {person})").format(name=row.client_name, person=row.contact_person)
        if row.contact_person
        else row.client_name
    )
