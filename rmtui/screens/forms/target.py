"""The form that sets the target of one KPI for the period on the dashboard."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from rmtui.core.kpi import KPI_INFO
from rmtui.core.kpi_board import target_text
from rmtui.core.parsers import FieldError, parse_amount
from rmtui.core.periods import EN_DASH, Period
from rmtui.core.user_locale import user_locale
from rmtui.screens.forms.base import FormField, FormScreen

EXAMPLES = {"count": "12", "percent": "85", "money": "25000", "mean": "4.5", "score": "30"}
LABELS = {
    "count": "Target (number)",
    "percent": "Target (%)",
    "money": "Target (amount)",
    "mean": "Target (score 1-5)",
    "score": "Target (score -100 to 100)",
}


def parse_target(text: str | None, *, key: str) -> Decimal:
    """A typed target for KPI `key`: a whole count, a percentage, an amount or a mean score."""
    info = KPI_INFO[key]
    value = (text or "").strip().removesuffix("%").strip()
    if not value:
        raise FieldError("Type a target; to remove one, press x on the dashboard.")
    if info.kind == "money":
        amount = parse_amount(value, label="The target")
        if amount is None or amount < 0:
            raise FieldError("The target must be an amount of at least 0.")
        return amount
    number = _number(value)
    if info.kind == "count" and (number < 0 or number != number.to_integral_value()):
        raise FieldError("The target must be a whole number of at least 0.")
    if info.kind == "mean" and not 1 <= number <= 5:
        raise FieldError("The target must be a score from 1 to 5.")
    if info.kind == "score" and not -100 <= number <= 100:
        raise FieldError("The target must be a score from -100 to 100.")
    return number


def _number(value: str) -> Decimal:
    """A number typed the way the user's locale writes it (en 1,000.5, nl 1.000,5)."""
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        number = parse_decimal("".join(value.split()), locale=user_locale(), strict=True)
    except NumberFormatError:
        raise FieldError(f"The target must be a number, not '{value}'.") from None
    if not number.is_finite():
        raise FieldError(f"The target must be a number, not '{value}'.")
    return number


class TargetForm(FormScreen[Decimal]):
    """Type the target of KPI `key` for `period`; dismisses with the target as a Decimal."""

    def __init__(self, *, key: str, period: Period, target: Decimal | None = None) -> None:
        initial = {} if target is None else {"target": target_text(target)}
        super().__init__(initial)
        self.key = key
        self.period = period
        verb = "Change the" if target is not None else "Set a"
        dates = f"{period.start.isoformat()} {EN_DASH} {period.end.isoformat()}"
        self.FORM_TITLE = f"{verb} target for {KPI_INFO[key].label} — {period.label} ({dates})"

    def fields(self) -> Iterable[FormField]:
        info = KPI_INFO[self.key]
        direction = "higher is better" if info.higher_is_better else "lower is better"
        example = f"e.g. {EXAMPLES[info.kind]} · {direction}"
        return (FormField("target", LABELS[info.kind], placeholder=example),)

    def build(self, values: dict[str, Any]) -> Decimal:
        return self.check("target", parse_target, values["target"], key=self.key)  # type: ignore[no-any-return]
