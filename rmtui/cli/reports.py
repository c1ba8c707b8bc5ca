"""`rmtui agenda`, `rmtui reviews` and `rmtui kpi`: the Today list, the review season and the
KPIs as text or JSON."""

from __future__ import annotations

import argparse
import sys

from rmtui.cli.common import UsageError, cli_date, opened_book, owner_of, read_book
from rmtui.core.dates import date_text, today
from rmtui.core.translation import _, ngettext


def run_agenda(args: argparse.Namespace) -> int:
    """Print the Today list as text or JSON, each item with its urgency (a config.toml that
    cannot be read is refused, not ranked by the defaults behind the user's back)."""
    from rmtui.core.agenda import agenda_json_text, agenda_text, read_agenda
    from rmtui.core.settings import load_settings

    day = cli_date(args.day)
    urgency = load_settings().urgency
    agenda = read_book(
        args,
        lambda connection: read_agenda(
            connection, day=day, coefficients=urgency, owner=owner_of(args, connection)
        ),
    )
    if args.json:
        for piece in agenda_json_text(agenda):
            sys.stdout.write(piece)
        print()
    else:
        print(agenda_text(agenda))
    return 0


def run_reviews(args: argparse.Namespace) -> int:
    """Print the review season: every client review due in --month, by due day."""
    import re
    from datetime import date

    from rmtui.core.agenda import review_text
    from rmtui.core.db import session_scope
    from rmtui.core.queries.reviews import reviews_in_month

    day = today()
    text = (args.month or f"{day:%Y-%m}").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise UsageError(
            _("--month: '{text}' is not a month; write it like 2027-03.").format(text=text)
        )
    month = date(int(match.group(1)), int(match.group(2)), 1)
    with opened_book(args, read_only=True) as engine, session_scope(engine) as session:
        reviews = reviews_in_month(session=session, month=month, day=day)
    if args.json:
        import json

        from rmtui.core.agenda import item_json

        records = [item_json(review) for review in reviews]
        print(json.dumps({"month": f"{month:%Y-%m}", "reviews": records}, indent=2))
    else:
        count = ngettext("{count} review", "{count} reviews", len(reviews)).format(
            count=len(reviews)
        )
        print(
            _("Reviews due in {month} ({count})").format(
                month=date_text(month, "%B %Y"), count=count
            )
        )
        for review in reviews:
            print(f"  {review_text(review)}")
    return 0


def run_kpi(args: argparse.Namespace) -> int:
    """Print the KPIs for a period as text or JSON."""
    from rmtui.core.kpi import kpis_json, kpis_text, read_kpis
    from rmtui.core.periods import Period, in_progress, period_containing

    quarter = period_containing(today(), "quarter")
    start = cli_date(args.start, default=quarter.start)
    end = cli_date(args.end, default=quarter.end)
    if end < start:
        raise UsageError(
            _("--to {end} is before --from {start}; give the period's first day first.").format(
                end=end, start=start
            )
        )
    day = today()
    kpis = read_book(
        args,
        lambda connection: read_kpis(
            connection, start=start, end=end, today=day, owner=owner_of(args, connection)
        ),
    )
    if args.json:
        import json

        print(json.dumps(kpis_json(kpis), indent=2))
    else:
        print(kpis_text(kpis, to_date=in_progress(Period(start, end), day)))
    return 0


def run_digest(args: argparse.Namespace) -> int:
    """Print the morning digest as text, Markdown or JSON."""
    from rmtui.core.digest import FORMATS, digest_json, digest_markdown, digest_text, read_digest

    if args.format not in FORMATS:
        raise UsageError(
            _("--format: choose one of {formats}, not '{text}'.").format(
                formats=", ".join(FORMATS), text=args.format
            )
        )
    day = cli_date(args.day)
    digest = read_book(
        args, lambda connection: read_digest(connection, day=day, owner=owner_of(args, connection))
    )
    if args.format == "json":
        import json

        print(json.dumps(digest_json(digest), indent=2, ensure_ascii=False))
    else:
        print(digest_markdown(digest) if args.format == "markdown" else digest_text(digest))
    return 0
