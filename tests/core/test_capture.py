"""`rmtui capture` lines read against a real book: when, kind, client, subject, follow-up, tags."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rmtui.core.capture import Capture, CaptureError, read_capture
from rmtui.core.client_choice import choose_client
from rmtui.core.db import session_scope
from rmtui.core.models import Client
from tests.factories import make

NOW = datetime(2026, 11, 29, 10, 0)  # a Sunday
NAMES = (
    "Piet Jansen",
    "Ann Smit",
    "Ann de Vries",
    "Jan de Boer",
    "Bakkerij Visser BV",
    "Maria van den Berg",
)


@pytest.fixture
def book(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        for name in NAMES:
            make(session, Client, name=name)
    return engine


def read(session: Session, text: str) -> Capture:
    return read_capture(
        text, find=lambda words: choose_client(session=session, text=words).matches, moment=NOW
    )


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute)


NOW_AT = NOW
# text → (at, kind, client, subject, follow-up due, follow-up title, tags)
LINES: list[tuple[str, tuple[object, ...]]] = [
    (
        "yesterday 14:00 call jansen re pension review +fu 2w send proposal #pension",
        (
            at(28, 14),
            "call",
            "Piet Jansen",
            "pension review",
            date(2026, 12, 13),
            "send proposal",
            ("pension",),
        ),
    ),
    (
        "call jansen re pension review",
        (NOW_AT, "call", "Piet Jansen", "pension review", None, None, ()),
    ),
    (
        "gisteren 14:00 gebeld met jansen over pensioen",
        (at(28, 14), "call", "Piet Jansen", "pensioen", None, None, ()),
    ),
    (
        "gisteren om 9:30 afspraak met ann smit re hypotheek +fu morgen offerte sturen #hypotheek",
        (
            at(28, 9, 30),
            "meeting",
            "Ann Smit",
            "hypotheek",
            date(2026, 11, 30),
            "offerte sturen",
            ("hypotheek",),
        ),
    ),
    (
        "14:30 meeting ann de vries re annual review",
        (at(29, 14, 30), "meeting", "Ann de Vries", "annual review", None, None, ()),
    ),
    (
        "email maria re statement",
        (NOW_AT, "email", "Maria van den Berg", "statement", None, None, ()),
    ),
    (
        "mailed jan de boer re tax forms #tax #urgent",
        (NOW_AT, "email", "Jan de Boer", "tax forms", None, None, ("tax", "urgent")),
    ),
    (
        "gemaild bakkerij visser re jaarcijfers",
        (NOW_AT, "email", "Bakkerij Visser BV", "jaarcijfers", None, None, ()),
    ),
    (
        "visit bakkerij re new premises +fu next week send quote",
        (
            NOW_AT,
            "visit",
            "Bakkerij Visser BV",
            "new premises",
            date(2026, 12, 6),
            "send quote",
            (),
        ),
    ),
    (
        "bezoek bij visser over nieuwe locatie",
        (NOW_AT, "visit", "Bakkerij Visser BV", "nieuwe locatie", None, None, ()),
    ),
    (
        "note jansen re prefers mornings",
        (NOW_AT, "note", "Piet Jansen", "prefers mornings", None, None, ()),
    ),
    (
        "notitie jansen: wil geen telefoon",
        (NOW_AT, "note", "Piet Jansen", "wil geen telefoon", None, None, ()),
    ),
    ("call 2 re quick question", (NOW_AT, "call", "Ann Smit", "quick question", None, None, ())),
    ("zoom met ann smit re portfolio", (NOW_AT, "video", "Ann Smit", "portfolio", None, None, ())),
    (
        "teams ann de vries re onboarding +fu fri send documents",
        (NOW_AT, "video", "Ann de Vries", "onboarding", date(2026, 12, 4), "send documents", ()),
    ),
    (
        "sms jansen re running late",
        (NOW_AT, "message", "Piet Jansen", "running late", None, None, ()),
    ),
    (
        "whatsapp ann smit re birthday wishes #personal",
        (NOW_AT, "message", "Ann Smit", "birthday wishes", None, None, ("personal",)),
    ),
    (
        "geappt met jan de boer over afspraak",
        (NOW_AT, "message", "Jan de Boer", "afspraak", None, None, ()),
    ),
    (
        "rang piet jansen about the renewal",
        (NOW_AT, "call", "Piet Jansen", "the renewal", None, None, ()),
    ),
    ("met maria re coffee", (NOW_AT, "meeting", "Maria van den Berg", "coffee", None, None, ())),
    (
        "2026-11-20 10:00 meeting jansen re portfolio review",
        (at(20, 10), "meeting", "Piet Jansen", "portfolio review", None, None, ()),
    ),
    ("2026-11-27 call jansen re x", (at(27), "call", "Piet Jansen", "x", None, None, ())),
    (
        "call jansen pension review",
        (NOW_AT, "call", "Piet Jansen", "pension review", None, None, ()),
    ),
    ("call piet jansen", (NOW_AT, "call", "Piet Jansen", None, None, None, ())),
    (
        "vandaag 8:45 telefonisch ann de vries re klacht +fu 3d terugbellen #klacht",
        (
            at(29, 8, 45),
            "call",
            "Ann de Vries",
            "klacht",
            date(2026, 12, 2),
            "terugbellen",
            ("klacht",),
        ),
    ),
    (
        "meeting with bakkerij visser bv re loan +fu 2026-12-15 decision",
        (NOW_AT, "meeting", "Bakkerij Visser BV", "loan", date(2026, 12, 15), "decision", ()),
    ),
    ("call jansen re x +fu 1w", (NOW_AT, "call", "Piet Jansen", "x", date(2026, 12, 6), None, ())),
    (
        "yesterday call jansen re pension",
        (at(28), "call", "Piet Jansen", "pension", None, None, ()),
    ),
    (
        "call yesterday 16:00 jansen re pension",
        (at(28, 16), "call", "Piet Jansen", "pension", None, None, ()),
    ),
    (
        "overleg met de boer re successie",
        (NOW_AT, "meeting", "Jan de Boer", "successie", None, None, ()),
    ),
    (
        "phoned ann smit re x +opvolging volgende week y",
        (NOW_AT, "call", "Ann Smit", "x", date(2026, 12, 6), "y", ()),
    ),
    ("jansen re no kind given", (NOW_AT, None, "Piet Jansen", "no kind given", None, None, ())),
    (
        "#vip call maria re gala",
        (NOW_AT, "call", "Maria van den Berg", "gala", None, None, ("vip",)),
    ),
    # The when (and the kind) may also come just after the client, as people say it.
    (
        "called jansen yesterday 14:00 about pension",
        (at(28, 14), "call", "Piet Jansen", "pension", None, None, ()),
    ),
    (
        "gebeld met ann smit gisteren 14:00 over pensioen",
        (at(28, 14), "call", "Ann Smit", "pensioen", None, None, ()),
    ),
    (
        "ann smit gebeld gisteren om 9:30 re hypotheek",
        (at(28, 9, 30), "call", "Ann Smit", "hypotheek", None, None, ()),
    ),
]


@pytest.mark.parametrize(("text", "expected"), LINES, ids=[text for text, _ in LINES])
def test_a_line_is_understood_part_by_part(
    book: Engine, text: str, expected: tuple[object, ...]
) -> None:
    with session_scope(book) as session:
        capture = read(session, text)
    understood = (
        capture.at,
        capture.kind,
        capture.client.name,
        capture.subject,
        capture.follow_up_due,
        capture.follow_up_title,
        capture.tags,
    )
    assert understood == expected


def test_at_least_thirty_lines_are_tested() -> None:
    assert len(LINES) >= 30


def test_a_day_first_date_where_the_locale_writes_it(
    book: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RMTUI_LOCALE", "nl")
    with session_scope(book) as session:
        capture = read(session, "27-11-2026 11:15 gebeld jansen re hypotheek")
    assert (capture.at, capture.kind, capture.client.name) == (
        at(27, 11, 15),
        "call",
        "Piet Jansen",
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("call ann re x", "'ann' matches 2 clients"),
        ("call nobody re x", "no client matches 'nobody'"),
        ("call jansen re x +fu soon", "+fu needs a day first"),
        ("yesterday call", "say who it was with"),
    ],
)
def test_a_line_that_cannot_be_read_says_what_was_wrong(book: Engine, text: str, said: str) -> None:
    with session_scope(book) as session, pytest.raises(CaptureError, match=None) as refused:
        read(session, text)
    assert said in str(refused.value)


def test_an_ambiguous_client_lists_the_candidates(book: Engine) -> None:
    with session_scope(book) as session, pytest.raises(CaptureError) as refused:
        read(session, "call ann re x")
    assert "Ann Smit" in str(refused.value) and "Ann de Vries" in str(refused.value)
