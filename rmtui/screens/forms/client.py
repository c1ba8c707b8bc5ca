"""The client form: add or edit a client's profile."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rmtui.core.entries import client_entry
from rmtui.core.models import CHANNELS, CLIENT_KINDS, CLIENT_STATUSES, DOCUMENT_LANGUAGES, TIERS
from rmtui.core.rules import CADENCE_BY_TIER, REVIEW_MONTHS_BY_TIER
from rmtui.core.translation import N_, _
from rmtui.screens.forms.base import FormField, FormScreen

CLIENT_FIELDS = (
    FormField("name", N_("Name")),
    FormField("kind", N_("Kind"), "choice", CLIENT_KINDS),
    FormField("status", N_("Status"), "choice", CLIENT_STATUSES),
    FormField("tier", N_("Tier"), "choice", TIERS),
    FormField("email", N_("E-mail"), placeholder=N_("ann@example.com")),
    FormField("phone", N_("Phone"), placeholder=N_("+32 470 12 34 56")),
    FormField("company", N_("Company")),
    FormField("city", N_("City")),
    FormField("country", N_("Country")),
    FormField("birthday", N_("Birthday"), placeholder=N_("1970-05-31")),
    FormField("preferred_channel", N_("Preferred channel"), "choice", CHANNELS),
    FormField(
        "preferred_language", N_("Documents in"), "choice", DOCUMENT_LANGUAGES, allow_blank=True
    ),
    FormField(
        "checkin_every_days",
        N_("Check in every … days"),
        placeholder=f"empty: by tier ({', '.join(f'{t} {d}' for t, d in CADENCE_BY_TIER.items())})",
    ),
    FormField(
        "review_every_months",
        N_("Review every … months"),
        placeholder="empty: by tier "
        f"({', '.join(f'{t} {m}' for t, m in REVIEW_MONTHS_BY_TIER.items())})",
    ),
    FormField("owner", N_("Owner"), placeholder=N_("empty: everyone's")),
    FormField("tags", N_("Tags"), placeholder=N_("vip, golf, pension")),
    FormField("source", N_("Source"), placeholder=N_("referral, event, website…")),
    FormField("risk_profile", N_("Risk profile"), placeholder=N_("defensive, neutral, dynamic…")),
    FormField("notes", N_("Notes"), "notes"),
)


class ClientForm(FormScreen[dict[str, Any]]):
    """Add or edit a client; dismisses with the column values to save."""

    FORM_TITLE = N_("New client")

    def __init__(self, initial: dict[str, Any] | None = None) -> None:
        from rmtui.core.people import session_user

        defaults = {
            "kind": "person",
            "status": "client",
            "tier": "B",
            "preferred_channel": "phone",
            "owner": session_user(),
        }
        values = {**defaults, **(initial or {})}
        if isinstance(values.get("tags"), list):
            values["tags"] = ", ".join(values["tags"])
        super().__init__(values)
        if initial and initial.get("id"):
            self.FORM_TITLE = _("Edit {name}").format(name=initial.get("name") or _("client"))

    def fields(self) -> Iterable[FormField]:
        return CLIENT_FIELDS

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return client_entry(values, self)
