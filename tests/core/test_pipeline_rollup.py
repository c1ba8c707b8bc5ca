"""The deals by stage and day the triggers keep for the pipeline board and the forecast
(schema 0018), always equal to the deals summed one by one: after inserts, edits, stage moves,
a client archived and brought back, a deal moved to another client, deletes, the trash,
imports and erasure; filled afresh, and by a migration of a book that has deals."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rmtui.core.db import session_scope
from rmtui.core.interchange.book_file import import_book
from rmtui.core.models import NO_DEAL_DAY, PIPELINE_DAY, STAGES, Client, Opportunity
from rmtui.core.money import to_cents
from rmtui.core.privacy import erase_client
from rmtui.core.queries.clients import archive_client, unarchive_client
from rmtui.core.queries.common import table_of
from rmtui.core.queries.forecast import (
    count_open_deals,
    forecast_months,
    open_deals,
    parse_deal_filter,
)
from rmtui.core.queries.opportunities import (
    CLOSED_STAGES,
    move_stage,
    set_stage,
    update_opportunity,
)
from rmtui.core.queries.pipeline_stats import STAGE_PROBABILITY, stage_summaries, win_stats
from rmtui.core.queries.trash import move_to_trash, restore
from rmtui.core.rollups import refill_summaries
from tests.factories import make

CLIENT = table_of(Client)
Key = tuple[str, date, bool]
DAY = date(2026, 12, 1)


def stored(session: Session) -> dict[Key, tuple[int, int, int]]:
    rows = session.execute(select(PIPELINE_DAY)).mappings()
    return {
        (row["stage"], row["on"], bool(row["archived"])): (
            row["deals"],
            row["value"],
            row["weighted"],
        )
        for row in rows
    }


def recomputed(session: Session) -> dict[Key, tuple[int, int, int]]:
    """Each deal by stage, its day (the closing day of a won or lost one, the expected close
    day of an open one, NO_DEAL_DAY for none) and whether its client is archived."""
    archived = set(session.scalars(select(CLIENT.c.id).where(CLIENT.c.archived)))
    sums: Counter[tuple[Key, str]] = Counter()
    for deal in session.scalars(select(Opportunity)):
        day = deal.closed_on if deal.stage in CLOSED_STAGES else deal.expected_close_on
        key = (deal.stage, day or NO_DEAL_DAY, deal.client_id in archived)
        percent = deal.probability
        if percent is None:
            percent = int(STAGE_PROBABILITY[deal.stage] * 100)
        sums[key, "deals"] += 1
        sums[key, "value"] += to_cents(deal.value)
        sums[key, "weighted"] += to_cents(deal.value) * percent
    keys = {key for key, _name in sums}
    return {key: (sums[key, "deals"], sums[key, "value"], sums[key, "weighted"]) for key in keys}


def assert_kept(engine: Engine, when: str) -> None:
    with session_scope(engine) as session:
        assert stored(session) == recomputed(session), when


def some_deals(session: Session, rng: random.Random, clients: list[int], count: int) -> list[int]:
    ids = []
    for number in range(count):
        stage = rng.choice(STAGES)
        deal = make(
            session,
            Opportunity,
            client_id=rng.choice(clients),
            title=f"Deal {number}",
            stage=stage,
            value=Decimal(rng.randrange(0, 900_000_00)) / 100,
            opened_on=date(2025, 1, 1),
            expected_close_on=None if rng.random() < 0.1 else _near(rng),
            probability=None if rng.random() < 0.5 else rng.randrange(0, 101),
            closed_on=_near(rng) if stage in CLOSED_STAGES and rng.random() < 0.9 else None,
        )
        ids.append(deal.id or 0)
    return ids


def _near(rng: random.Random) -> date:
    """A day among a few, so that deals meet on the same day."""
    return date(2026, 11, 25) + timedelta(days=rng.randrange(0, 12))


def some_clients(session: Session, count: int) -> list[int]:
    return [
        make(session, Client, name=f"Client {n}", archived=n % 5 == 0).id or 0 for n in range(count)
    ]


def stage_of(session: Session, deal: int) -> str:
    found = session.get(Opportunity, deal)
    assert found is not None
    return found.stage


def test_every_change_to_a_deal_keeps_the_rollup(engine: Engine) -> None:
    rng = random.Random(18)
    with session_scope(engine) as session:
        clients = some_clients(session, 8)
        deals = some_deals(session, rng, clients, 60)
    assert_kept(engine, "the inserts")
    with session_scope(engine) as session:
        for deal in deals[:8]:
            values = {
                "value": Decimal(rng.randrange(0, 100_000)),
                "probability": rng.choice([None, 0, 35, 100]),
                "expected_close_on": rng.choice([None, _near(rng)]),
            }
            update_opportunity(session=session, opportunity_id=deal, values=values)
        update_opportunity(session=session, opportunity_id=deals[8], values={"title": "Renamed"})
        update_opportunity(session=session, opportunity_id=deals[9], values={"closed_on": DAY})
        for deal in deals[10:18]:  # on, else back when won or lost
            forward = stage_of(session, deal) not in CLOSED_STAGES
            move_stage(session=session, opportunity_id=deal, forward=forward, day=DAY)
        set_stage(session=session, opportunity_id=deals[18], stage="lost", day=DAY, lost_reason="x")
        set_stage(session=session, opportunity_id=deals[19], stage="won", day=_near(rng))
        for deal in deals[20:26]:  # to another client, archived or not
            update_opportunity(
                session=session, opportunity_id=deal, values={"client_id": rng.choice(clients)}
            )
    assert_kept(engine, "the edits and stage moves")
    with session_scope(engine) as session:
        session.delete(session.get(Opportunity, deals[30]))
        entry = move_to_trash(session=session, model=Opportunity, record_id=deals[31])
    assert_kept(engine, "the deletes")
    with session_scope(engine) as session:
        restore(session=session, entry_id=entry.id)
    assert_kept(engine, "the restore")


def test_a_client_archived_deleted_or_erased_takes_its_deals_along(engine: Engine) -> None:
    rng = random.Random(19)
    with session_scope(engine) as session:
        clients = some_clients(session, 10)
        some_deals(session, rng, clients, 80)
    with session_scope(engine) as session:
        archive_client(session=session, client_id=clients[1])
        archive_client(session=session, client_id=clients[0])  # archived already
        unarchive_client(session=session, client_id=clients[5])
    assert_kept(engine, "archiving and bringing back")
    with session_scope(engine) as session:
        unarchive_client(session=session, client_id=clients[1])
        session.delete(session.get(Client, clients[2]))
        kept = move_to_trash(session=session, model=Client, record_id=clients[3])
        archived = move_to_trash(session=session, model=Client, record_id=clients[0])
    assert_kept(engine, "deleting clients")
    with session_scope(engine) as session:
        restore(session=session, entry_id=kept.id)
        restore(session=session, entry_id=archived.id)
    assert_kept(engine, "restoring clients")
    erase_client(engine=engine, client_id=clients[4])
    erase_client(engine=engine, client_id=clients[5])
    assert_kept(engine, "the erasures")


def book_file(rng: random.Random, clients: int, among: list[int]) -> dict[str, Any]:
    new = list(range(1, clients + 1))
    return {
        "format": "rmtui-book",
        "version": 1,
        "clients": [
            {"id": n, "name": f"Imported {n}", "archived": rng.random() < 0.3} for n in new
        ],
        "opportunities": [
            {
                "client": rng.choice([*new, *among]),
                "title": "Deal",
                "opened_on": "2026-01-01",
                "stage": stage,
                "value": str(rng.randrange(0, 500_000)),
                **({"expected_close_on": _near(rng).isoformat()} if rng.random() < 0.8 else {}),
                **({"probability": rng.randrange(0, 101)} if rng.random() < 0.5 else {}),
                **({"closed_on": _near(rng).isoformat()} if stage in CLOSED_STAGES else {}),
            }
            for stage in (rng.choice(STAGES) for _ in range(50))
        ],
    }


def test_imports_keep_the_rollup(engine: Engine) -> None:
    rng = random.Random(20)
    import_book(engine=engine, data=book_file(rng, 10, []))
    assert_kept(engine, "an import into an empty book")
    with session_scope(engine) as session:
        clients = some_clients(session, 4)
        some_deals(session, rng, clients, 20)
    import_book(engine=engine, data=book_file(rng, 6, clients))
    assert_kept(engine, "an import among the book's deals")


def test_refill_puts_the_rollup_back(engine: Engine) -> None:
    rng = random.Random(21)
    with session_scope(engine) as session:
        some_deals(session, rng, some_clients(session, 6), 40)
        kept = stored(session)
        session.execute(PIPELINE_DAY.delete())
        refill_summaries(connection=session.connection())
        assert stored(session) == kept


def test_the_board_and_the_forecast_read_the_deals_sums(engine: Engine) -> None:
    """From the roll-up (no filter, stages only) as from the deals (any other filter): the
    same months, counts, pages of deals by close date and stage totals as the deals filtered
    by a value range that passes them all; the win rate of a period over every deal, those of
    archived clients too."""
    rng = random.Random(22)
    with session_scope(engine) as session:
        some_deals(session, rng, some_clients(session, 6), 80)
    with session_scope(engine) as session:
        for stages in ("", "stage:lead stage:proposal"):
            every = parse_deal_filter(f"{stages} >0".strip())
            rolled = parse_deal_filter(stages)
            assert forecast_months(session=session, day=DAY, deal_filter=rolled) == (
                forecast_months(session=session, day=DAY, deal_filter=every)
            )
            assert count_open_deals(session=session, deal_filter=rolled) == count_open_deals(
                session=session, deal_filter=every
            )
            for offset, limit in ((0, 7), (5, 20), (0, 200), (60, 30)):
                pages = [
                    open_deals(session=session, deal_filter=f, limit=limit, offset=offset)
                    for f in (rolled, every)
                ]
                assert pages[0] == pages[1], (stages, offset)
        summaries = stage_summaries(session=session, closed_since=date(2026, 11, 30))
        on_the_board = [sums for key, sums in recomputed(session).items() if not key[2]]
        assert sum(s.count + s.older for s in summaries) == sum(s[0] for s in on_the_board)
        deals = list(session.scalars(select(Opportunity)))
        for start, end in ((None, DAY), (date(2026, 11, 28), DAY), (DAY, date(2026, 12, 31))):
            closed = [
                d
                for d in deals
                if d.stage in CLOSED_STAGES
                and d.closed_on is not None
                and (start is None or d.closed_on >= start)
                and d.closed_on <= end
            ]
            won = [d for d in closed if d.stage == "won"]
            stats = win_stats(session=session, start=start, end=end)
            assert (stats.won, stats.lost, stats.won_value) == (
                len(won),
                len(closed) - len(won),
                sum((d.value for d in won), Decimal(0)),
            )
