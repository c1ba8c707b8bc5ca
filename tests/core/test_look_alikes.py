"""Clients that may already be in the book: the same e-mail, phone number or name."""

from __future__ import annotations

from sqlmodel import Session

from rmtui.core.models import Client
from rmtui.core.queries.look_alikes import folded_name, look_alikes, same_number
from tests.factories import make


def test_the_same_email_phone_or_name_is_found_once_each(session: Session) -> None:
    ann = make(session, Client, name="Ann Peeters", email="Ann@Example.com")
    emile = make(session, Client, name="Émile De Smet", phone="+32 470 11 22 33")
    make(session, Client, name="Someone Else", email="else@example.com", phone="09 123 45 67")

    def found(**typed: str | None) -> list[tuple[int | None, str]]:
        values = {"name": "Newcomer", "email": None, "phone": None, **typed}
        alikes = look_alikes(session=session, region="BE", **values)  # type: ignore[arg-type]
        return [(alike.client_id, alike.reason) for alike in alikes]

    assert found(email="ann@example.COM") == [(ann.id, "the same e-mail address")]
    assert found(phone="0470 11 22 33") == [(emile.id, "the same phone number")]
    assert found(phone="0470/11.22.34") == []
    assert found(name="emile de  smet") == [(emile.id, "the same name")]
    assert found(name="Ann Peeters", email="ann@example.com") == [
        (ann.id, "the same e-mail address")
    ]
    assert found(name="Anna Peeters") == []


def test_numbers_and_names_are_compared_as_a_person_would() -> None:
    assert same_number("+32 470 11 22 33", "0470 11 22 33", "BE")
    assert not same_number("+31 470 11 22 33", "0470 11 22 33", "BE")
    assert same_number("0470 11 22 33", "0470-11-22-33", None)  # no region: digit by digit
    assert folded_name("  Émile   DE Smet ") == "emile de smet"
