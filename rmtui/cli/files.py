"""`rmtui import` and `rmtui export`: the whole book as JSON, clients as CSV or vCard."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from rmtui.cli.common import (
    EXPORT_FORMATS,
    UsageError,
    book_path,
    file_format,
    import_format,
    opened_book,
)
from rmtui.cli.progress_bar import progress_bar
from rmtui.core.errors import BookError
from rmtui.core.figures import count_text
from rmtui.core.storage import remove_book_files
from rmtui.core.translation import _, ngettext

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def run_import(args: argparse.Namespace) -> int:
    """Import a book, a spreadsheet of clients or a contacts file, all or nothing."""
    if not args.file.exists():
        raise BookError(
            _("there is no file or folder at {path}; check its name.").format(path=args.file)
        )
    kind = import_format(args.file, args.format)
    made = not book_path(args).exists()  # a refused import removes the book it made
    try:
        code = _import_book_file(args) if kind == "json" else _import_clients(args, kind)
    except BaseException:
        if made:
            remove_book_files(book_path(args))
        raise
    if code != 0 and made:
        remove_book_files(book_path(args))
    return code


def _import_book_file(args: argparse.Namespace) -> int:
    from rmtui.core.interchange.book_file import BookImportError, import_book_file

    try:
        with progress_bar() as progress, opened_book(args, create=True) as engine:
            report = import_book_file(args.file, engine=engine, progress=progress)
    except BookImportError as error:
        for problem in error.problems:
            print(f"rmtui: {problem}", file=sys.stderr)
        count = len(error.problems)
        said = ngettext(
            "{count} problem in {file}; nothing was imported. Correct the file and import it"
            " again.",
            "{count} problems in {file}; nothing was imported. Correct the file and import it"
            " again.",
            count,
        )
        print(f"rmtui: {said.format(count=count_text(count), file=args.file)}", file=sys.stderr)
        return 1
    print(_("Imported {what}.").format(what=report))
    return 0


def _import_clients(args: argparse.Namespace, kind: str) -> int:
    from rmtui.core.interchange.client_import import ImportRejected
    from rmtui.core.interchange.csv_files import import_clients_csv, parse_mapping
    from rmtui.core.interchange.vcards import import_vcards

    try:
        with opened_book(args, create=not args.dry_run) as engine:
            options = {
                "engine": engine,
                "dry_run": args.dry_run,
                "merge": args.merge,
                "skip_invalid": args.skip_invalid,
                "encoding": args.encoding,
            }
            if kind == "csv":
                report = import_clients_csv(args.file, mapping=parse_mapping(args.map), **options)
            else:
                report = import_vcards(args.file, **options)
    except ImportRejected as error:
        for line in error.report.lines():
            print(f"rmtui: {line}", file=sys.stderr)
        return 1
    if args.dry_run and (report.problems or report.skipped):
        print("\n".join(report.lines()), file=sys.stderr)  # a dry run that found bad records
        return 1
    print("\n".join(report.lines()))
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Export the book as JSON, a CSV folder, an iCalendar file or vCards."""
    kind = file_format(args.file, args.format, EXPORT_FORMATS)
    if args.excel and kind != "csv":
        raise UsageError(_("--excel is an option of CSV exports; give a folder or --format csv."))
    if args.events and kind != "ics":
        raise UsageError(_("--events is an option of calendar exports; give a .ics file."))
    with opened_book(args, read_only=True) as engine:
        return _export(args, kind, engine)


def _export(args: argparse.Namespace, kind: str, engine: Engine) -> int:
    from rmtui.core.interchange import calendar, csv_files, vcard_export
    from rmtui.core.interchange.book_file import write_book_file
    from rmtui.core.wording import counts_text, records_text

    if kind == "csv":
        counts = csv_files.write_csv_export(args.file, engine=engine, excel=args.excel)
        rows, files = (
            records_text("rows", sum(counts.values())),
            records_text("CSV files", len(counts)),
        )
        print(
            _("Exported {rows} in {files} to {path}.").format(
                rows=rows, files=files, path=args.file
            )
        )
    elif kind == "ics":
        counts = calendar.write_calendar(args.file, engine=engine, events=args.events)
        print(_("Exported {what} to {path}.").format(what=counts_text(counts), path=args.file))
    elif kind == "vcf":
        counts = vcard_export.write_vcards(args.file, engine=engine)
        shown = {entity: count for entity, count in counts.items() if count or entity == "clients"}
        print(_("Exported {what} to {path}.").format(what=counts_text(shown), path=args.file))
    else:
        with progress_bar() as progress:
            counts = write_book_file(args.file, engine=engine, progress=progress)
        print(_("Exported {what} to {path}.").format(what=counts_text(counts), path=args.file))
    return 0


def run_copy(args: argparse.Namespace) -> int:
    """Copy the whole book to a PostgreSQL database or a new book file, all or nothing."""
    from rmtui.cli.common import open_server_engine, server_url
    from rmtui.core.book_copy import copy_book
    from rmtui.core.server import is_server_url, masked

    target = args.to
    source_name = server_url(args) or str(book_path(args))
    if target == source_name or (not is_server_url(target) and _same_file(args, target)):
        raise UsageError(_("--to names the book being copied; give another database or file."))
    if is_server_url(target):
        target_engine = open_server_engine(target)
        try:
            with opened_book(args, read_only=True) as source, progress_bar() as progress:
                report = copy_book(source=source, target=target_engine, progress=progress)
        finally:
            target_engine.dispose()
        shown = masked(target)
    else:
        from pathlib import Path

        from rmtui.core.db import new_book_to_fill

        made = Path(target).expanduser()
        with (
            new_book_to_fill(made) as target_engine,
            opened_book(args, read_only=True) as source,
            progress_bar() as progress,
        ):
            report = copy_book(
                source=source, target=target_engine, progress=progress, label=str(made)
            )
        shown = str(made)
    print(_("Copied {what} to {target}.").format(what=report, target=shown))
    return 0


def _same_file(args: argparse.Namespace, target: str) -> bool:
    from pathlib import Path

    from rmtui.cli.common import server_url

    if server_url(args):
        return False
    source, other = book_path(args), Path(target).expanduser()
    return other.exists() and source.exists() and source.samefile(other)
