"""The specification as Markdown or as a standalone HTML page, for readers without Word.

Drawn from the same blocks as the .docx; chapter and requirement numbers are written out
(1., 1.1, (1), ア) because plain text has no numbering definitions.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import re
from collections.abc import Iterable

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
from sbd_tool.document.kinds import OutputKind
from sbd_tool.document.model import DocumentModel
from sbd_tool.text import clean_input, one_line


def _png_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# Characters with a meaning anywhere in a line: emphasis, code, links, raw HTML and entities,
# table cells, strikethrough. CommonMark reads a backslash before any of them as the character.
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>&|~])")
# ... and at the start of a line: headings, list items, thematic breaks, setext underlines;
_MD_MARK = re.compile(r"^([#+=-])")
# ordered list items ("1. ", "2) ").
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])")
# What renderers turn into a link without any markup: GFM's autolinks (www., http://, https://,
# ftp://, mailto:, xmpp:, user@host) and linkify's bare domains (example.jp). Escaping the
# punctuation they hinge on (the dot of a domain, the colon of a scheme, the @ of an address)
# breaks the link, and a backslash before punctuation shows as that punctuation: the reader
# sees the text as typed. Numbers (1.5, 10:00) are left alone.
_MD_AUTOLINK = re.compile(
    r"(?<=[\w-])\.(?=[A-Za-z])"  # example.jp, www.x.jp, user@host.example
    r"|(?i:(?<=\bwww))\.(?=\w)"  # www.123.example
    r"|(?<=[A-Za-z0-9])(?=://)(:)"  # https://, ftp://, any scheme://
    r"|(?i:(?<=\bmailto)|(?<=\bxmpp)):"  # mailto:, xmpp:
    r"|(?<=[\w.+-])@(?=[\w-])"  # user@host
)


def _md_text(text: str, *, one_line: bool = False) -> str:
    """Text as Markdown that shows exactly that text: nothing in it becomes markup, raw HTML or
    a link (``_MD_AUTOLINK``). Leading blanks go (an indented line would be a code block); a
    lone carriage return, which Markdown reads as a line end, becomes a newline so that the
    line is escaped as one."""
    lines = []
    for line in clean_input(text).split("\n"):
        line = _MD_AUTOLINK.sub(lambda m: "\\" + m.group(), _MD_ANYWHERE.sub(r"\\\1", line.lstrip(" \t")))
        lines.append(_MD_ORDERED.sub(r"\1\\\2", _MD_MARK.sub(r"\\\1", line)))
    if one_line:  # a heading, title or bold label cannot span lines
        return " ".join(line.strip() for line in lines if line.strip())
    return "\n".join(lines)


def _md_escaped(block: Block) -> Block:
    """The one place text enters the Markdown: every text of a block, escaped."""
    if isinstance(block, Title):
        return Title(tuple(_md_text(line, one_line=True) for line in block.lines))
    if isinstance(block, Contents):
        return block
    if isinstance(block, Heading | Label):
        return block._replace(text=_md_text(block.text, one_line=True))
    if isinstance(block, Para):
        return block._replace(text=_md_text(block.text, one_line=block.style in ("title", "appendix")))
    if isinstance(block, Labelled):
        return Labelled(_md_text(block.label, one_line=True), _md_text(block.text))
    if isinstance(block, TableBlock):
        t = block.table
        headers = tuple(_md_text(h) for h in t.headers)
        table = dataclasses.replace(t, headers=headers, rows=tuple(tuple(map(_md_text, r)) for r in t.rows))
        return TableBlock(table, _md_text(block.caption, one_line=True))
    return block._replace(alt=_md_text(block.alt, one_line=True), caption=_md_text(block.caption, one_line=True))


def _md_cell(text: str) -> str:
    return text.replace("\n", "<br>")  # already escaped: this <br> is the only HTML in a cell


def render_markdown(model: DocumentModel, kind: OutputKind = "full") -> str:
    lines: list[str] = []
    numbers = Numbers(first_chapter(model, kind))
    for block in blocks(model, kind):
        lines += _markdown(_md_escaped(clean_block(block)), numbers)
    return "\n".join(lines).rstrip() + "\n"


def _markdown(block: Block, numbers: Numbers) -> Iterable[str]:
    if isinstance(block, Title):
        return [f"# {'　'.join(block.lines)}", ""]
    if isinstance(block, Contents):
        return []  # a Markdown reader lists the headings itself
    if isinstance(block, Heading):
        return [f"{'#' * (block.level + 1)} {numbers.heading(block.level)} {block.text}", ""]
    if isinstance(block, Para):
        if block.style == "title":
            return [f"# {block.text}", ""]
        if block.style == "appendix":
            return [f"## {block.text}", ""]
        if block.style == "clause":
            return [f"- {numbers.next_clause()}　{block.text}"]
        return [*(line for line in block.text.split("\n")), ""]
    if isinstance(block, Label):
        return [f"**{block.text}**", ""]
    if isinstance(block, Labelled):
        return [f"- **{block.label}**：{block.text}"]
    if isinstance(block, TableBlock):
        t = block.table
        rows = [
            "| " + " | ".join(_md_cell(h) for h in t.headers) + " |",
            "|" + "---|" * len(t.headers),
            *("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in t.rows),
        ]
        caption = [f"**{numbers.table(block.caption)}**", ""] if block.caption else []
        return ["", *caption, *rows, ""]
    if isinstance(block, Figure):
        caption = [numbers.figure(block.caption), ""] if block.caption else []
        return [f"![{block.alt}]({_png_uri(block.png)})", "", *caption]
    raise TypeError(block)


_CSS = """
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; line-height: 1.7;
  max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1b1f24; }
h1 { font-size: 1.5rem; text-align: center; } h2 { font-size: 1.25rem; border-bottom: 1px solid #c4c9cf; }
h3 { font-size: 1.1rem; } h4, h5 { font-size: 1rem; }
.meta { text-align: right; margin: 0; } .note { font-size: .9rem; }
ol.clauses { list-style: none; padding-left: 1.5rem; } ol.clauses li { text-indent: -1.5rem; padding-left: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #8c959f; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #e9edf2; } figure { margin: 1rem 0; text-align: center; } figure img { max-width: 100%; }
caption, figcaption { font-weight: bold; text-align: left; margin: .25rem 0; } figcaption { text-align: center; }
dl.items dt { font-weight: bold; } dl.items dd { margin: 0 0 .4rem 1.5rem; }
"""


def _escape(text: str) -> str:
    """The one place text enters the page: control characters dropped (HTML reads them as
    errors), newlines as ``\\n``, and ``& < > " '`` escaped (for content and attributes alike)."""
    return html.escape(clean_input(text), quote=True)


def render_html(model: DocumentModel, kind: OutputKind = "full") -> str:
    body: list[str] = []
    numbers = Numbers(first_chapter(model, kind))
    open_list: str | None = None
    for block in map(clean_block, blocks(model, kind)):
        list_kind = (
            "clauses"
            if isinstance(block, Para) and block.style == "clause"
            else ("items" if isinstance(block, Labelled) else None)
        )
        if open_list and list_kind != open_list:
            body.append("</ol>" if open_list == "clauses" else "</dl>")
            open_list = None
        if list_kind and not open_list:
            body.append('<ol class="clauses">' if list_kind == "clauses" else '<dl class="items">')
            open_list = list_kind
        body.append(_html(block, numbers))
    if open_list:
        body.append("</ol>" if open_list == "clauses" else "</dl>")
    title = _escape(one_line(document_title(model, kind)))
    return (
        f'<!doctype html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )


def _html(block: Block, numbers: Numbers) -> str:
    if isinstance(block, Title):
        return "<h1>" + "<br>".join(_escape(line) for line in block.lines) + "</h1>"
    if isinstance(block, Contents):
        return ""
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return f"<h{level}>{_escape(numbers.heading(block.level))} {_escape(block.text)}</h{level}>"
    if isinstance(block, Para):
        text = _escape(block.text).replace("\n", "<br>")
        if block.style == "title":
            return f"<h1>{text}</h1>"
        if block.style == "appendix":
            return f"<h2>{text}</h2>"
        if block.style == "clause":
            return f"<li>{_escape(numbers.next_clause())}　{text}</li>"
        css = {"meta": ' class="meta"', "note": ' class="note"'}.get(block.style, "")
        return f"<p{css}>{text}</p>"
    if isinstance(block, Label):
        return f"<p><strong>{_escape(block.text)}</strong></p>"
    if isinstance(block, Labelled):
        return f"<dt>{_escape(block.label)}</dt><dd>{_escape(block.text)}</dd>"
    if isinstance(block, TableBlock):
        t = block.table
        head = "".join(f'<th scope="col">{_escape(h)}</th>' for h in t.headers)
        rows = "".join(
            "<tr>" + "".join(f"<td>{_escape(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>" for row in t.rows
        )
        caption = f"<caption>{_escape(numbers.table(block.caption))}</caption>" if block.caption else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(block, Figure):
        caption = f"<figcaption>{_escape(numbers.figure(block.caption))}</figcaption>" if block.caption else ""
        return f'<figure><img src="{_png_uri(block.png)}" alt="{_escape(block.alt)}">{caption}</figure>'
    raise TypeError(block)
