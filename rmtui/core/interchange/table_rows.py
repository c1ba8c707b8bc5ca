"""The tables of the book's entities and its audit trail, for Core queries."""

from __future__ import annotations

from sqlalchemy import Table

from rmtui.core.models import ENTITIES, AuditEntry


def entity_table(entity: str) -> Table:
    """The table of an interchange entity such as `clients` or `follow_ups`."""
    return ENTITIES[entity].__table__  # type: ignore[attr-defined,no-any-return]


def audit_table() -> Table:
    """The audit trail's table."""
    return AuditEntry.__table__  # type: ignore[attr-defined,no-any-return]
