"""Exact money: Decimal in Python, integer cents in SQLite, decimal strings in JSON."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Integer
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")
PLAIN_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# The largest amount kept: its cents fit SQLite's 64-bit integers with room to add them up.
LARGEST_AMOUNT = Decimal("999999999999.99")
SHORT_SIZES = ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "k"))


class MoneyError(ValueError):
    """A text that is not an amount of money."""


def parse_money(text: str | int | Decimal) -> Decimal:
    """Read an amount such as `1234.5`, `1,234.50` or `€ 1 234,50` as exact Decimal."""
    if isinstance(text, Decimal | int):
        return _to_the_cent(Decimal(text), text)
    if isinstance(text, float):
        raise MoneyError("amounts must be given as text, not as a floating-point number")
    if text.__class__ is str and PLAIN_AMOUNT.fullmatch(text):  # as exported: nothing to clean
        return _to_the_cent(Decimal(text), text)
    cleaned = str(text).strip().replace("€", "").replace("$", "").replace("£", "")
    cleaned = cleaned.replace(" ", "").replace("_", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".") if cleaned.count(",") == 1 else cleaned
    cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(f"'{text}' is not an amount; write it like 1234.50") from None
    if not value.is_finite():
        raise MoneyError(f"'{text}' is not an amount; write it like 1234.50")
    return _to_the_cent(value, text)


def _to_the_cent(value: Decimal, text: object) -> Decimal:
    """`value` rounded to the cent, or MoneyError when it is too large to keep."""
    if abs(value) > LARGEST_AMOUNT:
        raise MoneyError(f"'{text}' is too large; amounts go up to {LARGEST_AMOUNT:,}")
    return value.quantize(CENT, ROUND_HALF_UP)


def to_cents(amount: Decimal) -> int:
    """Whole cents of an exact amount."""
    return int((amount * 100).to_integral_value(ROUND_HALF_UP))


def from_cents(cents: int | None) -> Decimal:
    """The exact amount for a number of cents (0 for None)."""
    return (Decimal(cents or 0) / 100).quantize(CENT)


def money_text(amount: Decimal | None) -> str:
    """An amount for the JSON interchange and CSV: a plain decimal string."""
    return "" if amount is None else str(amount.quantize(CENT))


def money_display(amount: Decimal | None) -> str:
    """An amount for the screen: thousands separated, no fraction for whole amounts."""
    if amount is None:
        return "—"
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def money_within(amount: Decimal | None, width: int) -> str:
    """An amount for a column `width` characters wide, never cut: as money_display, in whole
    units when its cents make it too wide, and short (13.4B) when still too wide."""
    text = money_display(amount)
    if amount is None or len(text) <= width:
        return text
    text = money_display(amount.quantize(Decimal(1), ROUND_HALF_UP))
    return text if len(text) <= width else short_money(amount)


def short_money(amount: Decimal) -> str:
    """An amount in few characters: 182.8M, 1.3B, 25.3k; below a thousand as money_display."""
    for size, suffix in SHORT_SIZES:
        if abs(amount) >= size:
            return f"{amount / size:,.1f}{suffix}"
    return money_display(amount)


class Money(TypeDecorator[Decimal]):
    """A column of exact money stored as integer cents."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if value.__class__ is Decimal:  # rounding once to whole cents is the same
            return to_cents(value)
        return to_cents(parse_money(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else from_cents(value)
