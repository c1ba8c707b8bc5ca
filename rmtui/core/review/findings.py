"""Growth areas and risks: what a client's review should raise in the meeting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from rmtui.core.choices import choice_text
from rmtui.core.figures import listed_amount_text, percent_text, total_text
from rmtui.core.goals import status_label
from rmtui.core.models import OPEN_STAGES, Case, Opportunity, Survey
from rmtui.core.queries.holding_trend import change_percent
from rmtui.core.review.facts import Finding, GoalReview, Profile, Review
from rmtui.core.review.words import date_text
from rmtui.core.rules import DETRACTOR_NPS
from rmtui.core.translation import _, ngettext
from rmtui.core.wording import days_text

# What counts as a growth area or a risk.
HIGH_VALUE_DEAL = Decimal("25000")  # an open deal worth at least this is a growth area
FALL_ALERT_PCT = 1.0  # assets down by at least this percent over 3 or 12 months is a risk
FALL_WINDOWS = (3, 12)  # months
LONG_SILENCE_FACTOR = 2  # no contact for this many check-in cadences is a risk
LOW_CSAT = 2  # a last survey with CSAT at most this, or a detractor's NPS, is a risk


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
        overdue = profile.days_overdue
        late = (
            _("today")
            if overdue == 0
            else ngettext("{count} day ago", "{count} days ago", overdue).format(count=overdue)
        )
        text = _("Check-in overdue: it was due {when} (every {days}).").format(
            when=late, days=days_text(profile.checkin_every_days)
        )
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
            return _("No contact for {days} (since {day}).").format(
                days=days_text(quiet), day=date_text(profile.last_contact_on)
            )
        return None
    since = profile.client_since
    if since is not None and since <= day and (day - since).days >= profile.checkin_every_days:
        return _("Never contacted since becoming a client on {day}.").format(day=date_text(since))
    return None


def _case_findings(cases: Sequence[Case], day: date) -> list[Finding]:
    findings = []
    for case in cases:
        late = (day - case.due_on).days
        when = (
            _("{days} past its deadline").format(days=days_text(late))
            if late > 0
            else _("due {day}").format(day=date_text(case.due_on))
        )
        if case.kind == "complaint":
            text = _("Open complaint “{subject}”, {when}.").format(subject=case.subject, when=when)
            findings.append(Finding("risk", "open_complaint", text))
        elif late > 0:
            text = _("Request “{subject}” is {when}.").format(subject=case.subject, when=when)
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
            text = _(
                "Assets fell by {amount} ({percent}) over the last {months} months, to {now}."
            ).format(
                amount=total_text(before - now),
                percent=percent_text(percent),
                months=months,
                now=total_text(now),
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
            text = _("Goal “{title}” is reached: a moment to set the next one.").format(
                title=goal.title
            )
            findings.append(Finding("growth", "goal_reached", text))
    return findings


def _off_track_text(goal: GoalReview, day: date) -> str:
    status = goal.status
    target = listed_amount_text(goal.target_amount)
    if goal.target_date is not None and goal.target_date <= day:
        reached = listed_amount_text(goal.current_amount)
        passed = date_text(goal.target_date)
        return _("Goal “{title}” passed its date, {day}, with {reached} of {target}.").format(
            title=goal.title, day=passed, reached=reached, target=target
        )
    projected = total_text(status.projected_amount)
    needed = total_text(status.needed_per_month)
    return _(
        "Goal “{title}” is off track: the trend reaches {projected} of {target} by "
        "{day}; {needed} a month would close the gap."
    ).format(
        title=goal.title,
        projected=projected,
        target=target,
        day=date_text(goal.target_date),
        needed=needed,
    )


def _survey_findings(surveys: Sequence[Survey]) -> list[Finding]:
    if not surveys:
        return []
    last = surveys[0]
    low_nps = last.nps is not None and last.nps <= DETRACTOR_NPS
    low_csat = last.csat is not None and last.csat <= LOW_CSAT
    if not (low_nps or low_csat):
        return []
    text = _("Low satisfaction in the last survey ({day}: {scores}).").format(
        day=date_text(last.on), scores=_scores(last)
    )
    return [Finding("risk", "low_satisfaction", text)]


def _deal_findings(deals: Sequence[Opportunity]) -> list[Finding]:
    return [
        Finding(
            "growth",
            "high_value_opportunity",
            _("Open deal “{title}” worth {amount} ({stage}).").format(
                title=deal.title,
                amount=listed_amount_text(deal.value),
                stage=choice_text(deal.stage),
            ),
        )
        for deal in deals
        if deal.stage in OPEN_STAGES and deal.value >= HIGH_VALUE_DEAL
    ]


def _scores(survey: Survey) -> str:
    scores = []
    if survey.csat is not None:
        scores.append(f"CSAT {survey.csat}/5")
    if survey.nps is not None:
        scores.append(f"NPS {survey.nps}/10")
    return ", ".join(scores)
