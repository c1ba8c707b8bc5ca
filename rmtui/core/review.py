"""The client review report for a review meeting: read once, written as Markdown or HTML."""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.goals import GoalStatus, goal_status, status_label
from rmtui.core.models import OPEN_STAGES, Case, Client, FollowUp, Opportunity, Survey
from rmtui.core.money import money_display
from rmtui.core.periods import period_containing, trend_periods
from rmtui.core.private_files import write_private_text
from rmtui.core.queries.cases import open_cases
from rmtui.core.queries.clients import client_due_state, last_contact_as_of
from rmtui.core.queries.common import fetch
from rmtui.core.queries.financials import (
    PeriodRevenue,
    client_goals,
    client_revenue,
    latest_holdings,
)
from rmtui.core.queries.follow_ups import open_follow_ups
from rmtui.core.queries.holding_trend import (
    TrendSummary,
    ValuePoint,
    account_trends,
    change_percent,
    combined_trend,
    summarize_trend,
    trend_days,
    value_months_ago,
)
from rmtui.core.queries.interactions import InteractionRow, client_timeline, start_of_day_after
from rmtui.core.queries.opportunities import client_opportunities
from rmtui.core.queries.surveys import client_surveys
from rmtui.core.wording import days_text

# What the report looks back on.
RECENT_INTERACTIONS = 10
RECENT_SURVEYS = 5
REVENUE_QUARTERS = 4
CLOSED_DEALS_MONTHS = 12
# What counts as a growth area or a risk.
HIGH_VALUE_DEAL = Decimal("25000")  # an open deal worth at least this is a growth area
FALL_ALERT_PCT = 1.0  # assets down by at least this percent over 3 or 12 months is a risk
FALL_WINDOWS = (3, 12)  # months
LONG_SILENCE_FACTOR = 2  # no contact for this many check-in cadences is a risk
DETRACTOR_NPS = 6  # a last survey with NPS at most this, or CSAT at most LOW_CSAT, is a risk
LOW_CSAT = 2
# How the report is written.
DATE_FORMAT = "%d %b %Y"
MONTH_FORMAT = "%b %Y"
FORMAT_SUFFIXES = {"markdown": ".md", "html": ".html"}
SUFFIX_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
SPARK = "▁▂▃▄▅▆▇█"
FINDING_LABELS = {"risk": "Risk", "growth": "Growth area"}


@dataclass(frozen=True)
class Profile:
    """Who the client is and where they stand with check-ins."""

    name: str
    kind: str
    status: str
    tier: str
    company: str | None
    email: str | None
    phone: str | None
    city: str | None
    country: str | None
    preferred_channel: str
    risk_profile: str | None
    tags: tuple[str, ...]
    client_since: date | None
    client_until: date | None
    checkin_every_days: int
    last_contact_on: date | None
    next_checkin_on: date | None
    checkin_overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class AccountReview:
    """One account: its latest value and its trend over the last 12 months."""

    account: str
    as_of: date
    value: Decimal
    trend: tuple[ValuePoint, ...]
    summary: TrendSummary | None


@dataclass(frozen=True)
class GoalReview:
    """One financial goal and its status."""

    title: str
    target_amount: Decimal
    target_date: date | None
    current_amount: Decimal
    status: GoalStatus


@dataclass(frozen=True)
class Finding:
    """A growth area (`kind` "growth") or a risk ("risk") worth raising in the meeting."""

    kind: str
    topic: str  # goal_off_track, goal_reached, falling_value, open_complaint, late_request,
    # overdue_checkin, no_contact, high_value_opportunity, low_satisfaction
    text: str


@dataclass(frozen=True)
class Review:
    """Everything the review report says about one client on one day."""

    day: date
    profile: Profile
    accounts: tuple[AccountReview, ...]
    aum: Decimal
    aum_trend: tuple[ValuePoint, ...]
    revenue: tuple[PeriodRevenue, ...]
    goals: tuple[GoalReview, ...]
    interactions: tuple[InteractionRow, ...]
    follow_ups: tuple[FollowUp, ...]
    cases: tuple[Case, ...]
    opportunities: tuple[Opportunity, ...]
    surveys: tuple[Survey, ...]
    findings: tuple[Finding, ...] = ()

    def aum_months_ago(self, months: int) -> Decimal | None:
        """The assets `months` months before the day (None when nothing was held then)."""
        return value_months_ago(self.aum_trend, months)


# -- reading -----------------------------------------------------------------------------------


def build_review(*, session: Session, client_id: int, day: date) -> Review:
    """Read everything the review of the client on `day` shows, growth areas and risks too."""
    client = fetch(session, Client, client_id)
    trends = account_trends(session=session, client_id=client_id, day=day)
    aum_trend = combined_trend(trends, trend_days(day))
    review = Review(
        day=day,
        profile=_profile(session, client, day),
        accounts=_accounts(session, client_id, day, trends),
        aum=aum_trend[-1].value or Decimal("0.00"),
        aum_trend=tuple(aum_trend),
        revenue=tuple(_revenue(session, client_id, day)),
        goals=_goals(session, client_id, day, aum_trend),
        interactions=tuple(_interactions(session, client_id, day)),
        follow_ups=tuple(open_follow_ups(session=session, client_id=client_id)),
        cases=tuple(open_cases(session=session, client_id=client_id)),
        opportunities=tuple(_opportunities(session, client_id, day)),
        surveys=tuple(client_surveys(session=session, client_id=client_id, limit=RECENT_SURVEYS)),
    )
    return dataclasses.replace(review, findings=tuple(growth_and_risks(review)))


def _profile(session: Session, client: Client, day: date) -> Profile:
    last_contact = client.last_contact_on
    if last_contact is not None and last_contact > day:
        assert client.id is not None
        last_contact = last_contact_as_of(session=session, client_id=client.id, day=day)
    due = client_due_state(client, day=day, last_contact_on=last_contact)
    return Profile(
        name=client.name,
        kind=client.kind,
        status=client.status,
        tier=client.tier,
        company=client.company,
        email=client.email,
        phone=client.phone,
        city=client.city,
        country=client.country,
        preferred_channel=client.preferred_channel,
        risk_profile=client.risk_profile,
        tags=tuple(client.tags or ()),
        client_since=client.client_since,
        client_until=client.client_until,
        checkin_every_days=client.checkin_every_days,
        last_contact_on=due.last_contact_on,
        next_checkin_on=due.due_on,
        checkin_overdue=due.overdue,
        days_overdue=due.days_overdue,
    )


def _accounts(
    session: Session, client_id: int, day: date, trends: dict[str, list[ValuePoint]]
) -> tuple[AccountReview, ...]:
    accounts = []
    for holding in latest_holdings(session=session, client_id=client_id, day=day):
        trend = tuple(trends.get(holding.account, ()))
        summary = summarize_trend(trend)
        accounts.append(
            AccountReview(holding.account, holding.as_of, holding.value, trend, summary)
        )
    return tuple(accounts)


def _revenue(session: Session, client_id: int, day: date) -> list[PeriodRevenue]:
    quarters = trend_periods(period_containing(day, "quarter"), "quarter", REVENUE_QUARTERS)
    return client_revenue(session=session, client_id=client_id, periods=quarters)


def _goals(
    session: Session, client_id: int, day: date, trend: Sequence[ValuePoint]
) -> tuple[GoalReview, ...]:
    return tuple(
        GoalReview(
            goal.title,
            goal.target_amount,
            goal.target_date,
            goal.current_amount,
            goal_status(goal, day=day, trend=trend),
        )
        for goal in client_goals(session=session, client_id=client_id)
    )


def _interactions(session: Session, client_id: int, day: date) -> list[InteractionRow]:
    before = (start_of_day_after(day), 0)
    return client_timeline(
        session=session, client_id=client_id, limit=RECENT_INTERACTIONS, before=before
    )


def _opportunities(session: Session, client_id: int, day: date) -> list[Opportunity]:
    """Open deals and the ones closed in the last CLOSED_DEALS_MONTHS months."""
    since = day - relativedelta(months=CLOSED_DEALS_MONTHS)
    deals = client_opportunities(session=session, client_id=client_id)
    return [deal for deal in deals if deal.closed_on is None or deal.closed_on >= since]


# -- growth areas and risks --------------------------------------------------------------------


def growth_and_risks(review: Review) -> list[Finding]:
    """What to raise in the meeting: risks first, then growth areas."""
    findings = [
        *_checkin_findings(review.profile, review.day),
        *_case_findings(review.cases, review.day),
        *_value_findings(review),
        *_goal_findings(review.goals, review.day),
        *_survey_findings(review.surveys),
        *_deal_findings(review.opportunities),
    ]
    return sorted(findings, key=lambda finding: finding.kind != "risk")


def _checkin_findings(profile: Profile, day: date) -> list[Finding]:
    findings = []
    if profile.checkin_overdue:
        late = "today" if profile.days_overdue == 0 else f"{days_text(profile.days_overdue)} ago"
        every = days_text(profile.checkin_every_days)
        text = f"Check-in overdue: it was due {late} (every {every})."
        findings.append(Finding("risk", "overdue_checkin", text))
    silence = _silence(profile, day)
    if silence is not None:
        findings.append(Finding("risk", "no_contact", silence))
    return findings


def _silence(profile: Profile, day: date) -> str | None:
    """A sentence when the client has not been contacted for a long time, else None."""
    long_days = LONG_SILENCE_FACTOR * profile.checkin_every_days
    if profile.last_contact_on is not None:
        quiet = (day - profile.last_contact_on).days
        if quiet >= long_days:
            return f"No contact for {days_text(quiet)} (since {_date(profile.last_contact_on)})."
        return None
    since = profile.client_since
    if since is not None and since <= day and (day - since).days >= profile.checkin_every_days:
        return f"Never contacted since becoming a client on {_date(since)}."
    return None


def _case_findings(cases: Sequence[Case], day: date) -> list[Finding]:
    findings = []
    for case in cases:
        late = (day - case.due_on).days
        when = f"{days_text(late)} past its deadline" if late > 0 else f"due {_date(case.due_on)}"
        if case.kind == "complaint":
            text = f"Open complaint “{case.subject}”, {when}."
            findings.append(Finding("risk", "open_complaint", text))
        elif late > 0:
            text = f"Request “{case.subject}” is {when}."
            findings.append(Finding("risk", "late_request", text))
    return findings


def _value_findings(review: Review) -> list[Finding]:
    findings = []
    now = review.aum_trend[-1].value if review.aum_trend else None
    for months in FALL_WINDOWS:
        before = review.aum_months_ago(months)
        if now is None or before is None or before <= 0:
            continue
        percent = change_percent(before, now)
        if percent is not None and percent <= -FALL_ALERT_PCT:
            text = (
                f"Assets fell by {money_display(before - now)} ({percent:.1f}%) over the last "
                f"{months} months, to {money_display(now)}."
            )
            findings.append(Finding("risk", "falling_value", text))
    return findings


def _goal_findings(goals: Sequence[GoalReview], day: date) -> list[Finding]:
    findings = []
    for goal in goals:
        label = status_label(goal.status)
        if label == "off track":
            findings.append(Finding("risk", "goal_off_track", _off_track_text(goal, day)))
        elif label == "reached":
            text = f"Goal “{goal.title}” is reached: a moment to set the next one."
            findings.append(Finding("growth", "goal_reached", text))
    return findings


def _off_track_text(goal: GoalReview, day: date) -> str:
    status = goal.status
    target = money_display(goal.target_amount)
    if goal.target_date is not None and goal.target_date <= day:
        reached = money_display(goal.current_amount)
        passed = _date(goal.target_date)
        return f"Goal “{goal.title}” passed its date {passed} at {reached} of {target}."
    projected = money_display(status.projected_amount)
    needed = money_display(status.needed_per_month)
    return (
        f"Goal “{goal.title}” is off track: the trend reaches {projected} of {target} by "
        f"{_date(goal.target_date)}; {needed} a month would close the gap."
    )


def _survey_findings(surveys: Sequence[Survey]) -> list[Finding]:
    if not surveys:
        return []
    last = surveys[0]
    low_nps = last.nps is not None and last.nps <= DETRACTOR_NPS
    low_csat = last.csat is not None and last.csat <= LOW_CSAT
    if not (low_nps or low_csat):
        return []
    text = f"Low satisfaction in the last survey ({_date(last.on)}: {_scores(last)})."
    return [Finding("risk", "low_satisfaction", text)]


def _deal_findings(deals: Sequence[Opportunity]) -> list[Finding]:
    return [
        Finding(
            "growth",
            "high_value_opportunity",
            f"Open deal “{deal.title}” worth {money_display(deal.value)} ({deal.stage}).",
        )
        for deal in deals
        if deal.stage in OPEN_STAGES and deal.value >= HIGH_VALUE_DEAL
    ]


# -- the report as a document ------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A line of text, muted for notes like "none"."""

    text: str
    muted: bool = False


@dataclass(frozen=True)
class Bullets:
    """A list of (label, text) items; the label is shown strong (e.g. "Risk")."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table of text; `right` holds the numbers of the right-aligned columns."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: frozenset[int] = frozenset()
    sparks: frozenset[int] = frozenset()  # columns holding sparklines


@dataclass(frozen=True)
class Chart:
    """A value trend drawn as bars."""

    points: tuple[ValuePoint, ...]


Block = Paragraph | Bullets | Table | Chart


@dataclass(frozen=True)
class Section:
    """A titled part of the report."""

    title: str
    blocks: tuple[Block, ...]


def review_title(review: Review) -> str:
    """The report's title."""
    return f"Client review: {review.profile.name}"


def review_subtitle(review: Review) -> str:
    """The line under the title: the day and who the client is."""
    profile = review.profile
    return (
        f"Prepared on {_date(review.day)} · {profile.kind} · {profile.status} · tier {profile.tier}"
    )


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
        checkin = f"{_date(profile.next_checkin_on)}{late}"
    rows = (
        ("Company", profile.company),
        ("E-mail", profile.email),
        ("Phone", profile.phone),
        ("City", place),
        ("Preferred channel", profile.preferred_channel),
        ("Risk profile", profile.risk_profile),
        ("Tags", ", ".join(profile.tags)),
        ("Client since", _date(profile.client_since) if profile.client_since else None),
        ("Client until", _date(profile.client_until) if profile.client_until else None),
        ("Check-in every", days_text(profile.checkin_every_days)),
        ("Last contact", _date(profile.last_contact_on) if profile.last_contact_on else "never"),
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
    line = f"Assets under management: {money_display(review.aum)} on {_date(review.day)}"
    line += "".join(f"; {change}" for change in changes if change)
    rows = tuple(
        (
            account.account,
            money_display(account.value),
            _date(account.as_of),
            sparkline([point.value for point in account.trend]),
            _change_text(account.summary),
        )
        for account in review.accounts
    )
    headers = ("Account", "Value", "As of", "12 months", "Change")
    table = Table(headers, rows, right=frozenset({1, 4}), sparks=frozenset({3}))
    return (Paragraph(line + "."), Chart(review.aum_trend), table)


def _aum_change(review: Review, months: int) -> str | None:
    before = review.aum_months_ago(months)
    if before is None:
        return None
    percent = change_percent(before, review.aum)
    shown = f" ({percent:+.1f}%)" if percent is not None else ""
    return f"{_signed(review.aum - before)}{shown} over {months} months"


def _change_text(summary: TrendSummary | None) -> str:
    if summary is None:
        return ""
    percent = f" ({summary.change_pct:+.1f}%)" if summary.change_pct is not None else ""
    return f"{_signed(summary.change)}{percent}"


def _goals_block(review: Review) -> Block:
    if not review.goals:
        return Paragraph("No financial goals recorded.", muted=True)
    rows = tuple(
        (
            goal.title,
            _percent(goal.status.progress_pct),
            money_display(goal.current_amount),
            money_display(goal.target_amount),
            _date(goal.target_date) if goal.target_date else "—",
            money_display(goal.status.projected_amount),
            money_display(goal.status.needed_per_month),
            status_label(goal.status),
        )
        for goal in review.goals
    )
    headers = ("Goal", "Progress", "Now", "Target", "By", "Projected", "Per month", "Status")
    return Table(headers, rows, frozenset({1, 2, 3, 5, 6}))


def _revenue_block(review: Review) -> Block:
    rows = tuple((entry.period.label, money_display(entry.amount)) for entry in review.revenue)
    return Table(("Quarter", "Revenue"), rows, frozenset({1}))


def _follow_ups_block(review: Review) -> Block:
    if not review.follow_ups:
        return Paragraph("No open follow-ups.", muted=True)
    rows = tuple(
        (
            _date(item.due_on) + (" (late)" if item.due_on < review.day else ""),
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
            _date(case.opened_on),
            _date(case.due_on) + (" (late)" if case.due_on < review.day else ""),
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
            money_display(deal.value),
            _date(deal.opened_on),
            _date(deal.closed_on) if deal.closed_on else "",
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
            _first_line(row.notes),
        )
        for row in review.interactions
    )
    return Table(("When", "Kind", "Dir", "Subject", "Notes"), rows)


def _surveys_block(review: Review) -> Block:
    if not review.surveys:
        return Paragraph("No surveys answered.", muted=True)
    rows = tuple(
        (
            _date(survey.on),
            f"{survey.csat}/5" if survey.csat is not None else "—",
            f"{survey.nps}/10" if survey.nps is not None else "—",
            survey.comment or "",
        )
        for survey in review.surveys
    )
    return Table(("Date", "CSAT", "NPS", "Comment"), rows)


# -- Markdown ----------------------------------------------------------------------------------

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>&|~#])")


def markdown_escaped(text: str) -> str:
    """`text` with Markdown's special characters escaped and line breaks as spaces."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def review_markdown(review: Review) -> str:
    """The review as a Markdown document."""
    lines = [
        f"# {markdown_escaped(review_title(review))}",
        "",
        f"_{markdown_escaped(review_subtitle(review))}_",
    ]
    for section in review_sections(review):
        lines += ["", f"## {markdown_escaped(section.title)}"]
        for block in section.blocks:
            lines += ["", *_markdown_block(block)]
    return "\n".join(lines) + "\n"


def _markdown_block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        text = markdown_escaped(block.text)
        return [f"_{text}_" if block.muted else text]
    if isinstance(block, Bullets):
        return [
            f"- **{markdown_escaped(label)}:** {markdown_escaped(text)}"
            for label, text in block.items
        ]
    if isinstance(block, Chart):
        return [f"`{sparkline([p.value for p in block.points])}` {_chart_caption(block)}"]
    return _markdown_table(block)


def _markdown_table(table: Table) -> list[str]:
    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(markdown_escaped(cell) for cell in cells) + " |"

    rule = [("---:" if index in table.right else "---") for index in range(len(table.headers))]
    return [row(table.headers), "| " + " | ".join(rule) + " |", *map(row, table.rows)]


# -- HTML --------------------------------------------------------------------------------------

HTML_STYLE = """
body { font-family: system-ui, sans-serif; color: #1f2933; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; }
h2 { border-bottom: 1px solid #d2d6dc; padding-bottom: 0.2rem; margin-top: 2rem; }
.muted { color: #6b7280; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.25rem 0.6rem; border-bottom: 1px solid #e5e7eb; }
th { background: #f3f4f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.risk { color: #b91c1c; }
.growth { color: #047857; }
.chart { display: flex; align-items: flex-end; gap: 3px; height: 6rem; margin: 0.5rem 0; }
.chart span { flex: 1; background: #3b82f6; min-height: 2px; }
.chart span.none { background: #e5e7eb; }
.spark { font-family: monospace; letter-spacing: 1px; }
"""


def review_html(review: Review) -> str:
    """The review as one self-contained HTML page (inline CSS, every text escaped)."""
    title = html.escape(review_title(review))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        f"<style>{HTML_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
        f'<p class="muted">{html.escape(review_subtitle(review))}</p>',
    ]
    for section in review_sections(review):
        parts += ["<section>", f"<h2>{html.escape(section.title)}</h2>"]
        parts += [_html_block(block) for block in section.blocks]
        parts.append("</section>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        muted = ' class="muted"' if block.muted else ""
        return f"<p{muted}>{html.escape(block.text)}</p>"
    if isinstance(block, Bullets):
        items = "".join(
            f'<li><strong class="{_finding_class(label)}">{html.escape(label)}:</strong> '
            f"{html.escape(text)}</li>"
            for label, text in block.items
        )
        return f"<ul>{items}</ul>"
    if isinstance(block, Chart):
        return _html_chart(block)
    return _html_table(block)


def _finding_class(label: str) -> str:
    return next((kind for kind, name in FINDING_LABELS.items() if name == label), "")


def _html_table(table: Table) -> str:
    def cells(tag: str, values: Sequence[str]) -> str:
        return "".join(
            f"<{tag}{_cell_class(table, index)}>{html.escape(value)}</{tag}>"
            for index, value in enumerate(values)
        )

    head = f"<thead><tr>{cells('th', table.headers)}</tr></thead>" if any(table.headers) else ""
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in table.rows)
    return f"<table>{head}<tbody>{body}</tbody></table>"


def _cell_class(table: Table, index: int) -> str:
    if index in table.right:
        return ' class="num"'
    if index in table.sparks:
        return ' class="spark"'
    return ""


def _html_chart(chart: Chart) -> str:
    known = [point.value for point in chart.points if point.value is not None]
    if not known:
        return '<p class="muted">No values in the last 12 months.</p>'
    low, high = min(known), max(known)
    bars = []
    for point in chart.points:
        tip = html.escape(f"{point.on:{MONTH_FORMAT}}: {money_display(point.value)}")
        if point.value is None:
            bars.append(f'<span class="none" title="{tip}"></span>')
            continue
        share = 1 if high == low else (point.value - low) / (high - low)
        height = 10 + int(90 * share)
        bars.append(f'<span style="height: {height}%" title="{tip}"></span>')
    caption = html.escape(_chart_caption(chart))
    return f'<div class="chart">{"".join(bars)}</div><p class="muted">{caption}</p>'


# -- writing the file --------------------------------------------------------------------------


def review_format(path: Path) -> str:
    """The format of a review file by its ending ("markdown" or "html"); BookError for others."""
    found = SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise BookError(f"{path} does not end in .md or .html; give one of those endings.")
    return found


RENDERERS: dict[str, Callable[[Review], str]] = {
    "markdown": review_markdown,
    "html": review_html,
}


def write_review(path: Path | str, *, engine: Engine, client_id: int, day: date) -> Path:
    """Write the review of the client on `day` to `path` (Markdown for .md, HTML for .html),
    readable by the user alone; returns the full path written."""
    target = Path(path).expanduser().absolute()
    render = RENDERERS[review_format(target)]
    with session_scope(engine) as session:
        review = build_review(session=session, client_id=client_id, day=day)
    write_private_text(target, render(review))
    return target


def review_file_name(client_name: str, day: date, *, file_format: str = "markdown") -> str:
    """A file name for a client's review: rmtui-review-<name-slug>-<date>.md (or .html)."""
    return f"rmtui-review-{name_slug(client_name)}-{day.isoformat()}{FORMAT_SUFFIXES[file_format]}"


def name_slug(name: str) -> str:
    """A name as lower-case ASCII words joined by hyphens ("client" when nothing is left)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "client"


# -- small words -------------------------------------------------------------------------------


def sparkline(values: Sequence[Decimal | None]) -> str:
    """Values as a line of block characters, lowest to highest (· where there is none)."""
    known = [value for value in values if value is not None]
    if not known:
        return "·" * len(values)
    low, high = min(known), max(known)
    top = len(SPARK) - 1
    line = []
    for value in values:
        if value is None:
            line.append("·")
        elif high == low:
            line.append(SPARK[top // 2])
        else:
            line.append(SPARK[round((value - low) / (high - low) * top)])
    return "".join(line)


def _chart_caption(chart: Chart) -> str:
    summary = summarize_trend(chart.points)
    if summary is None:
        return "No values in the last 12 months."
    first, last = summary.first, summary.last
    return (
        f"{first.on:{MONTH_FORMAT}} {money_display(first.value)} → "
        f"{last.on:{MONTH_FORMAT}} {money_display(last.value)}, {_change_text(summary)}; "
        f"low {money_display(summary.low)}, high {money_display(summary.high)}"
    )


def _signed(amount: Decimal) -> str:
    return f"+{money_display(amount)}" if amount > 0 else money_display(amount)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _scores(survey: Survey) -> str:
    scores = []
    if survey.csat is not None:
        scores.append(f"CSAT {survey.csat}/5")
    if survey.nps is not None:
        scores.append(f"NPS {survey.nps}/10")
    return ", ".join(scores)


def _first_line(text: str | None) -> str:
    lines = (text or "").strip().splitlines()
    return lines[0][:80] if lines else ""


def _date(day: date | None) -> str:
    return f"{day:{DATE_FORMAT}}" if day else "—"
