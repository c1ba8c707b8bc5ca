"""Every kind of figure written by its one rule, in English and in Dutch."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rmtui.core.figures import (
    amount_text,
    amount_within,
    compact_text,
    count_text,
    factor_text,
    listed_amount_text,
    mean_text,
    percent_text,
    points_text,
    signed_count_text,
    signed_total_text,
    total_text,
    totals_within,
    urgency_text,
    whole_percent_text,
)
from rmtui.core.translation import reset_language
from rmtui.core.user_locale import user_locale
from rmtui.core.wording import ago_text, counted, days_text, records_text


@pytest.fixture(params=["en_US", "nl_NL"])
def locale(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The user's locale for one test: American English, then Dutch (its words Dutch too)."""
    monkeypatch.setenv("RMTUI_LOCALE", request.param)
    user_locale.cache_clear()
    reset_language()
    return str(request.param)


def in_locale(locale: str, english: str, dutch: str) -> str:
    return english if locale == "en_US" else dutch


def test_an_amount_is_exact(locale: str) -> None:
    assert amount_text(Decimal("1234.50")) == in_locale(locale, "1,234.50", "1.234,50")
    assert amount_text(Decimal("1200.00")) == in_locale(locale, "1,200", "1.200")
    assert amount_text(Decimal("1234567.89")) == in_locale(locale, "1,234,567.89", "1.234.567,89")
    assert amount_text(Decimal("-1234.5")) == in_locale(locale, "-1,234.50", "-1.234,50")
    assert amount_text(None) == "—"


def test_a_listed_amount_drops_its_cents_from_ten_thousand(locale: str) -> None:
    assert listed_amount_text(Decimal("45.50")) == in_locale(locale, "45.50", "45,50")
    assert listed_amount_text(Decimal("9999.99")) == in_locale(locale, "9,999.99", "9.999,99")
    assert listed_amount_text(Decimal("245300.17")) == in_locale(locale, "245,300", "245.300")
    assert listed_amount_text(Decimal("-73939229.90")) == in_locale(
        locale, "-73,939,230", "-73.939.230"
    )


def test_a_total_is_in_whole_units(locale: str) -> None:
    assert total_text(Decimal("225662.80")) == in_locale(locale, "225,663", "225.663")
    assert total_text(Decimal("0.50")) == "1"  # half up
    assert total_text(Decimal("-0.49")) == "0"
    assert total_text(None) == "—"


def test_compact_only_where_the_whole_total_does_not_fit(locale: str) -> None:
    assert compact_text(Decimal("182769936.01")) == in_locale(locale, "182.8M", "182,8M")
    assert compact_text(Decimal("1300000000")) == in_locale(locale, "1.3B", "1,3B")
    assert compact_text(Decimal("25300")) == in_locale(locale, "25.3k", "25,3k")
    assert compact_text(Decimal("950.50")) == "951"
    assert amount_within(Decimal("73939229.90"), 15) == in_locale(
        locale, "73,939,230", "73.939.230"
    )
    assert amount_within(Decimal("9876.54"), 12) == in_locale(locale, "9,876.54", "9.876,54")
    assert amount_within(Decimal("13369455994.52"), 12) == in_locale(locale, "13.4B", "13,4B")
    assert amount_within(None, 3) == "—"


def test_totals_side_by_side_share_one_form() -> None:
    amounts = [Decimal("1573000"), Decimal("15450000"), Decimal("676000")]
    assert totals_within(amounts, 10) == ["1,573,000", "15,450,000", "676,000"]
    assert totals_within(amounts, 9) == ["1.6M", "15.5M", "676.0k"]


def test_counts_are_grouped_and_the_noun_agrees(locale: str) -> None:
    assert count_text(1234) == in_locale(locale, "1,234", "1.234")
    assert counted(1, "client") == "1 client"
    assert counted(2, "client") == "2 clients"
    assert counted(1234, "client") == in_locale(locale, "1,234 clients", "1.234 clients")
    assert records_text("opportunities", 1) == in_locale(locale, "1 opportunity", "1 kans")
    assert records_text("interactions", 1503) == in_locale(
        locale, "1,503 interactions", "1.503 contactmomenten"
    )
    assert days_text(1) == in_locale(locale, "1 day", "1 dag")
    assert days_text(40) == in_locale(locale, "40 days", "40 dagen")


def test_how_long_ago() -> None:
    assert [ago_text(days) for days in (0, 1, 40)] == ["today", "yesterday", "40 days ago"]


def test_percentages_points_and_means_to_one_decimal(locale: str) -> None:
    assert percent_text(97.66) == in_locale(locale, "97.7%", "97,7%")
    assert percent_text(40.21, signed=True) == in_locale(locale, "+40.2%", "+40,2%")
    assert percent_text(-14.29, signed=True) == in_locale(locale, "-14.3%", "-14,3%")
    assert percent_text(-0.04, signed=True) == in_locale(locale, "0.0%", "0,0%")  # no -0.0
    assert percent_text(None) == "—"
    assert points_text(0.1) == in_locale(locale, "+0.1 pts", "+0,1 ptn")
    assert points_text(-30.25) == in_locale(locale, "-30.3 pts", "-30,3 ptn")
    assert mean_text(4) == in_locale(locale, "4.0", "4,0")
    assert mean_text(-0.7, signed=True) == in_locale(locale, "-0.7", "-0,7")
    assert whole_percent_text(Decimal("25.0")) == "25%"


def test_urgency_to_one_decimal_and_its_factors_as_they_are(locale: str) -> None:
    assert urgency_text(Decimal("12.5")) == in_locale(locale, "12.5", "12,5")
    assert urgency_text(Decimal("-4")) == in_locale(locale, "-4.0", "-4,0")
    assert factor_text(9) == "9" and factor_text(Decimal("-2.0")) == "-2"
    assert factor_text(Decimal("0.05")) == in_locale(locale, "0.05", "0,05")
    assert factor_text(Decimal("1.2505")) == in_locale(locale, "1.251", "1,251")
    assert factor_text(1000) == in_locale(locale, "1,000", "1.000")
    assert factor_text(0) == "0"


def test_changes_carry_their_sign(locale: str) -> None:
    assert signed_count_text(3) == "+3" and signed_count_text(-1) == "-1"
    assert signed_count_text(0) == "0"
    assert signed_total_text(Decimal("30000.40")) == in_locale(locale, "+30,000", "+30.000")
    assert signed_total_text(Decimal("-1234.50")) == in_locale(locale, "-1,235", "-1.235")


def test_the_default_locale_is_known_without_babel() -> None:
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from rmtui.core.user_locale import (
        DEFAULT_LOCALE,
        DEFAULT_SYMBOLS,
        NO_LANGUAGE,
        babel_name,
        number_symbols,
    )

    assert str(Locale.parse(DEFAULT_LOCALE)) == babel_name(DEFAULT_LOCALE) == DEFAULT_LOCALE
    babel_symbols = (get_group_symbol(DEFAULT_LOCALE), get_decimal_symbol(DEFAULT_LOCALE))
    assert number_symbols(DEFAULT_LOCALE) == DEFAULT_SYMBOLS == babel_symbols
    assert all(babel_name(f"{name}.UTF-8") is None for name in NO_LANGUAGE)
    assert babel_name("nl_BE.UTF-8") == "nl_BE"
