"""The pipeline board and the forecast read a roll-up of the deals by stage and day.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 22:00:00.000000

`pipeline_day` holds, by stage, day and whether the client is archived, how many deals there
are, their value (cents) and their weighted value (cents times percent: each deal's value
times its own probability, else its stage's). The day of an open deal is its expected close
day, that of a won or lost deal the day it was closed; '9999-12-31' when it has none. The
board's totals by stage (open, and won or lost since a day) and the forecast's by month (and
those past their day: every deal of a day before today's), over the clients not archived, and
the win rate of a period, over every client, are then sums over a few thousand rows, however
many deals and clients the book holds.

Triggers keep it in the transaction of each change: a deal added, changed (client, stage,
value, probability, close days) or removed moves in or out of its row; a client archived or
brought back moves all its deals to the rows of its new state, and a client's deletion takes
them out before the row goes (its deals, deleted with it afterwards, find no client then and
take nothing away). Rows left at no deal are removed. It is filled here from the deals.

The SQL is written out in full (each stage's probability included), so that this migration
keeps doing what it did when later ones change the schema.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import create_triggers, drop_triggers

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_DAY = "'9999-12-31'"  # the day of a deal without one
KEY = '(stage, "on", archived)'
SUMS = ("deals", "value", "weighted")
ADDED_UP = ", ".join(f"{name} = {name} + excluded.{name}" for name in SUMS)
UPSERT = f"ON CONFLICT {KEY} DO UPDATE SET {ADDED_UP}"


def day(row: str) -> str:
    """SQL: the day of deal `row` (a prefix: "NEW.", "r.", ""): its closing day when it is won
    or lost, else its expected close day; NO_DAY when it has none."""
    return (
        f"CASE WHEN {row}stage IN ('won', 'lost') THEN coalesce({row}closed_on, {NO_DAY})"
        f" ELSE coalesce({row}expected_close_on, {NO_DAY}) END"
    )


def percent(row: str) -> str:
    """SQL: the chance deal `row` is won, in percent: its own, else its stage's."""
    return (
        f"coalesce({row}probability, CASE {row}stage WHEN 'lead' THEN 10"
        " WHEN 'qualified' THEN 25 WHEN 'proposal' THEN 50 WHEN 'negotiation' THEN 75"
        " WHEN 'won' THEN 100 WHEN 'lost' THEN 0 END)"
    )


def deal_row(row: str, sign: str) -> str:
    """SQL: add (`sign` "") or take away (`sign` "-") deal `row` (NEW or OLD) in its row,
    when its client is there."""
    return f"""
    INSERT INTO pipeline_day (stage, "on", archived, deals, value, weighted)
    SELECT {row}.stage, {day(f"{row}.")}, k.archived, {sign}1, {sign}{row}.value,
        {sign}({row}.value * {percent(f"{row}.")})
    FROM client AS k WHERE k.id = {row}.client_id
    {UPSERT}"""


LEFT_EMPTY = f"""
    DELETE FROM pipeline_day WHERE stage = OLD.stage AND "on" = {day("OLD.")} AND deals = 0"""


def client_deals(row: str, sign: str) -> str:
    """SQL: add (`sign` "") or take away (`sign` "-") every deal of client `row` (NEW or OLD)
    in the rows of its archived state."""
    return f"""
    INSERT INTO pipeline_day (stage, "on", archived, deals, value, weighted)
    SELECT stage, {day("")}, {row}.archived, {sign}count(*), {sign}sum(value),
        {sign}sum(value * {percent("")})
    FROM opportunity WHERE client_id = {row}.id GROUP BY 1, 2
    {UPSERT}"""


CLIENT_LEFT_EMPTY = "DELETE FROM pipeline_day WHERE deals = 0"


def body(statements: Sequence[str]) -> str:
    return "".join(f"{statement};\n" for statement in statements)


DEAL_COLUMNS = ("client_id", "stage", "value", "probability", "expected_close_on", "closed_on")
TRIGGERS = {
    "pipeline_day_added": f"AFTER INSERT ON opportunity BEGIN {body([deal_row('NEW', '')])} END",
    "pipeline_day_changed": f"""
        AFTER UPDATE OF {", ".join(DEAL_COLUMNS)} ON opportunity
        WHEN {" OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in DEAL_COLUMNS)} BEGIN
            {body([deal_row("OLD", "-"), deal_row("NEW", ""), LEFT_EMPTY])}
        END""",
    "pipeline_day_removed": f"""
        AFTER DELETE ON opportunity BEGIN
            {body([deal_row("OLD", "-"), LEFT_EMPTY])}
        END""",
    # Archived: the client's deals leave the board; brought back: they come back.
    "pipeline_day_client_archived": f"""
        AFTER UPDATE OF archived ON client WHEN OLD.archived IS NOT NEW.archived BEGIN
            {body([client_deals("OLD", "-"), client_deals("NEW", ""), CLIENT_LEFT_EMPTY])}
        END""",
    # Before the row goes: its deals, deleted with it afterwards, find no client then.
    "pipeline_day_client_removed": f"""
        BEFORE DELETE ON client BEGIN
            {body([client_deals("OLD", "-"), CLIENT_LEFT_EMPTY])}
        END""",
}
FILL = (
    f"""
    INSERT INTO pipeline_day (stage, "on", archived, deals, value, weighted)
    SELECT r.stage, {day("r.")}, k.archived, count(*), sum(r.value),
        sum(r.value * {percent("r.")})
    FROM opportunity AS r JOIN client AS k ON k.id = r.client_id
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
)


def upgrade() -> None:
    cents = sa.Integer().with_variant(sa.BigInteger(), "postgresql")
    op.create_table(
        "pipeline_day",
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.Column("value", cents, nullable=False),
        sa.Column("weighted", cents, nullable=False),
        sa.PrimaryKeyConstraint("stage", "on", "archived", name=op.f("pk_pipeline_day")),
        sqlite_with_rowid=False,
    )
    for statement in FILL:
        op.execute(statement)
    create_triggers(op, TRIGGERS)


def downgrade() -> None:
    drop_triggers(op, list(TRIGGERS))
    op.drop_table("pipeline_day")
