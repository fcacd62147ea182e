"""One revision as the revision diff reads it: its raw parts and, when it validates, the
engine's judgment, with the conditions and levels its unanswered questions leave unknown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sbd_tool.answers.read import AnswersError, AnswerValue, parse_answers
from sbd_tool.compare.raw_document import as_mapping, as_sequence, keyed
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.schema import AnswerGroup
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.engine.rules import evaluate, propose_levels
from sbd_tool.problems import Problem


class RevisionSide:
    """One revision: its raw parts and, when it validates, the engine's judgment."""

    def __init__(self, catalogue: Catalogue, data: Any) -> None:
        top = as_mapping(data)
        self.data = top
        self.project = as_mapping(top.get("project"))
        self.tasks = keyed(as_sequence(self.project.get("tasks")), "T")
        diagram = as_mapping(top.get("diagram"))
        self.zones = keyed(as_sequence(diagram.get("zones")), "Z")
        self.elements = keyed(as_sequence(diagram.get("elements")), "E")
        self.flows = keyed(as_sequence(diagram.get("flows")), "F")
        self.answers = as_mapping(top.get("answers"))
        self.decisions = as_mapping(top.get("decisions"))
        self.responsibilities = as_mapping(top.get("responsibilities"))
        self.parameters = as_mapping(top.get("parameters"))
        self.document = as_mapping(top.get("document"))
        self.obligations = as_mapping(top.get("obligations"))  # 必須/提案 changed per clause (obligations.py)
        self.problems: tuple[Problem, ...] = ()
        self.evaluation: Evaluation | None = None
        self.unknown: frozenset[str] = frozenset()  # questions whose answer could still change a result
        self.conditions: dict[str, bool | None] = {}
        self.proposed: dict[str, str | None] = {}
        self.decided: dict[str, str | None] = {}
        try:
            answers = parse_answers(data, catalogue, partial=True)
        except AnswersError as exc:
            self.problems = tuple(exc.problems)
            return
        evaluation = self.evaluation = evaluate(catalogue, answers)
        unknown: set[str] = set()
        for qid, q in catalogue.questions.items():
            source = evaluation.answers[qid].source
            gate = q.applies_when
            if source == "missing" or (source == "not_applicable" and gate is not None and gate.question in unknown):
                unknown.add(qid)
        self.unknown = frozenset(unknown)
        answered = {qid: r.value for qid, r in evaluation.answers.items()}
        for c in catalogue.conditions_list:
            known = _three_valued(c.when, answered, self.unknown)
            self.conditions[c.id] = None if known is None else evaluation.conditions[c.id].met
        highest = propose_levels(catalogue, {cid: met is not False for cid, met in self.conditions.items()})
        for rid, outcome in evaluation.requirements.items():
            proposed = outcome.proposed if highest[rid].proposed == outcome.proposed else None
            self.proposed[rid] = proposed
            self.decided[rid] = outcome.decided if rid in answers.decisions else proposed

    def note(self, catalogue: Catalogue) -> str:
        """Why some of this revision's conditions and levels are unknown (empty when none are)."""
        if self.problems:
            more = f" ほか{len(self.problems) - 1}件" if len(self.problems) > 1 else ""
            return f"この版の回答には誤りがあるため、判断条件と実装レベルを判定できません（{self.problems[0]}{more}）"
        if self.evaluation is not None and self.evaluation.missing:
            names = "、".join(f"「{catalogue.questions[q].label}」" for q in self.evaluation.missing)
            return f"この版には未回答の設問（{names}）があるため、判定できない判断条件と実装レベルがあります"
        return ""


def _three_valued(
    group: AnswerGroup, answered: Mapping[str, AnswerValue | None], unknown: frozenset[str]
) -> bool | None:
    """A condition's truth with unanswered questions unknown: True or False when the missing
    answers cannot change it, else None."""
    results: list[bool | None] = []
    for item in group.all or group.any or []:
        if isinstance(item, AnswerGroup):
            results.append(_three_valued(item, answered, unknown))
        elif item.question in unknown:
            results.append(None)
        else:
            results.append(item.holds(answered.get(item.question)))
    decisive = group.all is None  # any: one True decides; all: one False decides
    if any(r is decisive for r in results):
        return decisive
    return None if any(r is None for r in results) else not decisive
