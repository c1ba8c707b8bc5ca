"""The review's words for days and dates, shared by its findings and its sections."""

from __future__ import annotations

from datetime import date

DATE_FORMAT = "%d %b %Y"
MONTH_FORMAT = "%b %Y"


def _date(day: date | None) -> str:
    return f"{day:{DATE_FORMAT}}" if day else "—"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"
