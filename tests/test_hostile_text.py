"""Hostile free text (markup, control characters, bidi overrides, emoji, huge strings, CRLF) in
every field a user types goes into the Word document, the .xlsx, the HTML page, the Markdown and
the diagram without breaking any of them, and shows as the text that was typed."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from lxml import etree

from sbd_tool.answers.read import Answers, AnswersError, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.diagram.draw import to_svg
from sbd_tool.diagram.layout import layout
from sbd_tool.document import DocumentModel, build_document, render_docx
from sbd_tool.document.compliance import MAX_CELL, compliance_xlsx
from sbd_tool.document.text_render import render_html, render_markdown
from sbd_tool.engine.rules import decision_problems, evaluate
from sbd_tool.text import clean_input, one_line, xml_safe
from tests.conftest import example_data

TODAY = dt.date(2026, 11, 24)
# One line of hostile text: control characters are spread inside the visible parts, so that
# finding the visible parts whole shows the controls were removed and nothing else was.
LINE = (
    "<scr\x00ipt>alert(1)</scr\x01ipt> \"'&<> ]]\x08> &amp; \u202e右から左\u202c "
    "a\u200db 👩🏽\u200d💻 \x0b\x0c\x1b[31m\x7f\x85\ufffe\uffff\ud800end"
)
# As a name (one line): format characters go too, the bidi override and the joiners alike.
SHOWN = "<script>alert(1)</script> \"'&<> ]]> &amp; 右から左 ab 👩🏽💻 [31mend"
# As a line of a text with lines: the joiners (U+200D builds the emoji) stay, the override goes.
SHOWN_TEXT = "<script>alert(1)</script> \"'&<> ]]> &amp; 右から左 a\u200db 👩🏽\u200d💻 [31mend"
# Several lines, Windows newlines, and lines that would be Markdown markup.
LINES = LINE + "\r\n# 見出し\r\n- 項目\r\n1. 番号\r    字下げ\n---"
SHOWN_LINES = [SHOWN_TEXT, "# 見出し", "- 項目", "1. 番号", "    字下げ", "---"]
LONG = "長" * 10_000
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
FORMULA = '=HYPERLINK("http://example.com","x")'


def test_clean_input_and_xml_safe() -> None:
    assert clean_input(LINE) == SHOWN_TEXT and one_line(LINE) == SHOWN
    assert clean_input(LINES).split("\n") == SHOWN_LINES
    assert one_line(LINES) == " ".join(SHOWN_LINES).replace(SHOWN_TEXT, SHOWN)
    assert xml_safe("a\x00\x01b\tc\nd\re\x7f\x85\ud800\ufffe😀") == "ab\tc\nd\re\x7f\x85😀"  # XML allows DEL, C1
    assert clean_input("") == xml_safe("") == ""


def hostile_data(long: str = LONG) -> dict[str, Any]:
    """The citizen-portal example with hostile text in every free-text field (and some ids);
    ``long`` is added to the subjects' names, the decision reasons and a parameter."""
    data = example_data("citizen-portal")
    project = data["project"]
    project |= {"name": "案件" + LINE, "organisation": FORMULA + LINE, "purpose": LINES, "effects": LINES}
    renamed: dict[str, str] = {}  # old name → new, so that the diagram keeps pointing at them
    for i, task in enumerate(project["tasks"]):
        task["name"] = f"業務{i}{LINE}"
        task["description"] = LINES
        for subject in task["subjects"]:
            subject["name"] = renamed.setdefault(subject["name"], f"{subject['name']}{LINE}{long}")
        for info in task["information"]:
            info["name"] = renamed.setdefault(info["name"], f"{info['name']}{LINE}")
    project["tasks"][0]["id"] = "T1<b>\x00"
    diagram = data["diagram"]
    zone = 'Z1" onmouseover="alert(1)'
    for z in diagram["zones"]:
        z["label"] = z["label"] + LINE
        if z["id"] == "Z1":
            z["id"] = zone
    for e in diagram["elements"]:
        e["label"] = renamed.get(e["label"], e["label"] + LINE)
        if e["zone"] == "Z1":
            e["zone"] = zone
    for f in diagram["flows"]:
        f["information"] = renamed[f["information"]]
    for decision in data["decisions"].values():
        decision["reason"] = LINES + long
    data["parameters"] = {"log_retention": LINE + long * 4, "backup_interval": LINES}
    data["document"] |= {"compliance_appendix": True}  # the title is the name's (see test_document_title)
    return data


@pytest.fixture(scope="module")
def hostile(catalogue: Catalogue) -> tuple[Answers, DocumentModel]:
    answers = parse_answers(hostile_data(), catalogue)
    evaluation = evaluate(catalogue, answers)
    assert decision_problems(catalogue, evaluation) == []
    return answers, build_document(catalogue, answers, evaluation, TODAY)


def test_parsing_keeps_the_visible_text(hostile: tuple[Answers, DocumentModel]) -> None:
    answers, _ = hostile
    assert answers.project.organisation == FORMULA + SHOWN
    assert answers.project.purpose.split("\n") == SHOWN_LINES
    assert answers.project.tasks[0].id == "T1<b>"
    assert answers.project.tasks[0].subjects[0].name.endswith(SHOWN + LONG)
    assert answers.decisions["AC-2"].reason.startswith(SHOWN_TEXT + "\n# 見出し")
    assert answers.diagram is not None and answers.diagram.zones[0].id == 'Z1" onmouseover="alert(1)'


def test_length_limits_refuse_with_a_clear_message(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data["project"]["name"] = LONG
    data["project"]["purpose"] = "\x00\x1b\x7f"  # nothing visible: as if left empty
    data["project"]["tasks"][0]["name"] = "長" * 200 + "\x00" * 50  # counted after cleaning: fits
    with pytest.raises(AnswersError) as caught:
        parse_answers(data, catalogue)
    assert [str(p) for p in caught.value.problems] == [
        "project.name: 「情報システムの名称」は200文字以内にしてください（10000文字）",
        "project.purpose: 「調達の目的」を入力してください",
    ]


def all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_word_document(hostile: tuple[Answers, DocumentModel]) -> None:
    blob = render_docx(hostile[1])
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        for name in ("word/document.xml", "docProps/core.xml"):
            root = etree.fromstring(package.read(name))  # well-formed XML
            assert not CONTROLS.search("".join(root.itertext())), name
    document = docx.Document(io.BytesIO(blob))
    text = all_text(document)
    title = f"案件{SHOWN}　調達仕様書（情報セキュリティ要件）"
    assert document.core_properties.title == title
    assert document.paragraphs[0].text == f"案件{SHOWN}\n調達仕様書（情報セキュリティ要件）"  # a line each
    assert document.paragraphs[1].text == FORMULA + SHOWN  # the organisation
    assert not CONTROLS.search(text)
    for line in SHOWN_LINES:  # each line of a multi-line text is a paragraph of its own
        assert line in [p.text for p in document.paragraphs]
    for expected in ("業務0" + SHOWN, "T1<b>", SHOWN + LONG, SHOWN + "長" * 100):
        assert expected in text


def test_compliance_workbook(hostile: tuple[Answers, DocumentModel]) -> None:
    blob = compliance_xlsx(hostile[1])
    sheet = openpyxl.load_workbook(io.BytesIO(blob))["対応表"]
    assert sheet["A1"].value == f"案件{SHOWN}　調達仕様書（情報セキュリティ要件）　対応表"
    assert sheet["A2"].value.startswith(FORMULA + SHOWN) and sheet["A2"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")  # no formula anywhere
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(len(v) <= MAX_CELL for v in values)
    assert any(v.endswith("…") and len(v) == MAX_CELL for v in values)  # the 40,000-character retention
    assert not any(CONTROLS.search(v) for v in values)


def test_document_title(catalogue: Catalogue) -> None:
    data = example_data("internal-small")
    data["document"] = {"title": FORMULA + LINES}
    answers = parse_answers(data, catalogue)
    model = build_document(catalogue, answers, evaluate(catalogue, answers), TODAY)
    document = docx.Document(io.BytesIO(render_docx(model)))
    title = FORMULA + one_line(LINES)  # a title is one line: its line ends became spaces
    assert document.core_properties.title == title
    assert document.paragraphs[0].text == title
    cell = openpyxl.load_workbook(io.BytesIO(compliance_xlsx(model)))["対応表"]["A1"]
    assert cell.value == title + "　対応表" and cell.data_type == "s"
    assert "<title>" + html.escape(title) + "</title>" in render_html(model)
    # The URL is escaped where renderers would autolink it (\\: and \\. show as : and .).
    assert render_markdown(model).startswith('# \\=HYPERLINK("http\\://example\\.com","x")\\<script\\>')


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_page(hostile: tuple[Answers, DocumentModel]) -> None:
    page = render_html(hostile[1])
    assert "<script" not in page.lower() and "onmouseover" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&#x27;&amp;&lt;&gt; ]]&gt; &amp;amp;" in page
    assert not CONTROLS.search(page)
    parser = _Tags()
    parser.feed(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "h5", "p", "br"}
    allowed |= {"ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "figure", "img", "strong"}
    allowed |= {"caption", "figcaption"}
    assert {tag for tag, _ in parser.tags} <= allowed
    assert not [name for _, attrs in parser.tags for name, _ in attrs if name.startswith("on")]
    shown = "".join(parser.text)
    assert SHOWN in shown and "案件" + SHOWN in shown and "# 見出し" in shown


def test_markdown(catalogue: Catalogue, hostile: tuple[Answers, DocumentModel]) -> None:
    text = render_markdown(hostile[1])
    assert not CONTROLS.search(text)
    assert not re.findall(r"(?<!\\)<(?!br>)", text)  # every < is escaped: no raw HTML gets through
    assert r"\<script\>alert(1)\</script\> " + "\"'" + r"\&\<\> \]\]\> \&amp;" in text
    # Text that looks like markup stays text: the same headings and table shapes as the example.
    plain = parse_answers(example_data("citizen-portal") | {"document": {"compliance_appendix": True}}, catalogue)
    reference = render_markdown(build_document(catalogue, plain, evaluate(catalogue, plain), TODAY))

    def outline(markdown: str) -> list[str]:
        lines = markdown.splitlines()
        headings = [line.split(" ")[0] for line in lines if line.startswith("#")]
        shapes = [str(len(re.findall(r"(?<!\\)\|", line))) for line in lines if line.startswith("|")]
        lists = [str(sum(1 for line in lines if re.match(r"\s*([-+*]|\d+[.)])\s", line)))]
        return headings + shapes + lists

    assert outline(text) == outline(reference)
    assert r"\# 見出し" in text and r"\- 項目" in text and r"1\. 番号" in text and "\n字下げ" in text


def test_diagram_svg(catalogue: Catalogue, hostile: tuple[Answers, DocumentModel]) -> None:
    answers, _ = hostile
    assert answers.diagram is not None
    svg = to_svg(layout(catalogue, answers.diagram))
    root = etree.fromstring(svg.encode("utf-8"))  # well-formed
    zones = [g.get("data-zone") for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "zone"]
    assert 'Z1" onmouseover="alert(1)' in zones  # the id is an attribute value, not attributes
    assert not [a for el in root.iter() for a in el.attrib if a.startswith("on")]
    assert "<script" not in svg


@pytest.mark.libreoffice
def test_libreoffice_converts_the_word_document(catalogue: Catalogue, tmp_path: Path) -> None:
    """Without the 10,000-character texts, which LibreOffice takes minutes to lay out in table
    cells (but does). Only Writer is installed, so the workbook is checked with openpyxl alone."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by scripts/setup.sh"
    answers = parse_answers(hostile_data(long=""), catalogue)
    source = tmp_path / "spec.docx"
    source.write_bytes(render_docx(build_document(catalogue, answers, evaluate(catalogue, answers), TODAY)))
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    pdf = tmp_path / "spec.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "alert(1)" in text and "見出し" in text
