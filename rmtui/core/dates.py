"""Dates as a person types them: 2026-12-01, today, tomorrow, fri, +3d, 2w, next month (and
in Dutch: vandaag, morgen, vrijdag, over 3 dagen, volgende maand), and as a person reads them, in
the language of the text.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta

from rmtui.core.translation import _

TODAY_ENV = "RMTUI_TODAY"
# How a day is written in tables, panels and reports: 01 Dec 2026.
DATE_FORMAT = "%d %b %Y"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The Dutch names of the days, accepted in either language (`vr`, `vrijdag`).
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
UNIT_DAYS = {"d": 1, "w": 7}
# The days named by a word, in English and in Dutch.
NAMED_DAYS = {
    "today": 0,
    "tod": 0,
    "now": 0,
    "tomorrow": 1,
    "tom": 1,
    "yesterday": -1,
    "vandaag": 0,
    "nu": 0,
    "morgen": 1,
    "overmorgen": 2,
    "gisteren": -1,
}
# `next week` / `volgende week`…: one unit on.
NEXT_UNITS = {
    "next week": "w",
    "next month": "m",
    "next year": "y",
    "volgende week": "w",
    "volgende maand": "m",
    "volgend jaar": "y",
    "komende week": "w",
    "komende maand": "m",
    "komend jaar": "y",
}
# The Dutch words of an offset (`over 3 dagen`, `2 weken`, `+1 maand`), by their unit letter.
DUTCH_UNITS = {
    "dag": "d",
    "dagen": "d",
    "week": "w",
    "weken": "w",
    "wk": "w",
    "maand": "m",
    "maanden": "m",
    "mnd": "m",
    "jaar": "y",
    "jaren": "y",
    "j": "y",
}
# A date in numbers with a four-digit year: 15-12-2026, 15/12/2026, 15.12.2026.
NUMERIC_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_OFFSET = re.compile(
    r"^(?:in\s+)?\+?\s*(\d+)\s*(d|day|days|w|wk|week|weeks|m|mo|month|months|y|year|years)$"
)
_DUTCH_OFFSET = re.compile(
    r"^(?:over\s+)?\+?\s*(\d+)\s*(" + "|".join(sorted(DUTCH_UNITS, key=len, reverse=True)) + ")$"
)


class DateError(ValueError):
    """A text that is not a date rmtui understands."""


def today() -> date:
    """Today's date; RMTUI_TODAY (YYYY-MM-DD) freezes it for demos and tests."""
    frozen = os.environ.get(TODAY_ENV)
    return date.fromisoformat(frozen) if frozen else date.today()


# How a day is written, by its English strftime pattern and the Babel pattern of the same
# form in another language (Dutch `wo 02 dec`, `woensdag 2 december 2026`).
DAY_PATTERNS = {
    DATE_FORMAT: "dd LLL y",
    "%a %d %b": "EEE dd LLL",
    "%a %d %b %Y": "EEE dd LLL y",
    "%A %d %B %Y": "EEEE d LLL y",
    "%b %Y": "LLL y",
    "%B %Y": "LLLL y",
    "%d %b": "dd LLL",
    "%d %B": "dd LLLL",
    "%d %b %Y %H:%M": "dd LLL y HH:mm",
    "%a": "EEE",
    "%A": "EEEE",
}


def date_text(day: date | datetime, form: str = DATE_FORMAT) -> str:
    """`day` written in `form` (a key of DAY_PATTERNS: `01 Dec 2026` by default) with the day
    and month names of the language of the text (Dutch `01 dec 2026`); English is written by
    strftime, any other language by Babel, loaded only then."""
    from rmtui.core.translation import SOURCE_LANGUAGE, current_language

    language = current_language()
    if language == SOURCE_LANGUAGE:
        return day.strftime(form)
    from babel.dates import format_date, format_datetime

    if isinstance(day, datetime):
        return format_datetime(day, DAY_PATTERNS[form], locale=language)
    return format_date(day, DAY_PATTERNS[form], locale=language)


def day_of_year_text(month: int, day: int) -> str:
    """A day of the year without a year, as a birthday is said: `3 May` (nl `3 mei`);
    ValueError when there is no such day."""
    return date_text(date(2000, month, day), "%d %B").lstrip("0")  # 2000: 29 Feb is a day


def day_text(day: date, *, today: date) -> str:
    """A day as toasts and lists name it: `Wed 02 Dec`, with the year when it is not
    `today`'s (`Wed 01 Jan 2020`)."""
    return date_text(day, "%a %d %b" if day.year == today.year else "%a %d %b %Y")


def short_day_text(day: date, *, today: date) -> str:
    """A day in a narrow list column (11 characters): `Wed 02 Dec`, or `02 Jan 2027` when it
    is not `today`'s year."""
    return date_text(day, "%a %d %b" if day.year == today.year else DATE_FORMAT)


def long_day_text(day: date) -> str:
    """A day written out, as a page or a list is headed with it: `Sunday 29 November 2026`."""
    return date_text(day, "%A %d %B %Y")


def now() -> datetime:
    """The current time on `today()`, to the minute."""
    current = datetime.now().replace(second=0, microsecond=0)
    return datetime.combine(today(), current.time())


def parse_date(text: str, *, base: date | None = None) -> date:
    """Read a typed date relative to `base` (default today) or raise DateError."""
    base = base or today()
    word = " ".join(text.strip().lower().split())
    if not word:
        raise DateError(_("a date is needed: 2026-12-01, today, tomorrow, fri, +3d, 2w"))
    for reader in (_iso, _numeric, _named, _next_unit, _weekday, _offset, _dutch_offset):
        found = reader(word, base)
        if found is not None:
            return found
    raise DateError(
        _("'{text}' is not a date; try 2026-12-01, tomorrow, fri, +3d or 2w").format(
            text=text.strip()
        )
    )


def _iso(word: str, base: date) -> date | None:
    try:
        return date.fromisoformat(word)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", word):
            raise DateError(_("'{text}' is not a real calendar date").format(text=word)) from None
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
        order = _("day-month-year") if writes_day_first() else _("month/day/year")
        raise DateError(
            _(
                "'{text}' is not a real calendar date (read as {order}); or write it as 2026-12-01"
            ).format(text=word, order=order)
        ) from None


def _named(word: str, base: date) -> date | None:
    return base + timedelta(days=NAMED_DAYS[word]) if word in NAMED_DAYS else None


def _weekday(word: str, base: date) -> date | None:
    for prefix in ("next ", "on ", "volgende ", "komende ", "op "):
        word = word.removeprefix(prefix)
    if word in DUTCH_UNITS:  # `maand` is a month, not the start of `maandag`
        return None
    matches = {
        i
        for names in (WEEKDAYS, WEEKDAYS_NL)
        for i, name in enumerate(names)
        if len(word) >= 2 and name.startswith(word)
    }
    if len(matches) != 1:
        return None
    (match,) = matches
    ahead = (match - base.weekday()) % 7 or 7
    return base + timedelta(days=ahead)


def _offset(word: str, base: date) -> date | None:
    match = _OFFSET.match(word)
    if not match:
        return None
    count, unit = int(match.group(1)), match.group(2)
    return _shift(base, count, unit[0] if unit not in ("m", "mo") else "m")


def _dutch_offset(word: str, base: date) -> date | None:
    """An offset in Dutch words: `over 3 dagen`, `2 weken`, `+1 maand`, `1 jaar`."""
    match = _DUTCH_OFFSET.match(word)
    if not match:
        return None
    return _shift(base, int(match.group(1)), DUTCH_UNITS[match.group(2)])


def _next_unit(word: str, base: date) -> date | None:
    return _shift(base, 1, NEXT_UNITS[word]) if word in NEXT_UNITS else None


def _shift(base: date, count: int, unit: str) -> date:
    if unit in UNIT_DAYS:
        return base + timedelta(days=count * UNIT_DAYS[unit])
    from dateutil.relativedelta import relativedelta  # months and years: loaded when needed

    if unit == "m":
        return base + relativedelta(months=count)
    return base + relativedelta(years=count)
