"""The judgment engine: answers → conditions → proposed levels → decided levels, with a trace.

Pure and order-independent. The catalogue's conditions and rules are compiled once into
closures (cached per loaded catalogue), so an evaluation is a few hundred dict look-ups.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from sbd_tool.answers import Answers, AnswerValue
from sbd_tool.content.catalogue import LEVEL_ORDER, Catalogue
from sbd_tool.content.schema import AnswerGroup, AnswerTest, RuleGroup
from sbd_tool.derive import ResolvedAnswer, Warning, resolve_answers
from sbd_tool.problems import Problem


@dataclass(frozen=True)
class TestOutcome:
    question: str
    expected: tuple[str, ...]
    held: bool


@dataclass(frozen=True)
class ConditionOutcome:
    id: str
    met: bool
    tests: tuple[TestOutcome, ...]


@dataclass(frozen=True)
class FiredRule:
    index: int
    level: str
    reason: str
    conditions: tuple[str, ...]  # the conditions that make the rule hold


@dataclass(frozen=True)
class RequirementOutcome:
    id: str
    default: str
    default_reason: str
    proposed: str
    fired: tuple[FiredRule, ...]
    decided: str
    decision_reason: str
    overridden: bool
    lowered: bool

    @property
    def explained_by(self) -> tuple[str, ...]:
        """The reasons behind the proposal: the rules at the proposed level, else the default."""
        top = tuple(r.reason for r in self.fired if r.level == self.proposed)
        return top or (self.default_reason,)


@dataclass(frozen=True)
class Evaluation:
    answers: dict[str, ResolvedAnswer]
    conditions: dict[str, ConditionOutcome]
    requirements: dict[str, RequirementOutcome]
    warnings: tuple[Warning, ...]
    missing: tuple[str, ...]
    content_version: str


Answered = Mapping[str, AnswerValue | None]
TestFn = Callable[[Answered], bool]


def _test_fn(test: AnswerTest) -> TestFn:
    qid = test.question
    if test.in_ is not None:
        allowed = frozenset(test.in_)
        return lambda a: a.get(qid) in allowed
    wanted = frozenset(test.includes or ())
    return lambda a: bool(wanted.intersection(a.get(qid) or ()))


def _flatten(group: AnswerGroup) -> list[AnswerTest]:
    out: list[AnswerTest] = []
    for item in group.all or group.any or []:
        out.extend(_flatten(item) if isinstance(item, AnswerGroup) else [item])
    return out


def _group_fn(group: AnswerGroup) -> TestFn:
    parts = [_group_fn(i) if isinstance(i, AnswerGroup) else _test_fn(i) for i in group.all or group.any or []]
    if group.all is not None:
        return lambda a: all(p(a) for p in parts)
    return lambda a: any(p(a) for p in parts)


WitnessFn = Callable[[Mapping[str, bool]], "tuple[str, ...] | None"]


def _witness_fn(when: str | RuleGroup) -> WitnessFn:
    """A function giving the conditions that make ``when`` true (None when it is false):
    for 'all', every part's witnesses; for 'any', those of each branch that holds."""
    if isinstance(when, str):
        own = (when,)
        return lambda t: own if t[when] else None
    parts = [_witness_fn(i) for i in when.all or when.any or []]
    if when.all is not None:

        def all_of(t: Mapping[str, bool]) -> tuple[str, ...] | None:
            found: list[str] = []
            for part in parts:
                got = part(t)
                if got is None:
                    return None
                found.extend(got)
            return tuple(dict.fromkeys(found))

        return all_of

    def any_of(t: Mapping[str, bool]) -> tuple[str, ...] | None:
        found = [c for part in parts for c in part(t) or ()]
        return tuple(dict.fromkeys(found)) if found else None

    return any_of


@dataclass(frozen=True)
class _CompiledRule:
    index: int
    level: str
    reason: str
    witness: WitnessFn


@dataclass(frozen=True)
class Compiled:
    conditions: tuple[tuple[str, TestFn, tuple[tuple[AnswerTest, TestFn], ...]], ...]
    rules: tuple[tuple[str, str, str, tuple[_CompiledRule, ...]], ...]


@lru_cache(maxsize=16)
def compile_catalogue(catalogue: Catalogue) -> Compiled:
    """Turn the declarative conditions and rules into closures, once per catalogue."""
    conditions = tuple(
        (c.id, _group_fn(c.when), tuple((t, _test_fn(t)) for t in _flatten(c.when))) for c in catalogue.conditions_list
    )
    rules = []
    for rid in catalogue.requirements:
        entry = catalogue.rules_for(rid)
        compiled = tuple(_CompiledRule(i, r.level, r.reason, _witness_fn(r.when)) for i, r in enumerate(entry.rules))
        reason = entry.default_reason or catalogue.rules.default_reason
        rules.append((rid, entry.default, reason, compiled))
    return Compiled(conditions, tuple(rules))


def evaluate_conditions(catalogue: Catalogue, answered: Answered) -> dict[str, ConditionOutcome]:
    """Every judgment condition's truth, with the answer tests that decided it."""
    out = {}
    for cid, holds, tests in compile_catalogue(catalogue).conditions:
        outcomes = tuple(TestOutcome(t.question, tuple(t.in_ or t.includes or ()), fn(answered)) for t, fn in tests)
        out[cid] = ConditionOutcome(cid, holds(answered), outcomes)
    return out


@dataclass(frozen=True)
class Proposal:
    id: str
    default: str
    default_reason: str
    proposed: str
    fired: tuple[FiredRule, ...]


def propose_levels(catalogue: Catalogue, truths: Mapping[str, bool]) -> dict[str, Proposal]:
    """Each requirement's proposed level: the highest of its default and every rule that holds."""
    out = {}
    for rid, default, default_reason, rules in compile_catalogue(catalogue).rules:
        fired = tuple(
            FiredRule(r.index, r.level, r.reason, witness) for r in rules if (witness := r.witness(truths)) is not None
        )
        best = default
        for f in fired:
            if LEVEL_ORDER[f.level] > LEVEL_ORDER[best]:
                best = f.level
        out[rid] = Proposal(rid, default, default_reason, best, fired)
    return out


def evaluate(catalogue: Catalogue, answers: Answers) -> Evaluation:
    """The whole judgment for one procurement: conditions, proposals, decisions, warnings."""
    resolved, warnings = resolve_answers(catalogue, answers)
    answered = {qid: r.value for qid, r in resolved.items()}
    conditions = evaluate_conditions(catalogue, answered)
    truths = {cid: c.met for cid, c in conditions.items()}
    requirements = {}
    for rid, p in propose_levels(catalogue, truths).items():
        decision = answers.decisions.get(rid)
        decided = decision.level if decision else p.proposed
        requirements[rid] = RequirementOutcome(
            id=rid,
            default=p.default,
            default_reason=p.default_reason,
            proposed=p.proposed,
            fired=p.fired,
            decided=decided,
            decision_reason=decision.reason if decision else "",
            overridden=decided != p.proposed,
            lowered=LEVEL_ORDER[decided] < LEVEL_ORDER[p.proposed],
        )
    missing = tuple(qid for qid, r in resolved.items() if r.source == "missing")
    return Evaluation(resolved, conditions, requirements, tuple(warnings), missing, catalogue.content_version)


def decision_problems(catalogue: Catalogue, evaluation: Evaluation) -> list[Problem]:
    """Decisions that lower a proposal without saying why, and unanswered questions."""
    problems = [
        Problem(
            f"answers.{qid}",
            f"「{catalogue.questions[qid].label}」に回答してください（業務の特徴からも推定できません）",
        )
        for qid in evaluation.missing
    ]
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
