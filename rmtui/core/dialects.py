"""What differs between the two engines a book lives on: SQLite (a file) and PostgreSQL (a
server).

The book's SQL is written once, in SQLite's words. On PostgreSQL the schema gets, before its
first migration, the few functions and operators of SQLite's that this SQL uses, with
SQLite's meaning (`date` with modifiers, `julianday`, `strftime`, a scalar `max` / `min`,
`total`, `group_concat`, `instr`, a boolean compared with 0 or 1, the NOCASE collation), and
each trigger is made a PL/pgSQL function run by a row trigger (`trigger_statements`).
`portable` rewrites what PostgreSQL reads otherwise: `x IS NOT y` of two values, `temp.`,
and leaves out SQLite's planner hints: `likely` and `unlikely`, which would keep PostgreSQL's
planner from turning an EXISTS into a join, and `INDEXED BY`, which it has not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

_TRIGGER = re.compile(
    r"^\s*(?P<timing>BEFORE|AFTER)\s+(?P<event>INSERT|DELETE|UPDATE(?:\s+OF\s+.+?)?)"
    r"\s+ON\s+(?P<table>\"?\w+\"?)\s*(?:WHEN\s+(?P<when>.+?))?\s*\bBEGIN\b(?P<body>.*)\bEND\s*$",
    re.DOTALL | re.IGNORECASE,
)
_IS_NOT_VALUE = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.IGNORECASE)
_IS_VALUE = re.compile(r"\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.IGNORECASE)
_TEMP_SCHEMA = re.compile(r"\btemp\.(?=\w)", re.IGNORECASE)
_FROM_SUBQUERY = re.compile(r"\b(?:FROM|JOIN)\s*\(\s*(?=SELECT\b|WITH\b|\()", re.IGNORECASE)
_UPSERT = re.compile(
    r"(?P<head>INSERT\s+INTO\s+(?P<table>\"?\w+\"?).*?\bDO\s+UPDATE\s+SET\b)"
    r"(?P<update>[^;]*)",
    re.DOTALL | re.IGNORECASE,
)
_BARE_COLUMN = re.compile(r"(?<![.\w\"])([A-Za-z_]\w*)(?=\s*(?:[+\-*/]|IS\b))")
_KEYWORDS = frozenset({"THEN", "ELSE", "WHEN", "AND", "OR", "NOT", "CASE", "END", "WHERE", "SET"})
_LIMIT = re.compile(r"\bLIMIT\s+(:\w+|\?|-1\b|%\(\w+\)s|%s)", re.IGNORECASE)
_ONE_AS_TRUE = re.compile(
    r"(\b(?:AND|OR|WHERE|WHEN|ON)\s+)1\b(?!\s*(?:[=<>!+\-*/%|.,]|THEN\s+\d|IS\b))",
    re.IGNORECASE,
)
_LIKE = re.compile(r"(?<![\w.])LIKE\b", re.IGNORECASE)
_PLANNER_HINT = re.compile(r"(?<![\w.])(?:un)?likely\s*\(", re.IGNORECASE)
_INDEXED_BY = re.compile(r"\s+INDEXED\s+BY\s+\w+", re.IGNORECASE)
_JSON_EACH = re.compile(r"(?<![\w.])json_each\s*\(", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s*(\w+|[),;]|$)")
_NOT_A_NAME = frozenset(
    {
        "WHERE",
        "GROUP",
        "ORDER",
        "LIMIT",
        "UNION",
        "JOIN",
        "LEFT",
        "INNER",
        "CROSS",
        "ON",
        "HAVING",
        "WINDOW",
        "EXCEPT",
        "INTERSECT",
        ")",
        ",",
        ";",
    }
)

# SQLite's strftime format as to_char's pattern. Each function here uses the built-in ones
# alone, so an index on it is rebuilt by pg_restore, which runs with an empty search path.
_PATTERN = "format"
for _sqlite, _postgresql in (
    ("%Y", "YYYY"),
    ("%m", "MM"),
    ("%d", "DD"),
    ("%H", "HH24"),
    ("%M", "MI"),
    ("%S", "SS"),
    ("%j", "DDD"),
    ("%w", "D"),
):
    _PATTERN = f"replace({_PATTERN}, '{_sqlite}', '{_postgresql}')"

# The types SQLite's scalar max() and min() are given here (each its own, so that two
# integers are never ambiguous).
_SCALAR_KINDS = ("integer", "bigint", "numeric", "date", "timestamp", "text")

# SQLite's functions and operators that the book's SQL uses, as PostgreSQL functions with
# their meaning. Dates are PostgreSQL dates here, so the text forms come in through casts.
COMPATIBILITY: tuple[str, ...] = (
    """CREATE OR REPLACE FUNCTION julianday(day date) RETURNS double precision
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT (day - DATE '1970-01-01') + 2440587.5::double precision $$""",
    """CREATE OR REPLACE FUNCTION julianday(moment timestamp) RETURNS double precision
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT extract(epoch FROM moment)::double precision / 86400 + 2440587.5 $$""",
    """CREATE OR REPLACE FUNCTION julianday(moment text) RETURNS double precision
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT julianday(moment::timestamp) $$""",
    """CREATE OR REPLACE FUNCTION date(day date, VARIADIC modifiers text[]) RETURNS date
       LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
       DECLARE
           modifier text;
           amount integer;
       BEGIN
           FOREACH modifier IN ARRAY modifiers LOOP
               IF day IS NULL OR modifier IS NULL THEN
                   RETURN NULL;
               END IF;
               modifier := lower(trim(modifier));
               amount := nullif(substring(modifier FROM '^[+-]?[0-9]+'), '')::integer;
               IF modifier = 'start of month' THEN
                   day := date_trunc('month', day)::date;
               ELSIF modifier = 'start of year' THEN
                   day := date_trunc('year', day)::date;
               ELSIF modifier ~ '^[+-]?[0-9]+(\\.0+)? days?$' THEN
                   day := day + amount;
               ELSIF modifier ~ '^[+-]?[0-9]+ months?$' THEN
                   day := (day + make_interval(months => amount))::date;
               ELSIF modifier ~ '^[+-]?[0-9]+ years?$' THEN
                   day := (day + make_interval(years => amount))::date;
               ELSIF modifier ~ '^weekday [0-6]$' THEN
                   day := day + (substring(modifier FROM '[0-6]$')::integer
                                 - extract(dow FROM day)::integer + 7) % 7;
               ELSE
                   RAISE EXCEPTION 'date modifier % is not known', modifier;
               END IF;
           END LOOP;
           RETURN day;
       END $$""",
    """CREATE OR REPLACE FUNCTION date(moment timestamp, VARIADIC modifiers text[])
       RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT date(moment::date, VARIADIC modifiers) $$""",
    """CREATE OR REPLACE FUNCTION date(day text, VARIADIC modifiers text[]) RETURNS date
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT date(day::date, VARIADIC modifiers) $$""",
    """CREATE OR REPLACE FUNCTION date(day text) RETURNS date
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT day::timestamp::date $$""",
    *(
        f"""CREATE OR REPLACE FUNCTION strftime(format text, moment {kind}) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT to_char(moment::timestamp, {
            _PATTERN
        }) $$"""
        for kind in ("timestamp", "date", "text")
    ),
    *(
        f"""CREATE OR REPLACE FUNCTION {name}(first {kind}, second {kind}) RETURNS {kind}
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE
            WHEN first IS NULL OR second IS NULL THEN NULL ELSE {pick}(first, second) END $$"""
        for name, pick in (("max", "greatest"), ("min", "least"))
        for kind in _SCALAR_KINDS
    ),
    *(
        f"""CREATE OR REPLACE FUNCTION min(first {kind}, second {kind}, third {kind})
        RETURNS {kind} LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE
            WHEN first IS NULL OR second IS NULL OR third IS NULL THEN NULL
            ELSE least(first, second, third) END $$"""
        for kind in _SCALAR_KINDS
    ),
    """CREATE OR REPLACE FUNCTION instr(text text, part text) RETURNS integer
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT strpos(text, part) $$""",
    """CREATE OR REPLACE FUNCTION ifnull(value anyelement, otherwise anyelement)
       RETURNS anyelement LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT coalesce(value, otherwise) $$""",
    """CREATE OR REPLACE FUNCTION rmtui_total_step(sum double precision, value numeric)
       RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT sum + coalesce(value, 0)::double precision $$""",
    """CREATE OR REPLACE AGGREGATE total(numeric) (
       SFUNC = rmtui_total_step, STYPE = double precision, INITCOND = '0')""",
    """CREATE OR REPLACE FUNCTION rmtui_concat_step(joined text, value text, separator text)
       RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT CASE WHEN value IS NULL THEN joined WHEN joined IS NULL THEN value
                      ELSE joined || separator || value END $$""",
    """CREATE OR REPLACE FUNCTION rmtui_comma_step(joined text, value text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT rmtui_concat_step(joined, value, ',') $$""",
    """CREATE OR REPLACE AGGREGATE group_concat(text, text) (
       SFUNC = rmtui_concat_step, STYPE = text)""",
    """CREATE OR REPLACE AGGREGATE group_concat(text) (SFUNC = rmtui_comma_step, STYPE = text)""",
    """CREATE OR REPLACE FUNCTION rmtui_bool_sum_step(sum bigint, value boolean)
       RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT CASE WHEN value IS NULL THEN sum ELSE coalesce(sum, 0) + value::integer END $$""",
    """CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = rmtui_bool_sum_step, STYPE = bigint)""",
    """CREATE OR REPLACE FUNCTION rmtui_bool_is_int(flag boolean, number integer)
       RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT flag::integer = number $$""",
    """CREATE OR REPLACE FUNCTION rmtui_bool_is_not_int(flag boolean, number integer)
       RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT flag::integer <> number $$""",
    """DO $$ BEGIN
           CREATE OPERATOR = (LEFTARG = boolean, RIGHTARG = integer,
                              FUNCTION = rmtui_bool_is_int, NEGATOR = <>);
           CREATE OPERATOR <> (LEFTARG = boolean, RIGHTARG = integer,
                               FUNCTION = rmtui_bool_is_not_int, NEGATOR = =);
       EXCEPTION WHEN duplicate_function THEN NULL;
       END $$""",
    """DO $$ BEGIN
           CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2',
                                    deterministic = false);
       EXCEPTION WHEN duplicate_object THEN NULL;
       END $$""",
    """DO $$ BEGIN
           CREATE COLLATION "NOCASE" (provider = icu, locale = 'und-u-ks-level2',
                                      deterministic = false);
       EXCEPTION WHEN duplicate_object THEN NULL;
       END $$""",
    """CREATE OR REPLACE FUNCTION lower(value json) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT lower(value::text) $$""",
    """CREATE OR REPLACE FUNCTION likely(value boolean) RETURNS boolean
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT value $$""",
    """CREATE OR REPLACE FUNCTION unlikely(value boolean) RETURNS boolean
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT value $$""",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
)
# SQLite compares a day or a moment with ISO text as text; here the text is read as a day or
# a moment, which gives the same order.
_COMPARISONS = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "=": "eq", "<>": "ne"}


def _comparison_statements() -> list[str]:
    statements = []
    for kind in ("date", "timestamp"):
        for operator, name in _COMPARISONS.items():
            for left, right, cast in (
                (kind, "text", f"first {operator} second::{kind}"),
                ("text", kind, f"first::{kind} {operator} second"),
            ):
                function = f"rmtui_{left}_{name}_{right}"
                statements.append(
                    f"CREATE OR REPLACE FUNCTION {function}(first {left}, second {right})"
                    f" RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {cast} $$"
                )
                statements.append(
                    f"DO $$ BEGIN CREATE OPERATOR {operator} (LEFTARG = {left}, RIGHTARG = {right},"
                    f" FUNCTION = {function}); EXCEPTION WHEN duplicate_function THEN NULL; END $$"
                )
    return statements


def _unary_plus_statements() -> list[str]:
    """SQLite's unary + (which keeps a column from being read through an index) on the
    types PostgreSQL has none for."""
    statements = []
    for kind in ("date", "timestamp", "text", "boolean"):
        function = f"rmtui_same_{kind}"
        statements.append(
            f"CREATE OR REPLACE FUNCTION {function}(value {kind}) RETURNS {kind}"
            " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT value $$"
        )
        statements.append(
            f"DO $$ BEGIN CREATE OPERATOR + (RIGHTARG = {kind}, FUNCTION = {function});"
            " EXCEPTION WHEN duplicate_function THEN NULL; END $$"
        )
    return statements


COMPATIBILITY += tuple(_comparison_statements()) + tuple(_unary_plus_statements())


def dialect_of(connection: Any) -> str:
    """The name of the engine a SQLAlchemy connection (or alembic's bind) works on."""
    return str(connection.dialect.name)


def portable(sql: str, dialect: str) -> str:
    """`sql`, written for SQLite, as `dialect` reads it."""
    if dialect != POSTGRESQL:
        return sql
    sql = _outside_quotes(sql, _words_as_postgresql_reads_them)
    sql = _UPSERT.sub(_qualified_upsert, sql)
    sql = _LIMIT.sub(r"LIMIT nullif(\1, -1)", sql)
    # An import problem's record: its label, else its id, as JSON text (SQLite keeps either as
    # it is in a column without a type; the problem log reads the JSON back).
    sql = sql.replace(
        "coalesce(s._label, s.id)", "coalesce(CAST(to_json(s._label) AS TEXT), CAST(s.id AS TEXT))"
    )
    return _named_subqueries(_TEMP_SCHEMA.sub("pg_temp.", _array_elements(sql)))


def _array_elements(sql: str) -> str:
    """`sql` with SQLite's `json_each(list)` as the elements of a JSON array as text: none
    for anything but an array, as SQLite gives none for NULL (the book's JSON lists are
    read alone this way)."""
    out: list[str] = []
    position = 0
    for match in _JSON_EACH.finditer(sql):
        if match.start() < position:
            continue
        opening = match.end() - 1
        end = _closing_parenthesis(sql, opening)
        if end is None:
            break
        document = _array_elements(sql[opening + 1 : end])
        out.append(sql[position : match.start()])
        out.append(
            f"json_array_elements_text(CASE json_typeof(({document})::json)"
            f" WHEN 'array' THEN ({document})::json END)"
        )
        position = end + 1
    out.append(sql[position:])
    return "".join(out)


def _words_as_postgresql_reads_them(sql: str) -> str:
    """`sql`, outside its quoted text, with SQLite's IS, 1 for true and LIKE as PostgreSQL's,
    and without SQLite's planner hints: `likely(x)` is `(x)`, `t INDEXED BY ix` is `t`.
    PostgreSQL would keep a hinted EXISTS as a subquery, which it may run for every client
    before the first row (half a second for a letter of the client filter on 100,000
    clients), where the bare EXISTS is a semi-join that stops at a page."""
    sql = _PLANNER_HINT.sub("(", sql)
    sql = _INDEXED_BY.sub("", sql)
    sql = _IS_NOT_VALUE.sub("IS DISTINCT FROM ", sql)
    sql = _IS_VALUE.sub("IS NOT DISTINCT FROM ", sql)
    sql = _ONE_AS_TRUE.sub(r"\1TRUE", sql)
    return _LIKE.sub("ILIKE", sql)  # SQLite's LIKE ignores the case of ASCII letters


def _outside_quotes(sql: str, change: Callable[[str], str]) -> str:
    """`sql` with `change` made to each stretch outside its '…' literals, which stay as they
    are (a quote doubled inside one ends and starts it again, which keeps it whole)."""
    parts = sql.split("'")
    return "'".join(change(part) if index % 2 == 0 else part for index, part in enumerate(parts))


def _qualified_upsert(match: re.Match[str]) -> str:
    """An INSERT's DO UPDATE with the row's own columns named with its table, as PostgreSQL
    requires where `excluded` has them too."""
    table = match["table"]

    def qualified(column: re.Match[str]) -> str:
        name = column[1]
        return name if name.upper() in _KEYWORDS else f"{table}.{name}"

    return match["head"] + _BARE_COLUMN.sub(qualified, match["update"])


@lru_cache(maxsize=4096)
def on_postgresql(sql: str) -> str:
    """`sql` as PostgreSQL reads it (`portable`), worked out once for each text."""
    return portable(sql, POSTGRESQL)


def _named_subqueries(sql: str) -> str:
    """`sql` with a name given to each subquery read FROM or JOINed without one, which
    PostgreSQL (before 16) requires."""
    out: list[str] = []
    position, count = 0, 0
    for match in _FROM_SUBQUERY.finditer(sql):
        if match.start() < position:
            continue
        opening = sql.index("(", match.start())
        end = _closing_parenthesis(sql, opening)
        if end is None:
            break
        follows = _NEXT_WORD.match(sql, end + 1)
        word = (follows[1] if follows else "").upper()
        inner = _named_subqueries(sql[opening + 1 : end])
        out.append(sql[position : opening + 1] + inner + ")")
        if not word or word in _NOT_A_NAME:
            count += 1
            out.append(f" AS subquery_{count}")
        position = end + 1
    out.append(sql[position:])
    return "".join(out)


def _closing_parenthesis(sql: str, opening: int) -> int | None:
    depth = 0
    quoted = False
    for index in range(opening, len(sql)):
        char = sql[index]
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                return index
    return None


def trigger_statements(name: str, definition: str, dialect: str) -> list[str]:
    """The statements that create the trigger `name` (SQLite's `definition`: what follows
    `CREATE TRIGGER name`) on `dialect`."""
    if dialect != POSTGRESQL:
        return [f"CREATE TRIGGER {name} {definition}"]
    match = _TRIGGER.match(definition)
    if match is None:
        raise ValueError(f"trigger {name} is not of a form rmtui knows how to carry over")
    timing, event, table = match["timing"].upper(), " ".join(match["event"].split()), match["table"]
    returned = "NULL" if timing == "AFTER" else ("OLD" if event == "DELETE" else "NEW")
    body = portable(match["body"].strip(), dialect)
    when = f" WHEN ({portable(match['when'], dialect)})" if match["when"] else ""
    function = f"rmtui_{name}"
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        f"BEGIN\n{body}\nRETURN {returned};\nEND $body$",
        f"CREATE TRIGGER {name} {timing} {event} ON {table} FOR EACH ROW{when}"
        f" EXECUTE FUNCTION {function}()",
    ]


def drop_trigger_statement(name: str, dialect: str) -> str:
    """The statement that drops the trigger `name` (if there is one) on `dialect`."""
    if dialect != POSTGRESQL:
        return f"DROP TRIGGER IF EXISTS {name}"
    return f"DROP FUNCTION IF EXISTS rmtui_{name}() CASCADE"


def create_triggers(op: Any, triggers: dict[str, str]) -> None:
    """Create each trigger of `triggers` (name: SQLite definition) in a migration."""
    dialect = dialect_of(op.get_bind())
    for name, definition in triggers.items():
        for statement in trigger_statements(name, definition, dialect):
            op.execute(statement)


def drop_triggers(op: Any, names: Sequence[str]) -> None:
    """Drop the triggers `names` (where they are) in a migration."""
    dialect = dialect_of(op.get_bind())
    for name in names:
        op.execute(drop_trigger_statement(name, dialect))


def execute_portably(op: Any, statements: Sequence[str]) -> None:
    """Run SQLite's `statements` in a migration, as its engine reads them."""
    dialect = dialect_of(op.get_bind())
    for statement in statements:
        op.execute(portable(statement, dialect))


def install_compatibility(connection: Any) -> None:
    """Give a PostgreSQL book SQLite's functions that the book's SQL uses (COMPATIBILITY)."""
    cursor = connection.connection.cursor()  # the driver's: no placeholders in these
    try:
        for statement in COMPATIBILITY:
            cursor.execute(statement)
    finally:
        cursor.close()


def index_columns(op: Any, columns: Sequence[Any]) -> list[Any]:
    """An index's `columns` for a migration: on PostgreSQL an expression (SQL text) in the
    parentheses it requires there."""
    if dialect_of(op.get_bind()) != POSTGRESQL:
        return list(columns)
    import sqlalchemy as sa

    return [
        sa.text(f"({column.text})") if isinstance(column, sa.TextClause) else column
        for column in columns
    ]
