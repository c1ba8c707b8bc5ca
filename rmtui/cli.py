"""The `rmtui` command line: the TUI, the demo book and the commands for scripts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmtui import __version__, paths
from rmtui.dates import DateError, parse_date, today

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """A command line that cannot be carried out, said in one sentence."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        handler: Handler = args.handler
        return handler(args)
    except KeyboardInterrupt:
        print("rmtui: interrupted; nothing was changed by the unfinished command.", file=sys.stderr)
        return 130
    except Exception as error:  # every failure ends in one sentence, never a traceback
        return report_error(error)


def report_error(error: Exception) -> int:
    """Print one sentence for `error` and return the exit code for it."""
    from rmtui.db import BookError

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
    command = _command(commands, "import", run_import, "import a book file (rmtui-book JSON)")
    command.add_argument("file", type=Path)


def _add_export(commands: Any) -> None:
    command = _command(commands, "export", run_export, "export the whole book (rmtui-book JSON)")
    command.add_argument("file", type=Path)


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


def book_path(args: argparse.Namespace) -> Path:
    """The book file chosen by --db, RMTUI_DB or the default."""
    return paths.db_path(args.db)


def open_engine(args: argparse.Namespace) -> Engine:
    """Open (creating or migrating) the chosen book."""
    from rmtui.db import open_book

    return open_book(book_path(args))


def cli_date(text: str | None, *, default: date | None = None) -> date:
    """A date given on the command line, or `default` (today) when none was given."""
    if text is None:
        return default or today()
    return parse_date(text)


def run_tui(args: argparse.Namespace) -> int:
    """Open the TUI on the user's book."""
    path = book_path(args)
    engine = open_engine(args)
    return _run_app(engine, book_name=path.stem)


def run_demo(args: argparse.Namespace) -> int:
    """Open the TUI on a fresh copy of the demo book in a temporary folder."""
    import tempfile

    from rmtui.demo import create_demo_book

    with tempfile.TemporaryDirectory(prefix="rmtui-demo-") as folder:
        engine = create_demo_book(Path(folder) / "demo.db", today=today())
        try:
            return _run_app(engine, book_name="demo book")
        finally:
            engine.dispose()


def _run_app(engine: Engine, *, book_name: str) -> int:
    from rmtui.app import make_app

    make_app(engine, book_name=book_name).run()
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import a book file, all or nothing."""
    from rmtui.interchange import BookImportError, import_book, read_book_file

    data = read_book_file(args.file)
    engine = open_engine(args)
    try:
        report = import_book(engine=engine, data=data)
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


def run_export(args: argparse.Namespace) -> int:
    """Export the whole book as an rmtui-book JSON file."""
    from rmtui.interchange import write_book_file

    engine = open_engine(args)
    write_book_file(args.file, engine=engine)
    print(f"Exported the book to {args.file}.")
    return 0


def run_agenda(args: argparse.Namespace) -> int:
    """Print the Today list as text or JSON."""
    from rmtui.agenda import agenda_json, agenda_text, build_agenda
    from rmtui.db import session_scope

    day = cli_date(args.day)
    with session_scope(open_engine(args)) as session:
        agenda = build_agenda(session=session, day=day)
    if args.json:
        print(json.dumps(agenda_json(agenda), indent=2, ensure_ascii=False))
    else:
        print(agenda_text(agenda))
    return 0


def run_kpi(args: argparse.Namespace) -> int:
    """Print the KPIs for a period as text or JSON."""
    from rmtui.db import session_scope
    from rmtui.kpi import compute_kpis, kpis_json, kpis_text
    from rmtui.periods import period_containing

    quarter = period_containing(today(), "quarter")
    start = cli_date(args.start, default=quarter.start)
    end = cli_date(args.end, default=quarter.end)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}; give the period's first day first.")
    with session_scope(open_engine(args)) as session:
        kpis = compute_kpis(session=session, start=start, end=end)
    if args.json:
        print(json.dumps(kpis_json(kpis), indent=2))
    else:
        print(kpis_text(kpis))
    return 0


def run_backup(args: argparse.Namespace) -> int:
    """Copy the book into the backups folder."""
    from rmtui.db import backup_book

    path = book_path(args)
    if not path.exists():
        raise UsageError(f"there is no book at {path} to back up.")
    open_engine(args).dispose()
    print(f"Backed up to {backup_book(path)}.")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Replace the book with a backup file, keeping a copy of the current book."""
    from rmtui.backups import restore_book

    safety_copy = restore_book(book_path(args), args.file)
    print(f"Restored {args.file}; the previous book was kept at {safety_copy}.")
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    """Print paths, schema version and the integrity check of the book."""
    from rmtui.db import SCHEMA_HEAD, integrity_problems, read_revision

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
