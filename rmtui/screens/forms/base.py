"""The shared form: fields with their errors beside them, ctrl+s to save, escape asks first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from rmtui.core.parsers import FieldError
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.keys_ahead import KeepsEarlyKeys, handed_on

Result = TypeVar("Result")
SAVE_HINT = "ctrl+s save · escape cancel"
# The keys that move between fields, and how: done as the field reads them, in typing order.
FIELD_MOVES = {"tab": "focus_next", "shift+tab": "focus_previous"}


@dataclass(frozen=True)
class FormField:
    """One field of a form: how it is asked for; the form parses what was typed."""

    name: str
    label: str
    kind: str = "text"  # text | notes | choice | bool
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    allow_blank: bool = False


class FormScreen(KeepsEarlyKeys, ModalScreen[Result | None], Generic[Result]):
    """A modal form; subclasses list `fields()` and turn typed values into a result."""

    CSS_PATH = "../dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]
    FORM_TITLE = "Form"
    AUTO_FOCUS = "Input, Select, TextArea, Checkbox"

    def __init__(self, initial: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.initial = {key: value for key, value in (initial or {}).items() if value is not None}
        self._started_with: dict[str, Any] = {}
        self._save_waiting = False  # ctrl+s typed before the fields had their keys

    def fields(self) -> Iterable[FormField]:
        """The fields, in order."""
        raise NotImplementedError

    def build(self, values: dict[str, Any]) -> Result:
        """The result for the typed `values`; raise FieldErrors (see `errors`) when wrong."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form-box", can_focus=False) as box:
            box.border_subtitle = SAVE_HINT  # in sight however far the form scrolls
            yield Static(self.FORM_TITLE, classes="form-title")
            for field in self.fields():
                with Horizontal(classes="form-row"):
                    yield Label(field.label, classes="form-label")
                    yield self._widget(field)
                yield Static("", id=f"error-{field.name}", classes="field-error -hidden")
            yield from self.compose_extra()
            yield Static("", id="error-form", classes="field-error -hidden")

    def compose_extra(self) -> ComposeResult:
        """What a form shows below its fields (nothing by default)."""
        yield from ()

    def on_mount(self) -> None:
        self._started_with = self.values()

    # -- keys typed ahead: none lost, each in the field it was typed in -------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        super().on_descendant_focus(event)
        if self._save_waiting and self.focused is not None:
            self._save_waiting = False
            self.action_save()

    def on_field_key(self, field: Widget, event: events.Key) -> bool:
        """Move to the next field at once on a tab (the keys typed after it are on their way
        to this field already), and hand a key that reached `field` after the focus left it
        to the field that has it now, for good: a later tab does not carry it further.
        True when the key was dealt with here."""
        move = FIELD_MOVES.get(event.key)
        focused = self.focused
        meant_here = getattr(event, "meant_for", None) is field
        if move is None and (focused is None or field in focused.ancestors_with_self or meant_here):
            return False  # its own key, or one from its open list (a choice's options)
        event.stop()
        event.prevent_default()
        if move is not None:
            getattr(self, move)()
        elif focused is not None:
            key = handed_on(event)
            key.meant_for = focused  # type: ignore[attr-defined]
            focused.post_message(key)
        return True

    def _widget(self, field: FormField) -> Widget:
        value = self.initial.get(field.name)
        widget_id = f"field-{field.name}"
        if field.kind == "choice":
            options = [(choice, choice) for choice in field.choices]
            return FieldSelect(
                options,
                value=value if value in field.choices else Select.NULL,
                allow_blank=field.allow_blank or value not in field.choices,
                id=widget_id,
                compact=True,
            )
        if field.kind == "bool":
            return FieldCheckbox("", value=bool(value), id=widget_id, compact=True)
        if field.kind == "notes":
            return FieldTextArea(str(value or ""), id=widget_id, classes="form-notes", compact=True)
        return FieldInput(
            value=str(value or ""), placeholder=field.placeholder, id=widget_id, compact=True
        )

    def values(self) -> dict[str, Any]:
        """What is typed in every field now (text, choice or bool)."""
        values: dict[str, Any] = {}
        for field in self.fields():
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                values[field.name] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, TextArea):
                values[field.name] = widget.text
            elif isinstance(widget, Input | Checkbox):
                values[field.name] = widget.value
        return values

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message beside its field (`form` for the form as a whole)."""
        for label in self.query(".field-error").results(Static):
            name = (label.id or "").removeprefix("error-")
            label.update(errors.get(name, ""))
            label.set_class(name not in errors, "-hidden")
        first = next(iter(errors), None)
        if first and first != "form":
            self.query_one(f"#field-{first}").focus()

    def action_save(self) -> None:
        """Save once every key typed before ctrl+s has reached its field."""
        focused = self.focused
        if focused is None or self.early_keys:
            self._save_waiting = True
        else:
            focused.call_later(self._save_after, focused)

    def _save_after(self, field: Widget) -> None:
        focused = self.focused
        if focused is not None and focused is not field:  # keys went on to another field
            focused.call_later(self._save_after, focused)
        else:
            self._save()

    def _save(self) -> None:
        values = self.values()
        errors: dict[str, str] = {}
        result = self.build_checked(values, errors)
        if errors:
            self.show_errors(errors)
            return
        question = self.question_before_saving(result) if result is not None else None
        if question is None:
            self.dismiss(result)
            return

        def answered(yes: bool | None) -> None:  # no: back to the form as it was typed
            if yes:
                self.dismiss(result)

        self.app.push_screen(question, answered)

    def question_before_saving(self, result: Result) -> ConfirmScreen | None:
        """A question to answer yes to before `result` is saved (None: save at once)."""
        return None

    def build_checked(self, values: dict[str, Any], errors: dict[str, str]) -> Result | None:
        """Build the result, collecting each field's error in `errors` instead of raising."""
        self.errors = errors
        try:
            return self.build(values)
        except FieldError as error:
            errors.setdefault("form", str(error))
            return None

    def check(self, name: str, parse: Any, *args: Any, **kwargs: Any) -> Any:
        """Run `parse(*args, **kwargs)` for field `name`; remember its error and return None."""
        try:
            return parse(*args, **kwargs)
        except FieldError as error:
            self.errors[name] = str(error)
            return None

    def action_cancel(self) -> None:
        if self.values() == self._started_with:
            self.dismiss(None)
            return
        question = "Discard what you typed in this form?"
        self.app.push_screen(
            ConfirmScreen(question, yes="Discard", no="Keep editing"), self._discard_if_confirmed
        )

    def _discard_if_confirmed(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)


# The mixin below is plain (Textual inherits CSS through a widget's first widget base only),
# and a Widget to the type checker.
if TYPE_CHECKING:
    _FieldBase = Widget
else:
    _FieldBase = object


class KeysInTypingOrder(_FieldBase):
    """A form field whose keys, once the focus moved on, go on to the field that has it now,
    and whose tab moves on at once, ahead of the keys typed after it."""

    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        if isinstance(screen, FormScreen) and screen.on_field_key(self, event):
            return
        await super()._on_key(event)


class FieldInput(KeysInTypingOrder, Input):
    """A form's text field."""


class FieldTextArea(KeysInTypingOrder, TextArea):
    """A form's notes field."""


class FieldSelect(KeysInTypingOrder, Select[str]):
    """A form's choice field."""


class FieldCheckbox(KeysInTypingOrder, Checkbox):
    """A form's yes/no field."""
