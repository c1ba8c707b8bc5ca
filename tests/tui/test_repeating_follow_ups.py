"""Repeating follow-ups on the Today screen: planned in the form, done, and taken back."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy.engine import Engine
from sqlmodel import select

from rmtui.app import RmApp, make_app
from rmtui.core.db import session_scope
from rmtui.core.models import Client, FollowUp
from rmtui.widgets.line_list import LineList
from tests.factories import make

DAY = date(2027, 1, 29)


def follow_ups(engine: Engine) -> list[FollowUp]:
    with session_scope(engine) as session:
        return list(session.exec(select(FollowUp).order_by(FollowUp.id)).all())  # type: ignore[arg-type]


def agenda_ids(app: RmApp) -> list[str]:
    options = app.screen.query_one("#agenda", LineList)
    return [option.id for option in options.options if option.id]


async def test_a_follow_up_planned_with_a_time_notes_and_a_repeat(engine: Engine) -> None:
    with session_scope(engine) as session:
        make(session, Client, name="Ann Peeters")
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"Monthly report", "tab", *["backspace"] * 8, *"2027-01-31")
        await pilot.press("tab", *"9:30", "tab", "tab", *"monthly", "tab", *"send the pdf")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (saved,) = follow_ups(engine)
        assert (saved.due_on, saved.due_at) == (date(2027, 1, 31), time(9, 30))
        assert (saved.repeat, saved.notes) == ("every month", "send the pdf")
        lines = [str(option.prompt) for option in app.screen.query_one("#agenda", LineList).options]
        assert any("09:30 Monthly report ↻" in line for line in lines)


async def test_a_bad_repeat_is_explained_next_to_its_field(engine: Engine) -> None:
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"Report", "tab", "tab", "tab", "tab", *"sometimes", "ctrl+s")
        await pilot.pause()
        error = app.screen.query_one("#error-repeat")
        assert "is not a repeat" in str(error.render())
        assert follow_ups(engine) == []


async def test_done_plans_the_next_and_undo_takes_it_away(engine: Engine) -> None:
    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann Peeters")
        first = make(
            session,
            FollowUp,
            client_id=ann.id,
            title="Monthly report",
            due_on=DAY,
            repeat="every month",
        )
        first_id = first.id
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = app.screen.query_one("#agenda", LineList)
        options.highlighted = options.get_option_index(f"follow_up:{first_id}")
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        done, planned = follow_ups(engine)
        assert (done.status, planned.status, planned.due_on) == ("done", "open", date(2027, 2, 28))
        assert any("Next “Monthly report” planned" in n.message for n in app._notifications)
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (reopened,) = follow_ups(engine)
        assert (reopened.id, reopened.status) == (first_id, "open")
        assert f"follow_up:{first_id}" in agenda_ids(app)
