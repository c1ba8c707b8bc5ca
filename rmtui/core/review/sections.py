"""What the client review says, section by section, laid out as a document of plain blocks."""

from __future__ import annotations

from collections.abc import Sequence

from rmtui.core.charts import sparkline
from rmtui.core.figures import (
    listed_amount_text,
    percent_text,
    signed_total_text,
    total_text,
)
from rmtui.core.goals import status_label
from rmtui.core.queries.holding_trend import (
    TrendSummary,
    ValuePoint,
    change_percent,
    summarize_trend,
)
from rmtui.core.review.document import (
    Block,
    Bullets,
    Chart,
    Document,
    Paragraph,
    Section,
    Table,
)
from rmtui.core.review.facts import AssetsOverTime, Review
from rmtui.core.review.findings import FALL_WINDOWS
from rmtui.core.review.reading import RECENT_INTERACTIONS
from rmtui.core.review.words import MONTH_FORMAT, date_text
from rmtui.core.wording import days_text

FINDING_LABELS = {"risk": "Risk", "growth": "Growth area"}


def review_document(review: Review) -> Document:
    """The review laid out as a document, ready to be written in any file format."""
    return Document(review_title(review), review_subtitle(review), tuple(review_sections(review)))


def review_title(review: Review) -> str:
    """The report's title."""
    return f"Client review: {review.profile.name}"


def review_subtitle(review: Review) -> str:
    """The line under the title: the day and who the client is."""
    profile = review.profile
    who = f"{profile.kind} · {profile.status} · tier {profile.tier}"
    return f"Prepared on {date_text(review.day)} · {who}"


def review_sections(review: Review) -> list[Section]:
    """The report's sections in order, as plain text blocks for any output format."""
    return [
        Section("Profile", (_profile_table(review),)),
        Section("Growth areas and risks", (_findings_block(review),)),
        Section("Assets and value trend", _asset_blocks(review)),
        Section("Financial goals", (_goals_block(review),)),
        Section("Revenue per quarter", (_revenue_block(review),)),
        Section("Open follow-ups", (_follow_ups_block(review),)),
        Section("Open requests and complaints", (_cases_block(review),)),
        Section("Opportunities", (_deals_block(review),)),
        Section(f"Last {RECENT_INTERACTIONS} interactions", (_interactions_block(review),)),
        Section("Satisfaction surveys", (_surveys_block(review),)),
    ]


def _profile_table(review: Review) -> Table:
    profile = review.profile
    place = ", ".join(part for part in (profile.city, profile.country) if part)
    checkin = "not planned"
    if profile.next_checkin_on is not None:
        late = " (overdue)" if profile.checkin_overdue else ""
        checkin = f"{date_text(profile.next_checkin_on)}{late}"
    rows = (
        ("Company", profile.company),
        ("E-mail", profile.email),
        ("Phone", profile.phone),
        ("City", place),
        ("Preferred channel", profile.preferred_channel),
        ("Risk profile", profile.risk_profile),
        ("Tags", ", ".join(profile.tags)),
        ("Client since", date_text(profile.client_since) if profile.client_since else None),
        ("Client until", date_text(profile.client_until) if profile.client_until else None),
        ("Check-in every", days_text(profile.checkin_every_days)),
        (
            "Last contact",
            date_text(profile.last_contact_on) if profile.last_contact_on else "never",
        ),
        ("Next check-in", checkin),
    )
    return Table(("Detail", ""), tuple((label, value) for label, value in rows if value))


def _findings_block(review: Review) -> Block:
    if not review.findings:
        return Paragraph("Nothing stands out: no risks and no open growth areas.", muted=True)
    return Bullets(tuple((FINDING_LABELS[f.kind], f.text) for f in review.findings))


def _asset_blocks(review: Review) -> tuple[Block, ...]:
    if not review.accounts:
        return (Paragraph("No holdings recorded.", muted=True),)
    changes = [_aum_change(review, months) for months in FALL_WINDOWS]
    line = f"Assets under management: {total_text(review.aum)} on {date_text(review.day)}"
    line += "".join(f"; {change}" for change in changes if change)
    rows = tuple(
        (
            account.account,
            listed_amount_text(account.value),
            date_text(account.as_of),
            sparkline([point.value for point in account.trend]),
            _change_text(account.summary),
        )
        for account in review.accounts
    )
    headers = ("Account", "Value", "As of", "12 months", "Change")
    table = Table(headers, rows, right=frozenset({1, 4}), sparks=frozenset({3}))
    chart = Chart(review.aum_trend, _chart_caption(review.aum_trend))
    return (Paragraph(line + "."), chart, table)


def _aum_change(review: AssetsOverTime, months: int) -> str | None:
    before = review.aum_months_ago(months)
    if before is None:
        return None
    percent = change_percent(before, review.aum)
    shown = f" ({percent_text(percent, signed=True)})" if percent is not None else ""
    return f"{signed_total_text(review.aum - before)}{shown} over {months} months"


def _change_text(summary: TrendSummary | None) -> str:
    if summary is None:
        return ""
    percent = summary.change_pct
    shown = f" ({percent_text(percent, signed=True)})" if percent is not None else ""
    return f"{signed_total_text(summary.change)}{shown}"


def _goals_block(review: Review) -> Block:
    if not review.goals:
        return Paragraph("No financial goals recorded.", muted=True)
    rows = tuple(
        (
            goal.title,
            percent_text(goal.status.progress_pct),
            listed_amount_text(goal.current_amount),
            listed_amount_text(goal.target_amount),
            date_text(goal.target_date) if goal.target_date else "—",
            total_text(goal.status.projected_amount),
            total_text(goal.status.needed_per_month),
            status_label(goal.status),
        )
        for goal in review.goals
    )
    headers = ("Goal", "Progress", "Now", "Target", "By", "Projected", "Per month", "Status")
    return Table(headers, rows, frozenset({1, 2, 3, 5, 6}))


def _revenue_block(review: Review) -> Block:
    rows = tuple((entry.period.label, total_text(entry.amount)) for entry in review.revenue)
    return Table(("Quarter", "Revenue"), rows, frozenset({1}))


def _follow_ups_block(review: Review) -> Block:
    if not review.follow_ups:
        return Paragraph("No open follow-ups.", muted=True)
    rows = tuple(
        (
            date_text(item.due_on) + (" (late)" if item.due_on < review.day else ""),
            item.title,
            item.priority,
        )
        for item in review.follow_ups
    )
    return Table(("Due", "What to do", "Priority"), rows)


def _cases_block(review: Review) -> Block:
    if not review.cases:
        return Paragraph("No open requests or complaints.", muted=True)
    rows = tuple(
        (
            case.kind,
            case.subject,
            date_text(case.opened_on),
            date_text(case.due_on) + (" (late)" if case.due_on < review.day else ""),
        )
        for case in review.cases
    )
    return Table(("Kind", "Subject", "Opened", "Due"), rows)


def _deals_block(review: Review) -> Block:
    if not review.opportunities:
        return Paragraph("No open deals and none closed in the last year.", muted=True)
    rows = tuple(
        (
            deal.title,
            deal.product or "",
            deal.stage,
            listed_amount_text(deal.value),
            date_text(deal.opened_on),
            date_text(deal.closed_on) if deal.closed_on else "",
        )
        for deal in review.opportunities
    )
    headers = ("Deal", "Product", "Stage", "Value", "Opened", "Closed")
    return Table(headers, rows, frozenset({3}))


def _interactions_block(review: Review) -> Block:
    if not review.interactions:
        return Paragraph("No interactions recorded.", muted=True)
    rows = tuple(
        (
            f"{row.at:%Y-%m-%d %H:%M}",
            row.kind,
            row.direction,
            row.subject,
            (row.notes or "").strip(),
        )
        for row in review.interactions
    )
    return Table(("When", "Kind", "Dir", "Subject", "Notes"), rows)


def _surveys_block(review: Review) -> Block:
    if not review.surveys:
        return Paragraph("No surveys answered.", muted=True)
    rows = tuple(
        (
            date_text(survey.on),
            f"{survey.csat}/5" if survey.csat is not None else "—",
            f"{survey.nps}/10" if survey.nps is not None else "—",
            survey.comment or "",
        )
        for survey in review.surveys
    )
    return Table(("Date", "CSAT", "NPS", "Comment"), rows)


def _chart_caption(points: Sequence[ValuePoint]) -> str:
    summary = summarize_trend(points)
    if summary is None:
        return "No values in the last 12 months."
    first, last = summary.first, summary.last
    return (
        f"{first.on:{MONTH_FORMAT}} {total_text(first.value)} → "
        f"{last.on:{MONTH_FORMAT}} {total_text(last.value)}, {_change_text(summary)}; "
        f"low {total_text(summary.low)}, high {total_text(summary.high)}"
    )
