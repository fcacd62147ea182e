"""Revisions, review, comments, approval, audit — through the test client, on both databases."""

from __future__ import annotations

import csv
import io
import re
import threading
from urllib.parse import unquote

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from sbd_tool.storage.models import AuditEvent, Project, Review
from tests.accounts import add_user, login
from tests.conftest import ROOT
from tests.web.test_wizard import Controls, save


@pytest.fixture
def adviser(app: Flask) -> FlaskClient:
    add_user(app, "adviser", role="adviser", display_name="相談 花子")
    client = app.test_client()
    login(client, "adviser")
    return client


def import_example(client: FlaskClient, name: str = "citizen-portal") -> int:
    data = (ROOT / "examples" / f"{name}.yaml").read_bytes()
    response = client.post("/projects/import", data={"file": (io.BytesIO(data), f"{name}.yaml")})
    assert response.status_code == 302, response.data.decode()[:3000]
    return int(response.headers["Location"].split("/")[2])


def adviser_id(app: Flask) -> int:
    with app.extensions["sbd"]["sessions"]() as session:
        return session.scalars(select(Review.adviser_id)).first() or 0


def submit(client: FlaskClient, app: Flask, pid: int) -> None:
    page = client.get(f"/projects/{pid}/submit").data.decode()
    match = re.search(r'<option value="(\d+)">相談 花子', page)
    assert match, page
    response = client.post(f"/projects/{pid}/submit", data={"adviser": match.group(1), "message": "ご確認ください。"})
    assert response.status_code == 302


def decide(client: FlaskClient, pid: int, action: str, note: str = "") -> str:
    page = client.get(f"/projects/{pid}/review").data.decode()
    review_id = re.search(r"/reviews/(\d+)/decide", page)
    shown = re.search(r'name="revision" value="(\d+)"', page)
    assert review_id and shown, "the adviser sees the decision form"
    response = client.post(
        f"/projects/{pid}/reviews/{review_id.group(1)}/decide",
        data={"action": action, "revision": shown.group(1), "note": note},
        follow_redirects=True,
    )
    return response.data.decode()


def audit_actions(app: Flask) -> list[str]:
    with app.extensions["sbd"]["sessions"]() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_review_flow_end_to_end(app: Flask, client: FlaskClient, adviser: FlaskClient) -> None:
    """Officer submits → adviser comments and returns → officer fixes → adviser approves → approved .docx."""
    pid = import_example(client)
    assert adviser.get(f"/projects/{pid}/review").status_code == 404, "not shared yet"
    submit(client, app, pid)
    home = adviser.get("/").data.decode()
    assert "レビュー依頼" in home and f"/projects/{pid}/review" in home
    page = adviser.get(f"/projects/{pid}/review").data.decode()
    assert "第1版" in page and "ご確認ください。" in page and "AT-1" in page
    assert adviser.get(f"/projects/{pid}/steps/decisions").status_code == 403, "advisers cannot edit answers"
    # A comment on one requirement, then a return with a note.
    adviser.post(
        f"/projects/{pid}/comments", data={"body": "AT-1 を引き上げる理由を書いてください。", "requirement": "AT-1"}
    )
    returned = decide(adviser, pid, "return", "AT-1 の理由が不足しています。")
    assert "第1版を差し戻しました。" in returned
    # The officer sees the open comment next to the requirement in step 6 and fixes it.
    step6 = client.get(f"/projects/{pid}/steps/decisions").data.decode()
    assert "未解決のコメント" in step6 and "AT-1 を引き上げる理由を書いてください。" in step6
    assert "差し戻されました" in step6
    form = Controls(step6).values
    assert (
        save(client, pid, "decisions", {**form, "level_AT-1": "high", "reason_AT-1": "外部公開のため。"}).status_code
        == 302
    )
    comment_id = re.search(r"/comments/(\d+)/resolve", client.get(f"/projects/{pid}/review").data.decode())
    assert comment_id
    client.post(f"/projects/{pid}/comments/{comment_id.group(1)}/resolve")
    assert "未解決のコメント" not in client.get(f"/projects/{pid}/steps/decisions").data.decode()
    submit(client, app, pid)
    approved = decide(adviser, pid, "approve")
    assert "第2版を承認しました。" in approved
    # The approved document says who approved which revision when.
    status = client.get(f"/projects/{pid}/steps/output").data.decode()
    assert "相談 花子 さんが承認済みです" in status
    response = client.get(f"/projects/{pid}/revisions/2/spec.docx")
    assert response.status_code == 200  # named as step 7 names it: the procurement, the output, the revision
    assert unquote(response.headers["Content-Disposition"]).endswith("_仕様書一式_第2版.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs)
    assert re.search(r"承認：本書（第2版）は、令和\d+年\d+月\d+日、相談 花子（テスト省）が承認した。", text)
    # Editing after approval makes a new draft revision that the approval does not cover.
    form = Controls(client.get(f"/projects/{pid}/steps/decisions").data.decode()).values
    save(client, pid, "decisions", {**form, "reason_AT-1": "外部公開のため（修正）。"})
    status = client.get(f"/projects/{pid}/steps/output").data.decode()
    assert "現在の版は承認されていません" in status and "第3版" in status
    actions = audit_actions(app)
    for action in (
        "project_import",
        "review_submit",
        "comment",
        "review_return",
        "revision",
        "review_approve",
        "export",
    ):
        assert action in actions


def test_history_lists_revisions_and_compares_them(app: Flask, client: FlaskClient) -> None:
    pid = import_example(client)
    page = client.get(f"/projects/{pid}/steps/questions").data.decode()
    form = Controls(page)
    data = {name: values for name, values in form.checked.items()}
    data.update(form.selected)
    data["network"] = ["closed"]
    assert save(client, pid, "questions", data).status_code == 302
    history = client.get(f"/projects/{pid}/history").data.decode()
    assert "第1版" in history and "第2版（現在）" in history and "officer 職員" in history
    diff = client.get(f"/projects/{pid}/history/compare?a=1&b=2").data.decode()
    assert "外部" in diff and "実装レベルの変化" in diff and "判断条件の変化" in diff
    same = client.get(f"/projects/{pid}/history/compare?a=2&b=2").data.decode()
    assert "違いはありません" in same
    assert client.get(f"/projects/{pid}/history/compare?a=1&b=99").status_code == 404
    assert client.get(f"/projects/{pid}/history/compare?a=x&b=1").status_code == 400


def test_an_approval_applies_only_to_the_revision_shown(app: Flask, client: FlaskClient, adviser: FlaskClient) -> None:
    """The adviser's page shows revision 1; the officer resubmits revision 2 meanwhile: the old form is refused."""
    pid = import_example(client)
    submit(client, app, pid)
    page = adviser.get(f"/projects/{pid}/review").data.decode()
    old_review = re.search(r"/reviews/(\d+)/decide", page).group(1)  # type: ignore[union-attr]
    form = Controls(client.get(f"/projects/{pid}/steps/decisions").data.decode()).values
    save(client, pid, "decisions", {**form, "reason_AT-1": "補足。"})
    submit(client, app, pid)
    stale = adviser.post(
        f"/projects/{pid}/reviews/{old_review}/decide",
        data={"action": "approve", "revision": "1"},
        follow_redirects=True,
    )
    assert "既に決定されたか、再依頼により別の版に替わっています" in stale.data.decode()
    with app.extensions["sbd"]["sessions"]() as session:
        statuses = dict(session.execute(select(Review.revision_number, Review.status)).all())
    assert statuses == {1: "superseded", 2: "pending"}


def test_simultaneous_approvals_decide_once(app: Flask, client: FlaskClient) -> None:
    add_user(app, "adviser", role="adviser", display_name="相談 花子")
    pid = import_example(client)
    submit(client, app, pid)
    tabs = []
    for _ in range(4):
        tab = app.test_client()
        login(tab, "adviser")
        tabs.append(tab)
    page = tabs[0].get(f"/projects/{pid}/review").data.decode()
    review_id = re.search(r"/reviews/(\d+)/decide", page).group(1)  # type: ignore[union-attr]
    results: list[int] = []
    barrier = threading.Barrier(len(tabs))

    def approve(tab: FlaskClient) -> None:
        barrier.wait()
        tab.post(f"/projects/{pid}/reviews/{review_id}/decide", data={"action": "approve", "revision": "1"})
        results.append(1)

    threads = [threading.Thread(target=approve, args=(tab,)) for tab in tabs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert audit_actions(app).count("review_approve") == 1


def test_two_saves_from_the_same_version_never_both_land(app: Flask, client: FlaskClient) -> None:
    """The version counter in the UPDATE: the second writer gets StaleDataError, not a lost update."""
    pid = import_example(client)
    sessions = app.extensions["sbd"]["sessions"]
    with sessions() as first, sessions() as second:
        a, b = first.get(Project, pid), second.get(Project, pid)
        assert a is not None and b is not None
        a.name, a.version = "先に保存", a.version + 1
        b.name, b.version = "後から保存", b.version + 1
        first.commit()
        with pytest.raises(StaleDataError):
            second.commit()
    with sessions() as session:
        assert session.get(Project, pid).name == "先に保存"  # type: ignore[union-attr]


def test_audit_log_page_and_csv(app: Flask, client: FlaskClient) -> None:
    add_user(app, "root", role="admin", org=None)
    admin = app.test_client()
    client.post("/login", data={"username": "officer", "password": "wrong password!"})
    login(admin, "root")
    import_example(client)
    page = admin.get("/admin/audit").data.decode()
    assert "サインイン失敗" in page and "案件取込み" in page
    filtered = admin.get("/admin/audit?action=login_failed").data.decode()
    assert "サインイン失敗" in filtered and "案件取込み</td>" not in filtered
    response = admin.get("/admin/audit.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "日時(UTC)", "利用者", "操作"]
    assert any(r[3] == "login_failed" and r[2] == "officer" for r in rows[1:])
    assert "admin_audit_export" in audit_actions(app)
