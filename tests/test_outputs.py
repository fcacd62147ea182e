"""The three outputs of one document model (issue 15): the section to paste, the approval file
and the full package; Word structure, fields, captions, properties, office templates."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.document import Approval, DocumentModel, build_document, render_docx, render_docx_with_notes
from sbd_tool.document.compliance import compliance_rows
from sbd_tool.document.text_render import render_html, render_markdown
from sbd_tool.engine.rules import evaluate
from tests.conftest import example_data

TODAY = dt.date(2026, 11, 24)
EXAMPLES = ("citizen-portal", "cloud-interagency", "internal-small")


def model(catalogue: Catalogue, name: str, approval: Approval | None = None, **document: Any) -> DocumentModel:
    data = example_data(name)
    data["document"] = {**data.get("document", {}), **document}
    answers = parse_answers(data, catalogue)
    return build_document(catalogue, answers, evaluate(catalogue, answers), TODAY, approval)


def word(m: DocumentModel, kind: str, template: Any = None) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(m, template, kind)))  # type: ignore[arg-type]


def styled(document: docx.document.Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def all_text(document: docx.document.Document) -> str:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def instructions(document: docx.document.Document) -> list[str]:
    return [t.text.strip() for t in document.element.body.iter(qn("w:instrText"))]


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_section_to_paste_is_only_the_binding_clauses(catalogue: Catalogue, name: str) -> None:
    m = model(catalogue, name)
    document = word(m, "paste")
    cloud = ["クラウドサービス利用時の要件"] if m.cloud is not None else []
    qualified = ["入札参加資格（情報セキュリティに係るもの）"] if m.qualifications else []
    assert styled(document, "Heading 1") == ["情報セキュリティに関する事項", *cloud, *qualified]
    assert styled(document, "Title") == [] and styled(document, "SBD Meta") == []
    assert styled(document, "SBD Appendix Heading") == []
    text = all_text(document)
    for metadata in ("対策要件集", "別紙", "前提条件", "業務の特徴", "システム概要図", "判断条件", "承認：", "目次"):
        assert metadata not in text, metadata
    assert not document.inline_shapes  # no diagram
    assert [t.rows[0].cells[1].text for t in document.tables] == (["対策要件"] if m.cloud else [])  # 責任分担表 only
    # Requirement headings carry the id the matrix numbers by, not the level (閲覧資料 material).
    for heading in styled(document, "Heading 4"):
        assert re.fullmatch(r".+（[A-Z]{2}-\d+）", heading), heading
    # Every binding clause, in the matrix's order.
    clauses = styled(document, "SBD Clause")
    assert all(re.match("【(必須|提案)】", c) for c in clauses), "every clause is marked 必須 or 提案"
    assert [re.sub("^【..】", "", c).split("〕", 1)[-1] for c in clauses] == [r.clause for r in compliance_rows(m)]
    assert not [c for c in clauses if re.search(r"\{[a-z_]+\}", c)], "no placeholder left"
    assert "TOC" not in " ".join(instructions(document))


def test_the_section_to_paste_continues_the_office_chapters(catalogue: Catalogue) -> None:
    m = model(catalogue, "citizen-portal", start_chapter=7)
    document = word(m, "paste")
    numbering = document.part.numbering_part.element
    heading = document.styles["Heading 1"].element.pPr.numPr.numId.val
    num = next(n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == str(heading))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.iter(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    first = next(lv for lv in abstract.iter(qn("w:lvl")) if lv.get(qn("w:ilvl")) == "0")
    assert first.find(qn("w:start")).get(qn("w:val")) == "7"
    assert render_markdown(m, "paste").startswith("## 7. 情報セキュリティに関する事項\n")
    assert "<h2>7. 情報セキュリティに関する事項</h2>" in render_html(m, "paste")
    assert "<h2>1. 調達案件の概要</h2>" in render_html(m, "full")  # the other outputs stay at 1
    # The full package and the approval file always start at chapter 1.
    full = word(m, "full")
    assert full.part.numbering_part.element.find(f".//{qn('w:lvl')}/{qn('w:start')}").get(qn("w:val")) == "1"


@pytest.mark.parametrize("value", [0, 100, "3", True, 2.5, None])
def test_start_chapter_is_validated(catalogue: Catalogue, value: Any) -> None:
    data = example_data("internal-small")
    data["document"] = {"start_chapter": value}
    with pytest.raises(AnswersError) as raised:
        parse_answers(data, catalogue)
    assert [p.where for p in raised.value.problems] == ["document.start_chapter"]


@pytest.mark.parametrize("name", ["citizen-portal", "cloud-interagency"])
def test_the_approval_file_has_the_reasons_and_no_clauses(catalogue: Catalogue, name: str) -> None:
    m = model(catalogue, name)
    document = word(m, "approval")
    cloud = ["クラウドサービスの責任分担"] if m.cloud is not None else []
    assert styled(document, "Heading 1") == [
        "対象業務", "業務の特徴", "システム概要図", "前提条件", "実装レベルの決定", *cloud
    ]  # fmt: skip
    assert styled(document, "SBD Clause") == []  # the binding text is in the section to paste
    assert styled(document, "Title") == [f"{m.name}\n情報セキュリティ要件の決定根拠（閲覧資料）"]
    assert "承認：未承認（本書の版は、まだ承認されていない。）" in styled(document, "SBD Meta")
    decisions = next(t for t in document.tables if [c.text for c in t.rows[0].cells][2:4] == ["提案", "決定"])
    assert len(decisions.rows) == 1 + len(catalogue.requirements)  # every requirement, 対象外 included
    assert len(document.inline_shapes) == 1
    captions = styled(document, "Caption")
    assert "図1　システム概要図" in captions and "表5　対策要件の実装レベル決定表" in captions
    if m.cloud is not None:
        assert "表6　責任分担表" in captions
    approved = word(model(catalogue, name, Approval(12, "相談 花子", "デジタル庁", TODAY)), "approval")
    assert any("第12版" in line and "相談 花子" in line for line in styled(approved, "SBD Meta"))


def test_fields_captions_and_contents(catalogue: Catalogue) -> None:
    m = model(catalogue, "cloud-interagency")
    document = word(m, "full")
    fields = instructions(document)
    assert fields[0].startswith('TOC \\o "1-2"')
    begin = next(document.element.body.iter(qn("w:fldChar")))
    assert begin.get(qn("w:dirty")) == "true"  # Word fills in the page numbers when it opens the file
    seq = [f for f in fields if f.startswith("SEQ")]
    captions = styled(document, "Caption")
    assert len(seq) == len(captions) == len(document.tables) + len(document.inline_shapes)
    tables = [c for c in captions if c.startswith("表")]
    assert tables == [f"表{i}　{c.split('　', 1)[1]}" for i, c in enumerate(tables, start=1)]
    assert captions[:4] == ["表1　対象業務", "表2　業務の特徴", "図1　システム概要図", "表3　情報の流れ"]
    # Each contents entry links to a bookmark on its heading.
    anchors = [h.get(qn("w:anchor")) for h in document.element.body.iter(qn("w:hyperlink"))]
    marks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    entries = styled(document, "toc 1") + styled(document, "toc 2")
    assert anchors and set(anchors) <= marks and len(anchors) == len(entries)
    assert "1. 調達案件の概要" in entries and "5.1 侵害対策" in entries
    assert "別紙2　入札者向け説明（対策要件の根拠）" in entries
    assert "6. クラウドサービス利用時の要件" in entries


@pytest.mark.parametrize("kind", ["paste", "approval", "full"])
def test_properties_header_and_no_leftovers(catalogue: Catalogue, kind: str) -> None:
    m = model(catalogue, "citizen-portal")
    blob = render_docx(m, kind=kind)  # type: ignore[arg-type]
    document = docx.Document(io.BytesIO(blob))
    props = document.core_properties
    assert props.title.startswith("補助金電子申請ポータル")
    assert props.author == props.last_modified_by == "○○省 △△局 □□課"
    assert "sbd-tool" not in (props.comments or "") + (props.keywords or "")
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        app = package.read("docProps/app.xml").decode("utf-8")
        names = package.namelist()
        rels = package.read("_rels/.rels").decode("utf-8")
    assert "<Company>○○省 △△局 □□課</Company>" in app
    assert "Microsoft" not in app and "<Pages>" not in app and "thumbnail" not in rels
    assert not [n for n in names if "thumbnail" in n]
    header = document.sections[0].header.paragraphs
    assert header[0].text.startswith("補助金電子申請ポータル")
    text = all_text(document)
    assert "仕様書記載例" not in text
    assert "  " not in text and " 調達仕様書" not in text  # no stray spaces


def test_the_diagram_is_a_vector_picture_with_a_fallback_and_alt_text(catalogue: Catalogue) -> None:
    blob = render_docx(model(catalogue, "citizen-portal"), kind="approval")
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        types = package.read("[Content_Types].xml").decode("utf-8")
        targets = {r.get("Id"): r.get("Target") for r in rels}
        svg_ns = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
        (blip,) = body.iter(qn("a:blip"))
        (svg,) = blip.iter(f"{{{svg_ns}}}svgBlip")
        assert targets[blip.get(qn("r:embed"))].endswith(".png")
        svg_target = targets[svg.get(qn("r:embed"))]
        assert svg_target.endswith(".svg") and "image/svg+xml" in types
        assert package.read(f"word/{svg_target}").startswith(b"<svg")
    (doc_pr,) = body.iter(qn("wp:docPr"))
    assert doc_pr.get("descr", "").startswith("システム概要図")


def test_appendix_2_explains_the_chosen_level_only(catalogue: Catalogue) -> None:
    m = model(catalogue, "internal-small")
    not_applicable = {n.split(" ", 1)[0] for n in m.not_applicable}
    assert not_applicable  # UP-1, UP-2, … in this example
    headings = {e.heading.split(" ", 1)[0] for e in m.rationale}
    assert not headings & not_applicable, "no evidence asked for 対象外"
    for entry in m.rationale:
        labels = [label for label, _ in entry.items]
        assert "レベルの考え方" not in labels and "出典" not in labels
    evaluation = evaluate(catalogue, parse_answers(example_data("internal-small"), catalogue))
    ac1 = next(e for e in m.rationale if e.heading.startswith("AC-1 "))
    evidence = dict(ac1.items)["提出を求める証跡"]
    levels = catalogue.requirements["AC-1"].requirement.levels
    assert evaluation.requirements["AC-1"].decided == "middle"
    assert evidence == levels["low"].verification + levels["middle"].verification  # not 高位's
    document = word(m, "full")
    assert "別紙4　実装レベルの考え方（研修用）" not in styled(document, "SBD Appendix Heading")
    trained = word(model(catalogue, "internal-small", training_appendix=True), "full")
    assert styled(trained, "SBD Appendix Heading")[-1] == "別紙4　実装レベルの考え方（研修用）"
    assert "高位の確認の方法" in all_text(trained)


def _plain_template(tmp_path: Any) -> Any:
    path = tmp_path / "plain.docx"
    docx.Document().save(str(path))
    return path


def _office_template(tmp_path: Any) -> Any:
    """An office's own file: Normal in another font and size, headings restyled and numbered by
    a list of its own (as 第1章 …), a header of its own, no SBD styles."""
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Yu Mincho"
    normal.font.size = Pt(11)
    numbering = document.part.numbering_part.element
    numbering.append(
        etree.fromstring(
            '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'w:abstractNumId="7"><w:multiLevelType w:val="multilevel"/>'
            + "".join(
                f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                f'<w:lvlText w:val="第%{i + 1}節"/></w:lvl>'
                for i in range(4)
            )
            + "</w:abstractNum>"
        )
    )
    numbering.append(
        etree.fromstring(
            '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="7">'
            '<w:abstractNumId w:val="7"/></w:num>'
        )
    )
    for level in range(1, 5):
        heading = document.styles[f"Heading {level}"]
        heading.font.size = Pt(16 - level)
        heading.font.name = "Yu Gothic"
        num_pr = heading.element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level - 1
        num_pr.get_or_add_numId().val = 7
    document.sections[0].header.paragraphs[0].text = "○○省 調達仕様書"
    path = tmp_path / "office.docx"
    document.save(str(path))
    return path


def test_a_plain_template_gets_our_styles_with_a_note(catalogue: Catalogue, tmp_path: Any) -> None:
    m = model(catalogue, "cloud-interagency")
    data, notes = render_docx_with_notes(m, _plain_template(tmp_path), "full")
    assert any("SBD Clause" in n for n in notes) and any("番号" in n for n in notes)
    document = docx.Document(io.BytesIO(data))
    assert styled(document, "Heading 1")[:2] == ["調達案件の概要", "業務の特徴"]
    assert len(styled(document, "SBD Clause")) == len(compliance_rows(m))
    assert document.styles["Heading 1"].element.pPr.numPr is not None  # chapters numbered
    clause = document.styles["SBD Clause"].element.pPr.numPr
    assert clause.numId.val == document.styles["Heading 1"].element.pPr.numPr.numId.val  # one list
    assert len(styled(document, "Caption")) == len(document.tables) + 1
    # Our own template needs nothing.
    assert render_docx_with_notes(m, None, "paste")[1] == ()


def test_an_office_template_keeps_its_look_and_its_heading_numbers(catalogue: Catalogue, tmp_path: Any) -> None:
    m = model(catalogue, "citizen-portal")
    data, notes = render_docx_with_notes(m, _office_template(tmp_path), "paste")
    assert any("振り直します" in n for n in notes)
    document = docx.Document(io.BytesIO(data))
    assert document.styles["Normal"].font.name == "Yu Mincho"  # the office's, untouched
    assert document.styles["Heading 1"].element.pPr.numPr.numId.val == 7
    assert document.sections[0].header.paragraphs[0].text == "○○省 調達仕様書"  # its header stays
    # Each requirement's clauses start again at ア: a list instance of their own, restarting level 4.
    numbering = document.part.numbering_part.element
    restarted = {
        n.get(qn("w:numId"))
        for n in numbering.iter(qn("w:num"))
        if n.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}") is not None
    }
    clause_lists = []
    for p in document.paragraphs:
        if p.style.name == "SBD Clause":
            num_pr = p._p.pPr.numPr
            assert num_pr is not None and num_pr.numId.val
            clause_lists.append(str(num_pr.numId.val))
    assert set(clause_lists) <= restarted
    lists = sum(len(p.requirements) for c in m.security for p in c.policies) + (1 if m.qualifications else 0)
    assert len(set(clause_lists)) == lists


def test_a_file_that_is_no_word_document_is_refused(catalogue: Catalogue, tmp_path: Any) -> None:
    from sbd_tool.document import TemplateError

    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(TemplateError):
        render_docx(model(catalogue, "internal-small"), bad)


@pytest.mark.parametrize("kind", ["paste", "approval", "full"])
def test_generate_writes_each_output(tmp_path: Any, kind: str) -> None:
    from tests.conftest import ROOT
    from tests.test_cli import run

    out = tmp_path / f"{kind}.docx"
    code, stdout, _ = run("generate", str(ROOT / "examples" / "citizen-portal.yaml"), "-o", str(out),
                          "--output-kind", kind)  # fmt: skip
    assert code == 0, stdout
    headings = styled(docx.Document(str(out)), "Heading 1")
    first = {"paste": "情報セキュリティに関する事項", "approval": "対象業務", "full": "調達案件の概要"}[kind]
    assert headings[0] == first
    md = tmp_path / f"{kind}.md"
    assert run("generate", str(ROOT / "examples" / "citizen-portal.yaml"), "-o", str(md), "--output-kind", kind)[0] == 0
    assert first in md.read_text(encoding="utf-8")


def test_generate_notes_what_an_office_template_lacked(tmp_path: Any) -> None:
    from tests.conftest import ROOT
    from tests.test_cli import run

    out = tmp_path / "spec.docx"
    code, _, err = run("generate", str(ROOT / "examples" / "internal-small.yaml"), "-o", str(out),
                       "--template", str(_plain_template(tmp_path)))  # fmt: skip
    assert code == 0 and out.exists()
    assert "注意: --template: テンプレートにスタイル「SBD Clause」がないため" in err
    assert run("generate", str(ROOT / "examples" / "internal-small.yaml"), "-o", str(out), "--output-kind", "x")[0] == 2
