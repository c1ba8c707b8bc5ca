"""Money in a column of the book: exact amounts kept as integer cents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer
from sqlalchemy.types import TypeDecorator

from rmtui.core.money import from_cents, parse_money, to_cents


class Money(TypeDecorator[Decimal]):
    """A column of exact money stored as integer cents."""

    impl = Integer
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        """SQLite's INTEGER holds 64 bits; on a server the column is a BIGINT to hold as much."""
        if dialect.name == "postgresql":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Integer())

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if value.__class__ is Decimal:  # an exact amount already
            return to_cents(value)
        return to_cents(parse_money(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else from_cents(value)
