"""The help screen: every binding of the screen it was opened from."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """A modal listing the keys of the screen below it, and the global keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", key_display="esc"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = screen
        self.bindings_table = binding_table(screen)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(f"Keys — {screen_title(self.for_screen)}", classes="help-title")
            yield Static(self.bindings_table)
            yield Static("Press escape to close.", classes="help-hint")


def screen_title(screen: Screen[object]) -> str:
    """The name of a screen as the user knows it."""
    return getattr(screen, "SCREEN_NAME", None) or type(screen).__name__.removesuffix("Screen")


def binding_table(screen: Screen[object]) -> Table:
    """A two-column table of the keys active on `screen`."""
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.description in seen:
            continue
        seen.add(binding.description)
        display = binding.key_display or screen.app.get_key_display(binding)
        table.add_row(display if key else "", binding.description)
    return table
