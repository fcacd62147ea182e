"""Schema migrations on both databases: projects made before accounts are adopted, and every
migration can be undone and redone."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command

from sbd_tool.storage.db import _alembic_config, make_engine, upgrade


def test_projects_from_before_accounts_are_adopted(database_url: str) -> None:
    engine = make_engine(database_url)
    config = _alembic_config(engine)
    try:
        command.downgrade(config, "base")
        command.upgrade(config, "0002")
        now = dt.datetime.now(dt.UTC)
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO project (name, answers, visited, version, created_at, updated_at, model_answer) "
                    "VALUES ('旧案件', :answers, :visited, 4, :now, :now, false)"
                ),
                {
                    "answers": '{"format": "sbd-tool/answers@1", "project": {"name": "旧案件"}}',
                    "visited": "{}",
                    "now": now,
                },
            )
        upgrade(engine)
        with engine.connect() as connection:
            org = connection.execute(sa.text("SELECT id, name FROM organisation")).one()
            project = connection.execute(sa.text("SELECT organisation_id, kind, version FROM project")).one()
            revision = connection.execute(sa.text("SELECT number, content_version FROM revision")).one()
        assert org.name == "既存の案件（移行）" and project.organisation_id == org.id
        assert project.kind == "procurement" and (revision.number, revision.content_version) == (4, "（移行前）")
        # Later migrations that rebuild the project table (SQLite batch mode) keep its revisions.
        command.downgrade(config, "0005")
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM revision")).scalar() == 1
        # Every migration can be undone and redone.
        command.downgrade(config, "0002")
        upgrade(engine)
    finally:
        with engine.begin() as connection:
            for table in ("revision", "project"):
                connection.execute(sa.text(f"DELETE FROM {table}"))
            connection.execute(sa.text("DELETE FROM organisation"))
        engine.dispose()
