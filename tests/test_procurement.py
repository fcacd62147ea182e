"""Procurement conventions (issue 15 item 2) and no unresolved placeholders (item 3): answers
file in, document out, read back with python-docx and openpyxl."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import yaml

from sbd_tool.assessment import assess, specification
from sbd_tool.content import Catalogue, ContentError, load_catalogue
from sbd_tool.document import render_docx
from sbd_tool.document.blocks import OUTPUT_KINDS, QUALIFICATION_CHAPTER
from sbd_tool.document.compliance import compliance_rows, compliance_xlsx
from sbd_tool.document.model import DocumentModel
from sbd_tool.document.text_render import render_html, render_markdown
from sbd_tool.engine.parameters import check_value
from tests.conftest import EXAMPLES, ROOT, example_data
from tests.test_cli import run
from tests.test_content import break_file

TODAY = dt.date(2026, 11, 24)
MARK = re.compile(r"^【(必須|提案)】")


def build(catalogue: Catalogue, data: dict[str, Any]) -> DocumentModel:
    assessment = assess(catalogue, data)
    assert assessment.problems == (), assessment.problems
    return specification(assessment, TODAY)


def clauses(model: DocumentModel, kind: str) -> list[str]:
    document = docx.Document(io.BytesIO(render_docx(model, kind=kind)))  # type: ignore[arg-type]
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == "SBD Clause"]


def headings(model: DocumentModel, kind: str = "paste") -> list[str]:
    document = docx.Document(io.BytesIO(render_docx(model, kind=kind)))  # type: ignore[arg-type]
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_clause_of_every_output_is_marked(catalogue: Catalogue, example: Path) -> None:
    model = build(catalogue, example_data(example.stem))
    rows = compliance_rows(model)
    for kind in ("paste", "full"):
        printed = clauses(model, kind)
        assert printed and all(MARK.match(c) for c in printed), kind
        assert len(printed) == len(rows)
        assert [MARK.match(c).group(1) for c in printed] == [r.kind for r in rows]  # type: ignore[union-attr]
    markdown = render_markdown(model, "paste")
    items = re.findall(r"^- [ア-ン]+　(.*)$", markdown, re.M)
    assert len(items) == len(rows) and all(MARK.match(i) for i in items)
    html = render_html(model, "paste")
    assert html.count("<li>") == len(rows) == len(re.findall(r"<li>[ア-ン]+　【(?:必須|提案)】", html))
    sheet = openpyxl.load_workbook(io.BytesIO(compliance_xlsx(model)))["対応表"]
    assert sheet["C4"].value == "必須／提案"
    assert [sheet.cell(row=r, column=3).value for r in range(5, sheet.max_row + 1)] == [r.kind for r in rows]
    # The marks are explained once, before the first clause.
    assert "各条項の冒頭の【必須】は" in markdown


def test_a_catalogue_proposal_clause_prints_as_proposal(catalogue: Catalogue) -> None:
    model = build(catalogue, example_data("citizen-portal"))  # AT-4 is 高位 here
    at4 = next(r for c in model.security for p in c.policies for r in p.requirements if r.id == "AT-4")
    proposal = next(c for c in at4.clauses if c.key == "AT-4.high.1")
    assert proposal.obligation == "proposal"
    row = next(r for r in compliance_rows(model) if r.clause == proposal)
    assert row.kind == "提案"
    assert f"【提案】{proposal}" in clauses(model, "paste")


def test_changing_an_obligation_needs_a_reason(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data["obligations"] = {"AU-1.middle.2": {"obligation": "proposal"}}
    assessment = assess(catalogue, data)
    assert not assessment.ready
    (problem,) = assessment.problems
    assert problem.where == "obligations.AU-1.middle.2.reason"
    assert "必須から提案に変えるには、理由を記入してください" in problem.message
    data["obligations"]["AU-1.middle.2"]["reason"] = "操作ログの検索方法は既存の基盤の機能で代えられるため。"
    model = build(catalogue, data)
    clause = next(c for cat in model.security for p in cat.policies for r in p.requirements for c in r.clauses
                  if c.key == "AU-1.middle.2")  # fmt: skip
    assert clause.obligation == "proposal" and clause.reason.startswith("操作ログの検索方法")
    assert f"【提案】{clause}" in clauses(model, "paste")
    row = next(r for r in compliance_rows(model) if r.clause == clause)
    assert row.kind == "提案"
    # The approval file (閲覧資料) says which clause was changed, to what, and why.
    approval = docx.Document(io.BytesIO(render_docx(model, kind="approval")))
    table = next(t for t in approval.tables if [c.text for c in t.rows[0].cells] == ["番号", "区分", "変更の理由"])
    assert [c.text for c in table.rows[1].cells] == [row.number, "提案", clause.reason]


def test_obligations_for_unknown_clauses_and_bad_values_are_problems(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data["obligations"] = {"AU-1.middle.99": {"obligation": "proposal", "reason": "x"}}
    assert [p.where for p in assess(catalogue, data).problems] == ["obligations.AU-1.middle.99"]
    data["obligations"] = {"AU-1.middle.2": {"obligation": "optional", "reason": "x"}}
    (problem,) = assess(catalogue, data).problems
    assert problem.where == "obligations.AU-1.middle.2.obligation"
    # Setting the catalogue's own obligation needs no reason.
    data["obligations"] = {"AU-1.middle.2": {"obligation": "required"}}
    assert assess(catalogue, data).problems == ()


def test_a_named_standard_without_equivalents_is_refused_at_load(content_copy: Path) -> None:
    break_file(
        content_copy,
        "requirement_sets/SC.yaml",
        "ISO/IEC 15408に基づく認証又はこれと同等以上の第三者による評価を受けた製品",
        "ISO/IEC 15408に基づく認証を受けた製品",
    )
    break_file(
        content_copy,
        "requirement_sets/cloud.yaml",
        "        equivalent_exempt: 登録されたサービスに限ると決めた場合に、"
        "登録の内容を確かめる資料を求める条項である。\n",
        "",
    )
    with pytest.raises(ContentError) as info:
        load_catalogue(content_copy)
    found = [str(p) for p in info.value.problems]
    assert len(found) == 2, found
    assert found[0].startswith("requirement_sets/SC.yaml:") and "SC-2:" in found[0]
    assert "「ISO/IEC 15408」を指定していますが「又は同等以上」がありません" in found[0]
    assert found[1].startswith("requirement_sets/cloud.yaml:") and "cloud.selection" in found[1] and "ISMAP" in found[1]


def test_a_restrictive_name_is_data(content_copy: Path) -> None:
    """The list lives in catalogue.yaml: adding a name makes a clause naming it fail."""
    path = content_copy / "requirement_sets" / "catalogue.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - {name: DNSSEC}\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_catalogue(content_copy)
    assert any("AT-9:" in str(p) and "「DNSSEC」" in str(p) for p in info.value.problems)


def test_entry_qualifications_have_their_own_section(catalogue: Catalogue) -> None:
    portal = build(catalogue, example_data("citizen-portal"))  # SC-1 高位: ISMS certification
    assert headings(portal)[-1] == QUALIFICATION_CHAPTER
    assert [c.key for c in portal.qualifications] == ["SC-1.high.3"]
    assert "ISMS" not in "".join(c for cat in portal.security for p in cat.policies for r in p.requirements
                                 for c in r.clauses)  # fmt: skip
    assert "JIS Q 27001" in portal.qualifications[0] and "同等以上" in portal.qualifications[0]
    cloud = build(catalogue, example_data("cloud-interagency"))
    assert QUALIFICATION_CHAPTER in headings(cloud) and QUALIFICATION_CHAPTER in headings(cloud, "full")
    (ismap,) = cloud.qualifications
    assert ismap.key.startswith("cloud.selection.") and ismap.startswith("政府機関として")  # no 〔受注者〕
    assert compliance_rows(cloud)[-1].number == "QL-ア"
    small = build(catalogue, example_data("internal-small"))
    assert small.qualifications == () and QUALIFICATION_CHAPTER not in headings(small)


def test_build_only_leaves_out_operation_and_says_so(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    both = build(catalogue, data)
    data["answers"]["procurement_scope"] = "build_only"
    model = build(catalogue, data)
    printed = [c for cat in model.security for p in cat.policies for r in p.requirements for c in r.clauses]
    assert printed and not [c for c in printed if c.phase == "operation"]
    assert "AT-8" not in {r.id for cat in model.security for p in cat.policies for r in p.requirements}
    markdown = render_markdown(model, "paste")
    assert "本調達は設計・構築のみを対象とするため、運用・保守に係る事項は記載していない" in markdown
    assert "〈運用・保守に係る事項〉" not in markdown
    assert "本システムの設計・構築に当たっては" in markdown
    # Both phases: the operation clauses follow a line that says so.
    full = render_markdown(both, "paste")
    assert "〈運用・保守に係る事項〉" in full and "本システムの設計・構築及び運用・保守に当たっては" in full
    assert len(compliance_rows(model)) < len(compliance_rows(both))
    assert "AT-8 運用時の脆弱性対策" not in [e.heading for e in model.rationale]  # nothing to submit for it
    assert "AT-8 運用時の脆弱性対策" in [e.heading for e in both.rationale]


def test_operation_only_leaves_out_build(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data["answers"]["procurement_scope"] = "operation_only"
    model = build(catalogue, data)
    printed = [c for cat in model.security for p in cat.policies for r in p.requirements for c in r.clauses]
    assert printed and {c.phase for c in printed} <= {"operation", "both"}
    assert "設計・構築に係る事項は記載していない" in render_markdown(model, "paste")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_placeholder_left_when_parameters_are_filled(catalogue: Catalogue, example: Path) -> None:
    model = build(catalogue, example_data(example.stem))
    assert assess(catalogue, example_data(example.stem)).open_parameters == ()
    for kind in OUTPUT_KINDS:
        document = docx.Document(io.BytesIO(render_docx(model, kind=kind)))
        text = "\n".join(p.text for p in document.paragraphs)
        text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        assert "発注者が指定する" not in text and not re.search(r"\{[a-z_]+\}", text), kind
    assert "発注者が指定する" not in "".join(r.clause for r in compliance_rows(model))


def test_open_parameters_are_listed_not_blocking(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data.pop("parameters")
    assessment = assess(catalogue, data)
    assert assessment.ready
    left_open = [p.id for p in assessment.open_parameters]
    assert "log_retention" in left_open and "patch_period" in left_open
    assert "recovery_time" not in left_open  # implied by the answer to outage
    assert "data_return_deadline" not in left_open  # used only by the cloud chapter
    assert "発注者が指定する期間" in render_markdown(specification(assessment, TODAY), "paste")
    # Only parameters of printed clauses count: build-only drops the patch deadline (AT-8).
    data["answers"]["procurement_scope"] = "build_only"
    assert "patch_period" not in [p.id for p in assess(catalogue, data).open_parameters]


def test_parameter_values_are_checked_by_kind(catalogue: Catalogue) -> None:
    params = catalogue.parameters
    assert check_value(params["log_retention"], "1年間") is None
    assert check_value(params["log_retention"], "９０日") is None  # full-width digits
    assert "数と単位" in (check_value(params["log_retention"], "長期間") or "")
    assert check_value(params["availability_target"], "99.5％以上（月間）") is None
    assert "100以下" in (check_value(params["availability_target"], "150%") or "")
    assert check_value(params["planned_outage"], "毎月第3土曜日の22時から翌6時まで") is None
    assert "時刻" in (check_value(params["planned_outage"], "夜間") or "")
    assert "200文字以内" in (check_value(params["security_policy"], "あ" * 201) or "")
    for p in params.values():
        assert check_value(p, p.suggested) is None, p.id  # every suggestion passes its own check
        assert "発注者が指定する" not in p.suggested
    data = example_data("citizen-portal")
    data["parameters"]["log_retention"] = "ずっと"
    (problem,) = assess(catalogue, data).problems
    assert problem.where == "parameters.log_retention" and "数と単位" in problem.message


def test_generate_warns_of_open_parameters(tmp_path: Path) -> None:
    data = copy.deepcopy(example_data("internal-small"))
    del data["parameters"]["log_retention"]
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, err = run("generate", str(answers), "-o", str(tmp_path / "out.md"), "--output-kind", "paste")
    assert code == 0, err
    assert "注意: parameters.log_retention: 「ログの保存期間」が未設定のため" in err
    assert "発注者が指定する期間" in (tmp_path / "out.md").read_text(encoding="utf-8")
    assert err.count("注意: parameters.") == 1
    code, _, err = run("generate", str(ROOT / "examples" / "internal-small.yaml"), "-o", str(tmp_path / "b.md"))
    assert code == 0 and "注意: parameters." not in err


def test_a_changed_obligation_shows_in_the_revision_diff_and_merges(catalogue: Catalogue) -> None:
    from sbd_tool.compare.revision_diff import diff_revisions
    from sbd_tool.compare.revision_merge import merge_documents

    before = example_data("citizen-portal")
    after = copy.deepcopy(before)
    after["obligations"] = {"AU-1.middle.2": {"obligation": "proposal", "reason": "既存の基盤で代えられるため。"}}
    changes = {c.where: c for c in diff_revisions(catalogue, before, after).fields}
    change = changes["obligations.AU-1.middle.2.obligation"]
    assert (change.label, change.before, change.after) == (
        "条項 AU-1.middle.2 の必須／提案",
        "（対策要件集のとおり）",
        "提案",
    )
    assert changes["obligations.AU-1.middle.2.reason"].after == "既存の基盤で代えられるため。"
    merged = merge_documents(before, after, list(changes))
    assert merged["obligations"] == after["obligations"]
    assert "obligations" not in merge_documents(before, after, [])


def test_a_project_moved_to_a_catalogue_without_a_clause_drops_its_obligation(catalogue: Catalogue) -> None:
    """An obligation for a clause the new catalogue version lacks is dropped (and reported) when the
    project adopts that version, instead of blocking its specification with no way to remove it."""
    from sbd_tool.compare.lenient_answers import parse_leniently

    data = example_data("citizen-portal")
    data["obligations"] = {
        "AU-1.middle.99": {"obligation": "proposal", "reason": "旧版の条項"},
        "AU-1.middle.2": {"obligation": "proposal", "reason": "既存の基盤で代えられるため。"},
    }
    answers, problems = parse_leniently(data, catalogue)
    assert [p.where for p in problems] == ["obligations.AU-1.middle.99"]
    assert list(answers.obligations) == ["AU-1.middle.2"]
