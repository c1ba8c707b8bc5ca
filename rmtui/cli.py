"""The `rmtui` command line: the TUI, the demo book and the commands for scripts."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmtui import __version__
from rmtui.core import paths
from rmtui.core.dates import DateError, parse_date, today

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from rmtui.core.backups import DailyBackup

Handler = Callable[[argparse.Namespace], int]
IMPORT_FORMATS = ("json", "csv", "vcf")
EXPORT_FORMATS = ("json", "csv", "ics", "vcf")
PASSPHRASE_ENV = "RMTUI_PASSPHRASE"
# How often the TUI may paint (see paint_promptly).
FRAMES_PER_SECOND = 120


class UsageError(Exception):
    """A command line that cannot be carried out, said in one sentence."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        handler: Handler = args.handler
        return handler(args)
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`)
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("rmtui: interrupted; nothing was changed by the unfinished command.", file=sys.stderr)
        return 130
    except Exception as error:  # every failure ends in one sentence, never a traceback
        return report_error(error)


def report_error(error: Exception) -> int:
    """Print one sentence for `error` and return the exit code for it."""
    from rmtui.core.errors import BookError

    if isinstance(error, BookError | UsageError | DateError | OSError):
        message = _os_error_text(error) if isinstance(error, OSError) else str(error)
        print(f"rmtui: {message}", file=sys.stderr)
        return 2 if isinstance(error, UsageError | DateError) else 1
    print(
        f"rmtui: unexpected error ({type(error).__name__}: {error}); "
        "please report it with the command you ran.",
        file=sys.stderr,
    )
    return 1


def _os_error_text(error: OSError) -> str:
    where = f" {error.filename}" if error.filename else ""
    return f"cannot use{where}: {error.strerror or error}."


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every rmtui command."""
    parser = argparse.ArgumentParser(
        prog="rmtui",
        description="A keyboard-driven book of business for relationship managers.",
    )
    parser.add_argument("--version", action="version", version=f"rmtui {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="the book file (default: $RMTUI_DB or the user data folder)"
    )
    parser.set_defaults(handler=run_tui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in (
        _add_demo,
        _add_import,
        _add_export,
        _add_agenda,
        _add_kpi,
        _add_backup,
        _add_restore,
        _add_doctor,
        _add_client,
        _add_encrypt,
        _add_decrypt,
    ):
        add(commands)
    return parser


def _command(commands: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    command: argparse.ArgumentParser = commands.add_parser(
        name, help=help_text, description=help_text
    )
    command.set_defaults(handler=handler)
    return command


def _add_demo(commands: Any) -> None:
    _command(commands, "demo", run_demo, "open the TUI on a demo book (your book is untouched)")


def _add_import(commands: Any) -> None:
    command = _command(
        commands,
        "import",
        run_import,
        "import a book (.json), clients from a spreadsheet (.csv) or contacts (.vcf)",
    )
    command.add_argument("file", type=Path)
    command.add_argument("--format", choices=IMPORT_FORMATS, help="default: by the file's ending")
    command.add_argument(
        "--map",
        action="append",
        metavar="COLUMN=FIELD",
        help="CSV: read COLUMN as the client field FIELD (repeatable)",
    )
    command.add_argument(
        "--dry-run", action="store_true", help="CSV/vCard: report what would happen, change nothing"
    )
    command.add_argument(
        "--merge", action="store_true", help="CSV/vCard: update duplicates with the file's values"
    )


def _add_export(commands: Any) -> None:
    command = _command(
        commands,
        "export",
        run_export,
        "export the book: json (everything), csv (a folder), ics (follow-ups), vcf (clients)",
    )
    command.add_argument("file", type=Path, metavar="FILE_OR_DIR")
    command.add_argument("--format", choices=EXPORT_FORMATS, help="default: by the ending")


def _add_agenda(commands: Any) -> None:
    command = _command(commands, "agenda", run_agenda, "print the Today list")
    command.add_argument("--date", dest="day", metavar="D", help="the day (default today)")
    command.add_argument("--json", action="store_true", help="print JSON")


def _add_kpi(commands: Any) -> None:
    command = _command(commands, "kpi", run_kpi, "print the KPIs for a period")
    command.add_argument(
        "--from", dest="start", metavar="D", help="first day (default: start of this quarter)"
    )
    command.add_argument(
        "--to", dest="end", metavar="D", help="last day (default: end of this quarter)"
    )
    command.add_argument("--json", action="store_true", help="print JSON")


def _add_backup(commands: Any) -> None:
    _command(commands, "backup", run_backup, "copy the book to the backups folder")


def _add_restore(commands: Any) -> None:
    command = _command(commands, "restore", run_restore, "replace the book with a backup")
    command.add_argument("file", type=Path)


def _add_doctor(commands: Any) -> None:
    _command(commands, "doctor", run_doctor, "check the book: paths, schema, integrity")


def _add_client(commands: Any) -> None:
    command = _command(commands, "client", _needs_subcommand, "export or erase one client")
    actions = command.add_subparsers(title="client commands", metavar="ACTION")
    export = _command(
        actions,
        "export",
        run_client_export,
        "write everything about one client to a JSON file (GDPR access)",
    )
    export.add_argument("client_id", type=int, metavar="ID")
    export.add_argument("file", type=Path)
    erase = _command(
        actions,
        "erase",
        run_client_erase,
        "erase one client and every record about them (GDPR erasure)",
    )
    erase.add_argument("client_id", type=int, metavar="ID")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def _add_encrypt(commands: Any) -> None:
    _command(commands, "encrypt", run_encrypt, "encrypt the book with a passphrase")


def _add_decrypt(commands: Any) -> None:
    _command(commands, "decrypt", run_decrypt, "remove the book's encryption")


def _needs_subcommand(args: argparse.Namespace) -> int:
    raise UsageError(
        "say what to do with the client: `rmtui client export ID FILE` or `rmtui client erase ID`."
    )


def book_path(args: argparse.Namespace) -> Path:
    """The book file chosen by --db, RMTUI_DB or the default."""
    return paths.db_path(args.db)


def open_engine(args: argparse.Namespace) -> Engine:
    """Open (creating or migrating) the chosen book, asking for its passphrase if encrypted."""
    from rmtui.core.db import open_book
    from rmtui.core.errors import PassphraseNeeded

    path = book_path(args)
    try:
        return open_book(path, progress=tell_progress)
    except PassphraseNeeded:
        args.passphrase = ask_passphrase(f"Passphrase for {path}: ")
        return open_book(path, passphrase=args.passphrase, progress=tell_progress)


def ask_passphrase(prompt: str, *, confirm: bool = False) -> str:
    """The passphrase from RMTUI_PASSPHRASE or, in a terminal, typed without echo."""
    import getpass
    import os

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise UsageError(
            f"the book is encrypted; run rmtui in a terminal to type the "
            f"passphrase, or set {PASSPHRASE_ENV}."
        )
    passphrase = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != passphrase:
        raise UsageError("the two passphrases differ; nothing was changed.")
    return passphrase


def book_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase given while opening the book (None for a plain book)."""
    return getattr(args, "passphrase", None)


def cli_date(text: str | None, *, default: date | None = None) -> date:
    """A date given on the command line, or `default` (today) when none was given."""
    if text is None:
        return default or today()
    return parse_date(text)


def run_tui(args: argparse.Namespace) -> int:
    """Open the TUI on the user's book.

    A plain book at the current schema (the everyday case) opens at once: its first screen is
    read with the standard library's sqlite3 while SQLAlchemy loads behind it. A new,
    encrypted or older book is opened (created, asked for, migrated) first.
    """
    from rmtui.core.backups import DailyBackup
    from rmtui.core.db import book_at_head

    paint_promptly()
    path = book_path(args)
    if book_at_head(path):
        from rmtui.core.agenda import TODAY_LIMIT, EarlyAgenda

        early = EarlyAgenda(path, day=today(), limit=TODAY_LIMIT)  # read while the app loads
        backup = DailyBackup(path)
        from rmtui.app import make_app_on_path

        make_app_on_path(path, book_name=path.stem, early_agenda=early, daily_backup=backup).run()
        return 0
    engine = open_engine(args)
    backup = DailyBackup(path, passphrase=book_passphrase(args))
    return _run_app(engine, book_name=path.stem, daily_backup=backup)


def paint_promptly() -> None:
    """Let Textual paint up to FRAMES_PER_SECOND frames a second (unless TEXTUAL_FPS says).

    Textual paints a change at its next frame, and a change made within a frame of the one
    before waits one to two frame periods: at its default 60 frames a second, the list a
    filter keystroke brings waited 17-33 ms after the typed letter was painted. Frames are
    only painted when something changed, so an idle screen costs nothing more.
    """
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))


def run_demo(args: argparse.Namespace) -> int:
    """Open the TUI on a fresh copy of the demo book in a temporary folder."""
    import tempfile

    from rmtui.core.demo import create_demo_book

    paint_promptly()
    with tempfile.TemporaryDirectory(prefix="rmtui-demo-") as folder:
        engine = create_demo_book(Path(folder) / "demo.db", today=today())
        try:
            return _run_app(engine, book_name="demo book")
        finally:
            engine.dispose()


def _run_app(engine: Engine, *, book_name: str, daily_backup: DailyBackup | None = None) -> int:
    from rmtui.app import make_app

    app = make_app(engine, book_name=book_name)
    app.daily_backup = daily_backup
    app.run()
    return 0


def file_format(path: Path, given: str | None, choices: tuple[str, ...]) -> str:
    """The format named by --format, or else by the file's ending."""
    if given:
        return given
    ending = path.suffix.lower().lstrip(".")
    if ending in choices:
        return ending
    return "csv" if path.is_dir() and "csv" in choices else "json"


def tell_progress(step: str) -> None:
    """Say on the terminal what a long command is doing (nothing when stderr is redirected)."""
    if sys.stderr.isatty():
        print(f"rmtui: {step}…", file=sys.stderr, flush=True)


def run_import(args: argparse.Namespace) -> int:
    """Import a book, a spreadsheet of clients or a contacts file, all or nothing."""
    kind = file_format(args.file, args.format, IMPORT_FORMATS)
    if kind == "json":
        return _import_book_file(args)
    return _import_clients(args, kind)


def _import_book_file(args: argparse.Namespace) -> int:
    from rmtui.core.interchange.book_file import BookImportError, import_book, read_book_file

    tell_progress(f"reading {args.file}")
    data = read_book_file(args.file)
    engine = open_engine(args)
    try:
        report = import_book(engine=engine, data=data, progress=tell_progress, consume=True)
    except BookImportError as error:
        for problem in error.problems:
            print(f"rmtui: {problem}", file=sys.stderr)
        print(
            f"rmtui: {len(error.problems)} problem(s) in {args.file}; nothing was imported. "
            "Correct the file and import it again.",
            file=sys.stderr,
        )
        return 1
    print(f"Imported {report}.")
    return 0


def _import_clients(args: argparse.Namespace, kind: str) -> int:
    from rmtui.core.interchange.client_import import ImportRejected
    from rmtui.core.interchange.csv_files import import_clients_csv, parse_mapping
    from rmtui.core.interchange.vcards import import_vcards

    engine = open_engine(args)
    try:
        if kind == "csv":
            report = import_clients_csv(
                args.file,
                engine=engine,
                mapping=parse_mapping(args.map),
                dry_run=args.dry_run,
                merge=args.merge,
            )
        else:
            report = import_vcards(args.file, engine=engine, dry_run=args.dry_run, merge=args.merge)
    except ImportRejected as error:
        for line in error.report.lines():
            print(f"rmtui: {line}", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Export the book as JSON, a CSV folder, an iCalendar file or vCards."""
    from rmtui.core.interchange import calendar, csv_files, vcards
    from rmtui.core.interchange.book_file import counts_text, write_book_file

    kind = file_format(args.file, args.format, EXPORT_FORMATS)
    engine = open_engine(args)
    if kind == "csv":
        counts = csv_files.write_csv_export(args.file, engine=engine)
        print(f"Exported {sum(counts.values())} rows in {len(counts)} CSV files to {args.file}.")
    elif kind == "ics":
        counts = calendar.write_calendar(args.file, engine=engine)
        what = ", ".join(f"{count} {name}" for name, count in counts.items())
        print(f"Exported {what} to {args.file}.")
    elif kind == "vcf":
        print(f"Exported {vcards.write_vcards(args.file, engine=engine)} clients to {args.file}.")
    else:
        counts = write_book_file(args.file, engine=engine, progress=tell_progress)
        print(f"Exported {counts_text(counts)} to {args.file}.")
    return 0


def run_agenda(args: argparse.Namespace) -> int:
    """Print the Today list as text or JSON."""
    from rmtui.core.agenda import agenda_json, agenda_text, build_agenda
    from rmtui.core.db import session_scope

    day = cli_date(args.day)
    with session_scope(open_engine(args)) as session:
        agenda = build_agenda(session=session, day=day)
    if args.json:
        import json

        print(json.dumps(agenda_json(agenda), indent=2, ensure_ascii=False))
    else:
        print(agenda_text(agenda))
    return 0


def run_kpi(args: argparse.Namespace) -> int:
    """Print the KPIs for a period as text or JSON."""
    from rmtui.core.db import session_scope
    from rmtui.core.kpi import compute_kpis, kpis_json, kpis_text
    from rmtui.core.periods import period_containing

    quarter = period_containing(today(), "quarter")
    start = cli_date(args.start, default=quarter.start)
    end = cli_date(args.end, default=quarter.end)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}; give the period's first day first.")
    with session_scope(open_engine(args)) as session:
        kpis = compute_kpis(session=session, start=start, end=end)
    if args.json:
        import json

        print(json.dumps(kpis_json(kpis), indent=2))
    else:
        print(kpis_text(kpis))
    return 0


def run_backup(args: argparse.Namespace) -> int:
    """Copy the book into the backups folder."""
    from rmtui.core.backups import make_backup

    path = book_path(args)
    if not path.exists():
        raise UsageError(f"there is no book at {path} to back up.")
    open_engine(args).dispose()
    print(f"Backed up to {make_backup(path, passphrase=book_passphrase(args))}.")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Replace the book with a backup file, keeping a copy of the current book."""
    from rmtui.core.backups import restore_book
    from rmtui.core.storage import is_encrypted_file

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

    engine = open_engine(args)
    written = write_client_dossier(args.file, engine=engine, client_id=args.client_id)
    print(f"Wrote everything about client {args.client_id} to {written}.")
    return 0


def run_client_erase(args: argparse.Namespace) -> int:
    """Erase one client and every record about them, after confirmation."""
    from rmtui.core.db import session_scope
    from rmtui.core.privacy import erase_client
    from rmtui.core.queries.clients import get_client

    engine = open_engine(args)
    with session_scope(engine) as session:
        client = get_client(session=session, client_id=args.client_id)
        name = client.name if client else None
    if name is None:
        raise UsageError(f"there is no client {args.client_id}; check the id with the TUI.")
    if not args.yes and not confirm(
        f"Erase {name} (client {args.client_id}) and every record "
        "about them? This cannot be undone. [y/N] "
    ):
        print("Nothing was erased.")
        return 1
    report = erase_client(engine=engine, client_id=args.client_id)
    print(report.summary())
    for table, ids in report.mentions.items():
        print(f"  still mentioned by name in {table}: {', '.join(map(str, ids))}")
    if report.backups:
        print(
            f"  {len(report.backups)} older backup(s) in {report.backups[0].parent} still "
            "hold this client; delete them to complete the erasure."
        )
    return 0


def confirm(question: str) -> bool:
    """Ask a yes/no question on the terminal; no terminal means no."""
    if not sys.stdin.isatty():
        raise UsageError("confirmation needs a terminal; add --yes to go ahead without asking.")
    return input(question).strip().lower() in ("y", "yes")


def run_encrypt(args: argparse.Namespace) -> int:
    """Encrypt the book with a passphrase typed twice."""
    from rmtui.core.encryption import encrypt_book

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

    path = book_path(args)
    open_engine(args).dispose()
    passphrase = book_passphrase(args)
    if passphrase is None:
        raise UsageError(f"{path} is not encrypted.")
    backup = decrypt_book(path, passphrase)
    print(f"Decrypted {path}; the encrypted copy was kept at {backup}.")
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    """Print paths, schema version and the integrity check of the book."""
    from rmtui.core.db import integrity_problems
    from rmtui.core.storage import SCHEMA_HEAD, read_revision

    path = book_path(args)
    print(f"book:      {path}")
    print(f"backups:   {paths.backup_dir(path)}")
    print(f"config:    {paths.config_dir()}")
    if not path.exists():
        print("status:    no book yet; `rmtui` creates it.")
        return 0
    print(f"schema:    {read_revision(path)} (this rmtui writes {SCHEMA_HEAD})")
    problems = integrity_problems(open_engine(args))
    for problem in problems:
        print(f"problem:   {problem}")
    print("integrity: ok" if not problems else f"integrity: {len(problems)} problem(s)")
    return 1 if problems else 0
