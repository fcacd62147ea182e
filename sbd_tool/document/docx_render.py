"""Draw a ``DocumentModel`` as a Word document on a styles template. The only module that
knows python-docx. Everything is placed with named styles, so an office can restyle it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from lxml import etree

from sbd_tool.document.blocks import Block, Figure, Heading, Label, Labelled, Para, TableBlock, blocks
from sbd_tool.document.clean import clean_block
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
from sbd_tool.text import one_line, xml_safe

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "docx_templates" / "sbd-spec.docx"
TEXT_WIDTH_MM = 160


_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE, _T = (
    qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:rStyle", "w:t")
)
_VAL, _SPACE = qn("w:val"), "{http://www.w3.org/XML/1998/namespace}space"


class TemplateError(Exception):
    """The Word template lacks styles the document needs."""


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
        """The one place text enters the document's XML: characters XML cannot carry (control
        characters, lone surrogates), which user text may contain, are dropped here."""
        text = xml_safe(text)
        r = etree.SubElement(paragraph._p, _R)
        if style is not None:
            etree.SubElement(etree.SubElement(r, _RPR), _RSTYLE).set(_VAL, self.ids[style])
        t = etree.SubElement(r, _T)
        t.text = text
        if text != text.strip():
            t.set(_SPACE, "preserve")

    def para(self, text: str, style: str = "Normal") -> None:
        for line in text.split("\n"):
            self.add(line, style)

    def heading(self, text: str, level: int) -> None:
        self.add(text, f"Heading {level}")

    def labelled(self, label: str, text: str, style: str = ITEM) -> None:
        p = self.add("", style)
        self.run(p, label, LABEL)
        self.run(p, "：" + text)

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
                lines = value.split("\n")
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


PARA_STYLES = {"title": "Title", "meta": META, "normal": "Normal", "note": NOTE, "clause": CLAUSE, "appendix": APPENDIX}


def _draw(w: _Writer, block: Block) -> None:
    if isinstance(block, Heading):
        w.heading(block.text, block.level)
    elif isinstance(block, Para):
        w.para(block.text, PARA_STYLES[block.style])
    elif isinstance(block, Label):
        p = w.add("", "Normal")
        p.paragraph_format.keep_with_next = True
        w.run(p, block.text, LABEL)
    elif isinstance(block, Labelled):
        w.labelled(block.label, block.text)
    elif isinstance(block, TableBlock):
        w.table(block.table)
    elif isinstance(block, Figure):
        figure = w.add("", FIGURE if FIGURE in w.ids else "Normal")
        figure.add_run().add_picture(io.BytesIO(block.png), width=Mm(TEXT_WIDTH_MM))


def render_docx(model: DocumentModel, template: Path | None = None) -> bytes:
    """The specification as .docx bytes."""
    path = template or DEFAULT_TEMPLATE
    document = docx.Document(str(path))
    _check_template(document, path)
    _clear_body(document)
    w = _Writer(document)
    for block in blocks(model):
        _draw(w, clean_block(block))  # whatever is stored: no separators, no bidi overrides
    props = document.core_properties
    props.title = one_line(model.title)  # the core properties are XML too
    props.subject = "情報セキュリティ要件"
    props.comments = f"sbd-tool {model.content_version}"
    moment = dt.datetime.combine(model.date, dt.time(0, 0))
    props.created = props.modified = moment
    props.revision = 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
