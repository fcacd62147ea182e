"""Schema migrations on both databases: projects made before accounts are adopted, and every
migration can be undone and redone."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic import command

from sbd_tool.answers.read import parse_answers
from sbd_tool.content import load_catalogue
from sbd_tool.storage.db import _alembic_config, make_engine, upgrade
from tests.conftest import CONTENT, example_data


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


def test_revisions_written_by_the_migrations_still_load(database_url: str) -> None:
    """Answers stored before accounts (0002) and carried into revisions by 0003 still read
    through the typed answers model, as they were stored and after every later migration."""
    catalogue = load_catalogue(CONTENT)
    stored = [
        {"format": "sbd-tool/answers@1", "project": {"name": "旧案件"}},
        json.loads(json.dumps(example_data("citizen-portal"), default=str)),
        json.loads(json.dumps(example_data("cloud-interagency"), default=str)),
    ]
    engine = make_engine(database_url)
    config = _alembic_config(engine)
    try:
        command.downgrade(config, "base")
        command.upgrade(config, "0002")
        now = dt.datetime.now(dt.UTC)
        with engine.begin() as connection:
            for i, answers in enumerate(stored):
                connection.execute(
                    sa.text(
                        "INSERT INTO project (name, answers, visited, version, created_at, updated_at, model_answer) "
                        "VALUES (:name, :answers, '{}', 1, :now, :now, false)"
                    ),
                    {"name": f"旧案件{i}", "answers": json.dumps(answers, ensure_ascii=False), "now": now},
                )
        upgrade(engine)
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT answers FROM revision ORDER BY id")).all()
        assert len(rows) == len(stored)
        for row, original in zip(rows, stored, strict=True):
            data = row.answers if isinstance(row.answers, dict) else json.loads(row.answers)
            assert parse_answers(data, catalogue, partial=True) == parse_answers(original, catalogue, partial=True)
    finally:
        with engine.begin() as connection:
            for table in ("revision", "project"):
                connection.execute(sa.text(f"DELETE FROM {table}"))
            connection.execute(sa.text("DELETE FROM organisation"))
        engine.dispose()
