"""A book on a PostgreSQL server: its URL, the engine on it, and its errors in one sentence.

psycopg (the optional extra `rmtui[postgres]`) is imported only when a URL asks for a
server. The password is never part of a message: libpq reads it from ~/.pgpass (or the file
PGPASSFILE names) or the PGPASSWORD variable; otherwise the command line asks for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rmtui.core.errors import BookError
from rmtui.core.storage import SCHEMA_HEAD
from rmtui.core.translation import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from rmtui.core.progress import Progress

SCHEMES = ("postgresql://", "postgres://")
INSTALL_HINT = "install PostgreSQL support with `pip install 'rmtui[postgres]'`"
CONNECT_TIMEOUT_S = 10
_PASSWORD_IN_URL = re.compile(r"^(\w+://[^:/@?#]*):[^@/?#]*@")
_PASSWORD_IN_QUERY = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


class PasswordNeeded(BookError):
    """The server asks for a password that neither the URL nor ~/.pgpass gave."""


def is_server_url(text: object) -> bool:
    """Whether `text` (a --db value or RMTUI_DB) names a book on a PostgreSQL server."""
    return isinstance(text, str) and text.lower().startswith(SCHEMES)


def masked(url: str) -> str:
    """`url` as it may be shown: a password in it replaced by ***."""
    return _PASSWORD_IN_QUERY.sub(r"\1***", _PASSWORD_IN_URL.sub(r"\1:***@", url))


def make_server_engine(url: str, *, password: str | None = None) -> Engine:
    """An engine on the PostgreSQL database `url` names (libpq reads the URL itself).

    Raises BookError when psycopg is missing or the server cannot be reached, refuses the
    user, or has no such database; PasswordNeeded when it asks for a password not given.
    """
    try:
        import psycopg
    except ImportError:
        raise BookError(f"{masked(url)} is a PostgreSQL book; {INSTALL_HINT}.") from None
    from sqlalchemy import create_engine, event

    def connect() -> Any:
        extra: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S}
        if password is not None:
            extra["password"] = password
        return psycopg.connect(url, **extra)

    check_reachable(url, connect)
    engine = create_engine("postgresql+psycopg://", creator=connect, pool_pre_ping=True)
    event.listen(engine, "before_cursor_execute", _as_postgresql_reads_it, retval=True)
    engine.info = {"book": masked(url)}  # type: ignore[attr-defined]
    return engine


def _as_postgresql_reads_it(
    _connection: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
) -> tuple[str, Any]:
    """Every statement as PostgreSQL reads it (the book's SQL is written in SQLite's words)."""
    from rmtui.core.db_api import server_statement
    from rmtui.core.dialects import on_postgresql

    if _context is not None and _context.compiled is None and parameters:
        if _many:  # SQL text with sqlite3's placeholders
            statements = [server_statement(statement, row) for row in parameters]
            return statements[0][0], [row for _text, row in statements]
        return server_statement(statement, parameters)
    return on_postgresql(statement), parameters


def check_reachable(url: str, connect: Callable[[], Any]) -> None:
    """Connect once to the server `url` names, raising its refusal as one sentence."""
    import psycopg

    try:
        connect().close()
    except psycopg.OperationalError as error:
        raise connection_error(url, error) from None


def connection_error(url: str, error: BaseException) -> BookError:
    """One sentence for the refusal `error` of the server `url` names."""
    text = str(error).strip()
    low = text.lower()
    where = masked(url)
    if "no password supplied" in low or "fe_sendauth" in low:
        return PasswordNeeded(f"the server of {where} asks for a password.")
    if "password authentication failed" in low or ("role" in low and "does not exist" in low):
        return BookError(
            f"the server of {where} refused the user name or password; check them "
            "(or ~/.pgpass) and try again."
        )
    if "database" in low and "does not exist" in low:
        return BookError(
            f"the server of {where} has no such database; create it first "
            "(`createdb NAME`, or ask its administrator)."
        )
    if "authentication" in low or "pg_hba.conf" in low:
        return BookError(f"the server of {where} does not let this user in ({_first(text)}).")
    if any(
        part in low
        for part in (
            "connection refused",
            "no such file",
            "could not connect",
            "timeout",
            "could not translate host",
            "name or service",
        )
    ):
        return BookError(
            f"cannot reach the PostgreSQL server of {where}; check that it is running "
            "and that the host and port are right."
        )
    return BookError(f"cannot open {where} ({_first(text)}).")


def _first(text: str) -> str:
    """The first line of a server message, without the connection details before it."""
    line = text.splitlines()[0] if text else "no reason given"
    return line.rsplit(": ", 1)[-1].rstrip(".")


def book_title(url: str) -> str:
    """A server book's name in the app's title: its database and host."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    host = parts.hostname or parse_qs(parts.query).get("host", ["localhost"])[0]
    return f"{parts.path.lstrip('/') or 'postgres'} on {host}"


def is_server_engine(engine: Engine) -> bool:
    """Whether `engine` works on a PostgreSQL server (not on a SQLite file)."""
    return bool(engine.dialect.name == "postgresql")


def book_name(engine: Engine) -> str:
    """How a server book is named in messages: its URL, masked."""
    info = getattr(engine, "info", None) or {}
    return str(info.get("book", "the PostgreSQL book"))


# Held while a server book is checked and upgraded, so two programs starting at once on a new
# book do not both build it (any number; rmtui's in ASCII).
MIGRATION_LOCK = 0x726D747569


def open_server_book(
    url: str,
    *,
    password: str | None = None,
    progress: Progress | None = None,
    steps: Callable[[str], None] | None = None,
) -> Engine:
    """Open the book in the PostgreSQL database `url` names, building it in an empty database
    or upgrading an older one, in one transaction (PostgreSQL's DDL is transactional, so a
    failed upgrade leaves the book as it was); raise BookError when it cannot be used."""
    engine = make_server_engine(url, password=password)
    try:
        with engine.connect() as connection, connection.begin():
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            revision = server_revision(connection, masked(url))
            if revision != SCHEMA_HEAD:
                _upgrade(connection, revision, masked(url), progress, steps)
    except BookError:
        engine.dispose()
        raise
    except Exception as error:
        engine.dispose()
        from sqlalchemy.exc import DBAPIError

        if isinstance(error, DBAPIError):
            raise BookError(
                f"updating {masked(url)} to schema {SCHEMA_HEAD} failed "
                f"({_first(str(error.orig))}); it was left as it was."
            ) from None
        raise
    return engine


def server_revision(connection: Any, where: str) -> str | None:
    """The schema revision of the book in the database of `connection`: None for an empty
    database; a database holding other tables is refused."""
    tables = (
        connection.exec_driver_sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        .scalars()
        .all()
    )
    if "alembic_version" in tables:
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if tables:
        raise BookError(
            f"{where} holds tables that are not an rmtui book; give rmtui a database of its own."
        )
    return None


def _upgrade(
    connection: Any,
    revision: str | None,
    where: str,
    progress: Progress | None,
    steps: Callable[[str], None] | None,
) -> None:
    from alembic import command

    from rmtui.core.db import check_known_schema, migration_config
    from rmtui.core.dialects import install_compatibility

    check_known_schema(where, revision)
    if progress is not None:
        if revision is None:
            told = _("building a new book in {where} at schema {schema}")
        else:
            told = _("upgrading {where} to schema {schema}")
        progress(told.format(where=where, schema=SCHEMA_HEAD))
    install_compatibility(connection)
    command.upgrade(migration_config(connection, steps, progress), "head")


def reading_server_at_head(url: str) -> Any | None:
    """A psycopg connection that only reads the book `url` names, in one snapshot, when it can
    be had without asking anything (the password is in the URL or ~/.pgpass, or none is
    needed) and the book is at the current schema; else None, and the book is opened the
    full way, which asks, upgrades or says what is wrong. SQLAlchemy is not loaded."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        connection = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error:
        return None
    try:
        connection.read_only = True
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except psycopg.Error:
        row = None
    if row is None or row[0] != SCHEMA_HEAD:
        connection.close()
        return None
    return connection
