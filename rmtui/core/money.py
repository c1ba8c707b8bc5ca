"""Exact money: Decimal in Python, integer cents in SQLite (money_column.py), decimal strings in
JSON."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from rmtui.core.figures import amount_text
from rmtui.core.translation import _
from rmtui.core.user_locale import number_symbols, user_locale

CENT = Decimal("0.01")
PLAIN_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
PLAIN_EXAMPLE = "1234.50"
# The largest amount kept: its cents fit SQLite's 64-bit integers with room to add them up.
LARGEST_AMOUNT = Decimal("999999999999.99")


class MoneyError(ValueError):
    """A text that is not an amount of money."""


class TooManyDecimals(MoneyError):
    """An amount with more than two decimals, which would have to be rounded."""


class TooLarge(MoneyError):
    """An amount larger than the book keeps."""


def _not_an_amount(text: object, example: str) -> str:
    """The refusal of a `text` that is not an amount, showing how to write one."""
    return _("'{text}' is not an amount; write it like {example}").format(
        text=text, example=example
    )


def parse_money(value: str | int | Decimal) -> Decimal:
    """Read an amount as the interchange format writes it, `1234.50` (a dot, no thousands
    separators, at most two decimals), or an exact number; never rounded."""
    if isinstance(value, float):
        raise MoneyError(_("amounts must be given as text, not as a floating-point number"))
    if isinstance(value, Decimal | int):
        return _exact(Decimal(value), value, PLAIN_EXAMPLE)
    if value.__class__ is not str or not PLAIN_AMOUNT.fullmatch(value.strip()):
        raise MoneyError(_not_an_amount(value, PLAIN_EXAMPLE))
    return _exact(Decimal(value.strip()), value, PLAIN_EXAMPLE)


def read_amount(text: str, *, locale: str | None = None) -> Decimal:
    """Read an amount typed by the user the way their locale writes it (en `1,234.50`, nl
    `1.234,50`; a currency sign and spaces may stand in it), or MoneyError showing how to
    write it. Never rounded: more than two decimals are refused."""
    from babel.numbers import NumberFormatError, parse_decimal

    locale = locale or user_locale()
    example = amount_example(locale)
    cleaned = "".join(char for char in text if not _is_sign_or_space(char))
    if not cleaned or "e" in cleaned.lower():
        raise MoneyError(_not_an_amount(text, example))
    try:
        value = parse_decimal(cleaned, locale=locale, strict=True)
    except NumberFormatError:
        raise MoneyError(_not_an_amount(text, example)) from None
    return _exact(value, text, example)


def amount_example(locale: str | None = None, *, example: str = PLAIN_EXAMPLE) -> str:
    """How `example` is written in `locale` (default the user's): 1234.50 or 1234,50."""
    _group, decimal = number_symbols(locale or user_locale())
    return example.replace(".", decimal)


def _is_sign_or_space(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Sc"


def _exact(value: Decimal, text: object, example: str) -> Decimal:
    """`value` to the cent, or MoneyError when it is not finite, has more than two decimals or
    is too large to keep."""
    if not value.is_finite():
        raise MoneyError(_not_an_amount(text, example))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        said = _("'{text}' has more than two decimals; write it like {example}")
        raise TooManyDecimals(said.format(text=text, example=example))
    if abs(value) > LARGEST_AMOUNT:
        said = _("'{text}' is too large; amounts go up to {largest}")
        raise TooLarge(said.format(text=text, largest=amount_text(LARGEST_AMOUNT)))
    return value.quantize(CENT)


def to_cents(amount: Decimal) -> int:
    """Whole cents of an exact amount."""
    return int((amount * 100).to_integral_value(ROUND_HALF_UP))


def from_cents(cents: int | None) -> Decimal:
    """The exact amount for a number of cents (0 for None)."""
    return (Decimal(cents or 0) / 100).quantize(CENT)


def money_text(amount: Decimal | None) -> str:
    """An amount for the JSON interchange and CSV: a plain decimal string."""
    return "" if amount is None else str(amount.quantize(CENT))
