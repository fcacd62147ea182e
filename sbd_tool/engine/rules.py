"""The judgment engine: answers → conditions → proposed levels → decided levels, with a trace.

Pure and order-independent. The catalogue's conditions and rules are compiled once into
closures (cached per loaded catalogue, ``compiled``), so an evaluation is a few hundred dict
look-ups; what it gives is described in ``outcomes``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass

from sbd_tool.answers.read import Answers
from sbd_tool.content.catalogue import LEVEL_ORDER, Catalogue
from sbd_tool.content.schema import Clause, GradedLevel
from sbd_tool.engine.cloud import cloud_outcome
from sbd_tool.engine.compiled import Answered, compile_catalogue, named_conditions
from sbd_tool.engine.derive import ResolvedAnswer, resolve_answers
from sbd_tool.engine.outcomes import (
    ConditionOutcome,
    Evaluation,
    Fact,
    FiredRule,
    Ground,
    OmittedClause,
    RequirementOutcome,
)
from sbd_tool.problems import Problem

GRADED: tuple[GradedLevel, ...] = ("low", "middle", "high")


def omitted_clauses(
    catalogue: Catalogue, truths: Mapping[str, bool], unasked: Set[str] = frozenset()
) -> dict[str, tuple[OmittedClause, ...]]:
    """Per requirement, the clauses (at every level) whose own condition does not hold;
    ``unasked`` names the conditions that rest only on questions this system was not asked."""
    out = {}
    for rid, checks in compile_catalogue(catalogue).clauses.items():
        found = []
        for c in checks:
            if c.witness(truths) is None:
                unmet = tuple(x for x in c.named if not truths[x])
                found.append(OmittedClause(c.level, c.index, c.text, unmet, bool(unmet) and set(unmet) <= unasked))
        out[rid] = tuple(found)
    return out


def unasked_conditions(
    conditions: Mapping[str, ConditionOutcome], resolved: Mapping[str, ResolvedAnswer]
) -> frozenset[str]:
    """The unmet conditions whose every test asks a question this system was not asked (gated off)."""
    return frozenset(
        cid
        for cid, c in conditions.items()
        if not c.met and c.tests and all(_not_asked(resolved.get(t.question)) for t in c.tests)
    )


def _not_asked(answer: ResolvedAnswer | None) -> bool:
    return answer is not None and answer.source == "not_applicable"


def evaluate_conditions(catalogue: Catalogue, answered: Answered) -> dict[str, ConditionOutcome]:
    """Every judgment condition's truth, with the answer tests that decided it."""
    out = {}
    for c in compile_catalogue(catalogue).conditions:
        held = [fn(answered) for fn in c.tests]
        outcomes = tuple(pair[h] for pair, h in zip(c.outcomes, held, strict=True))
        out[c.id] = ConditionOutcome(c.id, c.holds(held), outcomes)
    return out


@dataclass(frozen=True)
class Proposal:
    id: str
    default: str
    default_reason: str
    proposed: str
    fired: tuple[FiredRule, ...]


def _proposals(
    catalogue: Catalogue, truths: Mapping[str, bool]
) -> Iterator[tuple[str, str, str, str, tuple[FiredRule, ...]]]:
    for rid, default, default_reason, rules in compile_catalogue(catalogue).rules:
        fired = []
        best = default
        for r in rules:
            hit = r.fire(truths)
            if hit is not None:
                fired.append(hit)
                if LEVEL_ORDER[r.level] > LEVEL_ORDER[best]:
                    best = r.level
        yield rid, default, default_reason, best, tuple(fired)


def propose_levels(catalogue: Catalogue, truths: Mapping[str, bool]) -> dict[str, Proposal]:
    """Each requirement's proposed level: the highest of its default and every rule that holds."""
    return {p[0]: Proposal(*p) for p in _proposals(catalogue, truths)}


def evaluate(catalogue: Catalogue, answers: Answers) -> Evaluation:
    """The whole judgment for one procurement: conditions, proposals, decisions, warnings."""
    resolved, warnings = resolve_answers(catalogue, answers)
    answered = {qid: r.value for qid, r in resolved.items()}
    conditions = evaluate_conditions(catalogue, answered)
    truths = {cid: c.met for cid, c in conditions.items()}
    omitted = omitted_clauses(catalogue, truths, unasked_conditions(conditions, resolved))
    facts: dict[str, tuple[Fact, ...]] = {}
    requirements = {}
    for rid, default, default_reason, proposed, fired in _proposals(catalogue, truths):
        decision = answers.decisions.get(rid)
        decided = decision.level if decision else proposed
        requirements[rid] = RequirementOutcome(
            id=rid,
            default=default,
            default_reason=default_reason,
            proposed=proposed,
            fired=fired,
            decided=decided,
            decision_reason=decision.reason if decision else "",
            overridden=decided != proposed,
            lowered=LEVEL_ORDER[decided] < LEVEL_ORDER[proposed],
            omitted=omitted[rid],
            grounds=_grounds(fired, conditions, resolved, facts),
            unmet=_unmet(catalogue, rid, default, proposed, truths),
        )
    missing = tuple(qid for qid, r in resolved.items() if r.source == "missing")
    cloud = cloud_outcome(catalogue, answers, answered) if catalogue.cloud is not None else None
    return Evaluation(resolved, conditions, requirements, tuple(warnings), missing, catalogue.content_version, cloud)


def _condition_facts(outcome: ConditionOutcome, resolved: Mapping[str, ResolvedAnswer]) -> tuple[Fact, ...]:
    """The answers behind a met condition: per question, the options that passed a held test."""
    found: dict[str, list[str]] = {}
    for test in outcome.tests:
        if not test.held:
            continue
        answer = resolved[test.question].value
        given = (answer,) if isinstance(answer, str) else tuple(answer or ())
        values = found.setdefault(test.question, [])
        values.extend(v for v in given if v in test.expected and v not in values)
    return tuple(Fact(q, tuple(v), resolved[q].source) for q, v in found.items())


def _grounds(
    fired: tuple[FiredRule, ...],
    conditions: Mapping[str, ConditionOutcome],
    resolved: Mapping[str, ResolvedAnswer],
    cache: dict[str, tuple[Fact, ...]],
) -> tuple[Ground, ...]:
    named = dict.fromkeys(c for r in fired for c in r.conditions)
    out = []
    for cid in named:
        if cid not in cache:
            cache[cid] = _condition_facts(conditions[cid], resolved)
        out.append(Ground(cid, cache[cid]))
    return tuple(out)


def _unmet(catalogue: Catalogue, rid: str, default: str, proposed: str, truths: Mapping[str, bool]) -> tuple[str, ...]:
    """When no rule raised the level: the false conditions of the rules one step above it."""
    if proposed != default:
        return ()
    rules = catalogue.rules_for(rid).rules
    above = [r for r in rules if LEVEL_ORDER[r.level] > LEVEL_ORDER[default]]
    if not above:
        return ()
    nearest = min(LEVEL_ORDER[r.level] for r in above)
    named = (c for r in above if LEVEL_ORDER[r.level] == nearest for c in named_conditions(r.when))
    return tuple(c for c in dict.fromkeys(named) if not truths[c])


def printed_clauses(catalogue: Catalogue, outcome: RequirementOutcome) -> tuple[Clause, ...]:
    """The clauses the specification prints for a requirement at its decided level: every level up
    to it, in order (each adds to those below), without the clauses whose condition does not hold."""
    req = catalogue.requirements[outcome.id].requirement
    left_out = {(o.level, o.position) for o in outcome.omitted}
    return tuple(
        clause
        for level in GRADED
        if level in req.levels and LEVEL_ORDER[level] <= LEVEL_ORDER[outcome.decided]
        for i, clause in enumerate(req.levels[level].clauses)
        if (level, i) not in left_out
    )


def omitted_at_decided(outcome: RequirementOutcome) -> tuple[OmittedClause, ...]:
    """The omitted clauses of the levels the specification prints (up to the decided level)."""
    return tuple(o for o in outcome.omitted if LEVEL_ORDER[o.level] <= LEVEL_ORDER[outcome.decided])


def decision_problems(catalogue: Catalogue, evaluation: Evaluation) -> list[Problem]:
    """Decisions that lower a proposal without saying why, and unanswered questions."""
    problems = [
        Problem(
            f"answers.{qid}",
            f"「{catalogue.questions[qid].label}」に回答してください（業務の特徴からも推定できません）",
        )
        for qid in evaluation.missing
    ]
    if evaluation.cloud is not None:
        for resp in evaluation.cloud.responsibilities.values():
            if resp.overridden and not resp.reason:
                problems.append(
                    Problem(
                        f"responsibilities.{resp.id}.reason",
                        f"{resp.id} の実施主体を{catalogue.party_label(resp.default)}から"
                        f"{catalogue.party_label(resp.party)}に変えるには、理由を記入してください",
                    )
                )
    for r in evaluation.requirements.values():
        if r.lowered and not r.decision_reason:
            problems.append(
                Problem(
                    f"decisions.{r.id}.reason",
                    f"{r.id} を提案（{catalogue.level_label(r.proposed)}）より低い"
                    f"{catalogue.level_label(r.decided)}にするには、理由を記入してください",
                )
            )
    return problems
