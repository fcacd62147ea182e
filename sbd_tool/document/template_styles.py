"""The template's styles: the document defaults (fonts, language) and every paragraph and
character style the specification is drawn with, set as a Japanese government spec is set."""

from __future__ import annotations

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.styles.style import BaseStyle, ParagraphStyle

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
)
from sbd_tool.document.template_numbering import number_style

MINCHO, GOTHIC, LATIN = "ＭＳ 明朝", "ＭＳ ゴシック", "Century"
TEXT_WIDTH_TWIPS = 9070  # 160 mm: A4 less two 25 mm margins


def add_styles(document: docx.document.Document) -> None:
    """Every style of the template, in the order they are defined in styles.xml."""
    _defaults(document)
    _body(document)
    _headings(document)
    _title(document)
    _clause(document)
    _tables(document)
    _appendix(document)
    _caption(document)
    for level in (1, 2):
        _toc_style(document, level)
    _header(document)
    _minor(document)


def _defaults(document: docx.document.Document) -> None:
    """The document's default fonts (Century, ＭＳ 明朝) and languages."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    rfonts.set(qn("w:ascii"), LATIN)
    rfonts.set(qn("w:hAnsi"), LATIN)
    rfonts.set(qn("w:eastAsia"), MINCHO)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "ja-JP")


def _body(document: docx.document.Document) -> None:
    normal = document.styles["Normal"]
    _fonts(normal, MINCHO)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.line_spacing = 1.0  # single, as Japanese specifications are set


def _headings(document: docx.document.Document) -> None:
    """Heading 1–4 in Gothic, each linked to its level of the numbering."""
    for level, size in enumerate((14, 12, 11, 10.5), start=1):
        heading = document.styles[f"Heading {level}"]
        _plain(heading)
        _fonts(heading, GOTHIC)
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.paragraph_format.space_before = Pt(12 if level == 1 else 6)
        heading.paragraph_format.space_after = Pt(3)
        number_style(heading, level - 1)


def _title(document: docx.document.Document) -> None:
    title = _as_paragraph(document.styles["Title"])
    _plain(title)
    _fonts(title, GOTHIC)
    title.font.size = Pt(18)
    title.font.bold = True
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(24)
    title.paragraph_format.space_after = Pt(18)


def _clause(document: docx.document.Document) -> None:
    """The clause style, numbered ア, イ, … at the list's fifth level."""
    clause = _paragraph_style(document, CLAUSE, "Normal")
    clause.paragraph_format.left_indent = Pt(31.5)
    clause.paragraph_format.first_line_indent = Pt(-15.75)
    clause.paragraph_format.space_after = Pt(1)
    number_style(clause, 4)


def _tables(document: docx.document.Document) -> None:
    table_text = _paragraph_style(document, TABLE_TEXT, "Normal")
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    header = _paragraph_style(document, TABLE_HEADER, TABLE_TEXT)
    _fonts(header, GOTHIC)
    header.font.bold = True


def _appendix(document: docx.document.Document) -> None:
    """An appendix's heading: on a new page, and at the outline's first level (for the contents)."""
    appendix = _paragraph_style(document, APPENDIX, "Normal")
    _fonts(appendix, GOTHIC)
    appendix.font.size = Pt(14)
    appendix.font.bold = True
    appendix.paragraph_format.page_break_before = True
    appendix.paragraph_format.keep_with_next = True
    appendix.paragraph_format.space_after = Pt(8)
    appendix.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))


def _caption(document: docx.document.Document) -> None:
    caption = _as_paragraph(document.styles[CAPTION])
    _plain(caption)
    _fonts(caption, GOTHIC)
    caption.font.size = Pt(9.5)
    caption.font.bold = True
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(2)


def _header(document: docx.document.Document) -> None:
    header_style = _as_paragraph(document.styles[HEADER])
    header_style.font.size = Pt(9)
    header_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _minor(document: docx.document.Document) -> None:
    """Notes, figures, the title page's metadata, labelled items and the label character style."""
    note = _paragraph_style(document, NOTE, "Normal")
    note.font.size = Pt(9)
    figure = _paragraph_style(document, FIGURE, "Normal")
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True
    meta = _paragraph_style(document, META, "Normal")
    meta.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    item = _paragraph_style(document, ITEM, "Normal")
    item.paragraph_format.left_indent = Pt(21)
    item.paragraph_format.first_line_indent = Pt(-10.5)
    label = document.styles.add_style(LABEL, WD_STYLE_TYPE.CHARACTER)
    _fonts(label, GOTHIC)
    label.font.bold = True


def _fonts(style: BaseStyle, east_asia: str, latin: str = LATIN) -> None:
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _plain(style: BaseStyle) -> None:
    """Drop the default template's colours and borders: a government spec is black on white."""
    for tag in ("w:color", "w:i", "w:iCs", "w:spacing", "w:kern"):
        for el in style.element.findall(f".//{qn('w:rPr')}/{qn(tag)}"):
            el.getparent().remove(el)
    for el in style.element.findall(f".//{qn('w:pBdr')}"):
        el.getparent().remove(el)


def _paragraph_style(document: docx.document.Document, name: str, base: str) -> ParagraphStyle:
    style = _as_paragraph(document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH))
    style.base_style = document.styles[base]
    style.quick_style = True
    return style


def _as_paragraph(style: BaseStyle) -> ParagraphStyle:
    """A paragraph style looked up by name (python-docx types the lookup as any kind of style)."""
    assert isinstance(style, ParagraphStyle), style.name
    return style


def _toc_style(document: docx.document.Document, level: int) -> None:
    """Word's built-in 「目次 1」「目次 2」 (name ``toc N``, id ``TOCN``), which Word also uses when it
    updates the table of contents: the page number right-aligned after a dotted leader."""
    indent = (level - 1) * 210
    style = parse_xml(
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="TOC{level}"><w:name w:val="toc {level}"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
        f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH_TWIPS}"/></w:tabs>'
        f'<w:spacing w:after="0"/><w:ind w:left="{indent}"/></w:pPr></w:style>'
    )
    document.styles.element.append(style)
