"""Bar charts of a row of values: bar heights, block characters and sparklines, in plain text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

EIGHTHS = " ▁▂▃▄▅▆▇█"  # a cell filled by 0 to 8 eighths
SPARK = EIGHTHS[1:]  # a sparkline shows every value, the lowest one eighth high
MISSING = "·"  # where a value is missing


@dataclass(frozen=True)
class Scale:
    """The span the bars of a chart are drawn over, from `low` to `high`."""

    low: Decimal
    high: Decimal

    def share(self, value: Any) -> Decimal | None:
        """How far `value` lies from low to high (0 to 1); None when the span is empty."""
        if self.high == self.low:
            return None
        return (Decimal(str(value)) - self.low) / (self.high - self.low)


def value_scale(values: Sequence[Any], *, from_zero: bool = False) -> Scale | None:
    """From the lowest to the highest of `values` (stretched to take in zero when `from_zero`);
    None when no value is known."""
    known = [Decimal(str(value)) for value in values if value is not None]
    if not known:
        return None
    if from_zero:
        return Scale(min(min(known), Decimal(0)), max(max(known), Decimal(0)))
    return Scale(min(known), max(known))


def bar_heights(
    values: Sequence[Any],
    height: Callable[[Decimal | None], int],
    *,
    from_zero: bool = False,
) -> list[int | None]:
    """Each value's bar: `height` of its share of the scale (None when all values are equal);
    a missing value stays None."""
    scale = value_scale(values, from_zero=from_zero)
    return [
        None if value is None or scale is None else height(scale.share(value)) for value in values
    ]


def bar_levels(values: Sequence[Any], levels: int) -> list[int | None]:
    """How many of `levels` steps each value fills, from zero (or the lowest value if below).

    None stays None; every value fills at least one step so it is visible.
    """

    def filled(share: Decimal | None) -> int:
        return 1 if share is None else max(1, round(share * levels))

    return bar_heights(values, filled, from_zero=True)


def bar_eighths(values: Sequence[Decimal | None], levels: int) -> list[int | None]:
    """How many of `levels` eighth-steps each value fills between the lowest and highest value
    (the lowest still shows one step; all equal values fill half); None stays None."""

    def filled(share: Decimal | None) -> int:
        if share is None:
            return max(1, levels // 2)
        return max(1, round(share * (levels - 1)) + 1)

    return bar_heights(values, filled)


def bar_rows(levels: Sequence[int | None], rows: int, width: int) -> list[list[str]]:
    """Bars filled to `levels` eighths drawn `rows` lines high, top line first: each line holds
    every bar's cells, `width` characters each (a missing bar is a dot on the bottom line)."""
    return [[_cell(filled, row) * width for filled in levels] for row in range(rows, 0, -1)]


def _cell(filled: int | None, row: int) -> str:
    """The character of a bar filled to `filled` eighths on the `row`-th line from the bottom."""
    if filled is None:
        return MISSING if row == 1 else " "
    return EIGHTHS[max(0, min(8, filled - (row - 1) * 8))]


def sparkline(values: Sequence[Decimal | None]) -> str:
    """Values as a line of block characters, lowest to highest (· where there is none)."""
    levels = bar_eighths(values, len(SPARK))
    return "".join(MISSING if filled is None else SPARK[filled - 1] for filled in levels)


def spread(left: str, right: str, width: int) -> str:
    """`left` and `right` at either end of `width` cells (side by side when too narrow)."""
    gap = width - len(left) - len(right)
    return f"{left}{' ' * max(gap, 1)}{right}"
