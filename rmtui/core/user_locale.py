"""The user's locale for numbers: `[display] locale`, RMTUI_LOCALE, the environment, else English.

Babel is imported only where a locale is looked up, so start-up does not pay for it.
"""

from __future__ import annotations

import os
from functools import cache

LOCALE_ENV = "RMTUI_LOCALE"
# The environment variables that name a locale, in the order POSIX reads them for numbers.
ENVIRONMENT = ("LC_ALL", "LC_NUMERIC", "LANG")
DEFAULT_LOCALE = "en"
# The separators of DEFAULT_LOCALE, known without loading Babel (a test checks them against
# Babel's): a command printing figures in the default locale does not pay for Babel.
DEFAULT_SYMBOLS = (",", ".")
# Locale names that name no language (the environment's default).
NO_LANGUAGE = frozenset({"", "C", "POSIX"})


@cache
def user_locale() -> str:
    """The locale amounts are shown and read in, as Babel names it (`nl_NL`, `en`)."""
    for candidate in (_configured(), *_from_environment()):
        name = babel_name(candidate) if candidate else None
        if name is not None:
            return name
    return DEFAULT_LOCALE


def babel_name(text: str) -> str | None:
    """The Babel name of a locale written as `nl_NL.UTF-8`, `nl-BE` or `de`, or None for
    `C`, `POSIX` and names Babel does not know."""
    base = text.split(".")[0].split("@")[0].replace("-", "_").strip()
    if base in NO_LANGUAGE:
        return None
    if base == DEFAULT_LOCALE:
        return DEFAULT_LOCALE
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(base))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def _configured() -> str | None:
    from rmtui.core.errors import BookError
    from rmtui.core.paths import config_file

    if not os.path.exists(config_file()):  # none (or none readable): nothing set
        return None
    from rmtui.core.settings import load_settings

    try:
        return load_settings().display_locale
    except BookError:  # a broken config.toml is reported where it is read for its own sake
        return None


def _from_environment() -> tuple[str | None, ...]:
    return (os.environ.get(LOCALE_ENV), *(os.environ.get(name) for name in ENVIRONMENT))


@cache
def number_symbols(locale: str) -> tuple[str, str]:
    """The thousands separator and the decimal sign of `locale`."""
    if locale == DEFAULT_LOCALE:
        return DEFAULT_SYMBOLS
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_group_symbol(locale), get_decimal_symbol(locale)


def user_region() -> str | None:
    """The country of the user's locale (`BE` for nl_BE), for reading phone numbers written
    without a country code; None when the locale names none."""
    from babel import Locale

    return Locale.parse(user_locale()).territory


def writes_day_first() -> bool:
    """Whether the user's locale writes a date with the day before the month (nl 15-12-2026,
    en_GB 15/12/2026), not the month first (en_US 12/15/26)."""
    from babel.dates import get_date_format

    pattern = get_date_format("short", locale=user_locale()).pattern.lower()
    return pattern.find("d") < pattern.find("m")
