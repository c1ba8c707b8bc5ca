"""Interaction times in one text form: moments an import wrote without microseconds get them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 11:30:00.000000

SQLAlchemy stores a moment as `YYYY-MM-DD HH:MM:SS.ffffff`, and the queries compare
interaction.at with moments written that way. Imports of a book file before this revision
left a moment with no fraction of a second to the sqlite3 module, which wrote it as
`YYYY-MM-DD HH:MM:SS`; as text that sorts before the same moment with `.000000`, so an
interaction imported at midnight (a file giving only its date) fell on the day before in the
log's date filter and in the KPIs. Those values get `.000000`.

The day of every moment stays the same, so the triggers on interaction.at (the client's last
contact, the contacts by day) have nothing to do; they are set aside during the update, where
row by row they would take minutes on a large book, and put back as they were.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHORT_FORM = "length(at) = 19"  # `YYYY-MM-DD HH:MM:SS`
TRIGGERS_ON_AT = """
    SELECT name, sql FROM sqlite_master
    WHERE type = 'trigger' AND tbl_name = 'interaction' AND sql LIKE '%UPDATE OF%'"""


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return  # a server keeps moments as timestamps, in one form already
    triggers = connection.exec_driver_sql(TRIGGERS_ON_AT).all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    connection.exec_driver_sql(f"UPDATE interaction SET at = at || '.000000' WHERE {SHORT_FORM}")
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)


def downgrade() -> None:
    """Nothing to undo: the earlier schema reads both forms."""
