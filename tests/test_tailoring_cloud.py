"""Tailoring the cloud chapter's clauses (``cloud.<topic>.<n>``): the officer's wording in the chapter,
the change in 閲覧資料, the review's diff and drift, as for requirement clauses."""

from __future__ import annotations

import copy
import datetime as dt
import io
from pathlib import Path
from typing import Any

import docx
import pytest

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.answers.schema import answers_schema
from sbd_tool.answers.tailoring import requirement_of
from sbd_tool.assessment import assess, specification
from sbd_tool.compare.clause_changes import clause_edits
from sbd_tool.compare.drift import drift
from sbd_tool.compare.drift_report import cloud_sentences, drift_summary
from sbd_tool.content import Catalogue, load_catalogue
from sbd_tool.document import DocumentModel, render_docx
from sbd_tool.document.bidder import bidder_cloud
from sbd_tool.document.compliance import compliance_rows
from sbd_tool.document.text_render import render_markdown
from tests.conftest import example_data
from tests.test_drift import edit, edit_yaml

KEY = "cloud.exit.2"
TEXT = "契約終了時には、データの項目の定義と抽出の手順を{data_return_deadline}までに発注者に提供すること。"
REASON = "庁の契約書の条項に合わせるため。"
EXIT_2 = "他のサービスへの移行を円滑にするため、契約終了時又はサービスの変更時には"


def _data() -> dict[str, Any]:
    data = copy.deepcopy(example_data("cloud-interagency"))
    data["tailoring"] = {KEY: {"text": TEXT, "reason": REASON}}
    return data


def _model(catalogue: Catalogue, data: dict[str, Any]) -> DocumentModel:
    return specification(assess(catalogue, data), dt.date(2026, 12, 1))


def _exit_clauses(model: DocumentModel) -> Any:
    assert model.cloud is not None
    return next(clauses for title, clauses in model.cloud.topics if title == "契約終了時のデータの扱い")


def test_the_cloud_chapter_prints_the_officers_wording_with_its_party_and_parameters(catalogue: Catalogue) -> None:
    before = _exit_clauses(_model(catalogue, example_data("cloud-interagency")))
    model = _model(catalogue, _data())
    clause = next(c for c in _exit_clauses(model) if c.key == KEY)
    original = next(c for c in before if c.key == KEY)
    mark = original[: original.index("〕") + 1]
    assert clause.startswith(mark) and "{" not in clause and "データの項目の定義と抽出の手順を" in clause
    assert clause.reason == REASON and clause.catalogue_text == str(original)[len(mark) :]
    assert [str(c) for c in _exit_clauses(model) if c.key != KEY] == [str(c) for c in before if c.key != KEY]
    # the compliance matrix, the bidder page and the pasted section read the same clause
    rows = {r.number: r.clause for r in compliance_rows(model)}
    assert rows["CL-4-イ"] == str(clause)[len(mark) :]
    assert str(clause) in render_markdown(model, "paste")
    paste = docx.Document(io.BytesIO(render_docx(model, kind="paste")))
    assert f"【必須】{clause}" in [p.text for p in paste.paragraphs]
    cloud = bidder_cloud(model)
    assert cloud is not None
    assert ("CL-4-イ", clause) in next(t.clauses for t in cloud.topics if t.number == "CL-4")


def test_the_approval_file_lists_the_cloud_change_numbered_as_the_chapter_prints_it(catalogue: Catalogue) -> None:
    approval = docx.Document(io.BytesIO(render_docx(_model(catalogue, _data()), kind="approval")))
    table = next(t for t in approval.tables if t.rows[0].cells[1].text == "条項のキー")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows == [["CL-4-イ", KEY, "文言を変更", REASON]]
    assert "CL-4-イ" in render_markdown(_model(catalogue, _data()), "full")


@pytest.mark.parametrize(
    ("value", "where", "message"),
    [
        ({"cloud.exit.9": {"text": "t", "reason": "r"}}, "tailoring.cloud.exit.9", "クラウドの条項 'cloud.exit.9'"),
        ({"cloud.nope.1": {"text": "t", "reason": "r"}}, "tailoring.cloud.nope.1", "cloud・項目・番号"),
        ({KEY: {"text": TEXT}}, f"tailoring.{KEY}.reason", "理由を入力"),
        ({KEY: {"text": "{nope}", "reason": "r"}}, f"tailoring.{KEY}.text", "{nope}"),
    ],
)
def test_a_wrong_cloud_entry_is_refused_where_it_is(catalogue: Catalogue, value: Any, where: str, message: str) -> None:
    data = example_data("cloud-interagency") | {"tailoring": value}
    with pytest.raises(AnswersError) as info:
        parse_answers(data, catalogue)
    found = {p.where: p.message for p in info.value.problems}
    assert where in found and message in found[where], found


def test_keys_group_by_requirement_or_cloud_topic_and_the_schema_lists_cloud_keys(catalogue: Catalogue) -> None:
    assert requirement_of("AU-1.middle.2") == "AU-1" and requirement_of(KEY) == "cloud.exit"
    assert KEY in answers_schema(catalogue)["properties"]["tailoring"]["propertyNames"]["enum"]


def test_the_review_shows_the_cloud_rewording(catalogue: Catalogue) -> None:
    data = _data()
    evaluation = assess(catalogue, data).evaluation
    assert evaluation is not None
    edits = clause_edits(catalogue, parse_answers(data, catalogue), evaluation)
    (edit_,) = edits["cloud.exit"]
    assert (edit_.key, edit_.number, edit_.kind, edit_.text) == (KEY, "CL-4-イ", "tailored", TEXT)
    assert edit_.catalogue_text.startswith(EXIT_2) and ("insert", "契約終了時には、") not in edit_.segments


def test_drift_flags_a_cloud_clause_whose_catalogue_text_changes(catalogue: Catalogue, content_copy: Path) -> None:
    edit(
        content_copy,
        "requirement_sets/cloud.yaml",
        EXIT_2,
        "他のサービスへ円滑に移行するため、契約終了時又はサービスの変更時には",
    )
    new = load_catalogue(content_copy)
    d = drift(catalogue, new, _data())
    assert [(t.key, t.requirement, t.status) for t in d.cloud_tailoring] == [(KEY, "cloud.exit", "catalogue_changed")]
    assert d.changed and "1件の文言を変更した条項で元の文言が変わります" in drift_summary(d)
    note = f"文言を変更した条項 {KEY} の元の文言が変わります（変更後の文言はそのまま使います）"
    assert cloud_sentences(d) == [f"クラウドサービス利用時の要件: {note}"]
    assert not any(r.tailoring for r in d.requirements)


def test_drift_flags_a_cloud_clause_whose_key_went(catalogue: Catalogue, content_copy: Path) -> None:
    def drop_last_exit_clause(data: Any) -> None:
        next(t for t in data["topics"] if t["id"] == "exit")["clauses"].pop()

    edit_yaml(content_copy, "requirement_sets/cloud.yaml", drop_last_exit_clause)
    data = _data()
    data["tailoring"]["cloud.exit.3"] = {"text": "削除の証明書を提出すること。", "reason": "理由"}
    d = drift(catalogue, load_catalogue(content_copy), data)
    assert [(t.key, t.status) for t in d.cloud_tailoring] == [("cloud.exit.3", "removed")]
