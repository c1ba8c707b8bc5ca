"""Alembic environment: migrations run on the connection rmtui hands over, in batch mode."""

from __future__ import annotations

from alembic import context

from rmtui.core.models import SQLModel

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    """Run the pending migrations on the connection given in the config's attributes."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
