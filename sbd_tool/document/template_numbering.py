"""The template's numbering: one Word multilevel list linked to the heading and clause styles,
so that 1. / 1.1 / 1.1.1 / (1) / ア are real numbering definitions."""

from __future__ import annotations

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.styles.style import BaseStyle

NUM_ID = 90

# ilvl → (style id linked to the level, number format, level text, suffix, left indent, hanging)
# in twips. Clauses use a tab so wrapped lines align with the text, not the number.
_LEVELS = (
    ("Heading1", "decimal", "%1.", "space", 0, 0),
    ("Heading2", "decimal", "%1.%2", "space", 0, 0),
    ("Heading3", "decimal", "%1.%2.%3", "space", 0, 0),
    ("Heading4", "decimal", "(%4)", "space", 0, 0),
    ("SBDClause", "aiueoFullWidth", "%5", "tab", 630, 315),
)


def number_style(style: BaseStyle, ilvl: int) -> None:
    num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = NUM_ID


def numbering_xml() -> tuple[object, object]:
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


def add_numbering(document: docx.document.Document) -> None:
    """The list definition (before the document's first list instance, as Word orders them) and
    its one instance."""
    numbering = document.part.numbering_part.element
    abstract, num = numbering_xml()
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
