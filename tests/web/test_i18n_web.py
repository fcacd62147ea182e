"""English labels through the test client: the language switch, English pages, Japanese by default."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sbd_tool.content import load_catalogue
from sbd_tool.web.i18n import COOKIE
from tests.accounts import add_user, login
from tests.conftest import CONTENT
from tests.web.test_review import adviser, decide, import_example, submit  # noqa: F401 - fixture
from tests.web.test_shares import create_link
from tests.web.test_wizard import Controls, save

CATALOGUE = load_catalogue(CONTENT)
__all__ = ["adviser"]


def english(client: FlaskClient) -> FlaskClient:
    response = client.get("/lang/en?next=/")
    assert response.status_code == 302
    return client


def sample(client: FlaskClient, name: str = "cloud-interagency") -> int:
    response = client.post(f"/projects/sample/{name}")
    assert response.status_code == 302
    return int(response.headers["Location"].split("/")[2])


def h1(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert match, page[:2000]
    return match.group(1).strip()


def test_the_switch_sets_the_cookie_and_goes_back(anonymous: FlaskClient) -> None:
    response = anonymous.get("/lang/en?next=/login%3Fnext%3D/projects/1/steps/purpose")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/projects/1/steps/purpose"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=en;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = anonymous.get("/login").data.decode()
    assert '<html lang="en">' in page and h1(page) == "Sign in" and "User name" in page
    back = anonymous.get("/lang/ja?next=/login")
    assert back.headers["Location"] == "/login" and back.headers["Set-Cookie"].startswith(f"{COOKIE}=ja;")
    page = anonymous.get("/login").data.decode()
    assert '<html lang="ja">' in page and h1(page) == "サインイン"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "http:/evil", "javascript:alert(1)", ""]
)
def test_the_switch_only_goes_back_to_this_site(anonymous: FlaskClient, target: str) -> None:
    response = anonymous.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_unknown_languages_are_not_found(anonymous: FlaskClient) -> None:
    response = anonymous.get("/lang/fr?next=/")
    assert response.status_code == 404 and "Set-Cookie" not in response.headers


def test_japanese_is_the_default_and_unchanged(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert '<html lang="ja">' in page and h1(page) == "案件一覧"
    assert '<a class="lang-switch" href="/lang/en?next=/" lang="en" hreflang="en">English</a>' in page
    assert "サンプルから作成" in page and "Projects" not in page
    pid = sample(client)
    decisions = client.get(f"/projects/{pid}/steps/decisions").data.decode()
    assert h1(decisions) == "手順6　対策要件の決定"
    req = CATALOGUE.requirements["AC-1"].requirement
    assert f"AC-1 {req.name} <span" in decisions and req.name_en not in decisions
    assert '<option selected value="low">低位</option>' in decisions or ">低位</option>" in decisions
    assert "保存して次の手順へ" in decisions and "Step 6" not in decisions


def test_english_pages(client: FlaskClient) -> None:
    english(client)
    page = client.get("/").data.decode()
    assert '<html lang="en">' in page and h1(page) == "Projects"
    assert '<a class="lang-switch" href="/lang/ja?next=/" lang="ja" hreflang="ja">日本語</a>' in page
    assert ">Create from a sample</h2>" in page and ">Inter-ministry system on a cloud service</button>" in page
    assert "(Procurement officer, テスト省)" in page, "role in English, the organisation's own name as it is"
    assert "Vary" in client.get("/").headers and "Cookie" in client.get("/").headers["Vary"]
    pid = sample(client)
    decisions = client.get(f"/projects/{pid}/steps/decisions").data.decode()
    assert h1(decisions) == "Step 6: Deciding the requirement levels"
    for step in CATALOGUE.steps.steps:
        assert f'<span class="t">{step.title_en}</span>' in decisions
    for requirement_id in ("AC-1", "AU-1", "PH-1"):
        req = CATALOGUE.requirements[requirement_id].requirement
        assert f"{requirement_id} {req.name_en} <span" in decisions
    assert ">Shared responsibility on the cloud service</h2>" in decisions
    assert ">Decided level<span" in decisions and ">Low</option>" in decisions and ">低位<" not in decisions
    assert ">Contractor</option>" in decisions, "party names in English"
    assert "Save and go to the next step" in decisions and "Save and go to the previous step" in decisions
    assert "Proposed: " in decisions
    conditions = client.get(f"/projects/{pid}/steps/conditions").data.decode()
    assert h1(conditions) == "Step 5: Judgment conditions"
    assert CATALOGUE.conditions_list[0].label_en in conditions and ">Judgment condition</th>" in conditions
    whatif = client.get(f"/projects/{pid}/what-if").data.decode()
    assert h1(whatif) == "What if an answer changed" and "Back to step 6" in whatif
    assert f"AC-1 {CATALOGUE.requirements['AC-1'].requirement.name_en} <span" in whatif
    history = client.get(f"/projects/{pid}/history").data.decode()
    assert h1(history).startswith("History: ") and ">Revision 1" in history and "Created or imported" in history
    missing = client.get("/projects/999999/steps/purpose")
    assert missing.status_code == 404 and h1(missing.data.decode()) == "Not found"
    assert '/lang/ja"' in missing.data.decode(), "an error page does not echo the address asked for"


def test_english_keeps_user_text_escaped(client: FlaskClient) -> None:
    english(client)
    response = client.post("/projects", data={"name": "<script>x</script>"})
    pid = int(response.headers["Location"].split("/")[2])
    page = client.get(f"/projects/{pid}/delete").data.decode()
    assert h1(page) == "Delete the project “&lt;script&gt;x&lt;/script&gt;”?"
    assert "<script>x" not in page


def test_english_review_and_bidder_pages(
    app: Flask,
    client: FlaskClient,
    adviser: FlaskClient,  # noqa: F811
) -> None:
    pid = import_example(client)
    submit(client, app, pid)
    decide(adviser, pid, "approve")
    url = create_link(client, pid)
    english(adviser)
    review = adviser.get(f"/projects/{pid}/review").data.decode()
    assert h1(review).startswith("Review: ") and ">The request</h2>" in review and "Status: " in review
    bidder = app.test_client()  # a vendor, not signed in, reading in English
    bidder.get(f"/lang/en?next={url}")
    page = bidder.get(url).data.decode()
    assert '<html lang="en">' in page and "Revision 1 (approved)" in page
    assert ">Requirements at a glance</h2>" in page and ">Why this level</h3>" in page
    req = CATALOGUE.requirements["AT-1"].requirement
    assert re.search(rf'<h2 id="req-AT-1-h">AT-1 {re.escape(req.name_en)}: (Low|Middle|High|Not applicable)</h2>', page)
    assert '<ol class="clauses numbered" lang="ja">' in page, "the spec's clauses stay Japanese, and say so"
    assert "<dt>Threats considered</dt>" in page


def signed_in(app: Flask, username: str, role: str, org: str | None = "テスト省") -> FlaskClient:
    add_user(app, username, role=role, org=org)
    client = app.test_client()
    login(client, username)
    return client


def japanese(client: FlaskClient) -> FlaskClient:
    assert client.get("/lang/ja?next=/").status_code == 302
    return client


def test_english_course_pages(app: Flask) -> None:
    trainer = english(signed_in(app, "trainer", "trainer"))
    index = trainer.get("/courses").data.decode()
    assert '<html lang="en">' in index and h1(index) == "Training"
    assert ">Create a training course</h2>" in index and "Course name" in index and ">Create</button>" in index
    invalid = trainer.post("/courses", data={"name": ""}).data.decode()
    assert "Enter the course name." in invalid and "研修の名称" not in invalid
    created = trainer.post("/courses", data={"name": "SBD入門"})
    url = created.headers["Location"]
    trainer.post(f"{url}/samples", data={"sample": "shipped:citizen-portal"})
    page = trainer.get(url).data.decode()
    assert '<html lang="en">' in page and h1(page) == "Training: SBD入門", "the course's own name as it is"
    assert ">Sample projects</h2>" in page and "Start practising" in page and ">Add to the samples</button>" in page
    assert ">Online application portal for citizens (sensitive personal data, internet)</option>" in page
    closed = trainer.post(f"{url}/close", follow_redirects=True).data.decode()
    assert "The course has been closed." in closed and "This course is closed." in closed, "a fixed message"
    page = japanese(trainer).get(url).data.decode()
    assert '<html lang="ja">' in page and h1(page) == "研修：SBD入門"
    assert ">サンプル案件</h2>" in page and "サンプルから外す" in page and "研修を再開する" in page
    assert "Sample projects" not in page and "Training" not in page


def test_english_catalogue_admin_page(app: Flask) -> None:
    admin = english(signed_in(app, "root", "admin", org=None))
    page = admin.get("/admin/catalogue").data.decode()
    assert '<html lang="en">' in page and h1(page) == "Requirement set"
    assert "Current version: " in page and ">Versions</h2>" in page and ">Version</th>" in page
    assert ">Shipped</td>" in page and ">Active</td>" in page and "Requirement set zip file" in page
    assert "<code>sbd-tool check-content</code>" in page and ">Check and import</button>" in page
    page = japanese(admin).get("/admin/catalogue").data.decode()
    assert '<html lang="ja">' in page and h1(page) == "対策要件集"
    assert "現在の版：" in page and ">版</th>" in page and ">同梱</td>" in page and "検査して取り込む" in page
    assert "Current version" not in page


def test_english_share_links_page(client: FlaskClient) -> None:
    pid = import_example(client)
    url = create_link(client, pid)
    english(client)
    page = client.get(f"/projects/{pid}/shares").data.decode()
    assert '<html lang="en">' in page and h1(page) == "Sharing with bidders"
    assert ">Create a share link</h2>" in page and "Shared with (a company name" in page and "Valid for (days)" in page
    assert ">Share links</h2>" in page and ">株式会社テスト</th>" in page and ">Active</td>" in page
    assert ">Access log</h2>" in page and "No access yet." in page
    link_id = re.search(r"/shares/(\d+)/revoke", page).group(1)  # type: ignore[union-attr]  # ids differ per database
    revoked = client.post(f"/projects/{pid}/shares/{link_id}/revoke", follow_redirects=True).data.decode()
    assert "Revoked the share link for “株式会社テスト”." in revoked, "a message with a value, in English"
    assert ">Revoked</td>" in revoked
    client.get(url)
    page = japanese(client).get(f"/projects/{pid}/shares").data.decode()
    assert '<html lang="ja">' in page and h1(page) == "入札者への共有"
    assert ">共有リンクを作成</h2>" in page and ">取消し済み</td>" in page and "拒否（取消し済み）" in page
    assert "Share links" not in page


def test_english_revision_compare_page(client: FlaskClient) -> None:
    pid = import_example(client)
    form = Controls(client.get(f"/projects/{pid}/steps/questions").data.decode())
    data = {name: values for name, values in form.checked.items()}
    data.update(form.selected)
    data["network"] = ["closed"]
    assert save(client, pid, "questions", data).status_code == 302
    english(client)
    page = client.get(f"/projects/{pid}/history/compare?a=1&b=2").data.decode()
    assert '<html lang="en">' in page and h1(page) == "Revisions 1 and 2 compared"
    assert re.search(r">Changes in levels \(\d+\)</h2>", page) and ">Changes in answers (" in page
    assert ">Proposed (before → after)</th>" in page and '<tbody lang="ja">' in page, "the engine's text is Japanese"
    same = client.get(f"/projects/{pid}/history/compare?a=2&b=2").data.decode()
    assert "There are no differences between the two revisions." in same
    page = japanese(client).get(f"/projects/{pid}/history/compare?a=1&b=2").data.decode()
    assert '<html lang="ja">' in page and h1(page) == "第1版と第2版の比較"
    assert "実装レベルの変化" in page and "判断条件の変化" in page and "<tbody>" in page
    assert "Changes in levels" not in page


def test_messages_are_translated_where_they_are_written(client: FlaskClient) -> None:
    """Flash messages carry their values as placeholders: the English keeps the value, escaped;
    a form's lazy messages and the error pages follow the language too."""
    english(client)
    response = client.post("/projects", data={"name": "<b>補助金</b>"})
    pid = int(response.headers["Location"].split("/")[2])
    page = client.post(f"/projects/{pid}/duplicate", follow_redirects=True).data.decode()
    assert "Duplicated “&lt;b&gt;補助金&lt;/b&gt;”." in page and "<b>補助金" not in page
    page = client.post("/projects", data={"name": ""}).data.decode()
    assert "System name" in page and "を入力してください" not in page
    page = client.get("/projects/999999/step/purpose").data.decode()
    assert h1(page) == "Not found" and "does not exist, or you do not have permission" in page
    japanese(client)
    page = client.post(f"/projects/{pid}/duplicate", follow_redirects=True).data.decode()
    assert "「&lt;b&gt;補助金&lt;/b&gt;」を複製しました。" in page
    page = client.get("/projects/999999/step/purpose").data.decode()
    assert h1(page) == "見つかりません"
    english(client)
    page = client.post(f"/projects/{pid}/delete", follow_redirects=True).data.decode()
    assert "Deleted “&lt;b&gt;補助金&lt;/b&gt;”. You can restore it" in page


def test_step_6_errors_name_levels_in_english(client: FlaskClient) -> None:
    english(client)
    pid = sample(client)
    page = client.get(f"/projects/{pid}/steps/decisions").data.decode()
    form = {name: value for name, value in Controls(page).selected.items() if name.startswith(("level_", "party_"))}
    assert form["level_AT-1"] == "middle"  # the sample keeps the proposed level
    bad = save(client, pid, "decisions", {**form, "level_AT-1": "low"})
    assert bad.status_code == 400
    assert "Please give the reason for choosing Low, lower than the proposed Middle." in bad.data.decode()
