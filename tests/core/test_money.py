"""Exact money: amounts read from text, kept as cents, written back and shown."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from rmtui.core.money import (
    LARGEST_AMOUNT,
    MoneyError,
    amount_example,
    from_cents,
    money_text,
    parse_money,
    read_amount,
    to_cents,
)
from rmtui.core.money_column import Money
from rmtui.core.settings import settings_path
from rmtui.core.user_locale import user_locale


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1234.50", "1234.50"),
        ("-3", "-3.00"),
        (" 7 ", "7.00"),
        ("0.5", "0.50"),
        (Decimal("2.34"), "2.34"),
        (Decimal("12.30"), "12.30"),
        (12, "12.00"),
        ("999999999999.99", "999999999999.99"),
    ],
)
def test_interchange_amounts_are_plain_and_exact(text: str | Decimal | int, amount: str) -> None:
    assert parse_money(text) == Decimal(amount)
    assert str(parse_money(text)) == amount


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ten", "'ten' is not an amount; write it like 1234.50"),
        ("NaN", "'NaN' is not an amount; write it like 1234.50"),
        ("1,234.50", "'1,234.50' is not an amount; write it like 1234.50"),
        ("1.234,50", "'1.234,50' is not an amount; write it like 1234.50"),
        ("1e3", "'1e3' is not an amount; write it like 1234.50"),
        ("0.005", "'0.005' has more than two decimals; write it like 1234.50"),
        ("12.344", "'12.344' has more than two decimals; write it like 1234.50"),
        (Decimal("2.345"), "'2.345' has more than two decimals"),
        ("1" * 30, f"'{'1' * 30}' is too large; amounts go up to 999,999,999,999.99"),
        ("-1000000000000", "'-1000000000000' is too large; amounts go up to"),
        (1.5, "amounts must be given as text, not as a floating-point number"),
    ],
)
def test_what_is_not_an_amount_says_why(text: object, message: str) -> None:
    with pytest.raises(MoneyError) as error:
        parse_money(text)  # type: ignore[arg-type]
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("locale", "text", "amount"),
    [
        ("en", "1,234.50", "1234.50"),
        ("en", "12,000", "12000.00"),
        ("en", "1234.5", "1234.50"),
        ("en", "$ 1,000", "1000.00"),
        ("en", "-1,234.50", "-1234.50"),
        ("nl", "1.234,50", "1234.50"),
        ("nl", "€ 1.234,50", "1234.50"),
        ("nl", "275.000,50", "275000.50"),
        ("nl", "1234,5", "1234.50"),
        ("nl", "1 234,50", "1234.50"),
        ("nl", "-1.234,50", "-1234.50"),
        ("nl_BE", "€1.234,50", "1234.50"),
        ("de_CH", "1'234.50", "1234.50"),
    ],
)
def test_typed_amounts_read_as_the_locale_writes_them(locale: str, text: str, amount: str) -> None:
    assert read_amount(text, locale=locale) == Decimal(amount)


@pytest.mark.parametrize(
    ("locale", "text", "message"),
    [
        ("en", "1.234,50", "'1.234,50' is not an amount; write it like 1234.50"),
        ("en", "12.345", "'12.345' has more than two decimals; write it like 1234.50"),
        ("en", "1e3", "'1e3' is not an amount; write it like 1234.50"),
        ("nl", "1,234.50", "'1,234.50' is not an amount; write it like 1234,50"),
        ("nl", "12,000", "'12,000' has more than two decimals; write it like 1234,50"),
        ("nl", "1234.50", "'1234.50' is not an amount; write it like 1234,50"),
        ("nl", "", "'' is not an amount; write it like 1234,50"),
    ],
)
def test_typed_amounts_that_do_not_read_cleanly_are_refused(
    locale: str, text: str, message: str
) -> None:
    with pytest.raises(MoneyError) as error:
        read_amount(text, locale=locale)
    assert str(error.value) == message


def test_the_example_follows_the_users_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    assert amount_example() == "1234.50"
    monkeypatch.setenv("RMTUI_LOCALE", "nl_NL")
    user_locale.cache_clear()
    assert amount_example() == "1234,50"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"RMTUI_LOCALE": "nl_NL.UTF-8"}, "nl_NL"),
        ({"LC_ALL": "nl_BE.UTF-8", "LANG": "en_US.UTF-8"}, "nl_BE"),
        ({"LC_NUMERIC": "de_DE.UTF-8", "LANG": "en_US.UTF-8"}, "de_DE"),
        ({"LANG": "en_US.UTF-8"}, "en_US"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "xx_YY"}, "en"),
        ({}, "en"),
    ],
)
def test_the_locale_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name in ("RMTUI_LOCALE", "LC_ALL", "LC_NUMERIC", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    user_locale.cache_clear()
    assert user_locale() == expected


def test_the_config_file_names_the_locale_first(
    monkeypatch: pytest.MonkeyPatch, private_dirs: Path
) -> None:
    config = settings_path()
    config.parent.mkdir(parents=True)
    config.write_text('[display]\nlocale = "nl_NL"\n')
    monkeypatch.setenv("RMTUI_LOCALE", "en_US")
    user_locale.cache_clear()
    assert user_locale() == "nl_NL"


def test_the_largest_amount_fits_in_cents_with_room_to_add_up() -> None:
    assert to_cents(LARGEST_AMOUNT) * 10_000 < 2**63


def test_cents_round_trip() -> None:
    for text in ("0.01", "-10.05", "1234.56", "999999999999.99"):
        assert from_cents(to_cents(Decimal(text))) == Decimal(text)
    assert from_cents(None) == Decimal("0.00")


def test_the_column_stores_what_parse_money_reads() -> None:
    dialect = create_engine("sqlite://").dialect
    store: Any = Money().bind_processor(dialect)
    for value in (Decimal("2.34"), Decimal("-2.34"), Decimal("7"), "1234.50", 3):
        assert store(value) == to_cents(parse_money(value))
    assert store(None) is None


def test_amounts_as_written_for_files() -> None:
    assert money_text(Decimal("5")) == "5.00" and money_text(None) == ""
    assert money_text(Decimal("-1234.5")) == "-1234.50"
