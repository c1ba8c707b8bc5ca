"""A small bar chart of one KPI over the last periods, with its lowest and highest value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from rmtui.core.charts import bar_levels, bar_rows, spread
from rmtui.core.translation import N_plural, _
from rmtui.core.wording import count_of

LABEL_ROWS = 2  # the period labels and the low/high line under the bars


def bars_text(lines: list[list[str]], bar: Style, last: Style) -> Text:
    """Lines of bars (from `rmtui.core.charts.bar_rows`) as text, one line break after each,
    every bar in `bar` and the last one, the latest period, in `last`."""
    text = Text()
    for line in lines:
        for index, cells in enumerate(line):
            if index:
                text.append(" ")
            text.append(cells, last if index == len(line) - 1 else bar)
        text.append("\n")
    return text


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
        border-subtitle-color: $text-muted;
        padding: 0 1;
    }
    TrendChart > .trend-chart--bar { color: $primary; }
    TrendChart > .trend-chart--current { color: $accent; }
    TrendChart > .trend-chart--axis { color: $text-muted; }
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
        self.computing = True  # until the trend is drawn
        self.border_title = label

    def show_computing(self, count: int, *, unit: str) -> None:
        """Say that the trend over the last `count` `unit`s is being computed."""
        self.computing = True
        self.border_subtitle = last_periods(count, unit)
        self.refresh()

    def show_trend(self, period_labels: Sequence[str], values: Sequence[Any], *, unit: str) -> None:
        """Draw `values` (None where there is no figure) for the periods named `period_labels`."""
        self.period_labels = list(period_labels)
        self.values = list(values)
        self.computing = False
        self.border_subtitle = last_periods(len(values), unit)
        self.refresh()

    def render(self) -> Text:
        if self.computing:  # muted, by a style of its own rather than a class of the widget's,
            # whose change would have every chart's styles worked out again
            return Text(_("computing…"), self.get_component_rich_style("trend-chart--axis"))
        return self._chart(self.content_size.width, self.content_size.height)

    def _chart(self, width: int, height: int) -> Text:
        count = len(self.values)
        if not count or width < count:
            return Text("")
        bar_width = max(1, (width + 1) // count - 1)
        rows = max(1, height - LABEL_ROWS)
        levels = bar_levels(self.values, rows * 8)
        bar = self.get_component_rich_style("trend-chart--bar")
        current = self.get_component_rich_style("trend-chart--current")
        chart = bars_text(bar_rows(levels, rows, bar_width), bar, current)
        used = count * (bar_width + 1) - 1
        axis = self.get_component_rich_style("trend-chart--axis")
        chart.append(spread(self.period_labels[0], self.period_labels[-1], used), axis)
        chart.append("\n")
        chart.append(self._low_high(used), axis)
        return chart

    def _low_high(self, width: int) -> str:
        """The lowest and highest value at either end of `width`, shortened when too long."""
        known = [value for value in self.values if value is not None]
        if not known:
            return _("no figures")
        low, high = min(known), max(known)
        lowest, highest = _("low {value}"), _("high {value}")
        line = spread(
            lowest.format(value=self.show_value(low)),
            highest.format(value=self.show_value(high)),
            width,
        )
        if len(line) <= width:
            return line
        return spread(
            lowest.format(value=self.short_value(low)),
            highest.format(value=self.short_value(high)),
            width,
        )


# The trend's span under a chart, by the unit of its periods.
LAST_PERIODS = {
    "month": N_plural("last {count} month", "last {count} months"),
    "quarter": N_plural("last {count} quarter", "last {count} quarters"),
    "year": N_plural("last {count} year", "last {count} years"),
}


def last_periods(count: int, unit: str) -> str:
    """`last 12 quarters`, in the language of the text."""
    return count_of(LAST_PERIODS[unit], count)
