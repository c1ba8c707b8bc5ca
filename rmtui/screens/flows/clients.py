"""Client actions the screens share: log a contact, plan and move follow-ups,
add, edit and archive clients.

Each action opens its form or prompt on top of `screen`, saves what comes back in one
transaction and then calls the `on_saved` callback so the screen can refresh in place. A save
that fails shows one sentence and, for a form, opens the form again with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from rmtui.core.choices import choice_text
from rmtui.core.dates import day_text
from rmtui.core.db import session_scope
from rmtui.core.entries import PROFILE_FIELDS, as_typed
from rmtui.core.errors import ChangedMeanwhile, expected_errors
from rmtui.core.translation import N_, _
from rmtui.screens.book_access import rm_app, seen_by
from rmtui.screens.confirm import ConfirmScreen, LookAlikeQuestion
from rmtui.screens.forms.activity import DatePrompt, FollowUpForm, LogForm
from rmtui.screens.forms.client import ClientForm
from rmtui.screens.undo import remember

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session
    from textual.screen import Screen

    from rmtui.core.queries.interactions import InteractionRow
    from rmtui.core.queries.look_alikes import LookAlike

Result = TypeVar("Result")
Values = dict[str, Any]
Saved = Callable[[], object]
# The fields of a follow-up its form edits.
FOLLOW_UP_FIELDS = ("title", "due_on", "due_at", "priority", "repeat", "notes")


def engine_of(screen: Screen[Any]) -> Engine:
    """The engine of the book the screen shows."""
    return rm_app(screen).engine


def saved(screen: Screen[Any], work: Callable[[Session], Result]) -> Result | None:
    """Run `work` in one transaction; on failure show why and return None.

    A change to a record that another window or program changed since `screen` showed it is
    refused: the screen says so and shows the record as it is now.
    """
    seen = seen_by(screen)
    try:
        with session_scope(engine_of(screen), seen=seen) as session:
            result = work(session)
    except ChangedMeanwhile as error:
        screen.notify(str(error), severity="warning", timeout=10, markup=False)
        show_changes(screen)
        return None
    except expected_errors() as error:
        text = rm_app(screen).error_text(error)
        screen.notify(text, severity="error", timeout=10, markup=False)
        return None
    if seen is not None:
        rm_app(screen).own_changes.update(seen.written)
    return result


def show_changes(screen: Screen[Any]) -> None:
    """Read again what `screen` shows, since the book changed under it."""
    changed = getattr(screen, "book_changed", None)
    if callable(changed):
        changed()


# -- opening a client --------------------------------------------------------------------------


def client_name_and_channel(screen: Screen[Any], client_id: int) -> tuple[str, str] | None:
    """The client's name and preferred channel, or None (with a message) when it is gone."""
    from rmtui.core.queries.clients import get_client

    def read(session: Session) -> tuple[str, str] | None:
        client = get_client(session=session, client_id=client_id)
        return (client.name, client.preferred_channel) if client else None

    found = saved(screen, read)
    if found is None:
        screen.notify(_("That client is no longer in the book."), severity="warning")
    return found


# -- logging a contact -------------------------------------------------------------------------


def log_for_client(
    screen: Screen[Any],
    client_id: int,
    *,
    on_saved: Callable[[Values], object] | None = None,
    follow_up_title: str = "",
) -> None:
    """Ask for an interaction with the client (kind from their preferred channel, time now)
    and log it, with the next follow-up when one was typed; `on_saved` gets the saved values."""
    found = client_name_and_channel(screen, client_id)
    if found is None:
        return
    name, channel = found
    _ask_log(screen, client_id, name, channel, on_saved, {"follow_up_title": follow_up_title})


def _ask_log(
    screen: Screen[Any],
    client_id: int,
    name: str,
    channel: str,
    on_saved: Callable[[Values], object] | None,
    typed: Values,
) -> None:
    people = people_of(screen, client_id)
    form = LogForm(client_id=client_id, client_name=name, channel=channel, people=people)
    form.initial.update({key: value for key, value in typed.items() if value})

    def save(values: Values | None) -> None:
        if values is None:
            return
        who = dict(people).get(values.get("contact_person_id") or 0)
        if _save_log(screen, f"{name} ({who})" if who else name, values):
            if on_saved is not None:
                on_saved(values)
        else:
            _ask_log(screen, client_id, name, channel, on_saved, as_typed(values))

    screen.app.push_screen(form, save)


def people_of(screen: Screen[Any], client_id: int) -> list[tuple[int, str]]:
    """The client's contact persons as (id, `name, role`), decision makers first."""
    from rmtui.core.queries.contact_persons import contact_persons_of, person_label

    def read(session: Session) -> list[tuple[int, str]]:
        people = contact_persons_of(session=session, client_id=client_id)
        return [(person.id or 0, person_label(person)) for person in people]

    return saved(screen, read) or []


def _save_log(screen: Screen[Any], name: str, values: Values) -> bool:
    from rmtui.core.queries.interactions import log_interaction

    def write(session: Session) -> bool:
        log_interaction(session=session, **values)
        return True

    if not saved(screen, write):
        return False
    message = _("Logged {kind} with {name}.").format(kind=choice_text(values["kind"]), name=name)
    if values.get("follow_up_due"):
        next_day = day_text(values["follow_up_due"], today=rm_app(screen).today)
        message += " " + _("Next follow-up on {day}.").format(day=next_day)
    screen.notify(message, markup=False)
    return True


# -- follow-ups --------------------------------------------------------------------------------


def plan_follow_up(
    screen: Screen[Any], client_id: int | None, *, on_saved: Saved | None = None
) -> None:
    """Ask for a new follow-up (for the client, or for the manager alone) and add it."""
    name = None
    if client_id is not None:
        found = client_name_and_channel(screen, client_id)
        if found is None:
            return
        name = found[0]
    _ask_follow_up(screen, client_id, name, None, on_saved, None)


def edit_follow_up(
    screen: Screen[Any], follow_up_id: int, *, on_saved: Saved | None = None
) -> None:
    """Ask for the follow-up's new title, due day and time, priority, repeat and notes and save
    them."""
    from rmtui.core.models import Client, FollowUp
    from rmtui.core.queries.common import fetch
    from rmtui.core.repeats import repeat_shown

    def read(session: Session) -> tuple[int | None, str | None, Values]:
        follow_up = fetch(session, FollowUp, follow_up_id)
        client = session.get(Client, follow_up.client_id) if follow_up.client_id else None
        values = {name: getattr(follow_up, name) for name in FOLLOW_UP_FIELDS}
        values["repeat"] = repeat_shown(follow_up.repeat)  # in the user's language
        return follow_up.client_id, client.name if client else None, as_typed(values)

    found = saved(screen, read)
    if found is not None:
        client_id, name, typed = found
        _ask_follow_up(screen, client_id, name, follow_up_id, on_saved, typed)


def _ask_follow_up(
    screen: Screen[Any],
    client_id: int | None,
    name: str | None,
    follow_up_id: int | None,
    on_saved: Saved | None,
    typed: Values | None,
) -> None:
    form = FollowUpForm(client_id=client_id, client_name=name, initial=typed)
    if follow_up_id is None:
        form.FORM_TITLE = (
            _("New follow-up for {name}").format(name=name) if name else _("New follow-up")
        )

    def save(values: Values | None) -> None:
        if values is None:
            return
        if _save_follow_up(screen, follow_up_id, values):
            if on_saved is not None:
                on_saved()
        else:
            _ask_follow_up(screen, client_id, name, follow_up_id, on_saved, as_typed(values))

    screen.app.push_screen(form, save)


def _save_follow_up(screen: Screen[Any], follow_up_id: int | None, values: Values) -> bool:
    from rmtui.core.queries.follow_ups import add_follow_up, update_follow_up

    def write(session: Session) -> bool:
        if follow_up_id is None:
            add_follow_up(session=session, **values)
        else:
            changes = {key: values[key] for key in FOLLOW_UP_FIELDS}
            update_follow_up(session=session, follow_up_id=follow_up_id, values=changes)
        return True

    if not saved(screen, write):
        return False
    day = day_text(values["due_on"], today=rm_app(screen).today)
    if follow_up_id is None:
        screen.notify(_("Follow-up planned for {day}.").format(day=day))
    else:
        screen.notify(_("Follow-up moved to {day}.").format(day=day))
    return True


def complete_follow_up(
    screen: Screen[Any],
    follow_up_id: int,
    *,
    on_saved: Callable[[str], object] | None = None,
    on_undone: Saved | None = None,
) -> None:
    """Mark the follow-up done today, planning the next of a repeating one (`u` opens it again,
    takes the next away, then calls `on_undone`); `on_saved` gets its title."""
    from rmtui.core.queries.follow_ups import complete, undo_completion

    today = rm_app(screen).today

    def write(session: Session) -> tuple[str, int | None, date | None]:
        done = complete(session=session, follow_up_id=follow_up_id, day=today)
        planned = done.planned
        return done.done.title, planned.id if planned else None, planned.due_on if planned else None

    found = saved(screen, write)
    if found is None:
        return
    title, planned_id, next_due = found
    remember(
        screen,
        _("marked “{title}” done").format(title=title),
        lambda session: undo_completion(
            session=session, follow_up_id=follow_up_id, planned_id=planned_id
        ),
        on_undone=on_undone,
    )
    if next_due is not None:
        next_day = day_text(next_due, today=today)
        screen.notify(_("Next “{title}” planned for {day}.").format(title=title, day=next_day))
    if on_saved is not None:
        on_saved(title)


def reopen_follow_up(
    screen: Screen[Any], follow_up_id: int, *, on_saved: Saved | None = None
) -> None:
    """Open a done follow-up again (the undo of `complete_follow_up`)."""
    from rmtui.core.queries.follow_ups import reopen

    reopened = saved(screen, lambda session: reopen(session=session, follow_up_id=follow_up_id))
    if reopened is not None and on_saved is not None:
        on_saved()


def snooze_follow_up(
    screen: Screen[Any],
    follow_up_id: int,
    *,
    title: str | None = None,
    on_saved: Saved | None = None,
    on_undone: Saved | None = None,
) -> None:
    """Ask until when (tomorrow, next week or a typed date) and put the follow-up off."""
    question = _("Snooze “{title}” until…").format(title=title) if title else _("Snooze until…")
    base = rm_app(screen).today
    prompt = partial(DatePrompt, question, base=base)
    undo_text = N_("snoozed “{title}” to {day}")
    _move_follow_up(screen, follow_up_id, prompt, undo_text, on_saved, on_undone)


def reschedule_follow_up(
    screen: Screen[Any],
    follow_up_id: int,
    *,
    title: str | None = None,
    on_saved: Saved | None = None,
    on_undone: Saved | None = None,
) -> None:
    """Ask for a new due date (earlier or later) and move the follow-up to it."""
    question = _("Reschedule “{title}” to…").format(title=title) if title else _("Reschedule to…")
    base = rm_app(screen).today
    prompt = partial(DatePrompt, question, shortcuts=False, base=base)
    undo_text = N_("rescheduled “{title}” to {day}")
    _move_follow_up(screen, follow_up_id, prompt, undo_text, on_saved, on_undone)


def _move_follow_up(
    screen: Screen[Any],
    follow_up_id: int,
    prompt: Callable[[], DatePrompt],
    undo_text: str,
    on_saved: Saved | None,
    on_undone: Saved | None = None,
) -> None:
    """Ask for the day with `prompt` and move the follow-up there, asking first when that day
    is in the past (it would show as overdue at once); `u` moves it back (and calls
    `on_undone`)."""
    from rmtui.core.models import FollowUp
    from rmtui.core.queries.common import fetch
    from rmtui.core.queries.follow_ups import reschedule

    today = rm_app(screen).today

    def move_to(day: date) -> Callable[[Session], tuple[str, date]]:
        def work(session: Session) -> tuple[str, date]:
            before = fetch(session, FollowUp, follow_up_id).due_on
            return reschedule(session=session, follow_up_id=follow_up_id, due_on=day).title, before

        return work

    def move(day: date) -> None:
        moved = saved(screen, move_to(day))
        if moved is None:
            return
        title, before = moved
        remember(
            screen,
            _(undo_text).format(title=title, day=day_text(day, today=today)),
            lambda session: reschedule(session=session, follow_up_id=follow_up_id, due_on=before),
            on_undone=on_undone,
        )
        if on_saved is not None:
            on_saved()

    def chosen(day: date | None) -> None:
        if day is None:
            return
        if day >= today:
            move(day)
            return
        question = _(
            "{day} is in the past, so the follow-up will show as overdue. "
            "Move it there all the same?"
        ).format(day=day_text(day, today=today))

        def answered(yes: bool | None) -> None:
            if yes:
                move(day)
            else:
                screen.app.push_screen(prompt(), chosen)

        screen.app.push_screen(
            ConfirmScreen(question, yes=_("Move"), no=_("Choose again")), answered
        )

    screen.app.push_screen(prompt(), chosen)


# -- clients -----------------------------------------------------------------------------------


def new_client(
    screen: Screen[Any],
    *,
    on_saved: Callable[[int], object] | None = None,
    on_open: Callable[[int], object] | None = None,
) -> None:
    """Ask for a new client's profile and add it; `on_saved` gets the new client's id. When a
    client in the book has the same e-mail, phone number or name, ask first: `on_open` opens
    that client instead."""
    _ask_client(screen, None, None, on_saved, on_open)


def edit_client(
    screen: Screen[Any], client_id: int, *, on_saved: Callable[[int], object] | None = None
) -> None:
    """Ask for changes to the client's profile and save them."""
    from rmtui.core.queries.clients import get_client

    def read(session: Session) -> Values | None:
        client = get_client(session=session, client_id=client_id)
        return {name: getattr(client, name) for name in PROFILE_FIELDS} if client else None

    profile = saved(screen, read)
    if profile is None:
        screen.notify(_("That client is no longer in the book."), severity="warning")
        return
    _ask_client(screen, client_id, profile, on_saved)


def _ask_client(
    screen: Screen[Any],
    client_id: int | None,
    typed: Values | None,
    on_saved: Callable[[int], object] | None,
    on_open: Callable[[int], object] | None = None,
) -> None:
    form = ClientForm(typed)
    if client_id is not None:
        form.FORM_TITLE = _("Edit {name}").format(name=(typed or {}).get("name") or _("client"))

    def again(values: Values) -> None:
        retyped = {**as_typed(values), "id": client_id} if client_id else as_typed(values)
        _ask_client(screen, client_id, retyped, on_saved, on_open)

    def store(values: Values) -> None:
        saved_id = _save_client(screen, client_id, values)
        if saved_id is None:
            again(values)
        elif on_saved is not None:
            on_saved(saved_id)

    def save(values: Values | None) -> None:
        if values is None:
            return
        alikes = _look_alikes(screen, values) if client_id is None else []
        if alikes is None:  # the book could not be read: said in a toast, nothing is lost
            again(values)
            return
        if not alikes:
            store(values)
            return
        alike = alikes[0]

        def answered(answer: str | None) -> None:
            if answer == "add":
                store(values)
            elif answer == "open" and on_open is not None:
                on_open(alike.client_id)
            else:
                again(values)

        question = _("{alike} (#{id}) has {reason}: is {name} already in your book?").format(
            alike=alike.name, id=alike.client_id, reason=alike.reason, name=values["name"]
        )
        screen.app.push_screen(LookAlikeQuestion(question), answered)

    screen.app.push_screen(form, save)


def _look_alikes(screen: Screen[Any], values: Values) -> list[LookAlike] | None:
    """The clients in the book that may be the one `values` adds (None when the book could
    not be read)."""
    from rmtui.core.queries.look_alikes import look_alikes
    from rmtui.core.user_locale import user_region

    def read(session: Session) -> list[LookAlike]:
        return look_alikes(
            session=session,
            name=values["name"],
            email=values.get("email"),
            phone=values.get("phone"),
            region=user_region(),
        )

    return saved(screen, read)


def _save_client(screen: Screen[Any], client_id: int | None, values: Values) -> int | None:
    from rmtui.core.queries.clients import add_client, update_client

    def write(session: Session) -> int | None:
        if client_id is None:
            return add_client(session=session, values=values).id
        return update_client(session=session, client_id=client_id, values=values).id

    new_id = saved(screen, write)
    if new_id is not None:
        done = _("Added {name}.") if client_id is None else _("Saved {name}.")
        screen.notify(done.format(name=values["name"]), markup=False)
    return new_id


def archive_client_asking(
    screen: Screen[Any], client_id: int, *, on_archived: Callable[[int, str], object]
) -> None:
    """Ask before archiving the client (`u` brings it back); `on_archived` gets its id and
    name once archived."""
    from rmtui.core.queries.clients import archive_client, unarchive_client

    found = client_name_and_channel(screen, client_id)
    if found is None:
        return
    name = found[0]

    def archive(yes: bool | None) -> None:
        if yes and saved(
            screen, lambda session: archive_client(session=session, client_id=client_id)
        ):
            remember(
                screen,
                _("archived {name}").format(name=name),
                lambda session: unarchive_client(session=session, client_id=client_id),
                focus=client_id,
            )
            on_archived(client_id, name)

    question = _(
        "Archive {name}? The client leaves the lists and the agenda; history is kept."
    ).format(name=name)
    screen.app.push_screen(ConfirmScreen(question, yes=_("Archive"), no=_("Keep")), archive)


def delete_client_asking(
    screen: Screen[Any], client_id: int, *, on_deleted: Callable[[], object]
) -> None:
    """Ask before moving the client, and everything about them, to the trash."""
    found = client_name_and_channel(screen, client_id)
    if found is None:
        return
    question = _(
        "Delete {name} and everything about them? They go to the trash for 30 days (ctrl+t);"
        " press u to bring them back."
    ).format(name=found[0])
    delete_asking(screen, "client", client_id, question, on_deleted=on_deleted)


def delete_asking(
    screen: Screen[Any],
    kind: str,
    record_id: int,
    question: str,
    *,
    on_deleted: Callable[[], object] | None = None,
) -> None:
    """Ask `question`, then move the record of `kind` (a key of MODEL_OF_KIND) to the trash;
    `u` restores it."""
    from rmtui.core.queries.trash import MODEL_OF_KIND, move_to_trash, restore_all

    model = MODEL_OF_KIND[kind]

    def delete(yes: bool | None) -> None:
        if not yes:
            return
        entry = saved(
            screen, lambda session: move_to_trash(session=session, model=model, record_id=record_id)
        )
        if entry is None:
            return
        remember(
            screen,
            _("deleted the {what}").format(what=entry.what),
            partial(restore_all, [entry.id]),
            focus=entry.entity_id,
        )
        if on_deleted is not None:
            on_deleted()

    screen.app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), delete)


def unarchive(screen: Screen[Any], client_id: int) -> str | None:
    """Bring an archived client back; its name, or None when that failed."""
    from rmtui.core.queries.clients import unarchive_client

    return saved(
        screen, lambda session: unarchive_client(session=session, client_id=client_id).name
    )


def edit_interaction(
    screen: Screen[Any],
    interaction_id: int,
    *,
    on_saved: Callable[[int], object],
    typed: Values | None = None,
) -> None:
    """Ask for changes to a logged interaction and save them; `on_saved` gets its id."""
    from rmtui.screens.forms.interaction import InteractionForm

    found = saved(screen, lambda session: _interaction_for_form(session, interaction_id))
    if found is None:
        return
    client_name, values = found
    form = InteractionForm(client_name=client_name, initial=typed or values)

    def save(changes: Values | None) -> None:
        if changes is not None:
            _save_interaction(screen, interaction_id, changes, on_saved)

    screen.app.push_screen(form, save)


def _save_interaction(
    screen: Screen[Any], interaction_id: int, changes: Values, on_saved: Callable[[int], object]
) -> None:
    from rmtui.core.queries.interactions import update_interaction

    def write(session: Session) -> bool:
        update_interaction(session=session, interaction_id=interaction_id, values=changes)
        return True

    if saved(screen, write):
        screen.notify(_("Interaction saved."))
        on_saved(interaction_id)
    else:
        edit_interaction(screen, interaction_id, on_saved=on_saved, typed=as_typed(changes))


def _interaction_for_form(session: Session, interaction_id: int) -> tuple[str, Values]:
    """The client's name and the interaction's values as the form shows them."""
    from rmtui.core.models import Client, Interaction
    from rmtui.core.queries.common import fetch
    from rmtui.screens.forms.interaction import INTERACTION_FIELDS

    interaction = fetch(session, Interaction, interaction_id)
    client = fetch(session, Client, interaction.client_id)
    values = {name: getattr(interaction, name) for name in INTERACTION_FIELDS}
    return client.name, as_typed(values)


def read_interaction(
    screen: Screen[Any], interaction: InteractionRow, *, on_saved: Callable[[int], object]
) -> None:
    """Show an interaction whole; `e` there edits it (`on_saved` gets its id)."""
    from rmtui.screens.interaction_view import EDIT, InteractionView

    def then(choice: str | None) -> None:
        if choice == EDIT:
            edit_interaction(screen, interaction.id, on_saved=on_saved)

    screen.app.push_screen(InteractionView(interaction), then)
