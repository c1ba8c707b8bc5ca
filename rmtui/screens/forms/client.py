"""The client form: add or edit a client's profile."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rmtui.core.entries import client_entry
from rmtui.core.models import CHANNELS, CLIENT_KINDS, CLIENT_STATUSES, TIERS
from rmtui.core.rules import CADENCE_BY_TIER, REVIEW_MONTHS_BY_TIER
from rmtui.screens.forms.base import FormField, FormScreen

CLIENT_FIELDS = (
    FormField("name", "Name"),
    FormField("kind", "Kind", "choice", CLIENT_KINDS),
    FormField("status", "Status", "choice", CLIENT_STATUSES),
    FormField("tier", "Tier", "choice", TIERS),
    FormField("email", "E-mail", placeholder="ann@example.com"),
    FormField("phone", "Phone", placeholder="+32 470 12 34 56"),
    FormField("company", "Company"),
    FormField("city", "City"),
    FormField("country", "Country"),
    FormField("birthday", "Birthday", placeholder="1970-05-31"),
    FormField("preferred_channel", "Preferred channel", "choice", CHANNELS),
    FormField(
        "checkin_every_days",
        "Check in every … days",
        placeholder=f"empty: by tier ({', '.join(f'{t} {d}' for t, d in CADENCE_BY_TIER.items())})",
    ),
    FormField(
        "review_every_months",
        "Review every … months",
        placeholder="empty: by tier "
        f"({', '.join(f'{t} {m}' for t, m in REVIEW_MONTHS_BY_TIER.items())})",
    ),
    FormField("tags", "Tags", placeholder="vip, golf, pension"),
    FormField("source", "Source", placeholder="referral, event, website…"),
    FormField("risk_profile", "Risk profile", placeholder="defensive, neutral, dynamic…"),
    FormField("notes", "Notes", "notes"),
)


class ClientForm(FormScreen[dict[str, Any]]):
    """Add or edit a client; dismisses with the column values to save."""

    FORM_TITLE = "New client"

    def __init__(self, initial: dict[str, Any] | None = None) -> None:
        defaults = {"kind": "person", "status": "client", "tier": "B", "preferred_channel": "phone"}
        values = {**defaults, **(initial or {})}
        if isinstance(values.get("tags"), list):
            values["tags"] = ", ".join(values["tags"])
        super().__init__(values)
        if initial and initial.get("id"):
            self.FORM_TITLE = f"Edit {initial.get('name', 'client')}"

    def fields(self) -> Iterable[FormField]:
        return CLIENT_FIELDS

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return client_entry(values, self)
