"""Figures, their targets and the report: a printed table and a JSON document."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NOT_BUILT = "n/a (not built yet)"

Check = Callable[[float, float | None], bool]


@dataclass(frozen=True)
class Target:
    """A figure's target as written in the issue, and how to check a value against it."""

    text: str
    check: Check | None = None


def at_most(limit: float, unit: str) -> Target:
    """Value ≤ `limit` (in `unit`, the figure's unit)."""
    return Target(f"≤ {limit:g} {unit}", lambda value, _base: value <= limit)


def at_most_times(factor: float, *, limit: float | None = None, unit: str = "") -> Target:
    """Value ≤ `factor` × baseline (and ≤ `limit` `unit` when given)."""
    text = f"≤ {factor:g}×" + (f", ≤ {limit:g} {unit}" if limit is not None else "")

    def check(value: float, base: float | None) -> bool:
        within = base is not None and value <= factor * base
        return within and (limit is None or value <= limit)

    return Target(text, check)


def at_least(floor: float, unit: str) -> Target:
    """Value ≥ `floor` `unit` (for rates such as rows/s)."""
    return Target(f"≥ {floor:,.0f} {unit}", lambda value, _base: value >= floor)


NO_TARGET = Target("—")


@dataclass(frozen=True)
class Spec:
    """One figure of the report: what it measures, in which unit, against what."""

    key: str
    label: str
    unit: str
    baseline: str
    target: Target = NO_TARGET


@dataclass(frozen=True)
class Measured:
    """A figure's value and its same-run baseline (None when not measured), with a note."""

    value: float | None
    baseline: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Row:
    """A figure as reported: its spec and what was measured."""

    spec: Spec
    measured: Measured

    @property
    def ratio(self) -> float | None:
        """value / baseline, when both exist."""
        value, base = self.measured.value, self.measured.baseline
        if value is None or not base:
            return None
        return value / base

    @property
    def ok(self) -> bool | None:
        """Whether the value meets its target (None when there is no target or no value)."""
        check = self.spec.target.check
        if check is None or self.measured.value is None:
            return None
        return check(self.measured.value, self.measured.baseline)

    def as_json(self) -> dict[str, Any]:
        """The row as a JSON object."""
        return {
            "key": self.spec.key,
            "figure": self.spec.label,
            "unit": self.spec.unit,
            "value": self.measured.value,
            "baseline": self.measured.baseline,
            "baseline_is": self.spec.baseline,
            "ratio": self.ratio,
            "target": self.spec.target.text,
            "ok": self.ok,
            "note": self.measured.note,
        }


def number_text(value: float | None, unit: str) -> str:
    """A value for the table: rates with thousands separators, times with 1 decimal."""
    if value is None:
        return "—"
    if unit == "rows/s":
        return f"{value:,.0f} {unit}"
    if abs(value) >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:.1f} {unit}"


def table_lines(rows: Sequence[Row]) -> list[str]:
    """The figures table: figure, value, baseline, ratio, target, ok, note."""
    header = ("figure", "value", "baseline", "ratio", "target", "ok?", "baseline is / note")
    cells = [header] + [_cells(row) for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header) - 1)]
    lines = []
    for index, line in enumerate(cells):
        padded = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        lines.append("  ".join([*padded, line[-1]]).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths) + "  " + "-" * 18)
    return lines


def _cells(row: Row) -> tuple[str, ...]:
    ok = {True: "yes", False: "NO", None: ""}[row.ok]
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}×"
    note = row.spec.baseline + (f"; {row.measured.note}" if row.measured.note else "")
    if row.measured.value is None and row.measured.note:
        note = row.measured.note
    unit = row.spec.unit
    value = number_text(row.measured.value, unit)
    baseline = number_text(row.measured.baseline, unit)
    return (row.spec.label, value, baseline, ratio, row.spec.target.text, ok, note)


def markdown_lines(rows: Sequence[Row]) -> list[str]:
    """The figures table in Markdown, for the README."""
    lines = ["| figure | value | baseline | ratio | target | ok? | baseline is / note |"]
    lines.append("|---|---|---|---|---|---|---|")
    for row in rows:
        cells = [cell.replace("|", "\\|") for cell in _cells(row)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def write_json(path: Path, rows: Sequence[Row], meta: dict[str, Any]) -> None:
    """Write the run's metadata and every figure row to `path` as JSON."""
    document = {**meta, "figures": [row.as_json() for row in rows]}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
