"""Clients that may already be the one being added: the same e-mail, phone number or name."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rmtui.core.models import Client
from rmtui.core.queries.common import table_of
from rmtui.core.translation import _

CLIENT = table_of(Client)
# Phone numbers are first matched on their last digits, then compared as numbers.
MATCHED_DIGITS = 7
NAME_SLACK = 1  # characters a stored name may be longer or shorter (a space) and still match


@dataclass(frozen=True)
class LookAlike:
    """A client in the book that may be the one being added, and why."""

    client_id: int
    name: str
    reason: str  # "the same e-mail address", "the same phone number" or "the same name"


def look_alikes(
    *, session: Session, name: str, email: str | None, phone: str | None, region: str | None
) -> list[LookAlike]:
    """The clients with the same e-mail address, the same phone number (compared as numbers
    in `region`, so +32 470 11 22 33 is 0470 11 22 33 in BE) or the same name (compared
    without regard to case or accents), each once, in that order."""
    found: dict[int, LookAlike] = {}
    for reason, rows in (
        (_("the same e-mail address"), _same_email(session, email)),
        (_("the same phone number"), _same_phone(session, phone, region)),
        (_("the same name"), _same_name(session, name)),
    ):
        for client_id, client_name in rows:
            found.setdefault(client_id, LookAlike(client_id, client_name, reason))
    return list(found.values())


def folded_name(name: str) -> str:
    """A name without accents, case or extra spaces: `Émile  De Smet` → `emile de smet`."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def same_number(first: str, second: str, region: str | None) -> bool:
    """Whether two phone numbers are the same number, read in `region` when they are written
    without a country code; numbers phonenumbers cannot read are compared digit by digit."""
    import phonenumbers

    try:
        one = phonenumbers.parse(first, region)
        other = phonenumbers.parse(second, region)
    except phonenumbers.NumberParseException:
        return _digits(first) == _digits(second)
    return (one.country_code, one.national_number) == (other.country_code, other.national_number)


def _same_email(session: Session, email: str | None) -> list[tuple[int, str]]:
    if not email:
        return []
    query = select(CLIENT.c.id, CLIENT.c.name).where(
        func.lower(CLIENT.c.email) == email.strip().lower()
    )
    return [(row.id, row.name) for row in session.execute(query)]


def _same_phone(session: Session, phone: str | None, region: str | None) -> list[tuple[int, str]]:
    digits = _digits(phone or "")
    if len(digits) < MATCHED_DIGITS:
        return []
    tail = digits[-MATCHED_DIGITS:]
    # Cheap first: numbers ending in the same two digits, written together or apart.
    last, before_last = digits[-1], digits[-2]
    query = select(CLIENT.c.id, CLIENT.c.name, CLIENT.c.phone).where(
        or_(
            CLIENT.c.phone.like(f"%{before_last}{last}"),
            CLIENT.c.phone.like(f"%{before_last}_{last}"),
        )
    )
    return [
        (row.id, row.name)
        for row in session.execute(query)
        if _digits(row.phone).endswith(tail) and same_number(phone or "", row.phone, region)
    ]


def _same_name(session: Session, name: str) -> list[tuple[int, str]]:
    wanted = folded_name(name)
    if not wanted:
        return []
    # Names of about the same length first (folding accents keeps it; spaces may differ),
    # so that only a few are folded in Python.
    length = func.length(func.trim(CLIENT.c.name))
    query = select(CLIENT.c.id, CLIENT.c.name).where(
        length.between(len(wanted) - NAME_SLACK, len(wanted) + NAME_SLACK)
    )
    return [(row.id, row.name) for row in session.execute(query) if folded_name(row.name) == wanted]


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())
