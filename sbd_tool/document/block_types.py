"""The blocks a specification is drawn from (title, headings, paragraphs, tables, figures, …),
and the numbers the renderers give chapters, requirements, clauses and captions."""

from __future__ import annotations

from typing import Literal, NamedTuple

from sbd_tool.document.compliance import IROHA
from sbd_tool.document.model import Table

ParaStyle = Literal["title", "meta", "normal", "note", "clause", "appendix"]


class Title(NamedTuple):
    """The document's title, in lines that each break between words (a name, then the kind)."""

    lines: tuple[str, ...]


class Contents(NamedTuple):
    """A table of contents of the headings down to ``depth`` (and the appendix headings)."""

    depth: int = 2


class Heading(NamedTuple):
    level: int  # 1 = chapter (numbered 1., 2., …), down to 4 = requirement ((1), (2), …)
    text: str


class Para(NamedTuple):
    text: str
    style: ParaStyle = "normal"


class Label(NamedTuple):
    """A bold line that heads the labelled items after it (a requirement in the appendix)."""

    text: str


class Labelled(NamedTuple):
    label: str
    text: str


class TableBlock(NamedTuple):
    table: Table
    caption: str = ""  # numbered by the renderer: 「表1　caption」


class Figure(NamedTuple):
    png: bytes
    alt: str
    caption: str = ""  # numbered by the renderer: 「図1　caption」
    svg: str = ""  # the same picture as a vector drawing (Word shows it; the PNG is the fallback)


Block = Title | Contents | Heading | Para | Label | Labelled | TableBlock | Figure


class Numbers:
    """Chapter numbers (1., 1.1, 1.1.1), requirement numbers ((1), (2)), clause letters (ア, イ)
    and the numbers of table and figure captions (表1, 図1)."""

    def __init__(self, first_chapter: int = 1) -> None:
        self.levels = [first_chapter - 1, 0, 0, 0]
        self.clause = 0
        self.tables = self.figures = 0

    def table(self, caption: str) -> str:
        self.tables += 1
        return f"表{self.tables}　{caption}"

    def figure(self, caption: str) -> str:
        self.figures += 1
        return f"図{self.figures}　{caption}"

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
