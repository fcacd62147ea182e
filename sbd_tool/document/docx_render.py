"""Draw a ``DocumentModel`` as a Word document on a styles template. The only module (with
``template`` and ``office``) that knows python-docx. Everything is placed with named styles, so
an office can restyle it; numbers are Word's own (list numbering for chapters and clauses, SEQ
fields for captions, a TOC field with PAGEREF entries for the contents)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from sbd_tool.diagram.draw import png_size
from sbd_tool.document.block_types import (
    Block,
    Contents,
    Figure,
    Heading,
    Label,
    Labelled,
    Numbers,
    Para,
    TableBlock,
    Title,
)
from sbd_tool.document.blocks import blocks, document_title, first_chapter
from sbd_tool.document.clean import clean_block
from sbd_tool.document.docx_properties import extended_properties
from sbd_tool.document.kinds import OutputKind
from sbd_tool.document.model import DocumentModel, Table
from sbd_tool.document.office import fit_template, set_first_chapter
from sbd_tool.document.style_names import (
    APPENDIX,
    CAPTION,
    CLAUSE,
    FIGURE,
    HEADER,
    ITEM,
    LABEL,
    META,
    NOTE,
    TABLE_HEADER,
    TABLE_TEXT,
    TOC_STYLES,
)
from sbd_tool.document.template import style_ids
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
_KEEPNEXT = qn("w:keepNext")
COMPACT_ROWS = 40  # a table of at most this many one-line rows is kept on one page
TALL_CELL = 300  # characters: a row with a longer cell may break across pages
FIGURE_HEIGHT_MM = 210  # the most a figure may take of an A4 page's text area (its caption below it)
SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Word's blip extension for an SVG picture
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


class TemplateError(Exception):
    """The Word template lacks styles the document needs."""


class _Writer:
    """Adds styled paragraphs. Style ids are resolved once: python-docx's own name look-up
    rescans every style per paragraph, which dominated the time to build a document."""

    def __init__(self, document: Document, restart_clauses: bool = False, ids: dict[str, str] | None = None) -> None:
        self.doc = document
        self.ids = ids if ids is not None else {style.name: style.style_id for style in document.styles}
        self.body = document.element.body
        self.end = self.body.find(qn("w:sectPr"))  # paragraphs go before the section properties
        self.captions = {"表": 0, "図": 0}
        self.bookmark = 0
        # An office template whose headings have numbering of their own: the clause list does not
        # restart under each requirement by itself, so each requirement's clauses get a list instance.
        self.restart_clauses = restart_clauses
        self.clause_list: str | None = None

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

    def para(self, text: str, style: str = "Normal") -> Paragraph:
        for line in text.split("\n"):
            paragraph = self.add(line, style)
            if style == CLAUSE and self.restart_clauses:
                self._restart(paragraph)
        return paragraph

    def _restart(self, paragraph: Paragraph) -> None:
        if self.clause_list is None:
            self.clause_list = _new_clause_list(self.doc)
        if self.clause_list:
            num_pr = etree.SubElement(paragraph._p.find(_PPR), qn("w:numPr"))
            etree.SubElement(num_pr, qn("w:ilvl")).set(_VAL, "4")
            etree.SubElement(num_pr, qn("w:numId")).set(_VAL, self.clause_list)

    def heading(self, text: str, style: str, bookmark: str | None = None) -> None:
        paragraph = self.add("", style)
        self.clause_list = None
        if bookmark is None:
            self.run(paragraph, text)
            return
        self.bookmark += 1
        start = etree.SubElement(paragraph._p, qn("w:bookmarkStart"))
        start.set(qn("w:id"), str(self.bookmark))
        start.set(qn("w:name"), bookmark)
        self.run(paragraph, text)
        etree.SubElement(paragraph._p, qn("w:bookmarkEnd")).set(qn("w:id"), str(self.bookmark))

    def title(self, lines: tuple[str, ...]) -> None:
        """One title paragraph, a line break between its lines, so that Word never breaks a
        procurement's name in the middle."""
        paragraph = self.add("", "Title")
        for i, line in enumerate(lines):
            if i:
                etree.SubElement(etree.SubElement(paragraph._p, _R), qn("w:br"))
            self.run(paragraph, line)

    def caption(self, kind: str, text: str, keep_with_next: bool) -> None:
        """「表1　…」: the number a SEQ field, as Word's own 図表番号 inserts it."""
        self.captions[kind] += 1
        paragraph = self.add("", CAPTION)
        if keep_with_next:  # a table's caption, above it
            paragraph.paragraph_format.keep_with_next = True
        else:  # a figure's, below the centred picture
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(paragraph, kind)
        _field(paragraph._p, f" SEQ {kind} \\* ARABIC ", str(self.captions[kind]))
        self.run(paragraph, "　" + text)

    def contents(self, entries: list[tuple[int, str, str]]) -> None:
        """A TOC field marked dirty, so that Word builds it with page numbers when it opens the
        file. Until then (and in LibreOffice, which shows a field's stored result) it lists the
        headings, each linked to its heading's bookmark; no page numbers are guessed."""
        label = self.add("", "Normal")
        label.paragraph_format.keep_with_next = True
        label.paragraph_format.space_before = Pt(18)
        self.run(label, "目次", LABEL)
        if not entries:
            return
        last = len(entries) - 1
        for i, (level, text, bookmark) in enumerate(entries):
            paragraph = self.add("", TOC_STYLES[min(level, len(TOC_STYLES)) - 1])
            p = paragraph._p
            if i == 0:
                _field_begin(p, ' TOC \\o "1-2" \\h \\z \\u ', dirty=True)
            link = etree.SubElement(p, qn("w:hyperlink"))
            link.set(qn("w:anchor"), bookmark)
            link.set(qn("w:history"), "1")
            self._run(link, text)
            if i == last:
                etree.SubElement(etree.SubElement(p, _R), qn("w:fldChar")).set(qn("w:fldCharType"), "end")
        breaker = self.add("", "Normal")
        etree.SubElement(etree.SubElement(breaker._p, _R), qn("w:br")).set(qn("w:type"), "page")

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
        # Rows whose paragraphs keep with the next: a table never starts with its header and one
        # row at the foot of a page, and a short table of short rows is never split at all.
        compact = len(table.rows) <= COMPACT_ROWS and all(len(c) <= 40 for row in table.rows for c in row)
        keep = len(table.rows) if compact else min(2, len(table.rows) - 1)
        for r, values in enumerate([table.headers, *table.rows]):
            tr = etree.SubElement(tbl, _TR)
            tr_pr = etree.SubElement(tr, _TRPR)
            if r == 0 or max(map(len, values)) <= TALL_CELL:  # keep a row on one page, unless it
                etree.SubElement(tr_pr, _CANTSPLIT)  # is tall enough to leave half a page blank
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
                    ppr = etree.SubElement(p, _PPR)
                    etree.SubElement(ppr, _PSTYLE).set(_VAL, style)
                    if r < keep:
                        etree.SubElement(ppr, _KEEPNEXT)
                    if line:
                        self._run(p, line)
        if self.end is not None:
            self.end.addprevious(tbl)
        else:
            self.body.append(tbl)
        self.add("", "Normal")

    def figure(self, figure: Figure) -> None:
        """A picture as wide as the text, or less when that would make it taller than the page's
        room; the SVG drawing when there is one (current Word shows it, older Word and LibreOffice
        the PNG), with the alternative text screen readers announce."""
        width, height = png_size(figure.png)
        size = {"width": Mm(TEXT_WIDTH_MM)}
        if height * TEXT_WIDTH_MM > width * FIGURE_HEIGHT_MM:
            size = {"height": Mm(FIGURE_HEIGHT_MM)}
        paragraph = self.add("", FIGURE)
        inline = paragraph.add_run().add_picture(io.BytesIO(figure.png), **size)._inline
        doc_pr = inline.docPr
        doc_pr.set("name", f"図{self.captions['図'] + 1}")
        doc_pr.set("descr", xml_safe(figure.alt))
        if figure.svg:
            from docx.opc.constants import RELATIONSHIP_TYPE as RT
            from docx.opc.part import Part

            package = self.doc.part.package
            part = Part(package.next_partname("/word/media/image%d.svg"), "image/svg+xml",
                        figure.svg.encode("utf-8"), package)  # fmt: skip
            rid = self.doc.part.relate_to(part, RT.IMAGE)
            blip = inline.find(f".//{qn('a:blip')}")
            ext = etree.SubElement(etree.SubElement(blip, qn("a:extLst")), qn("a:ext"))
            ext.set("uri", SVG_EXTENSION)
            svg = etree.SubElement(ext, f"{{{SVG_NS}}}svgBlip", nsmap={"asvg": SVG_NS})
            svg.set(qn("r:embed"), rid)


def _field_begin(parent: Any, instruction: str, dirty: bool = False) -> None:
    begin = etree.SubElement(etree.SubElement(parent, _R), qn("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:  # Word updates the field when it opens the document
        begin.set(qn("w:dirty"), "true")
    instr = etree.SubElement(etree.SubElement(parent, _R), qn("w:instrText"))
    instr.text = instruction
    instr.set(_SPACE, "preserve")
    etree.SubElement(etree.SubElement(parent, _R), qn("w:fldChar")).set(qn("w:fldCharType"), "separate")


def _field(parent: Any, instruction: str, result: str) -> None:
    """A complex field (begin, instruction, separate, result, end) appended to ``parent``."""
    _field_begin(parent, instruction)
    t = etree.SubElement(etree.SubElement(parent, _R), _T)
    t.text = result
    etree.SubElement(etree.SubElement(parent, _R), qn("w:fldChar")).set(qn("w:fldCharType"), "end")


def _new_clause_list(document: Document) -> str:
    """A new instance of the clause style's list that starts its clause level again at ア."""
    numbering = document.part.numbering_part.element
    style = next((s for s in document.styles if s.name == CLAUSE), None)
    found = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}") if style is not None else None
    wanted = found.get(_VAL) if found is not None else None
    num = next((n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == wanted), None)
    if num is None:
        return ""
    new_id = str(max(int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))) + 1)
    new = etree.SubElement(numbering, qn("w:num"))
    new.set(qn("w:numId"), new_id)
    etree.SubElement(new, qn("w:abstractNumId")).set(_VAL, num.find(qn("w:abstractNumId")).get(_VAL))
    override = etree.SubElement(new, qn("w:lvlOverride"))
    override.set(qn("w:ilvl"), "4")
    etree.SubElement(override, qn("w:startOverride")).set(_VAL, "1")
    return new_id


def _clear_body(document: Document) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


PARA_STYLES = {"title": "Title", "meta": META, "normal": "Normal", "note": NOTE, "clause": CLAUSE, "appendix": APPENDIX}


def _draw(w: _Writer, block: Block, bookmark: str | None, contents: list[tuple[int, str, str]]) -> None:
    if isinstance(block, Title):
        w.title(block.lines)
    elif isinstance(block, Contents):
        w.contents(contents)
    elif isinstance(block, Heading):
        w.heading(block.text, f"Heading {block.level}", bookmark)
    elif isinstance(block, Para) and block.style == "appendix":
        w.heading(block.text, APPENDIX, bookmark)
    elif isinstance(block, Para):
        w.para(block.text, PARA_STYLES[block.style])
    elif isinstance(block, Label):
        p = w.add("", "Normal")
        p.paragraph_format.keep_with_next = True
        w.run(p, block.text, LABEL)
    elif isinstance(block, Labelled):
        w.labelled(block.label, block.text)
    elif isinstance(block, TableBlock):
        if block.caption:
            w.caption("表", block.caption, keep_with_next=True)
        w.table(block.table)
    elif isinstance(block, Figure):
        w.figure(block)
        if block.caption:
            w.caption("図", block.caption, keep_with_next=False)


def _keep_with_next(w: _Writer) -> None:
    last = w.end.getprevious() if w.end is not None else w.body[-1]
    if last is not None and last.tag == _P:
        etree.SubElement(last.find(_PPR), _KEEPNEXT)


def _contents(drawn: list[Block], first: int, depth: int) -> tuple[dict[int, str], list[tuple[int, str, str]]]:
    """The headings the table of contents lists (chapters and sections down to ``depth``, and
    the appendices), each with its number as Word numbers it and a bookmark name."""
    numbers = Numbers(first)
    marks: dict[int, str] = {}
    entries: list[tuple[int, str, str]] = []
    for i, block in enumerate(drawn):
        if isinstance(block, Heading):
            number = numbers.heading(block.level)
            if block.level <= depth:
                marks[i] = f"_Toc{i:06d}"
                entries.append((block.level, f"{number} {block.text}", marks[i]))
        elif isinstance(block, Para) and block.style == "appendix":
            marks[i] = f"_Toc{i:06d}"
            entries.append((1, block.text, marks[i]))
    return marks, entries


HEADER_SUFFIX = {"paste": "", "approval": "（閲覧資料）", "full": ""}


def _header(document: Document, text: str) -> None:
    """The procurement's name at the head of every page, unless the office's template has a header."""
    header = document.sections[0].header
    if any(p.text.strip() for p in header.paragraphs) or not text:
        return
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    if HEADER in {s.name for s in document.styles}:
        paragraph.style = document.styles[HEADER]
    paragraph.add_run(xml_safe(text))


def render_docx(model: DocumentModel, template: Path | None = None, kind: OutputKind = "full") -> bytes:
    """One of the three outputs (``blocks``) as .docx bytes."""
    return render_docx_with_notes(model, template, kind)[0]


def render_docx_with_notes(
    model: DocumentModel, template: Path | None = None, kind: OutputKind = "full"
) -> tuple[bytes, tuple[str, ...]]:
    """The .docx bytes and what had to be added to an office's template to draw them (notes)."""
    path = template or DEFAULT_TEMPLATE
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # not a Word document at all (python-docx raises several kinds)
        raise TemplateError(f"{path}: Word 文書（.docx）として読めません（{type(exc).__name__}）") from exc
    fitted = fit_template(document, DEFAULT_TEMPLATE)
    _clear_body(document)
    first = first_chapter(model, kind)
    if first != 1:
        set_first_chapter(document, first)
    w = _Writer(document, fitted.restart_clauses, style_ids(document, path))  # read once per template
    drawn = [clean_block(block) for block in blocks(model, kind)]  # no separators, no bidi overrides
    depth = next((b.depth for b in drawn if isinstance(b, Contents)), 0)
    marks, entries = _contents(drawn, first, depth) if depth else ({}, [])
    for i, block in enumerate(drawn):
        _draw(w, block, marks.get(i), entries)
        following = drawn[i + 1] if i + 1 < len(drawn) else None
        if isinstance(block, Para) and block.style == "normal" and isinstance(following, TableBlock | Figure):
            _keep_with_next(w)  # the sentence that introduces a table or figure stays on its page
    name = one_line(model.name or model.title)
    _header(document, name + HEADER_SUFFIX[kind])
    organisation = one_line(model.organisation)
    props = document.core_properties  # the core properties are XML too: one line each
    props.title = one_line(document_title(model, kind))
    props.subject = "情報セキュリティ要件"
    props.author = props.last_modified_by = organisation
    props.comments = props.keywords = props.category = ""
    moment = dt.datetime.combine(model.date, dt.time(0, 0))
    props.created = props.modified = moment
    props.revision = 1
    extended_properties(document, organisation)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), tuple(fitted.notes)
