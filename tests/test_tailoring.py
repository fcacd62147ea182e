"""Clause tailoring (issue 15 item 4): the officer's wording and added clauses, in every output."""

from __future__ import annotations

import copy
import datetime as dt
import io
from typing import Any

import docx
import openpyxl
import pytest

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.answers.schema import answers_schema
from sbd_tool.answers.tailoring import catalogue_clauses
from sbd_tool.assessment import assess, specification
from sbd_tool.compare.clause_changes import char_diff, clause_edits
from sbd_tool.compare.revision_diff import diff_revisions
from sbd_tool.content import Catalogue
from sbd_tool.document import DocumentModel, render_docx
from sbd_tool.document.bidder import bidder_requirements
from sbd_tool.document.compliance import IROHA, compliance_rows, compliance_xlsx
from sbd_tool.document.tailored import changes_table
from sbd_tool.document.text_render import render_markdown
from sbd_tool.limits import ADDED_CLAUSES, CLAUSE_TEXT_CHARS
from tests.conftest import example_data

TAILORED = "利用者の端末と本システムの間の通信は、TLS 1.3 で暗号化すること。"
ADDED = "本システムの管理画面は、庁内ネットワークからのみ利用できるようにすること。"


def _first_key(catalogue: Catalogue, data: dict[str, Any], rid: str) -> str:
    section = _section(_model(catalogue, data), rid)
    return section.clauses[0].key


def _model(catalogue: Catalogue, data: dict[str, Any]) -> DocumentModel:
    return specification(assess(catalogue, data), dt.date(2026, 12, 1))


def _section(model: DocumentModel, rid: str) -> Any:
    return next(r for c in model.security for p in c.policies for r in p.requirements if r.id == rid)


def _tailored(catalogue: Catalogue, name: str = "citizen-portal") -> tuple[dict[str, Any], str]:
    data = example_data(name)
    key = _first_key(catalogue, data, "AT-1")
    data["tailoring"] = {key: {"text": TAILORED, "reason": "本調達では TLS 1.3 に限るため。"}}
    data["added_clauses"] = [{"requirement": "AT-1", "text": ADDED, "reason": "管理画面を外部に出さないため。"}]
    return data, key


def test_the_model_prints_the_tailored_text_and_keeps_the_catalogue_wording(catalogue: Catalogue) -> None:
    data, key = _tailored(catalogue)
    before = _section(_model(catalogue, example_data("citizen-portal")), "AT-1")
    after = _section(_model(catalogue, data), "AT-1")
    assert str(after.clauses[0]) == TAILORED and after.clauses[0].key == key
    assert after.clauses[0].catalogue_text == str(before.clauses[0])
    assert after.clauses[0].reason == "本調達では TLS 1.3 に限るため。"
    assert [str(c) for c in after.clauses[1:-1]] == [str(c) for c in before.clauses[1:]]
    assert all(c.catalogue_text is None for c in after.clauses[1:])
    added = after.clauses[-1]
    assert str(added) == ADDED and added.key == "AT-1.added.1" and added.obligation == "required"


def test_word_matrix_markdown_and_bidder_page_use_the_tailored_text(catalogue: Catalogue) -> None:
    data, _ = _tailored(catalogue)
    model = _model(catalogue, data)
    paste = docx.Document(io.BytesIO(render_docx(model, kind="paste")))
    clauses = [p.text for p in paste.paragraphs if p.style is not None and p.style.name == "SBD Clause"]
    assert f"【必須】{TAILORED}" in clauses and f"【必須】{ADDED}" in clauses  # marked as every clause
    assert "仕様書の条項の変更" not in "\n".join(p.text for p in paste.paragraphs)  # the record is not pasted
    sheet = openpyxl.load_workbook(io.BytesIO(compliance_xlsx(model)))["対応表"]
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert TAILORED in cells and ADDED in cells
    rows = {r.clause: r.number for r in compliance_rows(model)}
    assert rows[TAILORED] == "AT-1-ア"
    assert TAILORED in render_markdown(model, "paste") and ADDED in render_markdown(model, "full")
    evaluation = assess(catalogue, data).evaluation
    assert evaluation is not None
    bidder = next(r for r in bidder_requirements(catalogue, evaluation, model) if r.id == "AT-1")
    assert bidder.clauses[0] == TAILORED and bidder.clauses[-1] == ADDED
    assert len(bidder.numbers) == len(bidder.clauses)


def test_the_approval_file_records_each_change_with_its_reason(catalogue: Catalogue) -> None:
    data, key = _tailored(catalogue)
    approval = docx.Document(io.BytesIO(render_docx(_model(catalogue, data), kind="approval")))
    table = next(t for t in approval.tables if t.rows[0].cells[1].text == "条項のキー")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows[0] == ["AT-1-ア", key, "文言を変更", "本調達では TLS 1.3 に限るため。"]
    assert rows[1][1:] == ["AT-1.added.1", "追加（必須）", "管理画面を外部に出さないため。"]
    plain = docx.Document(io.BytesIO(render_docx(_model(catalogue, example_data("citizen-portal")), kind="approval")))
    assert not any(t.rows[0].cells[1].text == "条項のキー" for t in plain.tables)


def test_on_a_cloud_service_the_party_mark_stays_in_front_and_parameters_are_filled(catalogue: Catalogue) -> None:
    data = example_data("cloud-interagency")
    section = next(r for c in _model(catalogue, data).security for p in c.policies for r in p.requirements if r.clauses)
    original = section.clauses[0]
    mark = original[: original.index("〕") + 1]
    data["tailoring"] = {original.key: {"text": "ログを{log_retention}保存すること。", "reason": "理由"}}
    data.setdefault("parameters", {})["log_retention"] = "3年間"
    data["added_clauses"] = [{"requirement": section.id, "text": ADDED, "reason": "理由"}]
    model = _model(catalogue, data)
    changed = _section(model, section.id).clauses[0]
    assert changed == f"{mark}ログを3年間保存すること。"
    assert changed.catalogue_text is not None and "〔" not in changed.catalogue_text
    added = _section(model, section.id).clauses[-1]
    assert added.key == f"{section.id}.added.1" and added.startswith("〔") and added.endswith(ADDED)
    rows = [r for r in compliance_rows(model) if not r.number.startswith("QL-")]  # 入札参加資格: the bidder itself
    assert all(r.party for r in rows), "on a cloud service every row says who implements it"


def test_a_clause_not_printed_at_the_decided_level_is_not_printed(catalogue: Catalogue) -> None:
    data = example_data("internal-small")
    model = _model(catalogue, data)
    printed = {c.key for c in compliance_keys(model)}
    unprinted = next(
        clause.key
        for level in catalogue.requirements["AT-1"].requirement.levels.values()
        for clause in level.clauses
        if clause.key not in printed
    )
    data["tailoring"] = {unprinted: {"text": TAILORED, "reason": "理由"}}
    assert TAILORED not in {str(c) for c in compliance_keys(_model(catalogue, data))}


def compliance_keys(model: DocumentModel) -> list[Any]:
    return [c for cat in model.security for p in cat.policies for r in p.requirements for c in r.clauses]


@pytest.mark.parametrize(
    ("section", "value", "where", "message"),
    [
        ("tailoring", {"AT-1.middle.1": {"text": TAILORED}}, "tailoring.AT-1.middle.1.reason", "理由を入力"),
        ("tailoring", {"AT-1.middle.1": {"text": " ", "reason": "r"}}, "tailoring.AT-1.middle.1.text", "文言を入力"),
        ("tailoring", {"AT-1.ultra.1": {"text": "t", "reason": "r"}}, "tailoring.AT-1.ultra.1", "にありません"),
        (
            "tailoring",
            {"AT-1.middle.1": {"text": "x" * (CLAUSE_TEXT_CHARS + 1), "reason": "r"}},
            "tailoring.AT-1.middle.1.text",
            f"{CLAUSE_TEXT_CHARS}文字以内",
        ),
        ("tailoring", {"AT-1.middle.1": {"text": "{nope}", "reason": "r"}}, "tailoring.AT-1.middle.1.text", "{nope}"),
        ("added_clauses", [{"requirement": "ZZ-9", "text": "t", "reason": "r"}], "added_clauses[0].requirement", "ZZ"),
        ("added_clauses", [{"requirement": "AT-1", "text": "t"}], "added_clauses[0].reason", "理由を入力"),
        (
            "added_clauses",
            [{"requirement": "AT-1", "text": "t", "reason": "r"}] * (ADDED_CLAUSES.count + 1),
            "added_clauses",
            f"{ADDED_CLAUSES.count}件まで",
        ),
    ],
)
def test_problems_name_the_place_in_japanese(
    catalogue: Catalogue, section: str, value: Any, where: str, message: str
) -> None:
    data = copy.deepcopy(example_data("citizen-portal"))
    data[section] = value
    with pytest.raises(AnswersError) as info:
        parse_answers(data, catalogue)
    found = {p.where: p.message for p in info.value.problems}
    assert where in found and message in found[where], found


def test_the_schema_describes_both_sections(catalogue: Catalogue) -> None:
    properties = answers_schema(catalogue)["properties"]
    assert "AT-1.middle.1" in properties["tailoring"]["propertyNames"]["enum"]
    assert properties["added_clauses"]["items"]["required"] == ["requirement", "text", "reason"]


def test_the_catalogue_text_at_tailoring_time_is_kept(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data["tailoring"] = {"AT-1.middle.1": {"text": "t", "reason": "r", "catalogue_text": "古い文言"}}
    assert parse_answers(data, catalogue).tailoring["AT-1.middle.1"].catalogue_text == "古い文言"
    del data["tailoring"]["AT-1.middle.1"]["catalogue_text"]
    current = str(catalogue.requirements["AT-1"].requirement.levels["middle"].clauses[0])
    assert parse_answers(data, catalogue).tailoring["AT-1.middle.1"].catalogue_text == current


def test_char_diff_marks_deleted_and_inserted_characters() -> None:
    segments = char_diff("ログを1年間保存すること。", "ログを3年間保存し、改ざんを防ぐこと。")
    assert "".join(t for op, t in segments if op != "insert") == "ログを1年間保存すること。"
    assert "".join(t for op, t in segments if op != "delete") == "ログを3年間保存し、改ざんを防ぐこと。"
    assert ("delete", "1") in segments and ("insert", "3") in segments


def test_clause_edits_number_each_change_as_printed(catalogue: Catalogue) -> None:
    data, key = _tailored(catalogue)
    answers = parse_answers(data, catalogue)
    evaluation = assess(catalogue, data).evaluation
    assert evaluation is not None
    edits = clause_edits(catalogue, answers, evaluation)["AT-1"]
    assert [(e.key, e.number, e.kind) for e in edits] == [
        (key, "AT-1-ア", "tailored"),
        ("AT-1.added.1", f"AT-1-{IROHA[len(_section(_model(catalogue, data), 'AT-1').clauses) - 1]}", "added"),
    ]
    assert edits[0].catalogue_text != TAILORED and edits[0].text == TAILORED


def test_revision_diff_reports_tailoring_changes(catalogue: Catalogue) -> None:
    before = example_data("citizen-portal")
    after, key = _tailored(catalogue)
    changes = {c.where: c for c in diff_revisions(catalogue, before, after).fields}
    assert changes[f"tailoring.{key}"].before == "（対策要件集の文言）"
    assert changes[f"tailoring.{key}"].after == f"{TAILORED}（理由：本調達では TLS 1.3 に限るため。）"
    assert changes[f"tailoring.{key}"].step == "decisions"
    assert changes["added_clauses.AT-1.1"].before == "（なし）" and ADDED in changes["added_clauses.AT-1.1"].after
    reverted = diff_revisions(catalogue, after, before).fields
    assert {c.where for c in reverted} == {f"tailoring.{key}", "added_clauses.AT-1.1"}
    assert not diff_revisions(catalogue, after, copy.deepcopy(after)).fields


def test_a_reworded_entry_qualification_is_printed_and_recorded_under_ql(catalogue: Catalogue) -> None:
    """A clause the catalogue places in 入札参加資格 keeps the officer's wording and, like any other
    change, is listed in 仕様書の条項の変更 with its number as the matrix prints it (QL-ア)."""
    data = example_data("citizen-portal")
    qualification = _model(catalogue, data).qualifications[0]
    reworded = "本業務を実施する部門を適用範囲に含むISMS認証を取得していること。"
    data["tailoring"] = {qualification.key: {"text": reworded, "reason": "認証の範囲を明確にするため。"}}
    model = _model(catalogue, data)
    assert str(model.qualifications[0]) == reworded
    assert model.qualifications[0].catalogue_text == str(qualification)
    assert [r.number for r in compliance_rows(model) if r.clause == reworded] == ["QL-ア"]
    table = changes_table(model)
    assert table is not None
    assert ("QL-ア", qualification.key, "文言を変更", "認証の範囲を明確にするため。") in table.rows


@pytest.mark.parametrize("example", ["citizen-portal", "cloud-interagency", "internal-small"])
@pytest.mark.parametrize("scope", ["build_only", "build_and_operation", "operation_only"])
def test_the_review_numbers_every_change_as_the_matrix_prints_it(
    catalogue: Catalogue, example: str, scope: str
) -> None:
    """Every clause reworded and one added per requirement: the number the review page gives each
    change is the number the spec and the matrix print (the procurement's phases, design and build
    first, a cloud provider's confirming clause, 入札参加資格 moved out), or none where it is not printed."""
    data = example_data(example)
    data["answers"]["procurement_scope"] = scope
    everything = catalogue_clauses(catalogue)
    data["tailoring"] = {key: {"text": f"変更した条項 {key}。", "reason": "確認のため。"} for key in everything}
    data["added_clauses"] = [
        {"requirement": rid, "text": f"追加した条項 {rid}。", "reason": "確認のため。"}
        for rid in catalogue.requirements
    ]
    assessment = assess(catalogue, data)
    assert assessment.answers is not None and assessment.evaluation is not None
    model = specification(assessment, dt.date(2026, 12, 1))
    matrix = {row.clause: row.number for row in compliance_rows(model)}
    edits = [e for group in clause_edits(catalogue, assessment.answers, assessment.evaluation).values() for e in group]
    assert len(edits) == len(everything) + len(catalogue.requirements)
    for edit in edits:
        assert edit.number == matrix.get(edit.text, ""), edit.key
    assert sum(bool(e.number) for e in edits) > len(catalogue.requirements)
