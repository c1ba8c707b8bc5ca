"""Text as people remember it: letters without their accents, phone numbers by their digits,
names alike by their trigrams.

The client search index (migration 0009) holds each client's text folded by `fold_sql`, and
what is typed into a filter is folded by `fold` with the same table, so `kruger` finds Krüger
and `munchen` München whichever side has the accent. A phone number is looked up by the
digits that every notation of it holds (`search_terms`): `+31 6 1234 5678`,
`0031 6 1234 5678` and `06-1234 5678` all look for a number whose national number starts
with `612345678`, however the book's numbers were written (`national_digits` on one side,
`national_sql` on the other); digits typed without a leading `+` or `0` (`34 56`) are looked
for anywhere in a national number.

The search text is built with the fold table as it is here: a change of FOLDS needs a
migration that builds it again (tests/core/test_search_as_remembered.py checks that the
book's view folds as this module does).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# Letters that do not decompose into a base letter and a mark.
SPECIAL_FOLDS = {
    "ß": "ss",
    "ẞ": "SS",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ħ": "h",
    "Ħ": "H",
    "þ": "th",
    "Þ": "TH",
    "ð": "d",
    "Ð": "D",
    "ı": "i",
}
# The Latin letters with accents people leave out when they type a name (Latin-1 Supplement
# and Latin Extended-A).
FOLDED_RANGE = range(0xC0, 0x180)
# The longest folded form of a letter (`ß` → `ss`).
FOLD_WIDTH = 2
# Text with a character outside printable ASCII; only such text needs folding.
NOT_PLAIN_GLOB = "*[^ -~]*"
# What a phone number is written with besides its digits.
PHONE_MARKS = (" ", "-", "(", ")", ".", "/", "+", "\u00a0", "\t")
# A word of a phone number: digits and the marks between them, perhaps a leading +.
PHONE_WORD = re.compile(r"^\+?[\d().\-/]*\d[\d().\-/]*$")
# A phone number (all its words together) is looked up by its digits from this many on.
PHONE_DIGITS = 3
# The country codes of one and two digits (ITU-T E.164); all others have three.
ONE_DIGIT_CODES = ("1", "7")
# fmt: off
TWO_DIGIT_CODES = (
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
    "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
    "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
)
# fmt: on
# Words this long are looked up by their trigrams; shorter ones have none.
TRIGRAM_WORD = 3
# The columns of each client's search text (migration 0009), besides its id: what the client's
# own columns, contact points and contact persons say, folded, and its national numbers.
SEARCH_TEXT_COLUMNS = ("name", "company", "email", "city", "tags", "contacts", "people", "digits")


def _fold_of(char: str) -> str:
    if char in SPECIAL_FOLDS:
        return SPECIAL_FOLDS[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base.isascii() and base.isalpha() else char


FOLDS: dict[str, str] = {
    char: folded for char in map(chr, FOLDED_RANGE) if (folded := _fold_of(char)) != char
} | SPECIAL_FOLDS
_TABLE = str.maketrans(FOLDS)


def fold(text: str) -> str:
    """`text` with its accented Latin letters as plain ones (`Krüger` → `Kruger`)."""
    return text.translate(_TABLE)


def fold_sql(expression: str) -> str:
    """SQL text: `expression` (text, or NULL) folded as `fold` folds it, in any SQLite.

    Text of printable ASCII alone is taken as it is; other text is read character by
    character, each one looked up in FOLDS written out as two strings (its folded form in a
    cell of two characters, padded with spaces). `expression` is read several times for each
    character: give a column, not a subquery.
    """
    accented = "".join(FOLDS)
    plain = "".join(folded.ljust(FOLD_WIDTH) for folded in FOLDS.values())
    place = f"instr('{accented}', substr({expression}, i, 1))"
    char = (
        f"CASE WHEN {place} THEN rtrim(substr('{plain}', {FOLD_WIDTH} * ({place} - 1) + 1,"
        f" {FOLD_WIDTH})) ELSE substr({expression}, i, 1) END"
    )
    folded = (
        f"(WITH RECURSIVE step(i, done) AS (SELECT 1, '' UNION ALL"
        f" SELECT i + 1, done || {char} FROM step WHERE i <= length({expression}))"
        " SELECT done FROM step ORDER BY i DESC LIMIT 1)"
    )
    return f"CASE WHEN {expression} GLOB '{NOT_PLAIN_GLOB}' THEN {folded} ELSE {expression} END"


def fold_function_sql() -> str:
    """SQL text: PostgreSQL's `rmtui_fold(text)`, which folds as `fold` does (the letters that
    fold to two replaced first, then the others translated one for one)."""
    expression = "text"
    for char, folded in FOLDS.items():
        if len(folded) > 1:
            expression = f"replace({expression}, '{char}', '{folded}')"
    singles = {char: folded for char, folded in FOLDS.items() if len(folded) == 1}
    return (
        "CREATE OR REPLACE FUNCTION rmtui_fold(text text) RETURNS text"
        " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT translate("
        f"{expression}, '{''.join(singles)}', '{''.join(singles.values())}') $$"
    )


def digits_sql(expression: str) -> str:
    """SQL text: `expression` without the marks a phone number is written with."""
    for mark in PHONE_MARKS:
        expression = f"replace({expression}, '{mark}', '')"
    return expression


# -- what is typed --------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchTerm:
    """One thing a filter text asks for: a word, folded; for a phone number, also its
    national number (`national_digits`), which every notation of it gives: the start of one
    of the client's national numbers when typed from the start (after `+`, `00` or a trunk
    `0`), else anywhere in one (`34 56`)."""

    word: str
    digits: str | None = None
    from_start: bool = False

    @property
    def indexed(self) -> bool:
        """Whether the trigram index can look it up (a short word has no trigram)."""
        return len(self.word) >= TRIGRAM_WORD or self.digits is not None

    @property
    def as_written(self) -> bool:
        """Whether the word itself is looked for in the client's text: any word but a phone
        number, or a bare number (`1987`), which may be part of an e-mail address too."""
        return self.digits is None or (self.word.isdigit() and not self.from_start)

    @property
    def digits_text(self) -> str:
        """The digits as the search text holds them: a national number starts after a
        space."""
        return f" {self.digits}" if self.from_start else self.digits or ""


def search_terms(text: str) -> list[SearchTerm]:
    """The terms of a filter text: each word folded; the words of a phone number (digits and
    the marks between them, together holding PHONE_DIGITS digits or more) one term, with its
    `national_digits`."""
    terms: list[SearchTerm] = []
    words = text.split()
    position = 0
    while position < len(words):
        run = _phone_run(words, position)
        if run:
            number = " ".join(words[position : position + run])
            national = national_digits(number)
            digits = national if len(national) >= PHONE_DIGITS else None
            from_start = number.startswith(("+", "0"))
            terms.append(SearchTerm(fold(number), digits, from_start))
            position += run
        else:
            terms.append(SearchTerm(fold(words[position])))
            position += 1
    return terms


def _phone_run(words: Sequence[str], start: int) -> int:
    """How many words from `start` make up a phone number (0: not one)."""
    end = start
    while end < len(words) and PHONE_WORD.match(words[end]):
        end += 1
    digits = sum(char.isdigit() for word in words[start:end] for char in word)
    return end - start if digits >= PHONE_DIGITS else 0


def national_digits(number: str) -> str:
    """The national number of a phone number (or of its start) as digits alone: without the
    international prefix (`+` or `00`) and the country code, or without the trunk `0` of a
    number written nationally. `+31 6 1234 5678`, `0031 (0)6 1234 5678` and `06-1234 5678`
    all give `612345678`. `national_sql` does the same in SQL, for the numbers in the book.
    """
    digits = "".join(char for char in number if char.isdigit())
    if number.lstrip().startswith("+"):
        return _without_country_code(digits)
    if digits.startswith("00"):
        return _without_country_code(digits[2:])
    return digits.lstrip("0")


def _without_country_code(digits: str) -> str:
    return digits[_country_code_length(digits) :].lstrip("0")


def _country_code_length(digits: str) -> int:
    """Country codes are prefix-free: 1 and 7 alone, the TWO_DIGIT_CODES, else three digits."""
    if digits[:1] in ONE_DIGIT_CODES:
        return 1
    return 2 if digits[:2] in TWO_DIGIT_CODES else 3


def national_sql(expression: str) -> str:
    """SQL text: the national number of the phone number `expression` as `national_digits`
    gives it, NULL when it has no digits there."""
    digits = digits_sql(expression)
    rest = f"CASE WHEN {digits} LIKE '00%' THEN substr({digits}, 3) ELSE {digits} END"
    codes = "," + ",".join(TWO_DIGIT_CODES) + ","
    length = (
        f"CASE WHEN substr({rest}, 1, 1) IN ({', '.join(repr(code) for code in ONE_DIGIT_CODES)})"
        f" THEN 1 WHEN instr('{codes}', ',' || substr({rest}, 1, 2) || ',') > 0 THEN 2 ELSE 3 END"
    )
    international = f"ltrim({expression}) LIKE '+%' OR {digits} LIKE '00%'"
    national = (
        f"CASE WHEN {international} THEN ltrim(substr({rest}, {length} + 1), '0')"
        f" ELSE ltrim({digits}, '0') END"
    )
    return f"nullif({national}, '')"


# -- names alike ----------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def trigrams(word: str) -> frozenset[str]:
    """The trigrams of a word, padded as PostgreSQL's pg_trgm pads it (two spaces before, one
    after), lower case."""
    padded = f"  {word.lower()} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


@lru_cache(maxsize=8192)
def similarity(word: str, other: str) -> float:
    """How alike two words are by their trigrams, from 0 to 1 (pg_trgm's similarity)."""
    mine, theirs = trigrams(word), trigrams(other)
    return len(mine & theirs) / len(mine | theirs)


def likeness(words: Sequence[str], text: str) -> list[float]:
    """How alike a text is to each of the typed `words`: its similarity to the likest word of
    `text` (0 for a text without words)."""
    theirs = set(fold(text).lower().split())
    return [
        max((similarity(word.lower(), other) for other in theirs), default=0.0) for word in words
    ]


def inner_trigrams(word: str) -> list[str]:
    """The trigrams inside a word (unpadded, lower case), as the trigram index holds them."""
    lowered = word.lower()
    return sorted({lowered[i : i + 3] for i in range(len(lowered) - 2)})
