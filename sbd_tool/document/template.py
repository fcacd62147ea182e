"""Build ``docx_templates/sbd-spec.docx``: the styles and numbering the spec is drawn with.

Run ``sbd-tool build-template`` after changing this file. An office can instead supply its
own .docx (``--template``): a style in ``REQUIRED_STYLES`` that it lacks is added from this
template (``sbd_tool.document.office``), with a note, so any .docx works.
Numbering is a Word multilevel list linked to the heading styles, so 1. / 1.1 / (1) / ア
are real numbering definitions that restyle and renumber with the document.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle, ParagraphStyle

NUM_ID = 90
MINCHO, GOTHIC, LATIN = "ＭＳ 明朝", "ＭＳ ゴシック", "Century"
CLAUSE, TABLE_TEXT, TABLE_HEADER = "SBD Clause", "SBD Table Text", "SBD Table Header"
FIGURE = "SBD Figure"
CAPTION = "Caption"  # 「表1　…」「図1　…」 (Word's built-in caption style)
TOC_STYLES = ("toc 1", "toc 2")  # Word's built-in names for the table of contents entries
HEADER = "Header"
APPENDIX, NOTE, META, ITEM, LABEL = (
    "SBD Appendix Heading",
    "SBD Note",
    "SBD Meta",
    "SBD Item",
    "SBD Label",
)
REQUIRED_STYLES = (
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Table Grid",
    CLAUSE,
    TABLE_TEXT,
    TABLE_HEADER,
    APPENDIX,
    NOTE,
    META,
    ITEM,
    LABEL,
    FIGURE,
    CAPTION,
    *TOC_STYLES,
    HEADER,
)
TEXT_WIDTH_TWIPS = 9070  # 160 mm: A4 less two 25 mm margins

# ilvl → (style id linked to the level, number format, level text, suffix, left indent, hanging)
# in twips. Clauses use a tab so wrapped lines align with the text, not the number.
_LEVELS = (
    ("Heading1", "decimal", "%1.", "space", 0, 0),
    ("Heading2", "decimal", "%1.%2", "space", 0, 0),
    ("Heading3", "decimal", "%1.%2.%3", "space", 0, 0),
    ("Heading4", "decimal", "(%4)", "space", 0, 0),
    ("SBDClause", "aiueoFullWidth", "%5", "tab", 630, 315),
)


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


def _number(style: BaseStyle, ilvl: int) -> None:
    num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = NUM_ID


def _numbering_xml() -> tuple[object, object]:
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:pStyle w:val="{style}"/><w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>'
        f'<w:ind w:left="{left}" w:hanging="{hang}"/></w:pPr></w:lvl>'
        for i, (style, fmt, text, suffix, left, hang) in enumerate(_LEVELS)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUM_ID}">'
        f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    )
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="{NUM_ID}"/></w:num>')
    return abstract, num


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


APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Company>{company}</Company><DocSecurity>0</DocSecurity></Properties>"
)


def extended_properties(document: docx.document.Document, company: str) -> None:
    """docProps/app.xml as this document's own: the organisation as company, nothing left over
    from the file python-docx started from (an application name, a page count of 1). A package
    thumbnail, which would show that other file's first page, is dropped."""
    from xml.sax.saxutils import escape

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    blob = APP_XML.format(company=escape(company)).encode("utf-8")
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
    existing = next((p for p in package.iter_parts() if p.partname == "/docProps/app.xml"), None)
    if existing is not None:
        existing._blob = blob
        return
    part = Part(PackURI("/docProps/app.xml"), APP_CONTENT_TYPE, blob, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


APP_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"


def build_template(path: Path) -> None:
    """Write the template .docx to ``path``."""
    document = docx.Document()
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
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

    normal = styles["Normal"]
    _fonts(normal, MINCHO)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.line_spacing = 1.0  # single, as Japanese specifications are set

    for level, size in enumerate((14, 12, 11, 10.5), start=1):
        heading = styles[f"Heading {level}"]
        _plain(heading)
        _fonts(heading, GOTHIC)
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.paragraph_format.space_before = Pt(12 if level == 1 else 6)
        heading.paragraph_format.space_after = Pt(3)
        _number(heading, level - 1)

    title = _as_paragraph(styles["Title"])
    _plain(title)
    _fonts(title, GOTHIC)
    title.font.size = Pt(18)
    title.font.bold = True
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(24)
    title.paragraph_format.space_after = Pt(18)

    clause = _paragraph_style(document, CLAUSE, "Normal")
    clause.paragraph_format.left_indent = Pt(31.5)
    clause.paragraph_format.first_line_indent = Pt(-15.75)
    clause.paragraph_format.space_after = Pt(1)
    _number(clause, 4)

    table_text = _paragraph_style(document, TABLE_TEXT, "Normal")
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    header = _paragraph_style(document, TABLE_HEADER, TABLE_TEXT)
    _fonts(header, GOTHIC)
    header.font.bold = True

    appendix = _paragraph_style(document, APPENDIX, "Normal")
    _fonts(appendix, GOTHIC)
    appendix.font.size = Pt(14)
    appendix.font.bold = True
    appendix.paragraph_format.page_break_before = True
    appendix.paragraph_format.keep_with_next = True
    appendix.paragraph_format.space_after = Pt(8)
    appendix.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))

    caption = _as_paragraph(styles[CAPTION])
    _plain(caption)
    _fonts(caption, GOTHIC)
    caption.font.size = Pt(9.5)
    caption.font.bold = True
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(2)
    for level in (1, 2):
        _toc_style(document, level)
    header_style = _as_paragraph(styles[HEADER])
    header_style.font.size = Pt(9)
    header_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

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
    label = styles.add_style(LABEL, WD_STYLE_TYPE.CHARACTER)
    _fonts(label, GOTHIC)
    label.font.bold = True

    numbering = document.part.numbering_part.element
    abstract, num = _numbering_xml()
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    props = document.core_properties
    props.author = props.last_modified_by = ""
    props.title = "調達仕様書（情報セキュリティ要件）"
    props.comments = props.keywords = props.subject = ""
    props.revision = 1
    extended_properties(document, "")
    document.save(str(path))


# ---------------------------------------------------------------- style ids, once per template

_STYLE_IDS: dict[str, dict[str, str]] = {}


def style_ids(document: Any, source: Path) -> dict[str, str]:
    """Style id by style name for ``document``, opened from the template file ``source``.

    Read once per worker and template content (keyed by the file's SHA-256, so an edited or
    replaced template is read again): python-docx builds a proxy for each of the template's
    styles to tell their names, which every document drawn on it used to pay. Read-only."""
    key = hashlib.sha256(source.read_bytes()).hexdigest()
    found = _STYLE_IDS.get(key)
    if found is None:
        found = {style.name: style.style_id for style in document.styles}
        if len(_STYLE_IDS) >= 16:  # a few templates per worker at most
            _STYLE_IDS.clear()
        _STYLE_IDS[key] = found
    return found
