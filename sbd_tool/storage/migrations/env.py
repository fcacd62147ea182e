"""Alembic environment: run against the engine sbd-tool hands over in ``attributes``.

On SQLite, a batch migration rebuilds a table (create a copy, drop the old one, rename). With
foreign keys enforced, dropping ``project`` would cascade-delete every row that refers to it
(revisions, reviews, comments, …), so foreign keys are switched off while migrating, as Alembic
recommends for batch mode, and checked afterwards.
"""

from alembic import context

from sbd_tool.storage.models import Base

engine = context.config.attributes["engine"]
sqlite = engine.dialect.name == "sqlite"
with engine.connect() as connection:
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
        connection.commit()
    with connection.begin():
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left rows that refer to missing rows: {broken[:5]}")
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
