"""What the screens say, read as a person reads it: undo, stage moves, counts, the check-in
line, the profile at 80 columns and the figures in the user's locale."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Select, Static

from rmtui.core.db import session_scope
from rmtui.core.models import Client, Opportunity
from rmtui.core.user_locale import user_locale
from rmtui.screens.clients import QUICK_FILTER_TITLES
from rmtui.screens.today import TodayScreen
from tests.clients_book import make_rich_client, open_clients
from tests.factories import make
from tests.small_book import app_on, fill_small_book, settle
from tests.tui.test_client_detail import open_detail, profile_text
from tests.tui.test_pipeline_screen import move_to, open_pipeline, text_of
from tests.tui.test_today_screen import DAY, agenda_ids, highlight
from tests.tui.test_today_screen import book as today_book  # noqa: F401  (a fixture)

NARROW = (80, 24)


def messages(pilot: Pilot[None]) -> list[str]:
    return [notice.message for notice in pilot.app._notifications]


@pytest.fixture
def small_book(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        fill_small_book(session)
    return engine


async def test_a_done_follow_up_and_its_undo_say_what_was_done(today_book: Engine) -> None:  # noqa: F811
    from rmtui.app import make_app

    app = make_app(today_book, book_name="test", day=DAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        summary = str(app.screen.query_one("#today-summary", Static).render())
        assert "1 check-in  ·  2 reviews  ·  1 case" in summary
        assert summary.endswith("1 birthday")
        await highlight(app, agenda_ids(app)[0])
        await pilot.press("d")
        await settle(pilot)
        assert messages(pilot)[-1] == "Marked “Send proposal” done. Press u to undo."
        await pilot.press("u")
        await settle(pilot)
        assert messages(pilot)[-1] == "Undone: marked “Send proposal” done."


async def test_a_deal_moved_on_names_its_new_stage(small_book: Engine) -> None:
    async with app_on(small_book).run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_pipeline(pilot)
        await move_to(pilot, screen, "Pension top-up")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert messages(pilot)[-1] == "Moved “Pension top-up” to Qualified. Press u to undo."
        assert "(yesterday)" in text_of(screen, "#deal-detail")  # opened the day before
        await pilot.press("u")
        await settle(pilot)
        assert messages(pilot)[-1] == "Undone: moved “Pension top-up” to Qualified."


async def test_stage_boxes_share_one_form_and_follow_the_locale(
    small_book: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RMTUI_LOCALE", "nl_NL")
    user_locale.cache_clear()
    async with app_on(small_book).run_test(size=NARROW) as pilot:
        screen = await open_pipeline(pilot)
        boxes = [text_of(screen, f"#box-{stage}").split("\n")[1] for stage in ("lead", "lost")]
        assert boxes == ["17.000", "500.000"]
        stats = text_of(screen, "#pipeline-stats")
        assert "7 kansen · waarde 557.000 · gewogen 204.200" in stats  # Dutch words too
        assert "slagingspercentage 66,7% (2 gewonnen, 1 verloren)" in stats
        with session_scope(small_book) as session:
            client_id = session.exec(select(Client.id)).first()
            make(session, Opportunity, client_id=client_id, title="Fund", value=Decimal("1.5e7"))
        screen.load_board()
        await settle(pilot)
        boxes = [text_of(screen, f"#box-{stage}").split("\n")[1] for stage in ("lead", "lost")]
        assert boxes == ["15,0M", "500,0k"]  # 15.017.000 fits no box: none is whole


async def test_the_profile_breaks_an_address_only_between_its_parts(engine: Engine) -> None:
    with session_scope(engine) as session:
        client = make_rich_client(session)
        client.email = "katharina.schneider@example.net"
        client_id = client.id
        session.add(client)
    assert client_id is not None
    async with app_on(engine).run_test(size=NARROW) as pilot:
        await open_detail(pilot, client_id)
        shown = profile_text(pilot)
        assert "katharina .schneider @example.net" in shown
        due = str(pilot.app.screen.query_one("#client-due", Static).render())
        assert "since" not in due


async def test_the_quick_filter_titles_fit_at_80_columns(engine: Engine) -> None:
    with session_scope(engine) as session:
        make(session, Client, name="Ann Maes")
    async with app_on(engine).run_test(size=NARROW) as pilot:
        await open_clients(pilot)
        for name, title in QUICK_FILTER_TITLES.items():
            select = pilot.app.screen.query_one(f"#filter-{name}", Select)
            # A border title has a corner and a space on either side of it.
            assert select.outer_size.width >= len(title) + 6, name


def test_an_error_on_the_screen_begins_with_a_capital(engine: Engine) -> None:
    from rmtui.core.errors import BookError

    said = app_on(engine).error_text(BookError("there is no client 5; nothing was saved."))
    assert said == "There is no client 5; nothing was saved."
