"""Old trash is purged by ``sbd-tool purge`` on purpose, never by a page view (a GET never writes)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from sbd_tool.cli import main
from sbd_tool.storage.models import AuthSession, Project


def _delete(client: FlaskClient, name: str) -> int:
    pid = int(client.post("/projects", data={"name": name}).headers["Location"].split("/")[2])
    assert client.post(f"/projects/{pid}/delete").status_code == 302
    return pid


def test_trash_page_never_writes_and_purge_removes_only_expired(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, recent = _delete(client, "古い案件"), _delete(client, "最近の案件")
    with app.extensions["sbd"]["sessions"]() as session:
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=31)
        session.execute(update(Project).where(Project.id == old).values(deleted_at=long_ago))
        session.commit()
    page = client.get("/trash").data.decode()
    assert "古い案件" in page and "最近の案件" in page
    with app.extensions["sbd"]["sessions"]() as session:
        assert session.get(Project, old) is not None, "viewing the trash deleted nothing"
    client.post("/logout")  # an ended session: purged once it is a day old
    with app.extensions["sbd"]["sessions"]() as session:
        session.execute(update(AuthSession).values(revoked_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2)))
        session.commit()
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    result = CliRunner().invoke(main, ["purge"])
    assert result.exit_code == 0, result.output
    assert "案件 1 件" in result.output and "セッション 1 件" in result.output
    with app.extensions["sbd"]["sessions"]() as session:
        assert session.get(Project, old) is None and session.get(Project, recent) is not None
        assert session.scalars(select(AuthSession)).all() == []
