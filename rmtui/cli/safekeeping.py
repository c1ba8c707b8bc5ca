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
from rmtui.core.wording import counted

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def run_backup(args: argparse.Namespace) -> int:
    """Copy the book into the backups folder (a server book: pg_dump's file)."""
    from rmtui.core.backups import make_backup

    url = server_url(args)
    if url is not None:
        from rmtui.core.server_backup import dump_server_book

        open_engine(args).dispose()
        print(f"Backed up to {dump_server_book(url)}.")
        return 0
    path = book_path(args)
    if not path.exists():
        raise BookError(f"there is no book at {path} to back up.")
    from rmtui.cli.progress_bar import progress_bar

    open_engine(args, read_only=True).dispose()
    with progress_bar() as progress:
        backup = make_backup(path, passphrase=book_passphrase(args), progress=progress)
    print(f"Backed up to {backup}.")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Replace the book with a backup file, keeping a copy of the current book."""
    from rmtui.core.backups import restore_book
    from rmtui.core.storage import is_encrypted_file

    url = server_url(args)
    if url is not None:
        from rmtui.core.server_backup import restore_server_book

        safety = restore_server_book(url, args.file)
        print(f"Restored {args.file}; the previous book was kept at {safety}.")
        return 0
    passphrase = None
    if args.file.is_file() and is_encrypted_file(args.file):
        passphrase = ask_passphrase(f"Passphrase for {args.file}: ")
    safety_copy = restore_book(book_path(args), args.file, passphrase=passphrase)
    kept = f"; the previous book was kept at {safety_copy}" if safety_copy else ""
    print(f"Restored {args.file}{kept}.")
    return 0


def run_client_export(args: argparse.Namespace) -> int:
    """Write everything about one client to a JSON file."""
    from rmtui.core.privacy import write_client_dossier

    with opened_book(args, read_only=True) as engine:
        written = write_client_dossier(args.file, engine=engine, client_id=args.client_id)
    print(f"Wrote everything about client {args.client_id} to {written}.")
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
        name = client.name if client else "the deleted client" if trashed else None
    if name is None:
        raise BookError(f"there is no client {args.client_id}; check the id with the TUI.")
    if not args.yes and not confirm(
        f"Erase {name} (client {args.client_id}) and every record "
        "about them? This cannot be undone. [y/N] "
    ):
        print("Nothing was erased.")
        return 1
    from rmtui.cli.progress_bar import progress_bar

    with progress_bar() as progress:
        report = erase_client(engine=engine, client_id=args.client_id, progress=progress)
    print(report.summary())
    for table, ids in report.mentions.items():
        print(f"  still mentioned by name in {table}: {', '.join(map(str, ids))}")
    if report.backups:
        print(
            f"  {counted(len(report.backups), 'older backup')} in {report.backups[0].parent} "
            f"still {'holds' if len(report.backups) == 1 else 'hold'} this client; delete "
            f"{'it' if len(report.backups) == 1 else 'them'} to complete the erasure."
        )
    return 0


def run_encrypt(args: argparse.Namespace) -> int:
    """Encrypt the book with a passphrase typed twice."""
    from rmtui.core.encryption import encrypt_book

    _refuse_on_server(args, "encrypt")
    path = book_path(args)
    open_engine(args).dispose()
    backup = encrypt_book(path, ask_passphrase("New passphrase: ", confirm=True))
    print(
        f"Encrypted {path}. An unencrypted copy was kept at {backup}; delete it (and older "
        "unencrypted backups) once you have checked the book opens."
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
        raise BookError(f"{path} is not encrypted.")
    backup = decrypt_book(path, passphrase)
    print(f"Decrypted {path}; the encrypted copy was kept at {backup}.")
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
        print("status:    no book yet; `rmtui` creates it.")
        return 0
    with opened_book(args, read_only=True) as engine:
        with closing(engine.raw_connection()) as connection:
            print(f"schema:    {revision_of(connection, path)} (this rmtui writes {SCHEMA_HEAD})")
            problems = schema_problems(connection)
        problems += integrity_problems(engine)
    for problem in problems:
        print(f"problem:   {problem}")
    print("integrity: ok" if not problems else f"integrity: {counted(len(problems), 'problem')}")
    return 1 if problems else 0


def _refuse_on_server(args: argparse.Namespace, verb: str) -> None:
    """Refuse encryption on a server book, which is not a file rmtui holds."""
    from rmtui.core.server import masked

    url = server_url(args)
    if url is not None:
        raise BookError(
            f"{masked(url)} is on a PostgreSQL server, which rmtui cannot {verb}; protect it "
            "there (disk encryption on the server, sslmode=require in the URL)."
        )


def _server_doctor(args: argparse.Namespace) -> int:
    """The doctor of a server book: where it is, its schema, its config."""
    from rmtui.core.server import masked, server_revision
    from rmtui.core.storage import SCHEMA_HEAD

    url = server_url(args) or ""
    print(f"book:      {masked(url)}")
    print("backups:   pg_dump (`rmtui backup`), kept in the user data folder")
    print(f"config:    {paths.config_dir()}")
    with opened_book(args, read_only=True) as engine, engine.connect() as connection:
        revision = server_revision(connection, masked(url))
    print(f"schema:    {revision} (this rmtui writes {SCHEMA_HEAD})")
    print("integrity: kept by the server")
    return 0
