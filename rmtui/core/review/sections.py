"""What the client review says, section by section, laid out as a document of plain blocks."""

from __future__ import annotations

from collections.abc import Sequence

from rmtui.core.charts import sparkline
from rmtui.core.choices import choice_text
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
from rmtui.core.review.words import date_text, month_text
from rmtui.core.translation import N_, _
from rmtui.core.wording import days_text

FINDING_LABELS = {"risk": N_("Risk"), "growth": N_("Growth area")}


def review_document(review: Review) -> Document:
    """The review laid out as a document, ready to be written in any file format."""
    return Document(review_title(review), review_subtitle(review), tuple(review_sections(review)))


def review_title(review: Review) -> str:
    """The report's title."""
    return _("Client review: {name}").format(name=review.profile.name)


def review_subtitle(review: Review) -> str:
    """The line under the title: the day and who the client is."""
    profile = review.profile
    tier = _("tier {tier}").format(tier=profile.tier)
    who = f"{choice_text(profile.kind)} · {choice_text(profile.status)} · {tier}"
    return _("Prepared on {day}").format(day=date_text(review.day)) + f" · {who}"


def review_sections(review: Review) -> list[Section]:
    """The report's sections in order, as plain text blocks for any output format."""
    return [
        Section(_("Profile"), (_profile_table(review),)),
        Section(_("Growth areas and risks"), (_findings_block(review),)),
        Section(_("Assets and value trend"), _asset_blocks(review)),
        Section(_("Financial goals"), (_goals_block(review),)),
        Section(_("Revenue per quarter"), (_revenue_block(review),)),
        Section(_("Open follow-ups"), (_follow_ups_block(review),)),
        Section(_("Open requests and complaints"), (_cases_block(review),)),
        Section(_("Opportunities"), (_deals_block(review),)),
        Section(
            _("Last {count} interactions").format(count=RECENT_INTERACTIONS),
            (_interactions_block(review),),
        ),
        Section(_("Satisfaction surveys"), (_surveys_block(review),)),
    ]


def _profile_table(review: Review) -> Table:
    profile = review.profile
    place = ", ".join(part for part in (profile.city, profile.country) if part)
    checkin = _("not planned")
    if profile.next_checkin_on is not None:
        late = " " + _("(overdue)") if profile.checkin_overdue else ""
        checkin = f"{date_text(profile.next_checkin_on)}{late}"
    channel = profile.preferred_channel
    rows = (
        (_("Company"), profile.company),
        (_("E-mail"), profile.email),
        (_("Phone"), profile.phone),
        (_("City"), place),
        (_("Preferred channel"), choice_text(channel) if channel else None),
        (_("Risk profile"), profile.risk_profile),
        (_("Tags"), ", ".join(profile.tags)),
        (_("Client since"), date_text(profile.client_since) if profile.client_since else None),
        (_("Client until"), date_text(profile.client_until) if profile.client_until else None),
        (_("Check-in every"), days_text(profile.checkin_every_days)),
        (
            _("Last contact"),
            date_text(profile.last_contact_on) if profile.last_contact_on else _("never"),
        ),
        (_("Next check-in"), checkin),
    )
    return Table((_("Detail"), ""), tuple((label, value) for label, value in rows if value))


def _findings_block(review: Review) -> Block:
    if not review.findings:
        return Paragraph(_("Nothing stands out: no risks and no open growth areas."), muted=True)
    return Bullets(tuple((_(FINDING_LABELS[f.kind]), f.text) for f in review.findings))


def _asset_blocks(review: Review) -> tuple[Block, ...]:
    if not review.accounts:
        return (Paragraph(_("No holdings recorded."), muted=True),)
    changes = [_aum_change(review, months) for months in FALL_WINDOWS]
    line = _("Assets under management: {amount} on {day}").format(
        amount=total_text(review.aum), day=date_text(review.day)
    )
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
    headers = (_("Account"), _("Value"), _("As of"), _("12 months"), _("Change"))
    table = Table(headers, rows, right=frozenset({1, 4}), sparks=frozenset({3}))
    chart = Chart(review.aum_trend, _chart_caption(review.aum_trend))
    return (Paragraph(line + "."), chart, table)


def _aum_change(review: AssetsOverTime, months: int) -> str | None:
    before = review.aum_months_ago(months)
    if before is None:
        return None
    percent = change_percent(before, review.aum)
    shown = f" ({percent_text(percent, signed=True)})" if percent is not None else ""
    return _("{change} over {months} months").format(
        change=f"{signed_total_text(review.aum - before)}{shown}", months=months
    )


def _change_text(summary: TrendSummary | None) -> str:
    if summary is None:
        return ""
    percent = summary.change_pct
    shown = f" ({percent_text(percent, signed=True)})" if percent is not None else ""
    return f"{signed_total_text(summary.change)}{shown}"


def _goals_block(review: Review) -> Block:
    if not review.goals:
        return Paragraph(_("No financial goals recorded."), muted=True)
    rows = tuple(
        (
            goal.title,
            percent_text(goal.status.progress_pct),
            listed_amount_text(goal.current_amount),
            listed_amount_text(goal.target_amount),
            date_text(goal.target_date) if goal.target_date else "—",
            total_text(goal.status.projected_amount),
            total_text(goal.status.needed_per_month),
            _(status_label(goal.status)),
        )
        for goal in review.goals
    )
    headers = (
        _("Goal"),
        _("Progress"),
        _("Now"),
        _("Target"),
        _("By"),
        _("Projected"),
        _("Per month"),
        _("Status"),
    )
    return Table(headers, rows, frozenset({1, 2, 3, 5, 6}))


def _revenue_block(review: Review) -> Block:
    rows = tuple((entry.period.label, total_text(entry.amount)) for entry in review.revenue)
    return Table((_("Quarter"), _("Revenue")), rows, frozenset({1}))


def _follow_ups_block(review: Review) -> Block:
    if not review.follow_ups:
        return Paragraph(_("No open follow-ups."), muted=True)
    late = " " + _("(late)")
    rows = tuple(
        (
            date_text(item.due_on) + (late if item.due_on < review.day else ""),
            item.title,
            choice_text(item.priority),
        )
        for item in review.follow_ups
    )
    return Table((_("Due"), _("What to do"), _("Priority")), rows)


def _cases_block(review: Review) -> Block:
    if not review.cases:
        return Paragraph(_("No open requests or complaints."), muted=True)
    late = " " + _("(late)")
    rows = tuple(
        (
            choice_text(case.kind),
            case.subject,
            date_text(case.opened_on),
            date_text(case.due_on) + (late if case.due_on < review.day else ""),
        )
        for case in review.cases
    )
    return Table((_("Kind"), _("Subject"), _("Opened"), _("Due")), rows)


def _deals_block(review: Review) -> Block:
    if not review.opportunities:
        return Paragraph(_("No open deals and none closed in the last year."), muted=True)
    rows = tuple(
        (
            deal.title,
            deal.product or "",
            choice_text(deal.stage),
            listed_amount_text(deal.value),
            date_text(deal.opened_on),
            date_text(deal.closed_on) if deal.closed_on else "",
        )
        for deal in review.opportunities
    )
    headers = (_("Deal"), _("Product"), _("Stage"), _("Value"), _("Opened"), _("Closed"))
    return Table(headers, rows, frozenset({3}))


def _interactions_block(review: Review) -> Block:
    if not review.interactions:
        return Paragraph(_("No interactions recorded."), muted=True)
    rows = tuple(
        (
            f"{row.at:%Y-%m-%d %H:%M}",
            choice_text(row.kind),
            choice_text(row.direction),
            row.subject,
            (row.notes or "").strip(),
        )
        for row in review.interactions
    )
    return Table((_("When"), _("Kind"), _("Dir"), _("Subject"), _("Notes")), rows)


def _surveys_block(review: Review) -> Block:
    if not review.surveys:
        return Paragraph(_("No surveys answered."), muted=True)
    rows = tuple(
        (
            date_text(survey.on),
            f"{survey.csat}/5" if survey.csat is not None else "—",
            f"{survey.nps}/10" if survey.nps is not None else "—",
            survey.comment or "",
        )
        for survey in review.surveys
    )
    return Table((_("Date"), "CSAT", "NPS", _("Comment")), rows)


def _chart_caption(points: Sequence[ValuePoint]) -> str:
    summary = summarize_trend(points)
    if summary is None:
        return _("No values in the last 12 months.")
    first, last = summary.first, summary.last
    return (
        f"{month_text(first.on)} {total_text(first.value)} → "
        f"{month_text(last.on)} {total_text(last.value)}, {_change_text(summary)}; "
        + _("low {low}, high {high}").format(
            low=total_text(summary.low), high=total_text(summary.high)
        )
    )
