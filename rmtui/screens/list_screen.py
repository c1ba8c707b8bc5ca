"""What the Clients and Log screens share: one list read block by block, whose keys follow
whether it has a row and whose next block is read ahead as the cursor nears it."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar, TypeVar

from textual.screen import Screen
from textual.widget import Widget

from rmtui.widgets.page_source import PageSource
from rmtui.widgets.virtual_table import VirtualTable

WidgetT = TypeVar("WidgetT", bound=Widget)


class ListScreen(Screen[None]):
    """A screen showing `pages` in its list; subclasses name their read-ahead worker group."""

    READ_AHEAD_GROUP: ClassVar[str] = "read-ahead"
    pages: PageSource[Any] | None = None
    _had_row: bool | None = None  # whether the keys were last refreshed with a row

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        # Rebuilding the footer on every cursor move is what makes keys slow; the keys only
        # change when the list goes from no row to a row or back.
        has_row = event.key is not None
        if has_row != self._had_row:
            self._had_row = has_row
            self.refresh_bindings()
        if self.pages is not None:
            read_ahead_near(self, self.pages, event.table.cursor, group=self.READ_AHEAD_GROUP)


def read_ahead_near(
    screen: Screen[Any], pages: PageSource[Any], cursor: int, *, group: str
) -> None:
    """Read the next block of `pages` in a worker of `group` when `cursor` comes near it."""
    following = pages.claim_read_ahead(cursor)
    if following is not None:
        screen.run_worker(
            partial(pages.read_ahead, following), thread=True, exit_on_error=False, group=group
        )


def titled(widget: WidgetT, title: str) -> WidgetT:
    """`widget` with `title` on its border (a box of a filter bar)."""
    widget.border_title = title
    return widget
