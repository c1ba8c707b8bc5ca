"""The Today screen walked with the keyboard: log, done, undo, snooze, reschedule, follow-up."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from rmtui.app import RmApp, make_app
from rmtui.core.db import session_scope
from rmtui.core.models import Case, Client, FollowUp, Interaction
from rmtui.screens.today import TodayScreen
from rmtui.widgets.line_list import LineList
from tests.factories import make

DAY = date(2026, 11, 29)


@pytest.fixture
def book(engine: Engine) -> Engine:
    """A small book with something in every section of the agenda."""
    with session_scope(engine) as session:
        ann = make(
            session,
            Client,
            name="Ann Peeters",
            tier="A",
            checkin_every_days=30,
            client_since=date(2024, 1, 1),
            birthday=date(1970, 12, 2),
        )
        bob = make(
            session,
            Client,
            name="Bob Janssens",
            tier="B",
            checkin_every_days=90,
            client_since=date(2024, 1, 1),
        )
        make(session, Interaction, client_id=ann.id, at=datetime(2026, 10, 1, 10, 0))
        make(session, Interaction, client_id=bob.id, at=datetime(2026, 11, 20, 10, 0))
        make(session, FollowUp, client_id=bob.id, title="Send proposal", due_on=date(2026, 11, 25))
        make(session, FollowUp, client_id=ann.id, title="Call about pension", due_on=DAY)
        make(
            session, FollowUp, client_id=bob.id, title="Review portfolio", due_on=date(2026, 12, 3)
        )
        make(
            session,
            Case,
            client_id=bob.id,
            subject="Card blocked",
            kind="complaint",
            opened_on=date(2026, 11, 27),
            due_on=date(2026, 11, 30),
        )
    return engine


def agenda_ids(app: RmApp) -> list[str]:
    options = app.screen.query_one("#agenda", LineList)
    return [option.id for option in options.options if option.id]


async def highlight(app: RmApp, option_id: str) -> None:
    options = app.screen.query_one("#agenda", LineList)
    options.highlighted = options.get_option_index(option_id)


def open_follow_up(engine: Engine, title: str) -> FollowUp:
    with session_scope(engine) as session:
        from sqlmodel import select

        return session.exec(select(FollowUp).where(FollowUp.title == title)).one()


async def test_today_opens_with_every_section(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        ids = agenda_ids(app)
        assert ids[0].startswith("follow_up:")  # the overdue one comes first
        assert any(i.startswith("checkin:") for i in ids)
        assert any(i.startswith("case:") for i in ids)
        assert any(i.startswith("birthday:") for i in ids)
        await pilot.press("q")


async def test_logging_a_call_clears_the_checkin(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        checkin = next(i for i in agenda_ids(app) if i.startswith("checkin:"))
        await highlight(app, checkin)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"Quarterly check-in", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert checkin not in agenda_ids(app)


async def test_done_then_undo(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = agenda_ids(app)[0]
        await highlight(app, first)
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert first not in agenda_ids(app)
        assert open_follow_up(book, "Send proposal").status == "done"
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert first in agenda_ids(app)
        assert open_follow_up(book, "Send proposal").status == "open"


async def test_snooze_until_next_week_and_reschedule_to_a_typed_date(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await highlight(app, agenda_ids(app)[0])
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert open_follow_up(book, "Send proposal").due_on == date(2026, 12, 6)
        pension = f"follow_up:{open_follow_up(book, 'Call about pension').id}"
        await highlight(app, pension)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"fri", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert open_follow_up(book, "Call about pension").due_on == date(2026, 12, 4)


async def test_a_bad_snooze_date_is_explained_and_nothing_changes(book: Engine) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await highlight(app, agenda_ids(app)[0])
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"someday", "enter")
        await pilot.pause()
        error = app.screen.query_one("#date-error")
        assert "not a date" in str(error.render())
        await pilot.press("escape")
        assert open_follow_up(book, "Send proposal").due_on == date(2026, 11, 25)


async def test_new_follow_up_for_the_selected_client(book: Engine, tmp_path: Path) -> None:
    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await highlight(app, agenda_ids(app)[0])
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"Send the contract", "tab", *["backspace"] * 8, *"+3d", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        follow_up = open_follow_up(book, "Send the contract")
        assert follow_up.due_on == date(2026, 12, 2)
        assert follow_up.client_id is not None


async def test_a_long_section_lists_its_first_rows_and_says_how_many_more(engine: Engine) -> None:
    from rmtui.core.agenda import TODAY_LIMIT

    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann Peeters", client_since=date(2024, 1, 1))
        for number in range(TODAY_LIMIT + 5):
            make(
                session,
                FollowUp,
                client_id=ann.id,
                title=f"Late {number}",
                due_on=date(2026, 11, 1),
            )
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        options = app.screen.query_one("#agenda", LineList)
        lines = [str(option.prompt) for option in options.options]
        assert sum(1 for line in lines if "Late " in line) == TODAY_LIMIT
        assert any("… and 5 more" in line for line in lines)
        assert "55" in lines[0]  # the heading counts them all


async def test_a_section_counted_so_far_only_says_at_least_how_many(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rmtui.core.agenda import TODAY_LIMIT
    from rmtui.screens import today

    monkeypatch.setattr(today, "TODAY_COUNTED", TODAY_LIMIT + 2)
    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann Peeters", client_since=date(2024, 1, 1))
        for number in range(TODAY_LIMIT + 5):
            make(session, FollowUp, client_id=ann.id, title=f"Late {number}", due_on=DAY)
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = app.screen.query_one("#agenda", LineList)
        lines = [str(option.prompt) for option in options.options]
        counted = TODAY_LIMIT + 2
        assert f"Follow-ups due today ({counted}+)" in lines
        assert any("… and 2+ more" in line for line in lines)
        summary = str(app.screen.query_one("#today-summary").render())
        assert f"{counted}+ due today" in summary


async def test_rescheduling_into_the_past_asks_first_and_names_the_year(book: Engine) -> None:
    from rmtui.screens.confirm import ConfirmScreen

    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await highlight(app, agenda_ids(app)[0])
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"2020-01-01", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Wed 01 Jan 2020 is in the past" in app.screen.question
        await pilot.press("n")  # choose again: the date prompt comes back, nothing moved
        await pilot.pause()
        assert open_follow_up(book, "Send proposal").due_on == date(2026, 11, 25)
        await pilot.press(*"2020-01-01", "enter")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert open_follow_up(book, "Send proposal").due_on == date(2020, 1, 1)
        messages = [notification.message for notification in app._notifications]
        assert "Rescheduled “Send proposal” to Wed 01 Jan 2020. Press u to undo." in messages


@pytest.fixture
def late_book(engine: Engine) -> Engine:
    """Three overdue follow-ups, one due today, a check-in and an upcoming one."""
    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann Peeters", tier="A", checkin_every_days=30)
        make(session, Interaction, client_id=ann.id, at=datetime(2026, 9, 1, 10, 0))
        for title, due in (
            ("Send proposal", date(2026, 11, 20)),
            ("Book the review", date(2026, 11, 22)),
            ("Chase the form", date(2026, 11, 25)),
            ("Call about pension", DAY),
            ("Review portfolio", date(2026, 12, 3)),
        ):
            make(session, FollowUp, client_id=ann.id, title=title, due_on=due)
    return engine


def cursor_title(app: RmApp) -> str:
    """The text of the agenda row under the cursor."""
    options = app.screen.query_one("#agenda", LineList)
    assert options.highlighted is not None
    return str(options.get_option_at_index(options.highlighted).prompt)


async def settled(pilot: Any) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_snooze_reschedule_done_and_undo_keep_the_cursor_on_its_row(
    late_book: Engine,
) -> None:
    app = make_app(late_book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("j")
        assert "Book the review" in cursor_title(app)
        row = app.screen.query_one("#agenda", LineList).highlighted
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("w")  # next week: it moves down to the coming days
        await settled(pilot)
        assert open_follow_up(late_book, "Book the review").due_on == date(2026, 12, 6)
        assert "Chase the form" in cursor_title(app)  # the one that took its row
        assert app.screen.query_one("#agenda", LineList).highlighted == row
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"fri", "enter")
        await settled(pilot)
        # The last overdue one left: the cursor goes on to the next item below.
        assert "Call about pension" in cursor_title(app)
        await pilot.press("d")  # the section is left empty: the cursor goes on below
        await settled(pilot)
        assert open_follow_up(late_book, "Call about pension").status == "done"
        assert "Ann Peeters" in cursor_title(app)  # the check-in below
        await pilot.press("u")
        await settled(pilot)
        assert open_follow_up(late_book, "Call about pension").status == "open"
        assert "Call about pension" in cursor_title(app)  # on the one brought back
        await pilot.press("G", "u")  # the move of "Chase the form" is taken back
        await settled(pilot)
        assert open_follow_up(late_book, "Chase the form").due_on == date(2026, 11, 25)
        assert "Chase the form" in cursor_title(app)


async def test_g_goes_to_the_first_and_last_item_and_tab_from_section_to_section(
    late_book: Engine,
) -> None:
    app = make_app(late_book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("G")
        assert "Review portfolio" in cursor_title(app)
        await pilot.press("g")
        assert "Send proposal" in cursor_title(app)
        await pilot.press("tab")
        assert "Call about pension" in cursor_title(app)  # due today
        await pilot.press("right_curly_bracket")
        assert "Ann Peeters" in cursor_title(app)  # check-ins; the empty sections are passed
        await pilot.press("tab")
        assert "every 6 mo" in cursor_title(app)  # reviews due
        await pilot.press("tab")
        assert "Review portfolio" in cursor_title(app)
        await pilot.press("tab")  # around the end, to the first section
        assert "Send proposal" in cursor_title(app)
        await pilot.press("shift+tab")
        assert "Review portfolio" in cursor_title(app)
        await pilot.press(*["left_curly_bracket"] * 3)
        assert "Call about pension" in cursor_title(app)


async def test_the_keys_shown_are_the_ones_that_apply_to_the_row(book: Engine) -> None:
    from rmtui.screens.forms.base import FormScreen
    from rmtui.widgets.key_bar import KeyBar

    def enabled(app: RmApp) -> dict[str, bool]:
        return {hint.key: hint.enabled for hint in app.screen.query_one(KeyBar).hints}

    app = make_app(book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        keys = enabled(app)
        assert keys["d"] and keys["s"] and keys["r"] and keys["l"]  # on a follow-up
        await highlight(app, next(i for i in agenda_ids(app) if i.startswith("checkin:")))
        await settled(pilot)
        keys = enabled(app)
        assert keys["l"] and not keys["d"] and not keys["s"] and not keys["r"]
        await pilot.press("s", "d")  # they do nothing here
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await highlight(app, next(i for i in agenda_ids(app) if i.startswith("case:")))
        await settled(pilot)
        keys = enabled(app)
        assert keys["d"] and not keys["s"]
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)


async def test_no_row_keys_on_an_empty_agenda(engine: Engine) -> None:
    from rmtui.widgets.key_bar import KeyBar

    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        hints = {hint.key: hint.enabled for hint in app.screen.query_one(KeyBar).hints}
        assert not any(hints[key] for key in ("l", "d", "s", "r"))
        assert hints["f"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_toasts_stay_clear_of_the_cursor_row(
    late_book: Engine, size: tuple[int, int]
) -> None:
    from textual.widgets._toast import Toast

    app = make_app(late_book, book_name="test", day=DAY)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settled(pilot)
        for _ in range(3):
            await pilot.press("d")
            await settled(pilot)
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 2  # the newest two
        assert "Chase the form" in str(toasts[-1].render())
        options = app.screen.query_one("#agenda", LineList)
        assert options.highlighted is not None
        cursor_y = options.region.y + options.highlighted - int(options.scroll_offset.y)
        assert all(toast.region.bottom <= cursor_y for toast in toasts)
        app.notify("The backup failed.", severity="error")
        await settled(pilot)
        assert len(list(app.screen.query(Toast))) == 3  # a warning or an error stays
