"""The form to correct a logged interaction: what, when, which way, how long, notes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rmtui.core.entries import interaction_entry
from rmtui.core.models import DIRECTIONS, INTERACTION_KINDS
from rmtui.core.translation import N_, _
from rmtui.screens.forms.base import FormField, FormScreen

INTERACTION_FIELDS = ("subject", "kind", "direction", "at", "duration_min", "notes", "review")


def interaction_fields(*, when_hint: str) -> tuple[FormField, ...]:
    """An interaction's fields as the log and edit forms ask them; `when_hint` shows how
    to type the moment."""
    return (
        FormField("subject", N_("Subject"), placeholder=N_("What was it about?")),
        FormField("kind", N_("Kind"), "choice", INTERACTION_KINDS),
        FormField("direction", N_("Direction"), "choice", DIRECTIONS),
        FormField("at", N_("When"), placeholder=when_hint),
        FormField("duration_min", N_("Minutes"), placeholder=N_("optional")),
        FormField("review", N_("Review meeting"), "bool"),
        FormField("notes", N_("Notes"), "notes"),
    )


class InteractionForm(FormScreen[dict[str, Any]]):
    """Edit an interaction; dismisses with the column values to save."""

    def __init__(self, *, client_name: str, initial: dict[str, Any]) -> None:
        super().__init__(initial)
        self.FORM_TITLE = _("Edit the interaction with {name}").format(name=client_name)

    def fields(self) -> Iterable[FormField]:
        return interaction_fields(when_hint=N_("2026-11-02 10:00, yesterday 9:15, 14:30"))

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return interaction_entry(values, self)
