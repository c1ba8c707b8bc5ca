"""The help screen: every binding of the screen it was opened from."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from rmtui.core.translation import N_, _
from rmtui.widgets.key_bar import binding_text


class HelpScreen(ModalScreen[None]):
    """A modal listing the keys of the screen below it, and the global keys."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", N_("Close"), key_display="esc"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = screen
        self.bindings_table = binding_table(screen)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(
                _("Keys — {screen}").format(screen=screen_title(self.for_screen)),
                classes="help-title",
            )
            yield Static(self.bindings_table)
            yield Static(_("Press escape to close."), classes="help-hint")


def screen_title(screen: Screen[object]) -> str:
    """The name of a screen as the user knows it."""
    name = getattr(screen, "SCREEN_NAME", None)
    return _(name) if name else type(screen).__name__.removesuffix("Screen")


GLOBAL_EXTRAS = (
    ("ctrl+p", N_("Command palette: find a client, run a command")),
    ("escape", N_("Back / close")),
)


def binding_table(screen: Screen[object]) -> Table:
    """A table of the keys declared by `screen`, then the keys that work everywhere."""
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold", min_width=10)
    table.add_column()
    this_screen = _("This screen")
    table.add_row("", f"[b]{this_screen}[/b]")
    for key, description in declared_keys(screen, type(screen).BINDINGS):
        table.add_row(key, description)
    table.add_row("", "")
    everywhere = _("Everywhere")
    table.add_row("", f"[b]{everywhere}[/b]")
    app = screen.app
    here = [
        binding
        for binding in Binding.make_bindings(type(app).BINDINGS)
        if app.check_action(binding.action, ()) is not False  # `m` only where others own clients
    ]
    for key, description in declared_keys(screen, list(here)):
        table.add_row(key, description)
    for key, text in GLOBAL_EXTRAS:
        table.add_row(key, _(text))
    return table


def declared_keys(screen: Screen[object], bindings: list[BindingType]) -> list[tuple[str, Text]]:
    """(keys as shown, description) of each described binding in `bindings`; a key that does
    different things in different places says where each applies (its `tooltip`)."""
    rows: list[tuple[str, Text]] = []
    for binding in Binding.make_bindings(bindings):
        if not binding.description:
            continue
        shown = binding.key_display or screen.app.get_key_display(binding)
        described = Text(binding_text(binding))
        if binding.tooltip:
            described.append(f" ({_(binding.tooltip)})", style="dim")
        if rows and rows[-1][1] == described:  # more keys for the same thing
            if shown not in rows[-1][0].split():
                rows[-1] = (f"{rows[-1][0]} {shown}", described)
        else:
            rows.append((shown, described))
    return rows
