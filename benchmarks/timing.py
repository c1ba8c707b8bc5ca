"""Timing helpers: run something several times and summarise the times in milliseconds."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from statistics import median as _median
from typing import Any


def time_ms(action: Callable[[], Any]) -> float:
    """How long one call of `action` takes, in milliseconds."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def times_ms(action: Callable[[], Any], *, repeat: int, warmup: int = 1) -> list[float]:
    """`repeat` timings of `action` in milliseconds, after `warmup` untimed calls."""
    for _ in range(warmup):
        action()
    return [time_ms(action) for _ in range(repeat)]


def median(values: Sequence[float]) -> float:
    """The median of `values`."""
    return float(_median(values))


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile of `values` (0.95 for p95), interpolated between ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values to take a percentile of")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def paired_times_ms(
    ours: Callable[[], Any], baseline: Callable[[], Any], *, repeat: int
) -> tuple[list[float], list[float]]:
    """Timings of `ours` and `baseline` taken in turns (after one warm-up call of each)."""
    ours()
    baseline()
    pairs = [(time_ms(ours), time_ms(baseline)) for _ in range(repeat)]
    return [first for first, _ in pairs], [second for _, second in pairs]
