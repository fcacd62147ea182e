"""An office's own Word template, made fit to draw the specification on.

Any .docx is accepted. A style the renderer needs that the office's file lacks is copied from
``docx_templates/sbd-spec.docx`` (its references to other styles and to the numbering
definitions re-pointed to the office's own), and each such change is reported as a note rather
than refusing the file. Headings without numbering are linked to our chapter numbering; headings
the office numbers itself keep their numbering, and the clause letters (ア, イ, …) then restart
under each requirement by themselves (``Fitted.restart_clauses``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from sbd_tool.document.style_names import CLAUSE, REQUIRED_STYLES

HEADINGS = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")
_STYLE, _NAME, _VAL, _STYLE_ID = qn("w:style"), qn("w:name"), qn("w:val"), qn("w:styleId")
_ABSTRACT, _ABSTRACT_ID, _NUM, _NUM_ID, _ILVL = (
    qn("w:abstractNum"), qn("w:abstractNumId"), qn("w:num"), qn("w:numId"), qn("w:ilvl")
)  # fmt: skip


@dataclass
class Fitted:
    """What was done to a template: notes for the user, and whether clause letters must be
    restarted by the renderer (the office's headings are numbered by a list of their own)."""

    notes: list[str] = field(default_factory=list)
    restart_clauses: bool = False


@lru_cache(maxsize=1)
def _ours(path: str) -> tuple[dict[str, Any], dict[str, str], Any]:
    """Our template's styles by name, their ids → names, and its numbering element."""
    document = docx.Document(path)
    styles = {s.name: s.element for s in document.styles}
    names = {s.style_id: s.name for s in document.styles}
    return styles, names, document.part.numbering_part.element


def _ui_name(element: Any) -> str:
    """The name python-docx shows for a style element (``heading 1`` → ``Heading 1``)."""
    from docx.styles import BabelFish

    name = element.find(_NAME)
    return BabelFish.internal2ui(name.get(_VAL)) if name is not None else ""


def fit_template(document: Document, default_template: Path) -> Fitted:
    """Add what ``document`` lacks of the styles in ``REQUIRED_STYLES``; return what was done."""
    fitted = Fitted()
    ours, our_names, our_numbering = _ours(str(default_template))
    styles_root = document.styles.element
    theirs = {_ui_name(s): s for s in styles_root.iter(_STYLE)}
    ids = {name: s.get(_STYLE_ID) for name, s in theirs.items()}
    numbering = document.part.numbering_part.element
    list_ids: dict[str, str] = {}  # our numId → the numId it has in the office's file
    copied: list[Any] = []  # the w:abstractNum elements copied from our template

    headings_numbered = [_num_id(theirs[h]) for h in HEADINGS if h in theirs]
    for name in REQUIRED_STYLES:
        if name in theirs:
            continue
        element = copy.deepcopy(ours[name])
        style_id = element.get(_STYLE_ID)
        if style_id in ids.values():
            style_id = f"SBD{style_id}"
            element.set(_STYLE_ID, style_id)
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = element.find(qn(tag))
            if ref is None:
                continue
            target = ids.get(our_names.get(ref.get(_VAL), ""))
            if target is not None:
                ref.set(_VAL, target)
            elif tag == "w:link":
                element.remove(ref)
            else:
                ref.set(_VAL, ids.get("Normal", "Normal"))
        for num_id in element.iter(_NUM_ID):
            ours_id = num_id.get(_VAL)
            if ours_id not in list_ids:
                list_ids[ours_id] = _copy_list(our_numbering, numbering, ours_id, copied)
            num_id.set(_VAL, list_ids[ours_id])
        styles_root.append(element)
        theirs[name], ids[name] = element, style_id
        fitted.notes.append(f"テンプレートにスタイル「{name}」がないため、既定の定義を追加しました。")

    clause_list = _num_id(theirs[CLAUSE])
    if not any(headings_numbered) and clause_list is not None:
        for level, name in enumerate(HEADINGS):
            if name in ids and _num_id(theirs[name]) is None:
                _set_numbering(theirs[name], clause_list, level)
        if headings_numbered:  # the office had headings, without numbers
            fitted.notes.append(
                "テンプレートの見出しスタイルに番号付けがないため、章・節・項の番号（1.、1.1、(1)）を付けました。"
            )
    elif any(headings_numbered) and any(n != clause_list for n in headings_numbered if n):
        fitted.restart_clauses = True
        fitted.notes.append(
            "テンプレートの見出しの番号付けをそのまま使います。条項の記号（ア、イ…）は対策要件ごとに振り直します。"
        )
    _link_levels(copied, ids)
    return fitted


def _num_id(style: Any) -> str | None:
    num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    value = num.get(_VAL) if num is not None else None
    return value if value not in (None, "0") else None


def _set_numbering(style: Any, num_id: str, level: int) -> None:
    ppr = style.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.SubElement(style, qn("w:pPr"))
        rpr = style.find(qn("w:rPr"))
        if rpr is not None:  # pPr comes before rPr
            rpr.addprevious(ppr)
    num_pr = etree.Element(qn("w:numPr"))
    etree.SubElement(num_pr, _ILVL).set(_VAL, str(level))
    etree.SubElement(num_pr, _NUM_ID).set(_VAL, num_id)
    ppr.insert(0, num_pr)


def _copy_list(ours: Any, theirs: Any, num_id: str, copied: list[Any]) -> str:
    """Copy our list ``num_id`` (its w:num and w:abstractNum) into the office's numbering with
    ids it does not use; return the new numId."""
    num = next(n for n in ours.iter(_NUM) if n.get(_NUM_ID) == num_id)
    abstract_id = num.find(_ABSTRACT_ID).get(_VAL)
    abstract = next(a for a in ours.iter(_ABSTRACT) if a.get(_ABSTRACT_ID) == abstract_id)
    used_abstract = {int(a.get(_ABSTRACT_ID)) for a in theirs.iter(_ABSTRACT)}
    used_num = {int(n.get(_NUM_ID)) for n in theirs.iter(_NUM)}
    new_abstract = max(used_abstract | {int(abstract_id) - 1}) + 1
    new_num = max(used_num | {int(num_id) - 1}) + 1
    abstract = copy.deepcopy(abstract)
    copied.append(abstract)
    abstract.set(_ABSTRACT_ID, str(new_abstract))
    for nsid in abstract.findall(qn("w:nsid")):  # a list id of its own
        abstract.remove(nsid)
    num = copy.deepcopy(num)
    num.set(_NUM_ID, str(new_num))
    num.find(_ABSTRACT_ID).set(_VAL, str(new_abstract))
    first_num = theirs.find(_NUM)
    if first_num is not None:  # every w:abstractNum before the first w:num
        first_num.addprevious(abstract)
    else:
        theirs.append(abstract)
    theirs.append(num)
    return str(new_num)


def _link_levels(copied: list[Any], ids: dict[str, str]) -> None:
    """A copied list names the styles of its levels by our style ids (``Heading1``, ``SBDClause``):
    point them at the office's ids for the same styles."""
    by_our_id = {name.replace(" ", ""): style_id for name, style_id in ids.items()}
    for abstract in copied:
        for p_style in abstract.iter(qn("w:pStyle")):
            value = p_style.get(_VAL)
            if value in by_our_id:
                p_style.set(_VAL, by_our_id[value])


def set_first_chapter(document: Document, chapter: int) -> None:
    """Start the chapter numbering (the list of Heading 1) at ``chapter``."""
    heading = next((s for s in document.styles if s.name == "Heading 1"), None)
    num_id = _num_id(heading.element) if heading is not None else None
    if num_id is None:
        return
    numbering = document.part.numbering_part.element
    num = next((n for n in numbering.iter(_NUM) if n.get(_NUM_ID) == num_id), None)
    if num is None:
        return
    abstract_id = num.find(_ABSTRACT_ID).get(_VAL)
    abstract = next((a for a in numbering.iter(_ABSTRACT) if a.get(_ABSTRACT_ID) == abstract_id), None)
    level = None if abstract is None else next((lv for lv in abstract.iter(qn("w:lvl")) if lv.get(_ILVL) == "0"), None)
    if level is None:
        return
    start = level.find(qn("w:start"))
    if start is None:
        start = etree.Element(qn("w:start"))
        level.insert(0, start)
    start.set(_VAL, str(chapter))
