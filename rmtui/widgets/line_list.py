"""A list of one-line entries, some of them headings the cursor skips, painted line by line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from rmtui.core.translation import N_


@dataclass(frozen=True)
class ListLine:
    """One line of the list: its text, and the id of what it stands for (None for a heading or
    a note, which the cursor passes over)."""

    prompt: Text
    id: str | None = None
    heading: bool = False  # a section starts here (the cursor jumps between sections)

    @property
    def disabled(self) -> bool:
        """Whether the cursor passes over this line."""
        return self.id is None


class LineList(ScrollView, can_focus=True):
    """Like Textual's OptionList for one-line entries, but each line is drawn only when it
    comes on screen, and only the lines the cursor leaves and enters are drawn again.

    OptionList measures and styles every option when the list is filled; for the agenda's
    hundreds of lines that was most of the time to the first screen.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", N_("Down"), show=False),
        Binding("up", "cursor_up", N_("Up"), show=False),
        Binding("pagedown", "page_down", N_("Page down"), show=False),
        Binding("pageup", "page_up", N_("Page up"), show=False),
        Binding("home", "first", N_("First"), show=False),
        Binding("end", "last", N_("Last"), show=False),
        Binding("enter", "select", N_("Select"), show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"line-list--cursor"}
    DEFAULT_CSS = """
    LineList { height: 1fr; overflow-x: hidden; background: $surface; color: $foreground; }
    LineList > .line-list--cursor { background: $block-cursor-blurred-background; }
    LineList:focus > .line-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    """

    highlighted: reactive[int | None] = reactive(None, repaint=False)

    class OptionHighlighted(Message):
        """The cursor came to the line with id `option_id` (None when the list is empty)."""

        def __init__(self, line_list: LineList, option_id: str | None) -> None:
            super().__init__()
            self.line_list = line_list
            self.option_id = option_id

        @property
        def control(self) -> LineList:
            return self.line_list

    class OptionSelected(Message):
        """Enter (or a double click) on the line with id `option_id`."""

        def __init__(self, line_list: LineList, index: int, option_id: str) -> None:
            super().__init__()
            self.line_list = line_list
            self.index = index
            self.option_id = option_id

        @property
        def control(self) -> LineList:
            return self.line_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[ListLine] = []
        self._index: dict[str, int] = {}
        self._strips: dict[tuple[int, bool], Strip] = {}

    # -- the lines --------------------------------------------------------------------------

    @property
    def options(self) -> Sequence[ListLine]:
        """Every line, in order."""
        return self._lines

    @property
    def option_count(self) -> int:
        """How many lines there are."""
        return len(self._lines)

    def get_option_at_index(self, index: int) -> ListLine:
        """The line at `index`."""
        return self._lines[index]

    def get_option_index(self, option_id: str) -> int:
        """The index of the line with `option_id` (KeyError when there is none)."""
        return self._index[option_id]

    def set_options(self, lines: Iterable[ListLine]) -> None:
        """Show `lines` instead of the current ones; the cursor is set apart (highlighted)."""
        self._lines = list(lines)
        self._index = {line.id: i for i, line in enumerate(self._lines) if line.id is not None}
        self._strips.clear()
        self.virtual_size = Size(self.size.width, len(self._lines))
        self.set_reactive(LineList.highlighted, None)
        self.refresh()

    # -- painting ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        if not 0 <= index < len(self._lines):
            return Strip.blank(self.size.width)
        on_cursor = index == self.highlighted
        key = (index, on_cursor)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._paint(self._lines[index], on_cursor)
            self._strips[key] = strip
        return strip

    def _paint(self, line: ListLine, on_cursor: bool) -> Strip:
        width = self.size.width
        text = line.prompt.copy()
        text.truncate(width, overflow="ellipsis")
        style = self.get_component_rich_style("line-list--cursor") if on_cursor else self.rich_style
        if on_cursor:
            text.pad_right(width - text.cell_len)
            text.stylize(style)
        else:  # the widget's own colours under the line's (dimmed with it behind a dialog)
            text.stylize_before(style)
        segments: list[Segment] = list(text.render(self.app.console))
        return Strip(segments).adjust_cell_length(width, style)

    def on_resize(self) -> None:
        self._strips.clear()
        self.virtual_size = Size(self.size.width, len(self._lines))

    def on_focus(self) -> None:
        self._repaint_cursor()

    def on_blur(self) -> None:
        self._repaint_cursor()

    def _repaint_cursor(self) -> None:
        self._strips = {key: strip for key, strip in self._strips.items() if not key[1]}
        if self.highlighted is not None:
            self.refresh_line(self.highlighted)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                self.refresh_line(index)
        if new is not None:
            self.scroll_to_region_of(new)
        option_id = None if new is None else self._lines[new].id
        self.post_message(self.OptionHighlighted(self, option_id))

    def scroll_to_region_of(self, index: int) -> None:
        """Scroll so that line `index` is on screen."""
        top = int(self.scroll_offset.y)
        height = max(self.size.height, 1)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    # -- moving ------------------------------------------------------------------------------

    def _enabled_from(self, start: int, step: int) -> int | None:
        index = start
        while 0 <= index < len(self._lines):
            if not self._lines[index].disabled:
                return index
            index += step
        return None

    def _move_to(self, target: int, step: int) -> None:
        if not self._lines:
            return
        target = max(0, min(target, len(self._lines) - 1))
        found = self._enabled_from(target, step)
        if found is None:
            found = self._enabled_from(target, -step)
        if found is not None:
            self.highlighted = found

    def action_cursor_down(self) -> None:
        start = -1 if self.highlighted is None else self.highlighted
        found = self._enabled_from(start + 1, 1)
        if found is not None:
            self.highlighted = found

    def action_cursor_up(self) -> None:
        start = len(self._lines) if self.highlighted is None else self.highlighted
        found = self._enabled_from(start - 1, -1)
        if found is not None:
            self.highlighted = found

    def action_page_down(self) -> None:
        self._move_to((self.highlighted or 0) + max(self.size.height - 1, 1), 1)

    def action_page_up(self) -> None:
        self._move_to((self.highlighted or 0) - max(self.size.height - 1, 1), -1)

    def action_first(self) -> None:
        self._move_to(0, 1)

    def action_last(self) -> None:
        self._move_to(len(self._lines) - 1, -1)

    def action_section(self, step: int) -> None:
        """Go to the first entry of the next section (`step` 1) or the previous one (-1) that
        has entries, around the end; its heading comes into view with it."""
        starts = [i for i, line in enumerate(self._lines) if line.heading]
        if not starts or self.highlighted is None:
            return
        here = max((n for n, start in enumerate(starts) if start <= self.highlighted), default=0)
        for distance in range(1, len(starts) + 1):
            number = (here + step * distance) % len(starts)
            end = starts[number + 1] if number + 1 < len(starts) else len(self._lines)
            entry = self._enabled_from(starts[number], 1)
            if entry is not None and entry < end:
                self.highlighted = entry
                self.scroll_to_region_of(starts[number])
                return

    def action_select(self) -> None:
        index = self.highlighted
        if index is not None and not self._lines[index].disabled:
            option_id = self._lines[index].id
            assert option_id is not None
            self.post_message(self.OptionSelected(self, index, option_id))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < len(self._lines) and not self._lines[index].disabled:
            self.highlighted = index
            if event.chain == 2:
                self.action_select()
