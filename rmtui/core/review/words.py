"""The review's way of writing dates, shared by its findings and its sections."""

from __future__ import annotations

from datetime import date

from rmtui.core.dates import DATE_FORMAT

MONTH_FORMAT = "%b %Y"


def date_text(day: date | None) -> str:
    """A day as the review writes it (01 Dec 2026), or a dash for none."""
    return f"{day:{DATE_FORMAT}}" if day else "—"
