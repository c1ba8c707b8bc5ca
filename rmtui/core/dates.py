"""Dates as a person types them: 2026-12-01, today, tomorrow, fri, +3d, 2w, next month."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta

TODAY_ENV = "RMTUI_TODAY"
# How a day is written in tables, panels and reports: 01 Dec 2026.
DATE_FORMAT = "%d %b %Y"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
UNIT_DAYS = {"d": 1, "w": 7}
# A date in numbers with a four-digit year: 15-12-2026, 15/12/2026, 15.12.2026.
NUMERIC_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_OFFSET = re.compile(
    r"^(?:in\s+)?\+?\s*(\d+)\s*(d|day|days|w|wk|week|weeks|m|mo|month|months|y|year|years)$"
)


class DateError(ValueError):
    """A text that is not a date rmtui understands."""


def today() -> date:
    """Today's date; RMTUI_TODAY (YYYY-MM-DD) freezes it for demos and tests."""
    frozen = os.environ.get(TODAY_ENV)
    return date.fromisoformat(frozen) if frozen else date.today()


def day_text(day: date, *, today: date) -> str:
    """A day as toasts and lists name it: `Wed 02 Dec`, with the year when it is not
    `today`'s (`Wed 01 Jan 2020`)."""
    return f"{day:%a %d %b}" if day.year == today.year else f"{day:%a %d %b %Y}"


def short_day_text(day: date, *, today: date) -> str:
    """A day in a narrow list column (11 characters): `Wed 02 Dec`, or `02 Jan 2027` when it
    is not `today`'s year."""
    return f"{day:%a %d %b}" if day.year == today.year else f"{day:%d %b %Y}"


def now() -> datetime:
    """The current time on `today()`, to the minute."""
    current = datetime.now().replace(second=0, microsecond=0)
    return datetime.combine(today(), current.time())


def parse_date(text: str, *, base: date | None = None) -> date:
    """Read a typed date relative to `base` (default today) or raise DateError."""
    base = base or today()
    word = " ".join(text.strip().lower().split())
    if not word:
        raise DateError("a date is needed: 2026-12-01, today, tomorrow, fri, +3d, 2w")
    for reader in (_iso, _numeric, _named, _weekday, _offset, _next_unit):
        found = reader(word, base)
        if found is not None:
            return found
    raise DateError(f"'{text.strip()}' is not a date; try 2026-12-01, tomorrow, fri, +3d or 2w")


def _iso(word: str, base: date) -> date | None:
    try:
        return date.fromisoformat(word)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", word):
            raise DateError(f"'{word}' is not a real calendar date") from None
        return None


def _numeric(word: str, _base: date) -> date | None:
    """A date written with numbers in the order the user's locale writes them: 15-12-2026 or
    15/12/2026 where the day comes first (nl, de, en_GB), 12/15/2026 where the month does."""
    match = NUMERIC_DATE.match(word)
    if match is None:
        return None
    from rmtui.core.user_locale import writes_day_first

    first, second, year = (int(part) for part in match.groups())
    day, month = (first, second) if writes_day_first() else (second, first)
    try:
        return date(year, month, day)
    except ValueError:
        order = "day-month-year" if writes_day_first() else "month/day/year"
        raise DateError(
            f"'{word}' is not a real calendar date (read as {order}); or write it as 2026-12-01"
        ) from None


def _named(word: str, base: date) -> date | None:
    named = {"today": 0, "tod": 0, "now": 0, "tomorrow": 1, "tom": 1, "yesterday": -1}
    return base + timedelta(days=named[word]) if word in named else None


def _weekday(word: str, base: date) -> date | None:
    word = word.removeprefix("next ").removeprefix("on ")
    matches = [i for i, name in enumerate(WEEKDAYS) if len(word) >= 2 and name.startswith(word)]
    if len(matches) != 1:
        return None
    ahead = (matches[0] - base.weekday()) % 7 or 7
    return base + timedelta(days=ahead)


def _offset(word: str, base: date) -> date | None:
    match = _OFFSET.match(word)
    if not match:
        return None
    count, unit = int(match.group(1)), match.group(2)
    return _shift(base, count, unit[0] if unit not in ("m", "mo") else "m")


def _next_unit(word: str, base: date) -> date | None:
    units = {"next week": "w", "next month": "m", "next year": "y"}
    return _shift(base, 1, units[word]) if word in units else None


def _shift(base: date, count: int, unit: str) -> date:
    if unit in UNIT_DAYS:
        return base + timedelta(days=count * UNIT_DAYS[unit])
    from dateutil.relativedelta import relativedelta  # months and years: loaded when needed

    if unit == "m":
        return base + relativedelta(months=count)
    return base + relativedelta(years=count)
