"""The pipeline and the forecast read from covering indexes, and the clients are counted in a
table the triggers keep.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 16:00:00.000000

The board's totals by stage and the forecast's by month read every deal of a stage: each read
the deal itself, and the board joined every deal to its client. `ix_opportunity_stage_
expected_close_on` and the new `ix_opportunity_stage_closed_on` now hold what those totals
read (value, probability, client), so that they are summed from an index alone, and the deals
of archived clients (few) are taken away afterwards; `ix_opportunity_stage` also holds the
value (and the id), so that a stage's list of open deals comes biggest first from it.

`client_count` holds how many clients there are, archived or not, by owner (`everyone`: no
owner, `owner` then ''), kept by triggers in the transaction of each change to a client, so
that the client list's count without a filter (and "my clients" of a shared book) is read
from a few rows instead of counting every client. It is filled here from the clients.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import create_triggers, drop_triggers

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "(archived, everyone, owner)"
ADDED = f"""
    INSERT INTO client_count (archived, everyone, owner, clients)
    VALUES (NEW.archived, NEW.owner IS NULL, coalesce(NEW.owner, ''), 1)
    ON CONFLICT {KEY} DO UPDATE SET clients = clients + 1;"""
REMOVED = """
    UPDATE client_count SET clients = clients - 1
    WHERE archived = OLD.archived AND everyone = (OLD.owner IS NULL)
        AND owner = coalesce(OLD.owner, '');"""
TRIGGERS = {
    "client_count_added": f"AFTER INSERT ON client BEGIN {ADDED} END",
    "client_count_removed": f"AFTER DELETE ON client BEGIN {REMOVED} END",
    "client_count_moved": (
        "AFTER UPDATE OF archived, owner ON client"
        " WHEN OLD.archived IS NOT NEW.archived OR OLD.owner IS NOT NEW.owner"
        f" BEGIN {REMOVED} {ADDED} END"
    ),
}
FILL = (
    """INSERT INTO client_count (archived, everyone, owner, clients)
    SELECT archived, owner IS NULL, coalesce(owner, ''), count(*) FROM client
    GROUP BY archived, owner IS NULL, coalesce(owner, '')""",
)


def upgrade() -> None:
    op.drop_index("ix_opportunity_stage", table_name="opportunity")
    op.create_index("ix_opportunity_stage", "opportunity", ["stage", "value", "id"])
    op.drop_index("ix_opportunity_stage_expected_close_on", table_name="opportunity")
    op.create_index(
        "ix_opportunity_stage_expected_close_on",
        "opportunity",
        ["stage", "expected_close_on", "value", "probability", "client_id"],
    )
    op.create_index(
        "ix_opportunity_stage_closed_on",
        "opportunity",
        ["stage", "closed_on", "value", "probability", "client_id"],
    )
    op.create_table(
        "client_count",
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("everyone", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("archived", "everyone", "owner", name=op.f("pk_client_count")),
        sqlite_with_rowid=False,
    )
    for statement in FILL:
        op.execute(statement)
    create_triggers(op, TRIGGERS)


def downgrade() -> None:
    drop_triggers(op, list(TRIGGERS))
    op.drop_table("client_count")
    op.drop_index("ix_opportunity_stage_closed_on", table_name="opportunity")
    op.drop_index("ix_opportunity_stage_expected_close_on", table_name="opportunity")
    op.create_index(
        "ix_opportunity_stage_expected_close_on", "opportunity", ["stage", "expected_close_on"]
    )
    op.drop_index("ix_opportunity_stage", table_name="opportunity")
    op.create_index("ix_opportunity_stage", "opportunity", ["stage"])
