"""Which client a typed id or text means: one, several (to list), or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, literal, select
from sqlalchemy.orm import Session

from rmtui.core.models import Client
from rmtui.core.queries.common import LIKE_ESCAPE, like_escaped, table_of

CLIENT = table_of(Client)
CANDIDATES = 10  # how many of several matching clients are listed


@dataclass(frozen=True)
class Candidate:
    """A client a text may mean, as a list of candidates shows it."""

    id: int
    name: str
    city: str | None


@dataclass(frozen=True)
class ClientChoice:
    """The clients a text matches, best tier first: one is a choice, several are ambiguous."""

    text: str
    matches: tuple[Candidate, ...]

    @property
    def client(self) -> Candidate | None:
        """The one client meant, or None when the text matches none or several."""
        return self.matches[0] if len(self.matches) == 1 else None


def choose_client(*, session: Session, text: str) -> ClientChoice:
    """The client an id or a text means.

    A number is a client id (archived clients too). A text matches, in this order: the whole
    name (without regard to case), then every word of it as a whole word of the name
    (`jansen` → Piet Jansen), then every word as the start of a word of the name (`jans`);
    the first of these that finds anyone decides, among clients that are not archived.
    """
    text = " ".join(text.split())
    if text.isdigit():
        return ClientChoice(text, _by_id(session, int(text)))
    words = text.split(" ")
    for condition in (
        CLIENT.c.name.collate("NOCASE") == text,
        and_(*(_has_word(word, whole=True) for word in words)),
        and_(*(_has_word(word, whole=False) for word in words)),
    ):
        found = _matching(session, condition)
        if found:
            return ClientChoice(text, found)
    return ClientChoice(text, ())


def candidates_text(candidates: Sequence[Candidate]) -> str:
    """Candidates of an ambiguous choice, one per line: id, name, city."""
    return "\n".join(
        f"{found.id:>7}  {found.name}" + (f"  ({found.city})" if found.city else "")
        for found in candidates
    )


def _by_id(session: Session, client_id: int) -> tuple[Candidate, ...]:
    query = select(CLIENT.c.id, CLIENT.c.name, CLIENT.c.city).where(CLIENT.c.id == client_id)
    return tuple(Candidate(*row) for row in session.execute(query))


def _has_word(word: str, *, whole: bool) -> ColumnElement[bool]:
    """The name holds `word` as a word (case-insensitive for ASCII letters), or as the start
    of one."""
    padded = literal(" ") + CLIENT.c.name + literal(" ")
    ending = " %" if whole else "%"
    return padded.like(f"% {like_escaped(word)}{ending}", escape=LIKE_ESCAPE)


def _matching(session: Session, condition: ColumnElement[bool]) -> tuple[Candidate, ...]:
    query = (
        select(CLIENT.c.id, CLIENT.c.name, CLIENT.c.city)
        .where(condition, CLIENT.c.archived.is_(False))
        .order_by(CLIENT.c.name.collate("NOCASE"), CLIENT.c.id)
        .limit(CANDIDATES + 1)
    )
    return tuple(Candidate(*row) for row in session.execute(query))
