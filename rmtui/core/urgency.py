"""Urgency: how pressing an item of the Today list is, as taskwarrior weighs a task: each
term's value times its coefficient (config.toml `[urgency]`), summed.

A term's points are rounded half up to one decimal, and the score is their sum, so the points
shown always add up to the score shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any, NamedTuple

from rmtui.core.errors import BookError
from rmtui.core.translation import N_, _

POINT = Decimal("0.1")  # points are rounded to this
COEFFICIENT_EXAMPLE = "tier_a = 3.0"


class Coefficients(NamedTuple):
    """The points each term is worth per unit of its value, and how near a deal's expected
    close makes it one closing soon; the defaults unless config.toml's `[urgency]` says."""

    overdue_day: float = 1.0  # a day past the due day (negative: a day still to go)
    priority_high: float = 5.0  # a follow-up of high priority
    tier_a: float = 3.0  # a client of tier A
    tier_b: float = 1.0
    tier_c: float = 0.0
    checkin_day: float = 0.5  # a day past the client's check-in cadence
    case_day_left: float = -2.0  # a day left to a case's deadline (negative: past it)
    assets_million: float = 0.5  # a million of the client's assets on the day
    revenue_thousand: float = 0.05  # a thousand of revenue from the client in the last 12 months
    complaint: float = 6.0  # the client has a complaint open
    detractor: float = 4.0  # the client's last survey gave an NPS of 6 or less
    deal_closing: float = 3.0  # a deal of the client's is expected to close soon
    # Not coefficients: the most millions of assets and thousands of revenue counted (so
    # that one large client does not outweigh every deadline), and how soon is soon for a
    # deal's expected close, in days from the day.
    assets_million_max: float = 10.0
    revenue_thousand_max: float = 100.0
    deal_closing_days: int = 30


DEFAULT_COEFFICIENTS = Coefficients()

# Every term, keyed as config.toml names its coefficient, with what its value counts.
TERMS: dict[str, str] = {
    "overdue_day": N_("days past due"),
    "priority_high": N_("high priority"),
    "tier_a": N_("tier A"),
    "tier_b": N_("tier B"),
    "tier_c": N_("tier C"),
    "checkin_day": N_("days past the check-in cadence"),
    "case_day_left": N_("days to the deadline"),
    "assets_million": N_("assets, in millions"),
    "revenue_thousand": N_("revenue (12 months), thousands"),
    "complaint": N_("an open complaint"),
    "detractor": N_("last survey from a detractor"),
    "deal_closing": N_("a deal closing within {days} days"),
}
LIMITS = ("assets_million_max", "revenue_thousand_max")
SETTINGS = (*TERMS, *LIMITS, "deal_closing_days")


class Term(NamedTuple):
    """One term of an item's urgency: its value, the coefficient and the points they make
    (a tuple: `rmtui agenda` makes one for each term of every item of a large book)."""

    term: str  # a key of TERMS
    value: Decimal
    coefficient: Decimal
    points: Decimal

    @classmethod
    def of(cls, term: str, value: Decimal, coefficient: Decimal) -> Term:
        """The term whose points are value × coefficient, rounded half up to one decimal."""
        return cls(term, value, coefficient, points_of(value, coefficient))


def points_of(value: Decimal, coefficient: Decimal) -> Decimal:
    """The points a term's value makes: value × coefficient, rounded half up to one decimal."""
    return (value * coefficient).quantize(POINT, ROUND_HALF_UP)


NO_POINTS = Decimal("0.0")


class Urgency(NamedTuple):
    """An item's urgency: the terms that apply to it, and the score they add up to (the sum
    of their points: see `summed`)."""

    terms: tuple[Term, ...] = ()
    score: Decimal = NO_POINTS

    @classmethod
    def summed(cls, terms: tuple[Term, ...]) -> Urgency:
        """The urgency of `terms`, its score the sum of their points."""
        return cls(terms, points_sum(terms))


def points_sum(terms: tuple[Term, ...]) -> Decimal:
    """The sum of the points of `terms`."""
    total = NO_POINTS
    for term in terms:
        total += term.points
    return total


NO_URGENCY = Urgency()  # an item's urgency before it is worked out


# An item's term values: (term key, value) pairs, those that are None or zero left out of
# its urgency. Pairs rather than a mapping: a large book's agenda has a set for each of
# hundreds of thousands of items, and a set is looked up as it is.
TermValues = tuple[tuple[str, Any], ...]


def urgency_of(values: Mapping[str, Any], coefficients: Coefficients) -> Urgency:
    """The urgency made of `values` (term key → value; those that are None or zero left out),
    each weighed by its coefficient."""
    return Weighing(exact_coefficients(coefficients)).weighed(tuple(values.items()))


class Weighing:
    """Weighs the terms of many items by the same exact coefficients, each term of a
    whole-number value made once: a large book's agenda has hundreds of thousands of items,
    most of whose terms (days overdue, a tier, an open complaint) repeat."""

    def __init__(self, weights: Mapping[str, Decimal]) -> None:
        self.weights = weights
        self._made: dict[tuple[str, int], Term] = {}
        self._summed: dict[TermValues, Urgency] = {}

    def summed(self, values: TermValues) -> Urgency:
        """`weighed(values)`, worked out once for each set of values: the items of a large
        agenda have few sets between them."""
        found = self._summed.get(values)
        if found is None:
            found = self._summed[values] = self.weighed(values)
        return found

    def weighed(self, values: TermValues) -> Urgency:
        """The urgency made of the terms of `values`."""
        return Urgency.summed(self.terms(values))

    def terms(self, values: TermValues) -> tuple[Term, ...]:
        """The terms of `values` (those that are None or zero left out)."""
        made, terms = self._made, []
        for key, value in values:
            if not value:
                continue
            if type(value) is int:
                term = made.get((key, value))
                if term is None:
                    term = made[(key, value)] = self._term(key, value)
                terms.append(term)
            else:
                terms.append(self._term(key, value))
        return tuple(terms)

    def _term(self, key: str, value: Any) -> Term:
        exact, coefficient = _decimal(value), self.weights[key]
        return Term(key, exact, coefficient, points_of(exact, coefficient))


@cache
def exact_coefficients(coefficients: Coefficients) -> dict[str, Decimal]:
    """Each term's coefficient as the exact decimal config.toml wrote (0.1, not 0.1000…0555)."""
    return {key: _decimal(getattr(coefficients, key)) for key in TERMS}


def term_label(term: Term, coefficients: Coefficients, *, business_days: bool = False) -> str:
    """What a term counts, in words: `days to the deadline` (`business days to…` on a case
    whose clock counts business days; `days past due (negative: to go)` when it is not yet
    due)."""
    if term.term == "overdue_day" and term.value < 0:
        return _("days past due (negative: to go)")
    if business_days and term.term == "case_day_left":
        return _("business days to the deadline")
    return _(TERMS[term.term]).format(days=coefficients.deal_closing_days)


def tier_term(tier: str | None) -> TermValues:
    """The tier term of a client of `tier` (none for an item without a client)."""
    if not tier:
        return ()
    found = _TIER_TERMS.get(tier)
    return found if found is not None else ((f"tier_{tier.lower()}", 1),)


_TIER_TERMS: dict[str, TermValues] = {tier: ((f"tier_{tier.lower()}", 1),) for tier in "ABC"}


def _decimal(number: Any) -> Decimal:
    """A value or coefficient as an exact decimal: a float as written (0.1), not as held."""
    if type(number) is Decimal:
        return number
    return Decimal(str(number)) if type(number) is float else Decimal(number)


# -- coefficients from config.toml ------------------------------------------------------------


def coefficients_from(table: Any, *, path: object) -> Coefficients:
    """The coefficients of config.toml's `[urgency]` table, the defaults for those not set;
    BookError, one sentence, for a value that is not a number."""
    if not isinstance(table, Mapping):
        raise BookError(
            _("{path}: [urgency] must be a table, like `[urgency]` then `{example}`.").format(
                path=path, example=COEFFICIENT_EXAMPLE
            )
        )
    unknown = sorted(set(table) - set(SETTINGS))
    if unknown:
        raise BookError(
            _("{path}: urgency has no setting {name}; the settings are {settings}.").format(
                path=path, name=repr(unknown[0]), settings=", ".join(SETTINGS)
            )
        )
    settings: dict[str, Any] = {
        key: _setting(key, value, path=path) for key, value in table.items()
    }
    return Coefficients(**settings)


def _setting(key: str, value: Any, *, path: object) -> float | int:
    if key == "deal_closing_days":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3650:
            raise BookError(
                _(
                    "{path}: urgency.deal_closing_days must be a whole number of days from 0 to"
                    " 3650, like 30, not {value}."
                ).format(path=path, value=repr(value))
            )
        return value
    if key in LIMITS:
        if not _is_number(value) or value < 0:
            raise BookError(
                _(
                    "{path}: urgency.{key} must be a number of 0 or more, like 10, not {value}."
                ).format(path=path, key=key, value=repr(value))
            )
        return float(value)
    if not _is_number(value):
        raise BookError(
            _(
                "{path}: urgency.{key} must be a number of points, like 2.5 or -1, not {value}."
            ).format(path=path, key=key, value=repr(value))
        )
    return float(value)


# The largest coefficient or limit taken: points stay exact to a tenth far beyond it.
LARGEST_SETTING = 1_000_000_000


def _is_number(value: Any) -> bool:
    """Whether config.toml gave a number within LARGEST_SETTING either way (TOML's true and
    false are not numbers)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) <= LARGEST_SETTING
    )


def default_coefficients() -> dict[str, float | int]:
    """Every setting of `[urgency]` with its default, in order."""
    return dict(Coefficients._field_defaults)
