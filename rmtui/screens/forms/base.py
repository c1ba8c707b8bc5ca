"""The shared form: fields with their errors beside them, ctrl+s to save, escape asks first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from rmtui.core.choices import choice_text
from rmtui.core.parsers import FieldError
from rmtui.core.translation import N_, _
from rmtui.screens.confirm import ConfirmScreen

Result = TypeVar("Result")
SAVE_HINT = N_("ctrl+s save · escape cancel")


@dataclass(frozen=True)
class FormField:
    """One field of a form: how it is asked for; the form parses what was typed."""

    name: str
    label: str
    kind: str = "text"  # text | notes | choice | bool
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    allow_blank: bool = False


class FormScreen(ModalScreen[Result | None], Generic[Result]):
    """A modal form; subclasses list `fields()` and turn typed values into a result."""

    CSS_PATH = "../dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("escape", "cancel", N_("Cancel"), priority=True),
    ]
    FORM_TITLE = N_("Form")
    AUTO_FOCUS = "Input, Select, TextArea, Checkbox"

    def __init__(self, initial: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.initial = {key: value for key, value in (initial or {}).items() if value is not None}
        self._started_with: dict[str, Any] = {}

    def fields(self) -> Iterable[FormField]:
        """The fields, in order."""
        raise NotImplementedError

    def build(self, values: dict[str, Any]) -> Result:
        """The result for the typed `values`; raise FieldErrors (see `errors`) when wrong."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form-box", can_focus=False) as box:
            box.border_subtitle = _(SAVE_HINT)  # in sight however far the form scrolls
            yield Static(_(self.FORM_TITLE), classes="form-title")
            for field in self.fields():
                with Horizontal(classes="form-row"):
                    yield Label(_(field.label), classes="form-label")
                    yield self._widget(field)
                yield Static("", id=f"error-{field.name}", classes="field-error -hidden")
            yield from self.compose_extra()
            yield Static("", id="error-form", classes="field-error -hidden")

    def compose_extra(self) -> ComposeResult:
        """What a form shows below its fields (nothing by default)."""
        yield from ()

    def on_mount(self) -> None:
        self._started_with = self.values()

    def _widget(self, field: FormField) -> Widget:
        value = self.initial.get(field.name)
        widget_id = f"field-{field.name}"
        if field.kind == "choice":
            options = [(choice_text(choice), choice) for choice in field.choices]
            return Select(
                options,
                value=value if value in field.choices else Select.NULL,
                allow_blank=field.allow_blank or value not in field.choices,
                prompt=_("Select"),
                id=widget_id,
                compact=True,
            )
        if field.kind == "bool":
            return Checkbox("", value=bool(value), id=widget_id, compact=True)
        if field.kind == "notes":
            return TextArea(str(value or ""), id=widget_id, classes="form-notes", compact=True)
        return Input(
            value=str(value or ""),
            placeholder=_(field.placeholder) if field.placeholder else "",
            id=widget_id,
            compact=True,
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
        """Dismiss with the result, or show beside each field what is wrong with it."""
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
        question = _("Discard what you typed in this form?")
        self.app.push_screen(
            ConfirmScreen(question, yes=_("Discard"), no=_("Keep editing")),
            self._discard_if_confirmed,
        )

    def _discard_if_confirmed(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)
