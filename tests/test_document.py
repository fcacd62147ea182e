"""The Word specification: content checked with python-docx, conversion with LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from sbd_tool.answers.read import load_answers, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.document import build_document, render_docx
from sbd_tool.engine.rules import evaluate
from tests.conftest import EXAMPLES, MINIMAL, ROOT, example_data

TODAY = dt.date(2026, 11, 24)


def generate(catalogue: Catalogue, path: Path) -> tuple[docx.document.Document, bytes, object]:
    answers = load_answers(path, catalogue)
    evaluation = evaluate(catalogue, answers)
    data = render_docx(build_document(catalogue, answers, evaluation, TODAY))
    return docx.Document(io.BytesIO(data)), data, evaluation


def paragraphs(document: docx.document.Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_structure_and_levels(catalogue: Catalogue, example: Path) -> None:
    document, _, evaluation = generate(catalogue, example)
    cloud = ["クラウドサービス利用時の要件"] if evaluation.cloud is not None else []  # type: ignore[attr-defined]
    # 入札参加資格: the ISMS certification of SC-1 高位, the ISMAP registration of a cloud service.
    entry = evaluation.cloud is not None or evaluation.requirements["SC-1"].decided == "high"  # type: ignore[attr-defined]
    qualified = ["入札参加資格（情報セキュリティに係るもの）"] if entry else []
    assert paragraphs(document, "Heading 1") == [
        "調達案件の概要",
        "業務の特徴",
        "システム概要図",
        "前提条件",
        "セキュリティ要件",
        *cloud,
        *qualified,
    ]
    assert paragraphs(document, "SBD Appendix Heading") == [
        "別紙1　対策要件の実装レベル決定表",
        "別紙2　入札者向け説明（対策要件の根拠）",
        "別紙3　対策要件集の版及び出典",
    ]
    headings = paragraphs(document, "Heading 4")
    for rid, outcome in evaluation.requirements.items():  # type: ignore[attr-defined]
        name = catalogue.requirements[rid].requirement.name
        label = catalogue.level_label(outcome.decided)
        if outcome.decided == "not_applicable":
            assert not any(f"（{rid}・" in h for h in headings)
        else:
            assert f"{name}（{rid}・{label}）" in headings
    decision_table = next(t for t in document.tables if t.rows[0].cells[2].text == "提案")
    assert [c.text for c in decision_table.rows[0].cells][:4] == ["ID", "対策要件", "提案", "決定"]
    rows = {r.cells[0].text: r for r in decision_table.rows[1:]}
    assert len(rows) == len(catalogue.requirements)
    for rid, outcome in evaluation.requirements.items():  # type: ignore[attr-defined]
        flag = "（引下げ）" if outcome.lowered else ""
        assert rows[rid].cells[3].text == catalogue.level_label(outcome.decided) + flag
    assert document.paragraphs[0].style.name == "Title"
    assert "\n" in document.paragraphs[0].text  # the name, then the kind of document: each on a line
    assert "令和8年11月24日" in [p.text for p in document.paragraphs[:4]]


def test_clauses_accumulate_by_level(catalogue: Catalogue) -> None:
    document, _, evaluation = generate(catalogue, ROOT / "examples" / "citizen-portal.yaml")
    clauses = [re.sub("^【(必須|提案)】", "", c) for c in paragraphs(document, "SBD Clause")]
    ac1 = catalogue.requirements["AC-1"].requirement
    # AC-1 is 高位 here: its low, middle and high clauses are all present, in order, except the
    # one for remote use, which this staff-in-the-office system does not have.
    omitted = {(o.level, o.position) for o in evaluation.requirements["AC-1"].omitted}  # type: ignore[attr-defined]
    assert omitted == {("middle", 1)}
    expected = [
        c
        for lv in ("low", "middle", "high")
        for i, c in enumerate(ac1.levels[lv].clauses)  # type: ignore[index]
        if (lv, i) not in omitted
    ]
    rule = "12文字以上、英大文字、英小文字及び数字をそれぞれ1文字以上含む"  # the example's parameters.password_rule
    expected = [c.replace("{password_rule}", rule) for c in expected]
    start = clauses.index(expected[0])
    assert clauses[start : start + len(expected)] == expected
    assert all(c.endswith("こと。") for c in clauses)
    assert not any("{" in c for c in clauses)


def test_placeholders_from_answers_and_defaults(catalogue: Catalogue) -> None:
    document, _, _ = generate(catalogue, ROOT / "examples" / "citizen-portal.yaml")
    text = "\n".join(paragraphs(document, "SBD Clause"))
    assert "5年間" in text  # parameters.log_retention
    internal, _, _ = generate(catalogue, ROOT / "examples" / "internal-small.yaml")
    assert "1年間" in "\n".join(paragraphs(internal, "SBD Clause"))


def test_numbering_and_fonts_are_styles(catalogue: Catalogue) -> None:
    document, _, _ = generate(catalogue, EXAMPLES[0])
    styles = document.styles
    for name, level in (("Heading 1", 0), ("Heading 4", 3), ("SBD Clause", 4)):
        num_pr = styles[name].element.pPr.numPr
        assert num_pr is not None and num_pr.ilvl.val == level, name
    numbering = document.part.numbering_part.element
    formats = [
        lvl.find(qn("w:numFmt")).get(qn("w:val"))
        for lvl in numbering.iter(qn("w:lvl"))
        if lvl.getparent().get(qn("w:abstractNumId")) == "90"
    ]
    assert formats[3:5] == ["decimal", "aiueoFullWidth"]
    fonts = styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "ＭＳ 明朝"
    # No paragraph carries typed numbering or direct run formatting (the table of contents
    # writes out the numbers, as Word does, in a field that Word rebuilds).
    for p in document.paragraphs:
        assert p.style.name.startswith("toc") or not p.text.startswith(("(1)", "ア　", "1."))
        for run in p.runs:
            assert run.element.rPr is None or run.element.rPr.rFonts is None


def test_hostile_text_does_not_break_the_document(catalogue: Catalogue) -> None:
    hostile = "<script>alert(1)</script>\x00\x07\x1b&amp;\u202e右から左\ud800😀" + "長" * 1500
    data = {
        **MINIMAL,
        "project": {
            "name": hostile[:190],
            "organisation": "<b>省</b>",
            "purpose": hostile,
            "tasks": [{"name": "受付\x0c", "subjects": [{"name": hostile[:50], "kind": "staff"}]}],
        },
    }
    answers = parse_answers(data, catalogue)
    blob = render_docx(build_document(catalogue, answers, evaluate(catalogue, answers), TODAY))
    document = docx.Document(io.BytesIO(blob))
    assert "<script>alert(1)</script>&amp;右から左😀" in document.paragraphs[0].text
    assert "\x00" not in document.paragraphs[0].text and "\u202e" not in document.paragraphs[0].text


def _pdf_text(soffice: str, data: bytes, tmp_path: Path, stem: str) -> tuple[str, str, int]:
    """The PDF LibreOffice makes of ``data``: its text, its image list and its page count."""
    source = tmp_path / f"{stem}.docx"
    source.write_bytes(data)
    result = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / f"{stem}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    return text, images, pages


@pytest.mark.libreoffice
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_libreoffice_converts_all_three_outputs(catalogue: Catalogue, example: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by scripts/setup.sh"
    data = example_data(example.stem)
    data["document"] = {**data.get("document", {}), "start_chapter": 7}
    answers = parse_answers(data, catalogue)
    model = build_document(catalogue, answers, evaluate(catalogue, answers), TODAY)
    # The full package: numbering definitions render as numbers (chapters, requirements (1),
    # clauses ア), with the appendices, the diagram as a picture and its flow table.
    text, images, _ = _pdf_text(soffice, render_docx(model, kind="full"), tmp_path, "full")
    assert "5. セキュリティ要件" in text
    assert "(1) " in text and "ア " in text
    assert re.search(r"別紙\s*1", text) and re.search(r"別紙\s*3", text)
    assert len(images.strip().splitlines()) >= 3, images  # two header lines, then one line per image
    assert "通過する境界" in text and re.search(r"図\s*1\s+システム概要図", text) and "目次" in text
    # The section to paste: chapter 7 (the office's next), the clauses, nothing else.
    text, images, pages = _pdf_text(soffice, render_docx(model, kind="paste"), tmp_path, "paste")
    assert "7. 情報セキュリティに関する事項" in text and "7.1 " in text and "ア " in text
    assert len(images.strip().splitlines()) == 2, images  # no picture
    assert not re.search(r"別紙\s*1|対策要件集の版|前提条件|目次", text)
    if example.stem == "citizen-portal":
        assert pages <= 13, "the section to paste is a few pages of the office's spec (docs/outputs.md)"
    # The approval file: the diagram, the level table.
    text, images, _ = _pdf_text(soffice, render_docx(model, kind="approval"), tmp_path, "approval")
    assert "実装レベルの決定" in text and "前提条件" in text and "閲覧資料" in text
    assert len(images.strip().splitlines()) >= 3, images
