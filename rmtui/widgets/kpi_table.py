"""The KPI table of the dashboard: one row per KPI, coloured by its status against target."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from rmtui.core.kpi_board import FIGURE_WIDTH, TARGET_WIDTH, KpiLine, pending_line
from rmtui.core.translation import N_, _

WARNING_MARK = "⚠"
# (column key, header, justify, width: fixed, so the table keeps its shape as figures arrive)
COLUMNS = (
    ("kpi", N_("KPI"), "left", 17),
    ("value", N_("Value"), "right", FIGURE_WIDTH),
    ("previous", N_("Previous"), "right", FIGURE_WIDTH),
    ("change", N_("Change"), "right", 11),
    ("target", N_("Target"), "right", TARGET_WIDTH),
    ("status", N_("Status"), "left", 9),
    ("note", N_("Note"), "left", 22),
)
STATUS_MARK = "●"
# A KPI's status against its target, as the table says it.
STATUS_WORDS = {"met": N_("met"), "close": N_("close"), "behind": N_("behind")}
# The columns that leave, in this order, when the table is wider than the terminal.
DROPPED_FIRST = ("note", "previous")
CELL_PADDING = 2  # a DataTable cell's padding, both sides


def shown_columns(width: int) -> tuple[str, ...]:
    """The keys of the columns that fit in `width` cells (the KPI and its value always)."""
    keys = [key for key, *_ in COLUMNS]
    widths = {key: width + CELL_PADDING for key, _label, _justify, width in COLUMNS}
    for dropped in DROPPED_FIRST:
        if sum(widths[key] for key in keys) <= width:
            break
        keys.remove(dropped)
    return tuple(keys)


class KpiTable(DataTable[Text]):
    """Every KPI with its value, previous value, change, target, status and a sample warning."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", N_("Down"), show=False),
        Binding("k", "cursor_up", N_("Up"), show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES | {
        "kpi-table--met",
        "kpi-table--close",
        "kpi-table--behind",
        "kpi-table--note",
    }
    DEFAULT_CSS = """
    KpiTable > .kpi-table--met { color: $text-success; }
    KpiTable > .kpi-table--close { color: $text-warning; }
    KpiTable > .kpi-table--behind { color: $text-error; }
    KpiTable > .kpi-table--note { color: $text-warning; }
    """

    def __init__(self, keys: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.keys = tuple(keys)
        self.lines: dict[str, KpiLine] = {}
        self.shown: tuple[str, ...] = ()

    def on_resize(self) -> None:
        shown = shown_columns(self.size.width)
        if shown != self.shown:
            self._build(shown)

    def _build(self, shown: tuple[str, ...]) -> None:
        """(Re)build the table with the columns `shown`, keeping its figures and cursor."""
        row = self.cursor_row
        self.shown = shown
        self.clear(columns=True)
        for key, label, justify, width in COLUMNS:
            if key in shown:
                header = _(label).rjust(width) if justify == "right" else _(label).ljust(width)
                self.add_column(Text(header), key=key, width=width)
        for key in self.keys:
            self.add_row(*self._cells(self.lines.get(key) or pending_line(key, None)), key=key)
        self.move_cursor(row=row, animate=False)

    @property
    def current_key(self) -> str | None:
        """The KPI under the cursor."""
        if not self.row_count:
            return None
        return self.keys[min(self.cursor_row, len(self.keys) - 1)]

    def show_lines(self, lines: Sequence[KpiLine]) -> None:
        """Show the figures of `lines`, keeping the cursor where it is."""
        self.lines = {line.key: line for line in lines}
        for line in lines:
            for column, cell in zip(self.shown, self._cells(line), strict=True):
                self.update_cell(line.key, column, cell)

    def restyle(self) -> None:
        """Paint the shown lines again (after a change of theme)."""
        if self.lines:
            self.show_lines(list(self.lines.values()))

    def cell_text(self, key: str, column: str) -> str:
        """The plain text shown in one cell."""
        return self.get_cell(key, column).plain

    def _cells(self, line: KpiLine) -> list[Text]:
        status_style = self._status_style(line.status)
        note = f"{WARNING_MARK} {line.warning}" if line.warning else ""
        if not note and line.expected:
            note = _("by today {expected}").format(expected=line.expected)
        status = f"{STATUS_MARK} {_(STATUS_WORDS[line.status])}" if line.status else ""
        cells = {
            "kpi": Text(line.label),
            "value": Text(line.value, style=status_style, justify="right"),
            "previous": Text(line.previous, justify="right"),
            "change": Text(line.change, justify="right"),
            "target": Text(line.target, justify="right"),
            "status": Text(status, style=status_style),
            "note": Text(note, style=self._colour("kpi-table--note")),
        }
        return [cells[key] for key in self.shown]

    def _status_style(self, status: str | None) -> Style:
        if status is None:
            return Style()
        return self._colour(f"kpi-table--{status}")

    def _colour(self, component: str) -> Style:
        """Only the text colour of a component class, so the row's stripes show through."""
        return Style(color=self.get_component_rich_style(component).color)
