"""The text of every block cleaned once more just before a renderer draws it.

The answers parser already normalises what users type (``sbd_tool.text.clean_input``), but a
document is also built from content, parameters, names of accounts and whatever was stored
before a rule existed. Each renderer (Word, Markdown, HTML) draws ``clean_block(block)``, so no
stored text can break a file or put a bidi override, a zero-width character or a line
separator into a document.
"""

from __future__ import annotations

import dataclasses

from sbd_tool.document.block_types import Block, Contents, Figure, Heading, Label, Labelled, Para, TableBlock, Title
from sbd_tool.text import clean_input, one_line

# Paragraph styles that are a single line whatever the text (a title cannot span lines).
ONE_LINE_STYLES = frozenset({"title", "appendix"})


def clean_block(block: Block) -> Block:
    """``block`` with each of its texts normalised: names, headings and labels as one line,
    paragraphs and table cells with their lines (as ``\\n``)."""
    if isinstance(block, Title):
        return Title(tuple(line for line in map(one_line, block.lines) if line))
    if isinstance(block, Contents):
        return block
    if isinstance(block, Heading | Label):
        return block._replace(text=one_line(block.text))
    if isinstance(block, Para):
        return block._replace(text=clean_input(block.text, multiline=block.style not in ONE_LINE_STYLES))
    if isinstance(block, Labelled):
        return Labelled(one_line(block.label), clean_input(block.text))
    if isinstance(block, TableBlock):
        t = block.table
        rows = tuple(tuple(clean_input(cell) for cell in row) for row in t.rows)
        table = dataclasses.replace(t, headers=tuple(map(clean_input, t.headers)), rows=rows)
        return TableBlock(table, one_line(block.caption))
    if isinstance(block, Figure):
        return block._replace(alt=one_line(block.alt), caption=one_line(block.caption))
    raise TypeError(block)
