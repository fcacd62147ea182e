"""The names of the Word styles the specification is drawn with, and the styles an office's
template must have (``REQUIRED_STYLES``; a missing one is added from ours)."""

from __future__ import annotations

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
