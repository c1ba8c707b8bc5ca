"""Planning the year: repeating follow-ups, review cycles, case clocks, the pipeline forecast.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00.000000

`follow_up` gets a time of day (`due_at`), `notes` and a `repeat` rule; `opportunity` an
`expected_close_on` and a `probability` (NULL: the stage's); `case` the `clock` its deadline
was set by, whether it counts `business_days`, and the `extension_reason` of an extended one;
`public_holiday` holds the holidays a business-day clock has needed, by country.

For review cycles, `client.review_every_months` (NULL: by tier) and `interaction.review` (a
meeting logged as a review); `client.last_review_on` and `last_meeting_on` are kept by the
triggers below, like `last_contact_on`, and `ix_client_review_due` is built on the day the
next review falls due (rules.review_due_sql), so the agenda reads the reviews due in order.

Every column is added with ALTER TABLE ADD COLUMN, so no table is rebuilt and the triggers of
the earlier revisions stay; existing rows get NULL, or false for the flags. The SQL is
written out in full so that this migration keeps doing what it did when later ones change
the rules.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import create_triggers, drop_triggers, index_columns

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEETING = "kind IN ('meeting', 'video', 'visit')"
# rules.review_due_sql as of this revision.
REVIEW_BASE = "coalesce(last_review_on, last_meeting_on, client_since)"
REVIEW_MONTHS = (
    "coalesce(review_every_months, CASE tier WHEN 'A' THEN 6 WHEN 'B' THEN 12 WHEN 'C' THEN 24 END)"
)
REVIEW_DUE = (
    f"min(date({REVIEW_BASE}, 'start of month', '+' || {REVIEW_MONTHS} || ' months',"
    f" '+' || (CAST(strftime('%d', {REVIEW_BASE}) AS INTEGER) - 1) || ' days'),"
    f" date({REVIEW_BASE}, 'start of month', '+' || ({REVIEW_MONTHS} + 1) || ' months',"
    " '-1 day'))"
)
# The index covers the agenda's reviews: with the columns the day is computed from.
REVIEW_INDEX_COLUMNS = (
    "tier",
    "name",
    "archived",
    "client_since",
    "client_until",
    "last_review_on",
    "last_meeting_on",
    "review_every_months",
)

# The latest day of the interactions of clients {ids} meeting {condition}, into {column}.
LATEST = """
    UPDATE client SET {column} = (
        SELECT date(max(at)) FROM interaction
        WHERE client_id = client.id AND {condition}
    ) WHERE id IN ({ids})"""


def _kept(column: str, condition: str, changed: str) -> dict[str, str]:
    """The triggers keeping `column` the latest day of a client's interactions meeting
    `condition` (of NEW or OLD), when one is added, changed (`changed` columns) or removed."""
    new, old = condition.replace("{row}", "NEW"), condition.replace("{row}", "OLD")
    plain = condition.replace("{row}.", "")
    return {
        f"interaction_{column}_added": f"""
            AFTER INSERT ON interaction WHEN {new} BEGIN
                UPDATE client SET {column} = date(NEW.at)
                WHERE id = NEW.client_id AND ({column} IS NULL OR {column} < date(NEW.at));
            END""",
        f"interaction_{column}_changed": f"""
            AFTER UPDATE OF {changed} ON interaction WHEN {old} OR {new} BEGIN
                {LATEST.format(column=column, condition=plain, ids="OLD.client_id, NEW.client_id")};
            END""",
        f"interaction_{column}_removed": f"""
            AFTER DELETE ON interaction WHEN {old} BEGIN
                {LATEST.format(column=column, condition=plain, ids="OLD.client_id")};
            END""",
    }


TRIGGERS = {
    **_kept("last_review_on", "{row}.review", "at, review, client_id"),
    **_kept("last_meeting_on", "{row}." + MEETING, "at, kind, client_id"),
}
FILL = LATEST.format(
    column="last_meeting_on",
    condition=MEETING,
    ids=f"SELECT DISTINCT client_id FROM interaction WHERE {MEETING}",
)
COLUMNS: dict[str, list[sa.Column[object]]] = {
    "follow_up": [
        sa.Column("due_at", sa.Time(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        sa.Column("repeat", sa.String(), nullable=True),
    ],
    "opportunity": [
        sa.Column("expected_close_on", sa.Date(), nullable=True),
        sa.Column("probability", sa.Integer(), nullable=True),
    ],
    "case": [
        sa.Column("clock", sa.String(), nullable=True),
        sa.Column("business_days", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("extension_reason", sa.String(), nullable=True),
    ],
    "interaction": [
        sa.Column("review", sa.Boolean(), nullable=False, server_default=sa.false()),
    ],
    "client": [
        sa.Column("review_every_months", sa.Integer(), nullable=True),
        sa.Column("last_review_on", sa.Date(), nullable=True),
        sa.Column("last_meeting_on", sa.Date(), nullable=True),
    ],
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        for column in columns:
            op.add_column(table, column)
    op.create_table(
        "public_holiday",
        sa.Column("country", sa.String(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("country", "on", name=op.f("pk_public_holiday")),
        sqlite_with_rowid=False,
    )
    op.execute(FILL)
    op.create_index(
        "ix_client_review_due",
        "client",
        index_columns(op, [sa.text(REVIEW_DUE), *REVIEW_INDEX_COLUMNS]),
    )
    op.create_index(
        "ix_opportunity_stage_expected_close_on", "opportunity", ["stage", "expected_close_on"]
    )
    create_triggers(op, TRIGGERS)


def downgrade() -> None:
    drop_triggers(op, list(TRIGGERS))
    op.drop_index("ix_opportunity_stage_expected_close_on", table_name="opportunity")
    op.drop_index("ix_client_review_due", table_name="client")
    op.drop_table("public_holiday")
    # Without rebuilding the tables, which would drop their triggers.
    for table, columns in reversed(COLUMNS.items()):
        for column in reversed(columns):
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN {column.name}')
