"""`rmtui revenue add`, `holding add`, `deal add|move`, `case add|resolve`: a client's money,
deals and requests from the shell."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from rmtui.cli.common import open_engine
from rmtui.cli.writing import (
    Refused,
    chosen_client,
    print_json,
    record_json,
    refuse_choices,
    refuse_errors,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlmodel import SQLModel

REVENUE_OPTIONS = {"amount": "AMOUNT", "on": "--on", "kind": "--kind"}
HOLDING_OPTIONS = {"account": "ACCOUNT", "value": "VALUE", "as_of": "--as-of"}
DEAL_OPTIONS = {
    "title": "TITLE",
    "value": "--value",
    "stage": "--stage",
    "opened_on": "--opened-on",
    "lost_reason": "--reason",
    "expected_close_on": "--close-by",
    "probability": "--probability",
}
CASE_OPTIONS = {"kind": "--kind", "subject": "SUBJECT", "due_on": "--due", "clock": "--clock"}
RESOLVE_OPTIONS = {"resolution": "RESOLUTION", "day": "--on"}


def run_revenue_add(args: argparse.Namespace) -> int:
    """Record revenue earned from a client."""
    from rmtui.core.dates import today
    from rmtui.core.db import session_scope
    from rmtui.core.entries import Checked, revenue_entry
    from rmtui.core.figures import amount_text
    from rmtui.core.queries.client_records import add_revenue

    typed = {
        "amount": args.amount,
        "on": args.on or "today",
        "kind": (args.kind or "fee").lower(),
        "description": args.description,
    }
    with session_scope(open_engine(args)) as session:
        client = chosen_client(session, args.client)
        entry = Checked()
        values = revenue_entry(typed, entry, client_id=client.id, day=today())
        refuse_errors(entry.errors, REVENUE_OPTIONS)
        revenue = add_revenue(session=session, **values)
    said = f"{revenue.kind} of {amount_text(revenue.amount)} on {revenue.on}"
    _say(args, revenue, f"Recorded {said} from {client.name} (client {client.id}), revenue")
    return 0


def run_holding_add(args: argparse.Namespace) -> int:
    """Record the value of one of a client's accounts on a day."""
    from rmtui.core.dates import today
    from rmtui.core.db import session_scope
    from rmtui.core.entries import Checked, holding_entry
    from rmtui.core.figures import amount_text
    from rmtui.core.queries.client_records import add_holding

    typed = {"account": args.account, "value": args.value, "as_of": args.as_of or "today"}
    with session_scope(open_engine(args)) as session:
        client = chosen_client(session, args.client)
        entry = Checked()
        values = holding_entry(typed, entry, client_id=client.id, day=today())
        refuse_errors(entry.errors, HOLDING_OPTIONS)
        holding = add_holding(session=session, **values)
    said = f"{holding.account} of {client.name} (client {client.id})"
    value = f"{amount_text(holding.value)} on {holding.as_of}"
    _say(args, holding, f"Recorded {said} at {value}, holding")
    return 0


def run_deal_add(args: argparse.Namespace) -> int:
    """Add a deal to the pipeline."""
    from rmtui.core.dates import today
    from rmtui.core.db import session_scope
    from rmtui.core.entries import Checked, deal_entry
    from rmtui.core.models import Opportunity
    from rmtui.core.queries.opportunities import add_opportunity

    typed = {
        "title": args.title,
        "value": args.value,
        "stage": (args.stage or "lead").lower(),
        "product": args.product,
        "opened_on": args.opened_on,
        "lost_reason": args.reason,
        "expected_close_on": args.close_by,
        "probability": args.probability,
    }
    with session_scope(open_engine(args)) as session:
        client = chosen_client(session, args.client)
        entry = Checked()
        values = deal_entry(typed, entry, client_id=client.id, day=today())
        refuse_errors(entry.errors, DEAL_OPTIONS)
        refuse_choices(Opportunity, values, DEAL_OPTIONS)
        lost_reason = values.pop("lost_reason")
        deal = add_opportunity(session=session, **values)
        deal.lost_reason = lost_reason
    _say(args, deal, f"Added “{deal.title}” ({deal.stage}) for {client.name}, deal")
    return 0


def run_deal_move(args: argparse.Namespace) -> int:
    """Put a deal in another stage; a lost deal needs --reason."""
    from rmtui.core.dates import today
    from rmtui.core.db import session_scope
    from rmtui.core.entries import Checked, lost_reason_entry
    from rmtui.core.models import Opportunity
    from rmtui.core.queries.common import fetch
    from rmtui.core.queries.opportunities import set_stage

    values = {"stage": args.stage}
    refuse_choices(Opportunity, values, {"stage": "STAGE"})
    stage = values["stage"]
    entry = Checked()
    reason = lost_reason_entry({"lost_reason": args.reason}, entry, stage=stage)
    refuse_errors(entry.errors, DEAL_OPTIONS)
    with session_scope(open_engine(args)) as session:
        deal = fetch(session, Opportunity, args.deal_id)
        before = deal.stage
        if before == stage:
            raise Refused(f"deal {deal.id} “{deal.title}” is already {stage}; nothing was written.")
        deal = set_stage(
            session=session,
            opportunity_id=args.deal_id,
            stage=stage,
            day=today(),
            lost_reason=reason,
        )
        name = _client_name(session, deal.client_id)
    _say(args, deal, f"Moved “{deal.title}” of {name} from {before} to {stage}, deal")
    return 0


def run_case_add(args: argparse.Namespace) -> int:
    """Open a request or complaint for a client, due by the kind's deadline or --due."""
    from rmtui.core.case_clocks import days_left_text
    from rmtui.core.dates import today
    from rmtui.core.db import session_scope
    from rmtui.core.entries import Checked, case_entry
    from rmtui.core.models import Case
    from rmtui.core.queries.cases import add_case, case_days_left, default_due_on
    from rmtui.core.settings import load_settings

    day = today()
    settings = load_settings()
    clock = settings.case_clocks.get(args.clock or "")
    values = {"kind": args.kind or (clock.kind if clock else "request")}
    refuse_choices(Case, values, CASE_OPTIONS)
    due = args.due or (None if args.clock else default_due_on(values["kind"], day).isoformat())
    typed = {"kind": values["kind"], "subject": args.subject, "due_on": due, "clock": args.clock}
    with session_scope(open_engine(args)) as session:
        client = chosen_client(session, args.client)
        entry = Checked()
        values = case_entry(
            typed, entry, client_id=client.id, day=day, opened_on=day, clocks=settings.case_clocks
        )
        refuse_errors(entry.errors, CASE_OPTIONS)
        case = add_case(
            session=session, **values, clocks=settings.case_clocks, country=settings.country
        )
        left = case_days_left(session, case, day, country=settings.country)
    when = days_left_text(left, business=case.business_days)
    said = f"{case.kind} “{case.subject}” for {client.name}, due {case.due_on} ({when})"
    _say(args, case, f"Opened the {said}, case")
    return 0


def run_case_extend(args: argparse.Namespace) -> int:
    """Extend a case's deadline to its clock's extended one, saying why."""
    from rmtui.core.case_clocks import days_left_text
    from rmtui.core.dates import today
    from rmtui.core.db import session_scope
    from rmtui.core.queries.cases import case_days_left, extend_case
    from rmtui.core.settings import load_settings

    settings = load_settings()
    with session_scope(open_engine(args)) as session:
        case = extend_case(
            session=session,
            case_id=args.case_id,
            reason=args.reason,
            clocks=settings.case_clocks,
            country=settings.country,
        )
        left = case_days_left(session, case, today(), country=settings.country)
    when = days_left_text(left, business=case.business_days)
    _say(args, case, f"Extended “{case.subject}” to {case.due_on} ({when}), case")
    return 0


def run_case_resolve(args: argparse.Namespace) -> int:
    """Resolve a case: how, and on which day (today unless --on)."""
    from rmtui.core.dates import today
    from rmtui.core.db import session_scope
    from rmtui.core.entries import Checked, resolution_entry
    from rmtui.core.models import Case
    from rmtui.core.queries.cases import resolve_case
    from rmtui.core.queries.common import fetch

    typed = {"resolution": args.resolution, "day": args.on}
    with session_scope(open_engine(args)) as session:
        case = fetch(session, Case, args.case_id)
        if case.resolved_on is not None:
            raise Refused(
                f"case {case.id} “{case.subject}” was already resolved on {case.resolved_on}; "
                "nothing was written."
            )
        entry = Checked()
        values = resolution_entry(typed, entry, opened_on=case.opened_on, day=today())
        refuse_errors(entry.errors, RESOLVE_OPTIONS)
        case = resolve_case(session=session, case_id=args.case_id, **values)
        name = _client_name(session, case.client_id)
    _say(
        args,
        case,
        f"Resolved the {case.kind} “{case.subject}” of {name} on {case.resolved_on}, case",
    )
    return 0


def _client_name(session: Session, client_id: int) -> str:
    from rmtui.core.models import Client

    client = session.get(Client, client_id)
    return f"{client.name} (client {client_id})" if client else f"client {client_id}"


def _say(args: argparse.Namespace, record: SQLModel, sentence: str) -> None:
    """Print the record written as JSON, or `sentence` (ending in the record's noun) with
    its id."""
    if args.json:
        print_json(record_json(record))
    else:
        print(f"{sentence} {getattr(record, 'id', '')}.")
