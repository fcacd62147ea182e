"""The revision diff's view of what the engine makes of each revision: the judgment conditions
and the proposed and decided levels that differ, with why, or why a side cannot say."""

from __future__ import annotations

from collections.abc import Iterator

from sbd_tool.compare.revision_model import UNKNOWN, ConditionChange, LevelChange
from sbd_tool.compare.revision_side import RevisionSide
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.engine.explain import condition_sentence, decision_note, requirement_reasons


def _sentence(catalogue: Catalogue, side: RevisionSide, cid: str) -> str:
    met = side.conditions.get(cid)
    if side.evaluation is None:
        return "判定できません：この版の回答に誤りがあります"
    if met is None:
        questions = dict.fromkeys(
            t.question for t in side.evaluation.conditions[cid].tests if t.question in side.unknown
        )
        names = "、".join(f"「{catalogue.questions[q].label}」" for q in questions)
        return f"判定できません：{names}が未回答です"
    return condition_sentence(catalogue, side.evaluation, side.evaluation.conditions[cid])


def condition_changes(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Iterator[ConditionChange]:
    for c in catalogue.conditions_list:
        before, after = old.conditions.get(c.id), new.conditions.get(c.id)
        if before is after:
            continue
        yield ConditionChange(
            c.id, c.label, before, after, _sentence(catalogue, old, c.id), _sentence(catalogue, new, c.id)
        )


def _reasons(catalogue: Catalogue, side: RevisionSide, rid: str) -> tuple[str, ...]:
    """Why the level: the rules behind the proposal (or the default), then how the decision departs from it."""
    if side.evaluation is None:
        return ()
    outcome = side.evaluation.requirements[rid]
    if side.proposed.get(rid) is None:  # the proposal is unknown; a decision's own reason still stands
        return (f"決定の理由：{outcome.decision_reason}",) if outcome.decision_reason else ()
    reasons = requirement_reasons(catalogue, outcome)
    if outcome.overridden:
        reasons.append(decision_note(catalogue, outcome))
    return tuple(reasons)


def level_changes(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Iterator[LevelChange]:
    def label(level: str | None) -> str:
        return UNKNOWN if level is None else catalogue.level_label(level)

    for rid, placed in catalogue.requirements.items():
        p0, p1 = old.proposed.get(rid), new.proposed.get(rid)
        d0, d1 = old.decided.get(rid), new.decided.get(rid)
        if p0 == p1 and d0 == d1:
            continue
        yield LevelChange(
            rid,
            placed.requirement.name,
            p0,
            p1,
            d0,
            d1,
            label(p0),
            label(p1),
            label(d0),
            label(d1),
            _reasons(catalogue, old, rid),
            _reasons(catalogue, new, rid),
        )
