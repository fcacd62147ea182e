"""Sign-in, sessions, throttling, passwords, admin pages and the security bar — on both databases."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from sbd_tool.storage.models import Project, User
from tests.accounts import PASSWORD, add_user, csrf_token, login
from tests.web.conftest import make_app


def test_sign_in_and_out(app: Flask, anonymous: FlaskClient) -> None:
    assert "sbd-tool create-admin" in anonymous.get("/login").data.decode(), "a fresh install says what to do"
    add_user(app, "officer")
    assert "create-admin" not in anonymous.get("/login").data.decode()
    first = anonymous.get("/")
    assert first.status_code == 302 and first.headers["Location"].startswith("/login?next=")
    page = anonymous.get("/login").data.decode()
    assert 'autocomplete="current-password"' in page and 'type="password"' in page
    wrong = anonymous.post("/login", data={"username": "officer", "password": "nope nope nope"})
    assert wrong.status_code == 400 and "利用者名又はパスワードが正しくありません。" in wrong.data.decode()
    unknown = anonymous.post("/login", data={"username": "nobody", "password": PASSWORD})
    assert unknown.data.decode().count("利用者名又はパスワードが正しくありません。") == 1, (
        "same answer for unknown names"
    )
    ok = anonymous.post("/login", data={"username": "OFFICER", "password": PASSWORD, "next": "/trash"})
    assert ok.status_code == 302 and ok.headers["Location"] == "/trash"
    assert "サインアウト" in anonymous.get("/").data.decode()
    anonymous.post("/logout")
    assert anonymous.get("/").status_code == 302


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "/%0d%0aX"]
)
def test_no_open_redirect_after_sign_in(app: Flask, anonymous: FlaskClient, target: str) -> None:
    add_user(app, "officer")
    response = anonymous.post("/login", data={"username": "officer", "password": PASSWORD, "next": target})
    location = response.headers["Location"]
    assert location == "/" or (location.startswith("/") and not location.startswith("//") and "evil" not in location)


def test_failed_sign_ins_are_throttled_per_account(app: Flask, anonymous: FlaskClient) -> None:
    add_user(app, "officer")
    for _ in range(5):
        assert anonymous.post("/login", data={"username": "officer", "password": "wrong password"}).status_code == 400
    blocked = anonymous.post("/login", data={"username": "officer", "password": PASSWORD})
    text = blocked.data.decode()
    assert blocked.status_code == 429 and "一時的に止めています" in text and "1分ほど待ってから" in text
    # The same account from another address (its owner at their own desk) is not locked out,
    # nor is another account.
    own_desk = app.test_client()
    response = own_desk.post(
        "/login", data={"username": "officer", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.8"}
    )
    assert response.status_code == 302
    add_user(app, "colleague")
    other = app.test_client()
    response = other.post(
        "/login", data={"username": "colleague", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert response.status_code == 302


def test_failed_sign_ins_are_throttled_per_address(app: Flask, anonymous: FlaskClient) -> None:
    add_user(app, "officer")
    for i in range(20):
        anonymous.post("/login", data={"username": f"guess{i}", "password": "wrong password"})
    assert anonymous.post("/login", data={"username": "officer", "password": PASSWORD}).status_code == 429


def test_idle_sessions_end(app: Flask, client: FlaskClient) -> None:
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 31 * 60
    response = client.get("/", follow_redirects=True)
    assert "一定時間操作がなかったため、サインアウトしました" in response.data.decode()
    assert client.get("/").status_code == 302


def test_changing_the_password_ends_other_sessions(app: Flask, client: FlaskClient) -> None:
    other = app.test_client()
    login(other, "officer")
    weak = client.post("/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short"})
    assert weak.status_code == 400 and "12文字以上" in weak.data.decode()
    mismatch = client.post(
        "/account/password", data={"current": PASSWORD, "new": "a new long password", "confirm": "different"}
    )
    assert "確認用のパスワードが一致しません" in mismatch.data.decode()
    wrong = client.post(
        "/account/password",
        data={"current": "not it at all", "new": "a new long password", "confirm": "a new long password"},
    )
    assert "現在のパスワードが正しくありません" in wrong.data.decode()
    ok = client.post(
        "/account/password", data={"current": PASSWORD, "new": "a new long password", "confirm": "a new long password"}
    )
    assert ok.status_code == 302
    assert client.get("/").status_code == 200, "this session continues"
    assert other.get("/").status_code == 302, "the other session has ended"
    login(other, "officer", "a new long password")


def test_cookie_flags_and_security_headers(app: Flask) -> None:
    add_user(app, "officer")
    plain, secure = app.test_client(), app.test_client()
    cookie = plain.post("/login", data={"username": "officer", "password": PASSWORD}).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = secure.post(
        "/login", data={"username": "officer", "password": PASSWORD}, base_url="https://sbd.example.go.jp"
    )
    assert "Secure" in https.headers["Set-Cookie"]
    page = plain.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin" and page.headers["Cache-Control"] == "no-store"
    assert "<script>" not in page.data.decode() and "onclick=" not in page.data.decode()


def test_csrf_is_required_on_state_changes(database_url: str) -> None:
    app = make_app(database_url)  # CSRF on, as in production
    try:
        add_user(app, "officer")
        client = app.test_client()
        assert client.post("/login", data={"username": "officer", "password": PASSWORD}).status_code == 400
        token = csrf_token(client.get("/login").data)
        data = {"username": "officer", "password": PASSWORD, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302
        assert client.post("/projects", data={"name": "x"}).status_code == 400
        assert client.post("/logout").status_code == 400
    finally:
        app.extensions["sbd"]["engine"].dispose()


def test_admin_manages_organisations_and_users(app: Flask) -> None:
    add_user(app, "root", role="admin", org=None)
    admin = app.test_client()
    login(admin, "root")
    assert admin.get("/").headers["Location"].endswith("/admin/users")
    assert admin.post("/admin/organisations", data={"name": "デジタル庁"}).status_code == 302
    assert (
        "同じ名前の組織が既にあります" in admin.post("/admin/organisations", data={"name": "デジタル庁"}).data.decode()
    )
    page = admin.get("/admin/users/new").data.decode()
    org_id = page.split("デジタル庁")[0].rsplit('value="', 1)[1].split('"')[0]
    bad = admin.post("/admin/users/new", data={"username": "a b", "display_name": "", "role": "officer",
                                                "organisation": "0", "password": "short"})  # fmt: skip
    text = bad.data.decode()
    assert bad.status_code == 400
    for message in ("半角英数字", "氏名を入力してください", "組織を選んでください", "12文字以上"):
        assert message in text
    tanaka_data = {"username": "tanaka", "display_name": "田中 一郎", "role": "officer", "organisation": org_id,
                   "active": "y"}  # fmt: skip
    created = admin.post("/admin/users/new", data={**tanaka_data, "password": "initial password 1"})
    assert created.status_code == 302
    # The new user must choose their own password first.
    tanaka = app.test_client()
    first = tanaka.post("/login", data={"username": "tanaka", "password": "initial password 1"})
    assert first.headers["Location"].endswith("/account/password")
    assert tanaka.get("/").headers["Location"].endswith("/account/password")
    tanaka.post("/account/password", data={"current": "initial password 1", "new": "tanaka's own pass",
                                           "confirm": "tanaka's own pass"})  # fmt: skip
    assert tanaka.get("/").status_code == 200
    # Disabling the account ends its session.
    with app.extensions["sbd"]["sessions"]() as session:
        uid = session.scalar(select(User.id).where(User.username == "tanaka"))
    admin.post(f"/admin/users/{uid}", data={"display_name": "田中 一郎", "role": "officer", "organisation": org_id})
    assert tanaka.get("/").status_code == 302
    disabled = tanaka.post("/login", data={"username": "tanaka", "password": "tanaka's own pass"})
    assert "このアカウントは無効になっています" in disabled.data.decode()
    # An admin cannot lock themselves out.
    with app.extensions["sbd"]["sessions"]() as session:
        root = session.scalar(select(User.id).where(User.username == "root"))
    selfish = admin.post(f"/admin/users/{root}", data={"display_name": "x", "role": "officer", "organisation": org_id})
    assert "自分自身の管理者権限を外したり" in selfish.data.decode()


def test_answers_import_refuses_hostile_yaml(client: FlaskClient, app: Flask) -> None:
    bomb = (
        b'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        b"c: [*b,*b,*b,*b,*b,*b,*b,*b]\n"
    )
    response = client.post("/projects/import", data={"file": (io.BytesIO(bomb), "bomb.yaml")})
    assert response.status_code == 400 and "取り込みませんでした" in response.data.decode()
    deep = ("a: " + "[" * 200 + "]" * 200).encode()
    assert client.post("/projects/import", data={"file": (io.BytesIO(deep), "deep.yaml")}).status_code == 400
    huge = b"x: '" + b"a" * 2_100_000 + b"'"
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="huge.yaml"\r\n\r\n'
    body = head + huge + b"\r\n--b--\r\n"
    too_big = client.post("/projects/import", data=body, content_type="multipart/form-data; boundary=b")
    assert too_big.status_code == 413 and "2MB 以下" in too_big.data.decode()
    with app.extensions["sbd"]["sessions"]() as session:
        assert session.scalar(select(func.count()).select_from(Project)) == 0


def test_create_admin_command(database_url: str, tmp_path: object) -> None:
    env = {"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    command = [str(Path(sys.executable).parent / "sbd-tool"), "create-admin", "--username", "chief", "--password-stdin"]
    weak = subprocess.run(command, input="chief", capture_output=True, text=True, env=env)
    assert weak.returncode != 0 and "12文字以上" in weak.stderr + weak.stdout
    ok = subprocess.run(command, input="a strong admin password\n", capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    again = subprocess.run([*command, "--if-missing"], input="", capture_output=True, text=True, env=env)
    assert again.returncode == 0 and "既にあります" in again.stdout
    app = make_app(database_url, WTF_CSRF_ENABLED=False)
    try:
        client = app.test_client()
        login(client, "chief", "a strong admin password")
        assert client.get("/admin/users").status_code == 200
    finally:
        app.extensions["sbd"]["engine"].dispose()
