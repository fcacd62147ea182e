"""Bidder links: contents, no internal data, expiry, revocation, tampering, access log."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from sbd_tool.storage.models import AuditEvent, ShareAccess, ShareLink
from tests.web.test_review import adviser, decide, import_example, submit  # noqa: F401 - fixture

__all__ = ["adviser"]


def create_link(client: FlaskClient, pid: int, label: str = "株式会社テスト", days: str = "14") -> str:
    created = client.post(f"/projects/{pid}/shares", data={"label": label, "days": days})
    assert created.status_code == 302
    page = client.get(created.headers["Location"]).data.decode()
    assert 'id="new-link"' not in client.get(created.headers["Location"]).data.decode(), "shown once"
    match = re.search(r'id="new-link" type="text" readonly value="([^"]+)"', page)
    assert match, page[-3000:]
    return match.group(1).replace("http://localhost", "")


def test_bidder_view_shows_the_rationale_and_nothing_internal(
    app: Flask,
    client: FlaskClient,
    adviser: FlaskClient,  # noqa: F811
) -> None:
    pid = import_example(client)
    adviser_comment = "内部メモ：予算の都合で見直し"
    submit(client, app, pid)
    adviser.post(f"/projects/{pid}/comments", data={"body": adviser_comment, "requirement": "AT-1"})
    decide(adviser, pid, "approve")
    url = create_link(client, pid)
    bidder = app.test_client()  # nobody signed in
    response = bidder.get(url)
    page = response.data.decode()
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer" and "noindex" in response.headers["X-Robots-Tag"]
    assert "第1版（承認済み）" in page
    for expected in ("AT-1", "仕様書の記載", "このレベルとした理由", "対策の提案例", "提出を求める証跡", "AT-1-ア"):
        assert expected in page
    assert "判断条件" in page, "why, with the conditions in sentences"
    for internal in (adviser_comment, "監査ログ", "コメント", "サインアウト", "/projects/", "相談 花子"):
        assert internal not in page
    workbook = openpyxl.load_workbook(io.BytesIO(bidder.get(url + "/compliance.xlsx").data))
    assert workbook.active.max_row > 10
    # The officer sees each use in the log.
    shares = client.get(f"/projects/{pid}/shares").data.decode()
    assert "株式会社テスト" in shares and "ページの閲覧（第1版）" in shares and "対応表のダウンロード" in shares
    with app.extensions["sbd"]["sessions"]() as session:
        assert session.scalars(select(AuditEvent.action).where(AuditEvent.action == "bidder_view")).all()


def test_latest_revision_is_shown_until_one_is_approved(client: FlaskClient, app: Flask) -> None:
    pid = import_example(client)
    url = create_link(client, pid)
    page = app.test_client().get(url).data.decode()
    assert "第1版" in page and "承認済み" not in page


def test_revoked_expired_and_forged_links_are_refused(client: FlaskClient, app: Flask) -> None:
    pid = import_example(client)
    url = create_link(client, pid)
    bidder = app.test_client()
    assert bidder.get(url).status_code == 200
    # Tampered: another link id, or a changed signature.
    token = url.rsplit("/", 1)[1]
    assert bidder.get(url[:-2] + ("AA" if not url.endswith("AA") else "BB")).status_code == 404
    assert bidder.get("/bid/not-a-token").status_code == 404
    assert bidder.get(f"/bid/{token}x/compliance.xlsx").status_code == 404
    # Expired.
    with app.extensions["sbd"]["sessions"]() as session:
        session.execute(update(ShareLink).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
        session.commit()
    expired = bidder.get(url)
    assert expired.status_code == 410 and "有効期限が切れています" in expired.data.decode()
    # Revoked (a fresh link, then revoked by the officer).
    second = create_link(client, pid, "別の事業者")
    link_id = max(
        int(i) for i in re.findall(r"/shares/(\d+)/revoke", client.get(f"/projects/{pid}/shares").data.decode())
    )
    assert client.post(f"/projects/{pid}/shares/{link_id}/revoke").status_code == 302
    revoked = bidder.get(second)
    assert revoked.status_code == 410 and "取り消されました" in revoked.data.decode()
    assert bidder.get(second + "/compliance.xlsx").status_code == 410
    with app.extensions["sbd"]["sessions"]() as session:
        refused = session.scalars(select(ShareAccess.what).where(ShareAccess.what.like("refused-%"))).all()
    assert sorted(set(refused)) == ["refused-expired", "refused-revoked"]
    log = client.get(f"/projects/{pid}/shares").data.decode()
    assert "拒否（期限切れ）" in log and "取消し済み" in log


def test_link_form_errors_say_what_to_fix(client: FlaskClient) -> None:
    pid = import_example(client)
    response = client.post(f"/projects/{pid}/shares", data={"label": "", "days": "365"})
    text = response.data.decode()
    assert response.status_code == 400 and "共有先を入力してください。" in text and "1〜90日" in text
