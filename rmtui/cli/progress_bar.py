"""A progress bar (rich's) on the terminal for long commands; nothing at all when stderr is
not a terminal (a script, cron, a pipe), so their output stays as it was."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rmtui.cli.printable_output import terminal_stream
from rmtui.core.wording import printable

if TYPE_CHECKING:
    from rmtui.core.progress import Progress


class ProgressBar:
    """A progress bar on stderr, drawn from the first step it is told, gone when closed.

    rich is imported only then, so a command that has nothing long to do loads nothing.
    """

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None
        self._step = ""

    def __call__(self, step: str, done: int = 0, total: int | None = None) -> None:
        """Show `step` with `done` of `total` (a pulsing bar while the total is unknown)."""
        if not sys.stderr.isatty():
            return
        step = printable(step)  # a file's name may hold control characters
        if self._bar is None:
            self._start(step)
        if step != self._step:  # a new step starts its bar afresh (rich keeps an old total)
            self._step = step
            self._bar.remove_task(self._task)
            self._task = self._bar.add_task(step, total=total, completed=done)
            return
        self._bar.update(self._task, completed=done, total=total)

    def _start(self, step: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("rmtui: {task.description}", markup=False),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
        )
        console = Console(file=terminal_stream(sys.stderr))
        self._bar = Progress(*columns, console=console, transient=True)
        self._task = self._bar.add_task(step, total=None)
        self._step = step
        self._bar.start()

    def close(self) -> None:
        """Take the bar off the terminal."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


_shown: ProgressBar | None = None


@contextmanager
def progress_bar() -> Iterator[Progress]:
    """The command's progress bar while the block runs: one bar, however deeply asked for."""
    global _shown
    if _shown is not None:
        yield _shown
        return
    _shown = ProgressBar()
    try:
        yield _shown
    finally:
        _shown.close()
        _shown = None


def pause_progress() -> None:
    """Take the command's bar off the terminal while a question is asked there; the next
    step draws it again."""
    if _shown is not None:
        _shown.close()
