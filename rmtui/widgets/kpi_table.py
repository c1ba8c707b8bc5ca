"""The KPI table of the dashboard: one row per KPI, coloured by its status against target."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from rmtui.core.kpi_board import FIGURE_WIDTH, TARGET_WIDTH, KpiLine, pending_line

WARNING_MARK = "⚠"
# (column key, header, justify, width: fixed, so the table keeps its shape as figures arrive)
COLUMNS = (
    ("kpi", "KPI", "left", 17),
    ("value", "Value", "right", FIGURE_WIDTH),
    ("previous", "Previous", "right", FIGURE_WIDTH),
    ("change", "Change", "right", 11),
    ("target", "Target", "right", TARGET_WIDTH),
    ("status", "Status", "left", 9),
    ("note", "Note", "left", 22),
)
STATUS_MARK = "●"


class KpiTable(DataTable[Text]):
    """Every KPI with its value, previous value, change, target, status and a sample warning."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
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

    def on_mount(self) -> None:
        for key, label, justify, width in COLUMNS:
            header = label.rjust(width) if justify == "right" else label.ljust(width)
            self.add_column(Text(header), key=key, width=width)
        for key in self.keys:
            self.add_row(*self._cells(pending_line(key, None)), key=key)

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
            for (column, *_), cell in zip(COLUMNS, self._cells(line), strict=True):
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
            note = f"by today {line.expected}"
        status = f"{STATUS_MARK} {line.status}" if line.status else ""
        return [
            Text(line.label),
            Text(line.value, style=status_style, justify="right"),
            Text(line.previous, justify="right"),
            Text(line.change, justify="right"),
            Text(line.target, justify="right"),
            Text(status, style=status_style),
            Text(note, style=self._colour("kpi-table--note")),
        ]

    def _status_style(self, status: str | None) -> Style:
        if status is None:
            return Style()
        return self._colour(f"kpi-table--{status}")

    def _colour(self, component: str) -> Style:
        """Only the text colour of a component class, so the row's stripes show through."""
        return Style(color=self.get_component_rich_style(component).color)
