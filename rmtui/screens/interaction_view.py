"""One interaction shown whole: every field, the notes wrapped in full, and the keys to edit
it or go back."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from rmtui.core.queries.interactions import InteractionRow
from rmtui.core.translation import N_

# What the view hands back to the screen that opened it.
EDIT = "edit"
DIRECTION_WORDS = {"in": "they reached out", "out": "you reached out"}


class InteractionView(ModalScreen[str | None]):
    """An interaction whole; dismisses with EDIT when `e` is pressed, else None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", N_("Close"), key_display="esc"),
        Binding("e", "edit", N_("Edit")),
        Binding("j,down", "scroll(1)", N_("Scroll down"), show=False),
        Binding("k,up", "scroll(-1)", N_("Scroll up"), show=False),
    ]

    def __init__(self, interaction: InteractionRow) -> None:
        super().__init__()
        self.interaction = interaction

    def compose(self) -> ComposeResult:
        row = self.interaction
        with VerticalScroll(id="interaction-box"):
            yield Static(row.subject, id="interaction-subject", markup=False)
            yield Static(interaction_facts(row), id="interaction-facts")
            yield Static(notes_text(row), id="interaction-notes")
            yield Static("e edit · ↑↓ scroll · escape close", classes="help-hint")

    def action_edit(self) -> None:
        self.dismiss(EDIT)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#interaction-box", VerticalScroll).scroll_relative(y=lines, animate=False)


def interaction_facts(row: InteractionRow) -> Table:
    """The fields of an interaction as label and value, one a line."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row("With", row.client_name)
    table.add_row("When", f"{row.at:%A %d %B %Y, %H:%M}")
    table.add_row("Kind", row.kind)
    if row.kind != "note":
        table.add_row("Direction", f"{row.direction} — {DIRECTION_WORDS.get(row.direction, '')}")
    if row.duration_min is not None:
        table.add_row("Duration", f"{row.duration_min} min")
    return table


def notes_text(row: InteractionRow) -> Text:
    """The notes in full, wrapped by the screen, or a line saying there are none."""
    if not row.notes:
        return Text("No notes.", style="dim")
    return Text(row.notes)
