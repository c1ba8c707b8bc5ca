"""Forms of the pipeline: add or edit a deal (its client picked by name), and why one was lost."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import Button

from rmtui.core.choices import choice_text
from rmtui.core.entries import deal_entry
from rmtui.core.figures import amount_text
from rmtui.core.models import STAGES
from rmtui.core.parsers import required_text
from rmtui.core.queries.opportunities import CLOSED_STAGES
from rmtui.core.translation import N_, _
from rmtui.screens.client_picker import ClientPicker, PickedClient
from rmtui.screens.confirm import ConfirmScreen
from rmtui.screens.forms.base import FormField, FormScreen


class OpportunityForm(FormScreen[dict[str, Any]]):
    """Add or edit a deal; dismisses with its column values, `client_id` among them."""

    def __init__(
        self, *, client: PickedClient, day: date, initial: dict[str, Any] | None = None
    ) -> None:
        super().__init__({"stage": "lead", "opened_on": day.isoformat(), **(initial or {})})
        self.client = client
        self.day = day
        self.FORM_TITLE = _("Edit the deal") if initial and initial.get("title") else _("New deal")

    def fields(self) -> Iterable[FormField]:
        return (
            FormField("client", N_("Client"), "client"),
            FormField("title", N_("Deal"), placeholder=N_("Pension plan, mortgage renewal…")),
            FormField(
                "product", N_("Product"), placeholder=N_("optional: pension, mortgage, fund…")
            ),
            FormField("value", N_("Value"), placeholder=N_("25000")),
            FormField("stage", N_("Stage"), "choice", STAGES),
            FormField("opened_on", N_("Opened on"), placeholder=N_("2026-11-02, today")),
            FormField(
                "expected_close_on", N_("Expected close"), placeholder=N_("optional: 2027-03-31")
            ),
            FormField("probability", N_("Probability %"), placeholder=N_("empty: the stage's")),
            FormField("lost_reason", N_("Lost because"), placeholder=N_("only for a lost deal")),
        )

    def _widget(self, field: FormField) -> Widget:
        if field.kind == "client":
            return Button(client_label(self.client), id="field-client", compact=True)
        return super()._widget(field)

    def values(self) -> dict[str, Any]:
        return {**super().values(), "client": self.client.id}

    @on(Button.Pressed, "#field-client")
    def _change_client(self) -> None:
        self.app.push_screen(ClientPicker(_("Which client is the deal for?")), self._client_picked)

    def _client_picked(self, client: PickedClient | None) -> None:
        if client is not None:
            self.client = client
            self.query_one("#field-client", Button).label = client_label(client)

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        return deal_entry(values, self, client_id=self.client.id, day=self.day)

    def question_before_saving(self, result: dict[str, Any]) -> ConfirmScreen | None:
        """Ask before the deal is put in won or lost, where it was not when the form opened."""
        stage = result["stage"]
        if stage not in CLOSED_STAGES or stage == self.initial.get("stage"):
            return None
        return closing_question(result["title"], result["value"], stage)


def closing_question(title: str, value: Decimal, stage: str) -> ConfirmScreen:
    """The question asked before a deal is marked won or lost (`stage`)."""
    question = _(
        "Mark “{title}” ({amount}) as {stage}? It closes today and counts in the win rate."
    ).format(title=title, amount=amount_text(value), stage=choice_text(stage))
    if stage == "won":
        return ConfirmScreen(question, yes=_("Mark won"), no=_("Not yet"), tone="success")
    return ConfirmScreen(question, yes=_("Mark lost"), no=_("Keep it open"))


def client_label(client: PickedClient) -> str:
    """The client button's text."""
    return _("{name}  (enter to change)").format(name=client.name)


class LostReasonForm(FormScreen[str]):
    """Ask why a deal was lost; dismisses with the reason."""

    def __init__(self, deal_title: str, value: Decimal) -> None:
        super().__init__()
        self.FORM_TITLE = _("Mark “{title}” ({amount}) as lost").format(
            title=deal_title, amount=amount_text(value)
        )

    def fields(self) -> Iterable[FormField]:
        return (
            FormField("reason", N_("Why"), placeholder=N_("price, timing, went to a competitor…")),
        )

    def build(self, values: dict[str, Any]) -> str:
        return self.check("reason", required_text, values["reason"], label=N_("A reason")) or ""
