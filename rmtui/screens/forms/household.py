"""Forms for households: start or rename one, and a member's role."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rmtui.core.models import HOUSEHOLD_ROLES
from rmtui.core.parsers import required_text
from rmtui.core.translation import N_, _
from rmtui.screens.forms.base import FormField, FormScreen


class HouseholdForm(FormScreen[dict[str, Any]]):
    """Start a household from a client (with their role) or edit one. Dismisses with `name`,
    `shared_checkin` and, for a new one, `role`."""

    def __init__(self, *, client_name: str | None, initial: dict[str, Any]) -> None:
        super().__init__(initial)
        self.new = client_name is not None
        self.FORM_TITLE = (
            _("Start a household with {name}").format(name=client_name)
            if self.new
            else N_("Edit the household")
        )

    def fields(self) -> Iterable[FormField]:
        role = (FormField("role", N_("Their role"), "choice", HOUSEHOLD_ROLES),) if self.new else ()
        return (
            FormField("name", N_("Name"), placeholder=N_("Jansen family")),
            *role,
            FormField("shared_checkin", N_("One check-in for all"), "bool"),
        )

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        built = {
            "name": self.check("name", required_text, values["name"], label=N_("A name")),
            "shared_checkin": bool(values["shared_checkin"]),
        }
        if self.new:
            built["role"] = values["role"] or "head"
        return built


class MemberRoleForm(FormScreen[str]):
    """A member's role in their household; dismisses with the role."""

    def __init__(self, *, member_name: str, role: str) -> None:
        super().__init__({"role": role})
        self.FORM_TITLE = _("Role of {name} in the household").format(name=member_name)

    def fields(self) -> Iterable[FormField]:
        return (FormField("role", N_("Role"), "choice", HOUSEHOLD_ROLES),)

    def build(self, values: dict[str, Any]) -> str:
        return str(values["role"] or "other")
