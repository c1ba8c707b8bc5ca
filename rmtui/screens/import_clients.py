"""Importing clients from a spreadsheet (.csv) or contacts file (.vcf) inside the TUI.

The file is first read as a dry run and its report shown; nothing is written until the user
confirms, and then the import is all or nothing, or, when the report lists problems and the
user chooses so, of the good records only (each one skipped listed).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from rmtui.core.translation import N_, _
from rmtui.screens.book_access import rm_app

if TYPE_CHECKING:
    from rmtui.core.interchange.client_import import ClientImportReport

FORMATS = {".csv": "spreadsheet", ".vcf": "contacts"}


def read_clients_file(
    path: Path, *, engine: object, dry_run: bool, merge: bool, skip_invalid: bool = False
) -> ClientImportReport:
    """Import (or dry-run) the clients of a .csv or .vcf file; errors are BookErrors."""
    from rmtui.core.errors import BookError
    from rmtui.core.interchange.csv_files import import_clients_csv
    from rmtui.core.interchange.vcards import import_vcards

    if path.suffix.lower() not in FORMATS:
        raise BookError(
            _("{name} is neither a .csv spreadsheet nor a .vcf contacts file.").format(
                name=path.name
            )
        )
    options = {"dry_run": dry_run, "merge": merge, "skip_invalid": skip_invalid}
    if path.suffix.lower() == ".csv":
        return import_clients_csv(path, engine=engine, **options)  # type: ignore[arg-type]
    return import_vcards(path, engine=engine, **options)  # type: ignore[arg-type]


class ImportClientsScreen(ModalScreen[int]):
    """Ask for a file, show what importing it would do, then import on confirmation.

    Dismisses with the number of clients added (0 when cancelled).
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("ctrl+s", "import", N_("Import"), priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Static(_("Import clients from a .csv or .vcf file"), classes="form-title")
            yield Static(
                _("enter reads the file · ctrl+s imports · escape cancels"), classes="form-hint"
            )
            yield Input(placeholder=_("~/Downloads/clients.csv"), id="import-path", compact=True)
            yield Checkbox(
                _("Update duplicates with the file's values (merge)"),
                id="import-merge",
                compact=True,
            )
            yield Checkbox(
                _("Skip the records with problems and import the others"),
                id="import-skip",
                compact=True,
            )
            with VerticalScroll(id="import-report", can_focus=False):
                yield Static(
                    _(
                        "Type the file's path and press enter to see what would happen; "
                        "nothing is written before you confirm."
                    ),
                    id="import-text",
                )
            with Horizontal(id="import-buttons"):
                yield Button(_("Import"), id="import-go", variant="primary", disabled=True)
                yield Button(_("Cancel"), id="import-cancel")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()
        self.query_one("#import-skip", Checkbox).display = False

    def choices(self) -> tuple[bool, bool]:
        """Whether to merge duplicates and whether to skip records with problems."""
        skip = self.query_one("#import-skip", Checkbox)
        return self.query_one("#import-merge", Checkbox).value, skip.display and skip.value

    def chosen_path(self) -> Path:
        """The path typed, with ~ expanded."""
        return Path(self.query_one("#import-path", Input).value.strip()).expanduser()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.check_file()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if self.query_one("#import-path", Input).value.strip():
            self.check_file()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#import-go", Button).disabled = True
        skip = self.query_one("#import-skip", Checkbox)
        with skip.prevent(Checkbox.Changed):
            skip.value = False  # another file: all or nothing until its report says otherwise
        skip.display = False

    def check_file(self) -> None:
        """Dry-run the file in a worker and show its report."""
        self.show_text(_("Reading the file…"))
        self.query_one("#import-go", Button).disabled = True
        self.dry_run(self.chosen_path(), *self.choices())

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def dry_run(self, path: Path, merge: bool, skip: bool) -> None:
        report, error = self._run(path, merge=merge, skip=skip, dry_run=True)
        self.app.call_from_thread(self.show_dry_run, report, error)

    def _run(
        self, path: Path, *, merge: bool, skip: bool, dry_run: bool
    ) -> tuple[ClientImportReport | None, str | None]:
        from rmtui.core.errors import BookError
        from rmtui.core.interchange.client_import import ImportRejected

        try:
            report = read_clients_file(
                path, engine=rm_app(self).engine, dry_run=dry_run, merge=merge, skip_invalid=skip
            )
        except ImportRejected as rejected:
            return rejected.report, None
        except (BookError, OSError) as error:
            return None, str(error)
        return report, None

    def show_dry_run(self, report: ClientImportReport | None, error: str | None) -> None:
        if report is None:
            self.show_text(error or _("The file could not be read."), problem=True)
            return
        lines = report.lines()
        if report.problems:
            lines.append(
                _(
                    "Correct the file and press enter to read it again, or tick the box above to "
                    "skip the records with problems."
                )
            )
        self.show_text("\n".join(lines), problem=bool(report.problems))
        skip = self.query_one("#import-skip", Checkbox)
        skip.display = skip.display or bool(report.problems)
        can_import = not report.problems and bool(report.added or report.merged)
        go = self.query_one("#import-go", Button)
        go.disabled = not can_import
        if can_import:
            go.focus()

    def show_text(self, text: str, *, problem: bool = False) -> None:
        shown = self.query_one("#import-text", Static)
        shown.update(text)
        shown.set_class(problem, "field-error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import-go":
            self.import_for_real()
        else:
            self.action_cancel()

    def action_import(self) -> None:
        if not self.query_one("#import-go", Button).disabled:
            self.import_for_real()

    def import_for_real(self) -> None:
        """Import the file in a worker; the dialog closes when it is done."""
        self.query_one("#import-go", Button).disabled = True
        self.show_text(_("Importing…"))
        self.run_import(self.chosen_path(), *self.choices())

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def run_import(self, path: Path, merge: bool, skip: bool) -> None:
        report, error = self._run(path, merge=merge, skip=skip, dry_run=False)
        self.app.call_from_thread(self.finish_import, report, error)

    def finish_import(self, report: ClientImportReport | None, error: str | None) -> None:
        if report is None or report.problems:
            self.show_dry_run(report, error)
            return
        self.notify(report.summary(), markup=False)
        self.dismiss(report.added + report.merged)

    def action_cancel(self) -> None:
        self.dismiss(0)
