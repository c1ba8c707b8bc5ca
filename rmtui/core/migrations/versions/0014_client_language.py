"""The language a client's documents are written in.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:00:00.000000

`client.preferred_language` (`nl`, `en`, or NULL for the user's own language) says in which
language the client's review report is written. A new nullable column: no row is touched and
no table is rebuilt; its values are checked where they are written (models.Choice).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("client", sa.Column("preferred_language", sa.String(), nullable=True))


def downgrade() -> None:
    # Dropped in place (SQLite 3.35+): a rebuilt client table would lose its triggers.
    op.execute("ALTER TABLE client DROP COLUMN preferred_language")
