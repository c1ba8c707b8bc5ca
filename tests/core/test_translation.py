"""The translations: the language chosen, the Dutch catalogue whole and compiled, plural forms,
day names and the date words typed in Dutch."""

from __future__ import annotations

import gettext
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from rmtui.core import translation
from rmtui.core.dates import date_text, day_text, long_day_text, parse_date
from rmtui.core.translation import (
    KEYWORDS,
    _,
    current_language,
    in_language,
    language_of,
    locale_dir,
    ngettext,
    reset_language,
    user_language,
)
from rmtui.core.user_locale import user_locale
from rmtui.core.wording import ago_text, in_days_text, records_text

ROOT = Path(__file__).resolve().parents[2]
NL_PO = locale_dir() / "nl" / "LC_MESSAGES" / "rmtui.po"
NL_MO = locale_dir() / "nl" / "LC_MESSAGES" / "rmtui.mo"
BASE = date(2026, 12, 1)  # a Tuesday


def use_locale(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make `name` the user's locale (RMTUI_LOCALE), choosing the language afresh."""
    monkeypatch.setenv("RMTUI_LOCALE", name)
    user_locale.cache_clear()
    reset_language()


def write_config(home: Path, text: str) -> None:
    config = home / "config" / "rmtui"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(text)


def code_messages() -> set[tuple[str | None, str | tuple[str, ...]]]:
    """Every message the code marks for translation, as `pybabel extract` finds it."""
    found = extract_from_dir(
        str(ROOT / "rmtui"),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
    )
    messages: set[tuple[str | None, str | tuple[str, ...]]] = set()
    for _file, _line, message, _comments, context in found:
        messages.add((context, message if isinstance(message, str) else tuple(message)))
    return messages


def dutch_catalogue() -> list[tuple[str | None, Any, Any, set[str]]]:
    with NL_PO.open("rb") as file:
        catalogue = read_po(file)
    return [
        (message.context, message.id, message.string, set(message.flags))
        for message in catalogue
        if message.id
    ]


def test_the_language_follows_the_locale_of_the_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    use_locale(monkeypatch, "nl_BE.UTF-8")
    assert user_language() == "nl"
    assert _("Today") == "Vandaag"
    use_locale(monkeypatch, "en_GB")
    assert _("Today") == "Today"


def test_a_language_rmtui_is_not_written_in_is_english(monkeypatch: pytest.MonkeyPatch) -> None:
    use_locale(monkeypatch, "de_DE.UTF-8")
    assert user_language() == "en"
    assert language_of("C") is None
    assert language_of("nl-NL") == "nl"


def test_the_environment_names_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RMTUI_LOCALE")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LC_MESSAGES", "C")
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    reset_language()
    assert user_language() == "nl"


def test_display_language_chooses_it_apart_from_the_figures(
    private_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(private_dirs, '[display]\nlocale = "en_US"\nlanguage = "nl"\n')
    use_locale(monkeypatch, "en")
    assert user_language() == "nl"
    assert user_locale() == "en_US"  # the figures keep their own locale


def test_display_locale_chooses_the_language_when_no_language_is_set(
    private_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(private_dirs, '[display]\nlocale = "nl_NL"\n')
    use_locale(monkeypatch, "en")
    assert user_language() == "nl"


def test_a_block_can_be_written_in_another_language(monkeypatch: pytest.MonkeyPatch) -> None:
    use_locale(monkeypatch, "en")
    with in_language("nl"):
        assert current_language() == "nl"
        assert _("Client since") == "Klant sinds"
    assert _("Client since") == "Client since"


def test_dutch_plurals_and_numbers_in_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    use_locale(monkeypatch, "nl_NL")
    assert records_text("clients", 1) == "1 klant"
    assert records_text("clients", 3) == "3 klanten"
    assert records_text("clients", 1234) == "1.234 klanten"
    assert ngettext("{count} day", "{count} days", 0).format(count=0) == "0 dagen"
    assert ago_text(1) == "gisteren"
    assert ago_text(3) == "3 dagen geleden"
    assert in_days_text(3) == "over 3 dagen"


def test_day_and_month_names_in_dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    use_locale(monkeypatch, "nl_NL")
    assert date_text(BASE) == "01 dec 2026"
    assert day_text(BASE, today=BASE) == "di 01 dec"
    assert long_day_text(date(2027, 3, 4)) == "donderdag 4 mrt 2027"
    use_locale(monkeypatch, "en")
    assert day_text(BASE, today=BASE) == "Tue 01 Dec"


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("morgen", date(2026, 12, 2)),
        ("overmorgen", date(2026, 12, 3)),
        ("gisteren", date(2026, 11, 30)),
        ("vrijdag", date(2026, 12, 4)),
        ("vr", date(2026, 12, 4)),
        ("volgende dinsdag", date(2026, 12, 8)),
        ("volgende week", date(2026, 12, 8)),
        ("volgende maand", date(2027, 1, 1)),
        ("volgend jaar", date(2027, 12, 1)),
        ("over 3 dagen", date(2026, 12, 4)),
        ("2 weken", date(2026, 12, 15)),
        ("+1 maand", date(2027, 1, 1)),
        ("+3d", date(2026, 12, 4)),
        ("tomorrow", date(2026, 12, 2)),
        ("fri", date(2026, 12, 4)),
        ("next month", date(2027, 1, 1)),
    ],
)
def test_date_words_in_either_language(typed: str, day: date) -> None:
    assert parse_date(typed, base=BASE) == day


def test_a_month_is_not_a_monday() -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_date("maand", base=BASE)


def test_the_dutch_catalogue_has_every_message_of_the_code() -> None:
    in_code = code_messages()
    in_catalogue = {(context, msgid) for context, msgid, _string, _flags in dutch_catalogue()}
    missing = sorted(in_code - in_catalogue, key=str)
    assert not missing, f"run the extraction of ARCHITECTURE.md; not in the catalogue: {missing}"
    stale = sorted(in_catalogue - in_code, key=str)
    assert not stale, f"in the catalogue but no longer in the code: {stale}"


def test_every_dutch_message_is_translated_and_none_is_fuzzy() -> None:
    untranslated = [
        msgid
        for _context, msgid, string, flags in dutch_catalogue()
        if "fuzzy" in flags or not string or (isinstance(string, tuple | list) and not all(string))
    ]
    assert not untranslated


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    import re

    fields = re.compile(r"\{[a-z_]*\}")
    for _context, msgid, string, _flags in dutch_catalogue():
        source = msgid[-1] if isinstance(msgid, tuple) else msgid
        for text in string if isinstance(string, tuple | list) else (string,):
            assert sorted(fields.findall(str(text))) == sorted(fields.findall(source)), msgid


def test_the_compiled_catalogue_is_the_one_of_the_po_file() -> None:
    """The .mo shipped in the package is compiled from the .po as it is now (`pybabel compile
    -d rmtui/locale -D rmtui` after each change of the .po)."""
    with NL_MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    for context, msgid, string, _flags in dutch_catalogue():
        if isinstance(msgid, tuple):
            assert isinstance(string, tuple | list)
            assert compiled.ngettext(msgid[0], msgid[1], 1) == string[0], msgid
            assert compiled.ngettext(msgid[0], msgid[1], 2) == string[1], msgid
        elif context:
            assert compiled.pgettext(context, msgid) == string, msgid
        else:
            assert compiled.gettext(msgid) == string, msgid


def test_choosing_the_language_does_not_load_babel() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from rmtui.core.translation import _\n"
        "assert _('Today') == 'Vandaag'\n"
        "assert 'babel' not in sys.modules, sorted(m for m in sys.modules if 'babel' in m)\n"
    )
    env = {"RMTUI_LOCALE": "nl_NL", "PATH": "", "HOME": "/nonexistent"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_the_catalogues_are_in_the_package() -> None:
    assert translation.catalogue("nl").gettext("Clients") == "Klanten"
    assert NL_MO.is_relative_to(ROOT / "rmtui")


def test_no_message_hides_inside_an_f_string() -> None:
    """`pybabel extract` does not look inside f-strings: `f"{_('Notes')}"` would never reach
    the catalogue, so a message is translated outside one and its result put in."""
    import re

    hidden = re.compile(r"""\bf(["'])[^\n]*?\{(?:_|ngettext|pgettext)\(\s*["']""")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "rmtui").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if hidden.search(line)
    ]
    assert not found


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("elke 2 weken", "every 2 weeks", "elke 2 weken"),
        ("maandelijks", "every month", "elke maand"),
        ("om de 3 maanden", "every 3 months", "elke 3 maanden"),
        ("jaarlijks na afronding", "yearly after done", "jaarlijks na afronding"),
        ("every 2 weeks", "every 2 weeks", "elke 2 weken"),
    ],
)
def test_repeat_rules_are_typed_and_shown_in_dutch(
    monkeypatch: pytest.MonkeyPatch, typed: str, stored: str, shown: str
) -> None:
    from rmtui.core.repeats import repeat_shown, repeat_text

    use_locale(monkeypatch, "nl_NL")
    assert repeat_text(typed) == stored  # stored in one form, whatever the language typed
    assert repeat_shown(stored) == shown
    use_locale(monkeypatch, "en")
    assert repeat_shown(stored) == stored


def test_a_repeat_rmtui_cannot_read_is_refused_in_dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    from rmtui.core.repeats import RepeatError, parse_repeat

    use_locale(monkeypatch, "nl_NL")
    with pytest.raises(RepeatError, match="'soms' is geen herhaling; schrijf elke 2 weken"):
        parse_repeat("soms")


def test_a_broken_config_toml_is_reported_in_the_language_of_the_environment(
    private_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rmtui.core.errors import BookError
    from rmtui.core.settings import load_settings

    write_config(private_dirs, '[display]\nlanguage = "nl"\n[backups]\nkeep = 0\n')
    use_locale(monkeypatch, "nl_BE.UTF-8")
    assert user_language() == "nl"
    with pytest.raises(BookError, match=r"backups\.keep moet een geheel getal van minstens 1 zijn"):
        load_settings()
