"""The case forms, used like a user: open a request or complaint, resolve it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.engine import Engine

from rmtui.app import make_app
from rmtui.core.db import session_scope
from rmtui.core.models import Case, Client
from rmtui.core.queries.cases import open_cases
from rmtui.screens.flows import records as record_actions
from rmtui.screens.forms.case import CaseForm, ResolveCaseForm
from tests.factories import make
from tests.tui.form_app import NOTHING, FormApp, choose, error_of, type_in, value_of

DAY = date(2026, 11, 29)
SIZE = (120, 40)


def case_form(**initial: object) -> CaseForm:
    return CaseForm(client_id=7, client_name="Ann Maes", day=DAY, initial=initial or None)


async def test_a_new_request_is_due_in_five_days() -> None:
    form = case_form()
    app = FormApp(form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert form.FORM_TITLE == "New request or complaint for Ann Maes"
        assert value_of(pilot, "due_on") == "2026-12-04"
        await pilot.press("tab", *"New debit card", "ctrl+s")
        await pilot.pause()
    assert app.result == {
        "client_id": 7,
        "kind": "request",
        "subject": "New debit card",
        "opened_on": DAY,
        "due_on": DAY + timedelta(days=5),
        "clock": None,
    }


async def test_choosing_complaint_moves_an_untouched_deadline() -> None:
    app = FormApp(case_form())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await choose(pilot, "kind", 1)
        assert value_of(pilot, "due_on") == "2026-12-01"
        await choose(pilot, "kind", -1)
        assert value_of(pilot, "due_on") == "2026-12-04"
        await choose(pilot, "kind", 1)
        await type_in(pilot, "subject", "Fee charged twice")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["kind"] == "complaint"
    assert app.result["due_on"] == date(2026, 12, 1)


async def test_a_typed_deadline_stays_when_the_kind_changes() -> None:
    app = FormApp(case_form())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, "subject", "Statement missing")
        await type_in(pilot, "due_on", "+10d")
        await choose(pilot, "kind", 1)
        assert value_of(pilot, "due_on") == "+10d"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["kind"] == "complaint"
    assert app.result["due_on"] == date(2026, 12, 9)


async def test_bad_values_are_explained_beside_their_fields() -> None:
    app = FormApp(case_form())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_in(pilot, "due_on", "someday")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result is NOTHING
        assert error_of(pilot, "subject") == "A subject is required."
        assert "'someday' is not a date" in (error_of(pilot, "due_on") or "")
        await type_in(pilot, "subject", "Card blocked")
        await type_in(pilot, "due_on", "2026-11-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result is NOTHING
        assert error_of(pilot, "subject") is None
        assert error_of(pilot, "due_on") == (
            "The deadline cannot be before the case was opened (29 Nov 2026)."
        )
        await type_in(pilot, "due_on", "fri")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["due_on"] == date(2026, 12, 4)


async def test_editing_a_case_keeps_its_opening_day() -> None:
    opened = date(2026, 11, 20)
    form = case_form(kind="request", subject="Card", opened_on=opened, due_on=date(2026, 11, 25))
    app = FormApp(form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert form.FORM_TITLE == "Edit the case for Ann Maes"
        await choose(pilot, "kind", 1)  # the deadline was the default: it follows
        assert value_of(pilot, "due_on") == "2026-11-22"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result["opened_on"] == opened
    assert app.result["due_on"] == date(2026, 11, 22)
    assert app.result["subject"] == "Card"


async def test_resolving_needs_a_resolution() -> None:
    form = ResolveCaseForm(subject="Fee charged twice", opened_on=date(2026, 11, 20), day=DAY)
    app = FormApp(form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert form.FORM_TITLE == "Resolve “Fee charged twice”"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result is NOTHING
        assert error_of(pilot, "resolution") == "Say how the case was resolved."
        await pilot.press(*"Refunded the second fee")
        await type_in(pilot, "day", "tomorrow")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_of(pilot, "day") == "A case cannot be resolved on a day still to come."
        assert error_of(pilot, "resolution") is None
        await type_in(pilot, "day", "2026-11-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_of(pilot, "day") == (
            "A case cannot be resolved before it was opened (20 Nov 2026)."
        )
        await type_in(pilot, "day", "yesterday")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == {"resolution": "Refunded the second fee", "day": date(2026, 11, 28)}


async def test_resolving_today_by_default() -> None:
    app = FormApp(ResolveCaseForm(subject="Card", opened_on=DAY, day=DAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Sent a new card", "ctrl+s")
        await pilot.pause()
    assert app.result == {"resolution": "Sent a new card", "day": DAY}


# -- the actions client detail runs: the form, then the save -----------------------------------


def book_with_a_client(engine: Engine) -> int:
    with session_scope(engine) as session:
        client = make(session, Client, name="Ann Maes")
        assert client.id is not None
        return client.id


async def test_add_resolve_and_reopen_a_case_through_the_actions(engine: Engine) -> None:
    client_id = book_with_a_client(engine)
    saved: list[object] = []
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        record_actions.add_case(app.screen, client_id, on_saved=lambda: saved.append("added"))
        await pilot.pause()
        await choose(pilot, "kind", 1)
        await type_in(pilot, "subject", "Fee charged twice")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved == ["added"]
        with session_scope(engine) as session:
            [case] = open_cases(session=session, client_id=client_id)
        assert (case.kind, case.due_on, case.opened_on) == ("complaint", date(2026, 12, 1), DAY)
        assert case.id is not None

        record_actions.resolve_case(app.screen, case.id, on_saved=saved.append)
        await pilot.pause()
        assert isinstance(app.screen, ResolveCaseForm)
        await pilot.press(*"Refunded", "ctrl+s")
        await pilot.pause()
        assert saved[-1] == "Fee charged twice"
        with session_scope(engine) as session:
            assert open_cases(session=session, client_id=client_id) == []
            resolved = session.get(Case, case.id)
            assert resolved is not None
            assert (resolved.resolved_on, resolved.resolution) == (DAY, "Refunded")

        await pilot.press("u")  # the resolve is taken back
        await pilot.pause()
        with session_scope(engine) as session:
            assert len(open_cases(session=session, client_id=client_id)) == 1


async def test_editing_a_case_through_the_actions(engine: Engine) -> None:
    client_id = book_with_a_client(engine)
    with session_scope(engine) as session:
        case = make(
            session,
            Case,
            client_id=client_id,
            subject="Card",
            opened_on=DAY,
            due_on=DAY + timedelta(days=5),
        )
        case_id = case.id
    assert case_id is not None
    app = make_app(engine, book_name="test", day=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        record_actions.edit_case(app.screen, case_id)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CaseForm)
        assert form.FORM_TITLE == "Edit the case for Ann Maes"
        await type_in(pilot, "subject", "Card blocked abroad")
        await type_in(pilot, "due_on", "+1d")
        await pilot.press("ctrl+s")
        await pilot.pause()
    with session_scope(engine) as session:
        edited = session.get(Case, case_id)
        assert edited is not None
        assert (edited.subject, edited.due_on) == ("Card blocked abroad", date(2026, 11, 30))
