"""Sessions end on the server: sign-out, password change, disabling, role change, absolute lifetime."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from sbd_tool.storage.models import AuthSession, User
from tests.accounts import PASSWORD, add_user, csrf_token, login
from tests.web.conftest import make_app


def _capture(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app: Flask, cookie: str) -> FlaskClient:
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_a_cookie_captured_before_sign_out_is_dead_afterwards(database_url: str) -> None:
    app = make_app(database_url, TESTING=True)  # CSRF on, as in production
    add_user(app, "officer")
    client = app.test_client()
    page = client.get("/login").data
    response = client.post("/login", data={"username": "officer", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    home = client.get("/").data
    token = csrf_token(home)
    stolen = _capture(client)
    assert _replay(app, stolen).get("/").status_code == 200, "the captured cookie works while signed in"
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    thief = _replay(app, stolen)
    assert thief.get("/").status_code == 302, "signed out on the server: the old cookie no longer signs in"
    refused = thief.post("/projects", data={"name": "盗まれたセッション", "csrf_token": token})
    assert refused.status_code in (400, 401)
    app.extensions["sbd"]["engine"].dispose()


def test_disabling_and_role_changes_end_every_session(app: Flask) -> None:
    add_user(app, "officer")
    add_user(app, "root", role="admin", org=None)
    victim = app.test_client()
    login(victim, "officer")
    admin = app.test_client()
    login(admin, "root")
    with app.extensions["sbd"]["sessions"]() as session:
        officer = session.scalar(select(User).where(User.username == "officer"))
        assert officer is not None
        officer_id, org = officer.id, officer.organisation_id
    response = admin.post(
        f"/admin/users/{officer_id}",
        data={"display_name": "officer 職員", "role": "trainer", "organisation": str(org), "active": "y"},
    )
    assert response.status_code == 302, response.data.decode()[:2000]
    assert victim.get("/").status_code == 302, "a role change ends the user's sessions"
    login(victim, "officer")
    admin.post(f"/admin/users/{officer_id}", data={"display_name": "x", "role": "trainer", "organisation": str(org)})
    assert victim.get("/").status_code == 302, "disabling ends the user's sessions"


def test_a_session_ends_after_its_absolute_lifetime_however_active(app: Flask, client: FlaskClient) -> None:
    assert client.get("/").status_code == 200
    with app.extensions["sbd"]["sessions"]() as session:
        session.execute(update(AuthSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
        session.commit()
    response = client.get("/", follow_redirects=True)
    assert "一定時間が経ったため、サインアウトしました" in response.data.decode()
    assert client.get("/").status_code == 302


def test_the_lifetime_is_a_setting(database_url: str) -> None:
    app = make_app(database_url, WTF_CSRF_ENABLED=False, TESTING=True, SESSION_LIFETIME_HOURS=2)
    add_user(app, "officer")
    client = app.test_client()
    login(client, "officer")
    with app.extensions["sbd"]["sessions"]() as session:
        row = session.scalars(select(AuthSession)).one()
        created, expires = row.created_at, row.expires_at
    assert abs((expires - created) - dt.timedelta(hours=2)) < dt.timedelta(seconds=5)
    app.extensions["sbd"]["engine"].dispose()
