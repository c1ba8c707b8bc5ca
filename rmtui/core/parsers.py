"""Reading one typed value (text, e-mail, phone, number, money, date) or saying why not."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

from rmtui.core.dates import DateError, now, parse_date, today
from rmtui.core.money import MoneyError, TooLarge, TooManyDecimals, amount_example, read_amount
from rmtui.core.translation import _

EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)*$")
PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
MIN_PHONE_DIGITS = 6
TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})$")


class FieldError(ValueError):
    """A value that does not fit its field, with one sentence saying what to type."""


def required_text(text: str, *, label: str) -> str:
    """A text that may not be empty."""
    value = text.strip()
    if not value:
        raise FieldError(_("{label} is required.").format(label=_(label)))
    return value


def optional_text(text: str | None) -> str | None:
    """A text, or None when it is empty."""
    value = (text or "").strip()
    return value or None


def parse_email(text: str | None) -> str | None:
    """An e-mail address, or None when empty."""
    value = optional_text(text)
    if value is not None and not EMAIL.match(value):
        said = _("'{text}' is not an e-mail address; write it like ann@example.com.")
        raise FieldError(said.format(text=value))
    return value


def parse_phone(text: str | None) -> str | None:
    """A phone number of digits, spaces and + ( ) . / -, or None when empty."""
    value = optional_text(text)
    if value is None:
        return None
    digits = sum(char.isdigit() for char in value)
    if not PHONE.match(value) or digits < MIN_PHONE_DIGITS:
        said = _("'{text}' is not a phone number; write it like +32 470 12 34 56.")
        raise FieldError(said.format(text=value))
    return value


def parse_int(
    text: str | None, *, label: str, low: int | None = None, high: int | None = None
) -> int | None:
    """A whole number within low..high, or None when empty."""
    value = optional_text(text)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise FieldError(
            _("{label} must be a whole number, not '{text}'.").format(label=_(label), text=value)
        ) from None
    if (low is not None and number < low) or (high is not None and number > high):
        if high is not None:
            refusal = _("{label} must be from {low} to {high}.")
        else:
            refusal = _("{label} must be at least {low}.")
        raise FieldError(refusal.format(label=_(label), low=low, high=high))
    return number


def parse_amount(text: str | None, *, label: str) -> Decimal | None:
    """An exact amount of money typed in the user's locale, or None when empty."""
    value = optional_text(text)
    if value is None:
        return None
    example = form_amount_example()
    try:
        return read_amount(value)
    except TooManyDecimals:
        said = _("{label} has more than two decimals in '{text}'; write it like {example}.")
        raise FieldError(said.format(label=_(label), text=value, example=example)) from None
    except TooLarge as error:
        raise FieldError(f"{_(label)}: {error}.") from None
    except MoneyError:
        said = _("{label} must be an amount like {example}, not '{text}'.")
        raise FieldError(said.format(label=_(label), text=value, example=example)) from None


def form_amount_example() -> str:
    """The amount a form shows as an example, written the user's way: 1250.00 or 1250,00."""
    return amount_example(example="1250.00")


def parse_optional_date(text: str | None, *, base: date | None = None) -> date | None:
    """A typed date (see rmtui.core.dates), or None when empty."""
    value = optional_text(text)
    if value is None:
        return None
    try:
        return parse_date(value, base=base)
    except DateError as error:
        raise FieldError(str(error)) from None


def parse_birthday(text: str | None) -> date | None:
    """A typed birthday, which cannot be after today, or None when empty."""
    day = parse_optional_date(text)
    if day is not None and day > today():
        raise FieldError(
            _("{day} is in the future; a birthday cannot be after today.").format(
                day=day.isoformat()
            )
        )
    return day


def parse_moment(text: str | None, *, base: date | None = None) -> datetime:
    """A date with an optional time: `now`, `14:30`, `yesterday 9:15`, `2026-11-02 10:00`."""
    value = " ".join((text or "").strip().lower().split())
    if value in ("", "now", "nu"):
        return now()
    *day_words, last = value.split(" ")
    clock = _clock(last)
    if clock is None:
        day_words, clock = [*day_words, last], time(9, 0)
    day_text = " ".join(day_words) or "today"
    try:
        day = parse_date(day_text, base=base)
    except DateError as error:
        raise FieldError(str(error)) from None
    return datetime.combine(day, clock)


def parse_time_of_day(text: str | None) -> time | None:
    """A time of day typed as 14:30, 9.15 or 9h15, or None when empty."""
    value = optional_text(text)
    if value is None:
        return None
    clock = _clock(value.lower())
    if clock is None:
        raise FieldError(
            _("'{text}' is not a time of day; write it like 14:30.").format(text=value)
        )
    return clock


def parse_repeat_rule(text: str | None) -> str | None:
    """A repeat rule as it is stored (`every 2 weeks`, `yearly`), or None when empty."""
    from rmtui.core.repeats import RepeatError, repeat_text

    try:
        return repeat_text(text)
    except RepeatError as error:
        raise FieldError(str(error)) from None


def _clock(word: str) -> time | None:
    match = TIME.match(word)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise FieldError(_("'{text}' is not a time of day; write it like 14:30.").format(text=word))
    return time(hour, minute)
