"""The language of rmtui's text: gettext catalogues, chosen like the locale of the figures.

English is the source language; `rmtui/locale/<language>/LC_MESSAGES/rmtui.mo` holds each
translation (compiled from its `.po`, see ARCHITECTURE.md). The language is `[display]
language` in config.toml, else the language of the locale the figures follow (`[display]
locale`, RMTUI_LOCALE, LC_ALL, LC_MESSAGES, LANG), else English. Only the standard library's
gettext is loaded for it: choosing a language never loads Babel.

Text written where a module is defined (bindings, headings, tables of words) is marked with
`N_` and translated with `_` where it is shown, so the language is chosen when the text is
read, never when a module is imported.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "rmtui"
SOURCE_LANGUAGE = "en"
# The languages rmtui is written in; any other falls back to the source language.
LANGUAGES = ("en", "nl")
LOCALE_ENV = "RMTUI_LOCALE"
# The environment variables that name the language of messages, in the order POSIX reads them.
ENVIRONMENT = ("LC_ALL", "LC_MESSAGES", "LANG")

# The functions `pybabel extract` reads messages from (with `-k`), and which arguments.
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "N_plural": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pN_": ((1, "c"), 2),
}

# A language chosen for a while (a report in the client's language), over the user's own.
_chosen: ContextVar[str | None] = ContextVar("rmtui_language", default=None)


def locale_dir() -> Path:
    """The folder of the compiled catalogues, shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "locale"


def language_of(text: str | None) -> str | None:
    """The language rmtui speaks for a locale or language name (`nl_BE.UTF-8` → `nl`), or
    None when the name is empty, `C`/`POSIX`, or a language rmtui is not written in."""
    if not text:
        return None
    language = text.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return language if language in LANGUAGES else None


@cache
def user_language() -> str:
    """The language the user reads rmtui in (`nl`, `en`)."""
    return _first_language((*_configured(), *_from_environment()))


def _first_language(candidates: tuple[str | None, ...]) -> str:
    """The language of the first candidate that names a locale or language."""
    for candidate in candidates:
        language = language_of(candidate)
        if language is not None:
            return language
        if candidate and candidate.split(".")[0] not in ("C", "POSIX"):
            return SOURCE_LANGUAGE  # a locale named, in a language rmtui is not written in
    return SOURCE_LANGUAGE


def current_language() -> str:
    """The language text is written in now: the one chosen for a while, else the user's."""
    return _chosen.get() or user_language()


def document_locale() -> str | None:
    """The locale figures are written in inside `in_language` when that language is not the
    user's (a Dutch client's report written by an English-speaking user has `1.234,50`); None
    elsewhere: the user's own locale."""
    chosen = _chosen.get()
    return chosen if chosen is not None and chosen != user_language() else None


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Write text in `language` (`nl`, `en`) inside the block, e.g. a client's report; its
    figures follow that language too when it is not the user's (`document_locale`)."""
    token = _chosen.set(language_of(language) or SOURCE_LANGUAGE)
    try:
        yield
    finally:
        _chosen.reset(token)


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The translations into `language`; none (the English source) when it has no catalogue."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, locale_dir(), [language], fallback=True)


def _(message: str) -> str:
    """`message` in the current language."""
    return catalogue(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count` things in the current language (its plural rules)."""
    return catalogue(current_language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, told apart from the same English in `context`."""
    return catalogue(current_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark `message` for translation where it is defined; `_` translates it where shown."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark the two forms of a message about a count where they are defined; `ngettext`
    translates them where the count is known."""
    return singular, plural


def pN_(context: str, message: str) -> tuple[str, str]:
    """Mark `message` in `context` for translation where it is defined; `pgettext` translates
    it where shown."""
    return context, message


def reset_language() -> None:
    """Choose the language afresh (after config.toml or the environment changed)."""
    user_language.cache_clear()


def _configured() -> tuple[str | None, str | None]:
    """`[display] language` and `[display] locale` of config.toml."""
    from rmtui.core.errors import BookError
    from rmtui.core.paths import config_file

    if not os.path.exists(config_file()):  # none (or none readable): nothing set
        return None, None
    from rmtui.core.settings import load_settings

    # What config.toml says wrong is written in the language of the environment meanwhile.
    token = _chosen.set(_first_language(_from_environment()))
    try:
        settings = load_settings()
    except BookError:  # a broken config.toml is reported where it is read for its own sake
        return None, None
    finally:
        _chosen.reset(token)
    return settings.display_language, settings.display_locale


def _from_environment() -> tuple[str | None, ...]:
    return (os.environ.get(LOCALE_ENV), *(os.environ.get(name) for name in ENVIRONMENT))
