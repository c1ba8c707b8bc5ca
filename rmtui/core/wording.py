"""Small pieces of wording shared by the screens, the agenda and the review report."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rmtui.core.figures import count_text
from rmtui.core.translation import N_plural, _, ngettext


def days_text(count: int) -> str:
    """`count` days in words: `1 day`, `3 days` (nl `1 dag`, `3 dagen`)."""
    return ngettext("{count} day", "{count} days", count).format(count=count_text(count))


def ago_text(days: int) -> str:
    """How long ago something happened `days` days back: `today`, `yesterday`, `3 days ago`."""
    if days == 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("{count} day ago", "{count} days ago", days).format(count=count_text(days))


def in_days_text(days: int) -> str:
    """How soon something happens `days` days ahead: `today`, `tomorrow`, `in 3 days`."""
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return ngettext("in {count} day", "in {count} days", days).format(count=count_text(days))


def count_of(forms: tuple[str, str], count: int, *, at_least: bool = False) -> str:
    """A message about `count` things in the language of the text, from the two forms marked
    with `N_plural` (`{count}` is the number in the user's locale, `1,000+` `at_least`)."""
    return ngettext(*forms, count).format(count=count_text(count) + ("+" if at_least else ""))


def plural_noun(entity: str) -> str:
    """The records of `entity` (a key of NOUNS) without their number: `clients`, nl `klanten`."""
    return ngettext(*NOUNS[entity], 2).replace("{count}", "").strip()


def counted(count: int, one: str, many: str | None = None) -> str:
    """`count` things in words, the number in the user's locale: `1 client`, `1,234 clients`
    (nl `1.234 clients`); `many` defaults to `one` + "s"."""
    return f"{count_text(count)} {plural(count, one, many)}"


# How many records of an entity (or other things counted in a message) are said: one, many.
NOUNS = {
    "clients": N_plural("{count} client", "{count} clients"),
    "interactions": N_plural("{count} interaction", "{count} interactions"),
    "follow_ups": N_plural("{count} follow-up", "{count} follow-ups"),
    "opportunities": N_plural("{count} opportunity", "{count} opportunities"),
    "revenue": N_plural("{count} revenue entry", "{count} revenue entries"),
    "holdings": N_plural("{count} holding", "{count} holdings"),
    "financial_goals": N_plural("{count} financial goal", "{count} financial goals"),
    "surveys": N_plural("{count} survey", "{count} surveys"),
    "cases": N_plural("{count} case", "{count} cases"),
    "targets": N_plural("{count} target", "{count} targets"),
    "contact_points": N_plural("{count} contact point", "{count} contact points"),
    "contact_persons": N_plural("{count} contact person", "{count} contact persons"),
    "households": N_plural("{count} household", "{count} households"),
    "household_members": N_plural("{count} household member", "{count} household members"),
    "audit": N_plural("{count} audit entry", "{count} audit entries"),
    "to-dos": N_plural("{count} to-do", "{count} to-dos"),
    "events": N_plural("{count} event", "{count} events"),
    "rows": N_plural("{count} row", "{count} rows"),
    "CSV files": N_plural("{count} CSV file", "{count} CSV files"),
}


def plural(count: int, one: str, many: str | None = None) -> str:
    """The noun for `count` things: `one` for 1, else `many` (default: `one` + "s")."""
    return one if count == 1 else (many or f"{one}s")


def records_text(entity: str, count: int) -> str:
    """`count` records of `entity` (a key of NOUNS) in words, e.g. `1,503 interactions`."""
    return count_of(NOUNS[entity], count)


def counts_text(counts: Mapping[str, int]) -> str:
    """Records per entity in words, e.g. `60 clients, 1 interaction, 0 follow-ups`."""
    return ", ".join(records_text(entity, count) for entity, count in counts.items())


def members_stay(members: int) -> str:
    """What happens to the members of a deleted household, in words (`its 3 members stay
    clients, with everything about them`)."""
    if members == 0:
        return _("it has no members")
    if members == 1:
        return _("its one member stays a client, with everything about them")
    return ngettext(
        "its {count} member stays a client, with everything about them",
        "its {count} members stay clients, with everything about them",
        members,
    ).format(count=count_text(members))


# The characters that steer a terminal instead of showing: C0 controls but tab and newline,
# DEL and the C1 controls. Text from a book or a file never reaches the terminal with them.
CONTROL_CHARACTERS = (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0))
CONTROL_PATTERN = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in CONTROL_CHARACTERS) + "]"
)
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def has_control_characters(text: str) -> bool:
    """Whether `text` holds a character `printable` would replace."""
    return CONTROL_PATTERN.search(text) is not None


def printable(text: str, *, replacement: str = REPLACEMENT) -> str:
    """`text` with every control character (escape sequences included) replaced, so that
    showing it can neither retitle nor clear the terminal."""
    # A scan at C's speed when there are none (a command's output may be tens of megabytes).
    return CONTROL_PATTERN.sub(lambda _control: replacement, text)
