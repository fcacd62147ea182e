"""Step 7 and the review page list the parameters left open; step 7 offers suggested values and
checks each parameter's format; the bidder page marks every clause 必須 or 提案 (issue 15)."""

from __future__ import annotations

import io
import re

import yaml
from flask import Flask
from flask.testing import FlaskClient

from sbd_tool.content import load_catalogue
from tests.conftest import ROOT
from tests.web.test_review import adviser, import_example, submit  # noqa: F401  (fixture)
from tests.web.test_shares import create_link
from tests.web.test_wizard import save


def output_form(client: FlaskClient, pid: int) -> dict[str, str]:
    """Step 7's fields as the page fills them in."""
    page = client.get(f"/projects/{pid}/steps/output").data.decode()
    found = dict(
        re.findall(r'<input[^>]*?name="((?:param_|title|date|start_chapter)[a-z_]*)"[^>]*?value="([^"]*)"', page)
    )
    return {k: v for k, v in found.items() if k != "version"}


def import_without_parameters(client: FlaskClient) -> int:
    data = yaml.safe_load((ROOT / "examples" / "internal-small.yaml").read_text(encoding="utf-8"))
    del data["parameters"]
    body = yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
    response = client.post("/projects/import", data={"file": (io.BytesIO(body), "small.yaml")})
    assert response.status_code == 302, response.data.decode()[:2000]
    return int(response.headers["Location"].split("/")[2])


def test_step7_lists_open_parameters_with_links_to_their_fields(client: FlaskClient) -> None:
    pid = import_example(client)
    page = client.get(f"/projects/{pid}/steps/output").data.decode()
    assert 'id="open-parameters"' not in page  # the example sets every parameter
    fields = output_form(client, pid)
    assert fields["param_log_retention"] == "5年間"
    assert save(client, pid, "output", {**fields, "param_log_retention": ""}).status_code == 302
    page = client.get(f"/projects/{pid}/steps/output").data.decode()
    listed = page[page.index('id="open-parameters"') : page.index("出力する文書")]
    assert (
        '<a href="#param_log_retention"' in listed and "ログの保存期間" in listed and "発注者が指定する期間" in listed
    )
    assert "パスワードの条件" not in listed  # set
    assert 'id="param_log_retention"' in page and 'name="param_log_retention" type="text" value=""' in page
    assert page.index('id="open-parameters"') < page.index("/spec.docx?output=paste")  # before the downloads
    # Left open on purpose: stored blank, printed as the explicit wording, not offered again.
    stored = yaml.safe_load(client.get(f"/projects/{pid}/export").data)["parameters"]
    assert stored["log_retention"] == ""
    assert "発注者が指定する期間" in client.get(f"/projects/{pid}/spec.md?output=paste").data.decode()


def test_step7_offers_suggested_values(client: FlaskClient) -> None:
    pid = import_without_parameters(client)
    catalogue = load_catalogue()
    fields = output_form(client, pid)
    assert fields["param_log_retention"] == catalogue.parameters["log_retention"].suggested == "1年間"
    assert fields["param_recovery_time"] == ""  # implied by the answer to 業務停止の許容時間
    page = client.get(f"/projects/{pid}/steps/output").data.decode()
    assert 'href="#param_log_retention"' in page  # open until saved
    assert save(client, pid, "output", fields).status_code == 302
    page = client.get(f"/projects/{pid}/steps/output").data.decode()
    assert 'id="open-parameters"' not in page
    assert "発注者が指定する" not in client.get(f"/projects/{pid}/spec.md?output=full").data.decode()


def test_step7_checks_each_parameter_format(client: FlaskClient) -> None:
    pid = import_example(client)
    fields = output_form(client, pid)
    refused = save(
        client, pid, "output", {**fields, "param_log_retention": "ずっと", "param_availability_target": "高い"}
    )
    page = refused.data.decode()
    assert refused.status_code == 400
    assert (
        "数と単位（年・か月・週・日・時間）で入力してください" in page
        and "100以下の数と「％」で入力してください" in page
    )
    field = re.search(r'<input[^>]*name="param_log_retention"[^>]*>', page)
    assert field and 'aria-invalid="true"' in field.group(0) and "param_log_retention-error" in field.group(0)
    assert 'value="ずっと"' in page  # nothing typed is lost
    stored = yaml.safe_load(client.get(f"/projects/{pid}/export").data)["parameters"]
    assert stored["log_retention"] == "5年間"


def test_the_review_page_lists_open_parameters(app: Flask, client: FlaskClient, adviser: FlaskClient) -> None:  # noqa: F811
    pid = import_without_parameters(client)
    submit(client, app, pid)
    page = adviser.get(f"/projects/{pid}/review").data.decode()
    listed = page[page.index('id="open-parameters"') :]
    assert "ログの保存期間（発注者が指定する期間）" in listed
    assert page.index('id="open-parameters"') < page.index("output=paste")  # before any download


def test_the_bidder_page_marks_each_clause_and_shows_entry_qualifications(app: Flask, client: FlaskClient) -> None:
    pid = import_example(client)
    page = app.test_client().get(create_link(client, pid)).data.decode()
    items = re.findall(r'<li><span class="rid">([A-Z]{2}-\d+-[ア-ン]+|QL-[ア-ン]+)</span> (【[^】]+】)', page)
    assert items and {mark for _, mark in items} == {"【必須】", "【提案】"}  # AT-4 高位 has a 提案 clause
    assert ("AT-4-ア", "【必須】") in items
    assert items[-1] == ("QL-ア", "【必須】")
    assert 'id="qualifications"' in page and "入札参加資格（情報セキュリティに係るもの）" in page
    assert page.count('<li><span class="rid">') == len(items)  # every clause is marked
