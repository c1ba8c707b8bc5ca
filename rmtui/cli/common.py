"""What every command shares: the book it works on, its passphrase, dates, questions."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rmtui.core import paths
from rmtui.core.dates import parse_date, today
from rmtui.core.db_api import of_session
from rmtui.core.errors import BookError
from rmtui.core.translation import _
from rmtui.core.wording import printable

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


Handler = Callable[[argparse.Namespace], int]
Result = TypeVar("Result")
IMPORT_FORMATS = ("json", "csv", "vcf")
EXPORT_FORMATS = ("json", "csv", "ics", "vcf")
PASSPHRASE_ENV = "RMTUI_PASSPHRASE"


class UsageError(Exception):
    """A command line that cannot be carried out, said in one sentence."""


def book_path(args: argparse.Namespace) -> Path:
    """The book file chosen by --db, RMTUI_DB or the default."""
    return paths.db_path(args.db)


def server_url(args: argparse.Namespace) -> str | None:
    """The PostgreSQL URL chosen by --db or RMTUI_DB, when the book is on a server."""
    from rmtui.core.server import is_server_url

    chosen = args.db or os.environ.get(paths.DB_ENV)
    return chosen if is_server_url(chosen) else None


def open_server_engine(url: str) -> Engine:
    """Open the book on the server `url` names, asking for the password when the server
    wants one that neither the URL nor ~/.pgpass gives."""
    from rmtui.cli.progress_bar import progress_bar
    from rmtui.core.server import PasswordNeeded, masked, open_server_book

    try:
        with progress_bar() as progress:
            return open_server_book(url, progress=progress)
    except PasswordNeeded:
        if not sys.stdin.isatty():
            raise BookError(
                _(
                    "the server of {url} asks for a password; put it in ~/.pgpass (or the file"
                    " PGPASSFILE names), or run rmtui in a terminal to type it."
                ).format(url=masked(url))
            ) from None
        import getpass

        from rmtui.cli.progress_bar import pause_progress

        pause_progress()
        password = getpass.getpass(_("Password for {url}: ").format(url=masked(url)))
        with progress_bar() as progress:
            return open_server_book(url, password=password, progress=progress)


def open_engine(
    args: argparse.Namespace, *, create: bool = False, read_only: bool = False
) -> Engine:
    """Open (migrating as needed) the chosen book, asking for its passphrase if encrypted.

    Only a command that writes what the user gave it (the TUI, an import) may `create` a new
    book; any other says there is none, so a mistyped --db makes no folder and no file.
    A command that only reads opens the book `read_only`, which also works on a read-only
    medium.
    """
    from rmtui.cli.progress_bar import progress_bar
    from rmtui.core.db import open_book
    from rmtui.core.errors import BookError, PassphraseNeeded

    url = server_url(args)
    if url is not None:
        return open_server_engine(url)
    path = book_path(args)
    if not create and not path.exists():
        raise BookError(
            _(
                "there is no book at {path}; check the path, or run `rmtui --db {path}` to start"
                " a new one there."
            ).format(path=path)
        )
    try:
        with progress_bar() as progress:
            return open_book(path, progress=progress, read_only=read_only)
    except PassphraseNeeded:
        args.passphrase = ask_passphrase(_("Passphrase for {path}: ").format(path=path))
        with progress_bar() as progress:
            return open_book(path, passphrase=args.passphrase, progress=progress)


def read_book(args: argparse.Namespace, read: Callable[[Any], Result]) -> Result:
    """What `read` returns from a DB-API connection to the chosen book, for a command that only
    reads it.

    A plain book at the current schema (the everyday case) is read with the standard
    library's sqlite3 alone, without loading SQLAlchemy, as the TUI's first screen is. Any
    other (missing, encrypted, older) is opened the full way, which says what is wrong or
    does what is needed (asks for the passphrase, upgrades it), and read on the connection
    under a session.
    """
    from rmtui.core.db import reading_at_head

    url = server_url(args)
    if url is not None:
        quick = _read_server_quickly(url, read)
        if quick is not None:
            return quick[0]
    path = None if url else book_path(args)
    connection = None if path is None else reading_at_head(path)
    if path is not None and connection is not None:
        return _read_plain(path, connection, read)
    from rmtui.core.db import session_scope

    with opened_book(args, read_only=True) as engine, session_scope(engine) as session:
        return read(of_session(session))


def _read_server_quickly(url: str, read: Callable[[Any], Result]) -> tuple[Result] | None:
    """What `read` returns from a book on a server read with psycopg alone, in one snapshot
    (without loading SQLAlchemy), or None when the book must be opened the full way."""
    from rmtui.core.db_api import ServerConnection
    from rmtui.core.server import masked, reading_server_at_head

    connection = reading_server_at_head(url)
    if connection is None:
        return None
    return (_read_plain(masked(url), ServerConnection(connection), read),)


def _read_plain(where: Path | str, connection: Any, read: Callable[[Any], Result]) -> Result:
    """What `read` returns from `connection`, a DB-API connection (sqlite3's, or psycopg's in
    a ServerConnection) that only reads the book at `where`, closed when it is done."""
    from contextlib import closing

    from rmtui.core.db_api import on_server
    from rmtui.core.errors import database_error, is_database_failure

    try:
        with closing(connection):
            if not on_server(connection):  # psycopg's reading transaction is begun already
                connection.execute("BEGIN")  # one snapshot for every statement `read` runs
            return read(connection)
    except Exception as error:
        if is_database_failure(error):
            raise database_error(where, error) from None
        raise


@contextmanager
def opened_book(
    args: argparse.Namespace, *, create: bool = False, read_only: bool = False
) -> Iterator[Engine]:
    """The chosen book opened as `open_engine` does, closed again when the command is done."""
    engine = open_engine(args, create=create, read_only=read_only)
    try:
        yield engine
    finally:
        engine.dispose()


def ask_passphrase(prompt: str, *, confirm: bool = False) -> str:
    """The passphrase from RMTUI_PASSPHRASE or, in a terminal, typed without echo."""
    import getpass

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise UsageError(
            _(
                "the book is encrypted; run rmtui in a terminal to type the passphrase, or set"
                " {variable}."
            ).format(variable=PASSPHRASE_ENV)
        )
    from rmtui.cli.progress_bar import pause_progress

    pause_progress()
    passphrase = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Type it again: ")) != passphrase:
        raise UsageError(_("the two passphrases differ; nothing was changed."))
    return passphrase


def book_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase given while opening the book (None for a plain book)."""
    return getattr(args, "passphrase", None)


def cli_date(text: str | None, *, default: date | None = None) -> date:
    """A date given on the command line, or `default` (today) when none was given."""
    if text is None:
        return default or today()
    return parse_date(text)


def file_format(path: Path, given: str | None, choices: tuple[str, ...]) -> str:
    """The format named by --format, or else by the file's ending."""
    if given:
        return given
    ending = path.suffix.lower().lstrip(".")
    if ending in choices:
        return ending
    return "csv" if path.is_dir() and "csv" in choices else "json"


def import_format(path: Path, given: str | None) -> str:
    """The format of a file to import: named by --format, or by the file's ending."""
    kind = file_format(path, given, IMPORT_FORMATS)
    if given or path.is_dir() or path.suffix.lower().lstrip(".") == kind:
        return kind
    raise BookError(
        _(
            "cannot tell what {name} holds from its name; name it .json, .csv or .vcf, or say"
            " which with --format."
        ).format(name=path.name)
    )


# The answers that mean yes to a question on the terminal, in either language.
YES = ("y", "yes", "j", "ja")


def confirm(question: str) -> bool:
    """Ask a yes/no question on the terminal (it ends in `[y/N]`, nl `[j/N]`); no terminal
    means no."""
    if not sys.stdin.isatty():
        raise UsageError(_("confirmation needs a terminal; add --yes to go ahead without asking."))
    return input(printable(question)).strip().lower() in YES


def later(module: str, name: str) -> Handler:
    """The handler `name` of rmtui.cli.`module`, imported only when its command runs, so that
    opening the TUI does not load every command's code."""

    def run(args: argparse.Namespace) -> int:
        handler: Handler = getattr(import_module(f"rmtui.cli.{module}"), name)
        return handler(args)

    return run


def add_command(
    commands: Any, name: str, handler: Handler, help_text: str
) -> argparse.ArgumentParser:
    """Add the command `name` to the subparsers `commands`, run by `handler`."""
    command: argparse.ArgumentParser = commands.add_parser(
        name, help=_(help_text), description=_(help_text)
    )
    command.set_defaults(handler=handler)
    return command


def owner_of(args: argparse.Namespace, connection: Any) -> str | None:
    """The owner a read command narrows the book to: the user, unless --all or no client is
    someone else's (people.mine_of)."""
    from rmtui.core.people import mine_of, session_user

    return mine_of(connection, session_user(), everyone=args.everyone)
