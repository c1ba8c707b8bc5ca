"""Forms for the daily work: log an interaction, add a follow-up, pick a snooze date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from rmtui.core.dates import DateError, parse_date
from rmtui.core.entries import KIND_FOR_CHANNEL, follow_up_entry, log_entry
from rmtui.core.models import PRIORITIES
from rmtui.core.parsers import FieldError
from rmtui.core.translation import N_, _
from rmtui.screens.forms.base import FormField, FormScreen
from rmtui.screens.forms.interaction import interaction_fields


class LogForm(FormScreen[dict[str, Any]]):
    """Log a call, meeting or note for one client, optionally with the next follow-up."""

    def __init__(
        self,
        *,
        client_id: int,
        client_name: str,
        channel: str = "phone",
        follow_up_title: str = "",
        people: Sequence[tuple[int, str]] = (),
    ) -> None:
        # The client's contact persons (id, label) to say whom the interaction was with.
        self.people = {label: person_id for person_id, label in people}
        super().__init__(
            {
                "at": _("now"),
                "kind": KIND_FOR_CHANNEL.get(channel, "call"),
                "direction": "out",
                "follow_up_title": follow_up_title,
            }
        )
        self.client_id = client_id
        self.FORM_TITLE = _("Log an interaction with {name}").format(name=client_name)

    def fields(self) -> Iterable[FormField]:
        with_whom = (
            (
                FormField(
                    "contact_person", N_("With"), "choice", tuple(self.people), allow_blank=True
                ),
            )
            if self.people
            else ()
        )
        return (
            *interaction_fields(when_hint=N_("now, 14:30, yesterday 9:15, 2026-11-02 10:00")),
            *with_whom,
            FormField(
                "follow_up_title", N_("Next follow-up"), placeholder=N_("optional: what to do next")
            ),
            FormField(
                "follow_up_due", N_("Follow up on"), placeholder=N_("2w, fri, +3d, 2026-12-01")
            ),
        )

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            **log_entry(values, self, client_id=self.client_id),
            "contact_person_id": self.people.get(values.get("contact_person") or ""),
        }


class FollowUpForm(FormScreen[dict[str, Any]]):
    """Add or edit a follow-up."""

    def __init__(
        self,
        *,
        client_id: int | None,
        client_name: str | None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__({"due_on": _("tomorrow"), "priority": "normal", **(initial or {})})
        self.client_id = client_id
        self.FORM_TITLE = _follow_up_title(client_name, edit=bool(initial))

    def fields(self) -> Iterable[FormField]:
        return (
            FormField("title", N_("What to do"), placeholder=N_("Send the pension proposal")),
            FormField("due_on", N_("Due"), placeholder=N_("tomorrow, fri, 2w, 2026-12-01")),
            FormField("due_at", N_("At"), placeholder=N_("optional time of day: 14:30")),
            FormField("priority", N_("Priority"), "choice", PRIORITIES),
            FormField(
                "repeat",
                N_("Repeat"),
                placeholder=N_("optional: monthly, every 2 weeks…"),
            ),
            FormField("notes", N_("Notes"), "notes"),
        )

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return follow_up_entry(values, self, client_id=self.client_id)


def _follow_up_title(client_name: str | None, *, edit: bool) -> str:
    """The follow-up form's title: new or edit, and for whom."""
    if client_name:
        title = _("Edit follow-up for {name}") if edit else _("New follow-up for {name}")
        return title.format(name=client_name)
    return _("Edit follow-up") if edit else _("New follow-up")


class DatePrompt(ModalScreen[date | None]):
    """Ask for one date: `t` tomorrow, `w` next week, or type any date and press enter."""

    CSS_PATH = "../dialogs.tcss"

    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", N_("Cancel")),
        Binding("t", "pick('tomorrow')", N_("Tomorrow")),
        Binding("w", "pick('next week')", N_("Next week")),
        Binding("d", "type_date", N_("Type a date")),
    ]

    def __init__(self, question: str, *, shortcuts: bool = True, base: date | None = None) -> None:
        super().__init__()
        self.question = question
        self.shortcuts = shortcuts
        self.base = base

    def compose(self) -> ComposeResult:
        with Vertical(id="date-box"):
            yield Static(self.question, classes="form-title")
            yield Input(
                placeholder=_("tomorrow, next week, fri, +3d, 2026-12-01"),
                id="date-input",
                compact=True,
            )
            yield Static("", id="date-error", classes="field-error -hidden")
            hint = _("enter to confirm · escape to cancel")
            if self.shortcuts:
                hint = _("t tomorrow · w next week · d type a date · {rest}").format(rest=hint)
            yield Static(hint, classes="form-hint")

    def on_mount(self) -> None:
        if not self.shortcuts:
            self.action_type_date()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick", "type_date"):
            return self.shortcuts and not self.query_one("#date-input", Input).has_focus
        return True

    def action_pick(self, word: str) -> None:
        self.dismiss(parse_date(word, base=self.base))

    def action_type_date(self) -> None:
        self.query_one("#date-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(parse_date(event.value, base=self.base))
        except (DateError, FieldError) as error:
            message = self.query_one("#date-error", Static)
            message.update(str(error))
            message.remove_class("-hidden")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
