"""The virtual table: a new row count keeps its scrollbar and scrolling right, and only a
scrollbar that comes or goes lays the screen out again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import App, ComposeResult

from rmtui.widgets.virtual_table import TableColumn, TableRow, VirtualTable

COLUMNS = (TableColumn("name", "Name"), TableColumn("n", "Number", 8, align="right"))


def rows(offset: int, limit: int) -> Sequence[TableRow]:
    return [TableRow(n, (f"Row {n}", str(n))) for n in range(offset, offset + limit)]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS)


def layouts_of(app: App[None]) -> list[int]:
    """Count the screen's layout passes from now on (a one-item counter)."""
    counter = [0]
    screen = app.screen
    original = screen._refresh_layout

    def counted(*args: Any, **kwargs: Any) -> None:
        counter[0] += 1
        original(*args, **kwargs)

    screen._refresh_layout = counted  # type: ignore[method-assign]
    return counter


async def test_a_new_row_count_moves_the_scrollbar_without_a_layout() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(VirtualTable)
        table.show(1000, rows)
        await pilot.pause()
        assert table.show_vertical_scrollbar
        assert table.max_scroll_y == 1001 - table.scrollable_content_region.height
        table.action_last()
        await pilot.pause()
        layouts = layouts_of(app)
        table.show(500, rows)
        await pilot.pause()
        assert layouts[0] == 0
        assert table.virtual_size.height == 501 and table.scroll_y == 0
        assert table.vertical_scrollbar.window_virtual_size == 501
        assert table.max_scroll_y == 501 - table.scrollable_content_region.height
        table.action_last()
        await pilot.pause()
        assert table.cursor == 499 and table.scroll_y == table.max_scroll_y


async def test_the_scrollbar_comes_and_goes_with_the_rows() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(VirtualTable)
        table.show(3, rows)
        await pilot.pause()
        assert not table.show_vertical_scrollbar
        table.show(200, rows)
        await pilot.pause()
        assert table.show_vertical_scrollbar
        assert "Row 0" in str(table.render_line(1).text)
        table.show(0, rows)
        await pilot.pause()
        assert not table.show_vertical_scrollbar
        assert table.empty_text in table.render_line(1).text
