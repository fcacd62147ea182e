"""An adviser moved to another organisation or role loses every project shared before the move."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sbd_tool.storage.models import ProjectShare, Review, User
from tests.accounts import add_user, login, organisation
from tests.web.test_review import import_example, submit


def _move(app: Flask, username: str, *, org: str | None = None, role: str | None = None) -> None:
    with app.extensions["sbd"]["sessions"]() as session:
        if session.scalar(select(User).where(User.username == "root")) is None:
            add_user(app, "root", role="admin", org=None)
    admin = app.test_client()
    login(admin, "root")
    with app.extensions["sbd"]["sessions"]() as session:
        who = session.scalar(select(User).where(User.username == username))
        assert who is not None
        data = {
            "display_name": who.display_name,
            "role": role or who.role,
            "organisation": str(organisation(app, org) if org else who.organisation_id),
            "active": "y",
        }
        response = admin.post(f"/admin/users/{who.id}", data=data)
    assert response.status_code == 302, response.data.decode()[:2000]


def _adviser(app: Flask) -> FlaskClient:
    add_user(app, "adviser", role="adviser", display_name="相談 花子")
    adviser = app.test_client()
    login(adviser, "adviser")
    return adviser


def _reach(adviser: FlaskClient, pid: int) -> dict[str, int]:
    home = adviser.get("/").data.decode()
    review = adviser.get(f"/projects/{pid}/review")
    review_id = re.search(r"/reviews/(\d+)/decide", review.data.decode())
    decided = adviser.post(f"/projects/{pid}/reviews/{review_id.group(1) if review_id else 1}/decide",
                           data={"action": "approve", "revision": "1"})  # fmt: skip
    return {
        "listed": int(f"/projects/{pid}/" in home),
        "review": review.status_code,
        "docx": adviser.get(f"/projects/{pid}/revisions/1/spec.docx").status_code,
        "history": adviser.get(f"/projects/{pid}/history").status_code,
        "approve": decided.status_code,
    }


def test_moved_to_another_organisation(app: Flask, client: FlaskClient) -> None:
    adviser = _adviser(app)
    pid = import_example(client)
    submit(client, app, pid)
    assert adviser.get(f"/projects/{pid}/review").status_code == 200
    _move(app, "adviser", org="別の省")
    login(adviser, "adviser")  # the move ended the old session; sign in again
    assert _reach(adviser, pid) == {"listed": 0, "review": 404, "docx": 404, "history": 404, "approve": 404}
    with app.extensions["sbd"]["sessions"]() as session:
        assert session.scalars(select(ProjectShare)).all() == [], "the share was revoked"
        assert {r.status for r in session.scalars(select(Review))} == {"superseded"}


def test_moved_back_does_not_bring_old_shares_back(app: Flask, client: FlaskClient) -> None:
    adviser = _adviser(app)
    pid = import_example(client)
    submit(client, app, pid)
    _move(app, "adviser", org="別の省")
    _move(app, "adviser", org="テスト省")
    login(adviser, "adviser")
    assert adviser.get(f"/projects/{pid}/review").status_code == 404


def test_a_share_is_checked_against_the_current_organisation_on_every_request(app: Flask, client: FlaskClient) -> None:
    """Even if a share row survived (e.g. written before this fix), the organisation decides."""
    adviser = _adviser(app)
    pid = import_example(client)
    submit(client, app, pid)
    other = organisation(app, "別の省")
    with app.extensions["sbd"]["sessions"]() as session:
        who = session.scalar(select(User).where(User.username == "adviser"))
        assert who is not None
        who.organisation_id = other  # moved behind the admin page's back: shares still present
        session.commit()
    assert adviser.get(f"/projects/{pid}/review").status_code == 404
    assert f"/projects/{pid}/" not in adviser.get("/").data.decode()


def test_role_change_revokes_shares(app: Flask, client: FlaskClient) -> None:
    adviser = _adviser(app)
    pid = import_example(client)
    submit(client, app, pid)
    _move(app, "adviser", role="officer")
    _move(app, "adviser", role="adviser")
    login(adviser, "adviser")
    assert adviser.get(f"/projects/{pid}/review").status_code == 404
