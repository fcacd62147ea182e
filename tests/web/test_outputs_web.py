"""Step 7's three outputs, their download names, the chapter setting and the bidder page's cloud
chapter (issue 15)."""

from __future__ import annotations

import io
from urllib.parse import quote

import docx
import yaml
from flask import Flask
from flask.testing import FlaskClient

from tests.web.test_review import import_example
from tests.web.test_shares import create_link
from tests.web.test_wizard import save


def headings(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]


def test_step7_offers_the_three_outputs_named_after_the_procurement(client: FlaskClient) -> None:
    pid = import_example(client)
    page = client.get(f"/projects/{pid}/steps/output").data.decode()
    for output in ("paste", "approval", "full"):
        assert f"/projects/{pid}/spec.docx?output={output}" in page
    expected = {
        "paste": ("情報セキュリティに関する事項", "情報セキュリティ要件", "security"),
        "approval": ("対象業務", "閲覧資料", "viewing"),
        "full": ("調達案件の概要", "仕様書一式", "spec"),
    }
    for output, (first, what, ascii_kind) in expected.items():
        response = client.get(f"/projects/{pid}/spec.docx?output={output}")
        assert response.status_code == 200 and headings(response.data)[0] == first
        name = f"補助金電子申請ポータル_{what}_第1版.docx"
        disposition = response.headers["Content-Disposition"]
        assert disposition == (
            f"attachment; filename=\"sbd-{ascii_kind}-{pid}-r1.docx\"; filename*=UTF-8''{quote(name, safe='')}"
        )
    assert headings(client.get(f"/projects/{pid}/spec.docx").data)[0] == "調達案件の概要"  # the default
    assert client.get(f"/projects/{pid}/spec.docx?output=other").status_code == 404
    md = client.get(f"/projects/{pid}/spec.md?output=paste")
    assert md.data.decode().startswith("## 1. 情報セキュリティに関する事項")
    assert quote("補助金電子申請ポータル_情報セキュリティ要件_第1版.md", safe="") in md.headers["Content-Disposition"]
    html = client.get(f"/projects/{pid}/spec.html?output=approval").data.decode()
    assert "<h2>5. 実装レベルの決定</h2>" in html
    matrix = client.get(f"/projects/{pid}/compliance.xlsx")
    assert quote("補助金電子申請ポータル_対応表_第1版.xlsx", safe="") in matrix.headers["Content-Disposition"]


def test_the_chapter_number_of_the_section_to_paste_is_a_setting(client: FlaskClient) -> None:
    pid = import_example(client, "internal-small")
    base = {"title": "", "date": "2026-11-24"}
    refused = save(client, pid, "output", {**base, "start_chapter": "100"})
    assert refused.status_code == 400 and "章番号は1から99までの数字で入力してください。" in refused.data.decode()
    assert save(client, pid, "output", {**base, "start_chapter": "７", "training_appendix": "y"}).status_code == 302
    document = yaml.safe_load(client.get(f"/projects/{pid}/export").data)["document"]
    assert document["start_chapter"] == 7 and document["training_appendix"] is True
    assert 'value="7"' in client.get(f"/projects/{pid}/steps/output").data.decode()
    md = client.get(f"/projects/{pid}/spec.md?output=paste").data.decode()
    assert md.startswith("## 7. 情報セキュリティに関する事項")
    assert save(client, pid, "output", base).status_code == 302  # blank: back to 1
    assert "start_chapter" not in (yaml.safe_load(client.get(f"/projects/{pid}/export").data).get("document") or {})


def test_the_bidder_page_carries_the_cloud_chapter_numbered_as_the_spec(app: Flask, client: FlaskClient) -> None:
    pid = import_example(client, "cloud-interagency")
    url = create_link(client, pid)
    bidder = app.test_client()
    page = bidder.get(url).data.decode()
    assert "クラウドサービス利用時の要件" in page and "CL-1-ア" in page and "AT-1-ア" in page
    assert "クラウドサービスの選定（CL-1）" in page
    matrix = bidder.get(url + "/compliance.xlsx")
    assert quote("行政機関間情報連携基盤_対応表_第1版.xlsx", safe="") in matrix.headers["Content-Disposition"]
