"""What-if by answer (issue 17): per question, the levels its alternatives move, computed from one
derivation of the base answers; checked against evaluating every alternative in full, on the
examples and on every answer set one change away from them (which switches gated questions on
and off)."""

from __future__ import annotations

import dataclasses

import pytest

from sbd_tool.answers.read import Answers, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.engine.rules import evaluate
from sbd_tool.engine.whatif import Change, alternatives, what_if, what_if_by_question
from tests.conftest import example_data


def naive(catalogue: Catalogue, answers: Answers) -> dict[str, set[Change]]:
    base = evaluate(catalogue, answers)
    out: dict[str, set[Change]] = {}
    for qid, q in catalogue.questions.items():
        resolved = base.answers[qid]
        if resolved.source == "not_applicable":
            continue
        for alt in alternatives(q, resolved.value):
            result = evaluate(catalogue, dataclasses.replace(answers, answers={**answers.answers, qid: alt}))
            for rid, outcome in base.requirements.items():
                after = result.requirements[rid].proposed
                if after != outcome.proposed:
                    out.setdefault(qid, set()).add(Change(rid, qid, resolved.value, alt, outcome.proposed, after))
    return out


def neighbours(catalogue: Catalogue, answers: Answers) -> list[Answers]:
    base = evaluate(catalogue, answers)
    found = []
    for qid, q in catalogue.questions.items():
        if base.answers[qid].source != "not_applicable":
            for alt in alternatives(q, base.answers[qid].value):
                found.append(dataclasses.replace(answers, answers={**answers.answers, qid: alt}))
    return found


@pytest.mark.parametrize("name", ["internal-small", "citizen-portal", "cloud-interagency"])
def test_by_question_agrees_with_evaluating_every_alternative(catalogue: Catalogue, name: str) -> None:
    start = parse_answers(example_data(name), catalogue)
    for answers in [start, *neighbours(catalogue, start)]:
        fast = what_if_by_question(catalogue, answers)
        assert {q: set(c) for q, c in fast.items()} == naive(catalogue, answers)
        assert list(fast) == [q for q in catalogue.questions if q in fast], "in the questionnaire's order"
        flat = sorted(what_if(catalogue, answers))
        assert flat == sorted(c for found in fast.values() for c in found), "the same changes per requirement"
