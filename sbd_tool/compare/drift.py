"""Drift: what re-evaluating one project with a new catalogue would change.

Both catalogues evaluate the same answers document, so every difference is computed by the
engine itself: proposed and decided levels, the clause texts printed at the decided level,
requirements and questions that came or went. Answers the new catalogue no longer accepts
are reported (and left out of the comparison) rather than raised. Pure: plain data out.

This module computes it; the result types are in ``drift_model``, the lenient reading of the
answers in ``lenient_answers``, and the summary and sentences in ``drift_report``.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
from typing import Any

from sbd_tool.answers.read import Answers
from sbd_tool.answers.tailoring import is_cloud_key, tailoring_drift
from sbd_tool.compare.drift_model import ClauseChange, Drift, QuestionDrift, RequirementDrift
from sbd_tool.compare.lenient_answers import parse_leniently
from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.engine import rules
from sbd_tool.engine.outcomes import Evaluation, RequirementOutcome
from sbd_tool.engine.rules import evaluate

GRADED = LEVELS[1:]


def printed_clauses(catalogue: Catalogue, outcome: RequirementOutcome) -> tuple[str, ...]:
    """The clauses the specification prints for a requirement at its decided level, before
    parameters are filled in: the engine's own choice (``rules.printed_clauses``), so a clause
    whose condition does not hold for the project is not compared."""
    return tuple(str(c) for c in rules.printed_clauses(catalogue, outcome))


def clause_changes(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[ClauseChange, ...]:
    """Clause-by-clause differences: a rewritten clause pairs its old and new text."""
    changes: list[ClauseChange] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            pairs = itertools.zip_longest(before[a1:a2], after[b1:b2])
            changes.extend(ClauseChange(old, new) for old, new in pairs)
    return tuple(changes)


def _requirements(
    old: Catalogue, new: Catalogue, old_eval: Evaluation, new_eval: Evaluation, old_ans: Answers, new_ans: Answers
) -> list[RequirementDrift]:
    out: list[RequirementDrift] = []
    for rid, placed in new.requirements.items():
        after = new_eval.requirements[rid]
        decision = old_ans.decisions.get(rid)
        dropped = decision is not None and rid not in new_ans.decisions
        if rid not in old.requirements:
            out.append(
                RequirementDrift(
                    rid, placed.requirement.name, "added", None, after.proposed, None, after.decided, None, False
                )
            )
            continue
        before = old_eval.requirements[rid]
        printed_before = printed_clauses(old, before)
        printed_after = printed_clauses(new, after)
        out.append(
            RequirementDrift(
                rid,
                placed.requirement.name,
                "kept",
                before.proposed,
                after.proposed,
                before.decided,
                after.decided,
                decision.level if decision else None,
                dropped,
                clause_changes(printed_before, printed_after),
            )
        )
    for rid, placed in old.requirements.items():
        if rid not in new.requirements:
            before = old_eval.requirements[rid]
            decision = old_ans.decisions.get(rid)
            out.append(
                RequirementDrift(
                    rid,
                    placed.requirement.name,
                    "removed",
                    before.proposed,
                    None,
                    before.decided,
                    None,
                    decision.level if decision else None,
                    decision is not None,
                )
            )
    return out


def _questions(
    old: Catalogue, new: Catalogue, new_eval: Evaluation, data: Any, old_ans: Answers, new_ans: Answers
) -> list[QuestionDrift]:
    raw = data.get("answers") if isinstance(data, dict) else None
    given = {qid for qid, value in raw.items() if value is not None} if isinstance(raw, dict) else set()
    out: list[QuestionDrift] = []
    for qid, q in new.questions.items():
        before_value, after_value = old_ans.answers.get(qid), new_ans.answers.get(qid)
        was = old.questions.get(qid)
        if was is None:
            missing = new_eval.answers[qid].source == "missing"
            out.append(QuestionDrift(qid, q.label, "added", qid in given, None, after_value, needs_answer=missing))
            continue
        old_labels = {o.id: o.label for o in was.options}
        new_labels = {o.id: o.label for o in q.options}
        added = tuple(o for o in new_labels if o not in old_labels)
        removed = tuple(o for o in old_labels if o not in new_labels)
        relabelled = tuple(o for o in new_labels if o in old_labels and old_labels[o] != new_labels[o])
        type_changed = was.type != q.type
        if added or removed or relabelled or type_changed:
            out.append(
                QuestionDrift(
                    qid,
                    q.label,
                    "options_changed",
                    qid in given,
                    before_value,
                    after_value,
                    options_added=added,
                    options_removed=removed,
                    options_relabelled=relabelled,
                    type_changed=type_changed,
                )
            )
    for qid, was in old.questions.items():
        if qid not in new.questions:
            out.append(QuestionDrift(qid, was.label, "removed", qid in given, old_ans.answers.get(qid), None))
    return out


def drift(old: Catalogue, new: Catalogue, answers_data: dict[str, Any]) -> Drift:
    """What would change for the project ``answers_data`` (an ``sbd-tool/answers@1`` document)
    if it were evaluated with ``new`` instead of ``old``."""
    old_answers, old_problems = parse_leniently(answers_data, old)
    new_answers, new_problems = parse_leniently(answers_data, new)
    old_eval, new_eval = evaluate(old, old_answers), evaluate(new, new_answers)
    flags = tailoring_drift(old, new, answers_data)
    requirements = [
        dataclasses.replace(r, tailoring=tuple(f for f in flags if f.requirement == r.id))
        for r in _requirements(old, new, old_eval, new_eval, old_answers, new_answers)
    ]
    return Drift(
        old.content_version,
        new.content_version,
        tuple(requirements),
        tuple(_questions(old, new, new_eval, answers_data, old_answers, new_answers)),
        new_problems,
        old_problems,
        tuple(f for f in flags if is_cloud_key(f.key)),
    )
