"""Today ranked by urgency: indexes that hold what the agenda reads of each listed client.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 12:00:00.000000

An agenda item's urgency counts its client's assets on the day, revenue of the last 12 months
and last survey (core/agenda_terms.py). Each is read from an index that holds all it needs:
`ix_holding_client_in_effect` (the client's snapshots by the day they were replaced, with
their values), `ix_revenue_client_on` and `ix_survey_client_on`, which replace the indexes on
`client_id` alone that they begin with. `ix_client_birthday_month_day` gets the columns a
week's birthdays are listed with, so that it covers them too. Only indexes change: no table
is rebuilt and no row is touched.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import index_columns

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIRTHDAY = "strftime('%m-%d', birthday)"  # rules.birthday_month_day_sql as of this revision


def upgrade() -> None:
    op.create_index(
        "ix_holding_client_in_effect", "holding", ["client_id", "superseded_on", "as_of", "value"]
    )
    op.drop_index("ix_revenue_client_id", table_name="revenue")
    op.create_index("ix_revenue_client_on", "revenue", ["client_id", "on", "amount"])
    op.drop_index("ix_survey_client_id", table_name="survey")
    op.create_index("ix_survey_client_on", "survey", ["client_id", "on", "nps"])
    op.drop_index("ix_client_birthday_month_day", table_name="client")
    op.create_index(
        "ix_client_birthday_month_day",
        "client",
        index_columns(op, [sa.text(BIRTHDAY), "archived", "name", "birthday", "tier"]),
    )


def downgrade() -> None:
    op.drop_index("ix_client_birthday_month_day", table_name="client")
    op.create_index(
        "ix_client_birthday_month_day", "client", index_columns(op, [sa.text(BIRTHDAY)])
    )
    op.drop_index("ix_survey_client_on", table_name="survey")
    op.create_index("ix_survey_client_id", "survey", ["client_id"])
    op.drop_index("ix_revenue_client_on", table_name="revenue")
    op.create_index("ix_revenue_client_id", "revenue", ["client_id"])
    op.drop_index("ix_holding_client_in_effect", table_name="holding")
