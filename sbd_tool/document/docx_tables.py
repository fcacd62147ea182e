"""The Word renderer's tables: grid tables built directly as XML, with a repeated header row,
fixed column widths, and rows kept on one page where they fit."""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from sbd_tool.document.docx_paragraphs import TEXT_WIDTH_MM, Writer
from sbd_tool.document.docx_xml import W_KEEPNEXT, W_P, W_PPR, W_PSTYLE, W_VAL
from sbd_tool.document.model import Table
from sbd_tool.document.style_names import TABLE_HEADER, TABLE_TEXT

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
COMPACT_ROWS = 40  # a table of at most this many one-line rows is kept on one page
TALL_CELL = 300  # characters: a row with a longer cell may break across pages


def draw_table(w: Writer, table: Table) -> None:
    """A grid table with a repeated header row, rows kept on one page, fixed column widths.

    Built directly as XML, like paragraphs: python-docx's table API re-searches the children
    of every row and cell it touches, which made a table of a few hundred rows (a large
    diagram's flows) cost more than the rest of the document."""
    total = sum(table.widths)
    twips = [str(Mm(TEXT_WIDTH_MM * width / total).twips) for width in table.widths]
    tbl = _grid(w, twips)
    # Rows whose paragraphs keep with the next: a table never starts with its header and one
    # row at the foot of a page, and a short table of short rows is never split at all.
    compact = len(table.rows) <= COMPACT_ROWS and all(len(c) <= 40 for row in table.rows for c in row)
    keep = len(table.rows) if compact else min(2, len(table.rows) - 1)
    for r, values in enumerate([table.headers, *table.rows]):
        _row(w, tbl, r, values, twips, keep_with_next=r < keep)
    w.place(tbl)
    w.add("", "Normal")


def _grid(w: Writer, twips: list[str]) -> Any:
    """The table element with its properties (style, fixed layout, look) and column grid."""
    tbl = etree.Element(_TBL)
    tbl_pr = etree.SubElement(tbl, _TBLPR)
    etree.SubElement(tbl_pr, _TBLSTYLE).set(W_VAL, w.ids["Table Grid"])
    width = etree.SubElement(tbl_pr, _TBLW)
    width.set(_TYPE, "auto")
    width.set(_W, "0")
    etree.SubElement(tbl_pr, _TBLLAYOUT).set(_TYPE, "fixed")  # the widths below, not autofit
    look = etree.SubElement(tbl_pr, _TBLLOOK)
    for key, value in _LOOK:
        look.set(key, value)
    grid = etree.SubElement(tbl, _TBLGRID)
    for col in twips:  # the grid widths, which LibreOffice and Word lay out from
        etree.SubElement(grid, _GRIDCOL).set(_W, col)
    return tbl


def _row(w: Writer, tbl: Any, r: int, values: tuple[str, ...], twips: list[str], *, keep_with_next: bool) -> None:
    """Row ``r`` (0: the header row) of ``tbl``, one paragraph per line of each cell."""
    header, text = w.ids[TABLE_HEADER], w.ids[TABLE_TEXT]
    tr = etree.SubElement(tbl, _TR)
    tr_pr = etree.SubElement(tr, _TRPR)
    if r == 0 or max(map(len, values)) <= TALL_CELL:  # keep a row on one page, unless it
        etree.SubElement(tr_pr, _CANTSPLIT)  # is tall enough to leave half a page blank
    if r == 0:  # repeat the header row on every page
        etree.SubElement(tr_pr, _TBLHEADER)
    for value, col in zip(values, twips, strict=True):
        tc = etree.SubElement(tr, _TC)
        tc_w = etree.SubElement(etree.SubElement(tc, _TCPR), _TCW)
        tc_w.set(_TYPE, "dxa")
        tc_w.set(_W, col)
        lines = value.split("\n")
        for i, line in enumerate(lines):
            p = etree.SubElement(tc, W_P)
            style = header if r == 0 and i == 0 else text
            ppr = etree.SubElement(p, W_PPR)
            etree.SubElement(ppr, W_PSTYLE).set(W_VAL, style)
            if keep_with_next:
                etree.SubElement(ppr, W_KEEPNEXT)
            if line:
                w.text_run(p, line)
