"""KPI and agenda speed: indexes, holding.superseded_on and daily roll-ups kept by triggers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 06:30:00.000000

Nothing here rebuilds a table (indexes are created in place and the holding column, whose
default is a plain string, is added with ALTER TABLE), so the 0001 last-contact triggers stay
as they are. The SQL is written out in full so that this migration keeps doing what it did
when later ones change the schema.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import create_triggers, drop_triggers, index_columns
from rmtui.core.money_column import Money

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_SUPERSEDED = "9999-12-31"

# The as_of of the snapshot after `{row}` in (as_of, id) order, of the same client and account.
NEXT_AS_OF = """coalesce((
    SELECT min(later.as_of) FROM holding AS later
    WHERE later.client_id = {row}.client_id AND later.account = {row}.account
      AND later.as_of >= {row}.as_of AND (later.as_of > {row}.as_of OR later.id > {row}.id)
), '9999-12-31')"""

# Rows of the same client and account before NEW in (as_of, id) order take NEW.as_of as the
# day they were superseded when it is earlier than the one they had.
SUPERSEDED_BY_NEW = """
    UPDATE holding SET superseded_on = NEW.as_of
    WHERE client_id = NEW.client_id AND account = NEW.account
      AND as_of <= NEW.as_of AND (as_of < NEW.as_of OR id < NEW.id)
      AND superseded_on > NEW.as_of"""
NEW_SUPERSEDED_ON = f"""
    UPDATE holding SET superseded_on = {NEXT_AS_OF.format(row="NEW")} WHERE id = NEW.id"""
# Rows that OLD superseded look again for the snapshot after them.
SUPERSEDED_BY_OLD = f"""
    UPDATE holding SET superseded_on = {NEXT_AS_OF.format(row="holding")}
    WHERE client_id = OLD.client_id AND account = OLD.account AND superseded_on = OLD.as_of"""

ADD_REVENUE = """
    INSERT INTO revenue_day ("on", amount, entries) VALUES (NEW."on", NEW.amount, 1)
    ON CONFLICT ("on") DO UPDATE SET amount = amount + excluded.amount, entries = entries + 1"""
REMOVE_REVENUE = """
    UPDATE revenue_day SET amount = amount - OLD.amount, entries = entries - 1
    WHERE "on" = OLD."on";
    DELETE FROM revenue_day WHERE "on" = OLD."on" AND entries = 0"""
ADD_CONTACT = """
    INSERT INTO contact_day ("on", contacts) VALUES (date(NEW.at), 1)
    ON CONFLICT ("on") DO UPDATE SET contacts = contacts + 1"""
REMOVE_CONTACT = """
    UPDATE contact_day SET contacts = contacts - 1 WHERE "on" = date(OLD.at);
    DELETE FROM contact_day WHERE "on" = date(OLD.at) AND contacts = 0"""

TRIGGERS = {
    "holding_added": f"""
        AFTER INSERT ON holding BEGIN
            {NEW_SUPERSEDED_ON};
            {SUPERSEDED_BY_NEW};
        END""",
    "holding_moved": f"""
        AFTER UPDATE OF client_id, account, as_of ON holding BEGIN
            {SUPERSEDED_BY_OLD};
            {NEW_SUPERSEDED_ON};
            {SUPERSEDED_BY_NEW};
        END""",
    "holding_removed": f"""
        AFTER DELETE ON holding BEGIN
            {SUPERSEDED_BY_OLD};
        END""",
    "revenue_added": f"""
        AFTER INSERT ON revenue BEGIN
            {ADD_REVENUE};
        END""",
    "revenue_changed": f"""
        AFTER UPDATE OF "on", amount ON revenue BEGIN
            {REMOVE_REVENUE};
            {ADD_REVENUE};
        END""",
    "revenue_removed": f"""
        AFTER DELETE ON revenue BEGIN
            {REMOVE_REVENUE};
        END""",
    "contact_day_added": f"""
        AFTER INSERT ON interaction WHEN NEW.kind != 'note' BEGIN
            {ADD_CONTACT};
        END""",
    "contact_day_left": f"""
        AFTER UPDATE OF at, kind ON interaction WHEN OLD.kind != 'note' BEGIN
            {REMOVE_CONTACT};
        END""",
    "contact_day_joined": f"""
        AFTER UPDATE OF at, kind ON interaction WHEN NEW.kind != 'note' BEGIN
            {ADD_CONTACT};
        END""",
    "contact_day_removed": f"""
        AFTER DELETE ON interaction WHEN OLD.kind != 'note' BEGIN
            {REMOVE_CONTACT};
        END""",
}

# The maintained values of the rows already in the book, as the triggers would have kept them.
FILL = (
    f"UPDATE holding SET superseded_on = {NEXT_AS_OF.format(row='holding')}",
    """INSERT INTO revenue_day ("on", amount, entries)
       SELECT "on", sum(amount), count(*) FROM revenue GROUP BY "on" ORDER BY "on" """,
    """INSERT INTO contact_day ("on", contacts)
       SELECT date(at), count(*) FROM interaction WHERE kind != 'note'
       GROUP BY date(at) ORDER BY date(at)""",
)

INDEXES: list[tuple[str, str, list[str | sa.TextClause]]] = [
    ("ix_client_since_until", "client", ["client_since", "client_until"]),
    ("ix_client_created_on", "client", ["created_on", "client_since"]),
    (
        "ix_client_checkin_due",
        "client",
        [
            sa.text("julianday(coalesce(last_contact_on, client_since)) + checkin_every_days"),
            "tier",
            "name",
            "archived",
            "client_since",
            "client_until",
            "last_contact_on",
        ],
    ),
    ("ix_client_birthday_month_day", "client", [sa.text("strftime('%m-%d', birthday)")]),
    ("ix_holding_in_effect", "holding", ["superseded_on", "as_of", "client_id", "value"]),
]


def upgrade() -> None:
    with op.batch_alter_table("holding", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "superseded_on",
                sa.Date(),
                nullable=False,
                server_default=NOT_SUPERSEDED,
            )
        )
    op.create_table(
        "revenue_day",
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("on", name=op.f("pk_revenue_day")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "contact_day",
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("on", name=op.f("pk_contact_day")),
        sqlite_with_rowid=False,
    )
    for statement in FILL:
        op.execute(statement)
    for name, table, columns in INDEXES:
        op.create_index(name, table, index_columns(op, columns), unique=False)
    create_triggers(op, TRIGGERS)


def downgrade() -> None:
    drop_triggers(op, list(TRIGGERS))
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table("contact_day")
    op.drop_table("revenue_day")
    with op.batch_alter_table("holding", schema=None) as batch_op:
        batch_op.drop_column("superseded_on")
