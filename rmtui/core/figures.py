"""How each kind of figure is written for a person, in the user's locale: one rule per kind.

- amount: one record's amount where it is the subject (a form, a message, the line about
  the record under the cursor): exact, cents when it has cents. 1,234.50, 1,200 (nl 1.234,50).
- listed amount: a record's amount in a list, a table or a summary (a revenue entry, an
  account's value, a goal's target, a deal's value): as an amount below 10,000, in whole
  units from there. 45.50, 245,300.
- total: a sum or an estimate (assets, revenue of a period, the KPIs, stage and pipeline
  totals, weighted values, projections, changes and trends of them): whole units, rounded
  half up. 1,234,568 (nl 1.234.568).
- compact: a total or an amount where a fixed narrow space cannot hold it in whole units:
  one decimal and k, M or B. 15.4M (nl 15,4M). Figures shown side by side take one form.
- count: how many of something, grouped. 1,234 clients (nl 1.234); the noun agrees
  (core.wording.counted).
- percent: a rate, a share or a growth, to one decimal. 97.7%, +40.2% (nl 97,7%).
- points: the change of a percentage or a score, to one decimal. +0.1 pts.
- mean: an average or a score (CSAT, NPS), to one decimal. 4.0 (nl 4,0).
- whole percent: a fixed share beside a bar or of a stage (progress, probability). 25%.
- urgency: a Today item's score or a term's points, to one decimal (12.5, -4.0); a term's value
  or coefficient as it is, to at most three decimals (9, 0.05, 1.251).

A change carries + or -, and no sign when it rounds to zero; a missing figure is a dash.
Numbers are formatted by Python and given the separators of the user's locale, which Babel
knows (user_locale.number_symbols).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from rmtui.core.translation import _, document_locale
from rmtui.core.user_locale import number_symbols, user_locale

MISSING = "—"
COMPACT_SIZES = ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "k"))
WHOLE = Decimal(1)
# From this size on, an amount in a list is shown in whole units: its cents add nothing there.
LISTED_WHOLE_FROM = Decimal(10_000)

Number = int | float | Decimal


def amount_text(amount: Decimal | None) -> str:
    """One record's amount, exact: 1,234.50, and 1,200 when it has no cents."""
    if amount is None:
        return MISSING
    if amount == amount.to_integral_value():
        return _localised(f"{amount:,.0f}")
    return _localised(f"{amount:,.2f}")


def listed_amount_text(amount: Decimal | None) -> str:
    """A record's amount in a list or a summary: exact below LISTED_WHOLE_FROM (45.50), in
    whole units from there (245,300)."""
    if amount is not None and abs(amount) >= LISTED_WHOLE_FROM:
        return total_text(amount)
    return amount_text(amount)


def total_text(amount: Decimal | None) -> str:
    """A sum or an estimate in whole units: 1,234,568."""
    return _decimal_text(amount, 0)


def whole_units(amount: Decimal) -> Decimal:
    """An amount rounded half up to whole units."""
    return Decimal(amount).quantize(WHOLE, ROUND_HALF_UP)


def compact_text(amount: Decimal | None) -> str:
    """An amount in few characters: 182.8M, 1.3B, 25.3k; below a thousand in whole units."""
    if amount is None:
        return MISSING
    for size, suffix in COMPACT_SIZES:
        if abs(amount) >= size:
            return _decimal_text(amount / size, 1) + suffix
    return total_text(amount)


def amount_within(amount: Decimal | None, width: int, *, total: bool = False) -> str:
    """A listed amount (a total when `total`) for a column `width` characters wide, never
    cut: in its own form when that fits, else in whole units, else compact."""
    text = total_text(amount) if total else listed_amount_text(amount)
    if amount is None or len(text) <= width:
        return text
    text = total_text(amount)
    return text if len(text) <= width else compact_text(amount)


def totals_within(totals: Sequence[Decimal | None], width: int) -> list[str]:
    """Totals shown side by side, each in at most `width` characters, all in one form: in
    whole units when every one fits, else all compact."""
    whole = [total_text(total) for total in totals]
    if all(len(text) <= width for text in whole):
        return whole
    return [compact_text(total) for total in totals]


def count_text(count: int) -> str:
    """How many of something: 1,234."""
    return _localised(f"{count:,}")


def percent_text(value: Number | None, *, signed: bool = False) -> str:
    """A rate, a share or a growth to one decimal: 97.7%, or +40.2% when `signed`."""
    return _decimal_text(value, 1, signed=signed) + ("%" if value is not None else "")


def points_text(value: Number | None) -> str:
    """The change of a percentage or a score: +0.1 pts."""
    if value is None:
        return _decimal_text(value, 1, signed=True)
    return _("{points} pts").format(points=_decimal_text(value, 1, signed=True))


def mean_text(value: Number | None, *, signed: bool = False) -> str:
    """An average or a score to one decimal: 4.0, or -0.7 when `signed`."""
    return _decimal_text(value, 1, signed=signed)


def urgency_text(value: Number) -> str:
    """An urgency score or a term's points, to one decimal: 12.5, -4.0."""
    return _decimal_text(value, 1)


def factor_text(value: Number) -> str:
    """A term of urgency's value or coefficient, to at most three decimals: 9, 0.05, -2."""
    return _decimal_text(value, 3).rstrip("0").rstrip(".,")  # 1.500 → 1.5, 9.000 → 9


def whole_percent_text(value: Number | None) -> str:
    """A fixed share beside a bar or a stage, without decimals: 25%."""
    return _decimal_text(value, 0) + ("%" if value is not None else "")


def signed_count_text(value: int | None) -> str:
    """The change of a count: +3, -1, 0."""
    return _decimal_text(value, 0, signed=True)


def signed_total_text(amount: Decimal | None) -> str:
    """The change of a total in whole units: +1,234, -56."""
    return _decimal_text(amount, 0, signed=True)


def _decimal_text(value: Number | None, digits: int, *, signed: bool = False) -> str:
    """`value` rounded half up to `digits` decimals, grouped; with + or - when `signed` (no
    sign when it rounds to zero)."""
    if value is None:
        return MISSING
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no -0.0
    magnitude = _localised(f"{abs(rounded):,.{digits}f}")
    if rounded < 0:
        return f"-{magnitude}"
    return f"+{magnitude}" if signed and rounded > 0 else magnitude


def _localised(number: str) -> str:
    """A number formatted by Python (`1,234.5`) with the user's locale's separators (those of
    the document's language, when it is written in another; see `document_locale`)."""
    group, decimal = number_symbols(document_locale() or user_locale())
    if (group, decimal) == (",", "."):
        return number
    return number.translate({ord(","): group, ord("."): decimal})
