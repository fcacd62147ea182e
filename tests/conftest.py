"""Shared fixtures: the shipped catalogue, example answers, a writable content copy, and the databases.

Set ``SBD_TEST_DATABASE_URL`` to use an existing PostgreSQL server instead of starting one.
"""

from __future__ import annotations

import copy
import functools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.orm import Session

from sbd_tool.answers.read import Answers, parse_answers
from sbd_tool.content import Catalogue, load_catalogue
from sbd_tool.storage import releases
from sbd_tool.storage.db import make_engine, upgrade
from sbd_tool.storage.models import Base
from tests.pgserver import throwaway_postgres

ROOT = Path(__file__).resolve().parents[1]
# The content under test: the shipped folders, or an office's own via SBD_CONTENT_DIR.
CONTENT = Path(os.environ.get("SBD_CONTENT_DIR") or ROOT)
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A copy of the content folders that a test may break."""
    for folder in ("questionnaires", "requirement_sets"):
        shutil.copytree(CONTENT / folder, tmp_path / folder)
    return tmp_path


def example_data(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8"))


MINIMAL: dict[str, Any] = {
    "format": "sbd-tool/answers@1",
    "project": {"name": "テストシステム", "organisation": "テスト省", "purpose": "試験のため。"},
    "answers": {
        "users": "staff",
        "scale": "lt100",
        "hours": "business",
        "scope": "internal",
        "confidentiality": "c1",
        "integrity": "i1",
        "availability": "a1",
        "pii": "none",
        "network": ["closed"],
        "places": ["office"],
        "wireless": "not_used",
        "media": "not_used",
        "hosting": "onpremise",
        "outage": "days",
        "outsourcing": "none",
        "equipment": "not_procured",
    },
}


@pytest.fixture
def make_answers(catalogue: Catalogue) -> Callable[..., Answers]:
    """Minimal complete answers (everything at its least demanding), with overrides."""

    def make(**answers: Any) -> Answers:
        data = copy.deepcopy(MINIMAL)
        data["answers"].update(answers)
        return parse_answers(data, catalogue)

    return make


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the session: the one named by SBD_TEST_DATABASE_URL, or a throwaway one."""
    if os.environ.get("SBD_TEST_DATABASE_URL"):
        yield os.environ["SBD_TEST_DATABASE_URL"]
        return
    with throwaway_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Tests using this run on both databases, each starting empty and migrated."""
    if request.param == "sqlite":
        # A copy of a database migrated once per run: the same file `sbd-tool db upgrade` makes.
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), target)
        return f"sqlite:///{target}"
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as connection:  # PostgreSQL is shared by the session's tests: start empty
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    with Session(engine) as session, session.begin():  # as `sbd-tool db upgrade` does
        releases.register_builtin(session, shipped_release())
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database migrated to head with the shipped content recorded, made once per run."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as session, session.begin():  # as `sbd-tool db upgrade` does
        releases.register_builtin(session, shipped_release())
    with engine.connect() as connection:  # everything into the main file: only that file is copied
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@functools.cache
def shipped_release() -> releases.CheckedRelease:
    """The shipped content, checked once per test run."""
    return releases.check_folder(CONTENT)
