"""The WordprocessingML names the Word renderer writes directly as XML (python-docx's generic
API was too slow for a document's paragraphs and tables), and Word's complex fields."""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from lxml import etree

W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_RSTYLE, W_T = (
    qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:rStyle", "w:t")
)
W_VAL, XML_SPACE = qn("w:val"), "{http://www.w3.org/XML/1998/namespace}space"
W_KEEPNEXT = qn("w:keepNext")


def field_begin(parent: Any, instruction: str, dirty: bool = False) -> None:
    """A complex field's begin, instruction and separator, appended to ``parent``."""
    begin = etree.SubElement(etree.SubElement(parent, W_R), qn("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:  # Word updates the field when it opens the document
        begin.set(qn("w:dirty"), "true")
    instr = etree.SubElement(etree.SubElement(parent, W_R), qn("w:instrText"))
    instr.text = instruction
    instr.set(XML_SPACE, "preserve")
    etree.SubElement(etree.SubElement(parent, W_R), qn("w:fldChar")).set(qn("w:fldCharType"), "separate")


def field(parent: Any, instruction: str, result: str) -> None:
    """A complex field (begin, instruction, separate, result, end) appended to ``parent``."""
    field_begin(parent, instruction)
    t = etree.SubElement(etree.SubElement(parent, W_R), W_T)
    t.text = result
    etree.SubElement(etree.SubElement(parent, W_R), qn("w:fldChar")).set(qn("w:fldCharType"), "end")
