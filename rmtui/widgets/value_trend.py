"""A small bar chart of a value over the last months (AUM of a client or one account)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from rmtui.core.charts import bar_eighths, bar_rows, spread
from rmtui.core.figures import count_text, percent_text, total_text
from rmtui.core.queries.holding_trend import TrendSummary, ValuePoint, summarize_trend
from rmtui.core.translation import ngettext
from rmtui.widgets.trend_chart import bars_text

SUMMARY_GAP = "   "
MONTH_FORMAT = "%b %Y"


class ValueTrend(Widget):
    """Bars of a value on monthly steps, oldest first, with first/last, change and min/max.

    Give it the points with `show_trend`; it reads nothing itself.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "value-trend--bar",
        "value-trend--last",
        "value-trend--axis",
        "value-trend--up",
        "value-trend--down",
    }
    DEFAULT_CSS = """
    ValueTrend {
        height: 7;
        border: round $primary 50%;
        border-title-color: $text;
        padding: 0 1;
    }
    ValueTrend > .value-trend--bar { color: $primary; }
    ValueTrend > .value-trend--last { color: $accent; }
    ValueTrend > .value-trend--axis { color: $text-muted; }
    ValueTrend > .value-trend--up { color: $success; }
    ValueTrend > .value-trend--down { color: $error; }
    """

    def __init__(
        self,
        label: str = "Value",
        *,
        empty_text: str = "No holdings recorded yet.",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.empty_text = empty_text
        self.points: list[ValuePoint] = []
        self.border_title = label

    def show_trend(self, points: Sequence[ValuePoint], *, label: str | None = None) -> None:
        """Draw `points` (oldest first; a None value where nothing was held)."""
        self.points = list(points)
        if label is not None:
            self.label = label
        months = max(len(self.points) - 1, 0)
        if months:
            said = ngettext("{label} · last {count} month", "{label} · last {count} months", months)
            self.border_title = said.format(label=self.label, count=count_text(months))
        else:
            self.border_title = self.label
        self.refresh()

    @property
    def summary(self) -> TrendSummary | None:
        """First and last known value, change, lowest and highest of the points shown."""
        return summarize_trend(self.points)

    def render(self) -> Text:
        summary = self.summary
        if summary is None:
            return Text(self.empty_text, style=self.get_component_rich_style("value-trend--axis"))
        return self._chart(summary, self.content_size.width, self.content_size.height)

    def _chart(self, summary: TrendSummary, width: int, height: int) -> Text:
        count = len(self.points)
        bar_width = max(1, (width + 1) // count - 1) if width >= 2 * count - 1 else 0
        used = count * (bar_width + 1) - 1 if bar_width else width
        lines = [self._axis_text(used), *self._summary_lines(summary, width)]
        chart = Text()
        rows = max(1, height - len(lines))
        if bar_width:
            levels = bar_eighths([point.value for point in self.points], rows * 8)
            bar = self.get_component_rich_style("value-trend--bar")
            last = self.get_component_rich_style("value-trend--last")
            chart = bars_text(bar_rows(levels, rows, bar_width), bar, last)
        return chart + Text("\n").join(lines)

    def _axis_text(self, width: int) -> Text:
        """The first and last month under either end of the bars."""
        first, last = self.points[0].on, self.points[-1].on
        months = spread(f"{first:{MONTH_FORMAT}}", f"{last:{MONTH_FORMAT}}", width)
        return Text(months, self.get_component_rich_style("value-trend--axis"))

    def _summary_lines(self, summary: TrendSummary, width: int) -> list[Text]:
        """First → last value with the change in percent (green up, red down), then min and
        max: on one line when `width` allows, else on two."""
        percent = summary.change_pct
        shown = f" {percent_text(percent, signed=True)}" if percent is not None else ""
        direction = "value-trend--up" if summary.change > 0 else "value-trend--down"
        change = Text(f"{total_text(summary.first.value)} → ")
        change.append(
            f"{total_text(summary.last.value)}{shown}",
            self.get_component_rich_style(direction) if summary.change else "",
        )
        low, high = total_text(summary.low), total_text(summary.high)
        bounds = Text(f"min {low} · max {high}", self.get_component_rich_style("value-trend--axis"))
        if change.cell_len + len(SUMMARY_GAP) + bounds.cell_len <= width:
            return [change + Text(SUMMARY_GAP) + bounds]
        return [change, bounds]
