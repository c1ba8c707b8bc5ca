"""How long work in the core (an import, an export, a backup, an erasure) says how far it
has come, for a command to show as a progress bar."""

from __future__ import annotations

from typing import Protocol

# How many records an import or export handles between two reports of its progress.
REPORT_EVERY = 1000


class Progress(Protocol):
    """Told each step of long work, with `done` of `total` units (records, pages, steps) so
    far; `total` is None while it is not known."""

    def __call__(self, step: str, done: int = 0, total: int | None = None) -> None:
        """Say that `step` is under way, `done` of `total` units of the whole work done."""


def untold(step: str, done: int = 0, total: int | None = None) -> None:
    """Progress that tells nobody."""


def part_of(progress: Progress, *, before: int, whole: int) -> Progress:
    """The progress of one part of longer work, told to `progress` as the whole's: `before`
    units of the `whole` come before this part."""

    def told(step: str, done: int = 0, total: int | None = None) -> None:
        progress(step, before + done, whole)

    return told
