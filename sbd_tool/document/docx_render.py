"""Draw a ``DocumentModel`` as a Word document on a styles template. The only module that
knows python-docx. Everything is placed with named styles, so an office can restyle it."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from lxml import etree

from sbd_tool.document.compliance import FILL_IN, compliance_rows
from sbd_tool.document.model import DocumentModel, Table
from sbd_tool.document.template import (
    APPENDIX,
    CLAUSE,
    FIGURE,
    ITEM,
    LABEL,
    META,
    NOTE,
    REQUIRED_STYLES,
    TABLE_HEADER,
    TABLE_TEXT,
)

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "docx_templates" / "sbd-spec.docx"
TEXT_WIDTH_MM = 160
# Characters XML 1.0 cannot carry; user text may contain them and must not break the file.
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE, _T = (
    qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:rStyle", "w:t")
)
_VAL, _SPACE = qn("w:val"), "{http://www.w3.org/XML/1998/namespace}space"


class TemplateError(Exception):
    """The Word template lacks styles the document needs."""


def clean(text: str) -> str:
    """User text made safe for WordprocessingML (control characters and lone surrogates removed)."""
    return _ILLEGAL.sub("", text)


class _Writer:
    """Adds styled paragraphs. Style ids are resolved once: python-docx's own name look-up
    rescans every style per paragraph, which dominated the time to build a document."""

    def __init__(self, document: Document) -> None:
        self.doc = document
        self.ids = {style.name: style.style_id for style in document.styles}
        self.body = document.element.body
        self.end = self.body.find(qn("w:sectPr"))  # paragraphs go before the section properties

    def add(self, text: str, style: str, container: Any = None) -> Paragraph:
        """A paragraph in ``style`` at the end of the body (or of a table cell), built directly
        as XML: python-docx's generic child insertion searched every sibling for each element
        and took most of a document's time."""
        p = OxmlElement("w:p")  # python-docx's element classes, so Paragraph methods still work
        ppr = etree.SubElement(p, _PPR)
        etree.SubElement(ppr, _PSTYLE).set(_VAL, self.ids[style])
        if container is not None:
            container._tc.append(p)
        elif self.end is not None:
            self.end.addprevious(p)
        else:
            self.body.append(p)
        paragraph = Paragraph(p, container if container is not None else self.doc._body)
        if text:
            self.run(paragraph, text)
        return paragraph

    def run(self, paragraph: Paragraph, text: str, style: str | None = None) -> None:
        r = etree.SubElement(paragraph._p, _R)
        if style is not None:
            etree.SubElement(etree.SubElement(r, _RPR), _RSTYLE).set(_VAL, self.ids[style])
        t = etree.SubElement(r, _T)
        t.text = text
        if text != text.strip():
            t.set(_SPACE, "preserve")

    def para(self, text: str, style: str = "Normal") -> None:
        for line in clean(text).split("\n"):
            self.add(line, style)

    def heading(self, text: str, level: int) -> None:
        self.add(clean(text), f"Heading {level}")

    def labelled(self, label: str, text: str, style: str = ITEM) -> None:
        p = self.add("", style)
        self.run(p, clean(label), LABEL)
        self.run(p, "：" + clean(text))

    def table(self, table: Table) -> None:
        grid = self.doc.add_table(rows=1 + len(table.rows), cols=len(table.headers))
        grid.style = self.doc.styles["Table Grid"]
        grid.autofit = False
        total = sum(table.widths)
        widths = [Mm(TEXT_WIDTH_MM * w / total) for w in table.widths]
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = width  # the grid widths, which LibreOffice and Word lay out from
        for r, (row, values) in enumerate(zip(grid.rows, [table.headers, *table.rows], strict=True)):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))  # keep a row on one page
            if r == 0:  # repeat the header row on every page
                tr_pr.append(OxmlElement("w:tblHeader"))
            for cell, value, width in zip(row.cells, values, widths, strict=True):
                cell.width = width
                lines = clean(value).split("\n") or [""]
                first = cell.paragraphs[0]
                first._p.style = self.ids[TABLE_HEADER if r == 0 else TABLE_TEXT]
                if lines[0]:
                    self.run(first, lines[0])
                for line in lines[1:]:
                    self.add(line, TABLE_TEXT, cell)
        self.add("", "Normal")


def _check_template(document: Document, path: Path) -> None:
    names = {s.name for s in document.styles}
    missing = [s for s in REQUIRED_STYLES if s not in names]
    if missing:
        raise TemplateError(f"{path}: テンプレートに必要なスタイルがありません: {', '.join(missing)}")


def _clear_body(document: Document) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _sections(w: _Writer, model: DocumentModel) -> None:
    w.heading("調達案件の概要", 1)
    w.heading("目的", 2)
    w.para(model.purpose)
    if model.effects:
        w.heading("期待する効果", 2)
        w.para(model.effects)
    w.heading("対象業務", 2)
    w.table(model.tasks)
    w.heading("業務の特徴", 1)
    w.para("対象業務ごとの主体、取り扱う情報及び利用環境・手段は、次のとおりである。")
    w.table(model.matrix)
    w.heading("システム概要図", 1)
    if model.diagram_png is None:
        w.para("情報システムの構成及び情報の流れは、別途示すシステム概要図による。")
    else:
        w.para("情報システムの構成及び情報の流れは、次の図及び表のとおりである（図中の番号は表の番号に対応する）。")
        figure = w.add("", FIGURE if FIGURE in w.ids else "Normal")
        figure.add_run().add_picture(io.BytesIO(model.diagram_png), width=Mm(TEXT_WIDTH_MM))
        if model.flows is not None:
            w.table(model.flows)
    w.heading("前提条件", 1)
    w.para("セキュリティ要件の決定に当たり前提とした条件は、次のとおりである。")
    w.table(model.answers)
    w.heading("セキュリティ要件", 1)
    w.para(model.security_intro)
    for category in model.security:
        w.heading(category.name, 2)
        for policy in category.policies:
            w.heading(policy.name, 3)
            for req in policy.requirements:
                w.heading(f"{req.name}（{req.id}・{req.level_label}）", 4)
                for clause in req.clauses:
                    w.para(clause, CLAUSE)
    if model.not_applicable:
        w.para("次の対策要件は、本調達では対象外とする（理由は別紙1のとおり）。")
        w.para("、".join(model.not_applicable), NOTE)
    if model.cloud is not None:
        w.heading("クラウドサービス利用時の要件", 1)
        w.para(model.cloud.intro)
        w.heading("責任分担", 2)
        w.para("対策要件ごとの実施主体は、次のとおりとする（●が実施主体）。")
        w.table(model.cloud.responsibility)
        for title, clauses in model.cloud.topics:
            w.heading(title, 2)
            for clause in clauses:
                w.para(clause, CLAUSE)


def _appendices(w: _Writer, model: DocumentModel) -> None:
    w.para("別紙1　対策要件の実装レベル決定表", APPENDIX)
    w.para("各対策要件について、判断条件から提案された実装レベルと、決定した実装レベル及びその理由を示す。")
    w.table(model.decisions)
    if model.warnings:
        w.run(w.add("", "Normal"), "確認事項（回答と業務の特徴の不一致）", LABEL)
        for warning in model.warnings:
            w.para("・" + warning, NOTE)
    w.para("別紙2　入札者向け説明（対策要件の根拠）", APPENDIX)
    w.para("入札者が要件の趣旨を理解し、同じ前提で提案できるよう、各対策要件の根拠と確認方法を示す。")
    for entry in model.rationale:
        p = w.add("", "Normal")
        p.paragraph_format.keep_with_next = True
        w.run(p, clean(entry.heading), LABEL)
        for label, text in entry.items:
            w.labelled(label, text)
    w.para("別紙3　対策要件集の版及び出典", APPENDIX)
    for line in model.provenance:
        w.para(line)
    if model.compliance_appendix:
        w.para("別紙4　対応表", APPENDIX)
        w.para("入札者は、各要件への対応可否（対応可・一部対応・対応不可）、提案内容、実施者及び備考を記入して提出すること。")
        rows = tuple((r.number, r.clause, "", "", "", "") for r in compliance_rows(model))
        w.table(Table(("番号", "要件（仕様書の記載）", *FILL_IN), rows, (1.3, 5, 1.2, 3, 1.2, 1.5)))


def render_docx(model: DocumentModel, template: Path | None = None) -> bytes:
    """The specification as .docx bytes."""
    path = template or DEFAULT_TEMPLATE
    document = docx.Document(str(path))
    _check_template(document, path)
    _clear_body(document)
    w = _Writer(document)
    w.para(model.title, "Title")
    for line in _meta_lines(model):
        w.para(line, META)
    _sections(w, model)
    _appendices(w, model)
    props = document.core_properties
    props.title = clean(model.title)
    props.subject = "情報セキュリティ要件"
    props.comments = f"sbd-tool {model.content_version}"
    moment = dt.datetime.combine(model.date, dt.time(0, 0))
    props.created = props.modified = moment
    props.revision = 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _meta_lines(model: DocumentModel) -> Iterable[str]:
    if model.organisation:
        yield model.organisation
    yield model.date_text
    yield f"対策要件集の版：{model.content_version}"
