"""Several people in one book: a client's owner, and who made each change in the audit trail.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 13:00:00.000000

`client.owner` is the user who looks after the client (people.py); NULL, as every client of an
existing book has it, is everyone's, so that a book kept by one person lists the same clients
as "mine" as before. `ix_client_owner` finds one user's clients. `audit.user_name` is who made
the change (NULL for the changes made before). New nullable columns and an index: no row is
touched and no table is rebuilt.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("client", sa.Column("owner", sa.String(), nullable=True))
    op.create_index("ix_client_owner", "client", ["owner"])
    op.add_column("audit", sa.Column("user_name", sa.String(), nullable=True))


def downgrade() -> None:
    # Dropped in place (SQLite 3.35+): a rebuilt client table would lose its triggers.
    op.execute("ALTER TABLE audit DROP COLUMN user_name")
    op.drop_index("ix_client_owner", table_name="client")
    op.execute("ALTER TABLE client DROP COLUMN owner")
