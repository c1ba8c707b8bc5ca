"""Why a Today item stands where it does: its urgency and each term it is made of (what, the
value, the coefficient, the points), as taskwarrior's `task info` shows a task's urgency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from rmtui.core.figures import count_text, factor_text, urgency_text
from rmtui.core.translation import N_, _
from rmtui.core.urgency import Coefficients, Urgency, term_label


@dataclass(frozen=True)
class RankedItem:
    """An item of the Today list as the view tells it: its line, urgency and place."""

    line: Text  # the item's row on Today
    urgency: Urgency
    section: str  # the title of its section
    place: int  # 1 for the first of its section
    of: str  # how many its section has, as shown: 1,234, or 1,000+ when counted so far only
    business_days: bool = False  # a case whose clock counts business days


class UrgencyView(ModalScreen[None]):
    """The urgency of one Today item, term by term; `w` or escape closes it."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,w", "dismiss", N_("Close"), key_display="esc"),
    ]

    def __init__(self, item: RankedItem, coefficients: Coefficients) -> None:
        super().__init__()
        self.item = item
        self.coefficients = coefficients

    def compose(self) -> ComposeResult:
        item = self.item
        with Vertical(id="urgency-box") as box:
            box.border_title = _("Why here")
            yield Static(item.line.copy(), id="urgency-item")
            yield Static(score_line(item), id="urgency-score")
            yield Static(terms_table(item, self.coefficients), id="urgency-terms")
            yield Static(
                _("Coefficients: [urgency] in config.toml · w or escape closes"),
                classes="help-hint",
                markup=False,
            )


def score_line(item: RankedItem) -> Text:
    """`Urgency 12.5 · 2 of 7 in Overdue follow-ups`."""
    line = Text()
    line.append(_("Urgency {score}").format(score=urgency_text(item.urgency.score)), style="bold")
    place = _("{place} of {count} in {section}").format(
        place=count_text(item.place), count=item.of, section=item.section
    )
    line.append(f" · {place}")
    return line


def terms_table(item: RankedItem, coefficients: Coefficients) -> Table | Text:
    """Each term as what, value x coefficient = points, and their sum."""
    if not item.urgency.terms:
        return Text(_("No term applies to it: its urgency is 0."), style="dim")
    table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="dim")
    table.add_column(_("term"), no_wrap=True, overflow="ellipsis", max_width=31)
    table.add_column(_("value"), justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column(_("coefficient"), justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column(_("points"), justify="right", no_wrap=True)
    for term in item.urgency.terms:
        label = term_label(term, coefficients, business_days=item.business_days)
        table.add_row(
            label,
            factor_text(term.value),
            "x",
            factor_text(term.coefficient),
            "=",
            urgency_text(term.points),
        )
    table.add_row("", "", "", "", "", Text("─" * 6, style="dim"))
    table.add_row(Text(_("urgency"), style="bold"), "", "", "", "", _bold(item.urgency))
    return table


def _bold(urgency: Urgency) -> Text:
    return Text(urgency_text(urgency.score), style="bold")
