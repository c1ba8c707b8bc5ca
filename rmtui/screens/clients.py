"""Clients: every client in a list that filters as you type, with quick filters, sorts and the
client actions (open, add, edit, archive, log, follow-up)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Header, Input, Select, Static

from rmtui.core.changes import change_mark
from rmtui.core.choices import choice_text
from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.figures import count_text
from rmtui.core.models import CLIENT_KINDS, CLIENT_STATUSES, TIERS
from rmtui.core.translation import N_, _, current_language, ngettext
from rmtui.screens.client.opening import open_client
from rmtui.screens.flows import clients as actions
from rmtui.screens.list_screen import ListScreen, titled
from rmtui.widgets.client_table import ClientListing, ClientPages, LoadedList, client_columns
from rmtui.widgets.hinted_input import HintedInput
from rmtui.widgets.key_bar import KeyBar
from rmtui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

QUICK_FILTERS: dict[str, tuple[str, ...]] = {
    "status": CLIENT_STATUSES,
    "kind": CLIENT_KINDS,
    "tier": TIERS,
}
QUICK_FILTER_TITLES = {
    "status": N_("Status S"),
    "kind": N_("Kind K"),
    "tier": N_("Tier T"),
    "tag": N_("Tag #"),
}
# What the text filter looks in, said in the room it has: the longest hint that fits.
FILTER_HINTS = (
    N_("name, phone, company, e-mail, city, tag, person"),
    N_("name, phone, company, e-mail"),
    N_("name, phone, e-mail"),
)


class ClientsScreen(ListScreen):
    """All clients: filter, sort, open, add, edit, archive, log and plan follow-ups."""

    SCREEN_NAME = N_("Clients")
    CSS_PATH = "clients.tcss"
    READ_AHEAD_GROUP = "client-read-ahead"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_client", N_("Open")),
        Binding("slash", "focus_filter", N_("Filter"), key_display="/"),
        Binding("escape", "leave_filter", N_("Leave / clear filter"), show=False),
        Binding("a", "add_client", N_("Add")),
        Binding("e", "edit_client", N_("Edit")),
        Binding("l", "log", N_("Log")),
        Binding("f", "follow_up", N_("Follow-up")),
        Binding("x", "archive", N_("Archive")),
        Binding("D,delete", "delete_client", N_("Delete…"), key_display="D"),
        Binding("o", "next_sort", N_("Sort")),
        Binding("O", "reverse_sort", N_("Reverse sort"), key_display="O", show=False),
        Binding("S", "cycle_filter('status')", N_("Next status"), key_display="S", show=False),
        Binding("K", "cycle_filter('kind')", N_("Next kind"), key_display="K", show=False),
        Binding("T", "cycle_filter('tier')", N_("Next tier"), key_display="T", show=False),
        Binding("number_sign", "pick_tag", N_("Pick a tag"), key_display="#", show=False),
        Binding("A", "toggle_archived", N_("Show / hide archived"), key_display="A", show=False),
        Binding("c", "clear_filters", N_("Clear all filters"), show=False),
        Binding("i", "import_clients", N_("Import .csv/.vcf"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.listing = ClientListing()
        self.pages: ClientPages | None = None
        self.loading_pages: ClientPages | None = None
        self.counting_further: ClientPages | None = None  # the listing being counted further
        self.generation = 0
        self.wanted_client: int | None = None
        self.tags_stale = True
        # The filter bar's titles are longer in some languages (see clients.tcss).
        self.add_class(f"-language-{current_language()}")

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="client-filters"):
            yield titled(
                HintedInput(*(_(hint) for hint in FILTER_HINTS), id="client-filter"),
                _("Filter /"),
            )
            for name, choices in QUICK_FILTERS.items():
                options = [(choice_text(choice), choice) for choice in choices]
                select = Select(options, prompt=_("any"), id=f"filter-{name}", compact=True)
                yield titled(select, _(QUICK_FILTER_TITLES[name]))
            tags = Select[str]([], prompt=_("any"), id="filter-tag", compact=True)
            yield titled(tags, _(QUICK_FILTER_TITLES["tag"]))
        yield Static(_("Loading clients…"), id="clients-summary")
        yield VirtualTable(client_columns(self.listing), id="client-table")
        yield KeyBar()

    @property
    def table(self) -> VirtualTable:
        """The client list."""
        return self.query_one("#client-table", VirtualTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.load_list(None)

    def on_screen_resume(self) -> None:
        if self.pages is not None:
            self.refresh_list()

    # -- reading the list ----------------------------------------------------------------------

    def refresh_list(self, client_id: int | None = None) -> None:
        """Read the list again after a change, the cursor on `client_id` (else the current)."""
        if client_id is not None:
            self.wanted_client = client_id
        keep = self.wanted_client if self.wanted_client is not None else self.table.current_key
        self.load_list(keep)

    def load_list(self, keep_client: int | None) -> None:
        """Read the listing's size and first rows in a worker; keep the cursor on a client."""
        self.generation += 1
        self.listing = replace(self.listing, owner=actions.rm_app(self).owner)
        if self.loading_pages is not None:
            self.loading_pages.interrupt()
        pages = ClientPages(actions.engine_of(self), self.listing, actions.rm_app(self).today)
        self.loading_pages = pages
        # Where the cursor goes when the kept client has left the list: the row it was on.
        fallback = self.table.cursor if keep_client is not None else 0
        self._read_list(pages, keep_client, fallback, self.generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="client-list")
    def _read_list(
        self, pages: ClientPages, keep_client: int | None, fallback: int, generation: int
    ) -> None:
        """First block first (shown at once when nothing needs finding), then the count."""
        try:
            with pages.loading() as session:
                self._load_in(session, pages, keep_client, fallback, generation)
        except BookError:
            if not pages.interrupted:  # stopped because a newer listing replaced it
                raise

    def _load_in(
        self,
        session: Session,
        pages: ClientPages,
        keep_client: int | None,
        fallback: int,
        generation: int,
    ) -> None:
        mark = change_mark(session.connection())
        first = pages.read_first(session)
        position = None
        if keep_client is not None and keep_client in [row.key for row in first]:
            position = pages.locate(session, keep_client, first)
        if not pages.counted and (keep_client is None or position is not None):
            loaded = pages.loaded(first, position)
            self.app.call_from_thread(self._show_list, pages, loaded, fallback, generation)
        if pages.interrupted:
            return
        pages.count(session)
        if keep_client is not None and position is None:
            position = pages.locate(session, keep_client, first)
        loaded = pages.loaded(first, position)
        self.app.call_from_thread(self._show_list, pages, loaded, fallback, generation)
        self.app.call_from_thread(setattr, self, "seen_mark", mark)

    def _show_list(
        self, pages: ClientPages, loaded: LoadedList, fallback: int, generation: int
    ) -> None:
        if generation != self.generation:
            return  # a newer listing is on its way
        table = self.table
        if self.pages is pages:  # the count of a listing already on screen
            cursor = table.cursor
            table.show(loaded.total, pages.fetch, first_block=loaded.first_block)
            table.cursor = min(cursor, max(loaded.total - 1, 0))
            self._update_summary(loaded)
            return
        self.pages = pages
        self.wanted_client = None
        table.empty_text = self._empty_text()
        table.set_columns(client_columns(pages.listing, alike=loaded.alike))
        table.show(loaded.total, pages.fetch, first_block=loaded.first_block)
        position = fallback if loaded.position is None else loaded.position
        table.cursor = max(min(position, loaded.total - 1), 0)
        self._update_summary(loaded)

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        super().on_virtual_table_highlighted(event)
        pages = self.pages
        if pages is None or self.counting_further is pages:
            return
        if pages.needs_counting_further(event.table.cursor):
            self.counting_further = pages
            self._count_further(pages, self.generation)

    @work(thread=True, exit_on_error=False, group="client-count")
    def _count_further(self, pages: ClientPages, generation: int) -> None:
        """Count a listing counted only so far on by another stretch (the cursor is near
        its end), and show the rows counted."""
        try:
            with session_scope(actions.engine_of(self)) as session:
                pages.count_further(session)
        finally:
            self.app.call_from_thread(self._show_counted_further, pages, generation)

    def _show_counted_further(self, pages: ClientPages, generation: int) -> None:
        self.counting_further = None
        if generation != self.generation or self.pages is not pages:
            return
        self.table.grow(pages.total)
        self._update_summary(pages.loaded([], None))

    @work(thread=True, exclusive=True, exit_on_error=False, group="client-tags")
    def load_tags(self, open_menu: bool = False) -> None:
        """Read the tags in use for the tag filter (when it is first wanted: reading them goes
        through every client)."""
        from rmtui.core.queries.clients import all_tags

        with session_scope(actions.engine_of(self)) as session:
            tags = all_tags(session=session, include_archived=True)
        self.app.call_from_thread(self._show_tags, tags, open_menu)

    def _show_tags(self, tags: list[str], open_menu: bool) -> None:
        self.tags_stale = False
        select = self.query_one("#filter-tag", Select)
        current = self.listing.tag
        with self.prevent(Select.Changed):
            select.set_options([(tag, tag) for tag in tags])
            if current in tags:
                select.value = current
        if current and current not in tags:
            self._change(tag=None)
        if open_menu:
            select.focus()
            select.action_show_overlay()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id == "filter-tag" and self.tags_stale:
            self.load_tags()

    def _empty_text(self) -> str:
        if self.listing.filtered:
            return _("No client matches these filters — press escape or c to clear them.")
        return _("No clients yet — press a to add your first client.")

    def _update_summary(self, loaded: LoadedList) -> None:
        listing = self.listing
        line = Text()
        total = loaded.total
        shown = count_text(total) + ("" if loaded.counted else "+")
        clients = ngettext("{count} client", "{count} clients", total).format(count=shown)
        line.append(clients, style="bold")
        text = listing.text.strip()
        if loaded.alike:
            line.append(
                " " + _("with a name like “{text}” (none matches it exactly)").format(text=text)
            )
            line.append("  ·  " + _("likest first"), style="dim")
        else:
            if text:
                line.append(" " + _("matching “{text}”").format(text=text))
            sorted_by = _("sorted by {sort} (o, O)").format(sort=listing.sort_label())
            line.append(f"  ·  {sorted_by}", style="dim")
        archived = _("archived shown") if listing.include_archived else _("archived hidden")
        line.append(f"  ·  {archived} (A)", style="dim")
        if listing.filtered:
            line.append("  ·  " + _("c clears the filters"), style="dim")
        self.query_one("#clients-summary", Static).update(line, layout=False)  # one line, always

    # -- filters and sort ----------------------------------------------------------------------

    def _change(self, **changes: Any) -> None:
        """Change the listing and read it again from the top."""
        self.listing = replace(self.listing, **changes)
        self.load_list(None)

    @on(Input.Changed, "#client-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        self._change(text=event.value)

    @on(Input.Submitted, "#client-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    @on(Select.Changed)
    def _quick_filter_chosen(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("filter-")
        value = None if event.value is Select.NULL else str(event.value)
        self._change(**{name: value})
        if event.select.has_focus_within:  # picked from its menu: back to the list
            self.call_after_refresh(self.table.focus)

    def action_focus_filter(self) -> None:
        self.query_one("#client-filter", Input).focus()

    def action_leave_filter(self) -> None:
        box = self.query_one("#client-filter", Input)
        if not self.table.has_focus:
            self.table.focus()
        elif box.value:
            box.value = ""

    def action_cycle_filter(self, name: str) -> None:
        select: Select[str] = self.query_one(f"#filter-{name}", Select)
        choices = (None, *QUICK_FILTERS[name])
        current = None if select.value is Select.NULL else select.value
        following = choices[(choices.index(current) + 1) % len(choices)]
        if following is None:
            select.clear()
        else:
            select.value = following

    def action_pick_tag(self) -> None:
        if self.tags_stale:
            self.load_tags(open_menu=True)
            return
        select = self.query_one("#filter-tag", Select)
        select.focus()
        select.action_show_overlay()

    def action_clear_filters(self) -> None:
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#client-filter", Input).value = ""
            for select in self.query(Select).results(Select):
                select.clear()
        self._change(text="", status=None, kind=None, tier=None, tag=None)

    def action_toggle_archived(self) -> None:
        self.listing = replace(self.listing, include_archived=not self.listing.include_archived)
        self.refresh_list()

    def action_next_sort(self) -> None:
        self.listing = self.listing.next_sort()
        self.refresh_list()

    def action_reverse_sort(self) -> None:
        self.listing = replace(self.listing, descending=not self.listing.descending)
        self.refresh_list()

    # -- client actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_client", "edit_client", "log", "archive", "follow_up", "delete_client"):
            return None if self.table.current_key is None else True
        return True

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        open_client(self, event.key)

    def _selected(self) -> int | None:
        return self.table.current_key

    def action_open_client(self) -> None:
        client_id = self._selected()
        if client_id is not None:
            open_client(self, client_id)

    def action_add_client(self) -> None:
        actions.new_client(
            self, on_saved=self._client_saved, on_open=lambda found: open_client(self, found)
        )

    def action_edit_client(self) -> None:
        client_id = self._selected()
        if client_id is not None:
            actions.edit_client(self, client_id, on_saved=self._client_saved)

    def _client_saved(self, client_id: int) -> None:
        self.refresh_list(client_id)
        self.tags_stale = True

    def action_log(self) -> None:
        client_id = self._selected()
        if client_id is not None:
            actions.log_for_client(self, client_id, on_saved=lambda _values: self.refresh_list())

    def action_follow_up(self) -> None:
        client_id = self._selected()
        if client_id is not None:
            actions.plan_follow_up(self, client_id, on_saved=self.refresh_list)

    def action_archive(self) -> None:
        client_id = self._selected()
        if client_id is None:
            return
        if self._is_archived(client_id):
            self._unarchive(client_id)
        else:
            actions.archive_client_asking(self, client_id, on_archived=self._archived)

    def _is_archived(self, client_id: int) -> bool:
        from rmtui.core.queries.clients import get_client

        with session_scope(actions.engine_of(self)) as session:
            client = get_client(session=session, client_id=client_id)
            return bool(client and client.archived)

    def _archived(self, client_id: int, _name: str) -> None:
        self.refresh_list(client_id)

    def action_delete_client(self) -> None:
        client_id = self._selected()
        if client_id is not None:
            actions.delete_client_asking(self, client_id, on_deleted=self.refresh_list)

    def book_changed(self, focus: int | None = None) -> None:
        """Read the list again (another window or program changed the book, or an undo did),
        the cursor on client `focus`."""
        self.refresh_list(focus)
        self.tags_stale = True

    def action_import_clients(self) -> None:
        from rmtui.screens.import_clients import ImportClientsScreen

        def imported(count: int | None) -> None:
            if count:
                self.refresh_list()

        self.app.push_screen(ImportClientsScreen(), imported)

    def _unarchive(self, client_id: int) -> None:
        name = actions.unarchive(self, client_id)
        if name is not None:
            self.notify(_("{name} is back in the lists.").format(name=name), markup=False)
            self.refresh_list(client_id)
