"""The wizard through Flask's test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from typing import Any

import docx
import openpyxl
import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from sbd_tool.answers.read import parse_answers
from sbd_tool.content import load_catalogue
from sbd_tool.engine.rules import evaluate
from sbd_tool.storage.db import make_engine
from sbd_tool.web import NotMigratedError
from tests.accounts import add_user, login
from tests.conftest import CONTENT, ROOT
from tests.web.conftest import make_app

CATALOGUE = load_catalogue(CONTENT)


def version(page: bytes) -> str:
    match = re.search(rb'name="version" type="hidden" value="(\d+)"', page)
    assert match, "the form carries the project version"
    return match.group(1).decode()


class Controls(HTMLParser):
    """A page's form state as a browser sees it: checked values and selected options by field name."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.checked: dict[str, list[str]] = {}
        self.selected: dict[str, str] = {}
        self.texts: dict[str, str] = {}  # textareas
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and "checked" in a:
            self.checked.setdefault(a["name"] or "", []).append(a.get("value") or "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.texts[self._textarea or ""] = ""
        elif tag == "option" and "selected" in a and self._select:
            self.selected[self._select] = a.get("value") or ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.texts[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:  # the renderer starts the content with a newline
                self.texts[self._textarea] = self.texts[self._textarea].removeprefix("\r\n").removeprefix("\n")
            self._textarea = None

    @property
    def values(self) -> dict[str, str]:
        """Selects and textareas: what a form post of a decisions page carries."""
        return {**self.texts, **self.selected}


def new_project(client: FlaskClient, name: str = "テスト申請システム") -> int:
    response = client.post("/projects", data={"name": name})
    assert response.status_code == 302
    return int(response.headers["Location"].split("/")[2])


def step1(name: str = "テスト申請システム", **extra: str) -> dict[str, str]:
    return {
        "name": name,
        "organisation": "テスト省",
        "purpose": "申請をオンライン化する。",
        "effects": "",
        "tasks-0-id": "T1",
        "tasks-0-name": "申請の受付",
        "tasks-0-description": "国民が申請する。",
        "tasks-1-id": "T2",
        "tasks-1-name": "審査",
        "tasks-1-description": "",
        **extra,
    }


def save(client: FlaskClient, pid: int, step: str, data: dict[str, Any], action: str = "save") -> Any:
    page = client.get(f"/projects/{pid}/steps/{step}").data
    return client.post(f"/projects/{pid}/steps/{step}", data={**data, "version": version(page), "action": action})


def test_projects_page_and_creation(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert "まだ案件がありません" in page and "サンプルから作成" in page
    bad = client.post("/projects", data={"name": ""})
    assert bad.status_code == 400 and "情報システムの名称を入力してください。" in bad.data.decode()
    pid = new_project(client)
    listing = client.get("/").data.decode()
    assert "テスト申請システム" in listing and "0/7 手順" in listing
    assert client.get(f"/projects/{pid}/steps/purpose").status_code == 200


def test_step1_saves_with_prg_and_keeps_typed_text_on_errors(client: FlaskClient) -> None:
    pid = new_project(client)
    response = save(client, pid, "purpose", step1(), action="next")
    assert response.status_code == 302 and response.headers["Location"].endswith("/steps/features")
    page = client.get(f"/projects/{pid}/steps/purpose").data.decode()
    assert "保存しました。" in page and "申請の受付" in page and "審査" in page
    bad = save(
        client, pid, "purpose", step1(organisation="", **{"tasks-1-name": "", "tasks-1-description": "内容だけ"})
    )
    text = bad.data.decode()
    assert bad.status_code == 400
    assert "「調達を行う組織」を入力してください。" in text
    assert "業務の名称を入力してください（内容だけの行は保存できません）。" in text
    assert "申請をオンライン化する。" in text and "内容だけ" in text  # typed text kept
    assert 'aria-invalid="true"' in text and 'id="error-summary"' in text


def test_rows_can_be_added_moved_and_removed_without_javascript(client: FlaskClient) -> None:
    pid = new_project(client)
    page = client.get(f"/projects/{pid}/steps/purpose").data
    base = {**step1(), "version": version(page)}

    def act(action: str) -> str:  # each action redirects to the step page, which shows the result (PRG)
        response = client.post(f"/projects/{pid}/steps/purpose", data={**base, "action": action})
        assert response.status_code == 302
        return client.get(f"/projects/{pid}/steps/purpose").data.decode()

    added = act("row:add:tasks")
    assert 'name="tasks-2-name"' in added and 'value="T3"' in added
    moved = act("row:up:tasks:1")
    assert moved.index('value="審査"') < moved.index('value="申請の受付"')
    asked = act("row:remove:tasks:0")  # a task is removed only after a confirmation page (issue 17)
    assert 'value="申請の受付"' in asked
    assert client.post(f"/projects/{pid}/steps/purpose/tasks/0/remove").status_code == 302
    removed = client.get(f"/projects/{pid}/steps/purpose").data.decode()
    assert 'value="申請の受付"' not in removed and 'value="審査"' in removed
    # Row actions never save.
    assert "申請の受付" not in client.get(f"/projects/{pid}/export").data.decode()


def test_new_task_rows_get_a_free_id(client: FlaskClient) -> None:
    """A row added in the browser has no id yet; it must not take the id of a kept or a just-removed task."""
    pid = new_project(client)
    save(client, pid, "purpose", step1())
    data = {
        **step1(),
        "tasks-0-id": "T2",
        "tasks-0-name": "審査",
        "tasks-1-id": "",
        "tasks-1-name": "通知",
        "tasks-2-id": "",
        "tasks-2-name": "公開",
    }
    assert save(client, pid, "purpose", data).status_code == 302
    tasks = yaml.safe_load(client.get(f"/projects/{pid}/export").data)["project"]["tasks"]
    assert [(t["id"], t["name"]) for t in tasks] == [("T2", "審査"), ("T3", "通知"), ("T4", "公開")]


def features(task0_kind: str = "public") -> dict[str, str]:
    return {
        "tasks-0-id": "T1",
        "tasks-0-subjects-0-name": "国民",
        "tasks-0-subjects-0-kind": task0_kind,
        "tasks-0-information-0-name": "申請データ",
        "tasks-0-information-0-confidentiality": "2",
        "tasks-0-information-0-integrity": "2",
        "tasks-0-information-0-availability": "1",
        "tasks-0-information-0-pii": "sensitive",
        "tasks-0-means": "internet",
        "tasks-1-id": "T2",
        "tasks-1-subjects-0-name": "審査職員",
        "tasks-1-subjects-0-kind": "staff",
        "tasks-1-information-0-name": "審査記録",
        "tasks-1-information-0-confidentiality": "2",
        "tasks-1-information-0-integrity": "1",
        "tasks-1-information-0-availability": "1",
        "tasks-1-information-0-pii": "pii",
    }


def test_fixed_questions_are_prefilled_from_the_matrix(client: FlaskClient) -> None:
    pid = new_project(client)
    save(client, pid, "purpose", step1())
    data = {**features(), "tasks-1-means": ["office_lan", "wireless"]}
    assert save(client, pid, "features", data).status_code == 302
    page = client.get(f"/projects/{pid}/steps/questions").data.decode()
    checked = Controls(page).checked
    assert checked["users"] == ["public"]
    assert (
        "業務の特徴からの推定：不特定多数（国民等）（業務の特徴で挙げた主体の種類から推定（業務T1「申請の受付」の主体「国民」））"
        in page
    )
    assert checked["pii"] == ["sensitive"]
    assert "internet" in checked["network"]
    assert checked["wireless"] == ["used"]


def answers_form(**changes: Any) -> dict[str, Any]:
    base = {
        "users": "public",
        "scale": "ge10000",
        "hours": "extended",
        "scope": "internal",
        "confidentiality": "c2",
        "integrity": "i2",
        "availability": "a1",
        "pii": "sensitive",
        "network": ["internet"],
        "places": ["office"],
        "wireless": "not_used",
        "media": "not_used",
        "hosting": "datacenter",
        "outage": "one_day",
        "outsourcing": "outsourced",
        "equipment": "procured",
        "procurement_scope": "build_and_operation",  # the page offers its default checked
    }
    return {**base, **changes}


def test_questions_validation_and_contradiction_warning(client: FlaskClient) -> None:
    pid = new_project(client)
    save(client, pid, "purpose", step1())
    save(client, pid, "features", features())
    bad = save(client, pid, "questions", answers_form(network=["closed", "internet"], scale=""))
    text = bad.data.decode()
    assert bad.status_code == 400
    assert "「なし（閉域）」は他の選択肢と同時に選べません。どちらかを外してください。" in text
    assert "「利用者数の規模は？」の回答を選んでください。" in text
    assert save(client, pid, "questions", answers_form(users="staff")).status_code == 302
    page = client.get(f"/projects/{pid}/steps/questions").data.decode()
    assert (
        "注意：利用者（主体）の範囲は？の回答は「職員のみ」ですが、業務の特徴からは「不特定多数（国民等）」と推定されます"
        in page
    )
    assert "要確認" in page  # step 4 is flagged in the progress bar
    conditions = client.get(f"/projects/{pid}/steps/conditions").data.decode()
    assert (
        "インターネットと接続するか" in conditions
        and "「外部ネットワークとの接続は？（複数選択可）」→「インターネット」" in conditions
    )


def test_lowering_a_level_needs_a_reason_and_is_marked(client: FlaskClient) -> None:
    pid = new_project(client)
    save(client, pid, "purpose", step1())
    save(client, pid, "features", features())
    save(client, pid, "questions", answers_form())
    page = client.get(f"/projects/{pid}/steps/decisions").data.decode()
    levels = {name[len("level_") :]: v for name, v in Controls(page).selected.items() if name.startswith("level_")}
    assert levels["AT-1"] == "high" and len(levels) == len(load_catalogue(CONTENT).requirements)
    form = {f"level_{rid}": lv for rid, lv in levels.items()}
    bad = save(client, pid, "decisions", {**form, "level_AT-1": "low"})
    assert bad.status_code == 400
    assert "提案（高位）より低い低位にする理由を記入してください。" in bad.data.decode()
    ok = save(client, pid, "decisions", {**form, "level_AT-1": "low", "reason_AT-1": "庁内のみで折り返す構成のため"})
    assert ok.status_code == 302
    page = client.get(f"/projects/{pid}/steps/decisions").data.decode()
    assert "提案より引下げ" in page and "低位↓" in page
    exported = yaml.safe_load(client.get(f"/projects/{pid}/export").data)
    assert exported["decisions"] == {"AT-1": {"level": "low", "reason": "庁内のみで折り返す構成のため"}}


def test_a_stale_tab_cannot_overwrite_newer_work(client: FlaskClient) -> None:
    pid = new_project(client)
    stale = version(client.get(f"/projects/{pid}/steps/purpose").data)
    assert save(client, pid, "purpose", step1(name="新しい名称")).status_code == 302
    conflict = client.post(
        f"/projects/{pid}/steps/purpose", data={**step1(name="古いタブの名称"), "version": stale, "action": "save"}
    )
    text = conflict.data.decode()
    assert conflict.status_code == 409
    assert "別の画面（タブ）で先に保存されています" in text and 'value="古いタブの名称"' in text
    assert "新しい名称" in client.get(f"/projects/{pid}/export").data.decode()


def test_drafts_survive_and_can_be_discarded(client: FlaskClient) -> None:
    pid = new_project(client)
    save(client, pid, "purpose", step1())
    page = client.get(f"/projects/{pid}/steps/purpose").data
    draft = {**step1(purpose="まだ保存していない目的"), "version": version(page)}
    assert client.post(f"/projects/{pid}/steps/purpose/draft", data=draft).status_code == 204
    restored = client.get(f"/projects/{pid}/steps/purpose").data.decode()
    assert "下書き）を復元しました" in restored and "まだ保存していない目的" in restored
    client.post(f"/projects/{pid}/steps/purpose/draft/discard")
    again = client.get(f"/projects/{pid}/steps/purpose").data.decode()
    assert "まだ保存していない目的" not in again and "申請をオンライン化する。" in again


def first_project_id(client: FlaskClient) -> int:
    match = re.search(r"/projects/(\d+)/export", client.get("/").data.decode())
    assert match, "a project is listed"
    return int(match.group(1))


def test_sample_export_import_round_trip_is_exact(client: FlaskClient) -> None:
    client.post("/projects/sample/citizen-portal")
    pid = first_project_id(client)
    exported = client.get(f"/projects/{pid}/export").data
    example = yaml.safe_load((ROOT / "examples" / "citizen-portal.yaml").read_text(encoding="utf-8"))
    assert yaml.safe_load(exported) == json.loads(json.dumps(example, default=str))
    imported = client.post("/projects/import", data={"file": (io.BytesIO(exported), "a.yaml")})
    assert imported.status_code == 302
    new_id = int(imported.headers["Location"].split("/")[2])
    assert client.get(f"/projects/{new_id}/export").data == exported


def test_import_rejects_bad_files_whole(client: FlaskClient) -> None:
    bad = yaml.safe_dump(
        {
            "format": "sbd-tool/answers@1",
            "project": {"name": "x"},
            "answers": {"network": ["intranet"], "colour": "red"},
        }
    ).encode()
    response = client.post("/projects/import", data={"file": (io.BytesIO(bad), "bad.yaml")})
    text = response.data.decode()
    assert response.status_code == 400 and "取り込みませんでした" in text
    assert "answers.network[0]: &#39;intranet&#39; は選択肢にありません" in text
    assert "answers.colour: 定義されていない項目です" in text
    assert "まだ案件がありません" in client.get("/").data.decode()


def test_delete_asks_first_and_can_be_undone(client: FlaskClient) -> None:
    pid = new_project(client, "消す案件")
    assert "削除しますか" in client.get(f"/projects/{pid}/delete").data.decode()
    response = client.post(f"/projects/{pid}/delete", follow_redirects=True)
    text = response.data.decode()
    assert "30日以内であれば" in text and "元に戻す" in text and "まだ案件がありません" in text
    assert client.get(f"/projects/{pid}/steps/purpose").status_code == 404
    assert "消す案件" in client.get("/trash").data.decode()
    client.post(f"/projects/{pid}/restore")
    assert "消す案件" in client.get("/").data.decode()


def test_downloaded_spec_matches_the_engine(client: FlaskClient) -> None:
    client.post("/projects/sample/cloud-interagency")
    pid = first_project_id(client)
    response = client.get(f"/projects/{pid}/spec.docx")
    assert response.status_code == 200
    tables = docx.Document(io.BytesIO(response.data)).tables
    table = next(t for t in tables if [c.text for c in t.rows[0].cells][2:4] == ["提案", "決定"])
    got = {row.cells[0].text: row.cells[3].text for row in table.rows[1:]}
    answers = parse_answers(yaml.safe_load(client.get(f"/projects/{pid}/export").data), CATALOGUE)
    evaluation = evaluate(CATALOGUE, answers)
    assert got == {rid: CATALOGUE.level_label(o.decided) for rid, o in evaluation.requirements.items()}


def test_csrf_is_required(database_url: str) -> None:
    app = make_app(database_url)
    client = app.test_client()
    assert client.post("/projects", data={"name": "x"}).status_code == 400
    app.extensions["sbd"]["engine"].dispose()


def test_refuses_to_start_on_an_unmigrated_database(tmp_path: pytest.TempPathFactory) -> None:
    url = f"sqlite:///{tmp_path}/empty.sqlite3"  # type: ignore[operator]
    make_engine(url).dispose()
    with pytest.raises(NotMigratedError, match="sbd-tool db upgrade"):
        make_app(url)


def test_security_headers(client: FlaskClient, app: Flask) -> None:
    headers = client.get("/").headers
    assert headers["X-Frame-Options"] == "DENY" and "default-src 'self'" in headers["Content-Security-Policy"]


def test_cloud_questions_are_asked_only_for_cloud_hosting(client: FlaskClient) -> None:
    pid = new_project(client)
    save(client, pid, "purpose", step1())
    save(client, pid, "features", features())
    page = client.get(f"/projects/{pid}/steps/questions").data.decode()
    assert "クラウドサービスの利用（設置場所がクラウドサービスの場合）" in page
    assert "「情報システムの設置場所は？」で「クラウドサービス（IaaS/PaaS/SaaS）」を選んだ場合に回答します。" in page
    bad = save(client, pid, "questions", answers_form(hosting="cloud"))
    assert bad.status_code == 400
    assert "「利用するクラウドサービスの種類は？」の回答を選んでください（設置場所の回答により" in bad.data.decode()
    cloud = {"cloud_model": "saas", "data_location": "domestic", "customer_keys": "required"}
    assert save(client, pid, "questions", answers_form(hosting="cloud", **cloud)).status_code == 302
    stored = yaml.safe_load(client.get(f"/projects/{pid}/export").data)["answers"]
    assert stored["cloud_model"] == "saas"
    page = client.get(f"/projects/{pid}/steps/questions").data.decode()
    assert Controls(page).checked["data_exit"] == ["return_and_delete"]  # the default, offered pre-selected
    assert "既定の回答（返却させた上で削除させる）を入力済みです。" in page
    # Moving off the cloud drops the cloud answers instead of leaving them behind.
    assert save(client, pid, "questions", answers_form(hosting="datacenter", **cloud)).status_code == 302
    stored = yaml.safe_load(client.get(f"/projects/{pid}/export").data)["answers"]
    assert "cloud_model" not in stored


def test_step6_shows_who_implements_each_requirement(client: FlaskClient) -> None:
    client.post("/projects/sample/cloud-interagency")
    pid = first_project_id(client)
    page = client.get(f"/projects/{pid}/steps/decisions").data.decode()
    assert "クラウドサービスの責任分担" in page
    form = Controls(page)
    assert form.selected["party_PH-2"] == "provider" and form.selected["party_DA-1"] == "contractor"
    data = {name: value for name, value in form.selected.items()}
    bad = save(client, pid, "decisions", {**data, "party_AU-1": "organisation"})
    assert bad.status_code == 400
    assert "実施主体を既定の受注者から発注者に変える理由を記入してください。" in bad.data.decode()
    reason = "ログの分析は当省の監視チームが行うため。"
    good = save(client, pid, "decisions", {**data, "party_AU-1": "organisation", "party_reason_AU-1": reason})
    assert good.status_code == 302
    exported = yaml.safe_load(client.get(f"/projects/{pid}/export").data)
    assert exported["responsibilities"] == {"AU-1": {"party": "organisation", "reason": reason}}
    document = docx.Document(io.BytesIO(client.get(f"/projects/{pid}/spec.docx").data))
    table = next(t for t in document.tables if "受注者" in [c.text for c in t.rows[0].cells])
    au1 = next(r for r in table.rows if r.cells[0].text == "AU-1")
    assert [c.text for c in au1.cells[2:5]] == ["", "●", ""] and reason in au1.cells[5].text


def test_an_imported_party_change_without_reason_blocks_the_download(client: FlaskClient) -> None:
    data = yaml.safe_load((ROOT / "examples" / "cloud-interagency.yaml").read_text(encoding="utf-8"))
    data["responsibilities"] = {"AU-1": {"party": "organisation"}}
    upload = {"file": (io.BytesIO(yaml.safe_dump(data, allow_unicode=True).encode()), "cloud.yaml")}
    assert client.post("/projects/import", data=upload, content_type="multipart/form-data").status_code == 302
    pid = first_project_id(client)
    response = client.get(f"/projects/{pid}/spec.docx")
    assert response.status_code == 302 and response.headers["Location"].endswith("/steps/output")


def diagram_form(page: str) -> dict[str, Any]:
    """Every control of the step-3 form with its current value."""
    controls = Controls(page)
    values: dict[str, Any] = dict(controls.selected)
    for name, value in re.findall(
        r'<input (?:id="[^"]*" )?name="((?:zones|elements|flows)-[^"]+)" [^>]*value="([^"]*)"', page
    ):
        values[name] = value
    return values


def test_step3_generates_edits_and_saves_a_diagram(client: FlaskClient) -> None:
    pid = new_project(client)
    save(client, pid, "purpose", step1())
    save(client, pid, "features", features())
    page = client.get(f"/projects/{pid}/steps/diagram").data
    response = client.post(
        f"/projects/{pid}/steps/diagram", data={"version": version(page), "action": "diagram:generate"}
    )
    assert response.status_code == 302  # the generated diagram is the user's draft, shown after the redirect
    generated = client.get(f"/projects/{pid}/steps/diagram").data.decode()
    assert "業務の特徴から図を作成しました" in generated and "<svg" in generated
    assert "diagram" not in yaml.safe_load(client.get(f"/projects/{pid}/export").data)  # not saved yet
    data = diagram_form(generated)
    assert data["zones-0-kind"] == "office_lan" and data["elements-1-zone"]
    # Move the public's element into a cloud zone that the officer adds: the system is now hosted there.
    data |= {"zones-9-id": "Z9", "zones-9-kind": "cloud", "zones-9-label": "クラウド", "elements-0-zone": "Z9"}
    response = save(client, pid, "diagram", data)
    assert response.status_code == 302, response.data.decode()[-3000:]
    stored = yaml.safe_load(client.get(f"/projects/{pid}/export").data)["diagram"]
    assert {"id": "Z9", "kind": "cloud", "label": "クラウド"} in stored["zones"]
    assert stored["elements"][0]["zone"] == "Z9"
    conditions = client.get(f"/projects/{pid}/steps/conditions").data.decode()
    assert "システム概要図の要素「テスト申請システム（業務アプリ）（クラウド）」" in conditions


def test_step3_reports_broken_references_on_the_field(client: FlaskClient) -> None:
    pid = new_project(client)
    save(client, pid, "purpose", step1())
    data = {
        "zones-0-id": "Z1", "zones-0-kind": "internet", "zones-0-label": "インターネット",
        "elements-0-id": "E1", "elements-0-kind": "subject", "elements-0-label": "国民", "elements-0-zone": "Z1",
        "flows-0-id": "F1", "flows-0-source": "E1", "flows-0-target": "E7", "flows-0-means": "internet",
    }  # fmt: skip
    bad = save(client, pid, "diagram", data)
    text = bad.data.decode()
    assert bad.status_code == 400
    assert "要素 &#39;E7&#39; はありません（E1 のいずれかを指定してください）。" in text
    assert 'id="flows-0-target-error"' in text
    assert "E1" in text and "国民" in text  # what was typed is kept


def test_diagram_disagreements_are_shown_in_steps_3_4_and_6(client: FlaskClient) -> None:
    data = yaml.safe_load((ROOT / "examples" / "internal-small.yaml").read_text(encoding="utf-8"))
    data["diagram"]["zones"].append({"id": "Z2", "kind": "internet", "label": "インターネット"})
    data["diagram"]["elements"][1]["zone"] = "Z2"  # staff reaching the system from the Internet
    data["answers"]["network"] = ["closed"]  # while the answer says: no outside network
    upload = {"file": (io.BytesIO(yaml.safe_dump(data, allow_unicode=True).encode()), "x.yaml")}
    assert client.post("/projects/import", data=upload, content_type="multipart/form-data").status_code == 302
    pid = first_project_id(client)
    for step in ("diagram", "questions", "decisions"):
        page = client.get(f"/projects/{pid}/steps/{step}").data.decode()
        assert "業務の特徴からは「インターネット」と推定されます" in page, step
        assert (
            "システム概要図の流れ「予約情報（氏名・所属・利用目的）: 職員 → 会議室・公用車予約システム（業務アプリ）」"
            in page
        )


def test_what_if_page(client: FlaskClient) -> None:
    client.post("/projects/sample/internal-small")
    pid = first_project_id(client)
    assert "回答を一つ変えた場合" in client.get(f"/projects/{pid}/steps/decisions").data.decode()
    page = client.get(f"/projects/{pid}/what-if").data.decode()
    assert "<h1>回答を変えた場合の影響</h1>" in page
    assert "を「なし（閉域）」から「インターネット」にすると、AT-1 は低位から中位になる。" in page
    empty = new_project(client, "未回答の案件")
    response = client.get(f"/projects/{empty}/what-if")
    assert response.status_code == 302 and response.headers["Location"].endswith("/steps/questions")


def test_step7_offers_the_compliance_matrix(client: FlaskClient) -> None:
    client.post("/projects/sample/internal-small")
    pid = first_project_id(client)
    page = client.get(f"/projects/{pid}/steps/output").data.decode()
    assert "対応表（Excel）" in page
    response = client.get(f"/projects/{pid}/compliance.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert openpyxl.load_workbook(io.BytesIO(response.data))["対応表"]["A4"].value == "番号"
    data = {"title": "", "date": "2026-11-24", "compliance_appendix": "y"}
    assert save(client, pid, "output", data).status_code == 302
    assert yaml.safe_load(client.get(f"/projects/{pid}/export").data)["document"]["compliance_appendix"] is True
    spec = docx.Document(io.BytesIO(client.get(f"/projects/{pid}/spec.docx").data))
    assert "別紙4　対応表" in [p.text for p in spec.paragraphs]


def test_the_spec_as_a_web_page_and_markdown(client: FlaskClient) -> None:
    client.post("/projects/sample/citizen-portal")
    pid = first_project_id(client)
    html = client.get(f"/projects/{pid}/spec.html")
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert "<h2>5. セキュリティ要件</h2>" in html.data.decode()
    md = client.get(f"/projects/{pid}/spec.md")
    assert md.status_code == 200 and md.data.decode().startswith("# 補助金電子申請ポータル")
    assert client.get(f"/projects/{pid}/spec.pdf").status_code == 404


def test_exercise_check_against_a_model_answer(app: Flask, client: FlaskClient) -> None:
    """A trainer publishes a model answer; a trainee (an officer, in a sandbox) is compared with it."""
    add_user(app, "trainer", role="trainer")
    trainer = app.test_client()
    login(trainer, "trainer")
    trainer.post("/projects/sample/internal-small")
    model = first_project_id(trainer)
    assert client.post(f"/projects/{model}/model-answer").status_code == 404, "officers cannot see it"
    client.post("/projects/sample/internal-small")
    trainee = first_project_id(client)
    page = client.get(f"/projects/{trainee}/compare").data.decode()
    assert "模範解答の案件がありません" in page
    assert trainer.post(f"/projects/{model}/model-answer").status_code == 302
    assert "模範解答</span>" in trainer.get("/").data.decode()
    form = Controls(client.get(f"/projects/{trainee}/steps/decisions").data.decode()).selected
    assert save(client, trainee, "decisions", {**form, "level_AT-1": "middle"}).status_code == 302
    result = client.get(f"/projects/{trainee}/compare?model={model}").data.decode()
    assert "結果：33 / 34 要件が模範解答と一致" in result
    assert "AT-1 通信経路の分離：あなた 中位／模範解答 低位" in result
