"""Control characters from a book or a file never reach the terminal, on the CLI or in the TUI."""

from __future__ import annotations

from datetime import date

import pytest
from rich.segment import Segment
from sqlalchemy.engine import Engine
from textual.color import Color
from textual.geometry import Region

from rmtui.app import PRINTABLE_LINES, make_app
from rmtui.cli import main
from rmtui.core.db import session_scope
from rmtui.core.models import Client, FollowUp
from rmtui.core.wording import printable
from rmtui.widgets.printable_lines import PrintableLines
from rmtui.widgets.virtual_table import VirtualTable
from tests.factories import make

HOSTILE = "Eve\x1b]0;pwned\x07\x1b[2J\x9b31m Evil"


@pytest.fixture
def hostile_book(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        eve = make(session, Client, name=HOSTILE, client_since=date(2020, 1, 1))
        make(session, FollowUp, client_id=eve.id, title=f"Call {HOSTILE}", due_on=date(2026, 11, 1))
    return engine


def test_printable_replaces_every_control_character_but_tab_and_newline() -> None:
    assert printable(HOSTILE) == "Eve\ufffd]0;pwned\ufffd\ufffd[2J\ufffd31m Evil"
    assert printable("notes\twith\nlines") == "notes\twith\nlines"
    assert printable(HOSTILE, replacement="") == "Eve]0;pwned[2J31m Evil"


@pytest.mark.parametrize("command", [["agenda"], ["agenda", "--json"], ["kpi"]])
def test_the_command_line_prints_no_control_character(
    hostile_book: Engine, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main(command) == 0
    out = capsys.readouterr().out
    assert not any(char in out for char in "\x1b\x07\x9b")
    if command == ["agenda"]:
        assert "Eve\ufffd]0;pwned" in out


def test_the_line_filter_takes_control_characters_out_and_keeps_the_width() -> None:
    segments = [Segment("ab"), Segment(HOSTILE), Segment("cd")]
    filtered = PrintableLines().apply(segments, Color(0, 0, 0))
    assert "".join(segment.text for segment in filtered) == "abEve]0;pwned[2J31m Evilcd"
    assert sum(segment.cell_length for segment in filtered) == sum(
        segment.cell_length for segment in segments
    )
    plain = [Segment("nothing to do")]
    assert PrintableLines().apply(plain, Color(0, 0, 0)) is plain


async def test_the_client_list_paints_a_hostile_name_as_text(hostile_book: Engine) -> None:
    app = make_app(hostile_book, book_name="test", day=date(2026, 11, 29))
    async with app.run_test(size=(120, 40)) as pilot:
        assert PRINTABLE_LINES in app.get_line_filters()
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(VirtualTable)
        strips = table.render_lines(Region(0, 0, table.size.width, table.size.height))
        painted = "".join(segment.text for strip in strips for segment in strip)
        assert "Eve]0;pwned[2J31m Evil" in painted
        assert not any(char in painted for char in "\x1b\x07\x9b")
