"""Exercise check: a trainee's decided levels compared with a model answer, with the reasons.

Pure: two (answers, evaluation) pairs in, the differences per requirement out. For each
requirement that differs, it names the fixed answers that differ *and matter to that
requirement* (those its rules' conditions test), so a trainee sees what to reconsider.
"""

from __future__ import annotations

from typing import NamedTuple

from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.references import answer_tests, rule_condition_ids
from sbd_tool.engine.explain import requirement_reasons, value_label
from sbd_tool.engine.outcomes import Evaluation


class AnswerDifference(NamedTuple):
    question: str
    trainee: str  # option labels
    model: str


class Difference(NamedTuple):
    requirement: str
    trainee_level: str
    model_level: str
    trainee_reasons: tuple[str, ...]
    model_reasons: tuple[str, ...]
    answers: tuple[AnswerDifference, ...]  # the differing answers this requirement's rules look at


def _questions_behind(catalogue: Catalogue, requirement: str) -> set[str]:
    """The fixed questions the requirement's rules depend on, through their conditions."""
    questions: set[str] = set()
    for rule in catalogue.rules_for(requirement).rules:
        for cid in rule_condition_ids(rule.when):
            questions |= {test.question for test, _ in answer_tests(catalogue.conditions[cid].when, [])}
    return questions


def compare(catalogue: Catalogue, trainee: Evaluation, model: Evaluation) -> list[Difference]:
    """The requirements whose decided level differs from the model answer, in catalogue order."""
    differences = []
    for rid in catalogue.requirements:
        mine, theirs = trainee.requirements[rid], model.requirements[rid]
        if mine.decided == theirs.decided:
            continue
        behind = _questions_behind(catalogue, rid)
        answers = tuple(
            AnswerDifference(
                qid,
                value_label(catalogue, qid, trainee.answers[qid].value),
                value_label(catalogue, qid, model.answers[qid].value),
            )
            for qid in catalogue.questions
            if qid in behind and trainee.answers[qid].value != model.answers[qid].value
        )
        differences.append(
            Difference(
                rid,
                mine.decided,
                theirs.decided,
                tuple(requirement_reasons(catalogue, mine))
                + ((f"決定の理由：{mine.decision_reason}",) if mine.overridden else ()),
                tuple(requirement_reasons(catalogue, theirs))
                + ((f"決定の理由：{theirs.decision_reason}",) if theirs.overridden else ()),
                answers,
            )
        )
    return differences
