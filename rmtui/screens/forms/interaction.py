"""The form to correct a logged interaction: what, when, which way, how long, notes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rmtui.core.models import DIRECTIONS, INTERACTION_KINDS
from rmtui.core.parsers import optional_text, parse_int, parse_moment, required_text
from rmtui.screens.forms.base import FormField, FormScreen

INTERACTION_FIELDS = ("subject", "kind", "direction", "at", "duration_min", "notes")


class InteractionForm(FormScreen[dict[str, Any]]):
    """Edit an interaction; dismisses with the column values to save."""

    def __init__(self, *, client_name: str, initial: dict[str, Any]) -> None:
        super().__init__(initial)
        self.FORM_TITLE = f"Edit the interaction with {client_name}"

    def fields(self) -> Iterable[FormField]:
        return (
            FormField("subject", "Subject", placeholder="What was it about?"),
            FormField("kind", "Kind", "choice", INTERACTION_KINDS),
            FormField("direction", "Direction", "choice", DIRECTIONS),
            FormField("at", "When", placeholder="2026-11-02 10:00, yesterday 9:15, 14:30"),
            FormField("duration_min", "Minutes", placeholder="optional"),
            FormField("notes", "Notes", "notes"),
        )

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "subject": self.check("subject", required_text, values["subject"], label="A subject"),
            "kind": values["kind"] or "call",
            "direction": values["direction"] or "out",
            "at": self.check("at", parse_moment, values["at"]),
            "duration_min": self.check(
                "duration_min",
                parse_int,
                values["duration_min"],
                label="Minutes",
                low=0,
                high=24 * 60,
            ),
            "notes": optional_text(values["notes"]),
        }
