"""What the KPI dashboard shows: each KPI beside the previous period, its target and status."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from rmtui.core.figures import (
    amount_within,
    compact_text,
    mean_text,
    percent_text,
    points_text,
    signed_count_text,
    whole_percent_text,
)
from rmtui.core.kpi import KPI_INFO, KPI_KEYS, kpi_display, ratio
from rmtui.core.translation import _, ngettext

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Fewer survey answers than this make a CSAT or NPS figure shaky.
SAMPLE_MINIMUM = 30
# Within this share of its target a KPI is "close" (amber) rather than "behind" (red).
CLOSE_SHARE = Decimal("0.1")
PENDING = "…"
# The widths of the value and target columns of the dashboard (widgets/kpi_table.py).
FIGURE_WIDTH = 15
TARGET_WIDTH = 13
TREND_KEYS = ("revenue", "new_clients", "retention_rate", "nps", "interactions", "aum")


class KpiLine(NamedTuple):
    """One KPI as the dashboard shows it, every figure already written for a person."""

    key: str
    label: str
    value: str
    previous: str
    change: str
    target: str
    status: str | None  # "met" | "close" | "behind" | None when there is no target or figure
    warning: str | None  # e.g. "based on 12 answers"
    expected: str | None = None  # a paced target's share due by today, in a period to date


def kpi_lines(
    kpis: dict[str, Any],
    previous: dict[str, Any],
    targets: dict[str, Decimal],
    *,
    gone: Decimal | None = None,
) -> list[KpiLine]:
    """A line per KPI of KPI_KEYS for the figures of a period and of the period before; `gone`
    is the share of a period in progress that has gone (see periods.share_gone)."""
    return [kpi_line(key, kpis, previous, targets.get(key), gone=gone) for key in KPI_KEYS]


def kpi_line(
    key: str,
    kpis: dict[str, Any],
    previous: dict[str, Any],
    target: Decimal | None,
    *,
    gone: Decimal | None = None,
) -> KpiLine:
    """The line of one KPI; a target of a count or a sum in a period to date is judged by its
    pace: against the share of it due by today."""
    value = kpis[key]
    expected = expected_by_today(key, target, gone)
    return KpiLine(
        key=key,
        label=KPI_INFO[key].label,
        value=figure_display(key, value),
        previous=figure_display(key, previous[key]),
        change=change_text(key, value, previous[key]),
        target="" if target is None else target_display(key, target),
        status=target_status(key, value, target if expected is None else expected),
        warning=sample_warning(key, kpis),
        expected=None if expected is None else target_display(key, expected),
    )


def expected_by_today(key: str, target: Decimal | None, gone: Decimal | None) -> Decimal | None:
    """What a paced target asks for by today: target × the share of the period gone."""
    if target is None or gone is None or not KPI_INFO[key].paced:
        return None
    step = Decimal(1) if KPI_INFO[key].kind == "count" else Decimal("0.01")
    return (target * gone).quantize(step, ROUND_HALF_UP)


def pending_lines(targets: dict[str, Decimal]) -> list[KpiLine]:
    """The lines shown while a period's figures are being computed (targets already known)."""
    return [pending_line(key, targets.get(key)) for key in KPI_KEYS]


def pending_line(key: str, target: Decimal | None) -> KpiLine:
    """A KPI whose figures are not computed yet."""
    shown_target = "" if target is None else target_display(key, target)
    return KpiLine(key, KPI_INFO[key].label, PENDING, PENDING, "", shown_target, None, None)


def target_status(key: str, value: Any, target: Decimal | None) -> str | None:
    """ "met", "close" (within 10% of the target) or "behind"; None without target or value."""
    if target is None or value is None:
        return None
    figure = Decimal(str(value))
    shortfall = target - figure if KPI_INFO[key].higher_is_better else figure - target
    if shortfall <= 0:
        return "met"
    if shortfall <= CLOSE_SHARE * abs(target):
        return "close"
    return "behind"


def status_sentence(key: str, status: str | None) -> str:
    """What a status means for KPI `key`, as a short sentence."""
    if status is None:
        return _("No target for this period.")
    if status == "met":
        return _("Target met.")
    higher = KPI_INFO[key].higher_is_better
    if status == "close":
        if higher:
            sentence = _("Close: at most {share} short of the target.")
        else:
            sentence = _("Close: at most {share} over the target.")
    elif higher:
        sentence = _("Behind: more than {share} short of the target.")
    else:
        sentence = _("Behind: more than {share} over the target.")
    return sentence.format(share=whole_percent_text(CLOSE_SHARE * 100))


def change_text(key: str, value: Any, previous: Any) -> str:
    """The change against the previous period: points for percentages and scores, % for
    money, the difference for means and counts."""
    if value is None or previous is None:
        return "—"
    kind = KPI_INFO[key].kind
    if kind == "money":
        return percent_text(ratio(value - previous, previous), signed=True)
    if kind in ("percent", "score"):
        return points_text(value - previous)
    if kind == "mean":
        return mean_text(value - previous, signed=True)
    return signed_count_text(value - previous)


def sample_warning(key: str, kpis: dict[str, Any]) -> str | None:
    """ "based on N answers" when the KPI rests on fewer than SAMPLE_MINIMUM survey answers."""
    sample_key = KPI_INFO[key].sample_key
    if sample_key is None:
        return None
    answers = kpis.get(sample_key) or 0
    if 0 < answers < SAMPLE_MINIMUM:
        return ngettext("based on {count} answer", "based on {count} answers", answers).format(
            count=answers
        )
    return None


def sample_note(warning: str, *, subject: str | None = None) -> str:
    """The explanation beside a figure that rests on too few survey answers."""
    return _(
        "{subject} is {warning}; with fewer than {minimum} it can swing a lot "
        "from one period to the next."
    ).format(subject=subject or _("This figure"), warning=warning, minimum=SAMPLE_MINIMUM)


def target_number(key: str, target: Decimal) -> int | float | Decimal:
    """A stored target as the kind of number its KPI is (count, ratio or money)."""
    kind = KPI_INFO[key].kind
    if kind == "count" and target == target.to_integral_value():
        return int(target)
    if kind in ("percent", "mean", "score"):
        return float(target)
    return target


def target_display(key: str, target: Decimal) -> str:
    """A target written like its KPI."""
    return figure_display(key, target_number(key, target), TARGET_WIDTH)


def target_text(target: Decimal) -> str:
    """A target as typed in a form: no trailing zeros (85, 4.5, 25000.50)."""
    if target == target.to_integral_value():
        return str(int(target))
    return str(target.normalize())


def figure_display(key: str, value: Any, width: int = FIGURE_WIDTH) -> str:
    """A KPI value in at most `width` characters (a column of the dashboard): an amount too
    wide in whole units is shown compact (13.4B)."""
    if value is not None and KPI_INFO[key].kind == "money":
        return amount_within(Decimal(value), width, total=True)
    return kpi_display(key, value)


def short_display(key: str, value: Any) -> str:
    """A KPI value in few characters: amounts compact (182.8M, 1.3B), the rest as shown."""
    if value is not None and KPI_INFO[key].kind == "money":
        return compact_text(Decimal(value))
    return kpi_display(key, value)


def figures_stamp(*, session: Session) -> int:
    """The id of the latest recorded change that can move a KPI (targets cannot), 0 if none."""
    from sqlalchemy import select

    from rmtui.core.models import AuditEntry

    audit = AuditEntry.__table__  # type: ignore[attr-defined]
    query = (
        select(audit.c.id).where(audit.c.entity != "target").order_by(audit.c.id.desc()).limit(1)
    )
    return session.execute(query).scalar() or 0
