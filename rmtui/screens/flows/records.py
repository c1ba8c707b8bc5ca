"""Actions on a client's cases and money records, and the review export (of a client or a
household), for client detail and the household view.

As in `rmtui.screens.flows.clients`, each action opens its form on top of `screen`, saves what comes
back in one transaction, says so in a toast and calls `on_saved` so the screen can refresh. A
save that fails shows one sentence and opens the form again with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rmtui.core.choices import choice_text
from rmtui.core.dates import date_text, day_text
from rmtui.core.errors import expected_errors
from rmtui.core.figures import amount_text
from rmtui.core.models import Case, Client, ContactPerson, FinancialGoal, Holding, Revenue, Survey
from rmtui.core.queries import cases, client_records, contact_persons
from rmtui.core.queries.common import fetch
from rmtui.core.translation import _
from rmtui.screens.flows.clients import as_typed, delete_asking, engine_of, rm_app, saved
from rmtui.screens.forms.case import CaseForm, ExtendCaseForm, ResolveCaseForm
from rmtui.screens.forms.contact_person import ContactPersonForm
from rmtui.screens.forms.financial import (
    GoalForm,
    HoldingForm,
    RecordForm,
    RevenueForm,
    ReviewExportForm,
    SurveyForm,
)
from rmtui.screens.undo import delete_question, remember

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlmodel import SQLModel
    from textual.screen import Screen

    from rmtui.core.settings import Settings

Values = dict[str, Any]
Saved = Callable[[], object]


@dataclass(frozen=True)
class RecordKind:
    """How one kind of record is asked for, added, changed and named."""

    model: type[SQLModel]
    form: type[RecordForm]
    fields: tuple[str, ...]
    add: Callable[..., object]
    update: Callable[..., object]
    id_name: str
    describe: Callable[[Values], str]


RECORD_KINDS: dict[str, RecordKind] = {
    "holding": RecordKind(
        Holding,
        HoldingForm,
        ("account", "as_of", "value"),
        client_records.add_holding,
        client_records.update_holding,
        "holding_id",
        lambda values: _("the value of {account} on {day} ({amount})").format(
            account=values["account"],
            day=date_text(values["as_of"]),
            amount=amount_text(values["value"]),
        ),
    ),
    "goal": RecordKind(
        FinancialGoal,
        GoalForm,
        ("title", "target_amount", "target_date", "current_amount"),
        client_records.add_goal,
        client_records.update_goal,
        "goal_id",
        lambda values: _("the goal “{title}”").format(title=values["title"]),
    ),
    "survey": RecordKind(
        Survey,
        SurveyForm,
        ("on", "csat", "nps", "comment"),
        client_records.add_survey,
        client_records.update_survey,
        "survey_id",
        lambda values: _("the survey of {day}").format(day=date_text(values["on"])),
    ),
    "revenue": RecordKind(
        Revenue,
        RevenueForm,
        ("on", "amount", "kind", "description"),
        client_records.add_revenue,
        client_records.update_revenue,
        "revenue_id",
        lambda values: _("the {kind} of {amount}").format(
            kind=choice_text(values["kind"]), amount=amount_text(values["amount"])
        ),
    ),
    "contact_person": RecordKind(
        ContactPerson,
        ContactPersonForm,
        ("name", "role", "email", "phone", "decision_maker", "notes"),
        contact_persons.add_contact_person,
        contact_persons.update_contact_person,
        "person_id",
        lambda values: _("the contact person {name}").format(name=values["name"]),
    ),
}


# -- holdings, goals, surveys, revenue ---------------------------------------------------------


def add_record(
    screen: Screen[Any], kind: str, client_id: int, *, on_saved: Saved | None = None
) -> None:
    """Ask for a new record of `kind` ("holding", "goal", "survey", "revenue",
    "contact_person") and add it."""
    name = _client_name(screen, client_id)
    if name is not None:
        _ask_record(screen, RECORD_KINDS[kind], client_id, name, None, None, on_saved)


def edit_record(
    screen: Screen[Any], kind: str, record_id: int, *, on_saved: Saved | None = None
) -> None:
    """Ask for changes to one record of `kind` and save them."""
    record_kind = RECORD_KINDS[kind]

    def read(session: Session) -> tuple[int, str, Values]:
        record = fetch(session, record_kind.model, record_id)
        client_id: int = cast(Any, record).client_id
        client = fetch(session, Client, client_id)
        values = {field: getattr(record, field) for field in record_kind.fields}
        return client_id, client.name, as_typed(values)

    found = saved(screen, read)
    if found is not None:
        client_id, name, typed = found
        _ask_record(screen, record_kind, client_id, name, record_id, typed, on_saved)


def _ask_record(
    screen: Screen[Any],
    kind: RecordKind,
    client_id: int,
    name: str,
    record_id: int | None,
    typed: Values | None,
    on_saved: Saved | None,
) -> None:
    options: Values = {}
    if kind.form is HoldingForm:
        options["accounts"] = _accounts(screen, client_id)
    form = kind.form(
        client_id=client_id,
        client_name=name,
        day=rm_app(screen).today,
        initial=typed,
        editing=record_id is not None,
        **options,
    )

    def save(values: Values | None) -> None:
        if values is None:
            return
        if _save_record(screen, kind, record_id, values):
            if on_saved is not None:
                on_saved()
        else:
            _ask_record(screen, kind, client_id, name, record_id, as_typed(values), on_saved)

    screen.app.push_screen(form, save)


def _save_record(
    screen: Screen[Any], kind: RecordKind, record_id: int | None, values: Values
) -> bool:
    def write(session: Session) -> bool:
        if record_id is None:
            kind.add(session=session, **values)
        else:
            changes = {field: values[field] for field in kind.fields}
            kind.update(session=session, values=changes, **{kind.id_name: record_id})
        return True

    if not saved(screen, write):
        return False
    done = _("Added {what}.") if record_id is None else _("Saved {what}.")
    screen.notify(done.format(what=kind.describe(values)), markup=False)
    return True


def delete_record(
    screen: Screen[Any], kind: str, record_id: int, *, on_saved: Saved | None = None
) -> None:
    """Ask before moving one record of `kind` to the trash (`u` brings it back)."""
    record_kind = RECORD_KINDS[kind]

    def describe(session: Session) -> str:
        record = fetch(session, record_kind.model, record_id)
        return record_kind.describe({field: getattr(record, field) for field in record_kind.fields})

    what = saved(screen, describe)
    if what is not None:
        question = delete_question(what)
        delete_asking(screen, kind, record_id, question, on_deleted=on_saved)


def _accounts(screen: Screen[Any], client_id: int) -> list[str]:
    found = saved(
        screen, lambda session: client_records.client_accounts(session=session, client_id=client_id)
    )
    return found or []


# -- requests and complaints -------------------------------------------------------------------


def add_case(screen: Screen[Any], client_id: int, *, on_saved: Saved | None = None) -> None:
    """Ask for a new request or complaint of the client and open it."""
    name = _client_name(screen, client_id)
    if name is not None:
        _ask_case(screen, client_id, name, None, None, on_saved)


def edit_case(screen: Screen[Any], case_id: int, *, on_saved: Saved | None = None) -> None:
    """Ask for a case's new kind, subject or deadline and save them."""

    def read(session: Session) -> tuple[int, str, Values]:
        case = fetch(session, Case, case_id)
        client = fetch(session, Client, case.client_id)
        values = {name: getattr(case, name) for name in ("kind", "subject", "opened_on", "due_on")}
        return case.client_id, client.name, as_typed(values)

    found = saved(screen, read)
    if found is not None:
        client_id, name, typed = found
        _ask_case(screen, client_id, name, case_id, typed, on_saved)


def _ask_case(
    screen: Screen[Any],
    client_id: int,
    name: str,
    case_id: int | None,
    typed: Values | None,
    on_saved: Saved | None,
) -> None:
    form = CaseForm(
        client_id=client_id,
        client_name=name,
        day=rm_app(screen).today,
        initial=typed,
        editing=case_id is not None,
        clocks=_settings(screen).case_clocks,
    )

    def save(values: Values | None) -> None:
        if values is None:
            return
        if _save_case(screen, case_id, values):
            if on_saved is not None:
                on_saved()
        else:
            _ask_case(screen, client_id, name, case_id, as_typed(values), on_saved)

    screen.app.push_screen(form, save)


def _save_case(screen: Screen[Any], case_id: int | None, values: Values) -> bool:
    settings = _settings(screen)

    def write(session: Session) -> tuple[str, date]:
        if case_id is None:
            case = cases.add_case(
                session=session,
                **values,
                clocks=settings.case_clocks,
                country=settings.country,
            )
        else:
            changes = {name: values[name] for name in ("kind", "subject", "due_on")}
            case = cases.update_case(session=session, case_id=case_id, values=changes)
        return case.kind, case.due_on

    found = saved(screen, write)
    if found is None:
        return False
    kind, due_on = found
    done = (
        _("Opened the {kind}, due {day}.") if case_id is None else _("Saved the {kind}, due {day}.")
    )
    due = day_text(due_on, today=rm_app(screen).today)
    screen.notify(done.format(kind=choice_text(kind), day=due))
    return True


def _settings(screen: Screen[Any]) -> Settings:
    """The book's settings (config.toml); the defaults, with a warning, when it is wrong."""
    from rmtui.core.errors import BookError
    from rmtui.core.settings import Settings, load_settings

    try:
        return load_settings()
    except BookError as error:
        screen.notify(str(error), severity="warning", markup=False)
        return Settings()


def extend_case(screen: Screen[Any], case_id: int, *, on_saved: Saved | None = None) -> None:
    """Ask why and extend the case's deadline to its clock's extended one (`u` takes it back)."""
    settings = _settings(screen)

    def read(session: Session) -> tuple[str, Any, str | None, str]:
        case = fetch(session, Case, case_id)
        return case.subject, case.due_on, case.extension_reason, case.clock or ""

    found = saved(screen, read)
    if found is None:
        return
    subject, due_on, reason, clock_name = found
    clock = settings.case_clocks.get(clock_name)
    if clock is None or clock.extended is None:
        screen.notify(_("This case's clock has no extension; press enter to edit its deadline."))
        return

    def extend(values: Values | None) -> None:
        if values is None:
            return
        extended = saved(
            screen,
            lambda session: (
                cases.extend_case(
                    session=session,
                    case_id=case_id,
                    reason=values["reason"],
                    clocks=settings.case_clocks,
                    country=settings.country,
                ).due_on
            ),
        )
        if extended is None:
            return
        back = {"due_on": due_on, "extension_reason": reason}
        remember(
            screen,
            _("extended “{subject}”").format(subject=subject),
            lambda session: cases.update_case(session=session, case_id=case_id, values=back),
        )
        until = day_text(extended, today=rm_app(screen).today)
        screen.notify(_("Extended “{subject}” to {day}.").format(subject=subject, day=until))
        if on_saved is not None:
            on_saved()

    screen.app.push_screen(ExtendCaseForm(subject=subject, extended=str(clock.extended)), extend)


def resolve_case(
    screen: Screen[Any], case_id: int, *, on_saved: Callable[[str], object] | None = None
) -> None:
    """Ask how the case was resolved and mark it resolved (`u` opens it again); `on_saved` gets
    its subject."""
    found = saved(screen, lambda session: _case_subject(session, case_id))
    if found is not None:
        subject, opened_on = found
        form = ResolveCaseForm(subject=subject, opened_on=opened_on, day=rm_app(screen).today)
        screen.app.push_screen(
            form, lambda values: _resolved(screen, case_id, subject, values, on_saved)
        )


def _case_subject(session: Session, case_id: int) -> tuple[str, Any]:
    case = fetch(session, Case, case_id)
    return case.subject, case.opened_on


def _resolved(
    screen: Screen[Any],
    case_id: int,
    subject: str,
    values: Values | None,
    on_saved: Callable[[str], object] | None,
) -> None:
    if values is None:
        return
    if saved(
        screen, lambda session: cases.resolve_case(session=session, case_id=case_id, **values)
    ):
        remember(
            screen,
            _("resolved “{subject}”").format(subject=subject),
            lambda session: cases.reopen_case(session=session, case_id=case_id),
        )
        if on_saved is not None:
            on_saved(subject)


# -- the review report -------------------------------------------------------------------------


def export_review(screen: Screen[Any], client_id: int) -> None:
    """Ask where to write the client's review report, write it and say where it went."""
    from rmtui.core.review.files import write_review

    found = saved(
        screen,
        lambda session: (
            (client := fetch(session, Client, client_id)).name,
            client.preferred_language,
        ),
    )
    if found is not None:
        name, language = found
        day = rm_app(screen).today
        write = partial(write_review, engine=engine_of(screen), client_id=client_id, day=day)
        ask_and_write_review(screen, name, write, language=language)


def ask_and_write_review(
    screen: Screen[Any],
    name: str,
    write: Callable[..., Path],
    *,
    typed: str | None = None,
    language: str | None = None,
) -> None:
    """Ask where to write the review of `name` (a client or a household), write it with
    `write` and say where it went; when that fails, say why and ask again with what was typed."""
    form = ReviewExportForm(client_name=name, day=rm_app(screen).today, language=language)
    if typed:
        form.initial["path"] = typed

    def chosen(path: Path | None) -> None:
        if path is None:
            return
        try:
            written = write(path, language=form.language)
        except expected_errors() as error:
            said = rm_app(screen).error_text(error)
            screen.notify(said, severity="error", timeout=10, markup=False)
            ask_and_write_review(screen, name, write, typed=str(path), language=form.language)
            return
        screen.notify(
            _("Wrote the review of {name} to {path}.").format(name=name, path=written),
            timeout=10,
            markup=False,
        )

    screen.app.push_screen(form, chosen)


# -- shared ------------------------------------------------------------------------------------


def _client_name(screen: Screen[Any], client_id: int) -> str | None:
    """The client's name, or None (with a message) when it is gone."""
    return saved(screen, lambda session: fetch(session, Client, client_id).name)
