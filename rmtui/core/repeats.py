"""Repeating follow-ups: the rule a person types (`every 2 weeks`, `yearly`, `every month after
done`) and the day it plans the next follow-up for, computed by dateutil's rrule.

A rule counts from the follow-up's due day, or, with `after done`, from the day it was done
(taskwarrior's long-asked "recur from completion"): the choice is made per follow-up, in its
rule. A follow-up due on the last day of its month repeats on the last day of the month
(31 Jan → 28 Feb → 31 Mar; 29 Feb yearly → 28 Feb, and 29 Feb again in a leap year); one due
on the 29th or 30th falls back to the last day of a shorter month.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, NamedTuple

from rmtui.core.translation import N_, _

if TYPE_CHECKING:
    from dateutil.rrule import rrule

UNITS = ("day", "week", "month", "year")
AFTER_DONE = "after done"
# Words a person may use for one of each unit.
EVERY_ONE = {
    "daily": (1, "day"),
    "weekly": (1, "week"),
    "fortnightly": (2, "week"),
    "monthly": (1, "month"),
    "quarterly": (3, "month"),
    "yearly": (1, "year"),
    "annually": (1, "year"),
}
RULE = re.compile(
    r"^every\s+(?:(\d+)\s*)?(day|days|d|week|weeks|wk|w|month|months|mo|m|year|years|y)$"
)
SHORT_UNITS = {"d": "day", "w": "week", "wk": "week", "mo": "month", "m": "month", "y": "year"}
# The same rules typed in Dutch: `elke 2 weken`, `maandelijks`, `elke maand na afronding`.
DUTCH_AFTER_DONE = ("na afronding", "na afgerond")
DUTCH_EVERY_ONE = {
    "dagelijks": (1, "day"),
    "wekelijks": (1, "week"),
    "tweewekelijks": (2, "week"),
    "maandelijks": (1, "month"),
    "driemaandelijks": (3, "month"),
    "per kwartaal": (3, "month"),
    "jaarlijks": (1, "year"),
}
DUTCH_RULE = re.compile(
    r"^(?:elke|iedere|om de)\s+(?:(\d+)\s*)?"
    r"(dag|dagen|d|week|weken|wk|w|maand|maanden|mnd|m|jaar|jaren|j)$"
)
DUTCH_UNITS = {
    "dag": "day",
    "dagen": "day",
    "d": "day",
    "week": "week",
    "weken": "week",
    "wk": "week",
    "w": "week",
    "maand": "month",
    "maanden": "month",
    "mnd": "month",
    "m": "month",
    "jaar": "year",
    "jaren": "year",
    "j": "year",
}
MOST = 999  # the largest number of units a rule may count
EXAMPLE = N_("every 2 weeks, every 3 months, yearly, or add 'after done'")
# A rule as the user reads it, by unit: every one, every so many.
EVERY = {
    "day": (N_("every day"), N_("every {count} days")),
    "week": (N_("every week"), N_("every {count} weeks")),
    "month": (N_("every month"), N_("every {count} months")),
    "year": (N_("yearly"), N_("every {count} years")),
}


class RepeatError(ValueError):
    """A typed rule that is not a repeat rmtui understands, with one sentence saying why."""


class Repeat(NamedTuple):
    """How a follow-up comes back: every `interval` `unit`s, from its due day or
    (`after_done`) from the day it was done."""

    interval: int
    unit: str
    after_done: bool = False

    def __str__(self) -> str:
        """The rule as it is stored and shown: `every 2 weeks`, `yearly`, `every month after
        done`."""
        if (self.interval, self.unit) == (1, "year"):
            text = "yearly"
        elif self.interval == 1:
            text = f"every {self.unit}"
        else:
            text = f"every {self.interval} {self.unit}s"
        return f"{text} {AFTER_DONE}" if self.after_done else text

    def shown(self) -> str:
        """The rule in the user's language: `every 2 weeks`, nl `elke 2 weken`."""
        one, many = EVERY[self.unit]
        text = _(one) if self.interval == 1 else _(many).format(count=self.interval)
        return _("{rule} after done").format(rule=text) if self.after_done else text

    def start(self, due_on: date, done_on: date | None) -> date:
        """The day the next occurrence counts from: the due day, or the done day."""
        return done_on if self.after_done and done_on is not None else due_on

    def next_due(self, due_on: date, done_on: date | None = None) -> date:
        """The due day of the follow-up planned when this one is done (on `done_on`)."""
        start = self.start(due_on, done_on)
        found = self.rrule(start).after(_midnight(start))
        assert found is not None  # a rule without an end always has a next occurrence
        return found.date()

    def rrule(self, start: date) -> rrule:
        """The rule as a dateutil rrule starting on `start` (also what the calendar exports)."""
        import calendar

        from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule

        frequencies: dict[str, Any] = {"day": DAILY, "week": WEEKLY, "month": MONTHLY}
        frequency = frequencies.get(self.unit, YEARLY)
        month_end = start.day == calendar.monthrange(start.year, start.month)[1]
        if self.unit not in ("month", "year") or (start.day < 29 and not month_end):
            return rrule(frequency, interval=self.interval, dtstart=_midnight(start))
        month = start.month if self.unit == "year" else None
        if month_end:
            days: tuple[int, ...] = (-1,)  # the month's last day
        else:  # the 29th or 30th, or the last day of a shorter month
            days = tuple(range(28, start.day + 1))
        return rrule(
            frequency,
            interval=self.interval,
            dtstart=_midnight(start),
            bymonth=month,
            bymonthday=days,
            bysetpos=-1,
        )

    def ical_rule(self, start: date) -> str:
        """The RFC 5545 RRULE value (`FREQ=MONTHLY;INTERVAL=1;…`) of the rule from `start`."""
        text = str(self.rrule(start))
        return next(line for line in text.splitlines() if line.startswith("RRULE:"))[6:]


def parse_repeat(text: str | None) -> Repeat | None:
    """The rule in `text` (None when empty), or RepeatError saying what to write."""
    words = " ".join((text or "").strip().lower().split())
    if not words or words in ("never", "no", "none", "nooit", "nee", "geen"):
        return None
    dutch = _dutch_repeat(words)
    if dutch is not None:
        return dutch
    after_done = words.endswith(AFTER_DONE)
    rule = words.removesuffix(AFTER_DONE).strip().removesuffix(",").strip()
    if rule in EVERY_ONE:
        count, unit = EVERY_ONE[rule]
        return Repeat(count, unit, after_done)
    match = RULE.match(rule)
    if match is None:
        raise RepeatError(
            _("'{text}' is not a repeat; write {example}.").format(text=text, example=_(EXAMPLE))
        )
    word = match.group(2)
    unit = SHORT_UNITS.get(word, word.removesuffix("s"))
    return Repeat(_count(match.group(1)), unit, after_done)


def _dutch_repeat(words: str) -> Repeat | None:
    """The rule in `words` typed in Dutch (`elke 2 weken na afronding`), or None."""
    rule = words
    for suffix in DUTCH_AFTER_DONE:
        rule = rule.removesuffix(suffix)
    after_done = rule != words
    rule = rule.strip().removesuffix(",").strip()
    if rule in DUTCH_EVERY_ONE:
        count, unit = DUTCH_EVERY_ONE[rule]
        return Repeat(count, unit, after_done)
    match = DUTCH_RULE.match(rule)
    if match is None:
        return None
    return Repeat(_count(match.group(1)), DUTCH_UNITS[match.group(2)], after_done)


def _count(typed: str | None) -> int:
    count = int(typed or 1)
    if not 1 <= count <= MOST:
        raise RepeatError(
            _("A repeat counts from 1 to {most} units, not {count}.").format(most=MOST, count=count)
        )
    return count


def repeat_text(text: str | None) -> str | None:
    """A typed rule written the way it is stored (`every 2 weeks`), or None when empty."""
    rule = parse_repeat(text)
    return None if rule is None else str(rule)


def repeat_shown(stored: str | None) -> str | None:
    """A stored rule in the user's language (`every 2 weeks`, nl `elke 2 weken`), or None;
    a rule rmtui cannot read is shown as it is."""
    try:
        rule = parse_repeat(stored)
    except RepeatError:
        return stored
    return None if rule is None else rule.shown()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min)
