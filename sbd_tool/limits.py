"""How much one project may hold: the one place these limits are set.

The answers parser refuses a project past them (an import, a stored project, every wizard save
that goes through it), the wizard's forms state them as help and refuse a longer list, and the
diagram page states the diagram's. Real procurements stay far below them (the examples have 2–4
tasks, 10 matrix rows, 10 elements and 12 flows); past them the diagram, the documents and the
pages grow costly without saying more.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    count: int
    what: str  # what is counted, as the messages name it
    unit: str  # its counter word: 件, 行, 個, 本

    @property
    def help(self) -> str:
        """The help text of the form that holds the list."""
        return f"{self.what}は{self.count}{self.unit}まで入力できます。"

    @property
    def form_refusal(self) -> str:
        """The form's message, shown next to the first row past the limit."""
        return f"{self.what}は{self.count}{self.unit}までです。この行以降を削除するか、まとめてください。"

    def refusal(self, found: int) -> str:
        """The answers parser's message (its style: no final 。) for ``found`` items."""
        return f"{self.what}は{self.count}{self.unit}までにしてください（{found}{self.unit}あります）"


TASKS = Limit(50, "業務", "件")
MATRIX_ROWS = Limit(200, "主体と情報（すべての業務の合計）", "行")
DIAGRAM_ZONES = Limit(50, "システム概要図の区域", "個")
DIAGRAM_ELEMENTS = Limit(300, "システム概要図の要素", "個")
DIAGRAM_FLOWS = Limit(600, "システム概要図の情報の流れ", "本")

MAX_TASKS = TASKS.count
MAX_MATRIX_ROWS = MATRIX_ROWS.count
MAX_DIAGRAM_ZONES = DIAGRAM_ZONES.count
MAX_DIAGRAM_ELEMENTS = DIAGRAM_ELEMENTS.count
MAX_DIAGRAM_FLOWS = DIAGRAM_FLOWS.count

# Clause tailoring (step 6): the officer's wording of one clause and the clauses added to a requirement.
CLAUSE_TEXT_CHARS = 2000  # the wording of one tailored or added clause
CLAUSE_REASON_CHARS = 1000  # why it was tailored or added
ADDED_CLAUSES = Limit(100, "追加する条項", "件")
