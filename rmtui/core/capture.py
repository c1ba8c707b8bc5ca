"""One line of text read as a logged contact, jrnl style, in English or Dutch words:
`yesterday 14:00 call jansen re pension review +fu 2w send proposal #pension`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from rmtui.core.client_choice import CANDIDATES, Candidate, candidates_text
from rmtui.core.dates import DateError, now, parse_date
from rmtui.core.errors import BookError
from rmtui.core.parsers import FieldError, parse_moment
from rmtui.core.translation import _

# The words that say what kind of contact it was, English and Dutch.
KIND_WORDS = {
    "call": (
        "call",
        "called",
        "phone",
        "phoned",
        "rang",
        "ring",
        "gebeld",
        "belde",
        "bellen",
        "telefoon",
        "telefonisch",
    ),
    "meeting": ("meeting", "met", "meet", "afspraak", "vergadering", "overleg", "gesprek"),
    "email": ("email", "e-mail", "emailed", "e-mailed", "mail", "mailed", "gemaild", "mailde"),
    "video": ("video", "videocall", "zoom", "teams", "videogesprek", "beeldbellen"),
    "message": ("message", "messaged", "text", "texted", "sms", "whatsapp", "bericht", "geappt"),
    "visit": ("visit", "visited", "bezoek", "bezocht", "huisbezoek"),
    "note": ("note", "notitie", "memo"),
}
KIND_OF_WORD = {word: kind for kind, words in KIND_WORDS.items() for word in words}
# Dutch words for a day or a time, read as their English equals.
DUTCH_WORDS = {
    "gisteren": "yesterday",
    "vandaag": "today",
    "morgen": "tomorrow",
    "nu": "now",
    "volgende": "next",
    "week": "week",
    "maand": "month",
    "maandag": "monday",
    "dinsdag": "tuesday",
    "woensdag": "wednesday",
    "donderdag": "thursday",
    "vrijdag": "friday",
    "zaterdag": "saturday",
    "zondag": "sunday",
}
FILLERS = ("with", "to", "from", "met", "aan", "naar", "van", "om", "at", "bij")
SUBJECT_WORDS = ("re", "re:", "about", "over", "betreft", "inzake", "ivm", "-", ":")
FOLLOW_UP_MARKS = ("+fu", "+followup", "+follow-up", "+opvolging")
SUBJECT_COLON = re.compile(r":(\s|$)")  # `jansen: wants a call back`, not `14:00`
LONGEST_WHEN = 3  # words: `next week`, `yesterday 14:00`, `2026-11-02 10:00`

Finder = Callable[[str], Sequence[Candidate]]


class CaptureError(BookError):
    """A line that cannot be read as one contact with one client, said in one sentence."""


@dataclass(frozen=True)
class Capture:
    """What a line was understood to say."""

    at: datetime
    kind: str | None  # None: the client's preferred channel says
    client: Candidate
    subject: str | None
    follow_up_due: date | None = None
    follow_up_title: str | None = None
    tags: tuple[str, ...] = field(default=())

    def notes(self) -> str | None:
        """The tags, kept in the interaction's notes (`#pension #urgent`)."""
        return " ".join(f"#{tag}" for tag in self.tags) or None


def read_capture(text: str, *, find: Finder, moment: datetime | None = None) -> Capture:
    """Read `text`: an optional when (default now) and kind in either order, before or just
    after the client (the longest run of words matching exactly one client by `find`),
    `re SUBJECT` or just the subject, `+fu WHEN TITLE` and `#tags` anywhere."""
    moment = moment or now()
    words, tags = _without_tags(SUBJECT_COLON.sub(r" :\1", text).split())
    words, follow_up = _split_at(words, FOLLOW_UP_MARKS)
    at, kind, words = _when_and_kind(words, moment)
    words = _skip_fillers(words)
    if not words:
        raise CaptureError(_("say who it was with: a client's name or id after the kind."))
    client, rest = _client(words, find)
    if at is None or kind is None:  # `called jansen yesterday 14:00 about …`
        later_at, later_kind, after = _when_and_kind(_skip_fillers(rest), moment)
        if (at is None and later_at) or (kind is None and later_kind):
            at, kind, rest = at or later_at, kind or later_kind, after
    subject = " ".join(_subject_words(rest)) or None
    due, title = _follow_up(follow_up, moment.date()) if follow_up is not None else (None, None)
    return Capture(at or moment, kind, client, subject, due, title, tuple(tags))


def _without_tags(words: list[str]) -> tuple[list[str], list[str]]:
    tags = [word[1:].lower() for word in words if word.startswith("#") and len(word) > 1]
    return [word for word in words if not (word.startswith("#") and len(word) > 1)], list(
        dict.fromkeys(tags)
    )


def _split_at(words: list[str], marks: tuple[str, ...]) -> tuple[list[str], list[str] | None]:
    for position, word in enumerate(words):
        if word.lower() in marks:
            return words[:position], words[position + 1 :]
    return words, None


def _when_and_kind(
    words: list[str], moment: datetime
) -> tuple[datetime | None, str | None, list[str]]:
    """The moment and the kind at the start of `words`, in either order (None when not
    given), and the words after them."""
    at: datetime | None = None
    kind: str | None = None
    for _round in range(2):
        if kind is None and words and words[0].lower() in KIND_OF_WORD:
            kind, words = KIND_OF_WORD[words[0].lower()], words[1:]
        if at is None:
            at, words = _moment(words, moment)
    return at, kind, words


def _moment(words: list[str], moment: datetime) -> tuple[datetime | None, list[str]]:
    """The longest run of leading words that is a moment (`yesterday 14:00`), and the rest."""
    for size in range(min(LONGEST_WHEN, len(words)), 0, -1):
        typed = [DUTCH_WORDS.get(word.lower(), word) for word in words[:size]]
        typed = [word for word in typed if word.lower() != "om"]  # `gisteren om 14:00`
        if not typed or typed[-1].lower() in FILLERS:
            continue
        try:
            return parse_moment(" ".join(typed), base=moment.date()), words[size:]
        except (FieldError, DateError):
            continue
    return None, words


def _skip_fillers(words: list[str]) -> list[str]:
    while words and words[0].lower() in FILLERS:
        words = words[1:]
    return words


def _client(words: list[str], find: Finder) -> tuple[Candidate, list[str]]:
    """The client meant by the longest leading run of words that matches exactly one, and
    the words after it; the longest ambiguous run is refused with its candidates."""
    ambiguous: tuple[str, Sequence[Candidate]] | None = None
    for size in range(_before_subject(words), 0, -1):
        text = " ".join(words[:size])
        found = find(text)
        if len(found) == 1:
            return found[0], words[size:]
        if found and ambiguous is None:
            ambiguous = (text, found)
    if ambiguous is not None:
        text, found = ambiguous
        said = (
            _(
                "'{text}' matches more than {count} clients; write more of the name or the id."
                " Nothing was written."
            )
            if len(found) > CANDIDATES
            else _(
                "'{text}' matches {count} clients; write more of the name or the id. Nothing was"
                " written."
            )
        )
        count = CANDIDATES if len(found) > CANDIDATES else len(found)
        listed = candidates_text(found[:CANDIDATES])
        raise CaptureError(said.format(text=text, count=count) + "\n" + listed)
    named = " ".join(words[: _before_subject(words)])
    raise CaptureError(_("no client matches '{text}'; nothing was written.").format(text=named))


def _before_subject(words: list[str]) -> int:
    """How many leading words may name the client: up to `re` (or the end)."""
    for position, word in enumerate(words):
        if word.lower() in SUBJECT_WORDS:
            return position
    return len(words)


def _subject_words(words: list[str]) -> list[str]:
    if words and words[0].lower() in SUBJECT_WORDS:
        return words[1:]
    return words


def _follow_up(words: list[str], day: date) -> tuple[date, str | None]:
    """`WHEN TITLE` after +fu: the longest leading run of words that is a date, the title."""
    for size in range(min(2, len(words)), 0, -1):
        typed = " ".join(DUTCH_WORDS.get(word.lower(), word) for word in words[:size])
        try:
            due = parse_date(typed, base=day)
        except DateError:
            continue
        return due, " ".join(words[size:]) or None
    shown = " ".join(words) or _("nothing")
    raise CaptureError(
        _(
            "+fu needs a day first, e.g. `+fu 2w send proposal`, not '{shown}'; nothing was"
            " written."
        ).format(shown=shown)
    )
