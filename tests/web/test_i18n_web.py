"""English labels through the test client: the language switch, English pages, Japanese by default."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sbd_tool.content import load_catalogue
from sbd_tool.web.i18n import COOKIE
from tests.conftest import CONTENT
from tests.web.test_review import adviser, decide, import_example, submit  # noqa: F401 - fixture
from tests.web.test_shares import create_link

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
    assert '<ol class="clauses" lang="ja">' in page, "the spec's clauses stay Japanese, and say so"
    assert "<dt>Threats considered</dt>" in page
