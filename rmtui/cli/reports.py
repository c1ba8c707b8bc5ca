"""`rmtui agenda` and `rmtui kpi`: the Today list and the KPIs as text or JSON."""

from __future__ import annotations

import argparse

from rmtui.cli.common import UsageError, cli_date, opened_book, read_quickly
from rmtui.core.dates import today


def run_agenda(args: argparse.Namespace) -> int:
    """Print the Today list as text or JSON."""
    from rmtui.core.agenda import agenda_json, agenda_text, read_agenda

    day = cli_date(args.day)
    agenda = read_quickly(args, lambda connection: read_agenda(connection, day=day))
    if agenda is None:
        from rmtui.core.agenda import build_agenda
        from rmtui.core.db import session_scope

        with opened_book(args, read_only=True) as engine, session_scope(engine) as session:
            agenda = build_agenda(session=session, day=day)
    if args.json:
        import json

        print(json.dumps(agenda_json(agenda), indent=2, ensure_ascii=False))
    else:
        print(agenda_text(agenda))
    return 0


def run_kpi(args: argparse.Namespace) -> int:
    """Print the KPIs for a period as text or JSON."""
    from rmtui.core.kpi import kpis_json, kpis_text, read_kpis
    from rmtui.core.periods import Period, in_progress, period_containing

    quarter = period_containing(today(), "quarter")
    start = cli_date(args.start, default=quarter.start)
    end = cli_date(args.end, default=quarter.end)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}; give the period's first day first.")
    day = today()
    kpis = read_quickly(
        args, lambda connection: read_kpis(connection, start=start, end=end, today=day)
    )
    if kpis is None:
        from rmtui.core.db import session_scope
        from rmtui.core.kpi import compute_kpis

        with opened_book(args, read_only=True) as engine, session_scope(engine) as session:
            kpis = compute_kpis(session=session, start=start, end=end, today=day)
    if args.json:
        import json

        print(json.dumps(kpis_json(kpis), indent=2))
    else:
        print(kpis_text(kpis, to_date=in_progress(Period(start, end), day)))
    return 0


def run_digest(args: argparse.Namespace) -> int:
    """Print the morning digest as text, Markdown or JSON."""
    from rmtui.core.db import session_scope
    from rmtui.core.digest import (
        FORMATS,
        build_digest,
        digest_json,
        digest_markdown,
        digest_text,
    )

    if args.format not in FORMATS:
        raise UsageError(f"--format: choose one of {', '.join(FORMATS)}, not '{args.format}'.")
    day = cli_date(args.day)
    with opened_book(args, read_only=True) as engine, session_scope(engine) as session:
        digest = build_digest(session=session, day=day)
    if args.format == "json":
        import json

        print(json.dumps(digest_json(digest), indent=2, ensure_ascii=False))
    else:
        print(digest_markdown(digest) if args.format == "markdown" else digest_text(digest))
    return 0
