"""The specification as Markdown or as a standalone HTML page, for readers without Word.

Drawn from the same blocks as the .docx; chapter and requirement numbers are written out
(1., 1.1, (1), ア) because plain text has no numbering definitions.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from html import escape

from sbd_tool.document.blocks import Block, Figure, Heading, Label, Labelled, Para, TableBlock, blocks
from sbd_tool.document.compliance import IROHA
from sbd_tool.document.model import DocumentModel


class _Numbers:
    """Chapter numbers (1., 1.1, 1.1.1), requirement numbers ((1), (2)) and clause letters (ア, イ)."""

    def __init__(self) -> None:
        self.levels = [0, 0, 0, 0]
        self.clause = 0

    def heading(self, level: int) -> str:
        self.levels[level - 1] += 1
        for i in range(level, 4):
            self.levels[i] = 0
        self.clause = 0
        if level == 4:
            return f"({self.levels[3]})"
        return ".".join(str(n) for n in self.levels[:level]) + ("." if level == 1 else "")

    def next_clause(self) -> str:
        self.clause += 1
        return IROHA[self.clause - 1] if self.clause <= len(IROHA) else str(self.clause)


def _png_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def render_markdown(model: DocumentModel) -> str:
    lines: list[str] = []
    numbers = _Numbers()
    for block in blocks(model):
        lines += _markdown(block, numbers)
    return "\n".join(lines).rstrip() + "\n"


def _markdown(block: Block, numbers: _Numbers) -> Iterable[str]:
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
        return ["", *rows, ""]
    if isinstance(block, Figure):
        return [f"![{block.alt}]({_png_uri(block.png)})", ""]
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
dl.items dt { font-weight: bold; } dl.items dd { margin: 0 0 .4rem 1.5rem; }
"""


def render_html(model: DocumentModel) -> str:
    body: list[str] = []
    numbers = _Numbers()
    open_list: str | None = None
    for block in blocks(model):
        kind = (
            "clauses"
            if isinstance(block, Para) and block.style == "clause"
            else ("items" if isinstance(block, Labelled) else None)
        )
        if open_list and kind != open_list:
            body.append("</ol>" if open_list == "clauses" else "</dl>")
            open_list = None
        if kind and not open_list:
            body.append('<ol class="clauses">' if kind == "clauses" else '<dl class="items">')
            open_list = kind
        body.append(_html(block, numbers))
    if open_list:
        body.append("</ol>" if open_list == "clauses" else "</dl>")
    return (
        f'<!doctype html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n<title>{escape(model.title)}</title>\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )


def _html(block: Block, numbers: _Numbers) -> str:
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return f"<h{level}>{escape(numbers.heading(block.level))} {escape(block.text)}</h{level}>"
    if isinstance(block, Para):
        text = escape(block.text).replace("\n", "<br>")
        if block.style == "title":
            return f"<h1>{text}</h1>"
        if block.style == "appendix":
            return f"<h2>{text}</h2>"
        if block.style == "clause":
            return f"<li>{escape(numbers.next_clause())}　{text}</li>"
        css = {"meta": ' class="meta"', "note": ' class="note"'}.get(block.style, "")
        return f"<p{css}>{text}</p>"
    if isinstance(block, Label):
        return f"<p><strong>{escape(block.text)}</strong></p>"
    if isinstance(block, Labelled):
        return f"<dt>{escape(block.label)}</dt><dd>{escape(block.text)}</dd>"
    if isinstance(block, TableBlock):
        t = block.table
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in t.headers)
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>" for row in t.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(block, Figure):
        return f'<figure><img src="{_png_uri(block.png)}" alt="{escape(block.alt)}"></figure>'
    raise TypeError(block)
