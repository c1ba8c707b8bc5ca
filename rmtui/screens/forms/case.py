"""Forms for a client's requests and complaints: open or edit a case, resolve it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from rmtui.core.case_clocks import ClockPreset
from rmtui.core.entries import case_entry, extension_entry, resolution_entry
from rmtui.core.models import CASE_KINDS
from rmtui.core.queries.cases import default_due_on
from rmtui.core.translation import N_, _
from rmtui.screens.forms.base import FormField, FormScreen


class CaseForm(FormScreen[dict[str, Any]]):
    """Open (or edit) a request or complaint; the deadline follows the kind until it is typed.

    Dismisses with `client_id`, `kind`, `subject`, `opened_on` and `due_on`: the arguments of
    `rmtui.core.queries.cases.add_case` (and values for `update_case`).
    """

    def __init__(
        self,
        *,
        client_id: int,
        client_name: str,
        day: date,
        initial: dict[str, Any] | None = None,
        editing: bool | None = None,
        clocks: Mapping[str, ClockPreset] | None = None,
    ) -> None:
        # The clocks a new case may be opened with (none when editing one).
        self.clocks = dict(clocks or {})
        values = {"kind": "request", "opened_on": day, **(initial or {})}
        self.opened_on: date = _as_date(values["opened_on"])
        self.auto_due = default_due_on(values["kind"], self.opened_on).isoformat()
        super().__init__({"due_on": self.auto_due, **values})
        self.client_id = client_id
        self.day = day
        if editing is None:
            editing = bool(initial and initial.get("subject"))
        if editing:
            self.clocks = {}
        title = (
            _("Edit the case for {name}") if editing else _("New request or complaint for {name}")
        )
        self.FORM_TITLE = title.format(name=client_name)

    def fields(self) -> Iterable[FormField]:
        clock = (
            (FormField("clock", N_("Clock"), "choice", tuple(self.clocks), allow_blank=True),)
            if self.clocks
            else ()
        )
        return (
            *clock,
            FormField("kind", N_("Kind"), "choice", CASE_KINDS),
            FormField(
                "subject", N_("Subject"), placeholder=N_("What the client asks or complains about")
            ),
            FormField("due_on", N_("Deadline"), placeholder=N_("2026-12-01, fri, +3d")),
        )

    def _chosen_clock(self) -> ClockPreset | None:
        if not self.clocks:
            return None
        return self.clocks.get(str(self.query_one("#field-clock", Select).value))

    @on(Select.Changed, "#field-clock")
    def _clock_changed(self, event: Select.Changed) -> None:
        """A clock sets the kind, and the deadline unless one was typed; its label says how."""
        clock = self.clocks.get(str(event.value))
        deadline = self.query_one("#field-due_on", Input)
        hint = self.query_one("#clock-hint", Static)
        if clock is None:
            hint.update("")
            return
        hint.update(_(clock.label))
        self.query_one("#field-kind", Select).value = clock.kind
        if deadline.value.strip() in ("", self.auto_due):
            self.auto_due = ""
            deadline.value = ""
            deadline.placeholder = _("set by the clock: {day} (or type a date)").format(
                day=clock.deadline
            )

    def compose_extra(self) -> ComposeResult:
        """Below the fields: what the chosen clock does."""
        yield Static("", id="clock-hint", classes="form-hint")

    @on(Select.Changed, "#field-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        """Move an untouched deadline to the new kind's default."""
        if event.value not in CASE_KINDS or self._chosen_clock() is not None:
            return  # a clock sets the deadline
        deadline = self.query_one("#field-due_on", Input)
        if deadline.value.strip() != self.auto_due:
            return
        self.auto_due = default_due_on(str(event.value), self.opened_on).isoformat()
        deadline.value = self.auto_due

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return case_entry(
            values,
            self,
            client_id=self.client_id,
            day=self.day,
            opened_on=self.opened_on,
            clocks=tuple(self.clocks),
        )


class ResolveCaseForm(FormScreen[dict[str, Any]]):
    """Resolve a case: how it was resolved (required) and on which day.

    Dismisses with `resolution` and `day`: with `case_id`, the arguments of
    `rmtui.core.queries.cases.resolve_case`.
    """

    def __init__(self, *, subject: str, opened_on: date, day: date) -> None:
        super().__init__({"day": "today"})
        self.opened_on = opened_on
        self.day = day
        self.FORM_TITLE = _("Resolve “{subject}”").format(subject=subject)

    def fields(self) -> Iterable[FormField]:
        return (
            FormField("resolution", N_("Resolution"), "notes"),
            FormField("day", N_("Resolved on"), placeholder=N_("today, yesterday, 2026-11-28")),
        )

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return resolution_entry(values, self, opened_on=self.opened_on, day=self.day)


class ExtendCaseForm(FormScreen[dict[str, Any]]):
    """Extend a case's deadline to its clock's extended one: why (required).

    Dismisses with `reason`: with `case_id`, the arguments of
    `rmtui.core.queries.cases.extend_case`.
    """

    def __init__(self, *, subject: str, extended: str) -> None:
        super().__init__({})
        self.FORM_TITLE = _("Extend “{subject}” to {day}").format(subject=subject, day=extended)

    def fields(self) -> Iterable[FormField]:
        return (FormField("reason", N_("Why"), "notes"),)

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return extension_entry(values, self)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
