"""The audit trail: every change a session flushes is recorded as old → new."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from rmtui.core.models import ENTITIES, AuditEntry, Client
from rmtui.core.people import session_user

AUDITED = {model.__tablename__: model for model in ENTITIES.values()}


def watch(session: Session) -> None:
    """Record every insert, update and delete that `session` flushes."""
    event.listen(session, "after_flush", _record_flush)


def jsonable(value: Any) -> Any:
    """A value as it is written to JSON: dates ISO, money as decimal strings."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _record_flush(session: Session, _context: Any) -> None:
    at = datetime.now()
    rows = [_entry(obj, "insert", at) for obj in session.new if _audited(obj)]
    rows += [_entry(obj, "update", at) for obj in session.dirty if _audited(obj)]
    rows += [_entry(obj, "delete", at) for obj in session.deleted if _audited(obj)]
    rows = [row for row in rows if row["changes"] or row["action"] != "update"]
    if rows:
        _write(session, rows)


def record(
    session: Session,
    *,
    entity: str,
    action: str,
    changes: dict[str, Any],
    entity_id: int | None = None,
    client_id: int | None = None,
    entry_id: int | None = None,
) -> None:
    """Record a change made outside the ORM (an import, an erase, a restore) in the audit
    trail."""
    row = {
        "id": entry_id,
        "at": datetime.now(),
        "entity": entity,
        "entity_id": entity_id,
        "client_id": client_id,
        "action": action,
        "changes": changes,
    }
    _write(session, [row])


# A server's audit ids come from a sequence, which an entry given its own id (an erasure's,
# after the newest) does not move: it is moved past the newest id, never back.
AUDIT_SEQUENCE_PAST_NEWEST = """
    SELECT setval(pg_get_serial_sequence('audit', 'id'), greatest(
        (SELECT max(id) FROM audit),
        coalesce(pg_sequence_last_value(pg_get_serial_sequence('audit', 'id')::regclass), 1)))"""


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    """Write audit entries, each with who made it (the session's `user`, else the user of this
    run); a session that watches for others' changes notes them as its own."""
    if _keeps_user(session):
        user = session.info.get("user") or session_user()
        rows = [{**row, "user_name": user} for row in rows]
    numbered = any(row.get("id") is not None for row in rows)
    if not numbered:  # numbered by the book (a server: its sequence)
        rows = [{key: value for key, value in row.items() if key != "id"} for row in rows]
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    if "seen" not in session.info:
        connection.execute(insert(table), rows)
    else:
        from rmtui.core.changes import note_written

        written = connection.execute(insert(table).returning(table.c.id), rows)
        note_written(session, written.scalars().all())
    if numbered and connection.dialect.name == "postgresql":
        connection.exec_driver_sql(AUDIT_SEQUENCE_PAST_NEWEST)


def _keeps_user(session: Session) -> bool:
    """Whether the book's audit trail has a column for who made a change (from schema 0015
    on; the migration tests write books of older schemas)."""
    engine = session.get_bind()
    if engine not in _KEEPS_USER:
        columns = inspect(session.connection()).get_columns("audit")
        _KEEPS_USER[engine] = any(column["name"] == "user_name" for column in columns)
    return _KEEPS_USER[engine]


_KEEPS_USER: WeakKeyDictionary[Any, bool] = WeakKeyDictionary()


def _audited(obj: object) -> bool:
    return getattr(obj, "__tablename__", None) in AUDITED


def _entry(obj: Any, action: str, at: datetime) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key == "last_contact_on":
            continue
        history = state.attrs[attr.key].history
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if action == "insert":
            changes[attr.key] = [None, jsonable(getattr(obj, attr.key))]
        elif action == "delete":
            changes[attr.key] = [jsonable(getattr(obj, attr.key)), None]
        elif (history.added or history.deleted) and old != new:
            changes[attr.key] = [jsonable(old), jsonable(new)]
    client_id = obj.id if isinstance(obj, Client) else getattr(obj, "client_id", None)
    return {
        "at": at,
        "entity": obj.__tablename__,
        "entity_id": obj.id,
        "client_id": client_id,
        "action": action,
        "changes": changes,
    }
