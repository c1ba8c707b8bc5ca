"""The trash: deleted records kept 30 days, to be restored.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:10:00.000000

A new table only; nothing else changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trash",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.String(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trash")),
        sqlite_autoincrement=True,  # an entry's number is never reused
    )
    op.create_index("ix_trash_deleted_at", "trash", ["deleted_at"])
    op.create_index(op.f("ix_trash_client_id"), "trash", ["client_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_trash_client_id"), table_name="trash")
    op.drop_index("ix_trash_deleted_at", table_name="trash")
    op.drop_table("trash")
