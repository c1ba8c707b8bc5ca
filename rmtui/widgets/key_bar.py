"""The key hints along the bottom of a screen, painted as one line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from rmtui.core.translation import N_, _, pgettext

GAP = "  "
PALETTE = N_("Palette")
HELP_KEY = "question_mark"
MODE_PREFIX = "mode-"  # the app's screen keys; shown as one "1-5 Screens" hint when space is short


@dataclass(frozen=True)
class Hint:
    """One key hint: the key to press, what it does, and whether it can be used now."""

    key: str
    display: str
    description: str
    enabled: bool
    mode: bool = False


class KeyBar(Widget):
    """The keys of the focused widget, the screen and the app, rebuilt only when they change.

    Textual's Footer mounts a widget per key and rebuilds them all on every change of
    bindings, several times when a screen opens; a relationship manager's screens have a dozen
    keys, so that cost is paid at start-up and on every screen switch. This bar is one line of
    text, recomputed at most once per refresh and repainted only when the hints differ.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyBar > .key-bar--key { color: $footer-key-foreground; text-style: bold; }
    KeyBar > .key-bar--description { color: $footer-description-foreground; }
    KeyBar > .key-bar--disabled { color: $text-disabled; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.hints: tuple[Hint, ...] = ()
        self._spans: list[tuple[int, int, str]] = []
        self._update_pending = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        if not self._update_pending:
            self._update_pending = True
            self.call_after_refresh(self._update_hints)

    def _update_hints(self) -> None:
        self._update_pending = False
        hints = current_hints(self.screen)
        if hints != self.hints:
            self.hints = hints
            self.refresh()

    def render(self) -> Text:
        hints = fitting_hints(self.hints, self.size.width)
        line = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        off_style = self.get_component_rich_style("key-bar--disabled")
        for hint in hints:
            line.append(" " if not line else GAP)
            start = len(line)
            line.append(hint.display, key_style if hint.enabled else off_style)
            line.append(" ")
            line.append(hint.description, text_style if hint.enabled else off_style)
            self._spans.append((start, len(line), hint.key))
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return


def current_hints(screen: Screen[object]) -> tuple[Hint, ...]:
    """The hints for the bindings shown on `screen` now, one per action, in binding order."""
    app = screen.app
    seen: set[str] = set()
    hints: list[Hint] = []
    for _node, binding, enabled, _tooltip in screen.active_bindings.values():
        if not binding.show or binding.action in seen:
            continue
        seen.add(binding.action)
        mode = (binding.id or "").startswith(MODE_PREFIX)
        hints.append(
            Hint(binding.key, app.get_key_display(binding), binding_text(binding), enabled, mode)
        )
    palette = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
    if app.ENABLE_COMMAND_PALETTE and palette is not None:
        _node, binding, enabled, _tooltip = palette
        hints.append(Hint(binding.key, app.get_key_display(binding), _(PALETTE), enabled))
    return tuple(hints)


def binding_text(binding: Binding) -> str:
    """What a binding does, in the language of the text; the screen keys' names in the
    context "screen" (the screen `Log` and the key that logs a contact are two words in Dutch)."""
    if (binding.id or "").startswith(MODE_PREFIX):
        return pgettext("screen", binding.description)
    return _(binding.description)


def fitting_hints(hints: tuple[Hint, ...], width: int) -> tuple[Hint, ...]:
    """`hints` as they fit in `width` cells: the screen keys folded into one "1-5 Screens" hint,
    then the last hints left out, when there is not enough room for them all."""
    modes = [hint for hint in hints if hint.mode]
    if _length(hints) > width and len(modes) > 1:
        span = f"{modes[0].display}-{modes[-1].display}"
        folded = Hint(modes[0].key, span, _("Screens"), enabled=True)
        first = hints.index(modes[0])
        rest = tuple(hint for hint in hints if not hint.mode)
        hints = (*rest[:first], folded, *rest[first:])
    # Then leave out the last hints but the help key's: help lists every key there is.
    droppable = [i for i, hint in enumerate(hints) if hint.key != HELP_KEY]
    while _length(hints) > width and droppable:
        last = droppable.pop()
        hints = hints[:last] + hints[last + 1 :]
    return hints


def _length(hints: tuple[Hint, ...]) -> int:
    """Cells taken by `hints` on one line."""
    return sum(len(GAP) + len(hint.display) + 1 + len(hint.description) for hint in hints)
