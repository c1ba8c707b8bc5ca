"""What the query modules share: lookups that fail with one sentence, value checks, SQL bits."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table, and_, func, literal_column, or_, tuple_
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from rmtui.core.db_api import LIKE_ESCAPE, like_escaped
from rmtui.core.errors import BookError
from rmtui.core.models import Choice, Range, marked
from rmtui.core.translation import _

Row = TypeVar("Row", bound=SQLModel)


class RecordNotFound(BookError):
    """A record that is no longer in the book (deleted, erased or never there)."""


class InvalidChange(BookError):
    """A change the book refuses, such as a value outside its choices."""


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a SQLModel class."""
    return model.__table__  # type: ignore[attr-defined,no-any-return]


def columns_for(row_type: Any, table: Table, **extra: Any) -> list[Any]:
    """SQL columns in the order of the dataclass `row_type`'s fields, so that a result row
    builds it positionally: `extra` ones labelled by name, the others from `table`."""
    names = [field.name for field in dataclasses.fields(row_type)]
    return [extra[name].label(name) if name in extra else table.c[name] for name in names]


def fetch(session: Session, model: type[Row], record_id: int) -> Row:
    """The `model` row with `record_id`, or RecordNotFound with a plain sentence."""
    row = session.get(model, record_id)
    if row is None:
        label = table_of(model).name.replace("_", "-")
        raise RecordNotFound(f"There is no {label} #{record_id}; it may have been deleted.")
    return row


def apply_values(row: Row, values: Mapping[str, Any], *, fixed: Sequence[str] = ("id",)) -> Row:
    """Set column `values` on `row`; unknown or fixed columns are a programming error."""
    columns = set(table_of(type(row)).columns.keys()) - set(fixed)
    unknown = set(values) - columns
    if unknown:
        raise ValueError(f"{type(row).__name__} has no settable field {sorted(unknown)}")
    for name, value in values.items():
        setattr(row, name, value)
    return row


def check_choice(value: str, choices: Sequence[str], *, label: str) -> str:
    """`value` when it is one of `choices`, else InvalidChange naming the choices."""
    if value not in choices:
        listed = ", ".join(choices)
        said = _("{label} must be one of {choices}, not '{value}'.")
        raise InvalidChange(said.format(label=_(label), choices=listed, value=value))
    return value


def check_choices(model: type[SQLModel], values: Mapping[str, Any]) -> None:
    """InvalidChange when one of `values` is not among its field's declared choices."""
    for name, choice in marked(model, Choice).items():
        if name in values:
            check_choice(values[name], choice.values, label=choice.label)


def check_ranges(model: type[SQLModel], values: Mapping[str, Any]) -> None:
    """InvalidChange when one of `values` is outside its field's declared, labelled range."""
    for name, rule in marked(model, Range).items():
        value = values.get(name)
        if rule.label and value is not None and not _within(value, rule):
            said = _bounds(rule).format(label=_(rule.label), low=rule.low, high=rule.high)
            raise InvalidChange(said.format(value=value))


def _within(value: int, rule: Range) -> bool:
    return (rule.low is None or value >= rule.low) and (rule.high is None or value <= rule.high)


def _bounds(rule: Range) -> str:
    """The refusal of a value out of `rule`'s range: {label}, {low}, {high} and {value} to fill."""
    if rule.low is not None and rule.high is not None:
        return _("{label} must be from {low} to {high}, not {{value}}.")
    if rule.low is not None:
        return _("{label} must be at least {low}, not {{value}}.")
    return _("{label} must be at most {high}, not {{value}}.")


def contains_text(column: Any, text: str) -> ColumnElement[bool]:
    """SQL: `column` contains `text` (ASCII case-insensitive, as SQLite's LIKE)."""
    return column.like(f"%{like_escaped(text)}%", escape=LIKE_ESCAPE)  # type: ignore[no-any-return]


def without_case(column: Any) -> Any:
    """`column` compared and sorted without regard to case, as the index on a client's name
    (`name COLLATE NOCASE`) sorts it. The collation is named in lower case: PostgreSQL folds
    the index's unquoted name to `nocase`, and only the same collation lets it read that index
    in order (SQLite reads collation names in any case)."""
    return column.collate("nocase")


def likely(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """SQL: `condition`, marked as usually true so SQLite prefers an index on the sort order."""
    return func.likely(condition)  # type: ignore[no-any-return]


def after_key(
    keys: Sequence[Any], values: Sequence[Any], *, descending: bool, nullable_lead: bool = False
) -> ColumnElement[bool]:
    """SQL: the row comes after `values` in the order of `keys` (keyset paging).

    The last key must be unique (the id). Only the first key may be NULL (`nullable_lead`); a
    NULL sorts lowest, as SQLite orders it. The first key is also compared alone so that SQLite
    can seek an index on it.
    """
    lead, rest = keys[0], keys[1:]
    lead_value, rest_values = values[0], values[1:]
    if lead_value is None:
        rest_after = _beyond(tuple_(*rest), tuple(rest_values), descending)
        if descending:
            return and_(lead.is_(None), rest_after)
        return or_(and_(lead.is_(None), rest_after), lead.is_not(None))
    beyond = and_(
        lead <= lead_value if descending else lead >= lead_value,
        _beyond(tuple_(*keys), tuple(values), descending),
    )
    if nullable_lead and descending:
        return or_(beyond, lead.is_(None))
    return beyond


def _beyond(keys: Any, values: tuple[Any, ...], descending: bool) -> ColumnElement[bool]:
    return keys < values if descending else keys > values  # type: ignore[no-any-return]


def page_limit(limit: int) -> ColumnElement[int]:
    """A LIMIT written into the SQL, not bound: SQLite then keeps only that many rows while
    sorting instead of sorting every row."""
    return literal_column(str(int(limit)))


def ordered(keys: Sequence[Any], *, descending: bool) -> list[Any]:
    """ORDER BY terms for `keys`, all ascending or all descending; a column that may be NULL
    puts its NULLs lowest, as SQLite does (PostgreSQL puts them highest unless told; SQLite
    reads ASC NULLS FIRST and DESC NULLS LAST as plain ASC and DESC)."""
    return [_ordered_key(key, descending) for key in keys]


def _ordered_key(key: Any, descending: bool) -> Any:
    term = key.desc() if descending else key.asc()
    if getattr(key, "nullable", False) is not True:
        return term
    return term.nulls_last() if descending else term.nulls_first()
