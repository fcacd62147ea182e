"""Build ``docx_templates/sbd-spec.docx``: the styles and numbering the spec is drawn with.

Run ``sbd-tool build-template`` after changing this module, ``template_styles`` or
``template_numbering``. An office can instead supply its own .docx (``--template``): a style in
``style_names.REQUIRED_STYLES`` that it lacks is added from this template
(``sbd_tool.document.office``), with a note, so any .docx works.
Numbering is a Word multilevel list linked to the heading styles, so 1. / 1.1 / (1) / ア
are real numbering definitions that restyle and renumber with the document.

The styles are defined in ``template_styles``, the numbering in ``template_numbering``; this
module puts them together with the page setup, and reads a template's style ids once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from sbd_tool.document.docx_properties import extended_properties
from sbd_tool.document.template_numbering import add_numbering
from sbd_tool.document.template_styles import add_styles


def build_template(path: Path) -> None:
    """Write the template .docx to ``path``."""
    document = docx.Document()
    add_styles(document)
    add_numbering(document)
    _page_setup(document)
    _empty_body(document)
    _properties(document)
    document.save(str(path))


def _page_setup(document: docx.document.Document) -> None:
    """A4 portrait with 25 mm margins, the page number centred in the footer."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _empty_body(document: docx.document.Document) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _properties(document: docx.document.Document) -> None:
    props = document.core_properties
    props.author = props.last_modified_by = ""
    props.title = "調達仕様書（情報セキュリティ要件）"
    props.comments = props.keywords = props.subject = ""
    props.revision = 1
    extended_properties(document, "")


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
