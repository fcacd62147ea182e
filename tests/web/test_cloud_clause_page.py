"""Step 6's clause page for a cloud-chapter topic (``cloud.exit``): reword a cloud clause with a reason,
the spec, the review and a catalogue update show it; drafts and conflicts as on a requirement's page."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.web.test_clause_page import _form
from tests.web.test_review import import_example
from tests.web.test_versions import export

KEY = "cloud.exit.2"
TEXT = "契約終了時には、データの項目の定義と抽出の手順を{data_return_deadline}までに発注者に提供すること。"
PRINTED = "契約終了時には、データの項目の定義と抽出の手順を"
URL = "/projects/{pid}/steps/decisions/cloud.exit/clauses"


def _page(client: FlaskClient, pid: int) -> tuple[str, dict[str, str], str]:
    response = client.get(URL.format(pid=pid))
    assert response.status_code == 200
    page = response.data.decode()
    rows = dict(re.findall(r'id="clause-(c\d+)-h">[^<]*<span class="key">([^<]+)</span>', page))
    row = next(r for r, key in rows.items() if key == KEY)
    return page, _form(page), row


def test_step_6_links_each_printed_cloud_topic_to_its_clause_page(client: FlaskClient) -> None:
    pid = import_example(client, "cloud-interagency")
    page = client.get(f"/projects/{pid}/steps/decisions").data.decode()
    assert f'href="{URL.format(pid=pid)}"' in page and 'id="topic-cloud.exit"' in page
    assert "CL-4" in page and "（CL-4 契約終了時のデータの扱い）" in page  # the link says which topic


def test_a_cloud_clause_is_reworded_with_a_reason_and_printed_in_the_cloud_chapter(client: FlaskClient) -> None:
    pid = import_example(client, "cloud-interagency")
    page, data, row = _page(client, pid)
    assert "CL-4 契約終了時のデータの扱い の条項の編集" in page and "CL-4-イ" in page
    assert 'name="text_new"' not in page  # a cloud topic takes no added clause
    catalogue_text = data[f"text_{row}"]
    response = client.post(URL.format(pid=pid), data=data | {f"text_{row}": TEXT, "action": "save"})
    assert response.status_code == 400
    page = response.data.decode()
    error = re.search(rf'<p class="error" id="reason_{row}-error">(.*?)</p>', page)
    assert error and "条項の文言を変更する理由を入力してください" in error.group(1)
    assert f'aria-describedby="reason_{row}-error"' in page and TEXT in page  # nothing typed is lost
    assert "tailoring" not in export(client, pid)
    response = client.post(
        URL.format(pid=pid),
        data=data | {f"text_{row}": TEXT, f"reason_{row}": "契約書に合わせるため。", "action": "back"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#topic-cloud.exit")
    assert export(client, pid)["tailoring"] == {
        KEY: {"text": TEXT, "reason": "契約書に合わせるため。", "catalogue_text": catalogue_text}
    }
    assert "変更 1件" in client.get(f"/projects/{pid}/steps/decisions").data.decode()
    preview = client.get(f"/projects/{pid}/revisions/2/spec.html?output=paste").data.decode()
    assert PRINTED in preview and "{data_return_deadline}" not in preview
    approval = client.get(f"/projects/{pid}/revisions/2/spec.html?output=approval").data.decode()
    assert "CL-4-イ" in approval and "契約書に合わせるため。" in approval
    review = client.get(f"/projects/{pid}/review").data.decode()
    assert '<a href="#req-cloud.exit">' in review
    changes = review[review.index('id="req-cloud.exit"') :]
    assert "CL-4 契約終了時のデータの扱い" in changes and "CL-4-イ" in changes and "契約書に合わせるため。" in changes
    assert "<ins>" in changes and "<del>" in changes


def test_a_cloud_page_keeps_drafts_and_refuses_a_stale_save(client: FlaskClient) -> None:
    pid = import_example(client, "cloud-interagency")
    _, stale, row = _page(client, pid)
    draft = stale | {f"text_{row}": TEXT, f"reason_{row}": "下書き"}
    assert client.post(URL.format(pid=pid) + "/draft", data=draft).status_code == 204
    page, restored, _ = _page(client, pid)
    assert "下書き）を復元しました" in page and restored[f"reason_{row}"] == "下書き"
    assert client.post(URL.format(pid=pid) + "/draft/discard").status_code == 302
    _, data, _ = _page(client, pid)
    assert (
        client.post(URL.format(pid=pid), data=data | {f"text_{row}": "先の文言。", f"reason_{row}": "先"}).status_code
        == 302
    )
    response = client.post(URL.format(pid=pid), data=stale | {f"text_{row}": TEXT, f"reason_{row}": "後"})
    assert response.status_code == 409 and TEXT in response.data.decode()


def test_unknown_topics_and_non_cloud_procurements_have_no_cloud_page(client: FlaskClient) -> None:
    pid = import_example(client, "cloud-interagency")
    assert client.get(f"/projects/{pid}/steps/decisions/cloud.nope/clauses").status_code == 404
    other = import_example(client)  # citizen-portal: on premises, no cloud chapter
    assert client.get(URL.format(pid=other)).status_code == 404
    assert "topic-cloud." not in client.get(f"/projects/{other}/steps/decisions").data.decode()
