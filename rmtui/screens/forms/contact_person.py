"""The form for a person at a business or corporate client."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rmtui.core.parsers import optional_text, required_text
from rmtui.core.translation import N_, _
from rmtui.screens.forms.base import FormField
from rmtui.screens.forms.financial import RecordForm


class ContactPersonForm(RecordForm):
    """Add or edit a contact person. Dismisses with the arguments of
    `rmtui.core.queries.contact_persons.add_contact_person` (`client_id`, `name`, `role`,
    `email`, `phone`, `decision_maker`, `notes`)."""

    RECORD = "contact person"

    def fields(self) -> Iterable[FormField]:
        return (
            FormField("name", N_("Name"), placeholder=N_("Joke de Vries")),
            FormField("role", N_("Role"), placeholder=N_("CFO, owner, treasurer…")),
            FormField("email", N_("E-mail"), placeholder=N_("optional")),
            FormField("phone", N_("Phone"), placeholder=N_("optional")),
            FormField("decision_maker", N_("Decides"), "bool"),
            FormField("notes", N_("Notes"), "notes"),
        )

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        email = optional_text(values["email"])
        if email and "@" not in email:
            self.errors["email"] = _(
                "'{email}' is not an e-mail address, like name@example.com."
            ).format(email=email)
        return {
            "client_id": self.client_id,
            "name": self.check("name", required_text, values["name"], label=N_("A name")),
            "role": optional_text(values["role"]),
            "email": email,
            "phone": optional_text(values["phone"]),
            "decision_maker": bool(values["decision_maker"]),
            "notes": optional_text(values["notes"]),
        }
