"""What-if: which single answer changes would raise or lower each requirement's proposed level.

Computed by the engine itself (every alternative answer is evaluated), never hard-coded, so it
stays true whatever the rules say. Pure: (catalogue, answers) in, plain data out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import NamedTuple

from sbd_tool.answers import Answers, AnswerValue
from sbd_tool.content.catalogue import LEVEL_ORDER, Catalogue
from sbd_tool.content.schema import Question
from sbd_tool.explain import value_label
from sbd_tool.rules import Evaluation, evaluate


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
    changes = []
    for qid, question in catalogue.questions.items():
        resolved = base.answers[qid]
        if resolved.source == "not_applicable":
            continue
        for alternative in alternatives(question, resolved.value):
            changed = dataclasses.replace(answers, answers={**answers.answers, qid: alternative})
            result = evaluate(catalogue, changed)
            for rid, outcome in base.requirements.items():
                after = result.requirements[rid].proposed
                if after != outcome.proposed:
                    changes.append(Change(rid, qid, resolved.value, alternative, outcome.proposed, after))
    order = {rid: i for i, rid in enumerate(catalogue.requirements)}
    return sorted(changes, key=lambda c: (order[c.requirement], not c.raises))


def change_sentence(catalogue: Catalogue, change: Change) -> str:
    """「外部ネットワークとの接続は？」を「インターネット」から「なし（閉域）」にすると、AT-1 は中位から低位になる。"""
    q = catalogue.questions[change.question]
    now = value_label(catalogue, q.id, change.current)
    then = value_label(catalogue, q.id, change.alternative)
    before, after = catalogue.level_label(change.before), catalogue.level_label(change.after)
    return f"「{q.label}」を「{now}」から「{then}」にすると、{change.requirement} は{before}から{after}になる。"
