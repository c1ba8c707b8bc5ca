"""Interchange records straight from the rows a DB-API connection reads, without loading the
models: the commands that print records read a plain book with sqlite3 alone.

`FIELDS` is the part of schema.FIELDS (which is read from the models' declarations) those
commands print, each field as its name and kind, in the same order; the tests keep the two
equal. `exported` is how every record writes a value, here and in schema.record_of.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import Any

from rmtui.core.money import from_cents, money_text

# The fields of each entity's records, as schema.FIELDS has them: (name, kind); the column of
# a reference (kind "ref") is its name and `_id`, of any other field its name.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "clients": (
        ("id", "id"),
        ("name", "text"),
        ("kind", "text"),
        ("status", "text"),
        ("tier", "text"),
        ("email", "text"),
        ("phone", "text"),
        ("company", "text"),
        ("city", "text"),
        ("country", "text"),
        ("birthday", "birthday"),
        ("preferred_channel", "text"),
        ("checkin_every_days", "number"),
        ("review_every_months", "number"),
        ("source", "text"),
        ("referred_by", "ref"),
        ("tags", "tags"),
        ("risk_profile", "text"),
        ("notes", "text"),
        ("created_on", "date"),
        ("client_since", "date"),
        ("client_until", "date"),
        ("archived", "flag"),
        ("name_prefix", "text"),
        ("given_name", "text"),
        ("additional_names", "text"),
        ("family_name", "text"),
        ("name_suffix", "text"),
        ("preferred_language", "text"),
        ("owner", "text"),
    ),
    "follow_ups": (
        ("id", "id"),
        ("client", "ref"),
        ("title", "text"),
        ("due_on", "date"),
        ("status", "text"),
        ("done_on", "date"),
        ("priority", "text"),
        ("interaction", "ref"),
        ("due_at", "time"),
        ("notes", "text"),
        ("repeat", "text"),
    ),
}
# What a raw value of the book (as sqlite3 reads it) is, by kind, as the models hold it.
READ_AS: dict[str, Callable[[Any], Any]] = {
    "date": date.fromisoformat,
    "birthday": date.fromisoformat,
    "datetime": datetime.fromisoformat,
    "time": time.fromisoformat,
    "money": from_cents,
    "flag": bool,
    "tags": json.loads,
}


def column_of(name: str, kind: str) -> str:
    """The column a field is kept in: `client_id` for the reference `client`."""
    return f"{name}_id" if kind == "ref" else name


def columns_sql(entity: str, table: str) -> str:
    """The columns of `entity`'s records in `table`, for a SELECT list, in FIELDS order."""
    return ", ".join(f"{table}.{column_of(name, kind)}" for name, kind in FIELDS[entity])


def record_of_row(entity: str, row: Sequence[Any]) -> dict[str, Any]:
    """The interchange record of `entity` whose columns `row` holds in `columns_sql` order, as
    sqlite3 reads them."""
    return {
        name: exported(kind, column_value(kind, raw))
        for (name, kind), raw in zip(FIELDS[entity], row, strict=True)
    }


def column_value(kind: str, raw: Any) -> Any:
    """A value as sqlite3 reads it from the book, as the models hold it (a date, a flag…)."""
    if raw is None:
        return None
    read = READ_AS.get(kind)
    return raw if read is None else read(raw)


def exported(kind: str, value: Any) -> Any:
    """A value of a record's field of `kind`, as the interchange format writes it."""
    if value is None:
        return [] if kind == "tags" else None
    if kind in ("date", "birthday", "datetime"):
        return value.isoformat()
    if kind == "time":
        return value.isoformat("minutes") if not value.second else value.isoformat()
    if kind == "money":
        return money_text(value)
    if kind == "tags":
        return list(value)
    if kind == "flag":
        return bool(value)
    return value
