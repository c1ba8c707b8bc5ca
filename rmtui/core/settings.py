"""The user's settings, read from config.toml in rmtui's configuration folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from rmtui.core import paths
from rmtui.core.case_clocks import (
    DEFAULT_CLOCKS,
    DEFAULT_COUNTRY,
    ClockPreset,
    clocks_from,
    country_from,
)
from rmtui.core.errors import BookError
from rmtui.core.translation import _
from rmtui.core.urgency import DEFAULT_COEFFICIENTS, Coefficients, coefficients_from

DEFAULT_BACKUP_KEEP = 7


class Settings(NamedTuple):
    """What the user may configure; every field has a sensible default."""

    daily_backup: bool = True
    backup_keep: int = DEFAULT_BACKUP_KEEP
    display_locale: str | None = None
    # `[display] language`: the language of the text ("nl", "en"), apart from the figures.
    display_language: str | None = None
    # `[book] country`: whose public holidays a business-day clock skips.
    country: str = DEFAULT_COUNTRY
    # The clocks a case may be opened with, by name (`[case_clocks.NAME]`).
    case_clocks: Mapping[str, ClockPreset] = DEFAULT_CLOCKS
    # `[urgency]`: what each term of a Today item's urgency is worth (core/urgency.py).
    urgency: Coefficients = DEFAULT_COEFFICIENTS
    # `[user] name`: who works in the book (the owner of the clients they add, the name in
    # the audit trail); None: the login name (people.session_user).
    user_name: str | None = None


def settings_path() -> Path:
    """The configuration file: config.toml in the user's rmtui configuration folder."""
    return paths.config_file()


def load_settings(path: Path | None = None) -> Settings:
    """The settings in `path` (default `settings_path()`); defaults when there is no file."""
    path = path or settings_path()
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        raise BookError(
            _("{path} cannot be read ({reason}).").format(path=path, reason=error.strerror)
        ) from None
    import tomllib  # only when there is a file: a command without one does not load it

    try:
        data = tomllib.loads(text.decode())
    except tomllib.TOMLDecodeError as error:
        raise BookError(
            _("{path} is not valid TOML ({error}); correct or remove it.").format(
                path=path, error=error
            )
        ) from None
    backups = _settings_from(data.get("backups", {}), path)
    return backups._replace(
        display_locale=_display_text(data.get("display", {}), "locale", path),
        display_language=_display_text(data.get("display", {}), "language", path),
        country=country_from(data.get("book", {}), path=path),
        case_clocks=clocks_from(data.get("case_clocks", {}), path=path),
        urgency=coefficients_from(data.get("urgency", {}), path=path),
        user_name=_user_name(data.get("user", {}), path),
    )


def _user_name(user: Any, path: Path) -> str | None:
    """`[user] name`, such as "anna" (None when not set)."""
    if not isinstance(user, dict):
        raise BookError(f'{path}: [user] must be a table, like `[user]` then `name = "anna"`.')
    name = user.get("name")
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip():
        raise BookError(f'{path}: user.name must be a name in quotes, like "anna".')
    return name.strip()


def _display_text(display: Any, key: str, path: Path) -> str | None:
    """`[display] locale` or `language`, such as "nl_NL" or "en" (None when not set)."""
    if not isinstance(display, dict):
        raise BookError(
            _('{path}: [display] must be a table, like `[display]` then `locale = "nl"`.').format(
                path=path
            )
        )
    value = display.get(key)
    if value is not None and not isinstance(value, str):
        raise BookError(
            _('{path}: display.{key} must be text, like "nl_NL" or "en".').format(
                path=path, key=key
            )
        )
    return value


def _settings_from(backups: Any, path: Path) -> Settings:
    if not isinstance(backups, dict):
        raise BookError(
            _("{path}: [backups] must be a table, like `[backups]` then `keep = 7`.").format(
                path=path
            )
        )
    keep = backups.get("keep", DEFAULT_BACKUP_KEEP)
    daily = backups.get("daily", True)
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        raise BookError(
            _("{path}: backups.keep must be a whole number of at least 1.").format(path=path)
        )
    if not isinstance(daily, bool):
        raise BookError(_("{path}: backups.daily must be true or false.").format(path=path))
    return Settings(daily_backup=daily, backup_keep=keep)
