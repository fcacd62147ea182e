"""Draw a ``DocumentModel`` as a Word document on a styles template. The only modules (with the
``docx_*``, ``template*`` and ``office`` ones) that know python-docx. Everything is placed with
named styles, so an office can restyle it; numbers are Word's own (list numbering for chapters and
clauses, SEQ fields for captions, a TOC field with PAGEREF entries for the contents).

This module draws the blocks in order and sets the file's header and properties; paragraphs are
written by ``docx_paragraphs``, tables by ``docx_tables``."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

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
from sbd_tool.document.docx_paragraphs import Writer
from sbd_tool.document.docx_properties import extended_properties
from sbd_tool.document.docx_tables import draw_table
from sbd_tool.document.docx_xml import W_KEEPNEXT, W_P, W_PPR
from sbd_tool.document.kinds import OutputKind
from sbd_tool.document.model import DocumentModel
from sbd_tool.document.office import fit_template, set_first_chapter
from sbd_tool.document.style_names import APPENDIX, CLAUSE, HEADER, LABEL, META, NOTE
from sbd_tool.document.template import style_ids
from sbd_tool.text import one_line, xml_safe

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "docx_templates" / "sbd-spec.docx"


class TemplateError(Exception):
    """The Word template lacks styles the document needs."""


def _clear_body(document: Document) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


PARA_STYLES = {"title": "Title", "meta": META, "normal": "Normal", "note": NOTE, "clause": CLAUSE, "appendix": APPENDIX}


def _draw(w: Writer, block: Block, bookmark: str | None, contents: list[tuple[int, str, str]]) -> None:
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
        draw_table(w, block.table)
    elif isinstance(block, Figure):
        w.figure(block)
        if block.caption:
            w.caption("図", block.caption, keep_with_next=False)


def _keep_with_next(w: Writer) -> None:
    last = w.end.getprevious() if w.end is not None else w.body[-1]
    if last is not None and last.tag == W_P:
        etree.SubElement(last.find(W_PPR), W_KEEPNEXT)


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
    w = Writer(document, fitted.restart_clauses, style_ids(document, path))  # read once per template
    _draw_blocks(w, model, kind, first)
    name = one_line(model.name or model.title)
    _header(document, name + HEADER_SUFFIX[kind])
    _properties(document, model, kind)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), tuple(fitted.notes)


def _draw_blocks(w: Writer, model: DocumentModel, kind: OutputKind, first: int) -> None:
    """The output's blocks, each drawn in turn, with the table of contents' bookmarks."""
    drawn = [clean_block(block) for block in blocks(model, kind)]  # no separators, no bidi overrides
    depth = next((b.depth for b in drawn if isinstance(b, Contents)), 0)
    marks, entries = _contents(drawn, first, depth) if depth else ({}, [])
    for i, block in enumerate(drawn):
        _draw(w, block, marks.get(i), entries)
        following = drawn[i + 1] if i + 1 < len(drawn) else None
        if isinstance(block, Para) and block.style == "normal" and isinstance(following, TableBlock | Figure):
            _keep_with_next(w)  # the sentence that introduces a table or figure stays on its page


def _properties(document: Document, model: DocumentModel, kind: OutputKind) -> None:
    """The file's core and extended properties: the output's title, the organisation, the date."""
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
