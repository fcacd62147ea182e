"""What-if: which single answer changes would raise or lower each requirement's proposed level.

Computed by the engine itself (every alternative answer is evaluated), never hard-coded, so it
stays true whatever the rules say. Pure: (catalogue, answers) in, plain data out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import NamedTuple

from sbd_tool.answers.read import Answers, AnswerValue
from sbd_tool.content.catalogue import LEVEL_ORDER, Catalogue
from sbd_tool.content.schema import Question
from sbd_tool.engine.explain import value_label
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.engine.rules import evaluate, evaluate_conditions, propose_levels


class Change(NamedTuple):
    """One answer changed to one alternative, and what it does to one requirement."""

    requirement: str
    question: str
    current: AnswerValue | None
    alternative: AnswerValue
    before: str  # proposed level now
    after: str  # proposed level with the alternative answer

    @property
    def raises(self) -> bool:
        return LEVEL_ORDER[self.after] > LEVEL_ORDER[self.before]


def alternatives(question: Question, current: AnswerValue | None) -> Iterator[AnswerValue]:
    """Every answer one step away: another option (single choice), or one option added or taken
    away (multiple choice; an exclusive option replaces the others, and the others replace it)."""
    ids = [o.id for o in question.options]
    if question.type == "single":
        yield from (o for o in ids if o != current)
        return
    chosen = tuple(current or ())
    for option in ids:
        if option in chosen:
            rest = tuple(o for o in chosen if o != option)
            if rest:
                yield rest
        elif option in question.exclusive:
            yield (option,)
        else:
            kept = [o for o in chosen if o not in question.exclusive]
            yield tuple(o for o in ids if o in kept or o == option)


def what_if(catalogue: Catalogue, answers: Answers, evaluation: Evaluation | None = None) -> list[Change]:
    """Every single-answer change that moves some requirement's proposed level, per requirement."""
    base = evaluation or evaluate(catalogue, answers)
    changes = [change for found in _changes_by_question(catalogue, answers, base).values() for change in found]
    order = {rid: i for i, rid in enumerate(catalogue.requirements)}
    return sorted(changes, key=lambda c: (order[c.requirement], not c.raises))


def what_if_by_question(
    catalogue: Catalogue, answers: Answers, evaluation: Evaluation | None = None
) -> dict[str, list[Change]]:
    """The same changes per question (in the questionnaire's order): "if this answer changes,
    these levels move". Questions whose every alternative moves nothing are left out."""
    base = evaluation or evaluate(catalogue, answers)
    return {qid: found for qid, found in _changes_by_question(catalogue, answers, base).items() if found}


def _changes_by_question(catalogue: Catalogue, answers: Answers, base: Evaluation) -> dict[str, list[Change]]:
    """Per asked question, the changes its alternatives make. The base evaluation's resolved answers
    (the matrix and the diagram derived once) are reused for every alternative: only the changed
    answer, and the gated questions it switches on or off, are judged again; the conditions and
    proposals are then the engine's own (``evaluate_conditions``, ``propose_levels``). Where an
    alternative switches on a question that was not asked, that alternative is evaluated in full."""
    answered = {qid: r.value for qid, r in base.answers.items()}
    asked = {qid: r.source != "not_applicable" for qid, r in base.answers.items()}
    out: dict[str, list[Change]] = {}
    for qid, question in catalogue.questions.items():
        resolved = base.answers[qid]
        if resolved.source == "not_applicable":
            continue
        found: list[Change] = []
        for alternative in alternatives(question, resolved.value):
            proposed = _proposed_with(catalogue, answered, asked, qid, alternative)
            if proposed is None:  # the answer opens a question that was not asked: evaluate in full
                changed = dataclasses.replace(answers, answers={**answers.answers, qid: alternative})
                proposed = {rid: o.proposed for rid, o in evaluate(catalogue, changed).requirements.items()}
            for rid, outcome in base.requirements.items():
                if proposed[rid] != outcome.proposed:
                    found.append(Change(rid, qid, resolved.value, alternative, outcome.proposed, proposed[rid]))
        out[qid] = found
    return out


def _proposed_with(
    catalogue: Catalogue,
    answered: dict[str, AnswerValue | None],
    asked: dict[str, bool],
    qid: str,
    alternative: AnswerValue,
) -> dict[str, str] | None:
    """Each requirement's proposed level with one answer changed, from the base's resolved answers;
    None when the change would ask a question the base did not (its answer was never resolved)."""
    values = {**answered, qid: alternative}
    for other, question in catalogue.questions.items():
        gate = question.applies_when
        if gate is None or other == qid:
            continue
        now = gate.holds(values.get(gate.question))
        if now and not asked[other]:
            return None
        if not now:
            values[other] = None  # no longer asked
    truths = {cid: c.met for cid, c in evaluate_conditions(catalogue, values).items()}
    return {rid: p.proposed for rid, p in propose_levels(catalogue, truths).items()}


def change_sentence(catalogue: Catalogue, change: Change) -> str:
    """「外部ネットワークとの接続は？」を「インターネット」から「なし（閉域）」にすると、AT-1 は中位から低位になる。"""
    q = catalogue.questions[change.question]
    now = value_label(catalogue, q.id, change.current)
    then = value_label(catalogue, q.id, change.alternative)
    before, after = catalogue.level_label(change.before), catalogue.level_label(change.after)
    return f"「{q.label}」を「{now}」から「{then}」にすると、{change.requirement} は{before}から{after}になる。"
