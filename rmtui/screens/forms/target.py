"""The form that sets the target of one KPI for the period on the dashboard."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from rmtui.core.kpi import KPI_INFO
from rmtui.core.kpi_board import target_text
from rmtui.core.parsers import FieldError, parse_amount
from rmtui.core.periods import EN_DASH, Period
from rmtui.core.translation import N_, _
from rmtui.core.user_locale import user_locale
from rmtui.screens.forms.base import FormField, FormScreen

EXAMPLES = {"count": "12", "percent": "85", "money": "25000", "mean": "4.5", "score": "30"}
LABELS = {
    "count": N_("Target (number)"),
    "percent": N_("Target (%)"),
    "money": N_("Target (amount)"),
    "mean": N_("Target (score 1-5)"),
    "score": N_("Target (score -100 to 100)"),
}


def parse_target(text: str | None, *, key: str) -> Decimal:
    """A typed target for KPI `key`: a whole count, a percentage, an amount or a mean score."""
    info = KPI_INFO[key]
    value = (text or "").strip().removesuffix("%").strip()
    if not value:
        raise FieldError(_("Type a target; to remove one, press x on the dashboard."))
    if info.kind == "money":
        amount = parse_amount(value, label=N_("The target"))
        if amount is None or amount < 0:
            raise FieldError(_("The target must be an amount of at least 0."))
        return amount
    number = _number(value)
    if info.kind == "count" and (number < 0 or number != number.to_integral_value()):
        raise FieldError(_("The target must be a whole number of at least 0."))
    if info.kind == "mean" and not 1 <= number <= 5:
        raise FieldError(_("The target must be a score from 1 to 5."))
    if info.kind == "score" and not -100 <= number <= 100:
        raise FieldError(_("The target must be a score from -100 to 100."))
    return number


def _number(value: str) -> Decimal:
    """A number typed the way the user's locale writes it (en 1,000.5, nl 1.000,5)."""
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        number = parse_decimal("".join(value.split()), locale=user_locale(), strict=True)
    except NumberFormatError:
        raise FieldError(
            _("The target must be a number, not '{value}'.").format(value=value)
        ) from None
    if not number.is_finite():
        raise FieldError(_("The target must be a number, not '{value}'.").format(value=value))
    return number


class TargetForm(FormScreen[Decimal]):
    """Type the target of KPI `key` for `period`; dismisses with the target as a Decimal."""

    def __init__(self, *, key: str, period: Period, target: Decimal | None = None) -> None:
        initial = {} if target is None else {"target": target_text(target)}
        super().__init__(initial)
        self.key = key
        self.period = period
        title = (
            _("Change the target for {kpi} — {period} ({dates})")
            if target is not None
            else _("Set a target for {kpi} — {period} ({dates})")
        )
        dates = f"{period.start.isoformat()} {EN_DASH} {period.end.isoformat()}"
        self.FORM_TITLE = title.format(kpi=_(KPI_INFO[key].label), period=period.label, dates=dates)

    def fields(self) -> Iterable[FormField]:
        info = KPI_INFO[self.key]
        direction = _("higher is better") if info.higher_is_better else _("lower is better")
        example = _("e.g. {example} · {direction}").format(
            example=EXAMPLES[info.kind], direction=direction
        )
        return (FormField("target", LABELS[info.kind], placeholder=example),)

    def build(self, values: dict[str, Any]) -> Decimal:
        return self.check("target", parse_target, values["target"], key=self.key)  # type: ignore[no-any-return]
