"""The compliance matrix (対応表): the .xlsx for bidders and the Word appendix."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import openpyxl

from sbd_tool.answers.read import parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.document import build_document, render_docx
from sbd_tool.document.compliance import ANSWERS, compliance_rows, compliance_xlsx
from sbd_tool.engine.rules import evaluate
from tests.conftest import ROOT, example_data
from tests.test_cli import run


def model(catalogue: Catalogue, name: str, **document: object):  # type: ignore[no-untyped-def]
    data = example_data(name)
    data["document"] = {**data.get("document", {}), **document}
    answers = parse_answers(data, catalogue)
    return build_document(catalogue, answers, evaluate(catalogue, answers), dt.date(2026, 11, 24))


def test_one_row_per_binding_clause_of_the_spec(catalogue: Catalogue) -> None:
    m = model(catalogue, "citizen-portal")
    rows = compliance_rows(m)
    clauses = [c for cat in m.security for p in cat.policies for r in p.requirements for c in r.clauses]
    assert [r.clause for r in rows] == [*clauses, *m.qualifications]
    assert rows[0].number == "AT-1-ア" and rows[1].number == "AT-1-イ"
    kinds = {"required": "必須", "proposal": "提案"}
    assert [r.kind for r in rows] == [kinds[c.obligation] for c in [*clauses, *m.qualifications]]
    assert all(r.level in ("低位", "中位", "高位") for r in rows[: len(clauses)])
    assert [r.number for r in rows[len(clauses) :]] == ["QL-ア"]  # the ISMS certification of SC-1 高位
    decided = {r.requirement.split()[0] for r in rows[: len(clauses)]}
    applicable = {rid for rid, o in evaluate(catalogue, parse_answers(example_data("citizen-portal"), catalogue))
                  .requirements.items() if o.decided != "not_applicable"}  # fmt: skip
    assert decided == applicable
    # The evidence of the decided level, once per requirement.
    assert rows[0].evidence.startswith(catalogue.requirements["AT-1"].requirement.levels["low"].verification)
    assert rows[1].evidence == "AT-1-アに同じ"


def test_the_cloud_chapter_is_in_the_matrix_with_who_implements_it(catalogue: Catalogue) -> None:
    m = model(catalogue, "cloud-interagency")
    rows = compliance_rows(m)
    paste = docx.Document(io.BytesIO(render_docx(m, kind="paste")))
    printed = [p.text for p in paste.paragraphs if p.style is not None and p.style.name == "SBD Clause"]
    assert len(rows) == len(printed)  # every binding clause of the Word file, the cloud chapter included
    assert [f"【{r.kind}】" + (f"〔{r.party}〕{r.clause}" if r.party else r.clause) for r in rows] == printed
    cloud = [r for r in rows if r.number.startswith("CL-")]
    assert cloud and cloud[0].number == "CL-1-ア" and cloud[0].requirement == "CL-1 クラウドサービスの選定"
    headings = [p.text for p in paste.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert "クラウドサービスの選定（CL-1）" in headings
    clause_rows = [r for r in rows if not r.number.startswith("QL-")]  # 入札参加資格 binds the bidder
    assert all(r.party for r in clause_rows), "on a cloud service the spec names who implements every clause"
    assert {r.party for r in rows} >= {"受注者", "クラウドサービス事業者"}


def test_the_workbook_is_ready_to_fill_in(catalogue: Catalogue) -> None:
    m = model(catalogue, "cloud-interagency")
    book = openpyxl.load_workbook(io.BytesIO(compliance_xlsx(m)))
    assert book.sheetnames == ["対応表", "記入要領"] and book.active.title == "対応表"
    sheet = book["対応表"]
    header = [c.value for c in sheet[4]]
    assert header == [
        "番号",
        "対策要件",
        "必須／提案",
        "要件（仕様書の記載）",
        "提出を求める証跡",
        "対応可否",
        "提案内容",
        "提案書記載箇所",
        "実施者",
        "備考",
    ]
    rows = compliance_rows(m)
    assert sheet.max_row == 4 + len(rows)
    assert sheet["A5"].value == rows[0].number and sheet["D5"].value == rows[0].clause
    assert sheet["C5"].value == rows[0].kind == "必須" and sheet["E5"].value == rows[0].evidence
    assert sheet["F5"].value is None and sheet["I5"].value == "受注者"  # left for the bidder / pre-filled
    numbers = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
    first_ql = next(i for i, n in enumerate(numbers) if n.startswith("QL-"))
    assert numbers[first_ql - 1].startswith("CL-")  # the cloud chapter's clauses, then 入札参加資格
    assert all(n.startswith("QL-") for n in numbers[first_ql:])
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"' + ",".join(ANSWERS) + '"'
    assert str(validation.sqref) == f"F5:F{4 + len(rows)}"
    assert sheet.freeze_panes == "C5"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.oddHeader.left.text == "行政機関間情報連携基盤" and sheet.oddFooter.center.text == "&P / &N"
    # Locked structure, open answer cells; every cell styled by a shared named style.
    assert sheet.protection.sheet and book.security.lockStructure
    assert {"sbd_header", "sbd_text", "sbd_answer", "sbd_title"} <= set(book.named_styles)
    for row in sheet.iter_rows(min_row=5):
        assert [c.style for c in row] == ["sbd_text"] * 5 + ["sbd_answer"] * 5
        assert [c.protection.locked for c in row] == [True] * 5 + [False] * 5
    assert sheet.row_dimensions[5].height > 15  # rows sized for their wrapped text
    notes = book["記入要領"]
    text = "".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "「必須」" in text and "提案書記載箇所" in text and "クラウドサービス利用時の要件" in text


def test_the_word_spec_can_carry_it_as_appendix_4(catalogue: Catalogue) -> None:
    with_appendix = docx.Document(io.BytesIO(render_docx(model(catalogue, "internal-small", compliance_appendix=True))))
    headings = [
        p.text for p in with_appendix.paragraphs if p.style is not None and p.style.name == "SBD Appendix Heading"
    ]
    assert headings[-1] == "別紙4　対応表"
    table = with_appendix.tables[-1]
    assert [c.text for c in table.rows[0].cells] == [
        "番号",
        "要件（仕様書の記載）",
        "対応可否",
        "提案内容",
        "実施者",
        "備考",
    ]
    # Each clause with its 【必須】/【提案】, as the spec prints it.
    assert all(re.match("【(必須|提案)】", r.cells[1].text) for r in table.rows[1:])
    without = docx.Document(io.BytesIO(render_docx(model(catalogue, "internal-small"))))
    assert "別紙4　対応表" not in [p.text for p in without.paragraphs]


def test_matrix_command(tmp_path: Path) -> None:
    out = tmp_path / "matrix.xlsx"
    code, stdout, _ = run("matrix", str(ROOT / "examples" / "internal-small.yaml"), "-o", str(out))
    assert code == 0 and out.exists() and "を出力しました" in stdout
    assert openpyxl.load_workbook(out)["対応表"]["A4"].value == "番号"
