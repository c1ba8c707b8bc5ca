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

from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text
from rmtui.core.queries.interactions import InteractionRow
from rmtui.core.translation import N_, _

# What the view hands back to the screen that opened it.
EDIT = "edit"
DIRECTION_WORDS = {"in": N_("they reached out"), "out": N_("you reached out")}


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
    table.add_row(_("With"), row.client_name)
    when = f"{date_text(row.at, '%A %d %B %Y')}, {row.at:%H:%M}"
    table.add_row(_("When"), when)
    table.add_row(_("Kind"), choice_text(row.kind))
    if row.kind != "note":
        said = _(DIRECTION_WORDS[row.direction]) if row.direction in DIRECTION_WORDS else ""
        table.add_row(_("Direction"), f"{choice_text(row.direction)} — {said}")
    if row.duration_min is not None:
        table.add_row(_("Duration"), _("{minutes} min").format(minutes=row.duration_min))
    return table


def notes_text(row: InteractionRow) -> Text:
    """The notes in full, wrapped by the screen, or a line saying there are none."""
    if not row.notes:
        return Text(_("No notes."), style="dim")
    return Text(row.notes)
