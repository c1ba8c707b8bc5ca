"""Exact money: amounts read from text, kept as cents, written back and shown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine

from rmtui.core.money import (
    LARGEST_AMOUNT,
    Money,
    MoneyError,
    from_cents,
    money_display,
    money_text,
    money_within,
    parse_money,
    short_money,
    to_cents,
)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1234.50", "1234.50"),
        ("-3", "-3.00"),
        ("0.005", "0.01"),  # half a cent rounds up
        ("-0.005", "-0.01"),  # and away from zero below it
        ("12.344", "12.34"),
        ("1,234.50", "1234.50"),
        ("1234,5", "1234.50"),
        ("€ 1 234,50", "1234.50"),
        ("$1_000", "1000.00"),
        (" 7 ", "7.00"),
        ("1e3", "1000.00"),
        (Decimal("2.345"), "2.35"),
        (12, "12.00"),
        ("999999999999.99", "999999999999.99"),
    ],
)
def test_amounts_are_read_to_the_cent(text: str | Decimal | int, amount: str) -> None:
    assert parse_money(text) == Decimal(amount)
    assert str(parse_money(text)) == amount


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ten", "'ten' is not an amount; write it like 1234.50"),
        ("NaN", "'NaN' is not an amount; write it like 1234.50"),
        ("1" * 30, f"'{'1' * 30}' is too large; amounts go up to 999,999,999,999.99"),
        ("-1000000000000", "'-1000000000000' is too large; amounts go up to"),
        (1.5, "amounts must be given as text, not as a floating-point number"),
    ],
)
def test_what_is_not_an_amount_says_why(text: object, message: str) -> None:
    with pytest.raises(MoneyError) as error:
        parse_money(text)  # type: ignore[arg-type]
    assert str(error.value).startswith(message)


def test_the_largest_amount_fits_in_cents_with_room_to_add_up() -> None:
    assert to_cents(LARGEST_AMOUNT) * 10_000 < 2**63


def test_cents_round_trip() -> None:
    for text in ("0.01", "-10.05", "1234.56", "999999999999.99"):
        assert from_cents(to_cents(Decimal(text))) == Decimal(text)
    assert from_cents(None) == Decimal("0.00")


def test_the_column_stores_what_parse_money_reads() -> None:
    dialect = create_engine("sqlite://").dialect
    store: Any = Money().bind_processor(dialect)
    for value in (Decimal("2.345"), Decimal("-2.345"), Decimal("7"), "1,234.505", 3):
        assert store(value) == to_cents(parse_money(value))
    assert store(None) is None


def test_amounts_as_written_and_shown() -> None:
    assert money_text(Decimal("5")) == "5.00" and money_text(None) == ""
    assert money_display(Decimal("1234567")) == "1,234,567"
    assert money_display(Decimal("-1234.5")) == "-1,234.50"
    assert money_display(None) == "—"


def test_an_amount_fits_its_column_without_losing_digits() -> None:
    assert money_within(Decimal("73939229.90"), 15) == "73,939,229.90"
    assert money_within(Decimal("73939229.90"), 12) == "73,939,230"
    assert money_within(Decimal("-73939229.90"), 12) == "-73,939,230"
    assert money_within(Decimal("13369455994.52"), 12) == "13.4B"
    assert money_within(None, 3) == "—"


def test_short_amounts() -> None:
    assert short_money(Decimal("182769936.01")) == "182.8M"
    assert short_money(Decimal("25300")) == "25.3k"
    assert short_money(Decimal("950.50")) == "950.50"
