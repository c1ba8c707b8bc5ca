"""A client's check-in cadence may be empty: it then follows their tier.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:50:00.000000

Before this revision a client with no cadence of their own was stored with their tier's
(A 30, B 90, C 180 days) and kept it when the tier changed. client.checkin_every_days loses its
NOT NULL; a cadence equal to the tier's default becomes NULL ("by tier", rules.cadence_sql);
ix_client_checkin_due is built again on the expression that reads the tier.

On SQLite, dropping a NOT NULL is done as SQLite's documentation describes for a change that
leaves the stored rows valid (lang_altertable.html, "Making Other Kinds Of Table Schema
Changes"): the table's CREATE statement is edited in the schema table and the schema version
raised, inside the migration's transaction. Rebuilding the table, as Alembic's batch mode
would, would also drop the triggers that keep the search index and the roll-ups.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import index_columns

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tier cadences as they were when every client was stored with one.
CADENCE_BY_TIER = {"A": 30, "B": 90, "C": 180}
TIER_CADENCE = (
    "CASE tier "
    + " ".join(f"WHEN '{tier}' THEN {days}" for tier, days in CADENCE_BY_TIER.items())
    + " END"
)
INDEX_COLUMNS = ("tier", "name", "archived", "client_since", "client_until", "last_contact_on")
CHECKIN_DUE = {
    "0004": "julianday(coalesce(last_contact_on, client_since)) + checkin_every_days",
    "0005": (
        "julianday(coalesce(last_contact_on, client_since))"
        f" + coalesce(checkin_every_days, {TIER_CADENCE})"
    ),
}
REQUIRED = "checkin_every_days INTEGER NOT NULL"
OPTIONAL = "checkin_every_days INTEGER"


def upgrade() -> None:
    _rebuild_checkin_index("0005", set_not_null=False)
    op.execute(
        f"UPDATE client SET checkin_every_days = NULL WHERE checkin_every_days = {TIER_CADENCE}"
    )


def downgrade() -> None:
    op.execute(
        f"UPDATE client SET checkin_every_days = {TIER_CADENCE} WHERE checkin_every_days IS NULL"
    )
    _rebuild_checkin_index("0004", set_not_null=True)


def _rebuild_checkin_index(revision: str, *, set_not_null: bool) -> None:
    op.drop_index("ix_client_checkin_due", table_name="client")
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        _sqlite_cadence_column(connection, required=set_not_null)
    else:
        op.alter_column("client", "checkin_every_days", nullable=not set_not_null)
    op.create_index(
        "ix_client_checkin_due",
        "client",
        index_columns(op, [sa.text(CHECKIN_DUE[revision]), *INDEX_COLUMNS]),
    )


def _sqlite_cadence_column(connection: sa.Connection, *, required: bool) -> None:
    """Make the cadence column NOT NULL (`required`) or not, in the client table's CREATE."""
    old, new = (OPTIONAL, REQUIRED) if required else (REQUIRED, OPTIONAL)
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'client'"
    ).scalar_one()
    if sql.count(old) != 1:
        raise RuntimeError(f"the client table does not declare `{old}` once")
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        connection.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'client'",
            (sql.replace(old, new),),
        )
        connection.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        connection.exec_driver_sql("PRAGMA writable_schema = OFF")
