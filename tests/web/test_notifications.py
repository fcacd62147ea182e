"""Notifications (issue 17): the inbox and its unread count, and e-mail through a local SMTP server
started by the test (tests/smtpserver.py); nothing is sent when the server has no SMTP settings."""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, update

from sbd_tool.storage import settings
from sbd_tool.storage.db import _alembic_config
from sbd_tool.storage.models import Comment, Notification, User
from sbd_tool.storage.settings import ConfigError
from sbd_tool.web import notifications
from tests.accounts import add_user, login
from tests.smtpserver import smtp_config, smtp_server
from tests.web.conftest import make_app
from tests.web.test_review import import_example

PROJECT = "補助金電子申請ポータル"


def signed_in(app: Flask, username: str, role: str = "officer", email: str | None = None, **kw: Any) -> FlaskClient:
    uid = add_user(app, username, role, display_name=kw.get("name"))
    if email:
        with app.extensions["sbd"]["sessions"]() as session:
            session.execute(update(User).where(User.id == uid).values(email=email))
            session.commit()
    client = app.test_client()
    login(client, username)
    return client


def post(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    """A form sent; its e-mails (if any) are on their way when this returns."""
    with client.post(url, data=data) as response:
        assert response.status_code in (302, 303), response.data.decode()[:2000]
        return response


def submit(client: FlaskClient, pid: int, message: str = "ご確認ください。") -> None:
    page = client.get(f"/projects/{pid}/submit").data.decode()
    adviser = re.search(r'<option value="(\d+)">相談 花子', page)
    assert adviser, page
    post(client, f"/projects/{pid}/submit", {"adviser": adviser.group(1), "message": message})


def decide(client: FlaskClient, pid: int, action: str, note: str = "") -> None:
    page = client.get(f"/projects/{pid}/review").data.decode()
    review_id = re.search(r"/reviews/(\d+)/decide", page)
    assert review_id
    post(
        client,
        f"/projects/{pid}/reviews/{review_id.group(1)}/decide",
        {"action": action, "revision": "1", "note": note},
    )


def comment(client: FlaskClient, pid: int, body: str, **extra: str) -> None:
    post(client, f"/projects/{pid}/comments", {"body": body, **extra})


def inbox(client: FlaskClient) -> list[tuple[str, str, bool]]:
    """(link, sentence, unread) per entry, newest first."""
    page = client.get("/inbox").data.decode()
    rows = re.findall(r'<tr( class="unread")?>(?:(?!</tr>).)*?<a href="(/inbox/\d+)">([^<]*)</a>', page, re.S)
    return [(link, text.strip(), bool(unread)) for unread, link, text in rows]


def unread(client: FlaskClient) -> int:
    page = client.get("/").data.decode()
    match = re.search(r"（未読(\d+)件）", page)
    assert 'href="/inbox"' in page, "every page links to the inbox"
    return int(match.group(1)) if match else 0


def comment_id(app: Flask, body: str) -> int:
    with app.extensions["sbd"]["sessions"]() as session:
        return int(session.scalars(select(Comment.id).where(Comment.body == body)).one())


@pytest.fixture
def people(app: Flask) -> dict[str, FlaskClient]:
    return {
        "officer": signed_in(app, "officer", email="officer@example.go.jp", name="調達 太郎"),
        "adviser": signed_in(app, "adviser", "adviser", email="adviser@example.go.jp", name="相談 花子"),
        "colleague": signed_in(app, "colleague", name="同僚 次郎"),  # no e-mail address
    }


def test_review_round_trip_fills_the_inboxes(app: Flask, people: dict[str, FlaskClient]) -> None:
    officer, adviser, colleague = people["officer"], people["adviser"], people["colleague"]
    pid = import_example(officer)
    assert unread(adviser) == 0 and inbox(adviser) == []
    submit(officer, pid)
    assert unread(adviser) == 1 and unread(officer) == 0, "the one who acted is never told"
    [(link, text, new)] = inbox(adviser)
    assert text == f"調達 太郎さんから「{PROJECT}」のレビューを依頼されました。" and new
    opened = adviser.get(link)
    assert opened.status_code == 302 and opened.headers["Location"] == f"/projects/{pid}/review"
    assert unread(adviser) == 0 and not inbox(adviser)[0][2], "opening marks it read"
    assert officer.get(link).status_code == 404, "someone else's notification does not exist"

    # A comment on a requirement: the officers who submitted the project hear of it, at the comment.
    comment(adviser, pid, "AT-1 の理由を書いてください。", requirement="AT-1")
    first = comment_id(app, "AT-1 の理由を書いてください。")
    [(link, text, _)] = inbox(officer)
    assert text == f"相談 花子さんが「{PROJECT}」にコメントしました。"
    assert officer.get(link).headers["Location"] == f"/projects/{pid}/review#comment-{first}"
    assert inbox(colleague) == [], "an officer who did not submit it is not told"

    # Replies: the comment's author, then everyone else in the thread.
    comment(officer, pid, "追記しました。", parent=str(first))
    reply = comment_id(app, "追記しました。")
    [(link, text, _), _] = inbox(adviser)
    assert text == f"調達 太郎さんが「{PROJECT}」のコメントに返信しました。"
    assert adviser.get(link).headers["Location"] == f"/projects/{pid}/review#comment-{reply}"
    comment(colleague, pid, "私も確認しました。", parent=str(first))
    assert unread(adviser) == 1 and unread(officer) == 1, "the author and the one who replied before"
    comment(adviser, pid, "ありがとうございます。", parent=str(first))
    assert unread(officer) == 2 and unread(colleague) == 1

    decide(adviser, pid, "return", "AT-1 の理由が不足しています。")
    assert inbox(officer)[0][1] == f"相談 花子さんが「{PROJECT}」をコメントを付けて差し戻しました。"
    submit(officer, pid)
    decide(adviser, pid, "approve")
    assert inbox(officer)[0][1] == f"相談 花子さんが「{PROJECT}」を承認しました。"
    assert unread(officer) == 4
    post(officer, "/inbox/read", {})
    assert unread(officer) == 0 and unread(adviser) == 2


def test_nothing_is_sent_without_smtp_settings(
    app: Flask, people: dict[str, FlaskClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app.config["SMTP_HOST"] is None
    dialled: list[Any] = []
    monkeypatch.setattr(smtplib, "SMTP", lambda *a, **k: dialled.append(a))
    with smtp_server() as (_port, box):
        pid = import_example(people["officer"])
        submit(people["officer"], pid)
        comment(people["adviser"], pid, "確認しました。")
        decide(people["adviser"], pid, "approve")
        assert box.wait(1, timeout=0.5) == []
    assert dialled == []
    assert unread(people["adviser"]) == 1 and unread(people["officer"]) == 2, "the inbox works without e-mail"


@pytest.fixture
def mail_app(database_url: str) -> Iterator[tuple[Flask, Any]]:
    with smtp_server() as (port, box):
        app = make_app(database_url, WTF_CSRF_ENABLED=False, TESTING=True, **smtp_config(port))
        yield app, box
        notifications.wait_for_mail()
        app.extensions["sbd"]["engine"].dispose()


def test_mail_goes_out_after_the_commit_with_the_name_and_a_link_only(
    mail_app: tuple[Flask, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, box = mail_app
    officer = signed_in(app, "officer", email="officer@example.go.jp", name="調達 太郎")
    adviser = signed_in(app, "adviser", "adviser", email="adviser@example.go.jp", name="相談 花子")
    colleague = signed_in(app, "colleague", name="同僚 次郎")
    seen_at_send: list[int] = []
    real_send = notifications.send

    def send(mails: list[Any], config: dict[str, Any]) -> None:
        with app.extensions["sbd"]["sessions"]() as other:  # what another connection sees by then
            seen_at_send.append(int(other.scalar(select(func.count()).select_from(Notification)) or 0))
        real_send(mails, config)

    monkeypatch.setattr(notifications, "send", send)
    pid = import_example(officer)
    submit(officer, pid, message="依頼文は送らない")
    [mail] = box.wait(1)
    assert seen_at_send == [1], "sent after the notification was committed"
    assert mail.recipients == ["adviser@example.go.jp"] and mail.sender == "sbd-tool@example.go.jp"
    assert mail.message["Subject"] == f"[sbd-tool] レビューの依頼：{PROJECT}"
    body = mail.message.get_content()
    with app.extensions["sbd"]["sessions"]() as session:
        nid = session.scalars(select(Notification.id)).one()
    assert f"https://sbd.example.go.jp/inbox/{nid}" in body and "相談 花子 様" in body
    assert f"案件「{PROJECT}」のレビューを依頼されました。" in body
    assert "依頼文は送らない" not in body and "調達 太郎" not in body, "no project data beyond the name"

    comment(adviser, pid, "秘密の指摘事項", requirement="AT-1")
    [_, mail] = box.wait(2)
    assert mail.recipients == ["officer@example.go.jp"]
    assert "秘密の指摘事項" not in mail.message.get_content() and "AT-1" not in mail.message.get_content()
    comment(colleague, pid, "同僚から", parent=str(comment_id(app, "秘密の指摘事項")))
    assert len(box.wait(3)) == 3
    comment(adviser, pid, "返信", parent=str(comment_id(app, "秘密の指摘事項")))  # to the colleague only
    assert len(box.wait(4, timeout=1)) == 3, "no address, no e-mail"
    assert unread(colleague) == 1, "but the inbox has it"


def test_a_failing_mail_server_fails_nothing(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    with smtp_server() as (port, _box):
        pass  # the port is closed again: nobody answers there
    app = make_app(database_url, WTF_CSRF_ENABLED=False, TESTING=True, **smtp_config(port))
    try:
        officer = signed_in(app, "officer", email="officer@example.go.jp")
        adviser = signed_in(app, "adviser", "adviser", email="adviser@example.go.jp", name="相談 花子")
        pid = import_example(officer)
        with caplog.at_level(logging.WARNING, logger="sbd_tool.web.notifications"):
            submit(officer, pid)
            notifications.wait_for_mail()
        assert "notification e-mails not sent (1)" in caplog.text
        assert unread(adviser) == 1, "the notification is kept"
    finally:
        app.extensions["sbd"]["engine"].dispose()


def test_mail_server_sign_in(database_url: str) -> None:
    with smtp_server(login=("sbd", "s3cret")) as (port, box):
        config = smtp_config(port, SMTP_USER="sbd", SMTP_PASSWORD="s3cret")
        app = make_app(database_url, WTF_CSRF_ENABLED=False, TESTING=True, **config)
        try:
            officer = signed_in(app, "officer")
            signed_in(app, "adviser", "adviser", email="adviser@example.go.jp", name="相談 花子")
            submit(officer, import_example(officer))
            assert len(box.wait(1)) == 1 and box.auths == ["sbd"]
        finally:
            app.extensions["sbd"]["engine"].dispose()


def test_the_header_count_is_one_query(app: Flask, people: dict[str, FlaskClient]) -> None:
    officer = people["officer"]
    pid = import_example(officer)
    statements: list[str] = []
    engine = app.extensions["sbd"]["engine"]

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        for url in ("/", f"/projects/{pid}/steps/features", f"/projects/{pid}/review"):
            statements.clear()
            assert officer.get(url).status_code == 200
            about = [s for s in statements if "notification" in s]
            assert len(about) == 1 and "read_at IS NULL" in about[0], (url, about)
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def test_admin_sets_an_e_mail_address(app: Flask) -> None:
    add_user(app, "admin", "admin", None)
    add_user(app, "someone", "officer")  # makes テスト省
    admin = app.test_client()
    login(admin, "admin")
    page = admin.get("/admin/users/new").data.decode()
    assert "メールアドレス（任意。お知らせをメールでも受け取る）" in page
    org = re.search(r'<option (?:selected )?value="(\d+)">テスト省', page)
    assert org
    data = {"username": "newone", "display_name": "新人", "role": "officer", "organisation": org.group(1),
            "password": "a long enough password", "active": "y", "email": "not-an-address"}  # fmt: skip
    refused = admin.post("/admin/users/new", data=data)
    assert refused.status_code == 400 and "メールアドレスの形式が正しくありません。" in refused.data.decode()
    assert admin.post("/admin/users/new", data={**data, "email": "new@example.go.jp"}).status_code == 302
    with app.extensions["sbd"]["sessions"]() as session:
        user = session.scalars(select(User).where(User.username == "newone")).one()
    assert user.email == "new@example.go.jp"
    assert 'value="new@example.go.jp"' in admin.get(f"/admin/users/{user.id}").data.decode()
    changed = {k: v for k, v in data.items() if k not in ("username", "password")} | {"email": ""}
    assert admin.post(f"/admin/users/{user.id}", data=changed).status_code == 302
    with app.extensions["sbd"]["sessions"]() as session:
        assert session.get(User, user.id).email is None  # type: ignore[union-attr]


def test_smtp_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SBD_SMTP_HOST", "SBD_SMTP_PORT", "SBD_SMTP_FROM", "SBD_SMTP_USER", "SBD_SMTP_PASSWORD",
                 "SBD_SMTP_STARTTLS", "SBD_BASE_URL"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    assert settings.from_environment()["SMTP_HOST"] is None
    monkeypatch.setenv("SBD_SMTP_HOST", "mail.example.go.jp")
    with pytest.raises(ConfigError, match="SBD_SMTP_FROM"):
        settings.from_environment()
    monkeypatch.setenv("SBD_SMTP_FROM", "sbd@example.go.jp")
    monkeypatch.setenv("SBD_SMTP_STARTTLS", "1")
    monkeypatch.setenv("SBD_SMTP_USER", "sbd")
    with pytest.raises(ConfigError, match="SBD_SMTP_PASSWORD"):
        settings.from_environment()
    monkeypatch.setenv("SBD_SMTP_PASSWORD", "pw")
    monkeypatch.setenv("SBD_BASE_URL", "https://sbd.example.go.jp/")
    found = settings.from_environment()
    assert (found["SMTP_HOST"], found["SMTP_PORT"], found["SMTP_STARTTLS"], found["BASE_URL"]) == (
        "mail.example.go.jp",
        587,
        True,
        "https://sbd.example.go.jp",
    )
    monkeypatch.setenv("SBD_SMTP_PORT", "70000")
    with pytest.raises(ConfigError, match="SBD_SMTP_PORT"):
        settings.from_environment()


def test_migration_0009_goes_down_and_up(database_url: str) -> None:
    app = make_app(database_url)
    engine = app.extensions["sbd"]["engine"]
    try:
        command.downgrade(_alembic_config(engine), "0008")
        command.upgrade(_alembic_config(engine), "head")
        with app.extensions["sbd"]["sessions"]() as session:
            assert session.scalar(select(func.count()).select_from(Notification)) == 0
    finally:
        engine.dispose()
