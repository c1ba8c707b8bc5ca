"""The key hints along the bottom of every screen."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from rmtui.app import make_app
from rmtui.core.db import session_scope
from rmtui.widgets.key_bar import Hint, KeyBar, fitting_hints
from tests.clients_book import DAY, SIZE, fill_book


def shown(app: object) -> str:
    bar = app.screen.query_one(KeyBar)  # type: ignore[attr-defined]
    return str(bar.render())


def hint(key: str, description: str, *, display: str = "", mode: bool = False) -> Hint:
    return Hint(key, display or key, description, enabled=True, mode=mode)


SCREEN_HINTS = (hint("a", "Add"), hint("e", "Edit"))
MODES = tuple(hint(str(n), name, mode=True) for n, name in enumerate(("Today", "Log"), start=1))
GLOBAL = (hint("question_mark", "Help", display="?"), hint("q", "Quit"), hint("^p", "Palette"))
ALL = SCREEN_HINTS + MODES + GLOBAL


def test_every_hint_shows_when_there_is_room() -> None:
    assert fitting_hints(ALL, 200) == ALL


def test_the_screen_keys_fold_into_one_hint_when_space_is_short() -> None:
    folded = fitting_hints(ALL, 57)
    assert [h.description for h in folded] == ["Add", "Edit", "Screens", "Help", "Quit", "Palette"]
    assert folded[2].display == "1-2"


def test_the_last_hints_go_first_but_help_stays() -> None:
    narrow = fitting_hints(ALL, 26)
    assert [h.description for h in narrow] == ["Add", "Edit", "Help"]


async def test_each_screen_shows_its_own_keys_and_the_way_to_help(engine: Engine) -> None:
    with session_scope(engine) as session:
        fill_book(session)
    app = make_app(engine, book_name="Test book", day=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert "d Done" in shown(app)
        assert "? Help" in shown(app)
        await pilot.press("2")
        await pilot.pause(0.3)
        assert "/ Filter" in shown(app)
        assert "d Done" not in shown(app)
        assert "? Help" in shown(app)


async def test_a_key_that_cannot_be_used_now_is_dimmed(engine: Engine) -> None:
    app = make_app(engine, book_name="Empty book", day=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause(0.3)
        hints = {h.description: h for h in app.screen.query_one(KeyBar).hints}
        assert hints["Add"].enabled
        assert not hints["Edit"].enabled


async def test_clicking_a_hint_presses_its_key(engine: Engine) -> None:
    app = make_app(engine, book_name="Test book", day=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        bar = app.screen.query_one(KeyBar)
        text = str(bar.render())
        await pilot.click(KeyBar, offset=(text.index("? Help") + 1, 0))
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "HelpScreen"
