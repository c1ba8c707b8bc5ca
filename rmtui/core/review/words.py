"""The review's way of writing dates, shared by its findings and its sections."""

from __future__ import annotations

from datetime import date

from rmtui.core import dates

MONTH_FORMAT = "%b %Y"


def date_text(day: date | None) -> str:
    """A day as the review writes it (01 Dec 2026, nl 01 dec 2026), or a dash for none."""
    return dates.date_text(day) if day else "—"


def month_text(day: date) -> str:
    """A month as the review writes it: Dec 2026 (nl dec 2026)."""
    return dates.date_text(day, MONTH_FORMAT)
