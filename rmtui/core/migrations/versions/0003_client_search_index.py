"""Client search: a trigram full-text index over the text the client list's filter reads.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 09:30:00.000000

`client_fts` is an FTS5 table with the trigram tokenizer over client.name, company, email,
city and tags (their stored JSON text, as the filter reads them), so that a word of three or
more characters is found by the index instead of a LIKE over every client.

It is an external-content table (content='client', content_rowid='id'): the index holds the
trigrams and client ids only and reads the text from the client table, so nothing is stored
twice (the index adds about 25 MB at 100,000 clients) and an erased client's text lives in
one place. A contentless table could not forget a row without the 'contentless_delete'
option of SQLite 3.43, newer than the SQLite of some Pythons (3.40 here); a table with its
own content would keep a second copy of every name and e-mail address. The triggers hand the
'delete' command the row's old stored values, which are what was indexed, as an external-
content table requires. The full detail (positions) is kept: a word longer than three
characters is a phrase of consecutive trigrams.

SQLite has the trigram tokenizer from 3.34; where it is missing (or FTS5 is), nothing is
created and the client list keeps filtering with LIKE (rmtui.core.queries.clients looks for the
table). A later migration that rebuilds the client table (batch mode) drops these triggers
with it and must create them again. The SQL is written out in full so that this migration
keeps doing what it did when later ones change the schema.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import create_triggers, drop_triggers

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CREATE_INDEX = """
    CREATE VIRTUAL TABLE client_fts USING fts5(
        name, company, email, city, tags,
        content='client', content_rowid='id', tokenize='trigram'
    )"""

INDEX_NEW = """
    INSERT INTO client_fts (rowid, name, company, email, city, tags)
    VALUES (NEW.id, NEW.name, NEW.company, NEW.email, NEW.city, NEW.tags)"""
UNINDEX_OLD = """
    INSERT INTO client_fts (client_fts, rowid, name, company, email, city, tags)
    VALUES ('delete', OLD.id, OLD.name, OLD.company, OLD.email, OLD.city, OLD.tags)"""

TRIGGERS = {
    "client_fts_added": f"""
        AFTER INSERT ON client BEGIN
            {INDEX_NEW};
        END""",
    # Only changes of the indexed columns touch the index (not the last-contact updates).
    "client_fts_changed": f"""
        AFTER UPDATE OF id, name, company, email, city, tags ON client BEGIN
            {UNINDEX_OLD};
            {INDEX_NEW};
        END""",
    "client_fts_removed": f"""
        AFTER DELETE ON client BEGIN
            {UNINDEX_OLD};
        END""",
}

# The index of the clients already in the book, read from the client table.
FILL = ("INSERT INTO client_fts (client_fts) VALUES ('rebuild')",)


def trigram_available() -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer (tried on a temporary table)."""
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return False  # FTS5 is SQLite's; PostgreSQL's search uses pg_trgm (see 0009)
    try:
        connection.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.client_fts_probe USING fts5(probe, tokenize='trigram')"
        )
    except sa.exc.OperationalError:
        return False
    connection.exec_driver_sql("DROP TABLE temp.client_fts_probe")
    return True


def upgrade() -> None:
    if not trigram_available():
        return
    op.execute(CREATE_INDEX)
    for statement in FILL:
        op.execute(statement)
    create_triggers(op, TRIGGERS)


def downgrade() -> None:
    drop_triggers(op, list(TRIGGERS))
    op.execute("DROP TABLE IF EXISTS client_fts")
