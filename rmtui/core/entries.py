"""What a person types for each kind of record, checked field by field: the forms and the
commands read it here, so both say the same sentence about the same mistake."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from rmtui.core.dates import date_text
from rmtui.core.models import CASE_KINDS, DOCUMENT_LANGUAGES, REVENUE_KINDS, STAGES
from rmtui.core.parsers import (
    FieldError,
    form_amount_example,
    optional_text,
    parse_amount,
    parse_birthday,
    parse_email,
    parse_int,
    parse_moment,
    parse_optional_date,
    parse_phone,
    parse_repeat_rule,
    parse_time_of_day,
    required_text,
)
from rmtui.core.translation import N_, _

Value = TypeVar("Value")
Typed = Mapping[str, Any]
# The kind of interaction a contact by each preferred channel is logged as.
KIND_FOR_CHANNEL = {
    "phone": "call",
    "email": "email",
    "meeting": "meeting",
    "video": "video",
    "message": "message",
}
# The fields of a client's profile, as the client form and `rmtui client edit` show them.
PROFILE_FIELDS = (
    "id",
    "name",
    "kind",
    "status",
    "tier",
    "email",
    "phone",
    "company",
    "city",
    "country",
    "birthday",
    "preferred_channel",
    "checkin_every_days",
    "review_every_months",
    "tags",
    "source",
    "risk_profile",
    "notes",
    "preferred_language",
    "owner",
)


class Entry(Protocol):
    """Typed values being read: each field's error is kept in `errors` under its name."""

    errors: dict[str, str]

    def check(self, name: str, parse: Callable[..., Value], *args: Any, **kwargs: Any) -> Any:
        """`parse(*args, **kwargs)` for field `name`, or None with its error kept."""
        ...


class Checked:
    """An Entry outside a form: the errors of every field, to report after reading them."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, name: str, parse: Callable[..., Value], *args: Any, **kwargs: Any) -> Any:
        """`parse(*args, **kwargs)` for field `name`, or None with its error kept."""
        try:
            return parse(*args, **kwargs)
        except FieldError as error:
            self.errors.setdefault(name, str(error))
            return None


def as_typed(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values written as a person types them: dates and times as text, lists joined,
    amounts with the user's decimal mark (so that a form reads back what it shows)."""
    from rmtui.core.money import amount_example, money_text

    typed: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Decimal):
            value = amount_example(example=money_text(value))
        elif isinstance(value, datetime):
            value = value.strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, time):
            value = value.strftime("%H:%M")
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, list | tuple):
            value = ", ".join(str(item) for item in value)
        typed[name] = value
    return typed


# -- clients -----------------------------------------------------------------------------------


def client_entry(typed: Typed, entry: Entry) -> dict[str, Any]:
    """The column values of a client's profile as typed (every field of the client form)."""
    cadence = entry.check(
        "checkin_every_days",
        parse_int,
        typed.get("checkin_every_days"),
        label=N_("The check-in cadence"),
        low=1,
        high=3650,
    )
    review_months = entry.check(
        "review_every_months",
        parse_int,
        typed.get("review_every_months"),
        label=N_("The review cadence"),
        low=1,
        high=120,
    )
    return {
        "name": entry.check("name", required_text, typed.get("name") or "", label=N_("A name")),
        "kind": typed.get("kind") or "person",
        "status": typed.get("status") or "client",
        "tier": typed.get("tier") or "B",
        "email": entry.check("email", parse_email, typed.get("email")),
        "phone": entry.check("phone", parse_phone, typed.get("phone")),
        "company": optional_text(typed.get("company")),
        "city": optional_text(typed.get("city")),
        "country": optional_text(typed.get("country")),
        "birthday": entry.check("birthday", parse_birthday, typed.get("birthday")),
        "preferred_channel": typed.get("preferred_channel") or "phone",
        "checkin_every_days": cadence,
        "review_every_months": review_months,
        "tags": split_tags(typed.get("tags")),
        "source": optional_text(typed.get("source")),
        "risk_profile": optional_text(typed.get("risk_profile")),
        "notes": optional_text(typed.get("notes")),
        "preferred_language": entry.check(
            "preferred_language", parse_language, typed.get("preferred_language")
        ),
        "owner": optional_text(typed.get("owner")),
    }


def parse_language(text: str | None) -> str | None:
    """The language of a client's documents (`nl`, `en`), or None (the user's) when empty."""
    value = (optional_text(text) or "").lower()
    if value and value not in DOCUMENT_LANGUAGES:
        raise FieldError(_("Choose nl or en for the language, not '{text}'.").format(text=value))
    return value or None


def split_tags(text: str | None) -> list[str]:
    """Tags typed as `vip, golf pension` → ['vip', 'golf', 'pension'] (lower case, unique)."""
    words = (text or "").replace(",", " ").lower().split()
    return list(dict.fromkeys(words))


# -- interactions and follow-ups ---------------------------------------------------------------


def interaction_entry(typed: Typed, entry: Entry, *, base: date | None = None) -> dict[str, Any]:
    """The column values of an interaction as typed; `base` is the day `at` is read from."""
    return {
        "subject": entry.check(
            "subject", required_text, typed.get("subject") or "", label=N_("A subject")
        ),
        "kind": typed.get("kind") or "call",
        "direction": typed.get("direction") or "out",
        "at": entry.check("at", parse_moment, typed.get("at"), base=base),
        "duration_min": entry.check(
            "duration_min",
            parse_int,
            typed.get("duration_min"),
            label=N_("Minutes"),
            low=0,
            high=24 * 60,
        ),
        "notes": optional_text(typed.get("notes")),
        "review": bool(typed.get("review")),
    }


def log_entry(
    typed: Typed, entry: Entry, *, client_id: int, base: date | None = None
) -> dict[str, Any]:
    """The arguments of `log_interaction` as typed: the interaction and, when a day to follow
    up was given, the next follow-up (titled after the subject when no title was typed)."""
    follow_up_title = optional_text(typed.get("follow_up_title"))
    follow_up_due = entry.check(
        "follow_up_due", parse_optional_date, typed.get("follow_up_due"), base=base
    )
    if follow_up_title and follow_up_due is None and "follow_up_due" not in entry.errors:
        entry.errors["follow_up_due"] = _("Say when to follow up: 2w, fri, +3d or a date.")
    if follow_up_due and not follow_up_title:
        subject = optional_text(typed.get("subject")) or _("last contact")
        follow_up_title = _("Follow up: {subject}").format(subject=subject)
    return {
        "client_id": client_id,
        **interaction_entry(typed, entry, base=base),
        "follow_up_title": follow_up_title,
        "follow_up_due": follow_up_due,
    }


def follow_up_entry(
    typed: Typed, entry: Entry, *, client_id: int | None, base: date | None = None
) -> dict[str, Any]:
    """The arguments of `add_follow_up` as typed: a title, a due day (and time of day), a
    priority, notes and a repeat rule."""
    due_on = entry.check("due_on", parse_optional_date, typed.get("due_on"), base=base)
    if due_on is None and "due_on" not in entry.errors:
        entry.errors["due_on"] = _("A due date is needed: tomorrow, fri, 2w or a date.")
    return {
        "client_id": client_id,
        "title": entry.check(
            "title", required_text, typed.get("title") or "", label=N_("What to do")
        ),
        "due_on": due_on,
        "due_at": entry.check("due_at", parse_time_of_day, typed.get("due_at")),
        "priority": typed.get("priority") or "normal",
        "repeat": entry.check("repeat", parse_repeat_rule, typed.get("repeat")),
        "notes": optional_text(typed.get("notes")),
    }


# -- money records -----------------------------------------------------------------------------


def past_day(entry: Entry, name: str, text: str | None, *, day: date, label: str) -> date | None:
    """The date typed in field `name`, read from `day` and not after it; `label` names it
    when it is missing."""
    found = entry.check(name, parse_optional_date, text, base=day)
    if found is None and name not in entry.errors:
        entry.errors[name] = _("{label} is needed: today, yesterday or a date.").format(
            label=_(label)
        )
    elif found is not None and found > day:
        entry.errors[name] = _("This day is still to come; give today or a day before.")
    return found


def amount(
    entry: Entry,
    name: str,
    text: str | None,
    *,
    label: str,
    required: bool = True,
    low: Decimal | None = None,
) -> Decimal | None:
    """The amount typed in field `name` in the user's locale; an error when missing (and
    `required`) or below `low`."""
    found = entry.check(name, parse_amount, text, label=label)
    if found is None and required and name not in entry.errors:
        entry.errors[name] = _("{label} is required: an amount like {example}.").format(
            label=_(label), example=form_amount_example()
        )
    elif found is not None and low is not None and found < low:
        entry.errors[name] = _("{label} cannot be below {low}.").format(label=_(label), low=low)
    return found


def holding_entry(typed: Typed, entry: Entry, *, client_id: int, day: date) -> dict[str, Any]:
    """The arguments of `add_holding` as typed: an account, its value and the day of it."""
    return {
        "client_id": client_id,
        "account": entry.check(
            "account", required_text, typed.get("account") or "", label=N_("The account")
        ),
        "as_of": past_day(entry, "as_of", typed.get("as_of"), day=day, label=N_("The day")),
        "value": amount(entry, "value", typed.get("value"), label=N_("The value")),
    }


def revenue_entry(typed: Typed, entry: Entry, *, client_id: int, day: date) -> dict[str, Any]:
    """The arguments of `add_revenue` as typed: the day, a non-zero amount, kind, description."""
    earned = amount(entry, "amount", typed.get("amount"), label=N_("The amount"))
    if earned == 0:
        entry.errors["amount"] = _("The amount cannot be 0.")
    kind = typed.get("kind")
    if kind not in REVENUE_KINDS:
        entry.errors["kind"] = _("Choose one of {choices}.").format(
            choices=", ".join(REVENUE_KINDS)
        )
    return {
        "client_id": client_id,
        "on": past_day(entry, "on", typed.get("on"), day=day, label=N_("The day")),
        "amount": earned,
        "kind": kind,
        "description": optional_text(typed.get("description")),
    }


# -- deals -------------------------------------------------------------------------------------


def deal_entry(typed: Typed, entry: Entry, *, client_id: int, day: date) -> dict[str, Any]:
    """The column values of a deal as typed; a lost deal needs the reason it was lost."""
    stage = typed.get("stage") or "lead"
    if stage not in STAGES:
        entry.errors["stage"] = _("Choose a stage: {stages}.").format(stages=", ".join(STAGES))
    lost_reason = lost_reason_entry(typed, entry, stage=stage)
    opened_on = entry.check("opened_on", parse_optional_date, typed.get("opened_on"), base=day)
    value = amount(entry, "value", typed.get("value"), label=N_("The value"), required=False)
    if value is not None and value < 0:
        entry.errors["value"] = _("The value cannot be negative.")
    close = entry.check(
        "expected_close_on", parse_optional_date, typed.get("expected_close_on"), base=day
    )
    typed_chance = typed.get("probability")
    probability = entry.check(
        "probability",
        parse_int,
        None if typed_chance is None else str(typed_chance).strip().removesuffix("%"),
        label=N_("The probability"),
        low=0,
        high=100,
    )
    return {
        "client_id": client_id,
        "title": entry.check(
            "title", required_text, typed.get("title") or "", label=N_("A deal title")
        ),
        "product": optional_text(typed.get("product")),
        "value": value or Decimal("0.00"),
        "stage": stage,
        "opened_on": opened_on or day,
        "lost_reason": lost_reason,
        "expected_close_on": close,
        "probability": probability,
    }


def lost_reason_entry(typed: Typed, entry: Entry, *, stage: str) -> str | None:
    """Why a deal in `stage` was lost: required for a lost deal, None for any other."""
    reason = optional_text(typed.get("lost_reason"))
    if stage == "lost" and reason is None:
        entry.errors["lost_reason"] = _("Say why the deal was lost: price, timing, competitor…")
    return reason if stage == "lost" else None


# -- cases -------------------------------------------------------------------------------------


def case_entry(
    typed: Typed,
    entry: Entry,
    *,
    client_id: int,
    day: date,
    opened_on: date,
    clocks: Collection[str] = (),
) -> dict[str, Any]:
    """The arguments of `add_case` as typed: kind, subject and a deadline not before
    `opened_on`; or a clock, one of `clocks` (its name), which sets the deadline when none is
    typed."""
    clock = optional_text(typed.get("clock"))
    if clock is not None and clock not in clocks:
        listed = ", ".join(clocks) or _("none is set")
        entry.errors["clock"] = _("'{clock}' is not a clock of this book; choose {clocks}.").format(
            clock=clock, clocks=listed
        )
    kind = typed.get("kind")
    if kind not in CASE_KINDS:
        first, *_others, last = CASE_KINDS
        entry.errors["kind"] = _("Choose {first} or {last}.").format(first=first, last=last)
    due_on = entry.check("due_on", parse_optional_date, typed.get("due_on"), base=day)
    if due_on is None and clock is None and "due_on" not in entry.errors:
        entry.errors["due_on"] = _("A deadline is needed: fri, +3d or a date.")
    elif due_on is not None and due_on < opened_on:
        entry.errors["due_on"] = _(
            "The deadline cannot be before the case was opened ({day})."
        ).format(day=date_text(opened_on))
    subject = entry.check(
        "subject", required_text, typed.get("subject") or "", label=N_("A subject")
    )
    return {
        "client_id": client_id,
        "kind": kind,
        "subject": subject,
        "opened_on": opened_on,
        "due_on": due_on,
        "clock": clock,
    }


def extension_entry(typed: Typed, entry: Entry) -> dict[str, Any]:
    """Why a case's deadline is extended (required: PSD2 asks for the reason)."""
    reason = optional_text(typed.get("reason"))
    if reason is None:
        entry.errors["reason"] = _("Say why the deadline is extended; the client is told.")
    return {"reason": reason}


def resolution_entry(typed: Typed, entry: Entry, *, opened_on: date, day: date) -> dict[str, Any]:
    """How and on which day a case opened on `opened_on` was resolved (not after `day`)."""
    resolution = optional_text(typed.get("resolution"))
    if resolution is None:
        entry.errors["resolution"] = _("Say how the case was resolved.")
    resolved_on = entry.check("day", parse_optional_date, typed.get("day"), base=day) or day
    if resolved_on < opened_on:
        entry.errors["day"] = _("A case cannot be resolved before it was opened ({day}).").format(
            day=date_text(opened_on)
        )
    elif resolved_on > day:
        entry.errors["day"] = _("A case cannot be resolved on a day still to come.")
    return {"resolution": resolution, "day": resolved_on}
