"""The trash: a deleted record and everything that hung on it, kept 30 days to be restored.

Deleting moves the rows out of the book's tables into one trash entry (PRODUCT.md "Data"), so
no list, agenda or KPI sees them without asking. What hangs on a record is read from the
foreign keys of the schema: rows that the database would delete with it (ON DELETE CASCADE)
go into the entry with it, and references that it would clear (ON DELETE SET NULL, such as
another client's "referred by") are noted, to be set again on restore.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Date, DateTime, Table, Time, delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from rmtui.core import audit
from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text, now
from rmtui.core.figures import amount_text
from rmtui.core.models import (
    ENTITIES,
    MAINTAINED_COLUMNS,
    Client,
    FinancialGoal,
    Opportunity,
    TrashEntry,
)
from rmtui.core.money_column import Money
from rmtui.core.queries.common import InvalidChange, RecordNotFound, fetch, table_of
from rmtui.core.translation import _, ngettext
from rmtui.core.wording import NOUNS, records_text

if TYPE_CHECKING:
    from sqlalchemy import CursorResult

KEPT_FOR = timedelta(days=30)
TRASH: Table = table_of(TrashEntry)
TABLES: dict[str, Table] = {table_of(model).name: table_of(model) for model in ENTITIES.values()}
# The model of each kind of record, by its table's name or as the screens name it.
MODEL_OF_KIND: dict[str, type[SQLModel]] = {
    **{table_of(model).name: model for model in ENTITIES.values()},
    "deal": Opportunity,
    "goal": FinancialGoal,
}
ENTITY_OF_TABLE = {table_of(model).name: entity for entity, model in ENTITIES.items()}

# Rows by table name, each a dict of column values as JSON holds them.
Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class TrashRow:
    """One entry of the trash, as it is listed."""

    id: int
    deleted_at: datetime
    entity: str
    entity_id: int
    client_id: int | None
    what: str

    @property
    def expires_on(self) -> date:
        """The last day it can be restored."""
        return (self.deleted_at + KEPT_FOR).date()


@dataclass(frozen=True)
class Restored:
    """What a restore brought back."""

    entity: str
    entity_id: int
    what: str


# -- deleting ----------------------------------------------------------------------------------


def move_to_trash(*, session: Session, model: type[SQLModel], record_id: int) -> TrashRow:
    """Delete the `model` record with `record_id` and what hangs on it, keeping them in the
    trash for KEPT_FOR; return the trash entry."""
    record = fetch(session, model, record_id)
    table = table_of(model)
    session.flush()
    rows = _rows_with_dependents(session, table, [record_id])
    links = _links_into(session, rows)
    what = describe(session, table.name, rows[table.name][0])
    along = contents_text(rows, table.name)
    what = _("{what} with {along}").format(what=what, along=along) if along else what
    client_id = record_id if model is Client else getattr(record, "client_id", None)
    deleted_at = now()
    purge_expired(session=session, at=deleted_at)
    entry_id = _inserted_id(
        session,
        insert(TRASH).values(
            deleted_at=deleted_at,
            entity=table.name,
            entity_id=record_id,
            client_id=client_id,
            what=what,
            rows=rows,
            links=links,
        ),
    )
    session.delete(record)  # through the ORM, so the audit trail records it
    session.flush()
    session.expire_all()
    return _trash_row(session, entry_id)


def _rows_with_dependents(session: Session, table: Table, ids: Sequence[int]) -> Rows:
    """The rows of `table` with `ids`, and the rows deleted with them, by table."""
    rows: Rows = {}
    pending: list[tuple[Table, Sequence[int]]] = [(table, ids)]
    while pending:
        current, current_ids = pending.pop()
        found = [dict(row) for row in session.execute(_select_ids(current, current_ids)).mappings()]
        if not found:
            continue
        rows.setdefault(current.name, []).extend(_jsonable(row) for row in found)
        found_ids = [row["id"] for row in found]
        for child, column in _references_to(current, "CASCADE"):
            if child is current:
                continue
            child_ids = session.execute(
                select(child.c.id).where(child.c[column].in_(found_ids))
            ).scalars()
            pending.append((child, list(child_ids)))
    return {name: rows[name] for name in TABLES if name in rows}


def _links_into(session: Session, rows: Rows) -> list[list[Any]]:
    """[table, id, column, value] of every row outside `rows` whose reference to a row in
    `rows` the database clears on delete (ON DELETE SET NULL)."""
    inside = {(name, row["id"]) for name, table_rows in rows.items() for row in table_rows}
    links = []
    for name, table_rows in rows.items():
        ids = [row["id"] for row in table_rows]
        for child, column in _references_to(TABLES[name], "SET NULL"):
            query = select(child.c.id, child.c[column]).where(child.c[column].in_(ids))
            links += [
                [child.name, child_id, column, value]
                for child_id, value in session.execute(query)
                if (child.name, child_id) not in inside
            ]
    return links


def _references_to(table: Table, on_delete: str) -> Iterator[tuple[Table, str]]:
    """(table, column) of each reference to `table`'s rows that does `on_delete`."""
    for other in TABLES.values():
        for key in other.foreign_keys:
            if key.column.table is table and (key.ondelete or "").upper() == on_delete:
                yield other, key.parent.name


def _select_ids(table: Table, ids: Sequence[int]) -> Any:
    return select(table).where(table.c.id.in_(ids)).order_by(table.c.id)


# -- restoring ---------------------------------------------------------------------------------


def restore(*, session: Session, entry_id: int) -> Restored:
    """Put the records of a trash entry back, with their ids where those are still free,
    and the references to them that were cleared; the entry leaves the trash."""
    entry = session.execute(select(TRASH).where(TRASH.c.id == entry_id)).mappings().first()
    if entry is None:
        raise RecordNotFound(
            _(
                "There is no entry #{id} in the trash; `rmtui trash list` shows what is there."
            ).format(id=entry_id)
        )
    new_ids: dict[str, dict[int, int]] = {}
    for table in TABLES.values():  # parents before children (ENTITIES' order)
        for row in entry["rows"].get(table.name, []):
            _restore_row(session, table, row, new_ids)
    for name, row_id, column, value in entry["links"]:
        target = _target_table(TABLES[name], column)
        value = new_ids.get(target, {}).get(value, value)
        table = TABLES[name]
        session.execute(
            update(table)
            .where(table.c.id == row_id, table.c[column].is_(None))
            .values({column: value})
        )
    entity_id = new_ids.get(entry["entity"], {}).get(entry["entity_id"], entry["entity_id"])
    session.execute(delete(TRASH).where(TRASH.c.id == entry_id))
    audit.record(
        session,
        entity=entry["entity"],
        action="restore",
        changes={"from_trash": entry["what"]},
        entity_id=entity_id,
        client_id=entry["client_id"],
    )
    session.flush()
    session.expire_all()
    return Restored(entry["entity"], entity_id, entry["what"])


def restore_all(entry_ids: Sequence[int], session: Session) -> list[Restored]:
    """Restore several trash entries (deleted together), in the order given."""
    return [restore(session=session, entry_id=entry_id) for entry_id in entry_ids]


def _restore_row(
    session: Session, table: Table, row: Mapping[str, Any], new_ids: dict[str, dict[int, int]]
) -> None:
    values = {
        name: _from_json(table, name, value)
        for name, value in row.items()
        if name in table.c and name not in MAINTAINED_COLUMNS
    }
    for key in table.foreign_keys:
        column, target = key.parent.name, key.column.table.name
        if values.get(column) is None:
            continue
        values[column] = new_ids.get(target, {}).get(values[column], values[column])
        if target == table.name and values[column] == values.get("id"):
            continue
        if not _exists(session, TABLES[target], values[column]):
            _refuse_without_client(session, table.name, target, column, values[column])
            values[column] = None  # a link to a record that is gone (a "referred by")
    old_id = values["id"]
    if _exists(session, table, old_id):
        del values["id"]
    new_id = _inserted_id(session, insert(table).values(values))
    new_ids.setdefault(table.name, {})[old_id] = new_id


def _refuse_without_client(
    session: Session, name: str, target: str, column: str, client_id: int
) -> None:
    """Refuse to bring back a record of a client who is no longer in the book."""
    if target != "client" or column != "client_id":
        return
    in_trash = client_in_trash(session=session, client_id=client_id)
    records = NOUNS[ENTITY_OF_TABLE[name]]
    record = ngettext(*records, 1).removeprefix("{count} ")
    said = (
        _(
            "This {record} belonged to client #{id}, who is no longer in the book; restore the"
            " client first (trash entry {entry})."
        )
        if in_trash
        else _("This {record} belonged to client #{id}, who is no longer in the book.")
    )
    raise InvalidChange(said.format(record=record, id=client_id, entry=in_trash))


def _target_table(table: Table, column: str) -> str:
    (key,) = table.c[column].foreign_keys
    return key.column.table.name


def _inserted_id(session: Session, statement: Any) -> int:
    key = cast("CursorResult[Any]", session.execute(statement)).inserted_primary_key
    assert key is not None
    return int(key[0])


def _exists(session: Session, table: Table, record_id: Any) -> bool:
    found = session.execute(select(table.c.id).where(table.c.id == record_id)).first()
    return found is not None


# -- listing and emptying ----------------------------------------------------------------------


def trash_rows(
    *,
    session: Session,
    at: datetime | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[TrashRow]:
    """What is in the trash, most recently deleted first (entries past KEPT_FOR are gone);
    `limit` rows from `offset` when given."""
    purge_expired(session=session, at=at or now())
    query = select(*_row_columns()).order_by(TRASH.c.deleted_at.desc(), TRASH.c.id.desc())
    query = query.offset(offset).limit(limit)
    return [_as_trash_row(row) for row in session.execute(query)]


def trash_count(*, session: Session) -> int:
    """How many entries the trash holds."""
    return int(session.execute(select(func.count()).select_from(TRASH)).scalar_one())


def forget_entry(session: Session, entry_id: int) -> int:
    """Delete one trash entry for good; return 1, or 0 when it was not there."""
    return _deleted_count(session, delete(TRASH).where(TRASH.c.id == entry_id))


def empty_trash(*, session: Session) -> int:
    """Delete everything in the trash for good; return how many entries there were."""
    return _deleted_count(session, delete(TRASH))


def purge_expired(*, session: Session, at: datetime) -> int:
    """Delete for good the entries deleted more than KEPT_FOR before `at`."""
    return _deleted_count(session, delete(TRASH).where(TRASH.c.deleted_at < at - KEPT_FOR))


def client_in_trash(*, session: Session, client_id: int) -> int | None:
    """The trash entry of the deleted client `client_id`, or None."""
    query = select(TRASH.c.id).where(TRASH.c.entity == "client", TRASH.c.entity_id == client_id)
    return session.execute(query.order_by(TRASH.c.id.desc())).scalar()


def forget_client(*, session: Session, client_id: int) -> int:
    """Delete for good every trash entry of a client (for an erase on request)."""
    return _deleted_count(session, delete(TRASH).where(TRASH.c.client_id == client_id))


def _deleted_count(session: Session, statement: Any) -> int:
    return int(cast("CursorResult[Any]", session.execute(statement)).rowcount)


def _trash_row(session: Session, entry_id: int) -> TrashRow:
    row = session.execute(select(*_row_columns()).where(TRASH.c.id == entry_id)).one()
    return _as_trash_row(row)


def _row_columns() -> list[Any]:
    names = ("id", "deleted_at", "entity", "entity_id", "client_id", "what")
    return [TRASH.c[name] for name in names]


def _as_trash_row(row: Sequence[Any]) -> TrashRow:
    return TrashRow(*row)


# -- what a record is called -------------------------------------------------------------------


def describe(session: Session, table_name: str, row: Mapping[str, Any]) -> str:
    """A record as the user knows it, for the trash and its messages."""
    client = _client_name(session, row.get("client_id"))
    of = f" ({client})" if client else ""
    match table_name:
        case "client":
            return _("client {name}").format(name=row["name"])
        case "interaction":
            at = date_text(datetime.fromisoformat(row["at"]))
            subject = f": {row['subject']}" if row.get("subject") else ""
            said = _("{kind} with {client} on {day}").format(
                kind=choice_text(row["kind"]), client=client, day=at
            )
            return said + subject
        case "follow_up":
            return _("follow-up “{title}”").format(title=row["title"]) + of
        case "opportunity":
            return _("deal “{title}”").format(title=row["title"]) + of
        case "revenue":
            said = _("revenue of {amount} on {day}")
            return said.format(amount=_money(row["amount"]), day=_day(row["on"])) + of
        case "holding":
            said = _("value of {account} on {day}")
            return said.format(account=row["account"], day=_day(row["as_of"])) + of
        case "financial_goal":
            return _("goal “{title}”").format(title=row["title"]) + of
        case "survey":
            return _("survey of {day}").format(day=_day(row["on"])) + of
        case "case":
            return f"{choice_text(row['kind'])} “{row['subject']}”{of}"
        case "household":
            return _("household “{name}”").format(name=row["name"])
        case "contact_person":
            return _("contact person {name}").format(name=row["name"]) + of
        case "target":
            period = f"{_day(row['period_start'])}–{_day(row['period_end'])}"
            return _("target for {kpi} {period}").format(kpi=row["metric"], period=period)
    return f"{table_name.replace('_', ' ')} #{row['id']}"


# Rows that are part of a record's own profile rather than records about it: not counted.
PART_OF_PROFILE = frozenset({"contact_point"})


def contents_text(rows: Rows, entity: str) -> str:
    """What came along with the deleted record: `12 interactions, 3 follow-ups`."""
    parts = [
        records_text(ENTITY_OF_TABLE[name], len(table_rows))
        for name, table_rows in rows.items()
        if name != entity and name not in PART_OF_PROFILE and table_rows
    ]
    return ", ".join(parts)


def _client_name(session: Session, client_id: int | None) -> str | None:
    if client_id is None:
        return None
    client = session.get(Client, client_id)
    return client.name if client is not None else None


def _day(text: str) -> str:
    return date_text(date.fromisoformat(text))


def _money(text: str) -> str:
    return amount_text(Decimal(text))


# -- rows as JSON ------------------------------------------------------------------------------


def _jsonable(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: audit.jsonable(value) for name, value in row.items()}


def _from_json(table: Table, name: str, value: Any) -> Any:
    """A column value as it was read, from its JSON form."""
    if value is None:
        return None
    kind = table.c[name].type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Time):
        return time.fromisoformat(value)
    if isinstance(kind, Money):
        return Decimal(value)
    return value  # text, numbers, flags and JSON lists come back as they were
