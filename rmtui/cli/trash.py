"""`rmtui trash`: what was deleted in the last 30 days, to restore or to delete for good."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from rmtui.cli.common import confirm, open_engine
from rmtui.core.figures import count_text
from rmtui.core.translation import _, ngettext

if TYPE_CHECKING:
    from rmtui.core.queries.trash import TrashRow


def run_trash_list(args: argparse.Namespace) -> int:
    """Print the trash, most recently deleted first."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.trash import trash_rows

    with session_scope(open_engine(args)) as session:
        rows = trash_rows(session=session)
    if args.json:
        print(json.dumps([trash_record(row) for row in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print(_("The trash is empty."))
    for row in rows:
        print(f"{row.id:>5}  {row.deleted_at:%Y-%m-%d %H:%M}  {row.what}")
    return 0


def run_trash_restore(args: argparse.Namespace) -> int:
    """Put a trash entry back in the book."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.trash import restore

    with session_scope(open_engine(args)) as session:
        restored = restore(session=session, entry_id=args.entry_id)
    if args.json:
        record = {"entity": restored.entity, "id": restored.entity_id, "what": restored.what}
        print(json.dumps(record, ensure_ascii=False))
    else:
        print(_("Restored the {what} (id {id}).").format(what=restored.what, id=restored.entity_id))
    return 0


def run_trash_empty(args: argparse.Namespace) -> int:
    """Delete everything in the trash for good, after confirmation."""
    from rmtui.core.db import session_scope
    from rmtui.core.queries.trash import empty_trash, trash_count

    engine = open_engine(args)
    with session_scope(engine) as session:
        count = trash_count(session=session)
    if count == 0:
        print(_("The trash is already empty."))
        return 0
    question = ngettext(
        "Delete the {count} entry in the trash for good? This cannot be undone. [y/N] ",
        "Delete the {count} entries in the trash for good? This cannot be undone. [y/N] ",
        count,
    )
    if not args.yes and not confirm(question.format(count=count_text(count))):
        print(_("Nothing was deleted."))
        return 1
    with session_scope(engine) as session:
        emptied = empty_trash(session=session)
    said = ngettext("Deleted {count} entry for good.", "Deleted {count} entries for good.", emptied)
    print(said.format(count=count_text(emptied)))
    return 0


def trash_record(row: TrashRow) -> dict[str, object]:
    """A trash entry as `--json` prints it."""
    return {
        "id": row.id,
        "deleted_at": row.deleted_at.isoformat(),
        "entity": row.entity,
        "entity_id": row.entity_id,
        "client_id": row.client_id,
        "what": row.what,
        "expires_on": row.expires_on.isoformat(),
    }
