"""Case clocks: a request's or complaint's deadline in calendar or business days, set by a
preset of the book (config.toml `[case_clocks.NAME]`), counted over weekends and the country's
public holidays (`[book] country`, the Netherlands by default).

The presets follow the regulators' clocks: a complaint's final response within 8 weeks with a
holding reply at 4 (FCA DISP 1.6), a summary resolution by the end of the third business day,
and a payment complaint answered within 15 business days, or 35 in exceptional cases with the
reason given (PSD2 art. 101).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any, NamedTuple

from rmtui.core.errors import BookError
from rmtui.core.translation import N_, _, ngettext

DEFAULT_COUNTRY = "NL"
WEEKEND = (5, 6)  # Saturday and Sunday
DURATION = re.compile(r"^(\d+)\s+(business\s+days?|days?|weeks?)$")
DURATION_EXAMPLE = "8 weeks, 30 days or 15 business days"


class Span(NamedTuple):
    """A length of time a clock counts: `length` days (business days when `business`)."""

    length: int
    business: bool = False

    def __str__(self) -> str:
        if self.business:
            said = ngettext("{count} business day", "{count} business days", self.length)
            return said.format(count=self.length)
        if self.length % 7 == 0:
            weeks = self.length // 7
            return ngettext("{count} week", "{count} weeks", weeks).format(count=weeks)
        return ngettext("{count} day", "{count} days", self.length).format(count=self.length)

    def after(self, start: date, holidays: Collection[date] = ()) -> date:
        """The day this span after `start` ends (business days skip weekends and `holidays`)."""
        if not self.business:
            return start + timedelta(days=self.length)
        return add_business_days(start, self.length, holidays)


class ClockPreset(NamedTuple):
    """A kind of deadline a case may be opened with: its kind of case, how long it runs, when
    a holding reply is due, and how far it may be extended (with a reason)."""

    name: str
    label: str
    kind: str
    deadline: Span
    holding_reply: Span | None = None
    extended: Span | None = None

    @property
    def business_days(self) -> bool:
        """Whether the deadline counts business days."""
        return self.deadline.business


DEFAULT_CLOCKS: Mapping[str, ClockPreset] = MappingProxyType(
    {
        "complaint": ClockPreset(
            "complaint",
            N_("Complaint: final response in 8 weeks, holding reply at 4 (FCA DISP 1.6)"),
            "complaint",
            Span(56),
            holding_reply=Span(28),
        ),
        "summary": ClockPreset(
            "summary",
            N_("Complaint resolved quickly: by the end of the 3rd business day (FCA DISP 1.6)"),
            "complaint",
            Span(3, business=True),
        ),
        "payment": ClockPreset(
            "payment",
            N_("Payment complaint: 15 business days, 35 when extended (PSD2 art. 101)"),
            "complaint",
            Span(15, business=True),
            extended=Span(35, business=True),
        ),
    }
)


# -- business days -----------------------------------------------------------------------------


def is_business_day(day: date, holidays: Collection[date] = ()) -> bool:
    """Whether `day` is a weekday and no public holiday."""
    return day.weekday() not in WEEKEND and day not in holidays


def add_business_days(start: date, count: int, holidays: Collection[date] = ()) -> date:
    """The `count`th business day after `start` (`start` itself is not counted)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            count -= 1
    return day


def business_days_left(day: date, due_on: date, holidays: Collection[date] = ()) -> int:
    """Business days from `day` to `due_on`: those after `day` up to and including `due_on`
    (0 on the deadline itself), or minus those after `due_on` up to `day` when it is past."""
    first, last, sign = (day, due_on, 1) if due_on >= day else (due_on, day, -1)
    weeks, rest = divmod((last - first).days, 7)  # a whole week has 7 - len(WEEKEND) of them
    weekdays = weeks * (7 - len(WEEKEND)) + sum(
        1 for offset in range(1, rest + 1) if is_business_day(first + timedelta(days=offset))
    )
    off = sum(1 for holiday in holidays if first < holiday <= last and is_business_day(holiday))
    return sign * (weekdays - off)


def days_left_text(left: int, *, business: bool) -> str:
    """How long is left to a deadline: `3 business days left`, `2 days overdue`, `due today`."""
    if left == 0:
        return _("due today")
    count = abs(left)
    if business and left > 0:
        text = ngettext("{count} business day left", "{count} business days left", count)
    elif business:
        text = ngettext("{count} business day overdue", "{count} business days overdue", count)
    elif left > 0:
        text = ngettext("{count} day left", "{count} days left", count)
    else:
        text = ngettext("{count} day overdue", "{count} days overdue", count)
    return text.format(count=count)


# -- presets from config.toml ------------------------------------------------------------------


def parse_span(text: Any, *, where: str) -> Span:
    """A span written `8 weeks`, `30 days` or `15 business days`; BookError naming `where`."""
    words = " ".join(str(text).strip().lower().split()) if isinstance(text, str) else ""
    match = DURATION.match(words)
    if match is None or int(match.group(1)) < 1:
        raise BookError(
            _("{where} must be a length of time like {example}, not {value}.").format(
                where=where, example=DURATION_EXAMPLE, value=repr(text)
            )
        )
    count, unit = int(match.group(1)), match.group(2)
    if unit.startswith("week"):
        return Span(count * 7)
    return Span(count, business=unit.startswith("business"))


def clocks_from(table: Any, *, path: object) -> dict[str, ClockPreset]:
    """The clock presets: the defaults, changed and added to by config.toml's
    `[case_clocks.NAME]` tables (`label`, `kind`, `deadline`, `holding_reply`, `extended`)."""
    if not isinstance(table, Mapping):
        raise BookError(
            _(
                "{path}: [case_clocks] must be a table of clocks, like [case_clocks.payment]."
            ).format(path=path)
        )
    clocks = dict(DEFAULT_CLOCKS)
    for name, values in table.items():
        clocks[name] = _preset(name, values, clocks.get(name), path=path)
    return clocks


def _preset(name: str, values: Any, base: ClockPreset | None, *, path: object) -> ClockPreset:
    from rmtui.core.models import CASE_KINDS

    where = f"{path}: case_clocks.{name}"
    if not isinstance(values, Mapping):
        raise BookError(
            _('{where} must be a table, like `deadline = "15 business days"`.').format(where=where)
        )
    unknown = set(values) - {"label", "kind", "deadline", "holding_reply", "extended"}
    if unknown:
        raise BookError(
            _("{where} has no setting {name}.").format(where=where, name=repr(sorted(unknown)[0]))
        )
    if base is None and "deadline" not in values:
        raise BookError(
            _('{where} needs a deadline, like `deadline = "15 business days"`.').format(where=where)
        )
    kind = values.get("kind", base.kind if base else "complaint")
    if kind not in CASE_KINDS:
        raise BookError(
            _("{where}.kind must be {first} or {last}, not {value}.").format(
                where=where, first=CASE_KINDS[0], last=CASE_KINDS[-1], value=repr(kind)
            )
        )
    spans = {
        key: parse_span(values[key], where=f"{where}.{key}") if key in values else None
        for key in ("deadline", "holding_reply", "extended")
    }
    deadline = spans["deadline"] or (base.deadline if base else Span(1))
    return ClockPreset(
        name,
        str(values.get("label", base.label if base else f"{name}: {deadline}")),
        kind,
        deadline,
        spans["holding_reply"]
        or (base.holding_reply if base and "deadline" not in values else None),
        spans["extended"] or (base.extended if base and "deadline" not in values else None),
    )


def country_from(table: Any, *, path: object) -> str:
    """`[book] country`: the country whose public holidays business days skip (ISO code)."""
    if not isinstance(table, Mapping):
        raise BookError(
            _('{path}: [book] must be a table, like `[book]` then `country = "NL"`.').format(
                path=path
            )
        )
    country = table.get("country", DEFAULT_COUNTRY)
    if not isinstance(country, str) or not re.fullmatch(r"[A-Za-z]{2}", country.strip()):
        raise BookError(
            _('{path}: book.country must be a two-letter country code like "NL".').format(path=path)
        )
    return country.strip().upper()
