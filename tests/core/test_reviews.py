"""Review cycles: the next review counts from the last review, else the last meeting, else
client_since (Slant's rule); the triggers keep both days; the agenda and the review season."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from rmtui.core.agenda import build_agenda
from rmtui.core.models import Client, Interaction
from rmtui.core.queries.reviews import count_reviews_in_month, reviews_in_month
from rmtui.core.rules import next_review_on, review_due_on
from tests.factories import make

DAY = date(2026, 12, 1)


def client_row(session: Session, client_id: int) -> Client:
    session.expire_all()
    found = session.get(Client, client_id)
    assert found is not None
    return found


def test_the_cadence_by_tier_and_ones_own() -> None:
    since = date(2026, 1, 15)
    assert next_review_on(
        last_review=None, last_meeting=None, since=since, every_months=None, tier="A"
    ) == date(2026, 7, 15)
    assert next_review_on(
        last_review=None, last_meeting=None, since=since, every_months=None, tier="B"
    ) == date(2027, 1, 15)
    assert next_review_on(
        last_review=None, last_meeting=None, since=since, every_months=None, tier="C"
    ) == date(2028, 1, 15)
    assert next_review_on(
        last_review=None, last_meeting=None, since=since, every_months=3, tier="C"
    ) == date(2026, 4, 15)


def test_a_review_counts_before_a_meeting_before_client_since() -> None:
    days = {"since": date(2020, 5, 1), "last_meeting": date(2026, 2, 3), "every_months": None}
    assert next_review_on(last_review=None, tier="B", **days) == date(2027, 2, 3)  # type: ignore[arg-type]
    assert next_review_on(last_review=date(2025, 11, 20), tier="B", **days) == date(2026, 11, 20)  # type: ignore[arg-type]


def test_a_month_end_review_falls_on_a_shorter_months_end() -> None:
    assert review_due_on(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert review_due_on(date(2027, 8, 31), 6) == date(2028, 2, 29)


def test_the_triggers_keep_the_last_review_and_meeting(session: Session) -> None:
    ann = make(session, Client, name="Ann", tier="A", client_since=date(2024, 3, 1))
    assert ann.id is not None
    call = make(session, Interaction, client_id=ann.id, at=datetime(2026, 9, 1, 10), kind="call")
    meeting = make(
        session, Interaction, client_id=ann.id, at=datetime(2026, 5, 4, 10), kind="meeting"
    )
    row = client_row(session, ann.id)
    assert (row.last_review_on, row.last_meeting_on) == (None, date(2026, 5, 4))
    meeting.review = True
    session.flush()
    assert client_row(session, ann.id).last_review_on == date(2026, 5, 4)
    video = make(session, Interaction, client_id=ann.id, at=datetime(2026, 10, 6, 9), kind="video")
    assert client_row(session, ann.id).last_meeting_on == date(2026, 10, 6)
    session.delete(video)
    session.delete(call)
    session.flush()
    row = client_row(session, ann.id)
    assert (row.last_review_on, row.last_meeting_on) == (date(2026, 5, 4), date(2026, 5, 4))


def test_reviews_on_today_most_overdue_first(session: Session) -> None:
    make(session, Client, name="Never met", tier="A", client_since=date(2026, 5, 1))
    met = make(session, Client, name="Met", tier="B", client_since=date(2020, 1, 1))
    make(session, Interaction, client_id=met.id, at=datetime(2025, 12, 10, 10), kind="meeting")
    reviewed = make(session, Client, name="Reviewed", tier="B", client_since=date(2020, 1, 1))
    make(
        session,
        Interaction,
        client_id=reviewed.id,
        at=datetime(2025, 11, 2, 10),
        kind="meeting",
        review=True,
    )
    make(session, Interaction, client_id=reviewed.id, at=datetime(2026, 6, 1, 10), kind="meeting")
    make(session, Client, name="Later", tier="C", client_since=date(2026, 1, 1))
    make(session, Client, name="Archived", tier="A", client_since=date(2020, 1, 1), archived=True)
    reviews = build_agenda(session=session, day=DAY).reviews_due
    # 'Later' (tier C, 24 months) and the archived client are not due.
    assert [(r.name, r.due_on, r.counts_from, r.days_left) for r in reviews] == [
        ("Never met", date(2026, 11, 1), "client since", -30),
        ("Reviewed", date(2026, 11, 2), "review", -29),
        ("Met", date(2026, 12, 10), "meeting", 9),
    ]


def test_the_review_season_lists_a_months_reviews(session: Session) -> None:
    for number, month in enumerate((1, 3, 3, 3, 4)):
        make(
            session,
            Client,
            name=f"Client {number}",
            tier="B",
            client_since=date(2026, month, 10 + number),
        )
    march = reviews_in_month(session=session, month=date(2027, 3, 1), day=DAY)
    assert [(r.name, r.due_on) for r in march] == [
        ("Client 1", date(2027, 3, 11)),
        ("Client 2", date(2027, 3, 12)),
        ("Client 3", date(2027, 3, 13)),
    ]
    assert count_reviews_in_month(session=session, month=date(2027, 3, 20), day=DAY) == 3
    assert [
        r.name
        for r in reviews_in_month(
            session=session, month=date(2027, 3, 1), day=DAY, limit=1, offset=1
        )
    ] == ["Client 2"]
