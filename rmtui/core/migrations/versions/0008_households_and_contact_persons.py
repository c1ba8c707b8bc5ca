"""Households and contact persons: clients looked after together, the people at a business.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00.000000

`household` groups clients looked after together; `household_member` holds each member with
a role, a client in at most one household (a unique index). With `shared_checkin`, a contact
with one member counts for the household: the client's `household_contact_on`, kept by the
triggers below, is the latest last contact of its household's members and
`shared_household_id` the household (both None when it does not share check-ins), and the
agenda asks about such a household once, counting a check-in from that contact through
`ix_client_household_checkin_due`, an index on that rule's expression (rules.py).

`contact_person` holds the people at a business or corporate client; an interaction may name
the one it was with (`interaction.contact_person_id`, cleared when the person is deleted).
`contact_person_fts` is a trigram index over their name, role, e-mail and phone, like
`contact_point_fts` (migration 0007, whose notes apply), so that the client filter finds a
client by its people.

Columns are added with ALTER TABLE ADD COLUMN: the client and interaction tables are not
rebuilt and their triggers stay. A book has no households yet, so there is nothing to fill.
`ix_client_referred_by_id` serves the referrals a client's detail shows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import create_triggers, drop_triggers, index_columns

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = "'head', 'partner', 'child', 'dependent', 'other'"
# The agenda's check-in rule as of this revision (rules.household_checkin_due_sql).
TIER_CADENCE = "CASE tier WHEN 'A' THEN 30 WHEN 'B' THEN 90 WHEN 'C' THEN 180 END"
HOUSEHOLD_CHECKIN_DUE = (
    "julianday(coalesce(household_contact_on, last_contact_on, client_since))"
    f" + coalesce(checkin_every_days, {TIER_CADENCE})"
)
CHECKIN_INDEX_COLUMNS = (
    "tier",
    "name",
    "archived",
    "client_since",
    "client_until",
    "last_contact_on",
    "household_contact_on",
    "shared_household_id",
)

# Every member of household {household} gets its id and latest last contact when it shares
# check-ins (else NULL).
SHARE_CONTACT = """
    UPDATE client SET (shared_household_id, household_contact_on) = (
        SELECT CASE WHEN h.shared_checkin THEN h.id END, CASE WHEN h.shared_checkin THEN (
            SELECT max(m.last_contact_on) FROM household_member AS o
            JOIN client AS m ON m.id = o.client_id WHERE o.household_id = h.id) END
        FROM household AS h WHERE h.id = {household})
    WHERE id IN (SELECT client_id FROM household_member WHERE household_id = {household})"""
CLEAR_CONTACT = """
    UPDATE client SET shared_household_id = NULL, household_contact_on = NULL
    WHERE id = {client}"""
HOUSEHOLD_TRIGGERS = {
    "household_contact_changed": f"""
        AFTER UPDATE OF last_contact_on ON client
        WHEN NEW.last_contact_on IS NOT OLD.last_contact_on BEGIN
            {
        SHARE_CONTACT.format(
            household="(SELECT household_id FROM household_member WHERE client_id = NEW.id)"
        )
    };
        END""",
    "household_member_added": f"""
        AFTER INSERT ON household_member BEGIN
            {SHARE_CONTACT.format(household="NEW.household_id")};
        END""",
    "household_member_moved": f"""
        AFTER UPDATE OF household_id, client_id ON household_member BEGIN
            {CLEAR_CONTACT.format(client="OLD.client_id")};
            {SHARE_CONTACT.format(household="OLD.household_id")};
            {SHARE_CONTACT.format(household="NEW.household_id")};
        END""",
    "household_member_removed": f"""
        AFTER DELETE ON household_member BEGIN
            {CLEAR_CONTACT.format(client="OLD.client_id")};
            {SHARE_CONTACT.format(household="OLD.household_id")};
        END""",
    "household_sharing_changed": f"""
        AFTER UPDATE OF shared_checkin ON household BEGIN
            {SHARE_CONTACT.format(household="NEW.id")};
        END""",
}

PERSON_COLUMNS = "name, role, email, phone"
CREATE_PERSON_INDEX = f"""
    CREATE VIRTUAL TABLE contact_person_fts USING fts5(
        {PERSON_COLUMNS}, content='contact_person', content_rowid='id', tokenize='trigram'
    )"""
INDEX_NEW = (
    f"INSERT INTO contact_person_fts (rowid, {PERSON_COLUMNS})"
    f" VALUES (NEW.id, NEW.name, NEW.role, NEW.email, NEW.phone)"
)
UNINDEX_OLD = f"""
    INSERT INTO contact_person_fts (contact_person_fts, rowid, {PERSON_COLUMNS})
    VALUES ('delete', OLD.id, OLD.name, OLD.role, OLD.email, OLD.phone)"""
SEARCH_TRIGGERS = {
    "contact_person_fts_added": f"""
        AFTER INSERT ON contact_person BEGIN
            {INDEX_NEW};
        END""",
    "contact_person_fts_changed": f"""
        AFTER UPDATE OF id, {PERSON_COLUMNS} ON contact_person BEGIN
            {UNINDEX_OLD};
            {INDEX_NEW};
        END""",
    "contact_person_fts_removed": f"""
        AFTER DELETE ON contact_person BEGIN
            {UNINDEX_OLD};
        END""",
}


def trigram_available() -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer (tried on a temporary table)."""
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return False  # FTS5 is SQLite's; PostgreSQL's search uses pg_trgm (see 0009)
    try:
        connection.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.person_fts_probe USING fts5(probe, tokenize='trigram')"
        )
    except sa.exc.OperationalError:
        return False
    connection.exec_driver_sql("DROP TABLE temp.person_fts_probe")
    return True


def upgrade() -> None:
    _create_contact_persons()
    _create_households()
    _index_referrals()
    if trigram_available():
        op.execute(CREATE_PERSON_INDEX)
        create_triggers(op, SEARCH_TRIGGERS)


def _create_contact_persons() -> None:
    op.create_table(
        "contact_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("decision_maker", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_contact_person_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_person")),
    )
    op.create_index("ix_contact_person_client_id", "contact_person", ["client_id"])
    op.execute(
        "ALTER TABLE interaction ADD COLUMN contact_person_id INTEGER"
        " CONSTRAINT fk_interaction_contact_person_id_contact_person"
        " REFERENCES contact_person (id) ON DELETE SET NULL"
    )
    op.create_index("ix_interaction_contact_person_id", "interaction", ["contact_person_id"])


def _create_households() -> None:
    op.create_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("shared_checkin", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    op.create_table(
        "household_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.CheckConstraint(f"role IN ({ROLES})", name=op.f("ck_household_member_role_valid")),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_household_member_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_household_member_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_member")),
    )
    op.create_index("ix_household_member_household_id", "household_member", ["household_id"])
    op.create_index("ix_household_member_client", "household_member", ["client_id"], unique=True)
    op.add_column("client", sa.Column("household_contact_on", sa.Date(), nullable=True))
    op.add_column("client", sa.Column("shared_household_id", sa.Integer(), nullable=True))
    op.create_index("ix_client_household_contact_on", "client", ["household_contact_on"])
    op.create_index(
        "ix_client_household_checkin_due",
        "client",
        index_columns(op, [sa.text(HOUSEHOLD_CHECKIN_DUE), *CHECKIN_INDEX_COLUMNS]),
    )
    create_triggers(op, HOUSEHOLD_TRIGGERS)


def _index_referrals() -> None:
    """Whom a client referred is read on their detail; and a deleted client's referrals are
    cleared through this index rather than by reading every client."""
    op.create_index("ix_client_referred_by_id", "client", ["referred_by_id"])


def downgrade() -> None:
    op.drop_index("ix_client_referred_by_id", table_name="client")
    drop_triggers(op, (*SEARCH_TRIGGERS, *HOUSEHOLD_TRIGGERS))
    op.execute("DROP TABLE IF EXISTS contact_person_fts")
    op.drop_index("ix_client_household_checkin_due", table_name="client")
    op.drop_index("ix_client_household_contact_on", table_name="client")
    # Without rebuilding the client and interaction tables, which would drop their triggers.
    op.execute("ALTER TABLE client DROP COLUMN household_contact_on")
    op.execute("ALTER TABLE client DROP COLUMN shared_household_id")
    op.drop_table("household_member")
    op.drop_table("household")
    op.drop_index("ix_interaction_contact_person_id", table_name="interaction")
    op.execute("ALTER TABLE interaction DROP COLUMN contact_person_id")
    op.drop_table("contact_person")
