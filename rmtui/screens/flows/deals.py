"""Deal flows for the pipeline board and client detail: add or edit a deal, move it a stage on
or back, mark it lost and put a moved deal back.

They use the deal forms (`OpportunityForm`, `LostReasonForm`) and the opportunity queries
(`move_stage`, `set_stage`); as in `rmtui.screens.flows.clients`, each one saves in one
transaction, says so in a toast and calls `on_saved` so the screen can refresh in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from rmtui.core.choices import choice_text
from rmtui.core.models import OPEN_STAGES, Opportunity
from rmtui.core.queries.common import fetch
from rmtui.core.queries.opportunities import CLOSED_STAGES, move_stage, next_stage, set_stage
from rmtui.core.translation import _
from rmtui.screens.client_picker import PickedClient
from rmtui.screens.flows.clients import as_typed, rm_app, saved
from rmtui.screens.forms.opportunity import closing_question
from rmtui.screens.undo import remember
from rmtui.widgets.pipeline_table import stage_title

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from textual.screen import Screen

Values = dict[str, Any]


def add_deal(
    screen: Screen[Any], client: PickedClient, *, on_saved: Callable[[int], object] | None = None
) -> None:
    """Ask for a new deal of `client` and add it; `on_saved` gets its id."""
    _ask_deal(screen, None, client, {"stage": "lead"}, on_saved)


def edit_deal(
    screen: Screen[Any], opportunity_id: int, *, on_saved: Callable[[int], object] | None = None
) -> None:
    """Ask for changes to a deal (its stage too) and save them; `on_saved` gets its id."""
    found = saved(screen, lambda session: deal_for_form(session, opportunity_id))
    if found is not None:
        client, typed = found
        _ask_deal(screen, opportunity_id, client, typed, on_saved)


def _ask_deal(
    screen: Screen[Any],
    opportunity_id: int | None,
    client: PickedClient,
    typed: Values,
    on_saved: Callable[[int], object] | None,
) -> None:
    from rmtui.screens.forms.opportunity import OpportunityForm

    day = rm_app(screen).today
    form = OpportunityForm(client=client, day=day, initial=typed)
    if opportunity_id is None:
        form.FORM_TITLE = _("New deal for {name}").format(name=client.name)

    def save(values: Values | None) -> None:
        if values is None:
            return
        saved_id = saved(screen, lambda session: save_deal(session, opportunity_id, values, day))
        if saved_id is None:
            again = PickedClient(values["client_id"], form.client.name)
            _ask_deal(screen, opportunity_id, again, as_typed(values), on_saved)
            return
        done = _("Added “{title}”.") if opportunity_id is None else _("Saved “{title}”.")
        screen.notify(done.format(title=values["title"]), markup=False)
        if on_saved is not None:
            on_saved(saved_id)

    screen.app.push_screen(form, save)


def move_deal(
    screen: Screen[Any],
    opportunity_id: int,
    *,
    forward: bool,
    lost_reason: str | None = None,
    on_saved: Callable[[StageMove], object] | None = None,
) -> None:
    """Move a deal one stage on or back (to lost with a `lost_reason`), asking first when that
    marks it won; `u` puts it back where it was, which `on_saved` gets."""
    move = partial(
        _move_deal,
        screen,
        opportunity_id,
        forward=forward,
        lost_reason=lost_reason,
        on_saved=on_saved,
    )
    if lost_reason is not None:  # asking why was the question
        move()
        return
    found = saved(screen, lambda session: _stage_after(session, opportunity_id, forward))
    if found is None:
        return
    title, value, stage = found
    if stage not in CLOSED_STAGES:
        move()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            move()

    screen.app.push_screen(closing_question(title, value, stage), answered)


def _stage_after(session: Session, opportunity_id: int, forward: bool) -> tuple[str, Decimal, str]:
    """The deal's title and value, and the stage a move on or back takes it to."""
    deal = fetch(session, Opportunity, opportunity_id)
    return deal.title, deal.value, next_stage(deal.stage, forward=forward)


def _move_deal(
    screen: Screen[Any],
    opportunity_id: int,
    *,
    forward: bool,
    lost_reason: str | None,
    on_saved: Callable[[StageMove], object] | None,
) -> None:
    day = rm_app(screen).today

    def write(session: Session) -> tuple[StageMove, str]:
        deal = fetch(session, Opportunity, opportunity_id)
        before = StageMove(opportunity_id, deal.title, deal.stage, deal.closed_on, deal.lost_reason)
        moved = move_stage(
            session=session,
            opportunity_id=opportunity_id,
            forward=forward,
            day=day,
            lost_reason=lost_reason,
        )
        return before, moved.stage

    found = saved(screen, write)
    if found is not None:
        before, stage = found
        remember(
            screen,
            _("moved “{title}” to {stage}").format(title=before.title, stage=stage_title(stage)),
            partial(put_back, before, day),
            focus=opportunity_id,
        )
        if on_saved is not None:
            on_saved(before)


def lose_deal(
    screen: Screen[Any],
    opportunity_id: int,
    *,
    on_saved: Callable[[StageMove], object] | None = None,
) -> None:
    """Ask why an open deal was lost and mark it lost."""
    from rmtui.screens.forms.opportunity import LostReasonForm

    found = saved(screen, lambda session: _title_and_stage(session, opportunity_id))
    if found is None:
        return
    title, stage, value = found
    if stage in CLOSED_STAGES:
        screen.notify(
            _("This deal is already {stage}; press < to reopen it first.").format(
                stage=choice_text(stage)
            )
        )
        return

    def lose(reason: str | None) -> None:
        if reason:
            move_deal(screen, opportunity_id, forward=True, lost_reason=reason, on_saved=on_saved)

    screen.app.push_screen(LostReasonForm(title, value), lose)


def _title_and_stage(session: Session, opportunity_id: int) -> tuple[str, str, Decimal]:
    deal = fetch(session, Opportunity, opportunity_id)
    return deal.title, deal.stage, deal.value


def can_move(stage: str, *, forward: bool) -> bool:
    """Whether a deal in `stage` can move a stage on (not once won or lost) or back (not as a
    lead; back from won or lost reopens it)."""
    if forward:
        return stage not in CLOSED_STAGES
    return stage != OPEN_STAGES[0]


def can_lose(stage: str) -> bool:
    """Whether a deal in `stage` can be marked lost (not once won or lost)."""
    return stage not in CLOSED_STAGES


def put_back(move: StageMove, day: date, session: Session) -> None:
    """Put a moved deal back in the stage it was in (the undo of `move_deal`)."""
    set_stage(
        session=session,
        opportunity_id=move.opportunity_id,
        stage=move.stage,
        day=move.closed_on or day,
        lost_reason=move.lost_reason,
    )


DEAL_FIELDS = (
    "title",
    "product",
    "value",
    "stage",
    "opened_on",
    "expected_close_on",
    "probability",
    "lost_reason",
)


@dataclass(frozen=True)
class StageMove:
    """A deal's stage before a move, to put it back with undo."""

    opportunity_id: int
    title: str
    stage: str
    closed_on: date | None
    lost_reason: str | None


def deal_for_form(session: Session, opportunity_id: int) -> tuple[PickedClient, dict[str, Any]]:
    """The deal's client and its values as the form shows them."""
    from rmtui.core.models import Client, Opportunity
    from rmtui.core.queries.common import fetch

    deal = fetch(session, Opportunity, opportunity_id)
    client = fetch(session, Client, deal.client_id)
    values = {name: getattr(deal, name) for name in DEAL_FIELDS}
    return PickedClient(deal.client_id, client.name), as_typed(values)


def save_deal(
    session: Session, opportunity_id: int | None, values: dict[str, Any], day: date
) -> int | None:
    """Add the deal (`opportunity_id` None) or save its changes, its stage moved as needed."""
    from rmtui.core.models import Opportunity
    from rmtui.core.queries.common import fetch
    from rmtui.core.queries.opportunities import add_opportunity, set_stage, update_opportunity

    kept = ("client_id", "title", "product", "value", "expected_close_on", "probability")
    columns = {name: values[name] for name in kept}
    if opportunity_id is None:
        deal = add_opportunity(
            session=session, stage=values["stage"], opened_on=values["opened_on"], **columns
        )
        opportunity_id = deal.id
        assert opportunity_id is not None
    else:
        deal = fetch(session, Opportunity, opportunity_id)
        columns["opened_on"] = values["opened_on"]
        if deal.stage != values["stage"]:
            set_stage(
                session=session, opportunity_id=opportunity_id, stage=values["stage"], day=day
            )
    if values["stage"] == "lost":
        columns["lost_reason"] = values["lost_reason"]
    update_opportunity(session=session, opportunity_id=opportunity_id, values=columns)
    return opportunity_id
