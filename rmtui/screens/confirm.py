"""A yes/no question asked before anything destructive or lossy."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from rmtui.core.translation import N_, _


class ConfirmScreen(ModalScreen[bool]):
    """Ask `question`; dismiss with True for yes, False for no."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Yes")),
        Binding("n,escape", "answer(False)", N_("No")),
    ]

    def __init__(
        self,
        question: str,
        *,
        yes: str = N_("Yes"),
        no: str = N_("No"),
        tone: ButtonVariant = "error",
    ) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no
        self.tone = tone  # of the yes button: red for what destroys, green for good news

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{_(self.yes_label)} (y)", id="yes", variant=self.tone)
                yield Button(f"{_(self.no_label)} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class LookAlikeQuestion(ModalScreen[str]):
    """Say that a client being added may already be in the book; dismiss with "add" (add it
    all the same), "open" (open the one in the book) or "back" (back to the form)."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "answer('add')", N_("Add anyway")),
        Binding("o", "answer('open')", N_("Open")),
        Binding("escape", "answer('back')", N_("Back")),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(_("Add anyway (a)"), id="add", variant="warning")
                yield Button(_("Open it (o)"), id="open", variant="primary")
                yield Button(_("Back (esc)"), id="back")

    def on_mount(self) -> None:
        self.query_one("#open", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "back")

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)
