"""A deterministic synthetic book of any size, written straight into SQLite and cached."""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

# Bump when the generated data changes, so cached books are made again.
GENERATOR_VERSION = 7
SEED = 20261129
TODAY = date(2026, 11, 29)
HISTORY_DAYS = 730
CHUNK = 50_000


def words(text: str) -> tuple[str, ...]:
    """The words of `text`, for the word lists below."""
    return tuple(text.split())


# Some names and cities with accents, which a filter finds typed without them.
FIRST_NAMES = words(
    "Ada Alan Alice Amara Anna Arjun Ben Bianca Carla Chen Chloé Daniel Dara Elena Émile Emma "
    "Erik Fatima Felix Grace Hana Hugo Ines Isaac Jack James Jana Jonas Julia Kai Karin Lars "
    "Laura Leo Lina Luca Maria Mark Marta Mateo Mia Nadia Nina Noah Olga Omar Paul Petra Priya "
    "Rosa Ruth Sam Sara Sofia Tom Ulla Vera Wim Yara Zoë Søren José Inès Björn"
)
LAST_NAMES = words(
    "Adams Berg Bianchi Brown Costa Dahl Dubois Eriksen Fischer Garcia Hansen Ito Jensen "
    "Kowalski Larsen López Marino Martin Meyer Moreau Müller Nagy Novák Olsen Patel Peeters "
    "Petrov Quinn Rossi Santos Schmidt Silva Smith Sousa Tanaka Taylor Vargas Weber Wilson "
    "Young Zimmer Andersson Baker Clarke Dijkstra Evans Ferreira Gruber Horvat Ivanova Janssen "
    "Keller Lindqvist Mendes Nowak Oliveira Popescu Richter Schulz Virtanen Krüger Łukasik Ærø"
)
COMPANIES = words(
    "Acme Atlas Beacon Birch Cobalt Delta Ember Fjord Granite Harbor Ionic Juniper Kestrel "
    "Lumen Meridian Nimbus Orbit Pioneer Quarry Summit Tidal Umber Vertex Willow"
)
COMPANY_SUFFIXES = ("Ltd", "GmbH", "SA", "BV", "Holdings", "Group", "Partners")
CITIES = words(
    "London Paris Berlin Madrid Rome Lisbon Vienna Zürich Genève München Hamburg Milan Lyon "
    "Porto Dublin Brussels Antwerp Amsterdam Rotterdam Copenhagen Oslo Stockholm Helsinki "
    "Warsaw Prague Budapest Athens Luxembourg Edinburgh Manchester Malmö Kraków Liège"
)
COUNTRIES = ("GB", "FR", "DE", "ES", "IT", "PT", "AT", "CH", "NL", "BE", "IE", "DK", "SE")
TAGS = ("vip", "golf", "family office", "retired", "tech", "newsletter", "esg", "expat")
SOURCES = ("referral", "website", "event", "cold call", "partner")
RISK_PROFILES = ("conservative", "balanced", "growth", "aggressive")
SUBJECTS = (
    "Quarterly review",
    "Portfolio update",
    "Pension question",
    "Mortgage renewal",
    "Introduction call",
    "Follow-up on proposal",
    "Account opening",
    "Insurance check",
    "Tax documents",
    "Birthday wishes",
    "Market update",
    "Complaint about fees",
)
NOTES = (
    "Discussed retirement timeline and risk appetite.",
    "Wants to move savings into a balanced fund.",
    "Asked about ESG options for the portfolio.",
    "Daughter starting university next year; education fund.",
    "Unhappy with transfer delays; escalated to operations.",
    "Interested in the new mortgage offer.",
    "Sent the signed documents by post.",
    "Prefers to be called in the morning.",
)
FOLLOW_UP_TITLES = (
    "Call back",
    "Send proposal",
    "Prepare review",
    "Check documents",
    "Chase signature",
    "Book meeting",
)
PRODUCTS = ("Pension plan", "Mortgage", "Managed portfolio", "Life insurance", "Savings account")
LOST_REASONS = ("price", "timing", "went to competitor", "no longer needed")
ACCOUNTS = ("Portfolio", "Pension")
GOALS = ("Retirement", "House deposit", "Education fund", "Emergency fund")
TARGET_METRICS = {
    "revenue": 3_000_000_00,
    "new_clients": 150_00,
    "retention_rate": 95_00,
    "nps": 40_00,
    "csat": 4_20,
    "interactions": 20_000_00,
}

STATUS_WEIGHTS = {"client": 65, "former": 8, "prospect": 12, "lead": 15}
KIND_WEIGHTS = {"person": 70, "business": 20, "corporate": 10}
TIER_WEIGHTS = {"A": 15, "B": 45, "C": 40}
OWN_REVIEW_MONTHS = 3  # every 25th client is reviewed quarterly; the rest by tier
OWN_CADENCE = 45  # every tenth client has a check-in cadence of their own; the rest by tier
CONTACT_WEIGHT = {"A": 4.0, "B": 2.0, "C": 1.0, "former": 0.5, "prospect": 1.0, "lead": 0.5}
INTERACTION_KIND_WEIGHTS = {
    "call": 30,
    "email": 30,
    "meeting": 12,
    "video": 8,
    "message": 10,
    "visit": 3,
    "note": 7,
}
STAGE_WEIGHTS = {
    "lead": 15,
    "qualified": 15,
    "proposal": 12,
    "negotiation": 8,
    "won": 30,
    "lost": 20,
}
TIMED_KINDS = frozenset({"call", "meeting", "video", "visit"})
# Per client, on average: open, done and cancelled follow-ups, opportunities, surveys and
# cases; per client with status client: financial goals; with status client or former:
# revenue rows and HOLDING_MONTHS month-end values of each of the ACCOUNTS.
OPEN_FOLLOW_UPS = 0.3
DONE_FOLLOW_UPS = 0.5
CANCELLED_FOLLOW_UPS = 0.05
OPPORTUNITIES = 0.2
SURVEYS = 0.3
CASES = 0.1
GOALS_PER_CLIENT = 0.3
REVENUE_ROWS = 6
HOLDING_MONTHS = 12

Row = tuple[Any, ...]


@dataclass(frozen=True)
class BookSize:
    """How big a synthetic book is: clients and interactions."""

    clients: int
    interactions: int

    @property
    def label(self) -> str:
        """A short name such as `100000c-1000000i`."""
        return f"{self.clients}c-{self.interactions}i"


@dataclass
class ClientFacts:
    """What later tables need to know about each generated client (index = id - 1)."""

    status: list[str] = field(default_factory=list)
    tier: list[str] = field(default_factory=list)
    since: list[date | None] = field(default_factory=list)
    until: list[date | None] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)

    def ids_with_status(self, *statuses: str) -> list[int]:
        """The ids of the clients whose status is one of `statuses`."""
        wanted = set(statuses)
        return [index + 1 for index, status in enumerate(self.status) if status in wanted]


@dataclass
class Generated:
    """A generated book: its path, rows per table and how long it took."""

    path: Path
    counts: dict[str, int]
    seconds: float


def book_file_name(size: BookSize, *, seed: int = SEED) -> str:
    """The cache file name for a book of `size`, keyed by generator and schema version."""
    from rmtui.core.storage import SCHEMA_HEAD

    return f"book-{size.label}-s{seed}-g{GENERATOR_VERSION}-schema{SCHEMA_HEAD}.db"


def cached_book(size: BookSize, *, cache_dir: Path, seed: int = SEED) -> Path:
    """The synthetic book of `size` in `cache_dir`, generated on first use."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / book_file_name(size, seed=seed)
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        generate_book(partial, size, seed=seed)
        partial.replace(path)
    return path


def generate_book(path: Path, size: BookSize, *, seed: int = SEED) -> Generated:
    """Write a fresh rmtui book of `size` at `path` (replacing any file there)."""
    from rmtui.core.db import open_book

    started = time.perf_counter()
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    open_book(path).dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        counts = _fill(conn, size, random.Random(seed))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return Generated(path, counts, time.perf_counter() - started)


def _fill(conn: sqlite3.Connection, size: BookSize, rng: random.Random) -> dict[str, int]:
    """Insert every table's rows in one transaction, the triggers set aside meanwhile."""
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("BEGIN")
    triggers = _set_aside(conn, "trigger")
    indexes = _set_aside(conn, "index")
    facts = ClientFacts()
    counts = {"client": insert_rows(conn, "client", CLIENT_COLUMNS, client_rows(rng, size, facts))}
    last_interaction = [0] * (size.clients + 1)
    interactions = interaction_rows(rng, size, facts, last_interaction)
    counts["interaction"] = insert_rows(conn, "interaction", INTERACTION_COLUMNS, interactions)
    for table, columns, rows in _other_tables(rng, facts, last_interaction):
        counts[table] = insert_rows(conn, table, columns, rows)
    _run_all(conn, indexes)
    set_last_contacts(conn)
    set_last_reviews(conn)
    keep_public_holidays(conn)
    fill_summaries(conn)
    fill_households_and_people(conn)
    _run_all(conn, triggers)
    conn.execute("COMMIT")
    return counts


def _other_tables(
    rng: random.Random, facts: ClientFacts, last_interaction: list[int]
) -> Iterator[tuple[str, Sequence[str], Iterable[Row]]]:
    yield (
        "follow_up",
        FOLLOW_UP_COLUMNS,
        map(as_stored, follow_up_rows(rng, facts, last_interaction)),
    )
    yield "opportunity", OPPORTUNITY_COLUMNS, map(as_stored, opportunity_rows(rng, facts))
    yield "revenue", REVENUE_COLUMNS, map(as_stored, revenue_rows(rng, facts))
    yield "holding", HOLDING_COLUMNS, holding_rows(rng, facts)
    yield "financial_goal", GOAL_COLUMNS, map(as_stored, goal_rows(rng, facts))
    yield "survey", SURVEY_COLUMNS, map(as_stored, survey_rows(rng, facts))
    yield "case", CASE_COLUMNS, map(as_stored, case_rows(rng, facts))
    yield "target", TARGET_COLUMNS, map(as_stored, target_rows())
    households: list[Row] = []
    yield "household_member", MEMBER_COLUMNS, household_member_rows(rng, facts, households)
    yield "household", HOUSEHOLD_COLUMNS, households
    yield "contact_person", PERSON_COLUMNS, contact_person_rows(rng, facts)


def _set_aside(conn: sqlite3.Connection, kind: str) -> list[str]:
    """Drop the schema's triggers or explicit indexes for the bulk insert; their SQL.

    Rows are faster to insert without them; the indexes are built once afterwards and the
    last-contact triggers' work is done by one UPDATE (`set_last_contacts`).
    """
    from rmtui.core.book_copy import set_aside

    return set_aside(conn, kind)


def _run_all(conn: sqlite3.Connection, statements: list[str]) -> None:
    for sql in statements:
        conn.execute(sql)


def fill_summaries(conn: sqlite3.Connection) -> None:
    """Fill what the triggers keep from the rows, as the migrations do: holding.superseded_on
    (schema 0002, whose roll-ups 0017 made again), the clients' contact points (schema 0007),
    the clients counted (schema 0016), the KPI roll-ups by day and owner (schema 0017), the
    deals by stage and day of the pipeline (schema 0018)."""
    superseded_on = _migration("0002").FILL[:1]
    for statement in (
        *superseded_on,
        *_migration("0007").FILL,
        *_migration("0016").FILL,
        *_migration("0017").FILL,
        *_migration("0018").FILL,
    ):
        conn.execute(statement)


def fill_households_and_people(conn: sqlite3.Connection) -> None:
    """What the triggers of schemas 0008 and 0009 keep: the households' shared contact, the
    clients' search text (over their contact points and people) and its index (when the book
    has it)."""
    from rmtui.core.interchange.bulk_load import SHARED_CONTACT

    for statement in SHARED_CONTACT.statements:
        conn.execute(statement.format(rows="household_member"))
    search = _migration("0009")
    for statement in search.FILL:
        conn.execute(statement)
    if _has_table(conn, "client_search"):  # an SQLite with the trigram tokenizer
        for statement in search.FILL_INDEX:
            conn.execute(statement)


def _migration(revision: str) -> Any:
    """The migration module of `revision`, loaded from its file."""
    import importlib.util

    folder = Path(__file__).resolve().parent.parent / "rmtui" / "core" / "migrations" / "versions"
    (path,) = folder.glob(f"{revision}_*.py")
    spec = importlib.util.spec_from_file_location(f"rmtui_migration_{revision}", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return found.fetchone() is not None


def set_last_contacts(conn: sqlite3.Connection) -> None:
    """Set every client's last contact as the triggers would have: the latest non-note day."""
    conn.execute(
        """
        UPDATE client SET last_contact_on = (
            SELECT date(max(at)) FROM interaction
            WHERE client_id = client.id AND kind != 'note'
        )
        """
    )


def set_last_reviews(conn: sqlite3.Connection) -> None:
    """Set every client's last meeting and last review as the triggers would have (schema
    0011)."""
    from rmtui.core.rules import MEETING_KINDS

    kinds = ", ".join(f"'{kind}'" for kind in MEETING_KINDS)
    for column, condition in (
        ("last_meeting_on", f"kind IN ({kinds})"),
        ("last_review_on", "review"),
    ):
        conn.execute(
            f"""
            UPDATE client SET {column} = (
                SELECT date(max(at)) FROM interaction WHERE client_id = client.id AND {condition}
            )
            """
        )


def keep_public_holidays(conn: sqlite3.Connection) -> None:
    """The Dutch public holidays of the history and the year ahead, as opening the book's
    business-day cases in the app would have copied them in."""
    from rmtui.core.public_holidays import package_holidays

    years = range(days_ago(HISTORY_DAYS).year, TODAY.year + 2)
    rows = [("NL", day.isoformat(), name) for day, name in package_holidays("NL", years).items()]
    conn.executemany('INSERT INTO public_holiday (country, "on", name) VALUES (?, ?, ?)', rows)


def insert_rows(
    conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Row]
) -> int:
    """Insert `rows` into `table` in chunks; how many there were."""
    names = ", ".join(f'"{column}"' for column in columns)
    marks = ", ".join("?" for _ in columns)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
    total = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        conn.executemany(sql, chunk)
        total += len(chunk)
    return total


# Helpers for values as SQLAlchemy stores them in SQLite.


def day_text(day: date | None) -> str | None:
    """A date as stored by SQLAlchemy's Date on SQLite (ISO)."""
    return None if day is None else day.isoformat()


def days_ago(days: int) -> date:
    """The day `days` before TODAY."""
    return TODAY - timedelta(days=days)


def pick(rng: random.Random, weights: dict[str, int] | dict[str, float], k: int) -> list[str]:
    """`k` keys of `weights` drawn with their weights."""
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def how_many(rng: random.Random, mean: float) -> int:
    """A small count whose average is `mean` (whole part plus a chance of one more)."""
    whole = int(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


def random_day(rng: random.Random, first: date, last: date) -> date:
    """A day between `first` and `last` (both included); `first` if the range is empty."""
    span = (last - first).days
    return first if span <= 0 else first + timedelta(days=rng.randint(0, span))


# Clients.

CLIENT_COLUMNS = (
    "id",
    "name",
    "kind",
    "status",
    "tier",
    "email",
    "phone",
    "company",
    "city",
    "country",
    "birthday",
    "preferred_channel",
    "checkin_every_days",
    "source",
    "referred_by_id",
    "tags",
    "risk_profile",
    "notes",
    "created_on",
    "client_since",
    "client_until",
    "archived",
    "review_every_months",
)


def client_rows(rng: random.Random, size: BookSize, facts: ClientFacts) -> Iterator[Row]:
    """The clients, ids 1..n, recording their facts for the later tables."""
    n = size.clients
    kinds = pick(rng, KIND_WEIGHTS, n)
    statuses = pick(rng, STATUS_WEIGHTS, n)
    tiers = pick(rng, TIER_WEIGHTS, n)
    for index in range(n):
        row = client_row(rng, index + 1, kinds[index], statuses[index], tiers[index])
        facts.status.append(statuses[index])
        facts.kind.append(kinds[index])
        facts.tier.append(tiers[index])
        facts.since.append(row[19])
        facts.until.append(row[20])
        yield row[:18] + tuple(day_text(day) for day in row[18:21]) + row[21:]


def client_row(rng: random.Random, client_id: int, kind: str, status: str, tier: str) -> Row:
    """One client; dates still as `date` (created_on, client_since, client_until)."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    company = f"{rng.choice(COMPANIES)} {rng.choice(COMPANY_SUFFIXES)}"
    name = f"{first} {last}" if kind == "person" else company
    created, since, until = client_dates(rng, status)
    referred = rng.randint(1, client_id - 1) if client_id > 1 and rng.random() < 0.1 else None
    birthday = random_day(rng, date(1940, 1, 1), date(2002, 12, 31)) if kind == "person" else None
    return (
        client_id,
        name,
        kind,
        status,
        tier,
        f"{first}.{last}.{client_id}@example.com".lower(),
        phone_number(subscriber_number(client_id), client_id),
        company if kind != "person" or rng.random() < 0.3 else None,
        rng.choice(CITIES),
        rng.choice(COUNTRIES),
        day_text(birthday),
        rng.choice(("phone", "phone", "email", "meeting", "video", "message")),
        OWN_CADENCE if client_id % 10 == 0 else None,
        rng.choice(SOURCES),
        referred,
        json.dumps(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2)))),
        rng.choice(RISK_PROFILES) if status in ("client", "former") else None,
        rng.choice(NOTES) if rng.random() < 0.1 else None,
        created,
        since,
        until,
        1 if status == "former" and rng.random() < 0.3 else 0,
        OWN_REVIEW_MONTHS if client_id % 25 == 0 else None,
    )


# Subscriber numbers of 8 digits, spread over all of them: the n-th is n times a number prime
# to their count, so no two of the first SUBSCRIBERS are the same. Clients have the first
# CLIENT_PHONES, contact persons the others.
SUBSCRIBERS = 90_000_000
SPREAD = 48_271_091
CLIENT_PHONES = 10_000_000


def subscriber_number(n: int) -> str:
    """The `n`-th subscriber number, 8 digits, the first not 0."""
    return f"{10_000_000 + n * SPREAD % SUBSCRIBERS}"


def phone_number(subscriber: str, notation: int) -> str:
    """A London number (020 and 8 digits) written internationally, nationally or with the
    international prefix and the trunk 0 both, by `notation` (any whole number)."""
    forms = (
        f"+44 20 {subscriber[:4]} {subscriber[4:]}",
        f"020 {subscriber[:4]} {subscriber[4:]}",
        f"0044 (0)20 {subscriber}",
    )
    return forms[notation % len(forms)]


def client_dates(rng: random.Random, status: str) -> tuple[date, date | None, date | None]:
    """created_on, client_since and client_until for a client of `status`."""
    if status in ("lead", "prospect"):
        return random_day(rng, days_ago(HISTORY_DAYS), TODAY), None, None
    created = random_day(rng, days_ago(8 * 365), days_ago(30))
    since = min(created + timedelta(days=rng.choice((0, 0, 14, 45, 120))), TODAY)
    if status == "client":
        return created, since, None
    until = random_day(rng, max(since + timedelta(days=1), days_ago(HISTORY_DAYS)), TODAY)
    return created, since, until


# Interactions.

INTERACTION_COLUMNS = (
    "id",
    "client_id",
    "at",
    "kind",
    "direction",
    "subject",
    "notes",
    "duration_min",
    "review",
)


def contact_weights(facts: ClientFacts) -> list[float]:
    """How often each client is in touch: by tier for clients, by status otherwise."""
    return [
        CONTACT_WEIGHT[tier if status == "client" else status]
        for status, tier in zip(facts.status, facts.tier, strict=True)
    ]


def interaction_rows(
    rng: random.Random, size: BookSize, facts: ClientFacts, last_interaction: list[int]
) -> Iterator[Row]:
    """Interactions in time order over the history, ids rising with time."""
    client_ids = range(1, size.clients + 1)
    cumulative = list(accumulate(contact_weights(facts)))
    days = [day_text(days_ago(HISTORY_DAYS - offset)) for offset in range(HISTORY_DAYS + 1)]
    clock = [f"{8 + minute // 60:02d}:{minute % 60:02d}:00.000000" for minute in range(600)]
    total = size.interactions
    for start in range(0, total, CHUNK):
        k = min(CHUNK, total - start)
        clients = rng.choices(client_ids, cum_weights=cumulative, k=k)
        kinds = pick(rng, INTERACTION_KIND_WEIGHTS, k)
        minutes = rng.choices(range(600), k=k)
        for offset in range(k):
            number = start + offset + 1
            client, kind = clients[offset], kinds[offset]
            last_interaction[client] = number
            at = f"{days[(number - 1) * HISTORY_DAYS // total + 1]} {clock[minutes[offset]]}"
            yield interaction_row(rng, number, client, at, kind)


def interaction_row(rng: random.Random, number: int, client: int, at: str, kind: str) -> Row:
    """One interaction (`at` already in SQLAlchemy's DateTime text)."""
    return (
        number,
        client,
        at,
        kind,
        "in" if rng.random() < 0.4 else "out",
        SUBJECTS[number % len(SUBJECTS)],
        NOTES[number % len(NOTES)] if rng.random() < 0.4 else None,
        rng.choice((5, 10, 15, 30, 45, 60)) if kind in TIMED_KINDS else None,
        1 if kind == "meeting" and number % 3 == 0 else 0,  # a meeting logged as a review
    )


# Follow-ups, opportunities, revenue, holdings, goals, surveys, cases, targets.

FOLLOW_UP_COLUMNS = (
    "client_id",
    "title",
    "due_on",
    "status",
    "done_on",
    "priority",
    "interaction_id",
    "due_at",
    "notes",
    "repeat",
)


def follow_up_rows(
    rng: random.Random, facts: ClientFacts, last_interaction: list[int]
) -> Iterator[Row]:
    """Open follow-ups around today, done and cancelled ones in the past, a few without client."""
    for client_id, status in enumerate(facts.status, start=1):
        if status == "former":
            continue
        for _ in range(how_many(rng, OPEN_FOLLOW_UPS)):
            due = TODAY + timedelta(days=rng.randint(-45, 30))
            title, priority = rng.choice(FOLLOW_UP_TITLES), _priority(rng)
            yield (client_id, title, due, "open", None, priority, None, *_planned(client_id))
        for _ in range(how_many(rng, DONE_FOLLOW_UPS + CANCELLED_FOLLOW_UPS)):
            yield _closed_follow_up(rng, client_id, last_interaction[client_id])
    for _ in range(max(1, len(facts.status) // 100)):
        due = TODAY + timedelta(days=rng.randint(-10, 10))
        yield (
            None,
            "Admin: expenses",
            due,
            "open",
            None,
            "normal",
            None,
            "08:30:00.000000",
            None,
            "every week",
        )


def _priority(rng: random.Random) -> str:
    return "high" if rng.random() < 0.2 else "normal"


def _closed_follow_up(rng: random.Random, client_id: int, interaction_id: int) -> Row:
    due = random_day(rng, days_ago(HISTORY_DAYS), days_ago(1))
    cancelled = rng.random() < CANCELLED_FOLLOW_UPS / (DONE_FOLLOW_UPS + CANCELLED_FOLLOW_UPS)
    done_on = None if cancelled else min(due + timedelta(days=rng.randint(-3, 5)), TODAY)
    source = interaction_id if interaction_id and rng.random() < 0.5 else None
    title = rng.choice(FOLLOW_UP_TITLES)
    status = "cancelled" if cancelled else "done"
    return (client_id, title, due, status, done_on, _priority(rng), source, None, None, None)


def _planned(client_id: int) -> tuple[str | None, str | None, str | None]:
    """An open follow-up's time of day, notes and repeat: one in ten repeats monthly."""
    if client_id % 10 == 3:
        return "09:30:00.000000", "Go through the month's statement.", "every month"
    return ("14:00:00.000000" if client_id % 4 == 0 else None), None, None


OPPORTUNITY_COLUMNS = (
    "client_id",
    "title",
    "product",
    "stage",
    "value",
    "opened_on",
    "closed_on",
    "lost_reason",
    "expected_close_on",
    "probability",
)


def opportunity_rows(rng: random.Random, facts: ClientFacts) -> Iterator[Row]:
    """Opportunities in every stage; won and lost ones closed within the history."""
    for client_id in range(1, len(facts.status) + 1):
        for _ in range(how_many(rng, OPPORTUNITIES)):
            stage = pick(rng, STAGE_WEIGHTS, 1)[0]
            opened = random_day(rng, days_ago(HISTORY_DAYS), TODAY)
            closed = None
            if stage in ("won", "lost"):
                closed = min(opened + timedelta(days=rng.randint(10, 180)), TODAY)
            product = rng.choice(PRODUCTS)
            value = rng.randint(1_000, 500_000) * 100
            lost = rng.choice(LOST_REASONS) if stage == "lost" else None
            # Open deals close 0 to 179 days after they opened (some of them past by now),
            # one in four with a probability of its own.
            close = None if closed else opened + timedelta(days=value // 100 % 180)
            chance = (value // 100 % 10) * 10 if closed is None and client_id % 4 == 0 else None
            yield (
                client_id,
                f"{product} for client {client_id}",
                product,
                stage,
                value,
                opened,
                closed,
                lost,
                close,
                chance,
            )


REVENUE_COLUMNS = ("client_id", "on", "amount", "kind", "description")


def revenue_rows(rng: random.Random, facts: ClientFacts) -> Iterator[Row]:
    """About REVENUE_ROWS fees, commissions and interest per client, within their relationship."""
    first_day = days_ago(HISTORY_DAYS)
    for client_id in facts.ids_with_status("client", "former"):
        since, until = facts.since[client_id - 1], facts.until[client_id - 1]
        first = max(since or first_day, first_day)
        last = min(until or TODAY, TODAY)
        for _ in range(how_many(rng, REVENUE_ROWS)):
            kind = rng.choice(("fee", "fee", "commission", "interest", "other"))
            cents = rng.randint(5_000, 500_000)
            yield (client_id, random_day(rng, first, last), cents, kind, None)


HOLDING_COLUMNS = ("client_id", "account", "as_of", "value")


def month_ends(count: int) -> list[date]:
    """The last days of the `count` whole months before TODAY's month, oldest first."""
    ends: list[date] = []
    day = TODAY.replace(day=1) - timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return ends[::-1]


def holding_rows(rng: random.Random, facts: ClientFacts) -> Iterator[Row]:
    """Two accounts per client (status client or former), a value at each month end."""
    ends = [day_text(day) for day in month_ends(HOLDING_MONTHS)]
    for client_id in facts.ids_with_status("client", "former"):
        for account in ACCOUNTS:
            cents = rng.randint(10_000, 2_000_000) * 100
            for as_of in ends:
                cents = int(cents * (1 + rng.uniform(-0.03, 0.035)))
                yield (client_id, account, as_of, cents)


GOAL_COLUMNS = ("client_id", "title", "target_amount", "target_date", "current_amount")


def goal_rows(rng: random.Random, facts: ClientFacts) -> Iterator[Row]:
    """Financial goals for some clients."""
    for client_id in facts.ids_with_status("client"):
        for _ in range(how_many(rng, GOALS_PER_CLIENT)):
            target = rng.randint(10_000, 1_000_000) * 100
            when = TODAY + timedelta(days=rng.randint(180, 20 * 365))
            yield (client_id, rng.choice(GOALS), target, when, int(target * rng.random()))


SURVEY_COLUMNS = ("client_id", "on", "csat", "nps", "comment")


def survey_rows(rng: random.Random, facts: ClientFacts) -> Iterator[Row]:
    """Satisfaction surveys over the history, mostly happy, some answers missing."""
    for client_id in range(1, len(facts.status) + 1):
        for _ in range(how_many(rng, SURVEYS)):
            on = random_day(rng, days_ago(HISTORY_DAYS), TODAY)
            csat = None if rng.random() < 0.1 else rng.choice((1, 2, 3, 4, 4, 5, 5, 5))
            nps = None if rng.random() < 0.2 else rng.choice((3, 5, 6, 7, 8, 8, 9, 9, 10, 10))
            yield (client_id, on, csat, nps, None)


CASE_COLUMNS = (
    "client_id",
    "kind",
    "subject",
    "opened_on",
    "due_on",
    "resolved_on",
    "resolution",
    "clock",
    "business_days",
)


def case_rows(rng: random.Random, facts: ClientFacts) -> Iterator[Row]:
    """Requests and complaints: most resolved, some open near or past their deadline."""
    for client_id in range(1, len(facts.status) + 1):
        for _ in range(how_many(rng, CASES)):
            kind = "complaint" if rng.random() < 0.3 else "request"
            opened = random_day(rng, days_ago(HISTORY_DAYS), TODAY)
            due = opened + timedelta(days=rng.randint(10, 30))
            resolved = opened + timedelta(days=rng.randint(1, 25))
            # Half the complaints run on a payment complaint's business-day clock.
            clock = ("payment", 1) if kind == "complaint" and client_id % 2 == 0 else (None, 0)
            if resolved > TODAY or rng.random() < 0.05:
                yield (client_id, kind, "Open case", opened, due, None, None, *clock)
            else:
                yield (client_id, kind, "Closed case", opened, due, resolved, "Sorted out", *clock)


TARGET_COLUMNS = ("metric", "period_start", "period_end", "target")


def quarters() -> list[tuple[date, date]]:
    """The quarters from two years before TODAY up to the one after TODAY's."""
    found = []
    for year in range(TODAY.year - 2, TODAY.year + 2):
        for first_month in (1, 4, 7, 10):
            start = date(year, first_month, 1)
            end = _quarter_end(start)
            if days_ago(HISTORY_DAYS) <= end and start <= TODAY + timedelta(days=92):
                found.append((start, end))
    return found


def _quarter_end(start: date) -> date:
    month = start.month + 3
    following = date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    return following - timedelta(days=1)


def target_rows() -> Iterator[Row]:
    """Targets for each quarter and each year of the history."""
    periods = quarters()
    periods += [(date(year, 1, 1), date(year, 12, 31)) for year in (2025, 2026)]
    for start, end in periods:
        for metric, cents in TARGET_METRICS.items():
            yield (metric, start, end, cents)


# Households and contact persons.

HOUSEHOLD_COLUMNS = ("id", "name", "shared_checkin")
MEMBER_COLUMNS = ("household_id", "client_id", "role")
PERSON_COLUMNS = ("client_id", "name", "role", "email", "phone", "decision_maker", "notes")
IN_A_HOUSEHOLD = 0.5  # the share of persons who start a household of 1-5 members
SHARED_CHECKINS = 0.8  # the share of households where a check-in counts for every member
MEMBER_ROLES = ("head", "partner", "child", "child", "dependent")
PERSON_ROLES = ("CEO", "CFO", "Treasurer", "Owner", "Controller", "Head of HR", "Assistant")
MOST_PEOPLE = 8  # contact persons per business or corporate client: 0 to this many


def household_member_rows(
    rng: random.Random, facts: ClientFacts, households: list[Row]
) -> Iterator[Row]:
    """Runs of 1-5 consecutive persons as households (each appended to `households`)."""
    persons = [index + 1 for index, kind in enumerate(facts.kind) if kind == "person"]
    position = 0
    while position < len(persons):
        if rng.random() >= IN_A_HOUSEHOLD:
            position += 1
            continue
        members = persons[position : position + rng.randint(1, 5)]
        position += len(members)
        household_id = len(households) + 1
        households.append(
            (household_id, f"Household {household_id}", rng.random() < SHARED_CHECKINS)
        )
        for role, client_id in zip(MEMBER_ROLES, members, strict=False):
            yield (household_id, client_id, role)


def contact_person_rows(rng: random.Random, facts: ClientFacts) -> Iterator[Row]:
    """0-8 people at each business or corporate client."""
    for index, kind in enumerate(facts.kind):
        if kind == "person":
            continue
        for number in range(rng.randint(0, MOST_PEOPLE)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            yield (
                index + 1,
                f"{first} {last}",
                rng.choice(PERSON_ROLES),
                f"{first}.{last}.{index + 1}.{number}@example.com".lower(),
                phone_number(subscriber_number(CLIENT_PHONES + (index + 1) * 10 + number), number),
                number == 0,
                None,
            )


def as_stored(row: Row) -> Row:
    """`row` with any `date` values written as SQLAlchemy stores them."""
    return tuple(day_text(value) if isinstance(value, date) else value for value in row)
