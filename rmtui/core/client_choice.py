"""Which client a typed id or text means: one, several (to list), or none.

Read on a DB-API connection (`read_client_choice`), so a command that only reads finds its
client with sqlite3 alone; `choose_client` reads it in a session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rmtui.core.db_api import LIKE_ESCAPE, Connection, fetch_all, like_escaped, of_session
from rmtui.core.search_text import fold

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

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
    """The client an id or a text means, read in `session` (see read_client_choice)."""
    return read_client_choice(of_session(session), text)


def read_client_choice(connection: Connection, text: str) -> ClientChoice:
    """The client an id or a text means, read on a DB-API `connection`.

    A number is a client id (archived clients too). A text matches, in this order: the whole
    name (without regard to case), then every word of it as a whole word of the name
    (`jansen` → Piet Jansen), then every word as the start of a word of the name (`jans`);
    the first of these that finds anyone decides, among clients that are not archived.
    Accents are left out on both sides (`kruger` → Lena Krüger), as the client filter does.
    """
    text = fold(" ".join(text.split()))
    if text.isdigit():
        rows = fetch_all(connection, f"{CANDIDATE_SQL} WHERE id = ?", (int(text),))
        return ClientChoice(text, tuple(Candidate(*row) for row in rows))
    words = text.split(" ")
    for patterns in (None, _word_patterns(words, whole=True), _word_patterns(words, whole=False)):
        found = _matching(connection, text, patterns)
        if found:
            return ClientChoice(text, found)
    return ClientChoice(text, ())


def candidates_text(candidates: Sequence[Candidate]) -> str:
    """Candidates of an ambiguous choice, one per line: id, name, city."""
    return "\n".join(
        f"{found.id:>7}  {found.name}" + (f"  ({found.city})" if found.city else "")
        for found in candidates
    )


CANDIDATE_SQL = "SELECT id, name, city FROM client"
# The clients with their names folded as the client filter reads them (`search_text.fold`).
FOLDED_SQL = (
    "SELECT client.id, client.name, client.city FROM client"
    " JOIN client_search_text AS folded ON folded.id = client.id"
)


def _word_patterns(words: Sequence[str], *, whole: bool) -> list[str]:
    """LIKE patterns of the name, padded with a space at each end, holding each word as a
    word (case-insensitive for ASCII letters), or as the start of one."""
    ending = " %" if whole else "%"
    return [f"% {like_escaped(word)}{ending}" for word in words]


def _matching(
    connection: Connection, text: str, patterns: list[str] | None
) -> tuple[Candidate, ...]:
    """The clients (not archived) whose whole folded name is `text` (ignoring case), or,
    given `patterns`, whose padded folded name matches every one; CANDIDATES + 1 at most, by
    name."""
    if patterns is None:
        condition, params = "folded.name = :text COLLATE NOCASE", {"text": text}
    else:
        condition = " AND ".join(
            f"(' ' || folded.name || ' ') LIKE :word_{number} ESCAPE '{LIKE_ESCAPE}'"
            for number in range(len(patterns))
        )
        params = {f"word_{number}": pattern for number, pattern in enumerate(patterns)}
    sql = (
        f"{FOLDED_SQL} WHERE {condition} AND client.archived IS 0"
        f" ORDER BY client.name COLLATE NOCASE, client.id LIMIT {CANDIDATES + 1}"
    )
    return tuple(Candidate(*row) for row in fetch_all(connection, sql, params))
