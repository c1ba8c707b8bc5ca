"""The commands that write the book from the shell (clients, contacts, follow-ups, money,
deals, cases, capture) and the digest, as the parser knows them; their code is imported only
when one runs."""

from __future__ import annotations

import argparse
from typing import Any

from rmtui.cli.common import UsageError, add_command, later
from rmtui.cli.completion import complete_client_names
from rmtui.core.translation import N_, _

EXIT_CODES = N_(
    "exit status: 0 done, 1 refused (one sentence says why; nothing is written), 2 usage"
)


def book_commands() -> dict[str, Any]:
    """Each command that writes one kind of record, capture and digest: its name, and the
    function that adds it to the subparsers it is given."""
    return {
        "log": _add_log,
        "follow-up": _add_follow_up,
        "revenue": _add_revenue,
        "holding": _add_holding,
        "deal": _add_deal,
        "case": _add_case,
        "capture": _add_capture,
        "digest": _add_digest,
    }


def _json(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--json",
        action="store_true",
        help=_("print the record as the JSON interchange format does"),
    )
    command.epilog = _(EXIT_CODES)


def _client(command: argparse.ArgumentParser) -> None:
    complete_client_names(
        command.add_argument(
            "client", metavar="CLIENT", help=_("a client id, or a text matching one client's name")
        )
    )


def _group(commands: Any, name: str, help_text: str, usage: str) -> Any:
    def needs_action(_args: argparse.Namespace) -> int:
        raise UsageError(_("say what to do: {usage}.").format(usage=_(usage)))

    group = add_command(commands, name, needs_action, help_text)
    return group.add_subparsers(title=_("{name} commands").format(name=name), metavar="ACTION")


# -- clients -----------------------------------------------------------------------------------


def add_client_actions(actions: Any) -> None:
    """`client add|list|show|edit|archive|unarchive` (next to export and erase)."""
    add = add_command(actions, "add", later("clients", "run_client_add"), N_("add a client"))
    add.add_argument("name", metavar="NAME")
    _profile_options(add)
    add.add_argument(
        "--force",
        action="store_true",
        help=_("add even when a client with the same e-mail, phone or name is in the book"),
    )
    _json(add)
    listing = add_command(
        actions, "list", later("clients", "run_client_list"), N_("list clients by name")
    )
    listing.add_argument("text", nargs="?", metavar="TEXT", help=_("words in name, company, city…"))
    for option in ("--status", "--tier", "--tag", "--kind"):
        listing.add_argument(option)
    listing.add_argument("--archived", action="store_true", help=_("include archived clients"))
    listing.add_argument(
        "--all",
        dest="everyone",
        action="store_true",
        help=_("every client of the book, not only yours"),
    )
    _json(listing)
    show = add_command(actions, "show", later("clients", "run_client_show"), N_("show one client"))
    _client(show)
    _json(show)
    edit = add_command(
        actions, "edit", later("clients", "run_client_edit"), N_("change fields of a client")
    )
    _client(edit)
    edit.add_argument("--name")
    _profile_options(edit)
    _json(edit)
    for name, undo, text in (
        ("archive", False, N_("archive a client (history is kept)")),
        ("unarchive", True, N_("bring an archived client back")),
    ):
        action = add_command(actions, name, later("clients", "run_client_archive"), text)
        _client(action)
        action.set_defaults(undo=undo)
        _json(action)


def _profile_options(command: argparse.ArgumentParser) -> None:
    for option in ("--kind", "--status", "--tier", "--email", "--phone", "--company", "--city"):
        command.add_argument(option)
    command.add_argument("--country")
    command.add_argument("--birthday", metavar="DATE")
    command.add_argument("--channel", dest="preferred_channel", help=_("preferred channel"))
    command.add_argument(
        "--language",
        dest="preferred_language",
        choices=("nl", "en"),
        help=_("the language of the client's review report (default: yours)"),
    )
    command.add_argument(
        "--owner",
        metavar="USER",
        help=_('who looks after the client (default: you; "" for everyone)'),
    )
    command.add_argument("--checkin-every", dest="checkin_every_days", metavar="DAYS")
    command.add_argument(
        "--review-every",
        dest="review_every_months",
        metavar="MONTHS",
        help=_("months between reviews (default by tier: A 6, B 12, C 24)"),
    )
    command.add_argument(
        "--tag", dest="tags", action="append", metavar="TAG", help=_("a tag (repeatable)")
    )
    command.add_argument("--source")
    command.add_argument("--risk-profile", dest="risk_profile")
    command.add_argument("--notes")


# -- contacts and follow-ups -------------------------------------------------------------------


def _add_log(commands: Any) -> None:
    log = add_command(
        commands, "log", later("activity", "run_log"), N_("log a call, meeting, note…")
    )
    _client(log)
    log.add_argument("subject", metavar="SUBJECT")
    log.add_argument("--kind", help=_("call, meeting, email, video, message, visit or note"))
    log.add_argument("--direction", help=_("in or out (default out)"))
    log.add_argument("--at", metavar="WHEN", help=_("now (default), 14:30, yesterday 9:15…"))
    log.add_argument("--notes")
    log.add_argument("--minutes", metavar="N")
    log.add_argument(
        "--review",
        action="store_true",
        help=_("the client's periodic review: their next review counts from it"),
    )
    log.add_argument(
        "--next", metavar="WHEN:TITLE", help=_("plan the next follow-up, e.g. '2w:send proposal'")
    )
    _json(log)


def _add_follow_up(commands: Any) -> None:
    actions = _group(
        commands,
        "follow-up",
        N_("add, finish or list follow-ups"),
        N_("`rmtui follow-up add CLIENT TITLE --due WHEN`, `done ID` or `list`"),
    )
    add = add_command(
        actions, "add", later("activity", "run_follow_up_add"), N_("plan a follow-up")
    )
    _client(add)
    add.add_argument("title", metavar="TITLE")
    add.add_argument(
        "--due", required=True, metavar="WHEN", help=_("tomorrow, fri, 2w, 2026-12-01")
    )
    add.add_argument("--priority", help=_("normal (default) or high"))
    add.add_argument("--at", metavar="TIME", help=_("a time of day, e.g. 14:30"))
    add.add_argument(
        "--repeat",
        metavar="RULE",
        help=_(
            "plan the next when done: 'every 2 weeks', 'monthly', 'yearly'; add 'after done' "
            "to count from the day it is done instead of its due day"
        ),
    )
    add.add_argument("--notes", metavar="TEXT", help=_("notes on what to do"))
    _json(add)
    done = add_command(
        actions, "done", later("activity", "run_follow_up_done"), N_("mark a follow-up done")
    )
    done.add_argument("follow_up_id", type=int, metavar="ID")
    done.add_argument("--on", metavar="DAY", help=_("the day it was done (default today)"))
    _json(done)
    listing = add_command(
        actions,
        "list",
        later("activity", "run_follow_up_list"),
        N_("list follow-ups, soonest first"),
    )
    complete_client_names(
        listing.add_argument("--client", metavar="CLIENT", help=_("only this client's"))
    )
    listing.add_argument("--status", default="open", help=_("open (default), done, cancelled, all"))
    _json(listing)


# -- money, deals, cases -----------------------------------------------------------------------


def _add_revenue(commands: Any) -> None:
    actions = _group(
        commands, "revenue", N_("record revenue"), "`rmtui revenue add CLIENT AMOUNT [--on --kind]`"
    )
    add = add_command(actions, "add", later("records", "run_revenue_add"), N_("record revenue"))
    _client(add)
    add.add_argument("amount", metavar="AMOUNT", help=_("as your locale writes it: 1.234,50"))
    add.add_argument("--on", metavar="DAY", help=_("the day it was earned (default today)"))
    add.add_argument("--kind", help=_("fee (default), commission, interest or other"))
    add.add_argument("--description")
    _json(add)


def _add_holding(commands: Any) -> None:
    actions = _group(
        commands,
        "holding",
        N_("record an account's value"),
        "`rmtui holding add CLIENT ACCOUNT VALUE [--as-of DAY]`",
    )
    add = add_command(
        actions,
        "add",
        later("records", "run_holding_add"),
        N_("record an account's value on a day"),
    )
    _client(add)
    add.add_argument("account", metavar="ACCOUNT")
    add.add_argument("value", metavar="VALUE", help=_("as your locale writes it: 125.000,00"))
    add.add_argument("--as-of", dest="as_of", metavar="DAY", help=_("default today"))
    _json(add)


def _add_deal(commands: Any) -> None:
    actions = _group(
        commands,
        "deal",
        N_("add a deal or move it through the pipeline"),
        N_("`rmtui deal add CLIENT TITLE` or `rmtui deal move ID STAGE`"),
    )
    add = add_command(actions, "add", later("records", "run_deal_add"), N_("add a deal"))
    _client(add)
    add.add_argument("title", metavar="TITLE")
    add.add_argument("--value", metavar="AMOUNT")
    add.add_argument(
        "--close-by", dest="close_by", metavar="WHEN", help=_("the day it is expected to close")
    )
    add.add_argument(
        "--probability",
        metavar="PERCENT",
        help=_("the chance of winning it (default: its stage's)"),
    )
    add.add_argument(
        "--stage", help=_("lead (default), qualified, proposal, negotiation, won, lost")
    )
    add.add_argument("--product")
    add.add_argument("--opened-on", dest="opened_on", metavar="DAY")
    add.add_argument("--reason", help=_("why it was lost (for --stage lost)"))
    _json(add)
    move = add_command(
        actions, "move", later("records", "run_deal_move"), N_("put a deal in a stage")
    )
    move.add_argument("deal_id", type=int, metavar="ID")
    move.add_argument("stage", metavar="STAGE", help=_("lead … negotiation, won or lost"))
    move.add_argument("--reason", help=_("why it was lost (needed for lost)"))
    _json(move)


def _add_case(commands: Any) -> None:
    actions = _group(
        commands,
        "case",
        N_("open, extend or resolve a request or complaint"),
        N_(
            "`rmtui case add CLIENT SUBJECT`, `rmtui case extend ID REASON` or "
            "`rmtui case resolve ID RESOLUTION`"
        ),
    )
    add = add_command(actions, "add", later("records", "run_case_add"), N_("open a case"))
    _client(add)
    add.add_argument("subject", metavar="SUBJECT")
    add.add_argument("--kind", help=_("request (default) or complaint"))
    add.add_argument(
        "--due", metavar="WHEN", help=_("default by kind: request 5, complaint 2 days")
    )
    add.add_argument(
        "--clock",
        metavar="NAME",
        help=_(
            "set the deadline by a clock of config.toml: complaint (8 weeks, holding reply "
            "at 4), summary (3 business days), payment (15 business days, 35 extended)"
        ),
    )
    _json(add)
    extend = add_command(
        actions, "extend", later("records", "run_case_extend"), N_("extend a case's deadline")
    )
    extend.add_argument("case_id", type=int, metavar="ID")
    extend.add_argument("reason", metavar="REASON", help=_("why (the client is told)"))
    _json(extend)
    resolve = add_command(
        actions, "resolve", later("records", "run_case_resolve"), N_("resolve a case")
    )
    resolve.add_argument("case_id", type=int, metavar="ID")
    resolve.add_argument("resolution", metavar="RESOLUTION")
    resolve.add_argument("--on", metavar="DAY", help=_("default today"))
    _json(resolve)


# -- capture and digest ------------------------------------------------------------------------


def _add_capture(commands: Any) -> None:
    capture = add_command(
        commands,
        "capture",
        later("capture", "run_capture"),
        N_(
            "log a contact in one line: "
            "'yesterday 14:00 call jansen re pension review +fu 2w send proposal #pension'"
        ),
    )
    capture.add_argument("text", nargs="+", metavar="TEXT")
    capture.add_argument(
        "--dry-run", action="store_true", help=_("say what was understood, write nothing")
    )
    _json(capture)


def _add_digest(commands: Any) -> None:
    digest = add_command(
        commands,
        "digest",
        later("reports", "run_digest"),
        N_("the morning summary, for cron or mail"),
    )
    digest.add_argument("--date", dest="day", metavar="D", help=_("the day (default today)"))
    digest.add_argument(
        "--all",
        dest="everyone",
        action="store_true",
        help=_("every client of the book, not only yours"),
    )
    digest.add_argument(
        "--format", default="text", help=_("text (default), markdown (for mail) or json")
    )
