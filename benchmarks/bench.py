"""What every figure gets (the books, repeats, a scratch folder) and how a group of figures runs."""

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import NOT_BUILT, Measured, Row, Spec
from benchmarks.synth import BookSize


@dataclass(frozen=True)
class Bench:
    """One benchmark run: the synthetic book, the 100-client baseline book, repeats, scratch."""

    book: Path
    size: BookSize
    small_book: Path
    small_size: BookSize
    repeat: int
    scratch: Path


Measure = Callable[[Bench], dict[str, Measured]]


@dataclass(frozen=True)
class Group:
    """Figures measured together by one function, which needs the named rmtui parts.

    `needs` are `module:attribute` (or just `module`) names; while one is missing the figures
    are reported as not built yet instead of being measured.
    """

    specs: tuple[Spec, ...]
    needs: tuple[str, ...]
    measure: Measure


def missing_parts(needs: tuple[str, ...]) -> list[str]:
    """The parts of `needs` that cannot be imported yet."""
    return [need for need in needs if not _importable(need)]


def _importable(need: str) -> bool:
    module_name, _, attribute = need.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return False
        raise
    return not attribute or hasattr(module, attribute)


def run_group(group: Group, bench: Bench) -> list[Row]:
    """Measure a group's figures; a missing part or a failure becomes a note, not a crash."""
    try:
        missing = missing_parts(group.needs)
    except Exception as error:  # a part exists but fails to import: report, carry on
        return _unmeasured(group, f"n/a (cannot import: {type(error).__name__}: {error})")
    if missing:
        return _unmeasured(group, f"{NOT_BUILT}: {', '.join(missing)}")
    try:
        results = group.measure(bench)
    except Exception as error:  # one broken figure must not hide the others
        traceback.print_exc(file=sys.stderr)
        return _unmeasured(group, f"error: {type(error).__name__}: {error}")
    return [
        Row(spec, results.get(spec.key, Measured(None, note="not measured")))
        for spec in group.specs
    ]


def _unmeasured(group: Group, note: str) -> list[Row]:
    return [Row(spec, Measured(None, note=note)) for spec in group.specs]
