"""The client detail's panels: opportunities, holdings and value trend, goals, surveys, cases.

For now each panel is a short list read with the existing queries; `PANELS` names the
container (`#panel-<key>`) each one is shown in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rich.text import Text
from sqlalchemy.orm import Session

from rmtui.models import Case, FinancialGoal, Opportunity, Survey
from rmtui.money import money_display
from rmtui.queries.cases import client_cases
from rmtui.queries.financials import (
    AccountValue,
    client_goals,
    goal_progress,
    holding_history,
    latest_holdings,
)
from rmtui.queries.opportunities import client_opportunities
from rmtui.queries.surveys import client_surveys

TREND_DAYS = 365
DATE_FORMAT = "%d %b %Y"


@dataclass(frozen=True)
class ClientPanels:
    """What the panels of one client show."""

    day: date
    opportunities: list[Opportunity]
    holdings: list[AccountValue]
    holding_year_ago: dict[str, Decimal]
    goals: list[FinancialGoal]
    surveys: list[Survey]
    cases: list[Case]


def read_panels(*, session: Session, client_id: int, day: date) -> ClientPanels:
    """Read every panel of the client on `day`."""
    return ClientPanels(
        day=day,
        opportunities=client_opportunities(session=session, client_id=client_id),
        holdings=latest_holdings(session=session, client_id=client_id, day=day),
        holding_year_ago=_values_a_year_ago(session, client_id, day),
        goals=client_goals(session=session, client_id=client_id),
        surveys=client_surveys(session=session, client_id=client_id, limit=20),
        cases=client_cases(session=session, client_id=client_id, limit=20),
    )


def _values_a_year_ago(session: Session, client_id: int, day: date) -> dict[str, Decimal]:
    """Each account's value at its latest snapshot on or before a year before `day`."""
    year_ago = day - timedelta(days=TREND_DAYS)
    holdings = latest_holdings(session=session, client_id=client_id, day=year_ago)
    if holdings:
        return {holding.account: holding.value for holding in holdings}
    # No snapshot that old: compare with each account's first snapshot within the year.
    first: dict[str, Decimal] = {}
    for snapshot in holding_history(session=session, client_id=client_id, since=year_ago):
        first.setdefault(snapshot.account, snapshot.value)
    return first


def opportunities_text(panels: ClientPanels) -> Text:
    """One line per opportunity: stage, title, product and value."""
    if not panels.opportunities:
        return Text("No opportunities yet.", style="dim")
    text = Text()
    for deal in panels.opportunities:
        closed = f" (closed {deal.closed_on:{DATE_FORMAT}})" if deal.closed_on else ""
        style = "dim" if deal.closed_on else ""
        text.append(f"{deal.stage:<12}", style="bold" if not deal.closed_on else "dim")
        text.append(f"{money_display(deal.value):>12}  ", style=style)
        product = f" — {deal.product}" if deal.product else ""
        text.append(f"{deal.title}{product}{closed}\n", style=style)
    return text


def holdings_text(panels: ClientPanels) -> Text:
    """Each account's latest value and its change over the last year, and the total."""
    if not panels.holdings:
        return Text("No holdings recorded yet.", style="dim")
    text = Text()
    total = Decimal("0.00")
    for holding in panels.holdings:
        total += holding.value
        text.append(f"{holding.account:<24.24}{money_display(holding.value):>14}")
        text.append(f"  as of {holding.as_of:{DATE_FORMAT}}", style="dim")
        text.append_text(_trend(panels.holding_year_ago.get(holding.account), holding.value))
        text.append("\n")
    text.append(f"{'Total':<24}{money_display(total):>14}", style="bold")
    return text


def _trend(before: Decimal | None, now: Decimal) -> Text:
    if before is None or before == now:
        return Text("  no change over the year" if before is not None else "", style="dim")
    change = now - before
    sign = "+" if change > 0 else "−"
    style = "green" if change > 0 else "red"
    percent = f" ({sign}{abs(change) * 100 / before:.1f}%)" if before else ""
    return Text(f"  {sign}{money_display(abs(change))}{percent} over the year", style=style)


def goals_text(panels: ClientPanels) -> Text:
    """Each financial goal with its progress and target date."""
    if not panels.goals:
        return Text("No financial goals yet.", style="dim")
    text = Text()
    for goal in panels.goals:
        progress = goal_progress(goal)
        done = f"{progress:5.1f}%" if progress is not None else "    —"
        when = f" by {goal.target_date:{DATE_FORMAT}}" if goal.target_date else ""
        text.append(f"{done}  ", style="bold")
        text.append(f"{goal.title}: {money_display(goal.current_amount)}")
        text.append(f" of {money_display(goal.target_amount)}{when}\n")
    return text


def surveys_text(panels: ClientPanels) -> Text:
    """The latest surveys: date, CSAT, NPS and comment."""
    if not panels.surveys:
        return Text("No surveys answered yet.", style="dim")
    text = Text()
    for survey in panels.surveys:
        csat = f"CSAT {survey.csat}/5" if survey.csat is not None else "CSAT —"
        nps = f"NPS {survey.nps}/10" if survey.nps is not None else "NPS —"
        text.append(f"{survey.on:{DATE_FORMAT}}  {csat:<9} {nps:<9}")
        text.append(f" {survey.comment or ''}\n", style="dim")
    return text


def cases_text(panels: ClientPanels) -> Text:
    """Requests and complaints: open ones with their deadline, resolved ones dimmed."""
    if not panels.cases:
        return Text("No requests or complaints.", style="dim")
    text = Text()
    for case in panels.cases:
        if case.resolved_on:
            text.append(f"resolved {case.resolved_on:{DATE_FORMAT}}  ", style="dim")
            text.append(f"{case.kind}: {case.subject}\n", style="dim")
            continue
        late = case.due_on < panels.day
        due = f"due {case.due_on:{DATE_FORMAT}}"
        text.append(f"{due:<21}", style="bold red" if late else "bold yellow")
        text.append(f"{case.kind}: {case.subject}\n")
    return text


# key → (tab label, text of the panel)
PANELS: dict[str, tuple[str, Callable[[ClientPanels], Text]]] = {
    "opportunities": ("Opportunities", opportunities_text),
    "holdings": ("Holdings", holdings_text),
    "goals": ("Goals", goals_text),
    "surveys": ("Surveys", surveys_text),
    "cases": ("Cases", cases_text),
}
