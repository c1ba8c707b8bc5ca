"""A small bar chart of one KPI over the last periods, with its lowest and highest value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

EIGHTHS = " ▁▂▃▄▅▆▇█"
MISSING = "·"
LABEL_ROWS = 2  # the period labels and the low/high line under the bars


def bar_levels(values: Sequence[Any], levels: int) -> list[int | None]:
    """How many of `levels` steps each value fills, from zero (or the lowest value if below).

    None stays None; every value fills at least one step so it is visible.
    """
    known = [Decimal(str(value)) for value in values if value is not None]
    if not known:
        return [None for _ in values]
    floor, ceiling = min(min(known), Decimal(0)), max(max(known), Decimal(0))
    span = ceiling - floor
    filled: list[int | None] = []
    for value in values:
        if value is None:
            filled.append(None)
        elif span == 0:
            filled.append(1)
        else:
            share = (Decimal(str(value)) - floor) / span
            filled.append(max(1, round(share * levels)))
    return filled


class TrendChart(Widget):
    """Bars of a KPI for a row of periods, oldest first; the last bar is the period shown."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "trend-chart--bar",
        "trend-chart--current",
        "trend-chart--axis",
    }
    DEFAULT_CSS = """
    TrendChart {
        height: 8;
        border: round $primary 50%;
        border-title-color: $text;
        padding: 0 1;
    }
    TrendChart > .trend-chart--bar { color: $primary; }
    TrendChart > .trend-chart--current { color: $accent; }
    TrendChart > .trend-chart--axis { color: $text-muted; }
    TrendChart.-computing { color: $text-muted; }
    """

    def __init__(
        self,
        label: str,
        show_value: Callable[[Any], str],
        *,
        short_value: Callable[[Any], str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.show_value = show_value
        self.short_value = short_value or show_value
        self.values: list[Any] = []
        self.period_labels: list[str] = []
        self.progress: tuple[int, int] | None = (0, 0)
        self.border_title = label

    def show_progress(self, done: int, total: int, *, unit: str) -> None:
        """Say that the trend is being computed: `done` of `total` periods so far."""
        self.progress = (done, total)
        self.border_title = f"{self.label} · last {total} {unit}s"
        self.set_class(True, "-computing")
        self.refresh()

    def show_trend(self, period_labels: Sequence[str], values: Sequence[Any], *, unit: str) -> None:
        """Draw `values` (None where there is no figure) for the periods named `period_labels`."""
        self.period_labels = list(period_labels)
        self.values = list(values)
        self.progress = None
        self.border_title = f"{self.label} · last {len(values)} {unit}s"
        self.set_class(False, "-computing")
        self.refresh()

    def render(self) -> Text:
        if self.progress is not None:
            done, total = self.progress
            counted = f" {done}/{total}" if total else ""
            return Text(f"computing…{counted}")
        return self._chart(self.content_size.width, self.content_size.height)

    def _chart(self, width: int, height: int) -> Text:
        count = len(self.values)
        if not count or width < count:
            return Text("")
        bar_width = max(1, (width + 1) // count - 1)
        rows = max(1, height - LABEL_ROWS)
        levels = bar_levels(self.values, rows * 8)
        chart = Text()
        for row in range(rows, 0, -1):
            self._bar_row(chart, levels, row, bar_width)
            chart.append("\n")
        used = count * (bar_width + 1) - 1
        axis = self.get_component_rich_style("trend-chart--axis")
        chart.append(_spread(self.period_labels[0], self.period_labels[-1], used), axis)
        chart.append("\n")
        chart.append(self._low_high(used), axis)
        return chart

    def _bar_row(self, chart: Text, levels: list[int | None], row: int, bar_width: int) -> None:
        """Append the `row`-th line of bars counted from the bottom (1 is the lowest)."""
        for index, filled in enumerate(levels):
            if index:
                chart.append(" ")
            chart.append(self._cell(filled, row) * bar_width, self._bar_style(index, len(levels)))

    @staticmethod
    def _cell(filled: int | None, row: int) -> str:
        if filled is None:
            return MISSING if row == 1 else " "
        eighths = max(0, min(8, filled - (row - 1) * 8))
        return EIGHTHS[eighths]

    def _bar_style(self, index: int, count: int) -> Style:
        name = "trend-chart--current" if index == count - 1 else "trend-chart--bar"
        return self.get_component_rich_style(name)

    def _low_high(self, width: int) -> str:
        """The lowest and highest value at either end of `width`, shortened when too long."""
        known = [value for value in self.values if value is not None]
        if not known:
            return "no figures"
        low, high = min(known), max(known)
        line = _spread(f"low {self.show_value(low)}", f"high {self.show_value(high)}", width)
        if len(line) <= width:
            return line
        return _spread(f"low {self.short_value(low)}", f"high {self.short_value(high)}", width)


def _spread(left: str, right: str, width: int) -> str:
    """`left` and `right` at either end of `width` cells (or side by side when too narrow)."""
    gap = width - len(left) - len(right)
    return f"{left}{' ' * max(gap, 1)}{right}"
