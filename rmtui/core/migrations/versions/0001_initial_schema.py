"""Initial schema: every table of the book, its indexes and the last-contact triggers.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 04:33:05.348872
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import create_triggers, drop_triggers
from rmtui.core.money_column import Money

# A client's last contact is kept by these triggers; a later migration that rebuilds the
# interaction or client table in batch mode must create them again.
LAST_CONTACT = """
    UPDATE client SET last_contact_on = (
        SELECT date(max(at)) FROM interaction
        WHERE client_id = client.id AND kind != 'note'
    ) WHERE id IN ({ids})
"""

TRIGGERS = {
    "interaction_contact_added": """
        AFTER INSERT ON interaction WHEN NEW.kind != 'note' BEGIN
            UPDATE client SET last_contact_on = date(NEW.at)
            WHERE id = NEW.client_id
              AND (last_contact_on IS NULL OR last_contact_on < date(NEW.at));
        END""",
    "interaction_contact_changed": f"""
        AFTER UPDATE OF client_id, at, kind ON interaction BEGIN
            {LAST_CONTACT.format(ids="OLD.client_id, NEW.client_id")};
        END""",
    "interaction_contact_removed": f"""
        AFTER DELETE ON interaction WHEN OLD.kind != 'note' BEGIN
            {LAST_CONTACT.format(ids="OLD.client_id")};
        END""",
}

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_audit_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("tier", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("company", sa.String(), nullable=True),
        sa.Column("city", sa.String(), nullable=True),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("preferred_channel", sa.String(), nullable=False),
        sa.Column("checkin_every_days", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("risk_profile", sa.String(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("client_since", sa.Date(), nullable=True),
        sa.Column("client_until", sa.Date(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("last_contact_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('person', 'business', 'corporate')", name=op.f("ck_client_kind_valid")
        ),
        sa.CheckConstraint(
            "preferred_channel IN ('phone', 'email', 'meeting', 'video', 'message')",
            name=op.f("ck_client_preferred_channel_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('lead', 'prospect', 'client', 'former')",
            name=op.f("ck_client_status_valid"),
        ),
        sa.CheckConstraint("tier IN ('A', 'B', 'C')", name=op.f("ck_client_tier_valid")),
        sa.CheckConstraint("checkin_every_days > 0", name=op.f("ck_client_cadence_positive")),
        sa.ForeignKeyConstraint(
            ["referred_by_id"],
            ["client.id"],
            name=op.f("fk_client_referred_by_id_client"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client")),
    )
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index("ix_client_archived_status", ["archived", "status"], unique=False)
        batch_op.create_index("ix_client_name_nocase", [sa.text("name COLLATE NOCASE")])
        batch_op.create_index(
            batch_op.f("ix_client_last_contact_on"), ["last_contact_on"], unique=False
        )

    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("target", Money(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(
            "ix_target_metric_period", ["metric", "period_start", "period_end"], unique=False
        )

    op.create_table(
        "case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.String(), nullable=True),
        sa.CheckConstraint("kind IN ('request', 'complaint')", name=op.f("ck_case_kind_valid")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_case_client_id_client"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case")),
    )
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_case_resolved_on_due_on", ["resolved_on", "due_on"], unique=False)

    op.create_table(
        "financial_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("target_amount", Money(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("current_amount", Money(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_financial_goal_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financial_goal")),
    )
    with op.batch_alter_table("financial_goal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_financial_goal_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "holding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_holding_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holding")),
    )
    with op.batch_alter_table("holding", schema=None) as batch_op:
        batch_op.create_index(
            "ix_holding_client_account_as_of", ["client_id", "account", "as_of"], unique=False
        )

    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=True),
        sa.Column("duration_min", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "direction IN ('in', 'out')", name=op.f("ck_interaction_direction_valid")
        ),
        sa.CheckConstraint(
            "kind IN ('call', 'meeting', 'email', 'video', 'message', 'visit', 'note')",
            name=op.f("ck_interaction_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_interaction_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction")),
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index("ix_interaction_at", ["at"], unique=False)
        batch_op.create_index("ix_interaction_client_at", ["client_id", "at"], unique=False)
        batch_op.create_index(
            "ix_interaction_contact",
            ["client_id", "at"],
            unique=False,
            sqlite_where=sa.text("kind != 'note'"),
        )

    op.create_table(
        "opportunity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("product", sa.String(), nullable=True),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("lost_reason", sa.String(), nullable=True),
        sa.CheckConstraint(
            "stage IN ('lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost')",
            name=op.f("ck_opportunity_stage_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_opportunity_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity")),
    )
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opportunity_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_opportunity_closed_on", ["closed_on"], unique=False)
        batch_op.create_index("ix_opportunity_stage", ["stage"], unique=False)

    op.create_table(
        "revenue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('fee', 'commission', 'interest', 'other')", name=op.f("ck_revenue_kind_valid")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_revenue_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revenue")),
    )
    with op.batch_alter_table("revenue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revenue_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_revenue_on", ["on"], unique=False)

    op.create_table(
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("csat", sa.Integer(), nullable=True),
        sa.Column("nps", sa.Integer(), nullable=True),
        sa.Column("comment", sa.String(), nullable=True),
        sa.CheckConstraint(
            "csat IS NULL OR csat BETWEEN 1 AND 5", name=op.f("ck_survey_csat_range")
        ),
        sa.CheckConstraint("nps IS NULL OR nps BETWEEN 0 AND 10", name=op.f("ck_survey_nps_range")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_survey_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey")),
    )
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_survey_on", ["on"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("priority", sa.String(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "priority IN ('normal', 'high')", name=op.f("ck_follow_up_priority_valid")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'done', 'cancelled')", name=op.f("ck_follow_up_status_valid")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_follow_up_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_follow_up_interaction_id_interaction"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(
            "ix_follow_up_client_status_due_on", ["client_id", "status", "due_on"], unique=False
        )
        batch_op.create_index("ix_follow_up_status_due_on", ["status", "due_on"], unique=False)
    create_triggers(op, TRIGGERS)


def downgrade() -> None:
    drop_triggers(op, list(TRIGGERS))

    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_status_due_on")
        batch_op.drop_index("ix_follow_up_client_status_due_on")

    op.drop_table("follow_up")
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_on")
        batch_op.drop_index(batch_op.f("ix_survey_client_id"))

    op.drop_table("survey")
    with op.batch_alter_table("revenue", schema=None) as batch_op:
        batch_op.drop_index("ix_revenue_on")
        batch_op.drop_index(batch_op.f("ix_revenue_client_id"))

    op.drop_table("revenue")
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunity_stage")
        batch_op.drop_index("ix_opportunity_closed_on")
        batch_op.drop_index(batch_op.f("ix_opportunity_client_id"))

    op.drop_table("opportunity")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_contact", sqlite_where=sa.text("kind != 'note'"))
        batch_op.drop_index("ix_interaction_client_at")
        batch_op.drop_index("ix_interaction_at")

    op.drop_table("interaction")
    with op.batch_alter_table("holding", schema=None) as batch_op:
        batch_op.drop_index("ix_holding_client_account_as_of")

    op.drop_table("holding")
    with op.batch_alter_table("financial_goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_financial_goal_client_id"))

    op.drop_table("financial_goal")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index("ix_case_resolved_on_due_on")
        batch_op.drop_index(batch_op.f("ix_case_client_id"))

    op.drop_table("case")
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index("ix_target_metric_period")

    op.drop_table("target")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_last_contact_on"))
        batch_op.drop_index("ix_client_archived_status")

    op.drop_table("client")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entity")
        batch_op.drop_index(batch_op.f("ix_audit_client_id"))

    op.drop_table("audit")
