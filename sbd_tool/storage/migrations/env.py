"""Alembic environment: run against the engine sbd-tool hands over in ``attributes``."""

from alembic import context

from sbd_tool.storage.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
