"""Choose a client by typing part of their name: the best matches list as you type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from rmtui.core.db import session_scope
from rmtui.core.queries.clients import ClientRow, search_clients_by_name
from rmtui.core.translation import N_, _
from rmtui.screens.book_access import rm_app

MATCHES_SHOWN = 12


@dataclass(frozen=True)
class PickedClient:
    """The client chosen in the picker."""

    id: int
    name: str


class ClientPicker(ModalScreen[PickedClient | None]):
    """Ask which client: type a name, move with the arrows, enter to choose, escape to cancel."""

    CSS_PATH = "client_picker.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("down", "move(1)", N_("Next match"), show=False),
        Binding("up", "move(-1)", N_("Previous match"), show=False),
    ]

    def __init__(self, question: str, *, suggested: PickedClient | None = None) -> None:
        super().__init__()
        self.question = question
        self.suggested = suggested
        self.matches: dict[str, PickedClient] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(self.question, classes="form-title")
            yield Input(placeholder=_("Type part of a name: ada, jsm, smith"), id="picker-input")
            yield OptionList(id="picker-options")
            yield Static(_("enter choose · ↑↓ move · escape cancel"), classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#picker-input", Input).focus()
        if self.suggested is not None:
            self._show_matches([self.suggested], "")

    @on(Input.Changed, "#picker-input")
    def _name_typed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="client-picker")
    def search(self, text: str) -> None:
        """Look the typed name up in a worker and list the best matches."""
        with session_scope(rm_app(self).engine) as session:
            rows = search_clients_by_name(session=session, text=text, limit=MATCHES_SHOWN)
        if not get_current_worker().is_cancelled:
            picked = [PickedClient(row.id, row.name) for row in rows]
            self.app.call_from_thread(self._show_matches, picked, text, rows)

    def _show_matches(
        self, picked: list[PickedClient], text: str, rows: list[ClientRow] | None = None
    ) -> None:
        if text != self.query_one("#picker-input", Input).value:
            return  # the user typed on; a newer search is coming
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        self.matches = {str(client.id): client for client in picked}
        details = {row.id: row for row in rows or []}
        options.add_options(
            Option(match_line(client, details.get(client.id)), id=str(client.id))
            for client in picked
        )
        if not picked and text.strip():
            options.add_option(
                Option(Text(_("No client has that name."), style="dim"), disabled=True)
            )
        options.highlighted = 0 if picked else None

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#picker-input")
    def _choose_highlighted(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is None:
            self.notify(_("Type a name and choose a client from the list."), severity="warning")
            return
        self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _choose_clicked(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        client = self.matches.get(option_id or "")
        if client is not None:
            self.dismiss(client)

    def action_cancel(self) -> None:
        self.dismiss(None)


def match_line(client: PickedClient, row: ClientRow | None) -> Text:
    """A match: the name, then company and city when known."""
    line = Text(client.name, style="bold")
    extra = [part for part in (row.company, row.city) if part] if row else []
    if extra:
        line.append(f"  {' · '.join(extra)}", style="dim")
    return line
