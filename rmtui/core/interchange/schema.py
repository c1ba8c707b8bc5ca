"""One record of the interchange format: checked and turned into column values, and back."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from types import NoneType, UnionType
from typing import Any, get_args, get_origin

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from sqlmodel import SQLModel

from rmtui.core.interchange.row_records import exported
from rmtui.core.interchange.table_rows import entity_table
from rmtui.core.models import (
    ENTITIES,
    MAINTAINED_COLUMNS,
    Choice,
    Holds,
    NotBefore,
    Range,
    WhenMissing,
    marked,
    references,
)
from rmtui.core.money import MoneyError, parse_money
from rmtui.core.parsers import EMAIL
from rmtui.core.translation import N_, _

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})
# Fields that may appear in a record but are kept by the book itself, not imported.
COMPUTED_FIELDS = MAINTAINED_COLUMNS
LARGEST_NUMBER = 2**63 - 1  # SQLite's largest integer
# The problems of a value that is not a whole number, or too large, by what it should be.
NOT_WHOLE = {
    "id": (N_("{value} is not an id"), N_("{value} is too large to be an id")),
    "number": (
        N_("{value} is not a whole number"),
        N_("{value} is too large to be a whole number"),
    ),
}


@dataclass
class Problem:
    """What is wrong with one field of one record.

    Printed as one line: `clients #12 email: 'bob@' is not an e-mail address`.
    """

    entity: str
    record_id: object
    field: str
    message: str

    def __str__(self) -> str:
        where = " ".join(part for part in (self.entity, record_label(self.record_id)) if part)
        return f"{where} {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def record_label(record_id: object) -> str:
    """How a record is named in a problem: `#12` for an id, else the label as given.

    An empty label stands for the whole list of records.
    """
    if record_id is None:
        return _("(no id)")
    if isinstance(record_id, int) and not isinstance(record_id, bool):
        return f"#{record_id}"
    return str(record_id)


def item_label(position: int) -> str:
    """How a record without an id is named in a problem: its place in its list, `item 3`."""
    return _("item {position}").format(position=position)


class FieldError(ValueError):
    """A value that cannot go into its field; the message completes `field: ...`."""


Reader = Callable[[Any], Any]
Default = Callable[[dict[str, Any], date], Any]


@dataclass(frozen=True)
class FieldSpec:
    """One field of the interchange format and the column it fills.

    `kind` says how the value is written back (record_of) and moved in time (the demo):
    text, id, ref, date, birthday, datetime, money, number, flag or tags.
    """

    name: str
    column: str
    read: Reader
    kind: str = "text"
    required: bool = False
    default: Default | None = None


# Readers: each turns one JSON (or CSV) value into a column value or raises FieldError.


def read_text(value: Any) -> str:
    """Text as it is (numbers are refused so a phone number keeps its leading zero)."""
    if not isinstance(value, str):
        raise FieldError(_("{value} is not text; put it in quotes").format(value=_shown(value)))
    return value


def read_email(value: Any) -> str:
    """An e-mail address such as `name@example.com`."""
    text = read_text(value).strip()
    if not EMAIL.match(text):
        raise FieldError(_("'{text}' is not an e-mail address").format(text=text))
    return text


def read_id(value: Any) -> int:
    """A record id: a whole number from 1."""
    number = _whole_number(value, "id")
    if number < 1:
        message = _("{value} is not an id; ids are whole numbers from 1")
        raise FieldError(message.format(value=_shown(value)))
    return number


def whole_number_between(low: int | None, high: int | None) -> Reader:
    """A reader of whole numbers within `low`..`high` (either end open when None)."""

    def read(value: Any) -> int:
        number = _whole_number(value, "number")
        if (low is not None and number < low) or (high is not None and number > high):
            raise FieldError(_range_text(low, high).format(number=number, low=low, high=high))
        return number

    return read


def one_of(choices: tuple[str, ...]) -> Reader:
    """A reader of one of `choices`, matched without regard to case."""
    canonical = {choice.lower(): choice for choice in choices}
    listed = ", ".join(choices)

    def read(value: Any) -> str:
        found = canonical.get(str(value).strip().lower()) if isinstance(value, str) else None
        if found is None:
            raise FieldError(
                _("{value} is not one of {choices}").format(value=_shown(value), choices=listed)
            )
        return found

    return read


def read_date(value: Any) -> date:
    """A date written as YYYY-MM-DD."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(read_text(value).strip())
    except ValueError:
        message = _("{value} is not a date; write it as YYYY-MM-DD")
        raise FieldError(message.format(value=_shown(value))) from None


def read_datetime(value: Any) -> datetime:
    """A moment written as YYYY-MM-DDTHH:MM[:SS]; one with a time zone becomes local time."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(read_text(value).strip())
        except ValueError:
            message = _("{value} is not a date and time; write it as YYYY-MM-DDTHH:MM")
            raise FieldError(message.format(value=_shown(value))) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment


def read_time(value: Any) -> time:
    """A time of day written as HH:MM (or HH:MM:SS)."""
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(read_text(value).strip())
    except ValueError:
        message = _("{value} is not a time of day; write it as HH:MM")
        raise FieldError(message.format(value=_shown(value))) from None


def read_repeat(value: Any) -> str:
    """A repeat rule such as `every 2 weeks` or `yearly`, written the way it is stored."""
    from rmtui.core.repeats import RepeatError, repeat_text

    try:
        rule = repeat_text(read_text(value))
    except RepeatError as error:
        raise FieldError(str(error).rstrip(".")) from None
    if rule is None:
        message = _("{value} is not a repeat; write every 2 weeks or yearly")
        raise FieldError(message.format(value=_shown(value)))
    return rule


def read_money(value: Any) -> Decimal:
    """An exact amount such as "1234.50"."""
    if isinstance(value, bool):
        message = _('{value} is not an amount; write it like "1234.50"')
        raise FieldError(message.format(value=_shown(value)))
    try:
        return parse_money(value)
    except MoneyError as error:
        raise FieldError(str(error)) from None


def read_flag(value: Any) -> bool:
    """A yes/no value: true/false (or yes/no, 1/0 as text)."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, str | int) else None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FieldError(_("{value} is not true or false").format(value=_shown(value)))


def read_tags(value: Any) -> list[str]:
    """Tags as a list of text, or as one text separated by commas."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise FieldError(_("{value} is not a list of tags").format(value=_shown(value)))
    return [tag.strip() for tag in value if tag.strip()]


def _whole_number(value: Any, kind: str) -> int:
    """`value` as a whole number; `kind` (id or number) chooses the words of its problems."""
    if value.__class__ is int and -LARGEST_NUMBER <= value <= LARGEST_NUMBER:
        return int(value)
    not_whole, too_large = NOT_WHOLE[kind]
    if not _is_whole(value):
        raise FieldError(_(not_whole).format(value=_shown(value)))
    number = Decimal(value)
    if abs(number) > LARGEST_NUMBER:
        raise FieldError(_(too_large).format(value=_shown(value)))
    return int(number)


def _is_whole(value: Any) -> bool:
    """Whether `value` is a whole number: an integer, a whole decimal, or digits as text."""
    if isinstance(value, bool):
        return False
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    if isinstance(value, str):
        return re.fullmatch(r"\s*[+-]?\d+\s*", value) is not None
    return isinstance(value, int)


def _range_text(low: int | None, high: int | None) -> str:
    """The problem of a number out of `low`..`high`, with {number}, {low} and {high} to fill."""
    if low is not None and high is not None:
        return _("{number} is not between {low} and {high}")
    return (
        _("{number} is not at least {low}")
        if low is not None
        else _("{number} is not at most {high}")
    )


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return _("a list") if isinstance(value, list) else _("an object")
    return str(value)


# Defaults for missing optional fields.


def constant(value: Any) -> Default:
    """A default that is always `value` (a fresh list each time for a list)."""
    return lambda _values, _today: list(value) if isinstance(value, list) else value


def on_today(_values: dict[str, Any], today: date) -> date:
    """Today, for a record that does not say when it was created."""
    return today


# The fields of the interchange format, read from the entities' declarations in models.py.

# The kind and reader of a field by the type of its values (see FieldSpec.kind).
KIND_OF_TYPE: dict[type, str] = {
    str: "text",
    date: "date",
    datetime: "datetime",
    time: "time",
    Decimal: "money",
    int: "number",
    bool: "flag",
    list: "tags",
}
READER_OF_KIND: dict[str, Reader] = {
    "text": read_text,
    "date": read_date,
    "birthday": read_date,
    "datetime": read_datetime,
    "time": read_time,
    "money": read_money,
    "flag": read_flag,
    "tags": read_tags,
}
FILLED_WHEN_MISSING: dict[WhenMissing, Default] = {
    WhenMissing.TODAY: on_today,
}


def entity_fields(model: type[SQLModel]) -> tuple[FieldSpec, ...]:
    """The interchange fields of an entity's table `model`, in the order it declares them."""
    refs = references(model)
    return tuple(
        _reference(name, info) if name in refs else _field(name, info)
        for name, info in model.model_fields.items()
        if name not in COMPUTED_FIELDS
    )


def reference_name(column: str) -> str:
    """The interchange name of a reference column: `client` for client_id."""
    return column.removesuffix("_id")


def _reference(name: str, info: FieldInfo) -> FieldSpec:
    """A reference such as `client` (column client_id): the id of the record it refers to."""
    return FieldSpec(reference_name(name), name, read_id, kind="ref", required=info.is_required())


def _field(name: str, info: FieldInfo) -> FieldSpec:
    """A field read by its type and markers, filled when missing as its declaration says."""
    if name == "id":
        return FieldSpec("id", "id", read_id, kind="id")
    kind = KIND_OF_TYPE[_value_type(info.annotation)]
    if Holds.BIRTHDAY in info.metadata:
        kind = "birthday"
    filled = next((rule for rule in info.metadata if isinstance(rule, WhenMissing)), None)
    return FieldSpec(
        name,
        name,
        _reader(kind, info.metadata),
        kind=kind,
        required=info.is_required() and filled is None,
        default=FILLED_WHEN_MISSING[filled] if filled else _declared_default(info),
    )


def _value_type(annotation: Any) -> type:
    """The type of a field's values: `date` for `date | None`, `list` for `list[str]`."""
    if isinstance(annotation, UnionType):
        (annotation,) = (part for part in get_args(annotation) if part is not NoneType)
    return get_origin(annotation) or annotation  # type: ignore[no-any-return]


def _reader(kind: str, metadata: list[Any]) -> Reader:
    """The reader of a field: by its choices, its range, what it holds, or else its kind."""
    for rule in metadata:
        if isinstance(rule, Choice):
            return one_of(rule.values)
        if isinstance(rule, Range):
            return whole_number_between(rule.low, rule.high)
    if Holds.EMAIL in metadata:
        return read_email
    return read_repeat if Holds.REPEAT in metadata else READER_OF_KIND[kind]


def _declared_default(info: FieldInfo) -> Default | None:
    """The field's own default, for a record that leaves it out (None: left empty)."""
    value = info.get_default(call_default_factory=True)
    return None if value is None or value is PydanticUndefined else constant(value)


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    entity: entity_fields(model) for entity, model in ENTITIES.items()
}
"""Every field of every entity of the interchange format, in the order they are written."""


def entity_references(model: type[SQLModel]) -> dict[str, str]:
    """The reference fields of an entity's table `model`, with the entity each refers to."""
    entity_of_table = {entity_table(entity).name: entity for entity in ENTITIES}
    return {
        reference_name(column): entity_of_table[table]
        for column, table in references(model).items()
    }


# Which entity each reference field points to.
REFERENCES: dict[str, dict[str, str]] = {
    entity: refs for entity, model in ENTITIES.items() if (refs := entity_references(model))
}
ENTITY_NOUNS = {
    "clients": N_("client"),
    "interactions": N_("interaction"),
    "contact_persons": N_("contact person"),
    "households": N_("household"),
}
KNOWN_FIELDS = {
    entity: frozenset(spec.name for spec in specs) | COMPUTED_FIELDS
    for entity, specs in FIELDS.items()
}
# Pairs of dates where the second may not come before the first.
ORDERED_DATES = {
    entity: (rule.field, name)
    for entity, model in ENTITIES.items()
    for name, rule in marked(model, NotBefore).items()
}


def field_names(entity: str) -> tuple[str, ...]:
    """The field names of `entity` records, in the order they are written."""
    return tuple(spec.name for spec in FIELDS[entity])


def fields_of_kind(entity: str, *kinds: str) -> tuple[FieldSpec, ...]:
    """The fields of `entity` of the given kinds (e.g. "date", "datetime", "ref")."""
    return tuple(spec for spec in FIELDS[entity] if spec.kind in kinds)


def record_values(
    entity: str, record: Mapping[str, Any], *, today: date, label: object = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Check one `entity` record; return its column values and every problem found.

    `label` names the record in problems (default: its id); values of fields with
    problems are left out, so only a record without problems is ready to insert.
    """
    label = label if label is not None else _id_label(record)
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for spec in FIELDS[entity]:
        raw = record.get(spec.name)
        try:
            if raw is None or (raw.__class__ is str and not raw.strip()):
                values[spec.column] = _missing_value(spec, values, today)
            else:
                values[spec.column] = spec.read(raw)
                if spec.kind == "birthday" and values[spec.column] > today:
                    message = _("{day} is in the future; a birthday cannot be after today")
                    raise FieldError(message.format(day=raw))
        except FieldError as error:
            problems.append(Problem(entity, label, spec.name, str(error)))
    if not KNOWN_FIELDS[entity].issuperset(record):
        problems += _unknown_fields(entity, record, label)
    if entity in ORDERED_DATES:
        problems += _order_problems(entity, values, label)
    return values, problems


def client_values(
    record: Mapping[str, Any], *, today: date, label: object = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Check one client record (see `record_values`)."""
    return record_values("clients", record, today=today, label=label)


def record_of(entity: str, row: Mapping[Any, Any]) -> dict[str, Any]:
    """The interchange record of one table row (a mapping of column names to values)."""
    return {spec.name: exported(spec.kind, row[spec.column]) for spec in FIELDS[entity]}


def record_of_model(record: SQLModel) -> dict[str, Any]:
    """The interchange record of one row object of the book (a Client, an Interaction…)."""
    entity = next(name for name, model in ENTITIES.items() if isinstance(record, model))
    return record_of(entity, record.model_dump())


def _missing_value(spec: FieldSpec, values: dict[str, Any], today: date) -> Any:
    if spec.required:
        raise FieldError(_("is required"))
    return spec.default(values, today) if spec.default else None


def _id_label(record: Mapping[str, Any]) -> object:
    record_id = record.get("id")
    if isinstance(record_id, int) and not isinstance(record_id, bool):
        return record_id
    return None


def _unknown_fields(entity: str, record: Mapping[str, Any], label: object) -> list[Problem]:
    known = KNOWN_FIELDS[entity]
    return [
        Problem(
            entity, label, str(name), _("is not a field of {entity} records").format(entity=entity)
        )
        for name in record
        if name not in known
    ]


def _order_problems(entity: str, values: dict[str, Any], label: object) -> list[Problem]:
    first, last = ORDERED_DATES[entity]
    start, end = values.get(first), values.get(last)
    if start is None or end is None or end >= start:
        return []
    message = _("{day} is before {field} {first_day}").format(
        day=end.isoformat(), field=first, first_day=start.isoformat()
    )
    return [Problem(entity, label, last, message)]
