"""Case clocks: business days over Dutch holidays and weekends, presets from config.toml, the
deadline a clock sets, its extension, and the days left the agenda shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from rmtui.core.agenda import build_agenda
from rmtui.core.case_clocks import (
    DEFAULT_CLOCKS,
    Span,
    add_business_days,
    business_days_left,
    days_left_text,
)
from rmtui.core.db_api import of_session
from rmtui.core.errors import BookError
from rmtui.core.models import Client, FollowUp
from rmtui.core.public_holidays import holidays_between, package_holidays
from rmtui.core.queries import InvalidChange
from rmtui.core.queries.cases import add_case, case_days_left, extend_case
from rmtui.core.settings import load_settings
from tests.factories import make

NL = frozenset(package_holidays("NL", [2026, 2027]))


def test_the_dutch_holidays_are_known() -> None:
    assert {date(2026, 4, 6), date(2026, 4, 27), date(2026, 12, 25), date(2026, 12, 26)} <= NL


def test_business_days_skip_weekends() -> None:
    assert add_business_days(date(2026, 11, 6), 1) == date(2026, 11, 9)  # Friday → Monday
    assert add_business_days(date(2026, 11, 7), 5) == date(2026, 11, 13)  # from a Saturday


def test_business_days_skip_kings_day_and_easter_monday() -> None:
    assert add_business_days(date(2026, 4, 24), 1, NL) == date(2026, 4, 28)  # over 27 April
    assert add_business_days(date(2026, 4, 2), 2, NL) == date(2026, 4, 8)  # Good Friday too
    # A payment complaint on the Monday before King's Day: 15 business days.
    assert Span(15, business=True).after(date(2026, 4, 20), NL) == date(2026, 5, 12)


def test_business_days_skip_christmas_and_new_year() -> None:
    assert Span(15, business=True).after(date(2026, 12, 18), NL) == date(2027, 1, 12)
    assert add_business_days(date(2026, 12, 24), 1, NL) == date(2026, 12, 28)


def test_business_days_left_and_overdue() -> None:
    assert business_days_left(date(2026, 4, 24), date(2026, 4, 29), NL) == 2
    assert business_days_left(date(2026, 4, 29), date(2026, 4, 29), NL) == 0
    assert business_days_left(date(2026, 4, 28), date(2026, 4, 24), NL) == -1
    assert days_left_text(2, business=True) == "2 business days left"
    assert days_left_text(-1, business=True) == "1 business day overdue"
    assert days_left_text(0, business=False) == "due today"


def test_calendar_spans_count_every_day() -> None:
    assert Span(56).after(date(2026, 11, 29)) == date(2027, 1, 24)
    assert str(Span(56)) == "8 weeks" and str(Span(15, business=True)) == "15 business days"


def test_the_presets_by_default() -> None:
    settings = load_settings(Path("/nonexistent/config.toml"))
    assert settings.country == "NL"
    assert settings.case_clocks == DEFAULT_CLOCKS
    payment = DEFAULT_CLOCKS["payment"]
    assert (payment.deadline, payment.extended) == (Span(15, True), Span(35, True))
    assert DEFAULT_CLOCKS["complaint"].holding_reply == Span(28)


def test_config_changes_a_preset_and_adds_one(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[book]\ncountry = "be"\n'
        '[case_clocks.payment]\nextended = "30 business days"\n'
        '[case_clocks.address]\nkind = "request"\ndeadline = "10 days"\nlabel = "Address change"\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.country == "BE"
    assert settings.case_clocks["payment"].extended == Span(30, True)
    assert settings.case_clocks["payment"].deadline == Span(15, True)
    address = settings.case_clocks["address"]
    assert (address.kind, address.deadline, address.label) == (
        "request",
        Span(10),
        "Address change",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[case_clocks.payment]\ndeadline = "soon"\n', "length of time like"),
        ('[case_clocks.new]\nkind = "request"\n', "needs a deadline"),
        ('[case_clocks.payment]\nkind = "question"\n', "must be request or complaint"),
        ("[case_clocks.payment]\ndays = 3\n", "has no setting 'days'"),
        ('[book]\ncountry = "Netherlands"\n', "two-letter country code"),
    ],
)
def test_a_wrong_clock_setting_is_one_sentence(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BookError, match=message):
        load_settings(path)


def test_a_payment_complaint_is_due_in_fifteen_business_days(session: Session) -> None:
    client = make(session, Client)
    case = add_case(
        session=session,
        client_id=client.id or 0,
        kind="request",
        subject="Payment lost",
        opened_on=date(2026, 4, 20),
        clock="payment",
    )
    assert (case.kind, case.clock, case.business_days) == ("complaint", "payment", True)
    assert case.due_on == date(2026, 5, 12)
    assert case_days_left(session, case, date(2026, 4, 24), country="NL") == 11
    # The book now holds the holidays the clock needed, and the year after.
    stored = holidays_between(
        of_session(session),  # the DB-API connection, as the book's readers take it
        "NL",
        date(2026, 1, 1),
        date(2027, 12, 31),
        ask_package=False,
    )
    assert date(2027, 4, 27) in stored


def test_a_complaint_plans_a_holding_reply_at_four_weeks(session: Session) -> None:
    client = make(session, Client)
    case = add_case(
        session=session,
        client_id=client.id or 0,
        kind="complaint",
        subject="Bad advice",
        opened_on=date(2026, 11, 2),
        clock=DEFAULT_CLOCKS["complaint"],
    )
    assert (case.due_on, case.business_days) == (date(2026, 12, 28), False)
    reply = session.exec(select(FollowUp)).one()
    assert (reply.title, reply.due_on, reply.priority) == (
        "Send a holding reply: Bad advice",
        date(2026, 11, 30),
        "high",
    )


def test_an_extension_needs_a_reason_and_a_clock_that_allows_it(session: Session) -> None:
    client = make(session, Client)
    payment = add_case(
        session=session,
        client_id=client.id or 0,
        kind="complaint",
        subject="Payment lost",
        opened_on=date(2026, 4, 20),
        clock="payment",
    )
    plain = add_case(session=session, client_id=client.id or 0, kind="request", subject="Card")
    with pytest.raises(InvalidChange, match="Say why"):
        extend_case(session=session, case_id=payment.id or 0, reason=" ")
    with pytest.raises(InvalidChange, match="no extension"):
        extend_case(session=session, case_id=plain.id or 0, reason="slow")
    extended = extend_case(session=session, case_id=payment.id or 0, reason="Bank abroad")
    assert (extended.due_on, extended.extension_reason) == (date(2026, 6, 11), "Bank abroad")


def test_today_shows_business_days_left_least_time_first(session: Session) -> None:
    client = make(session, Client)
    for subject, opened in (("Transfer", date(2026, 4, 2)), ("Card", date(2026, 4, 7))):
        add_case(
            session=session,
            client_id=client.id or 0,
            kind="complaint",
            subject=subject,
            opened_on=opened,
            clock="summary",
        )
    # Friday 24 April: 'Transfer' was due Thu 9 April (after Good Friday and Easter Monday),
    # 'Card' Fri 10 April; each late by the business days since.
    cases = build_agenda(session=session, day=date(2026, 4, 24)).cases_due
    assert [(item.subject, item.days_left, item.business_days) for item in cases] == [
        ("Transfer", -11, True),
        ("Card", -10, True),
    ]


def test_a_business_day_case_shows_on_today_two_business_days_ahead(session: Session) -> None:
    client = make(session, Client)
    add_case(
        session=session,
        client_id=client.id or 0,
        kind="complaint",
        subject="Transfer",
        opened_on=date(2026, 4, 20),
        due_on=date(2026, 4, 28),
        clock="payment",
    )
    # Friday 24 April: Tuesday 28 is four days on, but two business days (King's Day between).
    (item,) = build_agenda(session=session, day=date(2026, 4, 24)).cases_due
    assert item.days_left == 1
    assert build_agenda(session=session, day=date(2026, 4, 23)).cases_due == ()
