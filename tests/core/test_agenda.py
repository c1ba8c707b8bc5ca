"""The Today list: every section's edges, archived clients, JSON and text output."""

from __future__ import annotations

import gc
import json
import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from rmtui.core.agenda import (
    RANKED_TOGETHER,
    SECTIONS,
    Agenda,
    Ranking,
    agenda_json,
    agenda_json_text,
    agenda_text,
    birthday_window,
    build_agenda,
)
from rmtui.core.models import Case, Client, FollowUp, Interaction
from rmtui.core.rules import cadence_of
from tests.factories import every_term_worth, make

DAY = date(2026, 11, 29)
# Every term worth nothing: every item's urgency is 0, so each section keeps its clock's order.
BY_CLOCK = every_term_worth(0.0)


def days(n: int) -> date:
    return DAY + timedelta(days=n)


def agenda(session: Session, day: date = DAY) -> Agenda:
    """The agenda of `day` in its sections' clock order (urgency left out)."""
    return build_agenda(session=session, day=day, coefficients=BY_CLOCK)


def traced(session: Session) -> list[str]:
    """The SQL statements SQLite runs on the session's connection from now on."""
    statements: list[str] = []
    driver = session.connection().connection.driver_connection
    assert driver is not None
    driver.set_trace_callback(statements.append)
    return statements


# -- follow-ups ---------------------------------------------------------------------------------


def test_follow_ups_fall_into_overdue_today_and_upcoming(session: Session) -> None:
    client = make(session, Client, name="Ada")
    due = {
        n: make(session, FollowUp, client_id=client.id, title=f"d{n}", due_on=days(n))
        for n in (-5, -1, 0, 1, 7, 8)
    }
    today = agenda(session)
    assert [item.id for item in today.overdue] == [due[-5].id, due[-1].id]
    assert [item.id for item in today.due_today] == [due[0].id]
    assert [item.id for item in today.upcoming] == [due[1].id, due[7].id]
    assert today.overdue[0].client_name == "Ada"


def test_done_and_cancelled_follow_ups_are_left_out(session: Session) -> None:
    client = make(session, Client)
    make(session, FollowUp, client_id=client.id, due_on=days(-1), status="done", done_on=DAY)
    make(session, FollowUp, client_id=client.id, due_on=DAY, status="cancelled")
    make(session, FollowUp, client_id=client.id, due_on=days(2), status="done", done_on=DAY)
    today = agenda(session)
    assert today.overdue == today.due_today == today.upcoming == ()


def test_own_follow_ups_without_client_are_shown(session: Session) -> None:
    make(session, FollowUp, title="Plan the week", due_on=DAY)
    (item,) = agenda(session).due_today
    assert (item.title, item.client_id, item.client_name) == ("Plan the week", None, None)


def test_high_priority_first_within_a_day(session: Session) -> None:
    normal = make(session, FollowUp, title="normal", due_on=DAY)
    high = make(session, FollowUp, title="high", due_on=DAY, priority="high")
    assert [item.id for item in agenda(session).due_today] == [high.id, normal.id]


# -- check-ins ----------------------------------------------------------------------------------


def contact(session: Session, client: Client, on: date, kind: str = "call") -> None:
    at = datetime.combine(on, datetime.min.time()).replace(hour=23, minute=59)
    make(session, Interaction, client_id=client.id, at=at, kind=kind)


def checkin_names(session: Session, day: date = DAY) -> list[str]:
    return [item.name for item in agenda(session, day).checkins_due]


def test_check_in_is_due_exactly_on_the_cadence_day(session: Session) -> None:
    due = make(session, Client, name="due", checkin_every_days=30)
    contact(session, due, days(-30))
    not_yet = make(session, Client, name="not yet", checkin_every_days=30)
    contact(session, not_yet, days(-29))
    (item,) = agenda(session).checkins_due
    assert (item.name, item.last_contact_on, item.days_since, item.cadence, item.days_overdue) == (
        "due",
        days(-30),
        30,
        30,
        0,
    )


def test_check_in_without_contact_counts_from_client_since(session: Session) -> None:
    make(session, Client, name="due", client_since=days(-90), checkin_every_days=90)
    make(session, Client, name="not yet", client_since=days(-89), checkin_every_days=90)
    (item,) = agenda(session).checkins_due
    assert (item.name, item.last_contact_on, item.days_since) == ("due", None, 90)


def test_a_client_without_a_cadence_of_their_own_follows_their_tier(session: Session) -> None:
    first = make(session, Client, name="first", tier="A", checkin_every_days=None)
    contact(session, first, days(-30))
    second = make(session, Client, name="second", tier="B", checkin_every_days=None)
    contact(session, second, days(-30))
    assert [(item.name, item.cadence) for item in agenda(session).checkins_due] == [("first", 30)]
    first.tier, second.tier = "C", "A"
    session.add_all([first, second])
    session.commit()
    assert [(item.name, item.cadence) for item in agenda(session).checkins_due] == [("second", 30)]


def test_a_note_is_not_a_contact(session: Session) -> None:
    client = make(session, Client, name="noted", checkin_every_days=30)
    contact(session, client, days(-40))
    contact(session, client, days(-1), kind="note")
    (item,) = agenda(session).checkins_due
    assert (item.last_contact_on, item.days_overdue) == (days(-40), 10)


def test_contact_after_the_day_is_ignored(session: Session) -> None:
    client = make(session, Client, name="Ada", checkin_every_days=30)
    contact(session, client, days(-40))
    contact(session, client, days(3))  # a meeting logged ahead
    (item,) = agenda(session).checkins_due
    assert item.last_contact_on == days(-40)
    (then,) = agenda(session, days(-5)).checkins_due
    assert (then.last_contact_on, then.days_since, then.days_overdue) == (days(-40), 35, 5)


def test_past_day_uses_the_last_contact_of_that_day(session: Session) -> None:
    client = make(session, Client, name="Ada", checkin_every_days=30)
    contact(session, client, days(-70))
    contact(session, client, days(-5))
    assert checkin_names(session) == []
    assert checkin_names(session, days(-40)) == ["Ada"]
    assert checkin_names(session, days(-41)) == []


def test_only_active_unarchived_clients_are_due(session: Session) -> None:
    long_ago = days(-400)
    make(session, Client, name="active", client_since=long_ago)
    make(session, Client, name="starts tomorrow", client_since=days(1))
    make(session, Client, name="lead", status="lead", client_since=None)
    make(session, Client, name="left today", client_since=long_ago, client_until=DAY)
    make(session, Client, name="leaves tomorrow", client_since=long_ago, client_until=days(1))
    make(session, Client, name="archived", client_since=long_ago, archived=True)
    assert sorted(checkin_names(session)) == ["active", "leaves tomorrow"]


def test_most_overdue_first(session: Session) -> None:
    for name, since in (("a bit", -100), ("very", -300), ("some", -200)):
        make(session, Client, name=name, client_since=days(since), checkin_every_days=90)
    assert checkin_names(session) == ["very", "some", "a bit"]


# -- cases --------------------------------------------------------------------------------------


def test_cases_overdue_or_due_within_two_days(session: Session) -> None:
    client = make(session, Client, name="Ada")
    cases = {n: make(session, Case, client_id=client.id, due_on=days(n)) for n in (3, 2, -3, 0)}
    make(session, Case, client_id=client.id, due_on=days(-1), resolved_on=DAY)
    items = agenda(session).cases_due
    assert [item.id for item in items] == [cases[-3].id, cases[0].id, cases[2].id]
    assert [item.days_left for item in items] == [-3, 0, 2]
    assert items[0].client_name == "Ada"


# -- birthdays ----------------------------------------------------------------------------------


def birthdays(session: Session, day: date) -> list[tuple[str, date, int]]:
    return [(item.name, item.on, item.turns) for item in agenda(session, day).birthdays]


def test_birthdays_this_week_across_new_year(session: Session) -> None:
    make(session, Client, name="eve", birthday=date(1970, 12, 31))
    make(session, Client, name="jan 3", birthday=date(1980, 1, 3))
    make(session, Client, name="jan 4", birthday=date(1980, 1, 4))
    make(session, Client, name="yesterday", birthday=date(1990, 12, 27))
    assert birthdays(session, date(2026, 12, 28)) == [
        ("eve", date(2026, 12, 31), 56),
        ("jan 3", date(2027, 1, 3), 47),
    ]


def test_29_february_birthday_kept_on_28_february_in_other_years(session: Session) -> None:
    make(session, Client, name="leap", birthday=date(1988, 2, 29))
    assert birthdays(session, date(2027, 2, 25)) == [("leap", date(2027, 2, 28), 39)]
    assert birthdays(session, date(2027, 3, 1)) == []
    assert birthdays(session, date(2028, 2, 29)) == [("leap", date(2028, 2, 29), 40)]
    assert birthdays(session, date(2028, 2, 22)) == []


def test_a_day_with_more_birthdays_than_the_list_shows_its_first_by_name(
    session: Session,
) -> None:
    """The day's first birthdays by name, whatever the case of its first letter, and every
    birthday of the week counted."""
    names = [f"{'a' if number % 2 else 'B'}{number:02}" for number in range(RANKED_TOGETHER + 3)]
    for name in names:
        make(session, Client, name=name, tier="B", birthday=date(1980, DAY.month, DAY.day))
    tomorrow = DAY + timedelta(days=1)
    for name in ("Aaron", "zoe"):
        make(
            session, Client, name=name, tier="B", birthday=date(1980, tomorrow.month, tomorrow.day)
        )
    shown = build_agenda(session=session, day=DAY, limit=RANKED_TOGETHER, count_up_to=1_000)
    first = sorted(names, key=str.lower)[:RANKED_TOGETHER]
    assert sorted(item.name for item in shown.birthdays) == sorted(first)
    assert shown.total("birthdays") == RANKED_TOGETHER + 5 and shown.counted("birthdays")
    whole = build_agenda(session=session, day=DAY)
    assert [item.name for item in whole.birthdays if item.on == DAY] == sorted(names, key=str.lower)


def test_birthday_window_has_seven_days() -> None:
    window = birthday_window(date(2027, 2, 25))
    assert list(window)[:4] == ["02-25", "02-26", "02-27", "02-28"]
    assert window["02-29"] == date(2027, 2, 28)
    assert len(birthday_window(date(2028, 2, 25))) == 7


# -- archived clients and output ----------------------------------------------------------------


def everything_due(session: Session, client: Client) -> None:
    make(session, FollowUp, client_id=client.id, due_on=days(-1))
    make(session, FollowUp, client_id=client.id, due_on=DAY)
    make(session, FollowUp, client_id=client.id, due_on=days(1))
    make(session, Case, client_id=client.id, due_on=DAY)


def test_archived_clients_never_appear(session: Session) -> None:
    client = make(
        session, Client, archived=True, birthday=date(1980, 11, 30), client_since=days(-999)
    )
    everything_due(session, client)
    assert agenda(session).is_empty


def test_each_section_is_one_query_check_ins_two(session: Session) -> None:
    for number in range(5):
        client = make(session, Client, name=f"c{number}", client_since=days(-999))
        everything_due(session, client)
    statements = traced(session)
    today = agenda(session)
    # The book's change mark, the holidays the book holds for the business-day clocks, then one
    # a section; check-ins: contacted by the day, and after it; birthdays: the whole week at
    # once when every row is listed; the terms of the clients.
    assert len(statements) == 11
    assert len(today.checkins_due) == 5


@pytest.fixture
def busy_day(session: Session) -> Agenda:
    client = make(session, Client, name="Ada", birthday=date(1980, 12, 1), client_since=days(-999))
    everything_due(session, client)
    return agenda(session)


def test_agenda_json_is_plain_data_with_iso_dates(busy_day: Agenda) -> None:
    data = agenda_json(busy_day)
    assert list(data) == [
        "date",
        "overdue",
        "due_today",
        "checkins_due",
        "reviews_due",
        "cases_due",
        "birthdays",
        "upcoming",
    ]
    assert data["date"] == "2026-11-29"
    assert data["overdue"][0]["due_on"] == "2026-11-28"
    assert data["birthdays"][0] == {
        "client_id": busy_day.birthdays[0].client_id,
        "name": "Ada",
        "birthday": "1980-12-01",
        "on": "2026-12-01",
        "turns": 46,
        "urgency": 0.0,
        "terms": [
            {"term": "overdue_day", "value": -2, "coefficient": 0.0, "points": 0.0},
            {"term": "tier_b", "value": 1, "coefficient": 0.0, "points": 0.0},
        ],
    }
    assert json.loads(json.dumps(data)) == data


def test_agenda_json_text_is_that_data_an_item_a_line(busy_day: Agenda) -> None:
    text = "".join(agenda_json_text(busy_day))
    assert json.loads(text) == agenda_json(busy_day)
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "date": "2026-11-29",', '  "overdue": [']
    assert json.loads(lines[3].strip().rstrip(","))["title"] == "Call back"
    empty = "".join(agenda_json_text(Agenda(DAY, (), (), (), (), (), (), ())))
    assert json.loads(empty) == {"date": "2026-11-29", **{key: [] for key, _title in SECTIONS}}


def test_agenda_text_has_headings_counts_and_lines(busy_day: Agenda) -> None:
    text = agenda_text(busy_day)
    assert text.splitlines()[0] == "Today, Sunday 2026-11-29"
    assert "Overdue follow-ups (1)" in text
    assert "  2026-11-28  Call back - Ada (1 day late)  (urgency 0.0)\n" in text
    assert "Requests and complaints due (1)" in text
    assert "Birthdays this week (1)\n  Tue 2026-12-01  Ada turns 46" in text
    assert "last contact" not in text and "no contact in 999 days as a client" in text


def test_empty_agenda_text_says_nothing(session: Session) -> None:
    text = agenda_text(agenda(session))
    assert text.count("\n  nothing") == 7


# -- a limit per section ------------------------------------------------------------------------


def random_book(session: Session, rng: random.Random) -> None:
    """Clients of every kind with follow-ups, contacts (some logged ahead), cases, birthdays."""
    clients = []
    for number in range(60):
        since = days(-rng.randrange(1, 900)) if rng.random() < 0.85 else None
        client = make(
            session,
            Client,
            name=rng.choice(["Ada", "Bob", "Émile", "ada", "Zoë"]) + f" {number % 7}",
            tier=rng.choice("ABC"),
            client_since=since,
            client_until=days(rng.randrange(-30, 30)) if since and rng.random() < 0.1 else None,
            archived=rng.random() < 0.1,
            birthday=date(1980 + number, 11, 25) + timedelta(days=rng.randrange(12)),
            checkin_every_days=rng.choice([7, 30, 90, None]),
        )
        clients.append(client.id)
    for _ in range(200):
        on = days(rng.randrange(-200, 20))
        at = datetime.combine(on, datetime.min.time()).replace(hour=rng.randrange(24))
        kind = rng.choice(["call", "email", "note"])
        make(session, Interaction, client_id=rng.choice(clients), at=at, kind=kind)
    for _ in range(80):
        make(
            session,
            FollowUp,
            client_id=rng.choice([*clients, None]),
            due_on=days(rng.randrange(-20, 10)),
            priority=rng.choice(["normal", "high"]),
            status=rng.choice(["open", "open", "done"]),
        )
    for _ in range(20):
        make(session, Case, client_id=rng.choice(clients), due_on=days(rng.randrange(-5, 5)))


@pytest.mark.parametrize("offset", [0, -3, -60])
def test_a_limit_keeps_each_sections_first_items_and_counts_them_all(
    session: Session, offset: int
) -> None:
    random_book(session, random.Random(offset))
    day = days(offset)
    whole = build_agenda(session=session, day=day)
    for limit in (1, 3, RANKED_TOGETHER, RANKED_TOGETHER + 1, 1000):
        limited = build_agenda(session=session, day=day, limit=limit)
        for key, _title, items in whole.sections():
            assert getattr(limited, key) == items[:limit], (key, limit)
            assert limited.total(key) == whole.total(key) == len(items), (key, limit)
            assert limited.not_listed(key) == max(0, len(items) - limit)
    assert whole.total("checkins_due") > 3
    if offset == 0:
        assert all(whole.total(key) > 1 for key, _title in SECTIONS)


def expected_checkins(session: Session, day: date) -> list[tuple[Any, ...]]:
    """The check-ins due on `day` by PRODUCT.md's definition, worked out in Python."""
    contacts: dict[int, list[date]] = {}
    for interaction in session.exec(select(Interaction)):
        if interaction.kind != "note" and interaction.at.date() <= day:
            contacts.setdefault(interaction.client_id, []).append(interaction.at.date())
    due = []
    for client in session.exec(select(Client)):
        since, until = client.client_since, client.client_until
        if client.archived or since is None or since > day or (until and until <= day):
            continue
        last = max(contacts.get(client.id or 0, []), default=None)
        days_since = (day - (last or since)).days
        cadence = cadence_of(client.checkin_every_days, client.tier)
        if days_since >= cadence:
            overdue = days_since - cadence
            due.append((-overdue, client.tier, client.name, client.id, last, days_since))
    return [row[2:] for row in sorted(due)]


@pytest.mark.parametrize("offset", [0, -3, -60])
def test_check_ins_on_any_day_are_those_of_the_definition(session: Session, offset: int) -> None:
    random_book(session, random.Random(offset))
    day = days(offset)
    found = [
        (item.name, item.client_id, item.last_contact_on, item.days_since)
        for item in agenda(session, day).checkins_due
    ]
    assert found == expected_checkins(session, day)
    assert found


def test_counts_are_read_only_for_sections_the_limit_cut_short(session: Session) -> None:
    client = make(session, Client, name="Ada", client_since=days(-999))
    for number in range(RANKED_TOGETHER):
        make(session, FollowUp, client_id=client.id, title=f"late {number}", due_on=days(-1))
    statements = traced(session)
    limited = build_agenda(session=session, day=DAY, limit=3)
    # The change mark, the holidays, nine for the sections (birthdays: the day, then the rest
    # of the week), the clients' terms, and the overdue count: a whole ranking was read, so
    # there may be more.
    assert len(statements) == 13
    assert (len(limited.overdue), limited.total("overdue")) == (3, RANKED_TOGETHER)
    statements.clear()
    make(session, FollowUp, client_id=client.id, title="a ranking and one", due_on=days(-1))
    statements.clear()
    build_agenda(session=session, day=DAY, limit=RANKED_TOGETHER + 1)
    assert len(statements) == 12


def test_overdue_count_leaves_out_archived_clients_and_keeps_ones_own(session: Session) -> None:
    kept = make(session, Client, name="kept")
    archived = make(session, Client, name="archived", archived=True)
    for client_id in (kept.id, kept.id, archived.id, archived.id, None):
        make(session, FollowUp, client_id=client_id, due_on=days(-2))
    limited = build_agenda(session=session, day=DAY, limit=1)
    assert (len(limited.overdue), limited.total("overdue")) == (1, 3)


def test_counts_up_to_a_limit_leave_out_archived_clients(session: Session) -> None:
    for number in range(RANKED_TOGETHER + 5):
        everything_due(session, make(session, Client, name=f"c{number:02}", archived=number < 7))
    for count_up_to in (None, RANKED_TOGETHER + 1, 1_000):
        limited = build_agenda(session=session, day=DAY, limit=1, count_up_to=count_up_to)
        for key in ("overdue", "due_today", "upcoming", "cases_due"):
            assert limited.total(key) == RANKED_TOGETHER - 2, (key, count_up_to)
            assert limited.counted(key), (key, count_up_to)


def test_agenda_text_says_how_many_more_there_are(session: Session) -> None:
    client = make(session, Client, name="Ada")
    for number in range(3):
        make(session, FollowUp, client_id=client.id, title=f"late {number}", due_on=days(-1))
    text = agenda_text(build_agenda(session=session, day=DAY, limit=2))
    assert "Overdue follow-ups (3)\n  2026-11-28  late 0" in text
    assert "late 1 - Ada (1 day late)  (urgency 2.0)\n  … and 1 more\n" in text


def test_every_row_is_ranked_with_the_cycle_collector_held_off_a_page_is_not(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(session, FollowUp, client_id=make(session, Client).id, due_on=DAY)
    collecting: list[bool] = []
    ranked = Ranking.items

    def watched(self: Ranking, section: Any) -> tuple[Any, ...]:
        collecting.append(gc.isenabled())
        return ranked(self, section)

    monkeypatch.setattr(Ranking, "items", watched)
    build_agenda(session=session, day=DAY)
    assert not any(collecting) and gc.isenabled()
    collecting.clear()
    build_agenda(session=session, day=DAY, limit=RANKED_TOGETHER)
    assert all(collecting) and collecting


def test_a_section_is_counted_up_to_the_limit_asked_and_says_so(session: Session) -> None:
    clients = RANKED_TOGETHER + 5  # more than a ranking: the sections are counted
    for number in range(clients):
        born = date(1970 + number % 40, 11, 29) if number % 2 else date(1980, 12, 1)
        client = make(session, Client, name=f"c{number:02}", birthday=born, client_since=days(-999))
        everything_due(session, client)
    whole = build_agenda(session=session, day=DAY, limit=2)
    for key in ("overdue", "due_today", "upcoming", "checkins_due", "cases_due", "birthdays"):
        assert whole.total(key) == clients, key
    so_far = build_agenda(session=session, day=DAY, limit=2, count_up_to=5)
    for key, _title, items in so_far.sections():
        assert len(items) == len(getattr(whole, key)), key  # the same items listed
        if whole.total(key) >= 5:
            assert not so_far.counted(key), key
            assert 5 <= so_far.total(key) <= whole.total(key), key
            assert so_far.total_text(key) == f"{so_far.total(key)}+"
        else:
            assert (so_far.counted(key), so_far.total(key)) == (True, whole.total(key)), key
    enough = build_agenda(session=session, day=DAY, limit=2, count_up_to=1_000)
    assert enough.totals == whole.totals and not enough.counted_so_far
    assert whole.total_text("overdue") == f"{clients}"


def test_a_day_of_follow_ups_is_listed_high_priority_first(session: Session) -> None:
    client = make(session, Client, name="Ada")
    for number, priority in enumerate(["normal", "high", "normal", "high", "normal"]):
        make(
            session,
            FollowUp,
            client_id=client.id,
            title=f"t{number}",
            due_on=DAY,
            priority=priority,
        )
    listed = build_agenda(session=session, day=DAY, limit=3).due_today
    assert [item.title for item in listed] == ["t1", "t3", "t0"]
