"""Keeping the book safe: backup, restore, doctor, encryption, a client's data (GDPR)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from rmtui.cli.common import (
    ask_passphrase,
    book_passphrase,
    book_path,
    confirm,
    open_engine,
    opened_book,
    server_url,
)
from rmtui.core import paths
from rmtui.core.errors import BookError
from rmtui.core.figures import count_text
from rmtui.core.translation import _, ngettext

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def run_backup(args: argparse.Namespace) -> int:
    """Copy the book into the backups folder (a server book: pg_dump's file)."""
    from rmtui.core.backups import make_backup

    url = server_url(args)
    if url is not None:
        from rmtui.core.server_backup import dump_server_book

        open_engine(args).dispose()
        print(_("Backed up to {path}.").format(path=dump_server_book(url)))
        return 0
    path = book_path(args)
    if not path.exists():
        raise BookError(_("there is no book at {path} to back up.").format(path=path))
    from rmtui.cli.progress_bar import progress_bar

    open_engine(args, read_only=True).dispose()
    with progress_bar() as progress:
        backup = make_backup(path, passphrase=book_passphrase(args), progress=progress)
    print(_("Backed up to {path}.").format(path=backup))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Replace the book with a backup file, keeping a copy of the current book."""
    from rmtui.core.backups import restore_book
    from rmtui.core.storage import is_encrypted_file

    url = server_url(args)
    if url is not None:
        from rmtui.core.server_backup import restore_server_book

        safety = restore_server_book(url, args.file)
        print(
            _("Restored {file}; the previous book was kept at {kept}.").format(
                file=args.file, kept=safety
            )
        )
        return 0
    passphrase = None
    if args.file.is_file() and is_encrypted_file(args.file):
        passphrase = ask_passphrase(_("Passphrase for {path}: ").format(path=args.file))
    safety_copy = restore_book(book_path(args), args.file, passphrase=passphrase)
    said = (
        _("Restored {file}; the previous book was kept at {kept}.")
        if safety_copy
        else _("Restored {file}.")
    )
    print(said.format(file=args.file, kept=safety_copy))
    return 0


def run_client_export(args: argparse.Namespace) -> int:
    """Write everything about one client to a JSON file."""
    from rmtui.core.privacy import write_client_dossier

    with opened_book(args, read_only=True) as engine:
        written = write_client_dossier(args.file, engine=engine, client_id=args.client_id)
    print(
        _("Wrote everything about client {id} to {file}.").format(id=args.client_id, file=written)
    )
    return 0


def run_client_erase(args: argparse.Namespace) -> int:
    """Erase one client and every record about them, after confirmation."""
    with opened_book(args) as engine:
        return _erase(args, engine)


def _erase(args: argparse.Namespace, engine: Engine) -> int:
    from rmtui.core.db import session_scope
    from rmtui.core.privacy import erase_client
    from rmtui.core.queries.clients import get_client
    from rmtui.core.queries.trash import client_in_trash

    with session_scope(engine) as session:
        client = get_client(session=session, client_id=args.client_id)
        trashed = client is None and client_in_trash(session=session, client_id=args.client_id)
        name = client.name if client else _("the deleted client") if trashed else None
    if name is None:
        raise BookError(
            _("there is no client {id}; check the id with the TUI.").format(id=args.client_id)
        )
    question = _(
        "Erase {name} (client {id}) and every record about them? This cannot be undone. [y/N] "
    )
    if not args.yes and not confirm(question.format(name=name, id=args.client_id)):
        print(_("Nothing was erased."))
        return 1
    from rmtui.cli.progress_bar import progress_bar

    with progress_bar() as progress:
        report = erase_client(engine=engine, client_id=args.client_id, progress=progress)
    print(report.summary())
    for table, ids in report.mentions.items():
        mentioned = _("still mentioned by name in {table}: {ids}")
        print("  " + mentioned.format(table=table, ids=", ".join(map(str, ids))))
    if report.backups:
        count = len(report.backups)
        said = ngettext(
            "{count} older backup in {folder} still holds this client; delete it to complete"
            " the erasure.",
            "{count} older backups in {folder} still hold this client; delete them to complete"
            " the erasure.",
            count,
        )
        print("  " + said.format(count=count_text(count), folder=report.backups[0].parent))
    return 0


def run_encrypt(args: argparse.Namespace) -> int:
    """Encrypt the book with a passphrase typed twice."""
    from rmtui.core.encryption import encrypt_book

    _refuse_on_server(args, "encrypt")
    path = book_path(args)
    open_engine(args).dispose()
    backup = encrypt_book(path, ask_passphrase(_("New passphrase: "), confirm=True))
    print(
        _(
            "Encrypted {path}. An unencrypted copy was kept at {backup}; delete it (and older"
            " unencrypted backups) once you have checked the book opens."
        ).format(path=path, backup=backup)
    )
    return 0


def run_decrypt(args: argparse.Namespace) -> int:
    """Remove the book's encryption."""
    from rmtui.core.encryption import decrypt_book

    _refuse_on_server(args, "decrypt")
    path = book_path(args)
    open_engine(args).dispose()
    passphrase = book_passphrase(args)
    if passphrase is None:
        raise BookError(_("{path} is not encrypted.").format(path=path))
    backup = decrypt_book(path, passphrase)
    print(
        _("Decrypted {path}; the encrypted copy was kept at {backup}.").format(
            path=path, backup=backup
        )
    )
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    """Print paths, schema version, the integrity check and the schema check of the book."""
    from contextlib import closing

    from rmtui.core.db import integrity_problems
    from rmtui.core.schema_check import schema_problems
    from rmtui.core.storage import SCHEMA_HEAD, revision_of

    if server_url(args):
        return _server_doctor(args)
    path = book_path(args)
    print(f"book:      {path}")
    print(f"backups:   {paths.backup_dir(path)}")
    print(f"config:    {paths.config_dir()}")
    if not path.exists():
        print("status:    " + _("no book yet; `rmtui` creates it."))
        return 0
    with opened_book(args, read_only=True) as engine:
        with closing(engine.raw_connection()) as connection:
            writes = _("(this rmtui writes {revision})").format(revision=SCHEMA_HEAD)
            print(f"schema:    {revision_of(connection, path)} {writes}")
            problems = schema_problems(connection)
        problems += integrity_problems(engine)
    return _told_problems(problems)


def _told_problems(problems: list[str]) -> int:
    """Print each of the book's `problems` and the integrity line; the doctor's exit status."""
    for problem in problems:
        print(f"problem:   {problem}")
    found = ngettext("{count} problem", "{count} problems", len(problems))
    print("integrity: " + (_("ok") if not problems else found.format(count=len(problems))))
    return 1 if problems else 0


def _refuse_on_server(args: argparse.Namespace, verb: str) -> None:
    """Refuse encryption on a server book, which is not a file rmtui holds."""
    from rmtui.core.server import masked

    url = server_url(args)
    if url is not None:
        said = (
            _(
                "{url} is on a PostgreSQL server, which rmtui cannot encrypt; protect it there"
                " (disk encryption on the server, sslmode=require in the URL)."
            )
            if verb == "encrypt"
            else _(
                "{url} is on a PostgreSQL server, which rmtui cannot decrypt; protect it there"
                " (disk encryption on the server, sslmode=require in the URL)."
            )
        )
        raise BookError(said.format(url=masked(url)))


def _server_doctor(args: argparse.Namespace) -> int:
    """The doctor of a server book: where it is, its schema, its config, and what the server
    does not vouch for (db.SERVER_INTEGRITY_SQL)."""
    from rmtui.core.db import integrity_problems
    from rmtui.core.server import masked, server_revision
    from rmtui.core.storage import SCHEMA_HEAD

    url = server_url(args) or ""
    print(f"book:      {masked(url)}")
    print("backups:   " + _("pg_dump (`rmtui backup`), kept in the user data folder"))
    print(f"config:    {paths.config_dir()}")
    with opened_book(args, read_only=True) as engine:
        with engine.connect() as connection:
            revision = server_revision(connection, masked(url))
        writes = _("(this rmtui writes {revision})").format(revision=SCHEMA_HEAD)
        print(f"schema:    {revision} {writes}")
        problems = integrity_problems(engine)
    return _told_problems(problems)
