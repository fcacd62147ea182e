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

from sbd_tool.diagram_draw import png_size
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
    style_ids,
)
from sbd_tool.text import one_line, xml_safe

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "docx_templates" / "sbd-spec.docx"
TEXT_WIDTH_MM = 160


_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE, _T = (
    qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:rStyle", "w:t")
)
_VAL, _SPACE = qn("w:val"), "{http://www.w3.org/XML/1998/namespace}space"
_TBL, _TBLPR, _TBLSTYLE, _TBLW, _TBLLAYOUT, _TBLLOOK, _TBLGRID, _GRIDCOL = (
    qn(t) for t in ("w:tbl", "w:tblPr", "w:tblStyle", "w:tblW", "w:tblLayout", "w:tblLook", "w:tblGrid", "w:gridCol")
)
_TR, _TRPR, _CANTSPLIT, _TBLHEADER, _TC, _TCPR, _TCW = (
    qn(t) for t in ("w:tr", "w:trPr", "w:cantSplit", "w:tblHeader", "w:tc", "w:tcPr", "w:tcW")
)
_TYPE, _W = qn("w:type"), qn("w:w")
# What python-docx writes for a new table: banded look flags as Word's default table style expects.
_LOOK = tuple(
    (qn(f"w:{k}"), v)
    for k, v in (("firstColumn", "1"), ("firstRow", "1"), ("lastColumn", "0"), ("lastRow", "0"),
                 ("noHBand", "0"), ("noVBand", "1"), ("val", "04A0"))
)  # fmt: skip
FIGURE_HEIGHT_MM = 220  # the most a figure may take of an A4 page's text area


class TemplateError(Exception):
    """The Word template lacks styles the document needs."""


class _Writer:
    """Adds styled paragraphs. Style ids are resolved once: python-docx's own name look-up
    rescans every style per paragraph, which dominated the time to build a document."""

    def __init__(self, document: Document, ids: dict[str, str] | None = None) -> None:
        self.doc = document
        self.ids = ids if ids is not None else {style.name: style.style_id for style in document.styles}
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
        self._run(paragraph._p, text, style)

    def _run(self, p: Any, text: str, style: str | None = None) -> None:
        text = xml_safe(text)
        r = etree.SubElement(p, _R)
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
        """A grid table with a repeated header row, rows kept on one page, fixed column widths.

        Built directly as XML, like paragraphs: python-docx's table API re-searches the children
        of every row and cell it touches, which made a table of a few hundred rows (a large
        diagram's flows) cost more than the rest of the document."""
        total = sum(table.widths)
        twips = [str(Mm(TEXT_WIDTH_MM * w / total).twips) for w in table.widths]
        tbl = etree.Element(_TBL)
        tbl_pr = etree.SubElement(tbl, _TBLPR)
        etree.SubElement(tbl_pr, _TBLSTYLE).set(_VAL, self.ids["Table Grid"])
        width = etree.SubElement(tbl_pr, _TBLW)
        width.set(_TYPE, "auto")
        width.set(_W, "0")
        etree.SubElement(tbl_pr, _TBLLAYOUT).set(_TYPE, "fixed")  # the widths below, not autofit
        look = etree.SubElement(tbl_pr, _TBLLOOK)
        for key, value in _LOOK:
            look.set(key, value)
        grid = etree.SubElement(tbl, _TBLGRID)
        for w in twips:  # the grid widths, which LibreOffice and Word lay out from
            etree.SubElement(grid, _GRIDCOL).set(_W, w)
        header, text = self.ids[TABLE_HEADER], self.ids[TABLE_TEXT]
        for r, values in enumerate([table.headers, *table.rows]):
            tr = etree.SubElement(tbl, _TR)
            tr_pr = etree.SubElement(tr, _TRPR)
            etree.SubElement(tr_pr, _CANTSPLIT)  # keep a row on one page
            if r == 0:  # repeat the header row on every page
                etree.SubElement(tr_pr, _TBLHEADER)
            for value, w in zip(values, twips, strict=True):
                tc = etree.SubElement(tr, _TC)
                tc_w = etree.SubElement(etree.SubElement(tc, _TCPR), _TCW)
                tc_w.set(_TYPE, "dxa")
                tc_w.set(_W, w)
                lines = value.split("\n")
                for i, line in enumerate(lines):
                    p = etree.SubElement(tc, _P)
                    style = header if r == 0 and i == 0 else text
                    etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE).set(_VAL, style)
                    if line:
                        self._run(p, line)
        if self.end is not None:
            self.end.addprevious(tbl)
        else:
            self.body.append(tbl)
        self.add("", "Normal")

    def figure(self, png: bytes) -> None:
        """A picture as wide as the text, or less when that would make it taller than the page's room."""
        width, height = png_size(png)
        size = {"width": Mm(TEXT_WIDTH_MM)}
        if height * TEXT_WIDTH_MM > width * FIGURE_HEIGHT_MM:
            size = {"height": Mm(FIGURE_HEIGHT_MM)}
        figure = self.add("", FIGURE if FIGURE in self.ids else "Normal")
        figure.add_run().add_picture(io.BytesIO(png), **size)


def _check_template(document: Document, path: Path) -> None:
    names = style_ids(document, path)  # read once per worker and template
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
        w.figure(block.png)


def render_docx(model: DocumentModel, template: Path | None = None) -> bytes:
    """The specification as .docx bytes."""
    path = template or DEFAULT_TEMPLATE
    document = docx.Document(str(path))
    _check_template(document, path)
    _clear_body(document)
    w = _Writer(document, style_ids(document, path))
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
