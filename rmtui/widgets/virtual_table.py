"""A table that paints only the rows on screen, fetched block by block from a data source."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from rmtui.core.translation import N_, _, pgettext

BLOCK_SIZE = 100
MAX_CACHED_BLOCKS = 16
GAP = 2

Cell = str | Text


@dataclass(frozen=True)
class TableColumn:
    """A column: its label and width in cells (None shares the space that is left, at least
    `min_width` and at most `max_width` cells). When the width runs short, the columns with the
    highest `drop` leave first (0: never), before a shared column shrinks below its minimum."""

    key: str
    label: str
    width: int | None = None
    align: str = "left"
    drop: int = 0
    min_width: int = 8
    max_width: int | None = None


def column_text(label: str) -> str:
    """A column's heading in the language of the text: its words in the context "column" when
    a language has shorter ones for a narrow column, else the label's own translation."""
    heading = pgettext("column", label)
    return heading if heading != label else _(label)


@dataclass(frozen=True)
class TableRow:
    """One row: the id of the record it shows, its cells and (when kept) the record."""

    key: int
    cells: tuple[Cell, ...]
    record: object = field(default=None, compare=False)


Fetch = Callable[[int, int], Sequence[TableRow]]


def fitted(text: str, width: int, *, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis when longer, padded when shorter."""
    if cell_len(text) > width:
        text = set_cell_size(text, max(width - 1, 0)) + "…" if width else ""
    return set_cell_size(text, width) if not right else " " * (width - cell_len(text)) + text


def column_widths(columns: Sequence[TableColumn], width: int) -> list[int]:
    """Each column's width in `width` cells, 0 for a column dropped because the others need
    the room (the highest `drop` first)."""
    shown = [index for index, _column in enumerate(columns)]
    while True:
        spare = width - sum((columns[i].width or 0) + GAP for i in shown)
        needed = sum(columns[i].min_width for i in shown if columns[i].width is None)
        droppable = [i for i in shown if columns[i].drop]
        if spare >= needed or not droppable:
            break
        shown.remove(max(droppable, key=lambda i: columns[i].drop))
    shares = shared_widths([columns[i] for i in shown if columns[i].width is None], spare)
    widths = [0] * len(columns)
    for i in shown:
        widths[i] = columns[i].width or shares.pop(0)
    return widths


def shared_widths(flexible: Sequence[TableColumn], spare: int) -> list[int]:
    """The widths of the columns that share `spare` cells: each its minimum, then the rest
    in equal parts, none above its maximum (what a maximum leaves goes to the others)."""
    widths = [column.min_width for column in flexible]
    left = spare - sum(widths)
    growing = [i for i, column in enumerate(flexible) if column.max_width != column.min_width]
    while left > 0 and growing:
        part = max(left // len(growing), 1)
        for i in list(growing):
            cap = flexible[i].max_width
            grow = min(part, left, cap - widths[i] if cap is not None else part)
            widths[i] += grow
            left -= grow
            if cap is not None and widths[i] >= cap:
                growing.remove(i)
            if not left:
                break
    return widths


class VirtualTable(ScrollView, can_focus=True):
    """Rows come from `fetch(offset, limit)`; only the blocks on screen are ever loaded."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", N_("Up"), show=False),
        Binding("down,j", "cursor_down", N_("Down"), show=False),
        Binding("pageup", "page_up", N_("Page up"), show=False),
        Binding("pagedown", "page_down", N_("Page down"), show=False),
        Binding("home,g", "first", N_("First"), show=False),
        Binding("end,G", "last", N_("Last"), show=False),
        Binding("enter", "select", N_("Open"), show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--odd",
        "virtual-table--empty",
    }
    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        overflow-x: hidden;
    }
    VirtualTable > .virtual-table--header { text-style: bold; color: $primary; }
    VirtualTable > .virtual-table--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    VirtualTable > .virtual-table--odd { background: $surface; color: $foreground; }
    VirtualTable > .virtual-table--empty { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, repaint=False)  # watch_cursor repaints what changed

    class Highlighted(Message):
        """The cursor moved onto the row of record `key`."""

        def __init__(self, table: VirtualTable, key: int | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class Selected(Message):
        """The user pressed enter on the row of record `key`."""

        def __init__(self, table: VirtualTable, key: int) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[TableColumn],
        *,
        empty_text: str = N_("Nothing to show."),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = tuple(columns)
        self.empty_text = empty_text
        self.total = 0
        self._fetch: Fetch = lambda _offset, _limit: ()
        self._blocks: dict[int, Sequence[TableRow]] = {}
        self._widths_for: tuple[object, list[int]] = (None, [])

    def show(
        self,
        total: int,
        fetch: Fetch,
        *,
        keep_key: int | None = None,
        first_block: Sequence[TableRow] | None = None,
    ) -> None:
        """Show `total` rows read through `fetch`; keep the cursor on `keep_key` if on screen."""
        self.total = total
        self._fetch = fetch
        self._blocks = {0: first_block} if first_block is not None else {}
        self._set_height(total + 1)
        self.cursor = self._index_of(keep_key) if keep_key is not None else 0
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_key))

    def grow(self, total: int) -> None:
        """Show `total` rows where fewer were counted, the rows read and the cursor kept (a
        block cut short by the old end is read again)."""
        self._blocks = {
            start: rows for start, rows in self._blocks.items() if start + BLOCK_SIZE <= self.total
        }
        self.total = total
        self._set_height(total + 1)
        self.refresh()

    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        """Change the columns (e.g. the sort marker in a label)."""
        self.columns = tuple(columns)
        self.refresh()

    @property
    def current_record(self) -> object:
        """The record under the cursor (for rows that keep theirs), or None."""
        row = self.row_at(self.cursor)
        return row.record if row else None

    @property
    def current_key(self) -> int | None:
        """The record id under the cursor, or None for an empty table."""
        row = self.row_at(self.cursor)
        return row.key if row else None

    def row_at(self, index: int) -> TableRow | None:
        """The row at position `index`, fetching its block when needed."""
        if not 0 <= index < self.total:
            return None
        block_index, offset = divmod(index, BLOCK_SIZE)
        block = self._blocks.get(block_index)
        if block is None:
            block = self._load_block(block_index)
        return block[offset] if offset < len(block) else None

    def _load_block(self, block_index: int) -> Sequence[TableRow]:
        if len(self._blocks) >= MAX_CACHED_BLOCKS:
            self._blocks.pop(next(iter(self._blocks)))
        block = self._fetch(block_index * BLOCK_SIZE, BLOCK_SIZE)
        self._blocks[block_index] = block
        return block

    def _index_of(self, key: int) -> int:
        for block_index, block in self._blocks.items():
            for offset, row in enumerate(block):
                if row.key == key:
                    return block_index * BLOCK_SIZE + offset
        return min(self.cursor, max(self.total - 1, 0))

    @property
    def page_rows(self) -> int:
        """How many rows fit below the header."""
        return max(self.size.height - 1, 1)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            header = self.get_component_rich_style("virtual-table--header")
            return self._strip(
                [column_text(column.label) for column in self.columns], header, width
            )
        index = int(self.scroll_offset.y) + y - 1
        if self.total == 0:
            if y == 1:
                style = self.get_component_rich_style("virtual-table--empty")
                return Strip([Segment(f" {_(self.empty_text)}", style)]).adjust_cell_length(width)
            return Strip.blank(width)
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width)
        return self._strip(
            list(row.cells), self._row_style(index), width, on_top=index == self.cursor
        )

    def _row_style(self, index: int) -> Style:
        if index == self.cursor:
            return self.get_component_rich_style("virtual-table--cursor")
        if index % 2:
            return self.get_component_rich_style("virtual-table--odd")
        return self.rich_style  # the table's own colours (dimmed with it behind a dialog)

    def _strip(self, cells: list[Cell], style: Style, width: int, *, on_top: bool = False) -> Strip:
        """One line of cells; the row style goes under the cells' own colours, or over them
        (`on_top`) for the cursor row."""
        segments: list[Segment] = [Segment(" ", style)]
        for column, cell_width, cell in zip(self.columns, self._widths(width), cells, strict=False):
            if not cell_width:
                continue  # a column dropped for want of width
            right = column.align == "right"
            if isinstance(cell, str):  # plain text, the most of a row: no Text to build
                segments.append(Segment(fitted(cell, cell_width, right=right), style))
            else:
                segments.extend(self._styled_cell(cell, cell_width, style, right, on_top))
            segments.append(Segment(" " * GAP, style))
        return Strip(segments).adjust_cell_length(width, style)

    def _styled_cell(
        self, cell: Text, width: int, style: Style, right: bool, on_top: bool
    ) -> list[Segment]:
        text = Text()
        text.append_text(cell)  # the cell's own style becomes a span, kept over the row's
        text.truncate(width, overflow="ellipsis")
        text.align("right" if right else "left", width)
        if on_top:
            text.stylize(style)
        else:
            text.stylize_before(style)
        return list(text.render(self.app.console))

    def _widths(self, width: int) -> list[int]:
        key = (width, self.columns)
        if self._widths_for[0] != key:
            self._widths_for = (key, column_widths(self.columns, width - 1))
        return self._widths_for[1]

    def watch_cursor(self, old: int, new: int) -> None:
        if old == new:
            return
        top = self.scroll_offset.y
        self._scroll_to_cursor()
        if self.scroll_offset.y == top:  # only the two cursor rows change on screen
            self.refresh_line(old + 1)
            self.refresh_line(new + 1)
        else:
            self.refresh()
        self.post_message(self.Highlighted(self, self.current_key))

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self.page_rows:
            self.scroll_to(y=self.cursor - self.page_rows + 1, animate=False, immediate=True)

    def _move(self, delta: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, self.cursor + delta))

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-self.page_rows)

    def action_page_down(self) -> None:
        self._move(self.page_rows)

    def action_first(self) -> None:
        self._move(-self.total)

    def action_last(self) -> None:
        self._move(self.total)

    def action_select(self) -> None:
        key = self.current_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1 or not self.total:
            return
        self.cursor = min(int(self.scroll_offset.y) + event.y - 1, self.total - 1)
        if event.chain == 2:
            self.action_select()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total + 1)
        self._scroll_to_cursor()

    def _set_height(self, lines: int) -> None:
        """Set how many lines the table scrolls through. The table's own size does not depend
        on it, so the screen is laid out again only when the scrollbar comes or goes (as
        setting `virtual_size` would each time, at the cost of a frame when typing a filter)."""
        size = Size(self.size.width, lines)
        self.set_reactive(VirtualTable.virtual_size, size)
        self._scroll_update(size)  # the scrollbar's visibility is a layout reactive
