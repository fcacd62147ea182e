"""The system overview diagram: validation, facts with traces, the draft from the matrix, drawing."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
from typing import Any

import docx
import pytest

from sbd_tool.answers.read import Answers, AnswersError, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.diagram.draft import diagram_data, diagram_problems, flow_rows, generate_from_matrix
from sbd_tool.diagram.draw import to_png, to_svg
from sbd_tool.diagram.layout import layout
from sbd_tool.document import build_document, render_docx
from sbd_tool.engine.explain import condition_sentence
from sbd_tool.engine.rules import evaluate
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


# ---------------------------------------------------------------- routing (issue 17, defect 7)

Rect = tuple[float, float, float, float]


def crosses(p: tuple[float, float], q: tuple[float, float], r: Rect) -> bool:
    """True when the segment p–q runs through the inside of the rectangle (Liang–Barsky clipping)."""
    x1, y1, x2, y2 = r[0] + 0.5, r[1] + 0.5, r[2] - 0.5, r[3] - 0.5  # touching an edge is not crossing
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for d, low, high, at in ((dx, x1, x2, p[0]), (dy, y1, y2, p[1])):
        if d == 0:
            if not low < at < high:
                return False
            continue
        a, b = (low - at) / d, (high - at) / d
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
    return t0 < t1


def overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def rect(box: Any) -> Rect:
    return (box.x, box.y, box.x + box.w, box.y + box.h)


def assert_clear(laid: Any) -> None:
    """No arrow runs through a box other than its two ends or over a zone's name; no label covers
    a box, a zone's name or another label; every arrow starts and ends on its boxes' sides."""
    from sbd_tool.diagram.layout import zone_title

    boxes = {b.id: rect(b) for b in laid.elements}
    titles = [zone_title(z) for z in laid.zones]
    labels = [rect(a.tag) for a in laid.arrows if a.tag is not None] + [rect(line) for line in laid.legend]
    for a in laid.arrows:
        others = [r for i, r in boxes.items() if i not in (a.source, a.target)] + titles
        for p, q in zip(a.points, a.points[1:], strict=False):
            assert p[0] == q[0] or p[1] == q[1], f"{a.id}: not orthogonal"
            hit = [r for r in others if crosses(p, q, r)]
            assert not hit, f"{a.id} runs through {hit}"
        for end, point in ((a.source, a.points[0]), (a.target, a.points[-1])):
            x1, y1, x2, y2 = boxes[end]
            assert point[0] in (x1, x2) and y1 <= point[1] <= y2, f"{a.id} does not meet {end}"
        for p, q in zip(a.points[1:], a.points[2:-1], strict=False):  # only the ends touch the end boxes
            assert not any(crosses(p, q, boxes[end]) for end in (a.source, a.target)), a.id
    for i, label in enumerate(labels):
        assert label[0] >= 0 and label[2] <= laid.width and label[1] >= 0 and label[3] <= laid.height
        covered = [r for r in [*boxes.values(), *titles, *labels[:i]] if overlaps(label, r)]
        assert not covered, f"label {label} covers {covered}"


def three_tasks() -> Any:
    """A 補助金電子申請システム as a new officer drew it (issue 17): the system in the office, three
    of its four staff beside it, applicants and a bank outside, flows of three tasks crossing."""
    from sbd_tool.answers.read import Diagram, Element, Flow, Zone

    zones = (Zone("Z1", "office_lan", "庁舎内LAN"), Zone("Z2", "internet", "インターネット"),
             Zone("Z3", "interorg", "他機関閉域網"), Zone("Z4", "remote_site", "在宅勤務"))  # fmt: skip
    elements = (
        Element("E1", "server", "補助金電子申請システム（業務アプリ）", "Z1"),
        Element("E2", "subject", "審査担当職員", "Z1"),
        Element("E3", "subject", "地域振興F8職員", "Z1"),
        Element("E4", "subject", "会計課職員", "Z1"),
        Element("E5", "subject", "申請者（事業者）", "Z2"),
        Element("E6", "external", "指定金融機関システム", "Z3"),
        Element("E7", "subject", "在宅の審査担当職員", "Z4"),
        Element("E8", "datastore", "申請データベース", "Z1"),
    )
    pairs = [("E5", "E1"), ("E1", "E5"), ("E2", "E1"), ("E4", "E1"), ("E1", "E6"), ("E6", "E1"),
             ("E7", "E1"), ("E3", "E1"), ("E4", "E8"), ("E8", "E2"), ("E7", "E3"), ("E5", "E8")]  # fmt: skip
    flows = tuple(Flow(f"F{n}", s, t, "申請データ") for n, (s, t) in enumerate(pairs, 1))
    return Diagram(zones, elements, flows)


def random_diagram(seed: int, zones: int, elements: int, flows: int) -> Any:
    import random

    from sbd_tool.answers.read import Diagram, Element, Flow, Zone

    rng = random.Random(seed)
    kinds = ["office_lan", "internet", "cloud", "datacenter", "remote_site", "interorg", "dmz"]
    zs = tuple(Zone(f"Z{i + 1}", kinds[i % len(kinds)], f"区域{i + 1}") for i in range(zones))
    es = tuple(
        Element(
            f"E{i + 1}",
            rng.choice(["subject", "server", "external"]),
            f"要素{i + 1}の名前",
            rng.choice([z.id for z in zs] + [""]),
        )  # fmt: skip
        for i in range(elements)
    )
    fs = []
    for n in range(flows):
        s, t = rng.sample([e.id for e in es], 2)
        fs.append(Flow(f"F{n + 1}", s, t))
    return Diagram(zs, es, tuple(fs))


@pytest.mark.parametrize("name", ["citizen-portal", "cloud-interagency", "internal-small"])
def test_the_examples_route_around_boxes(catalogue: Catalogue, name: str) -> None:
    diagram = parse_answers(example_data(name), catalogue).diagram
    assert diagram is not None
    assert_clear(layout(catalogue, diagram))
    draft = generate_from_matrix(catalogue, parse_answers(example_data(name), catalogue))
    assert_clear(layout(catalogue, draft))


def test_flows_pass_around_a_name_they_do_not_concern(catalogue: Catalogue) -> None:
    laid = layout(catalogue, three_tasks())
    assert_clear(laid)
    named = next(b for b in laid.elements if b.label == "地域振興F8職員")
    # Flows from 会計課職員 (below it) to the system (above it) go round it, not straight up through it.
    up = next(a for a in laid.arrows if (a.source, a.target) == ("E4", "E1"))
    segments = zip(up.points, up.points[1:], strict=False)
    assert len(up.points) >= 3 and not any(crosses(p, q, rect(named)) for p, q in segments)
    assert all(a.tag is not None and a.number == 0 for a in laid.arrows)  # room for every label in the picture
    svg = to_svg(laid)
    assert svg.count('class="flow"') == len(laid.arrows) and "<polyline" in svg and "地域振興F8職員" in svg
    assert to_png(laid)[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_diagrams_route_around_boxes(catalogue: Catalogue, seed: int) -> None:
    laid = layout(catalogue, random_diagram(seed, zones=seed + 2, elements=12 * seed, flows=25 * seed))
    assert len(laid.arrows) > 10
    assert_clear(laid)


def test_labels_without_room_go_to_the_legend(catalogue: Catalogue) -> None:
    """Many flows between two boxes side by side: the labels that do not fit near the arrows get a
    number, and the legend under the picture says which flows each number stands for."""
    from sbd_tool.answers.read import Diagram, Element, Flow, Zone

    zones = (Zone("Z1", "office_lan", "庁舎内LAN"), Zone("Z2", "internet", "インターネット"))
    elements = tuple(Element(f"E{i}", "subject", f"職員{i}", "Z1" if i < 3 else "Z2") for i in range(1, 5))
    flows = tuple(
        Flow(f"F{n}", s, t) for n, (s, t) in enumerate([(a, b) for a in ("E1", "E2") for b in ("E3", "E4")] * 40, 1)
    )
    laid = layout(catalogue, Diagram(zones, elements, flows))
    assert_clear(laid)
    numbered = [a for a in laid.arrows if a.number]
    assert numbered and laid.legend
    legend = "".join(line.label for line in laid.legend)  # long entries wrap onto several lines
    for a in numbered:
        assert f"{a.number}：{a.label}" in legend
    assert all(line.x + line.w <= laid.width for line in laid.legend)
    assert laid.height >= max(line.y + line.h for line in laid.legend)
