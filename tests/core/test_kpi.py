"""KPIs on a small hand-built book whose every figure is computed by hand below."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session

from rmtui.core.db_api import of_session
from rmtui.core.kpi import (
    KPI_INFO,
    KPI_KEYS,
    SAMPLE_KEYS,
    KpiCache,
    compute_kpis,
    kpi_sample_sizes,
    kpi_trend,
    kpis_json,
    read_trend,
    targets_for,
)
from rmtui.core.models import (
    Case,
    Client,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
    Target,
)
from rmtui.core.periods import Period, trend_periods
from tests.factories import make

# P = Q4 2026, 92 days; the previous period is the 92 days before: 2026-07-01..2026-09-30.
FROM, TO = date(2026, 10, 1), date(2026, 12, 31)
PERCENT_KEYS = [key for key, info in KPI_INFO.items() if info.kind in ("percent", "mean")]
MONEY_KEYS = [key for key, info in KPI_INFO.items() if info.kind == "money"]
COUNT_KEYS = [key for key, info in KPI_INFO.items() if info.kind == "count"]


def client(session: Session, name: str, **fields: Any) -> int:
    """Add a client and return its id."""
    row = make(session, Client, name=name, **fields)
    assert row.id is not None
    return row.id


def contact(session: Session, client_id: int, at: datetime, kind: str = "call") -> None:
    """Log an interaction of `kind` for a client."""
    make(session, Interaction, client_id=client_id, at=at, kind=kind)


def build_book(session: Session) -> None:
    """The edge-case book; the comments in test_every_kpi_of_the_book do the arithmetic."""
    ids = _clients(session)
    _interactions(session, ids)
    _revenue(session, ids["throughout"], ids["leaves_first"])
    _surveys(session, ids["throughout"])
    _opportunities(session, ids["throughout"])
    _cases(session, ids["throughout"])
    _holdings(session, ids)


def _clients(session: Session) -> dict[str, int]:
    return {
        # Active on 09-30 and on 12-31; cadence 30.
        "throughout": client(session, "Throughout", checkin_every_days=30),
        # Becomes a client on the first day of P (created the same day: not a lead then).
        "starts_first": client(
            session,
            "Starts first",
            created_on=FROM,
            client_since=FROM,
            checkin_every_days=30,
        ),
        # Leaves on the first day: active on 09-30 (10-01 > 09-30), not on 12-31.
        "leaves_first": client(session, "Leaves first", client_until=FROM),
        # Leaves on the last day: active on 09-30, not on 12-31 (12-31 > 12-31 is false).
        "leaves_last": client(session, "Leaves last", client_until=TO),
        # Leaves after P: active on both days; cadence 90.
        "leaves_after": client(
            session,
            "Leaves after",
            client_since=date(2025, 5, 1),
            client_until=date(2027, 1, 15),
            checkin_every_days=90,
        ),
        # Former before P: until 09-30, not active on 09-30; archived, still only history.
        "former": client(
            session,
            "Former",
            status="former",
            archived=True,
            client_since=date(2020, 1, 1),
            client_until=date(2026, 9, 30),
        ),
        # A lead added in P, converted in P.
        "lead_converted": client(
            session,
            "Lead converted",
            created_on=date(2026, 10, 5),
            client_since=date(2026, 11, 10),
        ),
        # A lead added in P, converted only after P.
        "lead_later": client(
            session,
            "Lead later",
            status="prospect",
            created_on=date(2026, 10, 20),
            client_since=date(2027, 1, 10),
        ),
        # A lead added in P, never converted.
        "lead_open": client(
            session, "Lead open", status="lead", created_on=date(2026, 11, 1), client_since=None
        ),
        # A lead added before P, converted in P: a new client, not in lead_conversion.
        "lead_old": client(
            session, "Lead old", created_on=date(2026, 9, 15), client_since=date(2026, 10, 15)
        ),
    }


def _interactions(session: Session, ids: dict[str, int]) -> None:
    contact(session, ids["throughout"], datetime(2026, 12, 15, 10, 0))  # in P
    contact(session, ids["throughout"], datetime(2026, 12, 30, 9, 0), kind="note")  # note
    contact(session, ids["throughout"], datetime(2027, 1, 5, 9, 0))  # after P
    contact(session, ids["leaves_first"], datetime(2026, 9, 30, 23, 59, 59))  # before P
    contact(session, ids["leaves_first"], datetime(2026, 10, 1, 0, 0))  # in P, first instant
    contact(session, ids["leaves_last"], datetime(2026, 12, 31, 23, 59, 59), "meeting")  # in P
    contact(session, ids["starts_first"], datetime(2026, 12, 1, 9, 0))  # in P
    contact(session, ids["leaves_after"], datetime(2026, 12, 20, 9, 0), kind="note")  # note
    contact(session, ids["lead_converted"], datetime(2026, 11, 10, 14, 0), "meeting")  # in P
    contact(session, ids["lead_converted"], datetime(2026, 11, 20, 14, 0))  # in P
    contact(session, ids["lead_old"], datetime(2026, 8, 1, 9, 0))  # before P
    contact(session, ids["lead_old"], datetime(2027, 1, 2, 9, 0))  # after P
    contact(session, ids["lead_open"], datetime(2026, 11, 5, 9, 0), kind="note")  # note
    contact(session, ids["lead_open"], datetime(2026, 11, 6, 9, 0), kind="email")  # in P


def _revenue(session: Session, client_id: int, former_id: int) -> None:
    for on, amount in [
        (date(2026, 6, 30), "500.00"),  # before the previous period
        (date(2026, 7, 1), "60.00"),  # previous period, first day
        (date(2026, 9, 30), "40.00"),  # previous period, last day
        (date(2026, 10, 1), "100.00"),  # P, first day
        (date(2026, 12, 31), "250.50"),  # P, last day
        (date(2027, 1, 1), "999.00"),  # after P
    ]:
        make(session, Revenue, client_id=client_id, on=on, amount=Decimal(amount))
    make(session, Revenue, client_id=former_id, on=date(2026, 11, 15), amount=Decimal("1000"))


def _surveys(session: Session, client_id: int) -> None:
    for on, csat, nps in [
        (date(2026, 9, 30), 1, 0),  # before P
        (date(2026, 10, 1), 4, 6),  # detractor
        (date(2026, 11, 1), 5, 7),  # passive
        (date(2026, 12, 31), None, 9),  # promoter, no csat
        (date(2026, 12, 1), 2, None),  # csat only
        (date(2027, 1, 1), 5, 10),  # after P
    ]:
        make(session, Survey, client_id=client_id, on=on, csat=csat, nps=nps)


def _opportunities(session: Session, client_id: int) -> None:
    for stage, closed_on in [
        ("won", date(2026, 10, 1)),
        ("won", date(2026, 12, 31)),
        ("lost", date(2026, 11, 11)),
        ("won", date(2026, 9, 30)),  # before P
        ("lost", date(2027, 1, 1)),  # after P
        ("proposal", None),  # still open
    ]:
        make(session, Opportunity, client_id=client_id, stage=stage, closed_on=closed_on)


def _cases(session: Session, client_id: int) -> None:
    for due_on, resolved_on in [
        (date(2026, 11, 5), date(2026, 11, 5)),  # on time (on the deadline)
        (date(2026, 11, 5), date(2026, 11, 6)),  # late
        (date(2026, 12, 31), date(2026, 10, 1)),  # on time, resolved on P's first day
        (date(2026, 9, 1), date(2026, 9, 30)),  # resolved before P
        (date(2027, 1, 5), date(2027, 1, 1)),  # resolved after P
        (date(2026, 11, 1), None),  # unresolved
    ]:
        make(session, Case, client_id=client_id, due_on=due_on, resolved_on=resolved_on)


def _holdings(session: Session, ids: dict[str, int]) -> None:
    for who, account, as_of, value in [
        ("throughout", "Main", date(2026, 6, 30), "1000.00"),
        ("throughout", "Main", date(2026, 12, 31), "1500.00"),  # latest on or before `to`
        ("throughout", "Main", date(2027, 1, 10), "9999.00"),  # after `to`: ignored
        ("throughout", "ISA", date(2026, 11, 1), "200.25"),
        ("starts_first", "Main", date(2026, 10, 1), "300.00"),
        ("starts_first", "Main", date(2026, 12, 1), "350.00"),
        ("lead_converted", "Pension", date(2027, 1, 2), "5000.00"),  # only after `to`
        ("leaves_last", "Main", date(2026, 12, 30), "7777.00"),  # not active on `to`
        ("former", "Main", date(2026, 12, 30), "8888.00"),  # not active on `to`
    ]:
        make(session, Holding, client_id=ids[who], account=account, as_of=as_of, value=value)


def test_every_kpi_of_the_book(session: Session) -> None:
    build_book(session)
    kpis = compute_kpis(session=session, start=FROM, end=TO)
    expected = {
        "from": FROM,
        "to": TO,
        # The quarter before Q4: Q3.
        "previous_from": date(2026, 7, 1),
        "previous_to": date(2026, 9, 30),
        # Active on 09-30: throughout, leaves_first, leaves_last, leaves_after = 4
        # (starts_first, lead_old start later; former ended on 09-30).
        "clients_start": 4,
        # Still active on 12-31: throughout, leaves_after = 2.
        "retained": 2,
        "retention_rate": 100 * 2 / 4,  # 50.0
        # client_since in P: starts_first (10-01), lead_old (10-15), lead_converted (11-10).
        "new_clients": 3,
        # client_until in P: leaves_first (10-01), leaves_last (12-31).
        "lost_clients": 2,
        # 100.00 + 250.50 + 1000.00 (the former client's revenue still counts).
        "revenue": Decimal("1350.50"),
        # 60.00 (07-01) + 40.00 (09-30).
        "revenue_previous": Decimal("100.00"),
        "revenue_growth": 100 * (1350.50 - 100) / 100,  # 1250.5
        # csat of surveys in P: 4, 5, 2 → 11 / 3.
        "csat": 11 / 3,
        # nps in P: 6, 7, 9 → (1 promoter - 1 detractor) / 3 * 100 = 0.0.
        "nps": 0.0,
        # Closed in P: won 10-01, won 12-31, lost 11-11 → 2 / 3.
        "pipeline_conversion": 100 * 2 / 3,
        # Created in P and not yet clients: lead_converted, lead_later, lead_open
        # (starts_first became a client the day it was created); converted by 12-31:
        # lead_converted → 1 / 3.
        "lead_conversion": 100 * 1 / 3,
        # Resolved in P: 11-05 (due 11-05), 11-06 (due 11-05, late), 10-01 (due 12-31) → 2 / 3.
        "cases_on_time": 100 * 2 / 3,
        # Contacts in P: throughout 12-15, leaves_first 10-01 00:00, leaves_last 12-31 23:59:59,
        # starts_first 12-01, lead_converted 11-10 and 11-20, lead_open 11-06 = 7.
        "interactions": 7,
        # Distinct: throughout, leaves_first, leaves_last, starts_first, lead_converted,
        # lead_open = 6.
        "clients_contacted": 6,
        # Active on 12-31: throughout, starts_first, leaves_after, lead_converted, lead_old = 5.
        # throughout: last contact on 12-31 is 12-15 (01-05 is after, 12-30 a note): 16 < 30 ✓
        # starts_first: 12-01, exactly 30 days before, not less than 30 ✗
        # leaves_after: only a note ✗
        # lead_converted: 11-20, 41 < 90 ✓
        # lead_old: 08-01 (01-02 is after), 152 ≥ 90 ✗  → 2 / 5.
        "checkin_coverage": 100 * 2 / 5,
        # throughout: Main 1500.00 (12-31) + ISA 200.25; starts_first: Main 350.00 (12-01);
        # lead_converted has no value yet; leaves_last and former are not active on 12-31.
        "aum": Decimal("2050.25"),
        # None of the 3 new clients came through a referral.
        "referral_share": 0.0,
        # 4, 5, 2 answered csat; 6, 7, 9 answered nps.
        "csat_responses": 3,
        "nps_responses": 3,
    }
    assert kpis.keys() == expected.keys()
    for key, value in expected.items():
        assert kpis[key] == pytest.approx(value), key


def test_kpis_keep_their_types(session: Session) -> None:
    build_book(session)
    kpis = compute_kpis(session=session, start=FROM, end=TO)
    assert all(type(kpis[key]) is int for key in COUNT_KEYS)
    assert all(type(kpis[key]) is float for key in PERCENT_KEYS)
    assert all(type(kpis[key]) is Decimal for key in MONEY_KEYS)


def test_sample_sizes(session: Session) -> None:
    build_book(session)
    sizes = kpi_sample_sizes(session=session, start=FROM, end=TO)
    assert sizes == {"csat_responses": 3, "nps_responses": 3}
    assert set(SAMPLE_KEYS) == {info.sample_key for info in KPI_INFO.values() if info.sample_key}


def test_previous_period_without_revenue_has_no_growth(session: Session) -> None:
    owner = client(session, "Owner")
    make(session, Revenue, client_id=owner, on=date(2026, 11, 2), amount=Decimal("10"))
    kpis = compute_kpis(session=session, start=FROM, end=TO)
    assert kpis["revenue"] == Decimal("10.00")
    assert kpis["revenue_previous"] == Decimal("0.00")
    assert kpis["revenue_growth"] is None


def test_revenue_falling_to_nothing_is_minus_100(session: Session) -> None:
    owner = client(session, "Owner")
    make(session, Revenue, client_id=owner, on=date(2026, 9, 2), amount=Decimal("10"))
    assert compute_kpis(session=session, start=FROM, end=TO)["revenue_growth"] == -100.0


@pytest.mark.parametrize(
    ("scores", "nps"),
    [
        ([10, 9, 9, 5, 8], 100 * (3 - 1) / 5),  # 40.0
        ([0], -100.0),
        ([7, 8], 0.0),
        ([6, 7, 9], 0.0),
    ],
)
def test_nps(session: Session, scores: list[int], nps: float) -> None:
    owner = client(session, "Owner")
    for score in scores:
        make(session, Survey, client_id=owner, on=date(2026, 11, 1), nps=score, csat=None)
    kpis = compute_kpis(session=session, start=FROM, end=TO)
    assert kpis["nps"] == pytest.approx(nps)
    assert kpis["nps_responses"] == len(scores)
    assert kpis["csat"] is None


def test_an_empty_book_has_no_ratios(session: Session) -> None:
    kpis = compute_kpis(session=session, start=FROM, end=TO)
    for key in PERCENT_KEYS:
        assert kpis[key] is None, key
    for key in COUNT_KEYS:
        assert kpis[key] == 0, key
    for key in MONEY_KEYS:
        assert kpis[key] == Decimal("0.00"), key


def test_open_opportunities_and_unresolved_cases_give_no_ratio(session: Session) -> None:
    owner = client(session, "Owner")
    make(session, Opportunity, client_id=owner, stage="proposal", closed_on=date(2026, 11, 1))
    make(session, Case, client_id=owner, resolved_on=None)
    kpis = compute_kpis(session=session, start=FROM, end=TO)
    assert kpis["pipeline_conversion"] is None
    assert kpis["cases_on_time"] is None


def test_kpis_json(session: Session) -> None:
    build_book(session)
    out = kpis_json(compute_kpis(session=session, start=FROM, end=TO))
    assert list(out) == ["from", "to", "previous_from", "previous_to", *KPI_KEYS]
    assert out["from"] == "2026-10-01"
    assert out["to"] == "2026-12-31"
    assert out["revenue"] == "1350.50"
    assert out["revenue_previous"] == "100.00"
    assert out["aum"] == "2050.25"
    assert out["clients_start"] == 4
    assert out["retention_rate"] == 50.0
    assert all(type(out[key]) is int for key in COUNT_KEYS)
    assert all(type(out[key]) is float for key in PERCENT_KEYS)


def test_kpis_json_of_an_empty_book_has_nulls(session: Session) -> None:
    out = kpis_json(compute_kpis(session=session, start=FROM, end=TO))
    assert all(out[key] is None for key in PERCENT_KEYS)
    assert out["revenue"] == "0.00"


def test_targets_for_exactly_the_period(session: Session) -> None:
    make(session, Target, metric="revenue", target=Decimal("1000"))
    make(session, Target, metric="retention_rate", target=Decimal("90"))
    make(
        session,
        Target,
        metric="revenue",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        target=Decimal("300"),
    )
    assert targets_for(session=session, start=FROM, end=TO) == {
        "revenue": Decimal("1000.00"),
        "retention_rate": Decimal("90.00"),
    }
    assert targets_for(session=session, start=FROM, end=date(2026, 12, 30)) == {}


def test_kpi_info_describes_every_key() -> None:
    assert tuple(KPI_INFO) == KPI_KEYS
    for info in KPI_INFO.values():
        assert info.kind in ("count", "percent", "money", "mean", "score")
        assert info.label and info.definition.endswith(".")
    assert KPI_INFO["lost_clients"].higher_is_better is False
    assert KPI_INFO["nps"].kind == "score"  # from -100 to 100: not a percentage
    assert KPI_INFO["aum"].kind == "money"


def test_a_single_day_period(session: Session) -> None:
    build_book(session)
    kpis = compute_kpis(session=session, start=TO, end=TO)
    # On 12-31: leaves_last's meeting at 23:59:59 is the one contact; revenue 250.50;
    # the previous period is 12-30 alone, without revenue.
    assert kpis["interactions"] == 1
    assert kpis["revenue"] == Decimal("250.50")
    assert kpis["revenue_growth"] is None
    # leaves_last ends on 12-31: lost that day, and among 12-30's clients not retained.
    assert kpis["lost_clients"] == 1
    assert kpis["clients_start"] == 6
    assert kpis["retained"] == 5


def test_data_core_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['textual'] = None; "
        "import rmtui.core.kpi, rmtui.core.periods; print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


def test_a_quarter_in_progress_is_computed_to_date_against_as_many_days_before(
    session: Session,
) -> None:
    owner = client(session, "Owner")
    for on, amount in (
        (date(2026, 8, 15), "100"),  # in the first 60 days of Q3: compared
        (date(2026, 9, 15), "999"),  # later in Q3: not compared with Q4 to date
        (date(2026, 11, 2), "150"),  # Q4 to date
        (date(2026, 12, 15), "777"),  # after today: not yet counted
    ):
        make(session, Revenue, client_id=owner, on=on, amount=Decimal(amount))
    today = date(2026, 11, 29)
    kpis = compute_kpis(session=session, start=FROM, end=TO, today=today)
    assert (kpis["from"], kpis["to"]) == (FROM, today)
    assert (kpis["previous_from"], kpis["previous_to"]) == (date(2026, 7, 1), date(2026, 8, 29))
    assert kpis["revenue"] == Decimal("150.00")
    assert kpis["revenue_previous"] == Decimal("100.00")
    assert kpis["revenue_growth"] == 50.0
    # The same quarter once it has ended is whole, against the whole quarter before.
    ended = compute_kpis(session=session, start=FROM, end=TO, today=date(2027, 1, 4))
    assert (ended["to"], ended["previous_to"]) == (TO, date(2026, 9, 30))
    assert ended["revenue"] == Decimal("927.00")
    assert ended["revenue_previous"] == Decimal("1099.00")
    # A custom range: the same number of days just before it.
    custom = compute_kpis(session=session, start=date(2026, 11, 1), end=date(2026, 11, 10))
    assert (custom["previous_from"], custom["previous_to"]) == (
        date(2026, 10, 22),
        date(2026, 10, 31),
    )


def test_referral_share_is_the_part_of_new_clients_with_a_referrer(session: Session) -> None:
    referrer = make(session, Client, name="Referrer", client_since=date(2020, 1, 1))
    make(session, Client, name="Referred", client_since=FROM, referred_by_id=referrer.id)
    make(session, Client, name="Walk-in", client_since=TO)
    make(
        session,
        Client,
        name="Referred earlier",
        client_since=date(2021, 1, 1),
        referred_by_id=referrer.id,
    )
    kpis = compute_kpis(session=session, start=FROM, end=TO)
    assert (kpis["new_clients"], kpis["referral_share"]) == (2, 50.0)


class CountingConnection:
    """A DB-API connection that counts the statements run through it."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.statements = 0

    def cursor(self) -> Any:
        cursor = self.connection.cursor()
        counter = self

        class Counted:
            def execute(self, *args: Any) -> Any:
                counter.statements += 1
                return cursor.execute(*args)

            def __getattr__(self, name: str) -> Any:
                return getattr(cursor, name)

        return Counted()


def test_the_cache_keeps_what_was_read_until_the_figures_change(session: Session) -> None:
    build_book(session)
    connection = CountingConnection(of_session(session))
    cache, today = KpiCache(), date(2026, 11, 29)
    quarter = Period(FROM, TO)
    quarters = trend_periods(quarter, "quarter")
    figures = cache.kpis(connection, 7, quarter, today)
    trend = cache.trend(connection, 7, "revenue", quarters, today)
    read = connection.statements
    assert figures == compute_kpis(session=session, start=FROM, end=TO, today=today)
    assert trend == kpi_trend(session=session, key="revenue", periods=quarters, today=today)
    assert cache.kpis(connection, 7, quarter, today) == figures
    assert cache.trend(connection, 7, "revenue", quarters, today) == trend
    assert connection.statements == read  # nothing read again
    cache.kpis(connection, 8, quarter, today)  # the book changed: read afresh
    assert connection.statements > read


def test_a_trend_is_one_query_for_any_number_of_periods(session: Session) -> None:
    build_book(session)
    connection = CountingConnection(of_session(session))
    months = trend_periods(Period(FROM, TO), "month")
    values = read_trend(connection, key="retention_rate", periods=months)
    assert connection.statements == 1
    assert values == [
        compute_kpis(session=session, start=month.start, end=month.end)["retention_rate"]
        for month in months
    ]
