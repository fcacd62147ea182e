"""The Word renderer's writer: styled paragraphs added to a document as XML (text runs, headings
with bookmarks, the title, captions, the table of contents, labelled items, figures), and the
clause list restarted under each requirement on an office's template."""

from __future__ import annotations

import io
from typing import Any

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from sbd_tool.diagram.draw import png_size
from sbd_tool.document.block_types import Figure
from sbd_tool.document.docx_xml import W_PPR, W_PSTYLE, W_R, W_RPR, W_RSTYLE, W_T, W_VAL, XML_SPACE, field, field_begin
from sbd_tool.document.style_names import CAPTION, CLAUSE, FIGURE, ITEM, LABEL, TOC_STYLES
from sbd_tool.text import xml_safe

TEXT_WIDTH_MM = 160
FIGURE_HEIGHT_MM = 210  # the most a figure may take of an A4 page's text area (its caption below it)
SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Word's blip extension for an SVG picture
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


class Writer:
    """Adds styled paragraphs (tables: ``docx_tables.draw_table``). Style ids are resolved once:
    python-docx's own name look-up rescans every style per paragraph, which dominated the time
    to build a document."""

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
        ppr = etree.SubElement(p, W_PPR)
        etree.SubElement(ppr, W_PSTYLE).set(W_VAL, self.ids[style])
        if container is not None:
            container._tc.append(p)
        else:
            self.place(p)
        paragraph = Paragraph(p, container if container is not None else self.doc._body)
        if text:
            self.run(paragraph, text)
        return paragraph

    def run(self, paragraph: Paragraph, text: str, style: str | None = None) -> None:
        """The one place text enters the document's XML: characters XML cannot carry (control
        characters, lone surrogates), which user text may contain, are dropped here."""
        self.text_run(paragraph._p, text, style)

    def place(self, element: Any) -> None:
        """``element`` at the end of the body, before the section properties."""
        if self.end is not None:
            self.end.addprevious(element)
        else:
            self.body.append(element)

    def text_run(self, p: Any, text: str, style: str | None = None) -> None:
        """A run of ``text`` appended to any XML parent (a paragraph, a hyperlink, a table cell's
        paragraph), with the characters XML cannot carry dropped."""
        text = xml_safe(text)
        r = etree.SubElement(p, W_R)
        if style is not None:
            etree.SubElement(etree.SubElement(r, W_RPR), W_RSTYLE).set(W_VAL, self.ids[style])
        t = etree.SubElement(r, W_T)
        t.text = text
        if text != text.strip():
            t.set(XML_SPACE, "preserve")

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
            num_pr = etree.SubElement(paragraph._p.find(W_PPR), qn("w:numPr"))
            etree.SubElement(num_pr, qn("w:ilvl")).set(W_VAL, "4")
            etree.SubElement(num_pr, qn("w:numId")).set(W_VAL, self.clause_list)

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
                etree.SubElement(etree.SubElement(paragraph._p, W_R), qn("w:br"))
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
        field(paragraph._p, f" SEQ {kind} \\* ARABIC ", str(self.captions[kind]))
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
                field_begin(p, ' TOC \\o "1-2" \\h \\z \\u ', dirty=True)
            link = etree.SubElement(p, qn("w:hyperlink"))
            link.set(qn("w:anchor"), bookmark)
            link.set(qn("w:history"), "1")
            self.text_run(link, text)
            if i == last:
                etree.SubElement(etree.SubElement(p, W_R), qn("w:fldChar")).set(qn("w:fldCharType"), "end")
        breaker = self.add("", "Normal")
        etree.SubElement(etree.SubElement(breaker._p, W_R), qn("w:br")).set(qn("w:type"), "page")

    def labelled(self, label: str, text: str, style: str = ITEM) -> None:
        p = self.add("", style)
        self.run(p, label, LABEL)
        self.run(p, "：" + text)

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


def _new_clause_list(document: Document) -> str:
    """A new instance of the clause style's list that starts its clause level again at ア."""
    numbering = document.part.numbering_part.element
    style = next((s for s in document.styles if s.name == CLAUSE), None)
    found = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}") if style is not None else None
    wanted = found.get(W_VAL) if found is not None else None
    num = next((n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == wanted), None)
    if num is None:
        return ""
    new_id = str(max(int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))) + 1)
    new = etree.SubElement(numbering, qn("w:num"))
    new.set(qn("w:numId"), new_id)
    etree.SubElement(new, qn("w:abstractNumId")).set(W_VAL, num.find(qn("w:abstractNumId")).get(W_VAL))
    override = etree.SubElement(new, qn("w:lvlOverride"))
    override.set(qn("w:ilvl"), "4")
    etree.SubElement(override, qn("w:startOverride")).set(W_VAL, "1")
    return new_id
