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
from rmtui.core.choices import choice_text
from rmtui.core.translation import _

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
    said = _("Recorded {kind} of {amount} on {day} from {name} (client {client}), revenue {id}.")
    _say(
        args,
        revenue,
        said.format(
            kind=choice_text(revenue.kind),
            amount=amount_text(revenue.amount),
            day=revenue.on,
            name=client.name,
            client=client.id,
            id=revenue.id,
        ),
    )
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
    said = _("Recorded {account} of {name} (client {client}) at {value} on {day}, holding {id}.")
    _say(
        args,
        holding,
        said.format(
            account=holding.account,
            name=client.name,
            client=client.id,
            value=amount_text(holding.value),
            day=holding.as_of,
            id=holding.id,
        ),
    )
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
    said = _("Added “{title}” ({stage}) for {name}, deal {id}.")
    _say(
        args,
        deal,
        said.format(title=deal.title, stage=choice_text(deal.stage), name=client.name, id=deal.id),
    )
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
            raise Refused(
                _("deal {id} “{title}” is already {stage}; nothing was written.").format(
                    id=deal.id, title=deal.title, stage=choice_text(stage)
                )
            )
        deal = set_stage(
            session=session,
            opportunity_id=args.deal_id,
            stage=stage,
            day=today(),
            lost_reason=reason,
        )
        name = _client_name(session, deal.client_id)
    said = _("Moved “{title}” of {name} from {before} to {stage}, deal {id}.")
    _say(
        args,
        deal,
        said.format(
            title=deal.title,
            name=name,
            before=choice_text(before),
            stage=choice_text(stage),
            id=deal.id,
        ),
    )
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
    said = _("Opened the {kind} “{subject}” for {name}, due {day} ({when}), case {id}.")
    _say(
        args,
        case,
        said.format(
            kind=choice_text(case.kind),
            subject=case.subject,
            name=client.name,
            day=case.due_on,
            when=when,
            id=case.id,
        ),
    )
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
    said = _("Extended “{subject}” to {day} ({when}), case {id}.")
    _say(args, case, said.format(subject=case.subject, day=case.due_on, when=when, id=case.id))
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
                _(
                    "case {id} “{subject}” was already resolved on {day}; nothing was written."
                ).format(id=case.id, subject=case.subject, day=case.resolved_on)
            )
        entry = Checked()
        values = resolution_entry(typed, entry, opened_on=case.opened_on, day=today())
        refuse_errors(entry.errors, RESOLVE_OPTIONS)
        case = resolve_case(session=session, case_id=args.case_id, **values)
        name = _client_name(session, case.client_id)
    said = _("Resolved the {kind} “{subject}” of {name} on {day}, case {id}.")
    _say(
        args,
        case,
        said.format(
            kind=choice_text(case.kind),
            subject=case.subject,
            name=name,
            day=case.resolved_on,
            id=case.id,
        ),
    )
    return 0


def _client_name(session: Session, client_id: int) -> str:
    from rmtui.core.models import Client

    client = session.get(Client, client_id)
    if client is None:
        return _("client {id}").format(id=client_id)
    return _("{name} (client {id})").format(name=client.name, id=client_id)


def _say(args: argparse.Namespace, record: SQLModel, sentence: str) -> None:
    """Print the record written as JSON, or `sentence` (which names the record and its id)."""
    if args.json:
        print_json(record_json(record))
    else:
        print(sentence)
