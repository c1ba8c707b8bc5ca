"""The `rmtui` command line: the TUI, the demo book and the commands for scripts."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rmtui import __version__
from rmtui.cli.book_commands import EXIT_CODES, add_client_actions, book_commands
from rmtui.cli.common import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    Handler,
    UsageError,
    add_command,
    later,
)
from rmtui.cli.completion import SHELLS, complete, is_completing
from rmtui.cli.tui import run_demo, run_tui
from rmtui.core.dates import DateError
from rmtui.core.translation import N_, _


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    if is_completing():  # the shell asks for the completions of a command line
        complete(build_parser())
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(words).parse_args(words)
    handler: Handler = args.handler
    if handler not in (run_tui, run_demo):  # the TUI draws the terminal itself
        from rmtui.cli.printable_output import guard_output

        guard_output()
    try:
        return handler(args)
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`)
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(
            "rmtui: " + _("interrupted; nothing was changed by the unfinished command."),
            file=sys.stderr,
        )
        return 130
    except Exception as error:  # every failure ends in one sentence, never a traceback
        return report_error(error, book=args.db)


def report_error(error: Exception, *, book: str | None = None) -> int:
    """Print one sentence for `error` (met on the book `book` names) and return its exit code."""
    from rmtui.core.errors import BookError, database_error, is_database_failure

    if is_database_failure(error):
        error = database_error(_book_named(book), error)
    if isinstance(error, BookError | UsageError | DateError | OSError):
        message = _os_error_text(error) if isinstance(error, OSError) else str(error)
        print(f"rmtui: {message}", file=sys.stderr)
        return 2 if isinstance(error, UsageError | DateError) else 1
    print(
        "rmtui: "
        + _("unexpected error ({error}); please report it with the command you ran.").format(
            error=f"{type(error).__name__}: {error}"
        ),
        file=sys.stderr,
    )
    return 1


def _book_named(book: str | None) -> Any:
    """The book `book` (--db) names as a message names it: a path, or a server URL masked."""
    from rmtui.core import paths
    from rmtui.core.server import is_server_url, masked

    chosen = book or os.environ.get(paths.DB_ENV)
    if chosen is not None and is_server_url(chosen):
        return masked(chosen)
    return paths.db_path(book)


def _os_error_text(error: OSError) -> str:
    where = f" {error.filename}" if error.filename else ""
    return _("cannot use{where}: {why}.").format(where=where, why=error.strerror or error)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser for every rmtui command; given the command line `argv` (without the
    program's name), one that knows only the command it runs when it names one: the others
    are not worth building."""
    speak_in_parser()
    parser = argparse.ArgumentParser(
        prog="rmtui",
        description=_("A keyboard-driven book of business for relationship managers."),
        epilog=_(EXIT_CODES),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"rmtui {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--db", metavar="PATH", help=_("the book file (default: $RMTUI_DB or the user data folder)")
    )
    parser.set_defaults(handler=run_tui)
    commands = parser.add_subparsers(title=_("commands"), metavar="COMMAND")
    every = all_commands()
    chosen = None if argv is None else command_named(argv, every)
    for name, add in every.items():
        if chosen in (None, name):
            add(commands)
    return parser


def all_commands() -> dict[str, Any]:
    """Every command: its name, and the function that adds it to the parser's subparsers."""
    return {
        "demo": _add_demo,
        "import": _add_import,
        "export": _add_export,
        "copy": _add_copy,
        "agenda": _add_agenda,
        "reviews": _add_reviews,
        "kpi": _add_kpi,
        "backup": _add_backup,
        "restore": _add_restore,
        "doctor": _add_doctor,
        "client": _add_client,
        "household": _add_household,
        "trash": _add_trash,
        "encrypt": _add_encrypt,
        "decrypt": _add_decrypt,
        "completion": _add_completion,
        **book_commands(),
    }


def speak_in_parser() -> None:
    """Have argparse write its own words (usage, options, its errors) in the language of the
    text: it reads them through gettext, from the catalogue of rmtui's messages."""
    from rmtui.cli import parser_words
    from rmtui.core.translation import ngettext

    parser_words.install(_, ngettext)


def command_named(argv: Sequence[str], commands: dict[str, Any]) -> str | None:
    """The command `argv` runs, when its first word after `--db PATH` is one of `commands`,
    or "" when there is none (the TUI); None when that word is another, or another option
    comes first."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif not word.startswith("--db="):
            return word if word in commands else None
    return ""


def _add_demo(commands: Any) -> None:
    add_command(
        commands, "demo", run_demo, N_("open the TUI on a demo book (your book is untouched)")
    )


def _add_import(commands: Any) -> None:
    command = add_command(
        commands,
        "import",
        later("files", "run_import"),
        N_("import a book (.json), clients from a spreadsheet (.csv) or contacts (.vcf)"),
    )
    command.add_argument("file", type=Path)
    command.add_argument(
        "--format", choices=IMPORT_FORMATS, help=_("default: by the file's ending")
    )
    command.add_argument(
        "--map",
        action="append",
        metavar="COLUMN=FIELD",
        help=_("CSV: read COLUMN as the client field FIELD (repeatable)"),
    )
    command.add_argument(
        "--dry-run",
        action="store_true",
        help=_("CSV/vCard: report what would happen, change nothing"),
    )
    command.add_argument(
        "--merge",
        action="store_true",
        help=_("CSV/vCard: update duplicates with the file's values"),
    )
    command.add_argument(
        "--skip-invalid",
        action="store_true",
        help=_(
            "CSV/vCard: import the good records, list each one skipped (default: all or nothing)"
        ),
    )
    command.add_argument(
        "--encoding",
        metavar="NAME",
        help=_("CSV/vCard: read the file in this encoding (default: detected, e.g. shift_jis)"),
    )


def _add_export(commands: Any) -> None:
    command = add_command(
        commands,
        "export",
        later("files", "run_export"),
        N_("export the book: json (everything), csv (a folder), ics (follow-ups), vcf (clients)"),
    )
    command.add_argument("file", type=Path, metavar="FILE_OR_DIR")
    command.add_argument("--format", choices=EXPORT_FORMATS, help=_("default: by the ending"))
    command.add_argument(
        "--excel",
        action="store_true",
        help=_("CSV: for a spreadsheet (byte order mark, the locale's separators, phones as text)"),
    )
    command.add_argument(
        "--events",
        action="store_true",
        help=_("ICS: follow-ups as all-day events, for calendars that show no to-dos"),
    )


def _add_copy(commands: Any) -> None:
    command = add_command(
        commands,
        "copy",
        later("files", "run_copy"),
        N_("copy the whole book to a PostgreSQL database or a new book file, all or nothing"),
    )
    command.add_argument(
        "--to",
        required=True,
        metavar="URL_OR_FILE",
        help=_("postgresql://USER@HOST[:PORT]/DB (an empty database) or the path of a new book"),
    )


def _add_agenda(commands: Any) -> None:
    command = add_command(
        commands, "agenda", later("reports", "run_agenda"), N_("print the Today list")
    )
    command.add_argument("--date", dest="day", metavar="D", help=_("the day (default today)"))
    command.add_argument(
        "--all",
        dest="everyone",
        action="store_true",
        help=_("every client of the book, not only yours"),
    )
    command.add_argument("--json", action="store_true", help=_("print JSON"))


def _add_reviews(commands: Any) -> None:
    command = add_command(
        commands, "reviews", later("reports", "run_reviews"), N_("list the reviews due in a month")
    )
    command.add_argument(
        "--month", metavar="YYYY-MM", help=_("the month, e.g. 2027-03 (default this month)")
    )
    command.add_argument("--json", action="store_true", help=_("print JSON"))


def _add_kpi(commands: Any) -> None:
    command = add_command(
        commands, "kpi", later("reports", "run_kpi"), N_("print the KPIs for a period")
    )
    command.add_argument(
        "--from", dest="start", metavar="D", help=_("first day (default: start of this quarter)")
    )
    command.add_argument(
        "--to", dest="end", metavar="D", help=_("last day (default: end of this quarter)")
    )
    command.add_argument(
        "--all",
        dest="everyone",
        action="store_true",
        help=_("every client of the book, not only yours"),
    )
    command.add_argument("--json", action="store_true", help=_("print JSON"))


def _add_backup(commands: Any) -> None:
    add_command(
        commands,
        "backup",
        later("safekeeping", "run_backup"),
        N_("copy the book to the backups folder"),
    )


def _add_restore(commands: Any) -> None:
    command = add_command(
        commands,
        "restore",
        later("safekeeping", "run_restore"),
        N_("replace the book with a backup"),
    )
    command.add_argument("file", type=Path)


def _add_doctor(commands: Any) -> None:
    add_command(
        commands,
        "doctor",
        later("safekeeping", "run_doctor"),
        N_("check the book: paths, schema, integrity"),
    )


def _add_client(commands: Any) -> None:
    command = add_command(
        commands, "client", _needs_subcommand, N_("add, list, show, edit, export or erase clients")
    )
    actions = command.add_subparsers(title=_("client commands"), metavar="ACTION")
    add_client_actions(actions)
    export = add_command(
        actions,
        "export",
        later("safekeeping", "run_client_export"),
        N_("write everything about one client to a JSON file (GDPR access)"),
    )
    export.add_argument("client_id", type=int, metavar="ID")
    export.add_argument("file", type=Path)
    erase = add_command(
        actions,
        "erase",
        later("safekeeping", "run_client_erase"),
        N_("erase one client and every record about them (GDPR erasure)"),
    )
    erase.add_argument("client_id", type=int, metavar="ID")
    erase.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))


def _add_household(commands: Any) -> None:
    command = add_command(
        commands,
        "household",
        _needs_household_subcommand,
        N_("households: clients looked after together"),
    )
    actions = command.add_subparsers(title=_("household commands"), metavar="ACTION")
    add = add_command(
        actions,
        "add",
        later("households", "run_household_add"),
        N_("start a household from a client"),
    )
    add.add_argument("client", metavar="CLIENT", help=_("an id or a name matching one client"))
    add.add_argument("--name", help=_("the household's name (default: after the client)"))
    roles = _("head, partner, child, dependent or other")
    add.add_argument("--role", default="head", help=roles)
    add.add_argument(
        "--separate-checkins",
        action="store_true",
        help=_("a check-in with one member does not count for the others"),
    )
    join = add_command(
        actions,
        "join",
        later("households", "run_household_join"),
        N_("add a client to a household"),
    )
    join.add_argument("household", metavar="HOUSEHOLD", help=_("an id or a name"))
    join.add_argument("client", metavar="CLIENT")
    join.add_argument("--role", default="other", help=roles)
    leave = add_command(
        actions, "leave", later("households", "run_household_leave"), N_("take a client out")
    )
    leave.add_argument("client", metavar="CLIENT")
    show = add_command(
        actions,
        "show",
        later("households", "run_household_show"),
        N_("members, assets, open items"),
    )
    show.add_argument("household", metavar="HOUSEHOLD")
    show.add_argument("--date", metavar="D", help=_("the day (default: today)"))
    listing = add_command(
        actions, "list", later("households", "run_household_list"), N_("households")
    )
    listing.add_argument("text", nargs="?", help=_("only those whose name holds this"))
    listing.add_argument("--limit", type=int, default=200)
    review = add_command(
        actions,
        "review",
        later("households", "run_household_review"),
        N_("write the review report of a whole household (.md or .html), or print it"),
    )
    review.add_argument("household", metavar="HOUSEHOLD")
    review.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="FILE",
        help=_("ending in .md or .html (default: print)"),
    )
    review.add_argument("--date", metavar="D", help=_("the day of the review (default: today)"))
    review.add_argument(
        "--format", choices=("markdown", "html"), help=_("printed: markdown (default) or html")
    )
    delete = add_command(
        actions,
        "delete",
        later("households", "run_household_delete"),
        N_("move a household to the trash; its members stay clients"),
    )
    delete.add_argument("household", metavar="HOUSEHOLD")
    for action in (add, join, leave, show, listing, delete):
        action.add_argument("--json", action="store_true", help=_("print JSON"))


def _needs_household_subcommand(args: argparse.Namespace) -> int:
    raise UsageError(
        _(
            "say what to do: `rmtui household add CLIENT`, `join HOUSEHOLD CLIENT`, "
            "`leave CLIENT`, `show HOUSEHOLD`, `review HOUSEHOLD [FILE]`, `delete HOUSEHOLD` "
            "or `list`."
        )
    )


def _add_trash(commands: Any) -> None:
    command = add_command(
        commands, "trash", _needs_trash_subcommand, N_("list, restore or empty the deleted records")
    )
    actions = command.add_subparsers(title=_("trash commands"), metavar="ACTION")
    listing = add_command(
        actions,
        "list",
        later("trash", "run_trash_list"),
        N_("what was deleted in the last 30 days"),
    )
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    restore = add_command(
        actions, "restore", later("trash", "run_trash_restore"), N_("put a deleted record back")
    )
    restore.add_argument("entry_id", type=int, metavar="ID", help=_("as `rmtui trash list` shows"))
    restore.add_argument("--json", action="store_true", help=_("print JSON"))
    empty = add_command(
        actions, "empty", later("trash", "run_trash_empty"), N_("delete the trash for good")
    )
    empty.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))


def _add_encrypt(commands: Any) -> None:
    add_command(
        commands,
        "encrypt",
        later("safekeeping", "run_encrypt"),
        N_("encrypt the book with a passphrase"),
    )


def _add_decrypt(commands: Any) -> None:
    add_command(
        commands, "decrypt", later("safekeeping", "run_decrypt"), N_("remove the book's encryption")
    )


def _add_completion(commands: Any) -> None:
    command = add_command(
        commands,
        "completion",
        later("completion", "run_completion"),
        N_("print the script that completes rmtui's commands and client names in your shell"),
    )
    command.add_argument("shell", choices=SHELLS, metavar="SHELL", help=_("bash, zsh or fish"))
    command.epilog = _(
        'bash: add  eval "$(rmtui completion bash)"  to ~/.bashrc; '
        'zsh: add  eval "$(rmtui completion zsh)"  to ~/.zshrc after compinit; '
        "fish: rmtui completion fish > ~/.config/fish/completions/rmtui.fish"
    )


def _needs_trash_subcommand(args: argparse.Namespace) -> int:
    raise UsageError(
        _(
            "say what to do with the trash: `rmtui trash list`, `rmtui trash restore ID` or "
            "`rmtui trash empty`."
        )
    )


def _needs_subcommand(args: argparse.Namespace) -> int:
    raise UsageError(
        _(
            "say what to do with clients: `rmtui client add NAME`, `list`, `show CLIENT`, "
            "`edit CLIENT --FIELD VALUE`, `export ID FILE` or `erase ID`."
        )
    )
