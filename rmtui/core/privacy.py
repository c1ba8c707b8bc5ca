"""GDPR access and erasure: everything about one client exported whole, or erased whole."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, Table, cast, delete, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from rmtui.core.audit import jsonable, record
from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.interchange.schema import record_of
from rmtui.core.interchange.table_rows import audit_table, entity_table
from rmtui.core.private_files import write_private_text
from rmtui.core.progress import Progress, untold
from rmtui.core.queries.common import LIKE_ESCAPE, like_escaped
from rmtui.core.queries.trash import client_in_trash, forget_client, restore
from rmtui.core.translation import N_, _
from rmtui.core.wording import counts_text

DOSSIER_FORMAT = "rmtui-client-dossier"
DOSSIER_VERSION = 1
# The entities that belong to one client, in the order a dossier lists them.
CLIENT_ENTITIES = (
    "contact_points",
    "contact_persons",
    "household_members",  # their place in a household; the household stays for the others
    "interactions",
    "follow_ups",
    "opportunities",
    "revenue",
    "holdings",
    "financial_goals",
    "surveys",
    "cases",
)
# Text columns searched for mentions of an erased client in other people's records.
TEXT_COLUMNS = {
    "clients": ("name", "email", "company", "notes", "source"),
    "interactions": ("subject", "notes"),
    "follow_ups": ("title",),
    "opportunities": ("title", "lost_reason"),
    "revenue": ("description",),
    "financial_goals": ("title",),
    "surveys": ("comment",),
    "cases": ("subject", "resolution"),
}
MENTIONS_LISTED = 50
# The trigram search index (migration 0009), which keeps erased text until merged.
SEARCH_INDEX = "client_search"


@dataclass
class ErasureReport:
    """What erasing a client removed, what it kept anonymously and what still needs a look."""

    client_id: int
    erased: dict[str, int] = field(default_factory=dict)
    referrals_cleared: int = 0
    kept: dict[str, int] = field(default_factory=dict)
    mentions: dict[str, list[int]] = field(default_factory=dict)
    backups: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """One sentence saying what was erased."""
        counted = counts_text({name: count for name, count in self.erased.items() if count})
        erased = counted or _("no other records")
        return _("Client {id} was erased ({erased}).").format(id=self.client_id, erased=erased)


def client_dossier(*, session: Session, client_id: int) -> dict[str, Any]:
    """Everything the book holds about one client, as interchange records (GDPR access)."""
    client = _client_row(session.connection(), client_id)
    dossier: dict[str, Any] = {
        "format": DOSSIER_FORMAT,
        "version": DOSSIER_VERSION,
        "exported_at": jsonable(datetime.now().replace(microsecond=0)),
        "client": record_of("clients", client),
    }
    for entity in CLIENT_ENTITIES:
        dossier[entity] = _records_of(session.connection(), entity, client_id)
    dossier["audit"] = _audit_records(session.connection(), client)
    return dossier


def write_client_dossier(path: Path, *, engine: Engine, client_id: int) -> Path:
    """Write one client's dossier as JSON to `path`, readable by the user alone; the path."""
    path = Path(path)
    with session_scope(engine) as session:
        dossier = client_dossier(session=session, client_id=client_id)
    write_private_text(path, json.dumps(dossier, indent=2, ensure_ascii=False) + "\n")
    return path


# The table of the clients' search text (migration 0009), rewritten first on a server.
SEARCH_TEXT_TABLE = "client_search_text"
# A server book's other tables, to be rewritten after it.
OTHER_TABLES_SQL = """SELECT relname FROM pg_class
    WHERE relkind = 'r' AND relnamespace = CAST(current_schema() AS regnamespace)
      AND relname <> ? ORDER BY relname"""
ERASE_STEPS = (
    N_("erasing the client's records"),
    N_("clearing the search index"),
    N_("rewriting the file"),
)


def erase_client(*, engine: Engine, client_id: int, progress: Progress = untold) -> ErasureReport:
    """Remove a client and every record about them, then scrub the file (GDPR erasure).

    Revenue, survey scores, closed opportunities, resolved cases and the client's dates are kept
    only as counts and anonymous figures in one audit entry; nothing names the client any more.
    `progress` is told each of the ERASE_STEPS.
    """
    report = ErasureReport(client_id=client_id)
    progress(_(ERASE_STEPS[0]), 0, len(ERASE_STEPS))
    with session_scope(engine, bulk=True) as session:
        client_id = _out_of_trash(session, client_id)
        in_trash = forget_client(session=session, client_id=client_id)
        _erase_from_book(session, client_id, report)
        if in_trash:
            report.erased["trash entries"] = in_trash
    return _scrubbed(engine, report, progress)


def _out_of_trash(session: Session, client_id: int) -> int:
    """Bring a deleted client back from the trash to be erased like any other (their id)."""
    entry = client_in_trash(session=session, client_id=client_id)
    if entry is None:
        return client_id
    return restore(session=session, entry_id=entry).entity_id


def _erase_from_book(session: Session, client_id: int, report: ErasureReport) -> None:
    connection = session.connection()
    client = _client_row(connection, client_id)
    client["former"] = _former_names(connection, client)
    kept = _anonymous_history(connection, client)
    newest_entry = _newest_audit_id(connection)
    report.referrals_cleared = _clear_referrals(connection, client_id)
    report.erased = _delete_everything(connection, client)
    report.kept = {name: len(rows) for name, rows in kept.items() if isinstance(rows, list)}
    record(
        session,
        entity="client",
        action="erase",
        changes=_erase_note(report, kept),
        entry_id=newest_entry + 1,  # audit ids only grow, even when the newest are erased
    )
    report.mentions = _mentions(connection, client)


def _scrubbed(engine: Engine, report: ErasureReport, progress: Progress) -> ErasureReport:
    scrub_book(engine, progress=progress)
    report.backups = _backups_of(engine)
    return report


def scrub_book(engine: Engine, *, progress: Progress = untold) -> None:
    """Rewrite the book file so that deleted data is gone from it and from its -wal file;
    `progress` is told the last two of the ERASE_STEPS."""
    steps = len(ERASE_STEPS)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if connection.dialect.name == "postgresql":
            # A server rewrites its tables without the deleted rows (VACUUM FULL), the search
            # text and its trigram indexes first; its write-ahead log and its backups are the
            # server's to keep or let go.
            progress(_(ERASE_STEPS[1]), 1, steps)
            connection.exec_driver_sql(f"VACUUM (FULL) {SEARCH_TEXT_TABLE}")
            progress(_(ERASE_STEPS[2]), 2, steps)
            others = connection.exec_driver_sql(OTHER_TABLES_SQL, (SEARCH_TEXT_TABLE,))
            connection.exec_driver_sql(
                "VACUUM (FULL) " + ", ".join(f'"{name}"' for (name,) in others)
            )
            progress(_("erased"), steps, steps)
            return
        progress(_(ERASE_STEPS[1]), 1, steps)
        _merge_search_index(connection)
        _checkpoint(connection)
        progress(_(ERASE_STEPS[2]), 2, steps)
        connection.exec_driver_sql("VACUUM")
        _checkpoint(connection)
    progress(_("erased"), steps, steps)


def _merge_search_index(connection: Connection) -> None:
    """Merge the search index into one segment: the entries of deleted clients, contact
    points and contact persons, kept until then beside markers that they were deleted, are
    dropped."""
    found = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SEARCH_INDEX,)
    ).first()
    if found is not None:
        connection.exec_driver_sql(
            f"INSERT INTO {SEARCH_INDEX} ({SEARCH_INDEX}) VALUES ('optimize')"
        )


def _checkpoint(connection: Connection) -> None:
    busy, _log, _done = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        raise BookError(
            _(
                "the client was erased, but another program still has the book"
                " open, so traces remain in the file; close it and run the erase"
                " again."
            )
        )


def _newest_audit_id(connection: Connection) -> int:
    from rmtui.core.changes import change_mark

    return change_mark(connection)


def _former_names(connection: Connection, client: dict[str, Any]) -> list[str]:
    """Every name and e-mail address the client had before, from the audit trail."""
    audit = audit_table()
    query = select(audit.c.changes).where(
        audit.c.entity == "client", audit.c.entity_id == client["id"]
    )
    former: dict[str, None] = {}
    for changes in connection.execute(query).scalars():
        for column in ("name", "email"):
            for value in (changes or {}).get(column) or ():
                if isinstance(value, str) and value and value != client[column]:
                    former[value] = None
    return list(former)


def _identities(client: dict[str, Any]) -> list[str]:
    """The client's name and e-mail address, now and before: what names them in a text."""
    values = [client["name"], client["email"], *client.get("former", ())]
    return list(dict.fromkeys(value for value in values if value))


def _client_row(connection: Connection, client_id: int) -> dict[str, Any]:
    table = entity_table("clients")
    row = connection.execute(select(table).where(table.c.id == client_id)).mappings().first()
    if row is None:
        raise BookError(
            _("there is no client with id {client_id}; check the number.").format(
                client_id=client_id
            )
        )
    return dict(row)


def _records_of(connection: Connection, entity: str, client_id: int) -> list[dict[str, Any]]:
    table = entity_table(entity)
    query = select(table).where(table.c.client_id == client_id).order_by(table.c.id)
    return [record_of(entity, row) for row in connection.execute(query).mappings()]


def _audit_about(client: dict[str, Any]) -> Any:
    """The audit entries about a client: theirs, or naming them or their e-mail exactly."""
    audit = audit_table()
    changes = cast(audit.c.changes, String)
    clauses = [audit.c.client_id == client["id"]]
    clauses.append((audit.c.entity == "client") & (audit.c.entity_id == client["id"]))
    for value in _identities(client):
        for pattern in _json_string_patterns(value):
            clauses.append(changes.like(pattern, escape=LIKE_ESCAPE))
    return or_(*clauses)


def _json_string_patterns(value: str | None) -> set[str]:
    """LIKE patterns matching `value` as a whole JSON string, ASCII-escaped or not."""
    if not value:
        return set()
    forms = {json.dumps(value), json.dumps(value, ensure_ascii=False)}
    return {f"%{like_escaped(form)}%" for form in forms}


def _audit_records(connection: Connection, client: dict[str, Any]) -> list[dict[str, Any]]:
    audit = audit_table()
    query = select(audit).where(_audit_about(client)).order_by(audit.c.id)
    fields = ("id", "at", "entity", "entity_id", "action", "changes")
    rows = connection.execute(query).mappings()
    return [{name: jsonable(row[name]) for name in fields} for row in rows]


def _anonymous_history(connection: Connection, client: dict[str, Any]) -> dict[str, Any]:
    """The client's KPI history with nothing that identifies them."""
    client_id = client["id"]
    return {
        "client_dates": {
            name: jsonable(client[name]) for name in ("created_on", "client_since", "client_until")
        },
        "revenue": _figures(connection, "revenue", client_id, ("on", "amount", "kind")),
        "surveys": _figures(connection, "surveys", client_id, ("on", "csat", "nps")),
        "opportunities": _figures(
            connection, "opportunities", client_id, ("stage", "value", "closed_on"), closed=True
        ),
        "cases": _figures(
            connection, "cases", client_id, ("kind", "due_on", "resolved_on"), resolved=True
        ),
    }


def _figures(
    connection: Connection,
    entity: str,
    client_id: int,
    names: tuple[str, ...],
    *,
    closed: bool = False,
    resolved: bool = False,
) -> list[dict[str, Any]]:
    table = entity_table(entity)
    query = select(*(table.c[name] for name in names)).where(table.c.client_id == client_id)
    if closed:
        query = query.where(table.c.closed_on.is_not(None))
    if resolved:
        query = query.where(table.c.resolved_on.is_not(None))
    rows = connection.execute(query.order_by(table.c.id)).mappings()
    return [{name: jsonable(row[name]) for name in names} for row in rows]


def _delete_everything(connection: Connection, client: dict[str, Any]) -> dict[str, int]:
    """Delete the client, their records and the audit entries about them; counts by entity."""
    client_id = client["id"]
    audit_deleted = connection.execute(delete(audit_table()).where(_audit_about(client))).rowcount
    _unlink_follow_ups_from_interactions(connection, client_id)
    counts = {
        entity: _delete_of(connection, entity_table(entity), client_id)
        for entity in CLIENT_ENTITIES
    }
    clients = entity_table("clients")
    connection.execute(delete(clients).where(clients.c.id == client_id))
    return {**counts, "audit": audit_deleted}


def _delete_of(connection: Connection, table: Table, client_id: int) -> int:
    return connection.execute(delete(table).where(table.c.client_id == client_id)).rowcount


def _unlink_follow_ups_from_interactions(connection: Connection, client_id: int) -> None:
    """Other clients' follow-ups that came from this client's interactions lose that link."""
    follow_ups, interactions = entity_table("follow_ups"), entity_table("interactions")
    theirs = select(interactions.c.id).where(interactions.c.client_id == client_id)
    connection.execute(
        update(follow_ups)
        .where(follow_ups.c.interaction_id.in_(theirs), follow_ups.c.client_id != client_id)
        .values(interaction_id=None)
    )


def _clear_referrals(connection: Connection, client_id: int) -> int:
    clients = entity_table("clients")
    query = update(clients).where(clients.c.referred_by_id == client_id)
    return connection.execute(query.values(referred_by_id=None)).rowcount


def _erase_note(report: ErasureReport, kept: dict[str, Any]) -> dict[str, Any]:
    """The anonymous audit entry of an erasure: counts and KPI figures, no name, no id."""
    return {"erased": report.erased, "referrals_cleared": report.referrals_cleared, **kept}


def _mentions(connection: Connection, client: dict[str, Any]) -> dict[str, list[int]]:
    """Other records whose text still names the erased client or their e-mail address, as
    they are now or were before (a former name or address from the audit trail)."""
    needles = _identities(client)
    found: dict[str, list[int]] = {}
    for entity, columns in TEXT_COLUMNS.items():
        table = entity_table(entity)
        clauses = [
            table.c[column].like(f"%{like_escaped(needle)}%", escape=LIKE_ESCAPE)
            for column in columns
            for needle in needles
        ]
        query = select(table.c.id).where(or_(*clauses)).order_by(table.c.id)
        ids = list(connection.execute(query.limit(MENTIONS_LISTED)).scalars())
        if ids:
            found[entity] = ids
    audit_ids = _audit_mentions(connection, needles)
    if audit_ids:
        found["audit"] = audit_ids
    return found


def _audit_mentions(connection: Connection, needles: list[str]) -> list[int]:
    audit = audit_table()
    changes = cast(audit.c.changes, String)
    forms = {json.dumps(needle)[1:-1] for needle in needles} | set(needles)
    clauses = [changes.like(f"%{like_escaped(form)}%", escape=LIKE_ESCAPE) for form in forms]
    query = select(audit.c.id).where(or_(*clauses)).order_by(audit.c.id).limit(MENTIONS_LISTED)
    return list(connection.execute(query).scalars())


def _backups_of(engine: Engine) -> list[Path]:
    """Backups of the book, which may still hold the erased client until they are removed:
    the copies of a book file, the dumps of a server book (server_backup)."""
    from rmtui.core.backups import list_backups
    from rmtui.core.server import book_name, is_server_engine

    if is_server_engine(engine):
        from rmtui.core.server_backup import server_dumps

        return server_dumps(book_name(engine))
    database = engine.url.database
    return [backup.path for backup in list_backups(Path(database))] if database else []
