"""The client detail's panels: opportunities, holdings and revenue, goals, surveys, cases,
the people at a business, and the client's household and referrals.

What they show is read by `rmtui.core.queries.client_detail.read_panels`; `compose_panels`
lays them out as tabs `#panel-<key>`; each `PanelTable` turns what was read
into the rows of one of their tables, keyed by the id of the record a row shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static, TabbedContent, TabPane

from rmtui.core.case_clocks import days_left_text
from rmtui.core.charts import sparkline
from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text
from rmtui.core.figures import (
    amount_within,
    percent_text,
    signed_total_text,
    total_text,
    whole_percent_text,
)
from rmtui.core.goals import TREND_MIN_MONTHS, GoalStatus, status_label
from rmtui.core.models import Case, ContactPerson, FinancialGoal, Opportunity
from rmtui.core.queries.client_detail import AccountLine, ClientPanels
from rmtui.core.queries.holding_trend import TREND_MONTHS, change_percent, value_months_ago
from rmtui.core.queries.opportunities import CLOSED_STAGES
from rmtui.core.translation import N_, _, ngettext
from rmtui.core.wording import days_text, records_text
from rmtui.widgets.value_trend import ValueTrend
from rmtui.widgets.virtual_table import TableColumn, TableRow, VirtualTable

PROGRESS_CELLS = 10
MONEY_WIDTH = 12  # the columns of amounts that can run into millions
AMOUNT_WIDTH = 11  # the columns of revenue and of what a goal needs a month
PARTIAL_BLOCKS = " ▏▎▍▌▋▊▉"  # a cell filled by 0 to 7 eighths
STAGE_STYLES = {"won": "bold green", "lost": "red"}
STATUS_STYLES = {"on track": "bold green", "reached": "bold green", "off track": "bold red"}

# key → tab label; each panel is the TabPane `#panel-<key>`.
PANELS: dict[str, str] = {
    "opportunities": N_("Opportunities"),
    "holdings": N_("Holdings"),
    "goals": N_("Goals"),
    "surveys": N_("Surveys"),
    "cases": N_("Cases"),
    "people": N_("People"),
    "relations": N_("Household"),
}


# -- layout ------------------------------------------------------------------------------------


def compose_panels() -> ComposeResult:
    """The tabs of the panels with their tables, trend and summary lines."""
    with TabbedContent(id="panels"):
        with TabPane(_(PANELS["opportunities"]), id="panel-opportunities"):
            yield DEALS.table()
            yield Static(_(DEALS_HINT), id="deals-hint", classes="panel-hint")
        with TabPane(_(PANELS["holdings"]), id="panel-holdings"):
            with Horizontal(id="holdings-top", classes="panel-row"):
                with Vertical(id="accounts-box"):
                    yield ACCOUNTS.table()
                    yield Static("", id="aum-line")
                yield ValueTrend(_("AUM"), id="aum-trend")
            with Horizontal(id="holdings-bottom", classes="panel-row"):
                yield Static("", id="revenue-periods")
                yield REVENUE.table()
        with TabPane(_(PANELS["goals"]), id="panel-goals"):
            yield GOALS.table()
            yield Static("", id="goal-detail", classes="panel-hint")
        with TabPane(_(PANELS["surveys"]), id="panel-surveys"):
            yield SURVEYS.table()
        with TabPane(_(PANELS["cases"]), id="panel-cases"):
            yield CASES.table()
            yield Static(_(CASES_HINT), id="cases-hint", classes="panel-hint")
        with TabPane(_(PANELS["people"]), id="panel-people"):
            yield PEOPLE.table()
            yield Static(_(PEOPLE_HINT), id="people-hint", classes="panel-hint")
        with TabPane(_(PANELS["relations"]), id="panel-relations"):
            yield Static("", id="household-line")
            yield REFERRALS.table()
            yield Static(_(RELATIONS_HINT), id="relations-hint", classes="panel-hint")


# -- the tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelTable:
    """A table of one panel: which records it lists (`kind`) and how."""

    id: str
    panel: str
    kind: str  # deal, holding, revenue, goal, survey or case
    columns: tuple[TableColumn, ...]
    empty_text: str
    rows: Callable[[ClientPanels], list[TableRow]]

    def table(self) -> VirtualTable:
        """A new, empty table widget for this table."""
        return VirtualTable(self.columns, empty_text=self.empty_text, id=self.id)


def deal_rows(panels: ClientPanels) -> list[TableRow]:
    """One row per deal: stage, title and product, value, opened, and how it stands."""
    return [TableRow(deal.id or 0, deal_cells(deal, panels.day)) for deal in panels.opportunities]


def deal_cells(deal: Opportunity, day: date) -> tuple[Text | str, ...]:
    """The cells of one deal; closed deals are dimmed."""
    closed = deal.stage in CLOSED_STAGES
    style = "dim" if closed else ""
    title = Text(deal.title, style=style)
    if deal.product:
        title.append(f" — {deal.product}", style="dim")
    return (
        Text(choice_text(deal.stage), style=STAGE_STYLES.get(deal.stage, "bold")),
        title,
        Text(amount_within(deal.value, MONEY_WIDTH), style=style),
        Text(date_text(deal.opened_on), style="dim"),
        deal_state(deal, day),
    )


def deal_state(deal: Opportunity, day: date) -> Text:
    """How long an open deal has been open, or when (and why) a closed one closed."""
    if deal.closed_on is None:
        days = (day - deal.opened_on).days
        return Text(_("open {days}").format(days=days_text(days)), style="dim")
    text = Text(f"{choice_text(deal.stage)} {date_text(deal.closed_on)}", style="dim")
    if deal.lost_reason:
        text.append(f": {deal.lost_reason}", style="dim")
    return text


def account_rows(panels: ClientPanels) -> list[TableRow]:
    """One row per account: latest value, as of, change over the year and monthly bars."""
    return [TableRow(line.holding_id, account_cells(line)) for line in panels.accounts]


def account_cells(line: AccountLine) -> tuple[Text | str, ...]:
    """The cells of one account."""
    return (
        line.account,
        amount_within(line.value, MONEY_WIDTH),
        Text(date_text(line.as_of), style="dim"),
        change_text(line.year_ago, line.value, percent_only=True),
        Text(sparkline([point.value for point in line.trend]), style="cyan"),
    )


def change_text(before: Decimal | None, now: Decimal, *, percent_only: bool = False) -> Text:
    """The change from `before` to `now` (a total and its percentage, or the percentage
    alone), green up and red down ("new" when there was none)."""
    if before is None:
        return Text(_("new"), style="dim")
    change = now - before
    if not change:
        return Text(percent_text(0) if percent_only else _("no change"), style="dim")
    style = "green" if change > 0 else "red"
    percent = change_percent(before, now)
    shown = percent_text(percent, signed=True) if percent is not None else ""
    if percent_only:
        return Text(shown or signed_total_text(change), style=style)
    total = signed_total_text(change)
    return Text(f"{total} ({shown})" if shown else total, style=style)


def aum_text(panels: ClientPanels) -> Text:
    """The assets today and their change over the last TREND_MONTHS months."""
    if not panels.accounts:
        return Text("")
    text = Text(_("AUM") + " ", style="bold")
    text.append(total_text(panels.aum), style="bold")
    year_ago = value_months_ago(panels.aum_trend, TREND_MONTHS)
    if year_ago is None:
        nothing = _("nothing held {months} months ago").format(months=TREND_MONTHS)
        text.append(f"  ·  {nothing}", style="dim")
        return text
    text.append("  ·  ")
    text.append_text(change_text(year_ago, panels.aum))
    text.append(" " + _("over {months} months").format(months=TREND_MONTHS), style="dim")
    return text


def revenue_rows(panels: ClientPanels) -> list[TableRow]:
    """One row per revenue entry: day, kind, amount, description."""
    return [
        TableRow(
            entry.id or 0,
            (
                date_text(entry.on),
                Text(choice_text(entry.kind), style="dim"),
                Text(
                    amount_within(entry.amount, AMOUNT_WIDTH),
                    style="red" if entry.amount < 0 else "",
                ),
                entry.description or "",
            ),
        )
        for entry in panels.revenue_entries
    ]


def revenue_table(panels: ClientPanels) -> Table:
    """Revenue per quarter and in the year to date."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_row(Text(_("Revenue"), style="bold"), "")
    for number, period in enumerate(panels.revenue):
        year_to_date = number == len(panels.revenue) - 1
        label = (
            _("{year} to date").format(year=period.period.start.year)
            if year_to_date
            else period.period.label
        )
        style = "bold" if year_to_date else ""
        amount = Text(total_text(period.amount), style="dim" if not period.amount else style)
        table.add_row(Text(label, style=style), amount)
    return table


def goal_rows(panels: ClientPanels) -> list[TableRow]:
    """One row per goal: target, reached, progress bar, date, status, needed per month."""
    return [TableRow(goal.id or 0, goal_cells(goal, status)) for goal, status in panels.goals]


def goal_cells(goal: FinancialGoal, status: GoalStatus) -> tuple[Text | str, ...]:
    """The cells of one goal."""
    when = date_text(goal.target_date) if goal.target_date else "—"
    return (
        goal.title,
        amount_within(goal.target_amount, MONEY_WIDTH),
        amount_within(goal.current_amount, MONEY_WIDTH),
        progress_bar(status.progress_pct),
        Text(when, style="" if goal.target_date else "dim"),
        goal_status_text(status),
        Text(
            amount_within(status.needed_per_month, AMOUNT_WIDTH, total=True),
            style="dim" if not status.needed_per_month else "",
        ),
    )


def progress_bar(percent: float | None) -> Text:
    """A bar of PROGRESS_CELLS cells filled to `percent`, and the percentage."""
    if percent is None:
        return Text("—", style="dim")
    eighths = round(min(max(percent, 0.0), 100.0) / 100 * PROGRESS_CELLS * 8)
    full, part = divmod(eighths, 8)
    done = "█" * full + (PARTIAL_BLOCKS[part] if part else "")
    bar = Text(done, style="green" if percent >= 100 else "cyan")
    bar.append("░" * (PROGRESS_CELLS - len(done)), style="dim")
    bar.append(f" {whole_percent_text(percent):>4}")
    return bar


def goal_status_text(status: GoalStatus) -> Text:
    """The goal's status: on track green, off track red, unknown dim."""
    label = status_label(status)
    return Text(_(label), style=STATUS_STYLES.get(label, "dim"))


def goal_detail(goal: FinancialGoal, status: GoalStatus, day: date) -> Text:
    """The line under the goals about the highlighted goal: where the trend takes it."""
    text = Text(f"{goal.title}: ", style="bold")
    if status.on_track is None:
        why = (
            _("no target date, so no projection")
            if goal.target_date is None
            else _("under {months} months of holdings, too little history to project").format(
                months=TREND_MIN_MONTHS
            )
        )
        text.append(why, style="dim")
    elif status.progress_pct is not None and status.progress_pct >= 100:
        text.append(_("reached."), style="green")
    elif goal.target_date is not None and goal.target_date <= day:
        passed = _("its date passed on {day}, not reached.")
        text.append(passed.format(day=date_text(goal.target_date)))
    else:
        projected = total_text(status.projected_amount)
        if goal.target_date:
            text.append(
                _("projected {amount} by {day}").format(
                    amount=projected, day=date_text(goal.target_date)
                )
            )
        else:
            text.append(_("projected {amount}").format(amount=projected))
        if status.growth_pct_per_month is not None:
            growth = percent_text(status.growth_pct_per_month, signed=True)
            text.append(" " + _("at {growth} a month").format(growth=growth), style="dim")
    if status.needed_per_month and status.months_left:
        needed = ngettext(
            "{amount} a month needed over {count} month",
            "{amount} a month needed over {count} months",
            status.months_left,
        ).format(amount=total_text(status.needed_per_month), count=status.months_left)
        text.append(f"  ·  {needed}")
    return text


def survey_rows(panels: ClientPanels) -> list[TableRow]:
    """One row per survey answer: day, CSAT, NPS and comment."""
    return [
        TableRow(
            survey.id or 0,
            (
                date_text(survey.on),
                score_text(survey.csat, 5, good=4, poor=2),
                score_text(survey.nps, 10, good=9, poor=6),
                " ".join((survey.comment or "").split()),
            ),
        )
        for survey in panels.surveys
    ]


def score_text(score: int | None, top: int, *, good: int, poor: int) -> Text:
    """A score out of `top`: green from `good` up, red at `poor` or below."""
    if score is None:
        return Text("—", style="dim")
    style = "green" if score >= good else "red" if score <= poor else "yellow"
    return Text(f"{score}/{top}", style=style)


def case_rows(panels: ClientPanels) -> list[TableRow]:
    """One row per case: deadline, how it stands, kind, subject, resolution."""
    return [
        TableRow(
            case.id or 0, case_cells(case, panels.day, panels.case_days_left.get(case.id or 0))
        )
        for case in panels.cases
    ]


def case_cells(case: Case, day: date, left: int | None = None) -> tuple[Text | str, ...]:
    """The cells of one case; resolved ones are dimmed."""
    resolved = case.resolved_on is not None
    style = "dim" if resolved else ""
    return (
        Text(date_text(case.due_on), style=style or "bold"),
        case_state(case, day, left),
        Text(
            choice_text(case.kind),
            style="bold red" if case.kind == "complaint" and not resolved else style,
        ),
        Text(case.subject, style=style),
        Text(" ".join((case.resolution or "").split()), style="dim"),
    )


def case_state(case: Case, day: date, left: int | None = None) -> Text:
    """Days left to an open case's deadline (`left`: business days for a business-day clock;
    red once overdue), or when it was resolved."""
    if case.resolved_on is not None:
        late = case.resolved_on > case.due_on
        resolved = _("resolved {day}").format(day=date_text(case.resolved_on))
        return Text(resolved, style="red" if late else "dim")
    if left is None:
        left = (case.due_on - day).days
    text = days_left_text(left, business=case.business_days)
    if left < 0:
        return Text(text, style="bold red")
    if left == 0:
        return Text(text, style="bold yellow")
    return Text(text, style="yellow" if left <= 2 else "")


def people_rows(panels: ClientPanels) -> list[TableRow]:
    """One row per contact person: name, role, decision maker, e-mail, phone."""
    return [TableRow(person.id or 0, person_cells(person)) for person in panels.contact_persons]


def person_cells(person: ContactPerson) -> tuple[Text | str, ...]:
    """The cells of one contact person; decision makers stand out."""
    return (
        Text(person.name, style="bold" if person.decision_maker else ""),
        person.role or "",
        Text(_("decides"), style="bold green") if person.decision_maker else Text(""),
        person.email or "",
        person.phone or "",
    )


def referral_rows(panels: ClientPanels) -> list[TableRow]:
    """One row per client this one referred: name, status, client since, revenue brought."""
    return [
        TableRow(
            referral.client_id,
            (
                referral.name,
                Text(choice_text(referral.status), style="dim"),
                date_text(referral.client_since) if referral.client_since else "",
                amount_within(referral.revenue, MONEY_WIDTH, total=True),
            ),
        )
        for referral in panels.referrals
    ]


def relations_text(panels: ClientPanels, referred_by: str | None) -> Text:
    """The client's household, who referred them and what their own referrals brought."""
    place = panels.household
    text = Text()
    if place is None:
        text.append(_("In no household"), style="dim")
        text.append(" " + _("— H starts one with this client."))
    else:
        text.append(place.name, style="bold")
        text.append(f" ({choice_text(place.role)}): ")
        members = (f"{m.name} ({choice_text(m.role)})" for m in place.members)
        text.append(", ".join(members), style="dim")
    text.append("\n" + _("Referred by") + " ")
    text.append(referred_by or _("nobody recorded"), style="bold" if referred_by else "dim")
    if panels.referrals:
        brought = sum((referral.revenue for referral in panels.referrals), Decimal("0.00"))
        referred = _("referred {clients}").format(
            clients=records_text("clients", len(panels.referrals))
        )
        text.append(f" · {referred}")
        text.append(", " + _("who brought {amount} in revenue").format(amount=total_text(brought)))
    return text


DEALS = PanelTable(
    "deals",
    "opportunities",
    "deal",
    (
        TableColumn("stage", N_("Stage"), 11),
        TableColumn("title", N_("Deal"), min_width=16),
        TableColumn("value", N_("Value"), MONEY_WIDTH, align="right"),
        TableColumn("opened_on", N_("Opened"), 11, drop=2),
        TableColumn("state", N_("Open / closed"), 34, drop=1),
    ),
    N_("No deals yet — press a to add one."),
    deal_rows,
)
ACCOUNTS = PanelTable(
    "accounts",
    "holdings",
    "holding",
    (
        TableColumn("account", N_("Account"), min_width=12),
        TableColumn("value", N_("Value"), MONEY_WIDTH, align="right"),
        TableColumn("as_of", N_("As of"), 11, drop=2),
        TableColumn("change", N_("12 mo"), 7, align="right"),
        TableColumn("trend", N_("Trend"), 13, drop=1),
    ),
    N_("No holdings recorded yet — press a to record an account's value."),
    account_rows,
)
REVENUE = PanelTable(
    "revenue",
    "holdings",
    "revenue",
    (
        TableColumn("on", N_("Earned"), 11),
        TableColumn("kind", N_("Kind"), 10),
        TableColumn("amount", N_("Amount"), AMOUNT_WIDTH, align="right"),
        TableColumn("description", N_("Description")),
    ),
    N_("No revenue recorded yet."),
    revenue_rows,
)
GOALS = PanelTable(
    "goals",
    "goals",
    "goal",
    (
        TableColumn("title", N_("Goal"), min_width=14),
        TableColumn("target", N_("Target"), MONEY_WIDTH, align="right"),
        TableColumn("current", N_("Reached"), MONEY_WIDTH, align="right", drop=3),
        TableColumn("progress", N_("Progress"), 16),
        TableColumn("target_date", N_("By"), 11, drop=2),
        TableColumn("status", N_("Status"), 18, drop=4),
        TableColumn("needed", N_("Per month"), AMOUNT_WIDTH, align="right", drop=1),
    ),
    N_("No financial goals yet — press a to add one."),
    goal_rows,
)
SURVEYS = PanelTable(
    "surveys",
    "surveys",
    "survey",
    (
        TableColumn("on", N_("Answered"), 11),
        TableColumn("csat", N_("CSAT"), 5),
        TableColumn("nps", N_("NPS"), 5),
        TableColumn("comment", N_("Comment")),
    ),
    N_("No surveys answered yet — press a to record one."),
    survey_rows,
)
CASES = PanelTable(
    "cases",
    "cases",
    "case",
    (
        TableColumn("due_on", N_("Deadline"), 11),
        TableColumn("state", N_("Status"), 20),
        TableColumn("kind", N_("Kind"), 9, drop=2),
        TableColumn("subject", N_("Subject"), min_width=16),
        TableColumn("resolution", N_("Resolution"), min_width=16, drop=1),
    ),
    N_("No requests or complaints — press c to open one."),
    case_rows,
)
PEOPLE = PanelTable(
    "people",
    "people",
    "contact_person",
    (
        TableColumn("name", N_("Name")),
        TableColumn("role", N_("Role"), 14),
        TableColumn("decides", "", 7),
        TableColumn("email", N_("E-mail"), 22),
        TableColumn("phone", N_("Phone"), 15),
    ),
    N_("No contact persons — press a to add the people you deal with here."),
    people_rows,
)
REFERRALS = PanelTable(
    "referrals",
    "relations",
    "referral",
    (
        TableColumn("name", N_("Referred")),
        TableColumn("status", N_("Status"), 9),
        TableColumn("since", N_("Client since"), 12),
        TableColumn("revenue", N_("Revenue"), MONEY_WIDTH, align="right"),
    ),
    N_("Nobody referred by this client yet."),
    referral_rows,
)
PANEL_TABLES: dict[str, PanelTable] = {
    table.id: table
    for table in (DEALS, ACCOUNTS, REVENUE, GOALS, SURVEYS, CASES, PEOPLE, REFERRALS)
}
# The table `a`, `e` and `x` act on in each panel when none of its tables has the focus.
MAIN_TABLES: dict[str, PanelTable] = {
    "opportunities": DEALS,
    "holdings": ACCOUNTS,
    "goals": GOALS,
    "surveys": SURVEYS,
    "cases": CASES,
    "people": PEOPLE,
    "relations": REFERRALS,
}
DEALS_HINT = N_("a add · enter edit · > moves a deal on · < back · x marks it lost")
CASES_HINT = N_(
    "c or a opens a case · enter edits · d resolves · open cases show on Today by deadline"
)
PEOPLE_HINT = N_("a add · enter edit · x delete · the log form asks whom a contact was with")
RELATIONS_HINT = N_("H household · enter opens the client referred")
