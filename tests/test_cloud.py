"""Cloud procurements: the gated questions, who implements each requirement, the cloud section."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from typing import Any

import docx
import pytest

from sbd_tool.answers.read import Answers, AnswersError, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.document import build_document, render_docx
from sbd_tool.engine.rules import decision_problems, evaluate
from tests.conftest import MINIMAL, ROOT, example_data
from tests.test_cli import run

CLOUD = {
    "hosting": "cloud",
    "cloud_ismap": "required",
    "data_location": "domestic",
    "customer_keys": "not_required",
    "data_exit": "return_and_delete",
}


def parties(catalogue: Catalogue, answers: Answers) -> dict[str, str]:
    evaluation = evaluate(catalogue, answers)
    assert evaluation.cloud is not None
    return {rid: r.party for rid, r in evaluation.cloud.responsibilities.items()}


@pytest.mark.parametrize("model", ["iaas", "paas", "saas"])
def test_split_follows_the_service_model(
    make_answers: Callable[..., Answers], catalogue: Catalogue, model: str
) -> None:
    split = parties(catalogue, make_answers(**CLOUD, cloud_model=model))
    assert split["PH-2"] == split["PH-3"] == "provider"  # the data centre is always the provider's
    assert split["PH-1"] == "shared"  # the server room is the provider's, media and remote use are not
    assert split["SC-1"] == "contractor"  # its clauses bind the contractor, whoever signs
    if model == "saas":
        assert split["AC-2"] == "organisation"  # accounts stay the customer's even in SaaS
        assert split["AT-2"] == "provider"
        assert split["UP-2"] == split["AU-1"] == "shared"
    if model == "iaas":
        assert split["DA-1"] == "contractor"  # the contractor builds and configures the servers
        assert split["AT-2"] == "contractor"


def test_the_provider_share_grows_from_iaas_to_saas(make_answers: Callable[..., Answers], catalogue: Catalogue) -> None:
    counts = {
        m: list(parties(catalogue, make_answers(**CLOUD, cloud_model=m)).values()).count("provider")
        for m in ("iaas", "paas", "saas")
    }
    assert counts["iaas"] < counts["paas"] < counts["saas"]


def test_cloud_questions_apply_only_to_cloud_hosting(
    make_answers: Callable[..., Answers], catalogue: Catalogue
) -> None:
    on_premise = evaluate(catalogue, make_answers())
    assert on_premise.cloud is None and not on_premise.missing
    assert on_premise.answers["cloud_model"].source == "not_applicable"
    cloud = evaluate(catalogue, make_answers(hosting="cloud"))
    assert cloud.missing == ("cloud_model", "customer_keys")  # no default for these
    assert cloud.answers["cloud_ismap"].source == "default" and cloud.answers["cloud_ismap"].value == "required"
    assert cloud.cloud is None  # no split until the service model is known


def test_changing_the_party_needs_a_reason(make_answers: Callable[..., Answers], catalogue: Catalogue) -> None:
    data = copy.deepcopy(MINIMAL)
    data["answers"].update(CLOUD, cloud_model="saas")
    data["responsibilities"] = {"AC-2": {"party": "contractor"}}
    evaluation = evaluate(catalogue, parse_answers(data, catalogue))
    assert evaluation.cloud is not None and evaluation.cloud.responsibilities["AC-2"].overridden
    problems = decision_problems(catalogue, evaluation)
    assert [p.where for p in problems] == ["responsibilities.AC-2.reason"]
    assert "発注者から受注者に変えるには、理由を記入してください" in problems[0].message
    data["responsibilities"]["AC-2"]["reason"] = "アカウントの管理を運用事業者に委託するため。"
    assert not decision_problems(catalogue, evaluate(catalogue, parse_answers(data, catalogue)))


def test_bad_responsibilities_are_reported(catalogue: Catalogue) -> None:
    data: dict[str, Any] = copy.deepcopy(MINIMAL)
    data["responsibilities"] = {"AU-1": {"party": "vendor"}, "XX-9": {"party": "provider"}}
    with pytest.raises(AnswersError) as info:
        parse_answers(data, catalogue)
    where = [p.where for p in info.value.problems]
    assert where == ["responsibilities.AU-1.party", "responsibilities.XX-9"]


def spec(catalogue: Catalogue, answers: Answers) -> docx.document.Document:
    model = build_document(catalogue, answers, evaluate(catalogue, answers), dt.date(2026, 11, 24))
    return docx.Document(io.BytesIO(render_docx(model)))


def section(document: docx.document.Document, title: str) -> list[str]:
    """The paragraphs under a Heading 1, up to the next Heading 1 or appendix, each clause without
    its 【必須】/【提案】 mark (tests/test_procurement.py checks the marks)."""
    out, inside = [], False
    for p in document.paragraphs:
        style = p.style.name if p.style is not None else ""
        if style in ("Heading 1", "SBD Appendix Heading"):
            inside = p.text == title
        elif inside:
            out.append(re.sub(r"^【(必須|提案)】", "", p.text))
    return out


def test_cloud_example_spec(catalogue: Catalogue) -> None:
    answers = parse_answers(example_data("cloud-interagency"), catalogue)
    document = spec(catalogue, answers)
    cloud = section(document, "クラウドサービス利用時の要件")
    assert "責任分担" in cloud
    for title in ("クラウドサービスの選定（CL-1）", "暗号鍵の管理（CL-2）", "契約終了時のデータの扱い（CL-4）"):
        assert title in cloud  # numbered as in the compliance matrix (CL-1-ア, …)
    assert any("ISMAPクラウドサービスリスト" in t for t in cloud)
    # Location and governing law are SC-3, for every system outside the premises, not a cloud topic.
    assert "データの保存場所" not in cloud
    assert any("日本国内に置くこと" in t for t in section(document, "セキュリティ要件"))
    assert any("標準的な形式（CSV等）で返却" in t for t in cloud)
    assert not any("SaaSがデータを処理する間" in t for t in cloud)  # the caveat is for SaaS only
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "ID" and "受注者" in t.rows[0].cells[4].text)
    header = [c.text for c in table.rows[0].cells]
    assert header[:5] == ["ID", "対策要件", "クラウドサービス事業者", "発注者", "受注者"]
    marks = {r.cells[0].text: [c.text for c in r.cells[2:5]] for r in table.rows[1:]}
    outcomes = evaluate(catalogue, answers).requirements
    assert set(marks) == {rid for rid, o in outcomes.items() if o.decided != "not_applicable"}  # 対象外 left out
    assert marks["PH-2"] == ["●", "", ""] and marks["DA-1"] == ["", "", "●"] and marks["SC-1"] == ["", "", "●"]
    # shared: the printed clauses name the provider (server room) and the office (remote use);
    # the contractor's media and terminal clauses are not in this procurement (no media, no terminals)
    assert marks["PH-1"] == ["●", "●", ""]
    # Every clause names who is bound; the provider's clauses are followed by what the contractor
    # confirms for exactly those, naming the requirement.
    security = section(document, "セキュリティ要件")
    ph2 = security.index(next(t for t in security if "（PH-2・" in t))
    assert security[ph2 + 1].startswith("〔クラウドサービス事業者〕権限のない者の立入りを防止するため")
    assert security[ph2 + 4].startswith("〔受注者〕侵入の物理的対策（PH-2）のうち〔クラウドサービス事業者〕とした事項")
    da1 = security.index(next(t for t in security if "（DA-1・" in t))
    assert security[da1 + 1] == "〔受注者〕" + catalogue.requirements["DA-1"].requirement.levels["low"].clauses[0]
    assert not any(t.startswith("本要件はクラウドサービス事業者の責任範囲") for t in security)
    rationale = [p.text for p in document.paragraphs]
    assert "クラウドサービスの責任分担について" in rationale
    assert any(t.startswith("実施主体：受注者") for t in rationale)


def test_saas_with_customer_keys_states_the_limit(catalogue: Catalogue) -> None:
    data = example_data("cloud-interagency")
    data["answers"].update(cloud_model="saas", customer_keys="required", data_exit="delete_only")
    cloud = section(spec(catalogue, parse_answers(data, catalogue)), "クラウドサービス利用時の要件")
    assert any("発注者（又は発注者の指示を受けた受注者）が生成及び管理する方式" in t for t in cloud)
    assert any("SaaSがデータを処理する間" in t for t in cloud)
    assert not any("CSV等" in t for t in cloud) and any("削除の対象、方法及び日時" in t for t in cloud)


@pytest.mark.parametrize("name", ["internal-small", "citizen-portal"])
def test_non_cloud_examples_are_unchanged(catalogue: Catalogue, name: str) -> None:
    answers = parse_answers(example_data(name), catalogue)
    evaluation = evaluate(catalogue, answers)
    assert evaluation.cloud is None
    document = spec(catalogue, answers)
    texts = [p.text for p in document.paragraphs]
    assert "クラウドサービス利用時の要件" not in texts and "クラウドサービスの責任分担について" not in texts
    assert not any(t.startswith("〔") for t in texts)  # no party marks outside cloud procurements
    answer_table = next(t for t in document.tables if t.rows[0].cells[1].text == "設問")
    terms = [r.cells[1].text for r in answer_table.rows[1:]]
    numbers = [int(r.cells[0].text) for r in answer_table.rows[1:]]
    assert numbers == sorted(numbers) and numbers[0] == 1  # 定型設問N, as 別紙1 cites them
    asked = [q.term for qid, q in catalogue.questions.items() if evaluation.answers[qid].source != "not_applicable"]
    assert terms == asked and "クラウドサービスの種類" not in terms


def test_levels_command_names_the_party_for_cloud_only() -> None:
    code, out, _ = run("levels", "--json", str(ROOT / "examples" / "cloud-interagency.yaml"))
    result = json.loads(out)
    assert code == 0 and result["cloud"]["model"] == "iaas"
    rows = {r["id"]: r for r in result["requirements"]}
    assert rows["PH-2"]["party"] == "provider" and rows["DA-1"]["party"] == "contractor"
    code, out, _ = run("levels", "--json", str(ROOT / "examples" / "citizen-portal.yaml"))
    assert "cloud" not in json.loads(out) and "party" not in json.loads(out)["requirements"][0]


def test_keys_follow_the_confidentiality_of_the_information(catalogue: Catalogue) -> None:
    data = example_data("cloud-interagency")
    data["project"]["tasks"][0]["information"][0]["confidentiality"] = 3
    del data["answers"]["customer_keys"]
    resolved = evaluate(catalogue, parse_answers(data, catalogue)).answers["customer_keys"]
    assert (resolved.value, resolved.source) == ("required", "derived")
    data["answers"]["customer_keys"] = "not_required"
    warnings = evaluate(catalogue, parse_answers(data, catalogue)).warnings
    assert [w.question for w in warnings] == ["customer_keys"]
    assert "ですが、業務の特徴からは「求める」と推定されます" in warnings[0].message


def cloud_spec(catalogue: Catalogue, **answers: Any) -> tuple[list[str], list[str]]:
    data = example_data("cloud-interagency")
    data["answers"].update(answers)
    document = spec(catalogue, parse_answers(data, catalogue))
    return section(document, "セキュリティ要件"), section(document, "クラウドサービス利用時の要件")


@pytest.mark.parametrize("model", ["iaas", "paas", "saas"])
def test_no_clause_bound_to_the_office_binds_the_contractor(catalogue: Catalogue, model: str) -> None:
    security, cloud = cloud_spec(catalogue, cloud_model=model)
    for text in security + cloud:
        if text.startswith("〔発注者〕"):
            assert "受注者は" not in text, text
        if text.startswith("〔クラウドサービス事業者〕"):
            assert "受注者は" not in text, text
    clauses = [t for t in security if t.endswith("こと。")]
    assert clauses and all(t.startswith("〔") for t in clauses)  # every clause names who is bound


def test_saas_splits_privacy_and_logs_clause_by_clause(catalogue: Catalogue) -> None:
    security, _ = cloud_spec(catalogue, cloud_model="saas")
    assert any(t.startswith("〔発注者〕利用者が自らの情報の取扱いを確認できるようにするため") for t in security)
    assert any(t.startswith("〔クラウドサービス事業者〕不正な行為や障害の原因を事後に調査するため") for t in security)
    assert any(t.startswith("〔受注者〕事後の調査に必要な期間の記録を確保するため") for t in security)


LOW_RISK_SAAS = {
    "cloud_model": "saas",
    "confidentiality": "c2",
    "integrity": "i1",
    "availability": "a1",
    "pii": "none",
}


@pytest.mark.parametrize(
    ("answers", "liu"),
    [
        (LOW_RISK_SAAS, True),
        ({**LOW_RISK_SAAS, "pii": "pii"}, False),
        ({**LOW_RISK_SAAS, "integrity": "i2"}, False),
        ({**LOW_RISK_SAAS, "cloud_model": "iaas"}, False),
        ({**LOW_RISK_SAAS, "confidentiality": "c3"}, False),
    ],
)
def test_ismap_liu_only_for_low_risk_saas(catalogue: Catalogue, answers: dict[str, str], liu: bool) -> None:
    data = example_data("cloud-interagency")
    data["answers"].update(answers)
    for key in ("confidentiality", "integrity", "availability", "pii"):
        for task in data["project"]["tasks"]:  # keep the matrix in line with the answers
            for info in task["information"]:
                info[key] = {"c2": 2, "c3": 3, "i1": 1, "i2": 2, "a1": 1}.get(answers[key], answers[key])
    document = spec(catalogue, parse_answers(data, catalogue))
    # Registration of the proposed service is a condition to bid: printed in 入札参加資格.
    qualifications = section(document, "入札参加資格（情報セキュリティに係るもの）")
    assert any("ISMAP-LIU" in t for t in qualifications) is liu
    assert sum("ISMAPクラウドサービスリストに登録されたもの" in t for t in qualifications) == 1


def test_the_cloud_chapter_has_evidence_incidents_and_exit(catalogue: Catalogue) -> None:
    _, cloud = cloud_spec(catalogue)
    text = "\n".join(cloud)
    assert "直近の監査の結果の概要を提出し" in text  # ISMAP registration and audit evidence
    assert "障害及びインシデントの発生時の対応（CL-3）" in cloud
    assert "事業者から通知を受けた場合は直ちに発注者に報告" in text
    assert "依存する他の事業者のサービス" in text  # the upstream-provider chain
    assert "役割分担と連絡経路" in text  # the emergency role split
    assert "移行作業に協力すること" in text and "標準的な形式（CSV等）で返却" in text
    assert any(t.startswith("〔クラウドサービス事業者〕契約終了後のデータの漏えいを防止するため") for t in cloud)
    assert "削除の対象、方法及び日時を記載した証明書" in text
