"""The KPIs of PRODUCT.md for a period, and their trend over periods, each made of a few sums
read from the book's roll-ups by day (kpi_sql.py).

Nothing heavy is imported here: `rmtui kpi` computes the KPIs with the standard library's
sqlite3 alone, through the same functions a session uses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, get_args

from rmtui.core.db_api import fetch_all, of_session
from rmtui.core.figures import count_text, mean_text, percent_text, total_text
from rmtui.core.kpi_sql import Connection, read_parts
from rmtui.core.money import from_cents, money_text
from rmtui.core.periods import Period, compared_period, previous_period, so_far
from rmtui.core.translation import N_, _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KpiKey = Literal[
    "clients_start",
    "retained",
    "retention_rate",
    "new_clients",
    "lost_clients",
    "revenue",
    "revenue_previous",
    "revenue_growth",
    "csat",
    "nps",
    "pipeline_conversion",
    "lead_conversion",
    "cases_on_time",
    "interactions",
    "clients_contacted",
    "checkin_coverage",
    "aum",
    "referral_share",
]
KPI_KEYS: tuple[str, ...] = get_args(KpiKey)
# Extra keys of compute_kpis (not in KPI_KEYS, not in `rmtui kpi --json`): how many survey
# answers csat and nps rest on, so a screen can warn when a figure rests on too few.
SAMPLE_KEYS = ("csat_responses", "nps_responses")


class KpiInfo(NamedTuple):
    """How to present one KPI: label, definition, kind of figure and which way is good."""

    name: str  # the label in English, translated by `label`
    meaning: str  # the definition in English, translated by `definition`
    kind: str  # "count" | "percent" | "money" | "mean" | "score" (NPS, from -100 to 100)
    higher_is_better: bool = True
    sample_key: str | None = None  # the compute_kpis key holding how many answers it rests on
    paced: bool = False  # a count or sum that grows over the period: a target is judged by pace

    @property
    def label(self) -> str:
        """The KPI's short name in the language of the text."""
        return _(self.name)

    @property
    def definition(self) -> str:
        """What the KPI counts, in the language of the text."""
        return _(self.meaning)


KPI_INFO: dict[str, KpiInfo] = {
    "clients_start": KpiInfo(
        N_("Clients at start"), N_("Clients you had on the day before the period began."), "count"
    ),
    "retained": KpiInfo(
        N_("Retained"), N_("Of the clients at the start, those still clients at the end."), "count"
    ),
    "retention_rate": KpiInfo(
        N_("Retention"),
        N_("Share of the clients at the start still clients at the end."),
        "percent",
    ),
    "new_clients": KpiInfo(
        N_("New clients"), N_("Clients who became clients during the period."), "count", paced=True
    ),
    "lost_clients": KpiInfo(
        N_("Lost clients"),
        N_("Clients whose relationship ended during the period."),
        "count",
        higher_is_better=False,
        paced=True,
    ),
    "revenue": KpiInfo(N_("Revenue"), N_("Revenue booked during the period."), "money", paced=True),
    "revenue_previous": KpiInfo(
        N_("Revenue before"), N_("Revenue of the period it is compared with."), "money"
    ),
    "revenue_growth": KpiInfo(
        N_("Revenue growth"),
        N_("Change in revenue against the period it is compared with."),
        "percent",
    ),
    "csat": KpiInfo(
        N_("CSAT"),
        N_("Average satisfaction score (1 to 5) of surveys answered in the period."),
        "mean",
        sample_key="csat_responses",
    ),
    "nps": KpiInfo(
        N_("NPS"),
        N_(
            "A score from -100 to 100: the share of promoters (9-10) minus the share of detractors "
            "(0-6) among survey answers in the period."
        ),
        "score",
        sample_key="nps_responses",
    ),
    "pipeline_conversion": KpiInfo(
        N_("Pipeline won"),
        N_("Share of opportunities closed in the period that were won."),
        "percent",
    ),
    "lead_conversion": KpiInfo(
        N_("Lead conversion"),
        N_("Share of leads and prospects added in the period who have become clients."),
        "percent",
    ),
    "cases_on_time": KpiInfo(
        N_("Cases on time"),
        N_("Share of requests and complaints resolved in the period by their deadline."),
        "percent",
    ),
    "interactions": KpiInfo(
        N_("Contacts"),
        N_("Calls, meetings, e-mails and other contacts (not notes) in the period."),
        "count",
        paced=True,
    ),
    "clients_contacted": KpiInfo(
        N_("Clients contacted"),
        N_("Different clients you were in contact with in the period."),
        "count",
        paced=True,
    ),
    "checkin_coverage": KpiInfo(
        N_("Check-in coverage"),
        N_("Share of clients at the end of the period contacted within their check-in cadence."),
        "percent",
    ),
    "aum": KpiInfo(
        N_("Assets"),
        N_("Latest value of the accounts of clients at the end of the period."),
        "money",
    ),
    "referral_share": KpiInfo(
        N_("Referral share"),
        N_("Share of the new clients of the period who were referred by another client."),
        "percent",
    ),
}


Parts = Mapping[str, int]


class Figure(NamedTuple):
    """How a KPI is made: the sums it needs (kpi_sql.PARTS) and the value it makes of them."""

    parts: tuple[str, ...]
    value: Callable[[Parts], Any]


def _part(name: str) -> Figure:
    """A KPI that is one sum, a count."""
    return Figure((name,), lambda parts: parts[name])


def _share(part: str, whole: str) -> Figure:
    """A KPI that is 100 × one sum / another (None when that is 0)."""
    return Figure((part, whole), lambda parts: ratio(parts[part], parts[whole]))


def _retained(parts: Parts) -> int:
    """The clients active on the eve of the period and still on its end: those active then,
    less those who stopped being active in the period, but for those who also started in it."""
    return parts["at_start"] - parts["ended"] + parts["active_within"]


def _retention(parts: Parts) -> float | None:
    return ratio(_retained(parts), parts["at_start"])


def _csat(parts: Parts) -> float | None:
    answers = parts["csat_answers"]
    return parts["csat_total"] / answers if answers else None


def _nps(parts: Parts) -> float | None:
    return ratio(parts["promoters"] - parts["detractors"], parts["nps_answers"])


def _pipeline(parts: Parts) -> float | None:
    return ratio(parts["won"], parts["won"] + parts["lost"])


def _clients_contacted(parts: Parts) -> int:
    """Each client contacted on k days of the period counts k times among its client-days and
    k - 1 times among the spans from one contact day to the next within it."""
    return parts["client_days"] - parts["repeats"]


RETAINED_PARTS = ("at_start", "ended", "active_within")
FIGURES: dict[str, Figure] = {
    "clients_start": _part("at_start"),
    "retained": Figure(RETAINED_PARTS, _retained),
    "retention_rate": Figure(RETAINED_PARTS, _retention),
    "new_clients": _part("new_clients"),
    "lost_clients": _part("lost_clients"),
    "revenue": Figure(("revenue",), lambda parts: from_cents(parts["revenue"])),
    "csat": Figure(("csat_total", "csat_answers"), _csat),
    "nps": Figure(("promoters", "detractors", "nps_answers"), _nps),
    "pipeline_conversion": Figure(("won", "lost"), _pipeline),
    "lead_conversion": _share("converted", "leads"),
    "cases_on_time": _share("on_time", "resolved"),
    "interactions": _part("contacts"),
    "clients_contacted": Figure(("client_days", "repeats"), _clients_contacted),
    "checkin_coverage": _share("covered_at_end", "active_at_end"),
    "aum": Figure(("assets_at_end",), lambda parts: from_cents(parts["assets_at_end"])),
    "referral_share": _share("referred", "new_clients"),
    "csat_responses": _part("csat_answers"),
    "nps_responses": _part("nps_answers"),
}
"""Every KPI of a period alone (not revenue_previous and revenue_growth, which compare it with
another), and the SAMPLE_KEYS."""


def compute_kpis(
    *,
    session: Session,
    start: date,
    end: date,
    today: date | None = None,
    owner: str | None = None,
) -> dict[str, Any]:
    """Every KPI for `start`..`end` (inclusive), read in `session` (see read_kpis)."""
    return read_kpis(of_session(session), start=start, end=end, today=today, owner=owner)


def read_kpis(
    connection: Connection,
    *,
    start: date,
    end: date,
    today: date | None = None,
    owner: str | None = None,
) -> dict[str, Any]:
    """Every KPI for `start`..`end` (inclusive) plus `from`, `to`, `previous_from`,
    `previous_to` and the SAMPLE_KEYS counts, read on a DB-API `connection`.

    Given `today`, a period that has not ended is computed to date, from `start` to `today`,
    and its revenue compared with as many days from the start of the period before
    (periods.compared_period); `to` is then `today`.
    Counts are int, percentages and means float (None when the denominator is 0), money Decimal.
    With an `owner`, of the clients of that owner and everyone's (people.mine_of).
    """
    period = Period(start, end)
    before = previous_period(period) if today is None else compared_period(period, today)
    shown = period if today is None else so_far(period, today)
    (figures,) = read_figures(connection, list(FIGURES), [shown], owner=owner)
    (revenue_before,) = read_figures(connection, ["revenue"], [before], owner=owner)
    revenue, revenue_previous = figures["revenue"], revenue_before["revenue"]
    kpis: dict[str, Any] = {
        "from": shown.start,
        "to": shown.end,
        "previous_from": before.start,
        "previous_to": before.end,
        "revenue_previous": revenue_previous,
        "revenue_growth": ratio(revenue - revenue_previous, revenue_previous),
        **figures,
    }
    return {
        key: kpis[key]
        for key in ("from", "to", "previous_from", "previous_to", *KPI_KEYS, *SAMPLE_KEYS)
    }


def read_figures(
    connection: Connection,
    keys: Sequence[str],
    periods: Sequence[Period],
    *,
    owner: str | None = None,
) -> list[dict[str, Any]]:
    """The KPIs `keys` (of FIGURES) of each of `periods`, in one query (`owner`: see
    kpi_sql.read_parts)."""
    parts = list(dict.fromkeys(part for key in keys for part in FIGURES[key].parts))
    spans = [(period.start, period.end) for period in periods]
    return [
        {key: FIGURES[key].value(found) for key in keys}
        for found in read_parts(connection, parts, spans, owner=owner)
    ]


def kpi_trend(
    *,
    session: Session,
    key: str,
    periods: Sequence[Period],
    today: date | None = None,
    owner: str | None = None,
) -> list[Any]:
    """KPI `key` for each of `periods`, read in `session` (see read_trend)."""
    return read_trend(of_session(session), key=key, periods=periods, today=today, owner=owner)


def read_trend(
    connection: Connection,
    *,
    key: str,
    periods: Sequence[Period],
    today: date | None = None,
    owner: str | None = None,
) -> list[Any]:
    """KPI `key` (of FIGURES) for each of `periods`, in one query; given `today`, a period that
    has not ended is computed to date, as compute_kpis does; `owner`: as read_kpis."""
    shown = [period if today is None else so_far(period, today) for period in periods]
    found = read_figures(connection, [key], shown, owner=owner)
    return [figures[key] for figures in found]


class KpiCache:
    """KPI sets and trends already read, kept while the book's figures stay as they were.

    A window keeps one for all its screens: coming back to a period, or to a unit, shows its
    figures at once. Every reading names the book's figures stamp (kpi_board.figures_stamp,
    read in the same transaction); a new stamp forgets everything read before it. Safe to use
    from several threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: int | None = None
        self._sets: dict[tuple[Period, date | None, str | None], dict[str, Any]] = {}
        self._trends: dict[tuple[str, tuple[Period, ...], date | None, str | None], list[Any]] = {}

    def kpis(
        self,
        connection: Connection,
        stamp: int,
        period: Period,
        today: date | None,
        owner: str | None = None,
    ) -> dict[str, Any]:
        """The KPIs of `period` (see read_kpis), read unless known at `stamp`."""
        key = (period, today, owner)
        with self._lock:
            self._keep(stamp)
            known = self._sets.get(key)
        if known is None:
            known = read_kpis(
                connection, start=period.start, end=period.end, today=today, owner=owner
            )
            with self._lock:
                if self._stamp == stamp:
                    self._sets[key] = known
        return known

    def trend(
        self,
        connection: Connection,
        stamp: int,
        key: str,
        periods: Sequence[Period],
        today: date | None,
        owner: str | None = None,
    ) -> list[Any]:
        """KPI `key` for each of `periods` (see read_trend), read unless known at `stamp`."""
        cache_key = (key, tuple(periods), today, owner)
        with self._lock:
            self._keep(stamp)
            known = self._trends.get(cache_key)
        if known is None:
            known = read_trend(connection, key=key, periods=periods, today=today, owner=owner)
            with self._lock:
                if self._stamp == stamp:
                    self._trends[cache_key] = known
        return known

    def _keep(self, stamp: int) -> None:
        """Forget what was read before the figures changed (`stamp` is new)."""
        if stamp != self._stamp:
            self._stamp = stamp
            self._sets.clear()
            self._trends.clear()


def kpi_sample_sizes(*, session: Session, start: date, end: date) -> dict[str, int]:
    """How many surveys in `start`..`end` answered csat and nps (the SAMPLE_KEYS)."""
    connection = of_session(session)
    (sizes,) = read_figures(connection, SAMPLE_KEYS, [Period(start, end)])
    return sizes


def kpis_json(kpis: dict[str, Any]) -> dict[str, Any]:
    """The KPIs for `rmtui kpi --json`: ISO dates, money as decimal strings, ratios or null."""
    out: dict[str, Any] = {
        key: kpis[key].isoformat() for key in ("from", "to", "previous_from", "previous_to")
    }
    for key in KPI_KEYS:
        value = kpis[key]
        out[key] = money_text(value) if isinstance(value, Decimal) else value
    return out


def targets_for(*, session: Session, start: date, end: date) -> dict[str, Decimal]:
    """The target of each metric set for exactly the period `start`..`end`, read in `session`
    (see read_targets)."""
    return read_targets(of_session(session), start=start, end=end)


# The targets of a period; of a metric set twice, the newest counts.
TARGETS_SQL = """
    SELECT metric, target FROM target
    WHERE period_start = :start AND period_end = :end
    ORDER BY id"""


def read_targets(connection: Connection, *, start: date, end: date) -> dict[str, Decimal]:
    """The target of each metric set for exactly the period `start`..`end`, read on a DB-API
    `connection`."""
    rows = fetch_all(connection, TARGETS_SQL, {"start": start.isoformat(), "end": end.isoformat()})
    return {metric: from_cents(cents) for metric, cents in rows}


def ratio(part: int | Decimal, whole: int | Decimal | None) -> float | None:
    """100 * part / whole, or None when `whole` is 0 or missing."""
    if not whole:
        return None
    return float(Decimal(100) * Decimal(part) / Decimal(whole))


def kpi_display(key: str, value: Any) -> str:
    """A KPI value as shown to a person in their locale (see core.figures): percentages,
    means and scores to one decimal, money as totals in whole units, counts grouped."""
    kind = KPI_INFO[key].kind
    if kind == "percent":
        return percent_text(value)
    if kind in ("mean", "score"):
        return mean_text(value)
    if kind == "money":
        return total_text(value)
    return "—" if value is None else count_text(value)


def kpis_text(kpis: dict[str, Any], *, to_date: bool = False) -> str:
    """The KPIs as aligned plain text, one per line, for the command line; `to_date` for a
    period in progress."""
    span = f"{kpis['from'].isoformat()} – {kpis['to'].isoformat()}"
    compared = f"{kpis['previous_from'].isoformat()} – {kpis['previous_to'].isoformat()}"
    heading = (
        _("KPIs {span} (to date), compared with {compared}")
        if to_date
        else _("KPIs {span}, compared with {compared}")
    )
    lines = [heading.format(span=span, compared=compared)]
    width = max(len(KPI_INFO[key].label) for key in KPI_KEYS)
    lines += [
        f"  {KPI_INFO[key].label:<{width}}  {kpi_display(key, kpis[key])}" for key in KPI_KEYS
    ]
    return "\n".join(lines)
