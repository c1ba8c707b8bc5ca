"""Small pieces of wording shared by the screens, the agenda and the review report."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rmtui.core.figures import count_text


def days_text(count: int) -> str:
    """`count` days in words: `1 day`, `3 days`."""
    return counted(count, "day")


def ago_text(days: int) -> str:
    """How long ago something happened `days` days back: `today`, `yesterday`, `3 days ago`."""
    if days == 0:
        return "today"
    return "yesterday" if days == 1 else f"{days_text(days)} ago"


def counted(count: int, one: str, many: str | None = None, *, at_least: bool = False) -> str:
    """`count` things in words, the number in the user's locale: `1 client`, `1,234 clients`
    (nl `1.234 clients`), `1,000+ clients` `at_least`; `many` defaults to `one` + "s"."""
    return f"{count_text(count)}{'+' if at_least else ''} {plural(count, one, many)}"


# How many records of an entity (or other things counted in a message) are said: one, many.
NOUNS = {
    "clients": ("client", "clients"),
    "interactions": ("interaction", "interactions"),
    "follow_ups": ("follow-up", "follow-ups"),
    "opportunities": ("opportunity", "opportunities"),
    "revenue": ("revenue entry", "revenue entries"),
    "holdings": ("holding", "holdings"),
    "financial_goals": ("financial goal", "financial goals"),
    "surveys": ("survey", "surveys"),
    "cases": ("case", "cases"),
    "targets": ("target", "targets"),
    "contact_points": ("contact point", "contact points"),
    "contact_persons": ("contact person", "contact persons"),
    "households": ("household", "households"),
    "household_members": ("household member", "household members"),
    "audit": ("audit entry", "audit entries"),
    "to-dos": ("to-do", "to-dos"),
    "events": ("event", "events"),
    "rows": ("row", "rows"),
    "CSV files": ("CSV file", "CSV files"),
}


def plural(count: int, one: str, many: str | None = None) -> str:
    """The noun for `count` things: `one` for 1, else `many` (default: `one` + "s")."""
    return one if count == 1 else (many or f"{one}s")


def records_text(entity: str, count: int) -> str:
    """`count` records of `entity` (a key of NOUNS) in words, e.g. `1,503 interactions`."""
    one, many = NOUNS[entity]
    return counted(count, one, many)


def counts_text(counts: Mapping[str, int]) -> str:
    """Records per entity in words, e.g. `60 clients, 1 interaction, 0 follow-ups`."""
    return ", ".join(records_text(entity, count) for entity, count in counts.items())


def members_stay(members: int) -> str:
    """What happens to the members of a deleted household, in words (`its 3 members stay
    clients, with everything about them`)."""
    if members == 0:
        return "it has no members"
    if members == 1:
        return "its one member stays a client, with everything about them"
    return f"its {members} members stay clients, with everything about them"


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
