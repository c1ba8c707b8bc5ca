"""Contact points: every e-mail address and phone number of a client; the parts of a name.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00.000000

`contact_point` holds each of a client's e-mail addresses and phone numbers with its label
(work, home, mobile...) and whether it is the preferred one of its kind; the preferred ones
are also the client's `email` and `phone`, which every book so far holds, so they are copied
in as preferred points.

`contact_point_fts` is a trigram index over the points' values, like `client_fts` over the
clients (migration 0003, whose notes apply): the client list's filter finds a client by any
of its addresses or numbers through it. It is created only where SQLite has the trigram
tokenizer.

The client gets the five parts of a person's name as address books keep them (vCard N):
prefix, given, additional, family, suffix. They are added as columns (ALTER TABLE ADD COLUMN),
so the client table is not rebuilt and its triggers stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import create_triggers, drop_triggers

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_PARTS = ("name_prefix", "given_name", "additional_names", "family_name", "name_suffix")

CREATE_INDEX = """
    CREATE VIRTUAL TABLE contact_point_fts USING fts5(
        value, content='contact_point', content_rowid='id', tokenize='trigram'
    )"""
INDEX_NEW = "INSERT INTO contact_point_fts (rowid, value) VALUES (NEW.id, NEW.value)"
UNINDEX_OLD = """
    INSERT INTO contact_point_fts (contact_point_fts, rowid, value)
    VALUES ('delete', OLD.id, OLD.value)"""
TRIGGERS = {
    "contact_point_fts_added": f"""
        AFTER INSERT ON contact_point BEGIN
            {INDEX_NEW};
        END""",
    "contact_point_fts_changed": f"""
        AFTER UPDATE OF id, value ON contact_point BEGIN
            {UNINDEX_OLD};
            {INDEX_NEW};
        END""",
    "contact_point_fts_removed": f"""
        AFTER DELETE ON contact_point BEGIN
            {UNINDEX_OLD};
        END""",
}
# The client's own e-mail address and phone number become its preferred points.
COPY_CLIENT_POINTS = """
    INSERT INTO contact_point (client_id, kind, value, label, preferred)
    SELECT id, '{kind}', trim({kind}), NULL, TRUE FROM client
    WHERE {kind} IS NOT NULL AND trim({kind}) != ''
    ORDER BY id"""
# The points of the clients already in the book, then (when there is one) their index.
FILL = tuple(COPY_CLIENT_POINTS.format(kind=kind) for kind in ("email", "phone"))
FILL_INDEX = ("INSERT INTO contact_point_fts (contact_point_fts) VALUES ('rebuild')",)


def trigram_available() -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer (tried on a temporary table)."""
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return False  # FTS5 is SQLite's; PostgreSQL's search uses pg_trgm (see 0009)
    try:
        connection.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.point_fts_probe USING fts5(probe, tokenize='trigram')"
        )
    except sa.exc.OperationalError:
        return False
    connection.exec_driver_sql("DROP TABLE temp.point_fts_probe")
    return True


def upgrade() -> None:
    for name in NAME_PARTS:
        op.add_column("client", sa.Column(name, sa.String(), nullable=True))
    op.create_table(
        "contact_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=True),
        sa.Column("preferred", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('email', 'phone')", name=op.f("ck_contact_point_kind_valid")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_contact_point_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_point")),
    )
    op.create_index("ix_contact_point_client_kind", "contact_point", ["client_id", "kind"])
    for statement in FILL:
        op.execute(statement)
    if not trigram_available():
        return
    op.execute(CREATE_INDEX)
    for statement in FILL_INDEX:
        op.execute(statement)
    create_triggers(op, TRIGGERS)


def downgrade() -> None:
    drop_triggers(op, list(TRIGGERS))
    op.execute("DROP TABLE IF EXISTS contact_point_fts")
    op.drop_index("ix_contact_point_client_kind", table_name="contact_point")
    op.drop_table("contact_point")
    # Without rebuilding the client table (SQLite 3.35), which would drop its triggers.
    for name in NAME_PARTS:
        op.execute(f"ALTER TABLE client DROP COLUMN {name}")
