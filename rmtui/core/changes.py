"""Edits someone else got to first: refusing to overwrite a record changed since it was shown.

Every change to a record is in the audit trail, whose ids only grow. A window notes the newest
audit id when it reads what it shows (its *mark*); an edit of a record that has audit entries
past that mark, other than the window's own, was changed by someone else meanwhile and is
refused (ChangedMeanwhile) instead of overwriting what the user never saw.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from rmtui.core.errors import ChangedMeanwhile
from rmtui.core.translation import N_, _

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.orm import Session

# Nothing heavy is imported here at first: the Today screen reads the mark before SQLAlchemy
# is loaded.
MARK_SQL = "SELECT coalesce(max(id), 0) FROM audit"
# The records whose changes are checked, as the sentence about a change elsewhere names them.
NOUNS = {
    "client": N_("This client"),
    "interaction": N_("This interaction"),
    "follow_up": N_("This follow-up"),
    "opportunity": N_("This opportunity"),
    "revenue": N_("This revenue entry"),
    "holding": N_("This holding"),
    "financial_goal": N_("This goal"),
    "survey": N_("This survey"),
    "case": N_("This case"),
    "target": N_("This target"),
}
ANY_RECORD = N_("This record")


class Seen:
    """What a window has seen: the audit mark of its reading, and the entries it wrote
    itself since (which are no one else's change); `written` gets this session's entries."""

    def __init__(self, mark: int, own: frozenset[int] = frozenset()) -> None:
        self.mark = mark
        self.own = own
        self.written: list[int] = []


def change_mark(connection: Any) -> int:
    """The newest audit id of the book (0 for none), read through a DB-API or SQLAlchemy
    connection: a window reads it before what it shows."""
    run = getattr(connection, "exec_driver_sql", None) or connection.execute
    row = run(MARK_SQL).fetchone()
    return int(row[0]) if row else 0


def _audit() -> Table:
    from rmtui.core.models import AuditEntry

    return AuditEntry.__table__  # type: ignore[attr-defined,no-any-return]


def check_unchanged(session: Session, seen: Seen) -> None:
    """Make `session` refuse to flush a change to a record someone else changed since `seen`,
    and note the audit entries it writes in `seen.written`."""
    from sqlalchemy import event

    session.info["seen"] = seen
    event.listen(session, "before_flush", partial(_refuse_changed, seen=seen))


def note_written(session: Session, ids: Iterable[int]) -> None:
    """Note the audit entries `ids` just written by `session` as the window's own (their ids
    as the book gave them: on a server, others write beside it)."""
    seen: Seen | None = session.info.get("seen")
    if seen is not None:
        seen.written.extend(ids)


def changed_by_others(session: Session, table: str, record_id: int, seen: Seen) -> bool:
    """Whether the record has audit entries past the mark that are not the window's own."""
    from sqlalchemy import select

    audit = _audit()
    query = select(audit.c.id).where(
        audit.c.entity == table, audit.c.entity_id == record_id, audit.c.id > seen.mark
    )
    found = set(session.connection().execute(query).scalars())
    return bool(found - seen.own - set(seen.written))


def changed_sentence(table: str) -> str:
    """The one sentence telling that a record was changed elsewhere and nothing was saved."""
    said = _(
        "{record} was changed in another window or program after it was shown here, so "
        "nothing was saved; it is shown again as it is now."
    )
    return said.format(record=_(NOUNS.get(table, ANY_RECORD)))


def _refuse_changed(session: Session, _context: Any, _instances: Any, *, seen: Seen) -> None:
    edited = list(_edited(session))
    if edited:
        _hold(session, edited)
    for table, record_id in edited:
        if changed_by_others(session, table, record_id, seen):
            raise ChangedMeanwhile(changed_sentence(table))


def _hold(session: Session, edited: list[tuple[str, int]]) -> None:
    """Keep others from changing the records about to be changed until the session ends,
    before looking for their changes: whoever got to a record first has then written its
    audit entries. A file book is written by one at a time (its write lock, taken here when
    the session has not written yet); on a server, the rows are locked."""
    from sqlalchemy import text

    connection = session.connection()
    if connection.dialect.name == "postgresql":
        for table, record_id in sorted(edited):
            lock = text(f'SELECT 1 FROM "{table}" WHERE id = :id FOR UPDATE')
            connection.execute(lock, {"id": record_id})
    elif not connection.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _edited(session: Session) -> Iterable[tuple[str, int]]:
    """(table, id) of every record the session is about to change or delete."""
    edited = [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in [*edited, *session.deleted]:
        table = getattr(obj, "__tablename__", None)
        if table in NOUNS and getattr(obj, "id", None) is not None:
            yield table, obj.id
