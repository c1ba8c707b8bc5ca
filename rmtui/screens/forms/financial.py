"""Forms for a client's money records (holding, goal, survey, revenue) and the review export."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.widgets import Input, Select

from rmtui.core.entries import amount, holding_entry, past_day, revenue_entry
from rmtui.core.models import REVENUE_KINDS
from rmtui.core.parsers import optional_text, parse_int, parse_optional_date, required_text
from rmtui.core.review.files import FORMAT_SUFFIXES, SUFFIX_FORMATS, review_file_name
from rmtui.core.translation import LANGUAGES, N_, _, current_language
from rmtui.screens.forms.base import FormField, FormScreen

FORMAT_NAMES = {"markdown": "Markdown", "html": "HTML"}


class RecordForm(FormScreen[dict[str, Any]]):
    """A form for one of a client's records; its title says new or edit and for whom."""

    NEW_TITLE = N_("New record for {name}")
    EDIT_TITLE = N_("Edit the record for {name}")
    DEFAULTS: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        *,
        client_id: int,
        client_name: str,
        day: date,
        initial: dict[str, Any] | None = None,
        editing: bool | None = None,
    ) -> None:
        super().__init__({**self.DEFAULTS, **(initial or {})})
        self.client_id = client_id
        self.day = day
        self.editing = bool(initial) if editing is None else editing
        title = _(self.EDIT_TITLE) if self.editing else _(self.NEW_TITLE)
        self.FORM_TITLE = title.format(name=client_name)

    def day_field(self, name: str, text: str, *, required_label: str) -> date | None:
        """The date typed in field `name`, not after today; an error beside it when missing."""
        return past_day(self, name, text, day=self.day, label=required_label)

    def amount_field(
        self, name: str, text: str, *, label: str, required: bool = True, low: Decimal | None = None
    ) -> Decimal | None:
        """The amount typed in field `name`; an error beside it when missing or below `low`."""
        return amount(self, name, text, label=label, required=required, low=low)


class HoldingForm(RecordForm):
    """Record an account's value on a day. Dismisses with the arguments of
    `rmtui.core.queries.client_records.add_holding` (`client_id`, `account`, `as_of`, `value`)."""

    NEW_TITLE = N_("New holding value for {name}")
    EDIT_TITLE = N_("Edit the holding value for {name}")
    DEFAULTS: ClassVar[dict[str, Any]] = {"as_of": "today"}

    def __init__(
        self,
        *,
        client_id: int,
        client_name: str,
        day: date,
        accounts: Sequence[str] = (),
        initial: dict[str, Any] | None = None,
        editing: bool | None = None,
    ) -> None:
        super().__init__(
            client_id=client_id,
            client_name=client_name,
            day=day,
            initial=initial,
            editing=editing,
        )
        self.accounts = tuple(accounts)

    def fields(self) -> Iterable[FormField]:
        known = ", ".join(self.accounts[:3])
        hint = (
            _("e.g. {accounts}").format(accounts=known)
            if known
            else _("Current account, Pension fund…")
        )
        return (
            FormField("account", N_("Account"), placeholder=hint),
            FormField("as_of", N_("Value on"), placeholder=N_("today, 2026-10-31")),
            FormField("value", N_("Value"), placeholder=N_("125000")),
        )

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return holding_entry(values, self, client_id=self.client_id, day=self.day)


class GoalForm(RecordForm):
    """Add or edit a financial goal. Dismisses with the arguments of
    `rmtui.core.queries.client_records.add_goal` (`client_id`, `title`, `target_amount`,
    `target_date`, `current_amount`)."""

    NEW_TITLE = N_("New financial goal for {name}")
    EDIT_TITLE = N_("Edit the financial goal for {name}")

    def fields(self) -> Iterable[FormField]:
        return (
            FormField("title", N_("Goal"), placeholder=N_("Retirement, house deposit, studies…")),
            FormField("target_amount", N_("Target amount"), placeholder=N_("250000")),
            FormField(
                "target_date", N_("Target date"), placeholder=N_("optional: 2035-12-31, +5y")
            ),
            FormField("current_amount", N_("Reached so far"), placeholder=N_("0")),
        )

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        target_date = self.check(
            "target_date", parse_optional_date, values["target_date"], base=self.day
        )
        if target_date is not None and target_date <= self.day and not self.editing:
            self.errors["target_date"] = _("A new goal's date should still be to come.")
        target = self.amount_field(
            "target_amount", values["target_amount"], label=N_("The target amount"), low=Decimal(0)
        )
        if target == 0:
            self.errors["target_amount"] = _("The target amount must be more than 0.")
        current = self.amount_field(
            "current_amount",
            values["current_amount"],
            label=N_("The amount reached"),
            required=False,
            low=Decimal(0),
        )
        return {
            "client_id": self.client_id,
            "title": self.check("title", required_text, values["title"], label=N_("A goal")),
            "target_amount": target,
            "target_date": target_date,
            "current_amount": current if current is not None else Decimal("0.00"),
        }


class SurveyForm(RecordForm):
    """Record a survey answer. Dismisses with the arguments of
    `rmtui.core.queries.client_records.add_survey` (`client_id`, `on`, `csat`, `nps`, `comment`)."""

    NEW_TITLE = N_("New survey answer for {name}")
    EDIT_TITLE = N_("Edit the survey answer for {name}")
    DEFAULTS: ClassVar[dict[str, Any]] = {"on": "today"}

    def fields(self) -> Iterable[FormField]:
        return (
            FormField("on", N_("Answered on"), placeholder=N_("today, 2026-11-02")),
            FormField("csat", N_("CSAT (1–5)"), placeholder=N_("how satisfied: 1 to 5")),
            FormField("nps", N_("NPS (0–10)"), placeholder=N_("would recommend: 0 to 10")),
            FormField("comment", N_("Comment"), "notes"),
        )

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        csat = self.check("csat", parse_int, values["csat"], label="CSAT", low=1, high=5)
        nps = self.check("nps", parse_int, values["nps"], label="NPS", low=0, high=10)
        blank = not optional_text(values["csat"]) and not optional_text(values["nps"])
        if blank:
            self.errors["csat"] = _("Give a CSAT score (1–5), an NPS score (0–10) or both.")
        return {
            "client_id": self.client_id,
            "on": self.day_field("on", values["on"], required_label=N_("The day")),
            "csat": csat,
            "nps": nps,
            "comment": optional_text(values["comment"]),
        }


class RevenueForm(RecordForm):
    """Record revenue from the client. Dismisses with the arguments of
    `rmtui.core.queries.client_records.add_revenue` (`client_id`, `on`, `amount`, `kind`,
    `description`)."""

    NEW_TITLE = N_("New revenue for {name}")
    EDIT_TITLE = N_("Edit the revenue for {name}")
    DEFAULTS: ClassVar[dict[str, Any]] = {"on": "today", "kind": "fee"}

    def fields(self) -> Iterable[FormField]:
        return (
            FormField("on", N_("Earned on"), placeholder=N_("today, 2026-11-02")),
            FormField("amount", N_("Amount"), placeholder=N_("350.00 (negative for a refund)")),
            FormField("kind", N_("Kind"), "choice", REVENUE_KINDS),
            FormField("description", N_("Description"), placeholder=N_("optional")),
        )

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return revenue_entry(values, self, client_id=self.client_id, day=self.day)


class ReviewExportForm(FormScreen[Path]):
    """Ask where to write a client's review report and in which format; dismisses with the full
    path, whose ending (.md or .html) names the format for
    `rmtui.core.review.files.write_review`."""

    FORM_TITLE = N_("Export the review report")

    def __init__(
        self, *, client_name: str, day: date, folder: str = "~", language: str | None = None
    ) -> None:
        name = review_file_name(client_name, day)
        super().__init__(
            {
                "path": f"{folder.rstrip('/')}/{name}",
                "format": "markdown",
                "language": language or current_language(),
            }
        )
        self.FORM_TITLE = _("Export the review of {name}").format(name=client_name)
        # The report's language: the client's, else the user's, as chosen when it is saved.
        self.language = language or current_language()

    def fields(self) -> Iterable[FormField]:
        return (
            FormField("path", N_("File"), placeholder=N_("~/review.md")),
            FormField("format", N_("Format"), "choice", tuple(FORMAT_SUFFIXES)),
            FormField("language", N_("Language"), "choice", LANGUAGES),
        )

    @on(Select.Changed, "#field-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """Give the file the new format's ending when it had the other one."""
        if event.value not in FORMAT_SUFFIXES:
            return
        field = self.query_one("#field-path", Input)
        path = Path(field.value.strip())
        if SUFFIX_FORMATS.get(path.suffix.lower()) not in (None, event.value):
            field.value = str(path.with_suffix(FORMAT_SUFFIXES[str(event.value)]))

    def build(self, values: dict[str, Any]) -> Path:
        self.language = values["language"] if values["language"] in LANGUAGES else "en"
        file_format = values["format"] if values["format"] in FORMAT_SUFFIXES else "markdown"
        typed = self.check("path", required_text, values["path"], label=N_("A file name"))
        if typed is None:
            return Path()
        path = Path(typed).expanduser().absolute()
        suffix = path.suffix.lower()
        if not suffix:
            path = path.with_name(path.name + FORMAT_SUFFIXES[file_format])
        elif SUFFIX_FORMATS.get(suffix) != file_format:
            wanted = FORMAT_SUFFIXES[file_format]
            self.errors["path"] = _(
                "A {format} file name should end in {wanted}, not {suffix}."
            ).format(format=FORMAT_NAMES[file_format], wanted=wanted, suffix=suffix)
        if path.is_dir():
            self.errors["path"] = _("{path} is a folder; give the name of a file.").format(
                path=path
            )
        elif not path.parent.is_dir():
            self.errors["path"] = _("The folder {path} does not exist.").format(path=path.parent)
        return path
