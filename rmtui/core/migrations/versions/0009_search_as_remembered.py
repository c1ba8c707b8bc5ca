"""Client search as people remember: one folded search text per client, one index over it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 09:00:00.000000

The three trigram indexes the client filter read (`client_fts` over the client, 0003;
`contact_point_fts` over its e-mail addresses and phone numbers, 0007; `contact_person_fts`
over the people at a business, 0008) give way to one over a table with a row per client,
so that a word is one lookup instead of a union of three, and a count needs no join.

`client_search_text` (id = client id) holds what the filter looks in, as the view
`client_search_folded` computes it: the client's name, company, e-mail, city and tags (their
values, not their JSON), its other contact points and its contact persons' e-mail and phone
(`contacts`), its contact persons' names and roles (`people`), each with its accents left
out as `rmtui.core.search_text.fold_sql` folds them; and the national number of each of its
phone numbers however written (`digits`, each after a space, `search_text.national_sql`).
The filter folds what is typed the same way, and looks a phone number up by the start of
its national number. Triggers on the client, contact point and contact person tables write
a client's row again from the view (when it changed) and delete it with the client.

`client_search` is a trigram index over that table (external content), kept by the table's
own triggers, which hand the index the old values of a row exactly as they are stored.
Where SQLite has no trigram tokenizer there is no index; the filter then matches words with
LIKE against the table. The table costs about 25 MB at 100,000 clients, and the index is
the size of the three it replaces together.
"""

from collections.abc import Sequence
from importlib import import_module
from typing import Any

import sqlalchemy as sa
from alembic import op

from rmtui.core.dialects import create_triggers, drop_triggers
from rmtui.core.search_text import fold_function_sql, fold_sql, national_sql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("name", "company", "email", "city", "tags", "contacts", "people", "digits")
NAMES = ", ".join(COLUMNS)

CREATE_VIEW = f"""
    CREATE VIEW client_search_folded AS SELECT
        c.id AS id,
        {fold_sql("c.name")} AS name,
        {fold_sql("c.company")} AS company,
        {fold_sql("c.email")} AS email,
        {fold_sql("c.city")} AS city,
        (SELECT group_concat({fold_sql("t.value")}, ' ')
            FROM json_each(CASE WHEN json_valid(c.tags) THEN c.tags END) AS t) AS tags,
        (SELECT group_concat({fold_sql("v")}, ' ') FROM (
            SELECT c.phone AS v
            UNION ALL SELECT p.value FROM contact_point AS p
                WHERE p.client_id = c.id AND p.value IS NOT c.email AND p.value IS NOT c.phone
            UNION ALL SELECT q.email FROM contact_person AS q WHERE q.client_id = c.id
            UNION ALL SELECT q.phone FROM contact_person AS q WHERE q.client_id = c.id
        )) AS contacts,
        (SELECT group_concat({fold_sql("q.name")} || coalesce(' ' || {fold_sql("q.role")}, ''), ' ')
            FROM contact_person AS q WHERE q.client_id = c.id) AS people,
        ' ' || (SELECT group_concat(n, ' ') FROM (SELECT DISTINCT {national_sql("v")} AS n FROM (
            SELECT c.phone AS v
            UNION ALL SELECT p.value FROM contact_point AS p
                WHERE p.client_id = c.id AND p.kind = 'phone'
            UNION ALL SELECT q.phone FROM contact_person AS q WHERE q.client_id = c.id
        ))) AS digits
    FROM client AS c"""
# The same view on PostgreSQL, whose tags are a JSON column and whose folding is a function.
CREATE_VIEW_POSTGRESQL = f"""
    CREATE VIEW client_search_folded AS SELECT
        c.id AS id,
        rmtui_fold(c.name) AS name,
        rmtui_fold(c.company) AS company,
        rmtui_fold(c.email) AS email,
        rmtui_fold(c.city) AS city,
        (SELECT string_agg(rmtui_fold(t.value), ' ')
            FROM json_array_elements_text(
                CASE WHEN json_typeof(c.tags) = 'array' THEN c.tags END) AS t(value)) AS tags,
        (SELECT string_agg(rmtui_fold(v), ' ') FROM (
            SELECT c.phone AS v
            UNION ALL SELECT p.value FROM contact_point AS p
                WHERE p.client_id = c.id AND p.value IS DISTINCT FROM c.email
                  AND p.value IS DISTINCT FROM c.phone
            UNION ALL SELECT q.email FROM contact_person AS q WHERE q.client_id = c.id
            UNION ALL SELECT q.phone FROM contact_person AS q WHERE q.client_id = c.id
        ) AS contact) AS contacts,
        (SELECT string_agg(rmtui_fold(q.name) || coalesce(' ' || rmtui_fold(q.role), ''), ' ')
            FROM contact_person AS q WHERE q.client_id = c.id) AS people,
        ' ' || (SELECT string_agg(n, ' ') FROM (SELECT DISTINCT {national_sql("v")} AS n FROM (
            SELECT c.phone AS v
            UNION ALL SELECT p.value FROM contact_point AS p
                WHERE p.client_id = c.id AND p.kind = 'phone'
            UNION ALL SELECT q.phone FROM contact_person AS q WHERE q.client_id = c.id
        ) AS number) AS national) AS digits
    FROM client AS c"""
# PostgreSQL's search index: pg_trgm over each column of the search text, which the filter's
# LIKE '%word%' reads.
TRIGRAM_INDEXES = tuple(
    f"CREATE INDEX ix_client_search_text_{name} ON client_search_text"
    f" USING gin ({name} gin_trgm_ops)"
    for name in COLUMNS
)
CREATE_INDEX = f"""
    CREATE VIRTUAL TABLE client_search USING fts5(
        {NAMES}, content='client_search_text', content_rowid='id', tokenize='trigram'
    )"""
# The index of the rows already in the table (also run by the benchmark's books).
FILL_INDEX = ("INSERT INTO client_search (client_search) VALUES ('rebuild')",)
FILL = (
    f"INSERT INTO client_search_text (id, {NAMES}) SELECT id, {NAMES} FROM client_search_folded",
)


def text_written(clients: str) -> str:
    """SQL: write the search text of the clients `clients` selects (`= NEW.id`, `IN (...)`)
    again from the view, where it changed; none for a client no longer in the book."""
    changed = " OR ".join(f"{name} IS NOT excluded.{name}" for name in COLUMNS)
    assigned = ", ".join(f"{name} = excluded.{name}" for name in COLUMNS)
    return f"""INSERT INTO client_search_text (id, {NAMES})
        SELECT id, {NAMES} FROM client_search_folded WHERE id {clients}
        ON CONFLICT (id) DO UPDATE SET {assigned} WHERE {changed}"""


INDEX_NEW = f"""INSERT INTO client_search (rowid, {NAMES})
    VALUES (NEW.id, NEW.{", NEW.".join(COLUMNS)})"""
UNINDEX_OLD = f"""INSERT INTO client_search (client_search, rowid, {NAMES})
    VALUES ('delete', OLD.id, OLD.{", OLD.".join(COLUMNS)})"""
# Keep the index in step with the table (made only where the index is).
INDEX_TRIGGERS = {
    "client_search_text_added": f"AFTER INSERT ON client_search_text BEGIN {INDEX_NEW}; END",
    "client_search_text_changed": f"""
        AFTER UPDATE ON client_search_text BEGIN {UNINDEX_OLD}; {INDEX_NEW}; END""",
    "client_search_text_removed": f"AFTER DELETE ON client_search_text BEGIN {UNINDEX_OLD}; END",
}
REMOVE_OLD = "DELETE FROM client_search_text WHERE id = OLD.id"
# Keep the table in step with the client, its contact points and its contact persons.
TEXT_TRIGGERS = {
    "client_search_added": f"AFTER INSERT ON client BEGIN {text_written('= NEW.id')}; END",
    "client_search_changed": f"""
        AFTER UPDATE OF id, name, company, email, phone, city, tags ON client BEGIN
            {REMOVE_OLD} AND OLD.id IS NOT NEW.id;
            {text_written("= NEW.id")};
        END""",
    "client_search_removed": f"AFTER DELETE ON client BEGIN {REMOVE_OLD}; END",
    "contact_point_search_added": f"""
        AFTER INSERT ON contact_point BEGIN {text_written("= NEW.client_id")}; END""",
    "contact_point_search_changed": f"""
        AFTER UPDATE OF client_id, kind, value ON contact_point BEGIN
            {text_written("IN (OLD.client_id, NEW.client_id)")};
        END""",
    "contact_point_search_removed": f"""
        AFTER DELETE ON contact_point BEGIN {text_written("= OLD.client_id")}; END""",
    "contact_person_search_added": f"""
        AFTER INSERT ON contact_person BEGIN {text_written("= NEW.client_id")}; END""",
    "contact_person_search_changed": f"""
        AFTER UPDATE OF client_id, name, role, email, phone ON contact_person BEGIN
            {text_written("IN (OLD.client_id, NEW.client_id)")};
        END""",
    "contact_person_search_removed": f"""
        AFTER DELETE ON contact_person BEGIN {text_written("= OLD.client_id")}; END""",
}
# What migrations 0003, 0007 and 0008 made for the search, given way to the above.
OLD_INDEXES = ("client_fts", "contact_point_fts", "contact_person_fts")
OLD_MIGRATIONS = (
    "0003_client_search_index",
    "0007_contact_points",
    "0008_households_and_contact_persons",
)


def trigram_available() -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer (tried on a temporary table)."""
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return False  # FTS5 is SQLite's; PostgreSQL's search uses pg_trgm (see 0009)
    try:
        connection.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.search_probe USING fts5(probe, tokenize='trigram')"
        )
    except sa.exc.OperationalError:
        return False
    connection.exec_driver_sql("DROP TABLE temp.search_probe")
    return True


def _old_migrations() -> list[Any]:
    package = "rmtui.core.migrations.versions"
    return [import_module(f"{package}.{name}") for name in OLD_MIGRATIONS]


def _old_triggers() -> dict[str, str]:
    """The triggers that kept the three old indexes, with their bodies."""
    search, points, persons = _old_migrations()
    return {**search.TRIGGERS, **points.TRIGGERS, **persons.SEARCH_TRIGGERS}


def upgrade() -> None:
    drop_triggers(op, list(_old_triggers()))
    for table in OLD_INDEXES:
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.create_table(
        "client_search_text",
        sa.Column("id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.String(), nullable=True) for name in COLUMNS),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_search_text")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(fold_function_sql())
    op.execute(CREATE_VIEW_POSTGRESQL if postgresql else CREATE_VIEW)
    for statement in FILL:
        op.execute(statement)
    triggers = dict(TEXT_TRIGGERS)
    if postgresql:
        for statement in TRIGRAM_INDEXES:
            op.execute(statement)
    elif trigram_available():
        for statement in (CREATE_INDEX, *FILL_INDEX):
            op.execute(statement)
        triggers |= INDEX_TRIGGERS
    create_triggers(op, triggers)


def downgrade() -> None:
    drop_triggers(op, (*TEXT_TRIGGERS, *INDEX_TRIGGERS))
    op.execute("DROP TABLE IF EXISTS client_search")
    op.execute("DROP VIEW client_search_folded")
    op.drop_table("client_search_text")
    if not trigram_available():
        return
    search, points, persons = _old_migrations()
    statements = (
        search.CREATE_INDEX,
        *search.FILL,
        points.CREATE_INDEX,
        *points.FILL_INDEX,
        persons.CREATE_PERSON_INDEX,
        "INSERT INTO contact_person_fts (contact_person_fts) VALUES ('rebuild')",
    )
    for statement in statements:
        op.execute(statement)
    create_triggers(op, _old_triggers())
