"""Bidder links exist for procurements only; adviser shares end some time after their review."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from sbd_tool.storage.models import Project, ProjectShare
from tests.web.test_review import import_example, submit
from tests.web.test_shares import create_link


def _make_training(app: Flask, pid: int) -> None:
    with app.extensions["sbd"]["sessions"]() as session:
        session.execute(update(Project).where(Project.id == pid).values(kind="training"))
        session.commit()


def test_no_bidder_links_for_a_training_project(app: Flask, client: FlaskClient) -> None:
    pid = import_example(client)
    token = create_link(client, pid)
    _make_training(app, pid)  # an officer's own sandbox: readable and editable by them
    assert client.get(f"/projects/{pid}/history").status_code == 200
    assert client.get(f"/projects/{pid}/shares").status_code == 403
    assert client.post(f"/projects/{pid}/shares", data={"label": "x", "days": "7"}).status_code == 403
    bidder = app.test_client()
    assert bidder.get(f"/bid/{token}").status_code == 404, "a link made earlier shows nothing"
    assert bidder.get(f"/bid/{token}/compliance.xlsx").status_code == 404


def test_an_adviser_share_ends_after_its_set_period(app: Flask, client: FlaskClient) -> None:
    from tests.security.test_adviser_moved import _adviser

    adviser = _adviser(app)
    pid = import_example(client)
    submit(client, app, pid)
    assert adviser.get(f"/projects/{pid}/review").status_code == 200
    with app.extensions["sbd"]["sessions"]() as session:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        session.execute(update(ProjectShare).values(expires_at=past))
        session.commit()
    assert adviser.get(f"/projects/{pid}/review").status_code == 404
    assert f"/projects/{pid}/" not in adviser.get("/").data.decode()
