"""Alembic environment: migrations run on the connection rmtui hands over, in batch mode."""

from __future__ import annotations

from typing import Any

from alembic import context

from rmtui.core.models import SQLModel

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    """Run the pending migrations on the connection given in the config's attributes."""
    connection = context.config.attributes["connection"]
    step_done = context.config.attributes.get("step_done")

    def tell_step(ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
        if step_done is not None:
            step_done(step.up_revision_id)

    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        on_version_apply=tell_step,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
