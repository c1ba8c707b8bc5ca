"""The form to correct a logged interaction: what, when, which way, how long, notes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rmtui.core.models import DIRECTIONS, INTERACTION_KINDS
from rmtui.core.parsers import optional_text, parse_int, parse_moment, required_text
from rmtui.screens.forms.base import FormField, FormScreen

INTERACTION_FIELDS = ("subject", "kind", "direction", "at", "duration_min", "notes")


def interaction_fields(*, when_hint: str) -> tuple[FormField, ...]:
    """An interaction's fields as the log and edit forms ask them; `when_hint` shows how
    to type the moment."""
    return (
        FormField("subject", "Subject", placeholder="What was it about?"),
        FormField("kind", "Kind", "choice", INTERACTION_KINDS),
        FormField("direction", "Direction", "choice", DIRECTIONS),
        FormField("at", "When", placeholder=when_hint),
        FormField("duration_min", "Minutes", placeholder="optional"),
        FormField("notes", "Notes", "notes"),
    )


def interaction_values(form: FormScreen[Any], values: dict[str, Any]) -> dict[str, Any]:
    """The column values of an interaction typed in `form`, each checked beside its field."""
    return {
        "subject": form.check("subject", required_text, values["subject"], label="A subject"),
        "kind": values["kind"] or "call",
        "direction": values["direction"] or "out",
        "at": form.check("at", parse_moment, values["at"]),
        "duration_min": form.check(
            "duration_min",
            parse_int,
            values["duration_min"],
            label="Minutes",
            low=0,
            high=24 * 60,
        ),
        "notes": optional_text(values["notes"]),
    }


class InteractionForm(FormScreen[dict[str, Any]]):
    """Edit an interaction; dismisses with the column values to save."""

    def __init__(self, *, client_name: str, initial: dict[str, Any]) -> None:
        super().__init__(initial)
        self.FORM_TITLE = f"Edit the interaction with {client_name}"

    def fields(self) -> Iterable[FormField]:
        return interaction_fields(when_hint="2026-11-02 10:00, yesterday 9:15, 14:30")

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return interaction_values(self, values)
