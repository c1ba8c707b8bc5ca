"""The trash: what was deleted in the last 30 days, newest first, to restore or to delete for
good (`ctrl+t` anywhere, or "Open the trash" in the command palette)."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Static

from rmtui.core.db import session_scope
from rmtui.core.figures import count_text
from rmtui.core.queries import trash
from rmtui.core.translation import N_, _, ngettext
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.flows.clients import engine_of, saved
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.trash_table import TRASH_COLUMNS, TrashPages
from rmtui.widgets.virtual_table import BLOCK_SIZE, TableRow, VirtualTable

EMPTY = N_("The trash is empty: nothing was deleted in the last 30 days.")


class TrashScreen(Screen[None]):
    """Deleted records, kept 30 days: `r` (or enter) restores one with what came with it."""

    SCREEN_NAME = N_("Trash")
    CSS_PATH = "trash.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("r", "restore", N_("Restore")),
        Binding("x,delete", "delete_for_good", N_("Delete for good…"), key_display="x"),
        Binding("E", "empty", N_("Empty the trash…")),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Reading the trash…"), id="trash-summary")
        yield VirtualTable(TRASH_COLUMNS, id="trash-table", empty_text=EMPTY)
        yield KeyBar()

    @property
    def table(self) -> VirtualTable:
        """The trash's table."""
        return self.query_one("#trash-table", VirtualTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.book_changed()

    def book_changed(self, focus: int | None = None) -> None:
        """Read the trash again."""
        self._read(self.table.current_key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="trash")
    def _read(self, keep_key: int | None) -> None:
        engine = engine_of(self)
        with session_scope(engine) as session:
            pages = TrashPages(engine)
            first = pages.read(session, 0, BLOCK_SIZE)  # also drops what is past 30 days
            pages.total = trash.trash_count(session=session)
        self.app.call_from_thread(self._show, pages, first, keep_key)

    def _show(self, pages: TrashPages, first: list[TableRow], keep_key: int | None) -> None:
        self.table.show(pages.shown_total, pages.fetch, keep_key=keep_key, first_block=first)
        self.refresh_bindings()  # the keys for a record, or the empty trash's
        count = pages.shown_total
        self.query_one("#trash-summary", Static).update(
            ngettext(
                "{count} deleted record, kept 30 days — r restores, x deletes for good",
                "{count} deleted records, each kept 30 days — r restores, x deletes for good",
                count,
            ).format(count=count_text(count))
            if count
            else _("Deleted records stay here 30 days.")
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("restore", "delete_for_good", "empty"):
            return None if self.table.current_key is None else True
        return True

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        self.action_restore()

    def action_back(self) -> None:
        self.dismiss()

    def action_restore(self) -> None:
        entry_id = self.table.current_key
        if entry_id is None:
            return
        restored = saved(self, lambda session: trash.restore(session=session, entry_id=entry_id))
        if restored is not None:
            self.notify(_("Restored the {what}.").format(what=restored.what), markup=False)
            self.book_changed()

    def action_delete_for_good(self) -> None:
        entry_id = self.table.current_key
        row = self.table.row_at(self.table.cursor)
        if entry_id is None or row is None:
            return
        what = str(row.cells[1])

        def delete(yes: bool | None) -> None:
            if yes and saved(self, lambda session: trash.forget_entry(session, entry_id)):
                self.notify(_("Deleted the {what} for good.").format(what=what), markup=False)
                self.book_changed()

        question = _("Delete the {what} for good? It cannot be restored after this.").format(
            what=what
        )
        self.app.push_screen(ConfirmScreen(question, yes=N_("Delete"), no=N_("Keep")), delete)

    def action_empty(self) -> None:
        def empty(yes: bool | None) -> None:
            emptied = saved(self, lambda session: trash.empty_trash(session=session)) if yes else 0
            if emptied:
                said = ngettext(
                    "Deleted {count} record for good.", "Deleted {count} records for good.", emptied
                )
                self.notify(said.format(count=count_text(emptied)), markup=False)
                self.book_changed()

        question = _("Delete everything in the trash for good? It cannot be restored after this.")
        self.app.push_screen(ConfirmScreen(question, yes=N_("Empty"), no=N_("Keep")), empty)
