"""Today in order from its indexes: the open follow-ups by due day, high priority first, and
every section counted in an index that covers it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 09:00:00.000000

Today lists a day's follow-ups high priority first. With an index on (status, due_on) alone,
SQLite read every follow-up of the first day and sorted them to list fifty (4,000 due today in
a large book); `ix_follow_up_status_due_on` now also holds whether a follow-up is not of high
priority, so that the rows come in the order they are listed (then by id), and its client,
so that a section is counted (up to a limit, leaving out archived clients) without reading
the follow-ups themselves. `ix_case_resolved_on_due_on` likewise holds, after the due day and
the id it lists cases by, whether a case's clock counts business days and its client. Only
indexes change: no table is rebuilt and no row is touched.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_HIGH = "(priority <> 'high')"  # rules.not_high_priority_sql as of this revision


def upgrade() -> None:
    op.drop_index("ix_follow_up_status_due_on", table_name="follow_up")
    op.create_index(
        "ix_follow_up_status_due_on",
        "follow_up",
        ["status", "due_on", sa.text(NOT_HIGH), "id", "client_id"],
    )
    op.drop_index("ix_case_resolved_on_due_on", table_name="case")
    op.create_index(
        "ix_case_resolved_on_due_on",
        "case",
        ["resolved_on", "due_on", "id", "business_days", "client_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_case_resolved_on_due_on", table_name="case")
    op.create_index("ix_case_resolved_on_due_on", "case", ["resolved_on", "due_on"])
    op.drop_index("ix_follow_up_status_due_on", table_name="follow_up")
    op.create_index("ix_follow_up_status_due_on", "follow_up", ["status", "due_on"])
