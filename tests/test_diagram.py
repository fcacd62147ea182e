"""The system overview diagram: validation, facts with traces, the draft from the matrix, drawing."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
from typing import Any

import docx
import pytest

from sbd_tool.answers import Answers, AnswersError, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.diagram import diagram_data, diagram_problems, flow_rows, generate_from_matrix, layout
from sbd_tool.diagram_draw import to_png, to_svg
from sbd_tool.document import build_document, render_docx
from sbd_tool.explain import condition_sentence
from sbd_tool.rules import evaluate
from tests.conftest import MINIMAL, example_data


def with_diagram(diagram: dict[str, Any], drop: tuple[str, ...] = (), **answers: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    for key in drop:  # leave these to be derived
        del data["answers"][key]
    data["answers"].update(answers)
    data["diagram"] = diagram
    return data


APPLY = {
    "zones": [
        {"id": "Z1", "kind": "internet", "label": "インターネット"},
        {"id": "Z2", "kind": "cloud", "label": "クラウド"},
        {"id": "Z3", "kind": "remote_site", "label": "在宅勤務"},
        {"id": "Z4", "kind": "interorg", "label": "府省間ネットワーク"},
    ],
    "elements": [
        {"id": "E1", "kind": "subject", "label": "国民", "zone": "Z1"},
        {"id": "E2", "kind": "server", "label": "受付サーバ", "zone": "Z2"},
        {"id": "E3", "kind": "subject", "label": "職員", "zone": "Z3"},
        {"id": "E4", "kind": "external", "label": "他省システム", "zone": "Z4"},
    ],
    "flows": [
        {"id": "F1", "from": "E1", "to": "E2", "information": "申請データ"},
        {"id": "F2", "from": "E2", "to": "E4", "information": "照会", "means": "closed_network"},
    ],
}


def sentence(catalogue: Catalogue, data: dict[str, Any], condition: str) -> str:
    evaluation = evaluate(catalogue, parse_answers(data, catalogue))
    return condition_sentence(catalogue, evaluation, evaluation.conditions[condition])


@pytest.mark.parametrize(
    ("condition", "trace"),
    [
        ("C-internet", "システム概要図の流れ「申請データ: 国民 → 受付サーバ」"),
        ("C-cloud", "システム概要図の要素「受付サーバ（クラウド）」"),
        ("C-hosted", "システム概要図の要素「受付サーバ（クラウド）」"),
        ("C-remote", "システム概要図の要素「職員（在宅勤務）」"),
        ("C-extlink", "システム概要図の流れ「照会: 受付サーバ → 他省システム」"),
    ],
)
def test_conditions_follow_the_diagram_with_a_trace(catalogue: Catalogue, condition: str, trace: str) -> None:
    text = sentence(catalogue, with_diagram(APPLY, drop=("network", "places", "hosting")), condition)
    assert text.startswith("該当する") and trace in text, text


def test_a_diagram_disagreeing_with_the_answers_is_a_warning(catalogue: Catalogue) -> None:
    data = with_diagram(APPLY, network=["closed"], hosting="onpremise")
    warnings = {w.question: w.message for w in evaluate(catalogue, parse_answers(data, catalogue)).warnings}
    assert "外部ネットワークとの接続は？" in warnings["network"] and "システム概要図の流れ" in warnings["network"]
    assert "「庁舎内」ですが" in warnings["hosting"] and "「クラウドサービス（IaaS/PaaS/SaaS）」" in warnings["hosting"]


@pytest.mark.parametrize(
    ("damage", "where", "message"),
    [
        (lambda d: d["zones"][0].update(kind="moon"), "diagram.zones[0].kind", "'moon' は選択肢にありません"),
        (lambda d: d["elements"][0].update(zone="Z9"), "diagram.elements[0].zone", "区域 'Z9' はありません"),
        (lambda d: d["flows"][0].update(to="E9"), "diagram.flows[0].to", "要素 'E9' はありません"),
        (lambda d: d["flows"][1].update(means="fax"), "diagram.flows[1].means", "'fax' は選択肢にありません"),
        (lambda d: d["elements"][1].update(id="E1"), "diagram.elements[1].id", "id 'E1' が重複しています"),
        (lambda d: d["elements"][0].update(label=""), "diagram.elements[0].label", "要素の名称を入力してください"),
    ],
)
def test_broken_diagrams_are_reported(catalogue: Catalogue, damage: Any, where: str, message: str) -> None:
    diagram = copy.deepcopy(APPLY)
    damage(diagram)
    with pytest.raises(AnswersError) as info:
        parse_answers(with_diagram(diagram), catalogue)
    assert any(p.where == where and message in p.message for p in info.value.problems), info.value.problems


def test_reviewer_checks(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data["diagram"]["elements"].append({"id": "E9", "kind": "media", "label": "USBメモリ"})
    data["diagram"]["flows"][0].pop("information")
    data["diagram"]["flows"][2]["information"] = "謎の情報"
    problems = diagram_problems(catalogue, parse_answers(data, catalogue))
    assert "要素「USBメモリ」がどの区域にも置かれていません。" in problems
    assert (
        "流れ「申請者（国民・事業者） → 補助金電子申請ポータル（業務アプリ）」に情報が設定されていません。" in problems
    )
    assert any("「謎の情報」は手順2の情報にありません" in p for p in problems)
    assert "手順2の情報「申請データ（氏名・住所・連絡先）」がどの流れにも現れません。" in problems
    assert "手順2の情報「審査記録」がどの流れにも現れません。" in problems


@pytest.mark.parametrize("name", ["internal-small", "citizen-portal", "cloud-interagency"])
def test_the_draft_from_the_matrix_agrees_with_the_answers(catalogue: Catalogue, name: str) -> None:
    answers = parse_answers(example_data(name), catalogue)
    draft = generate_from_matrix(catalogue, answers)
    with_draft = dataclasses.replace(answers, diagram=draft)
    assert not diagram_problems(catalogue, with_draft)  # every information item is in a flow
    assert not evaluate(catalogue, with_draft).warnings  # and it says what the answers say
    assert parse_answers({**example_data(name), "diagram": diagram_data(draft)}, catalogue).diagram == draft


def test_drawing_and_the_flow_table(catalogue: Catalogue) -> None:
    answers = parse_answers(example_data("cloud-interagency"), catalogue)
    assert answers.diagram is not None
    laid = layout(catalogue, answers.diagram)
    boxes = {b.id: b for b in laid.elements}
    for zone in laid.zones:  # elements sit inside their zone, zones inside the picture
        assert zone.x >= 0 and zone.x + zone.w <= laid.width and zone.y + zone.h <= laid.height
    for e in answers.diagram.elements:
        z = next(z for z in laid.zones if z.id == e.zone)
        b = boxes[e.id]
        assert z.x < b.x and b.x + b.w < z.x + z.w and z.y < b.y and b.y + b.h < z.y + z.h
    svg = to_svg(laid)
    assert svg.startswith("<svg") and "<title" in svg and "行政機関間情報連携基盤" in svg
    png = to_png(laid)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    rows = flow_rows(catalogue, answers.diagram)
    assert rows[0].crosses == "他機関閉域網 → クラウド" and rows[0].means == "他機関との閉域網・専用線"


def document(catalogue: Catalogue, answers: Answers) -> docx.document.Document:
    model = build_document(catalogue, answers, evaluate(catalogue, answers), dt.date(2026, 11, 24))
    return docx.Document(io.BytesIO(render_docx(model)))


def test_the_spec_shows_the_diagram_and_its_flows(catalogue: Catalogue) -> None:
    answers = parse_answers(example_data("citizen-portal"), catalogue)
    spec = document(catalogue, answers)
    pictures = spec.inline_shapes
    assert len(pictures) == 1 and abs(pictures[0].width.mm - 160) < 1
    flows = next(t for t in spec.tables if t.rows[0].cells[1].text == "送信元")
    assert [c.text for c in flows.rows[0].cells] == [
        "番号",
        "送信元",
        "送信先",
        "情報",
        "利用環境・手段",
        "通過する境界",
    ]
    assert [r.cells[0].text for r in flows.rows[1:]] == ["F1", "F2", "F3", "F4", "F5"]
    without = document(catalogue, dataclasses.replace(answers, diagram=None))
    assert len(without.inline_shapes) == 0
    # No chapter, and no sentence pointing to a diagram that is not there.
    assert "システム概要図" not in [p.text for p in without.paragraphs if p.style.name == "Heading 1"]
    text = "".join(p.text for p in without.paragraphs)
    assert "別途示すシステム概要図" not in text and "次の図" not in text


def test_the_answer_table_says_when_an_answer_came_from_the_diagram(catalogue: Catalogue) -> None:
    answers = parse_answers(with_diagram(APPLY, drop=("hosting",), cloud_model="iaas"), catalogue)
    spec = document(catalogue, answers)
    table = next(t for t in spec.tables if t.rows[0].cells[1].text == "設問")
    rows = {r.cells[1].text: (r.cells[2].text, r.cells[3].text) for r in table.rows[1:]}
    assert rows["設置場所"] == ("クラウドサービス（IaaS/PaaS/SaaS）", "システム概要図から推定")


def test_storage_media_in_the_diagram_means_media_are_used(catalogue: Catalogue) -> None:
    diagram = copy.deepcopy(APPLY)
    diagram["elements"].append({"id": "E5", "kind": "media", "label": "USBメモリ", "zone": "Z3"})
    text = sentence(catalogue, with_diagram(diagram, drop=("media",)), "C-media")
    assert text.startswith("該当する") and "システム概要図の要素「USBメモリ（在宅勤務）」" in text


def test_subjects_are_named_as_in_step_2(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data["diagram"]["elements"][1]["label"] = "申請者"
    problems = diagram_problems(catalogue, parse_answers(data, catalogue))
    assert "主体「申請者」は手順2の主体にありません（名称をそろえると対応が分かります）。" in problems
