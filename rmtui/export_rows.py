"""Table rows as interchange records: foreign keys by their field names, values ready for JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table

from rmtui.audit import jsonable
from rmtui.models import ENTITIES, AuditEntry

# Columns whose interchange field name differs from the column name.
FIELD_NAMES = {
    "client_id": "client",
    "interaction_id": "interaction",
    "referred_by_id": "referred_by",
}
# Columns kept by the database for speed, not part of the interchange format.
DERIVED_COLUMNS = frozenset({"last_contact_on"})


def entity_table(entity: str) -> Table:
    """The table of an interchange entity such as `clients` or `follow_ups`."""
    return ENTITIES[entity].__table__  # type: ignore[attr-defined,no-any-return]


def audit_table() -> Table:
    """The audit trail's table."""
    return AuditEntry.__table__  # type: ignore[attr-defined,no-any-return]


def exported_columns(table: Table) -> list[str]:
    """The columns of `table` that the interchange format carries, in table order."""
    return [column.name for column in table.columns if column.name not in DERIVED_COLUMNS]


def field_names(table: Table) -> list[str]:
    """The interchange field names of `table`'s exported columns, in table order."""
    return [FIELD_NAMES.get(name, name) for name in exported_columns(table)]


def record_from_row(table: Table, row: Mapping[Any, Any]) -> dict[str, Any]:
    """One row of `table` as an interchange record with JSON-ready values."""
    return {FIELD_NAMES.get(name, name): jsonable(row[name]) for name in exported_columns(table)}
