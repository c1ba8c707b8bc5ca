"""A tiny app that opens one form, as a screen would, and keeps what it dismisses with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

import rmtui
from rmtui.screens.forms.base import FormScreen

APP_CSS = Path(rmtui.__file__).parent / "app.tcss"
NOTHING: Any = object()  # what `result` is while the form is open


class FormApp(App[None]):
    """Opens `form` on start; `result` is what it dismissed with (NOTHING while open)."""

    CSS_PATH = APP_CSS

    def __init__(self, form: FormScreen[Any]) -> None:
        super().__init__()
        self.form = form
        self.result: Any = NOTHING

    def on_mount(self) -> None:
        self.push_screen(self.form, self._dismissed)

    def _dismissed(self, result: Any) -> None:
        self.result = result


async def type_in(pilot: Pilot[None], field: str, text: str) -> None:
    """Put the cursor in a form field, rub out what is there and type `text`."""
    widget = pilot.app.screen.query_one(f"#field-{field}", Input)
    widget.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *text)


async def choose(pilot: Pilot[None], field: str, steps: int) -> None:
    """Open a choice field's list and move `steps` options down (up when negative), then pick."""
    pilot.app.screen.query_one(f"#field-{field}", Select).focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await pilot.pause()


def error_of(pilot: Pilot[None], field: str) -> str | None:
    """The message beside a field, or None when it shows none."""
    label = pilot.app.screen.query_one(f"#error-{field}", Static)
    return None if label.has_class("-hidden") else str(label.render())


def value_of(pilot: Pilot[None], field: str) -> str:
    """What a text field holds now."""
    return pilot.app.screen.query_one(f"#field-{field}", Input).value
