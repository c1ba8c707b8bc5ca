"""The one-line list under the Today agenda: the cursor passes over headings."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from rmtui.widgets.line_list import LineList, ListLine


class ListApp(App[None]):
    def __init__(self, lines: list[ListLine]) -> None:
        super().__init__()
        self.lines = lines
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield LineList(id="list")

    def on_mount(self) -> None:
        line_list = self.query_one(LineList)
        line_list.set_options(self.lines)
        line_list.highlighted = 1
        line_list.focus()

    def on_line_list_option_selected(self, event: LineList.OptionSelected) -> None:
        self.selected.append(event.option_id)


def agenda_like(sections: int, rows: int) -> list[ListLine]:
    lines = []
    for section in range(sections):
        lines.append(ListLine(Text(f"Section {section}")))
        lines += [
            ListLine(Text(f"row {section}.{row}"), id=f"{section}.{row}") for row in range(rows)
        ]
    return lines


def current(app: ListApp) -> str | None:
    line_list = app.query_one(LineList)
    assert line_list.highlighted is not None
    return line_list.get_option_at_index(line_list.highlighted).id


async def test_the_cursor_passes_over_headings_both_ways() -> None:
    app = ListApp(agenda_like(3, 2))
    async with app.run_test(size=(60, 10)) as pilot:
        assert current(app) == "0.0"
        await pilot.press("down", "down")
        assert current(app) == "1.0"
        await pilot.press("up")
        assert current(app) == "0.1"
        await pilot.press("end")
        assert current(app) == "2.1"
        await pilot.press("home")
        assert current(app) == "0.0"


async def test_page_down_goes_a_screen_on_and_keeps_the_cursor_in_view() -> None:
    app = ListApp(agenda_like(5, 20))
    async with app.run_test(size=(60, 10)) as pilot:
        line_list = app.query_one(LineList)
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert line_list.highlighted is not None and line_list.highlighted > 20
        top = int(line_list.scroll_offset.y)
        assert top <= line_list.highlighted < top + line_list.size.height
        await pilot.press("pageup", "pageup", "pageup")
        assert current(app) == "0.0"


async def test_enter_and_a_double_click_select_the_line() -> None:
    app = ListApp(agenda_like(2, 3))
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.press("down", "enter")
        assert app.selected == ["0.1"]
        await pilot.click(LineList, offset=(2, 3), times=2)
        assert app.selected == ["0.1", "0.2"]


async def test_a_click_on_a_heading_leaves_the_cursor_where_it_is() -> None:
    app = ListApp(agenda_like(2, 3))
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.click(LineList, offset=(2, 4))
        assert current(app) == "0.0"


async def test_sections_are_walked_with_their_headings_in_view_passing_empty_ones() -> None:
    lines = []
    for section, rows in enumerate((3, 0, 12, 2)):
        lines.append(ListLine(Text(f"Section {section}"), heading=True))
        if not rows:
            lines.append(ListLine(Text("  Nothing here.")))
        lines += [
            ListLine(Text(f"row {section}.{row}"), id=f"{section}.{row}") for row in range(rows)
        ]
    app = ListApp(lines)
    async with app.run_test(size=(60, 8)) as pilot:
        line_list = app.query_one(LineList)
        line_list.action_section(1)
        await pilot.pause()
        assert current(app) == "2.0"  # section 1 has nothing to stand on
        line_list.action_section(1)
        line_list.action_section(-1)
        await pilot.pause()
        assert current(app) == "2.0"
        assert int(line_list.scroll_offset.y) <= line_list.get_option_index("2.0") - 1
        line_list.action_section(-1)
        line_list.action_section(-1)  # around the start, to the last section
        await pilot.pause()
        assert current(app) == "3.0"
