"""The judgment engine: answers → conditions → proposed levels → decided levels, with a trace.

Pure and order-independent. The catalogue's conditions and rules are compiled once into
closures (cached per loaded catalogue), so an evaluation is a few hundred dict look-ups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from sbd_tool.answers.read import Answers, AnswerValue
from sbd_tool.content.catalogue import LEVEL_ORDER, Catalogue
from sbd_tool.content.schema import AnswerGroup, AnswerTest, Clause, GradedLevel, RuleGroup
from sbd_tool.engine.cloud import CloudOutcome, cloud_outcome
from sbd_tool.engine.derive import ResolvedAnswer, Warning, resolve_answers
from sbd_tool.problems import Problem

GRADED: tuple[GradedLevel, ...] = ("low", "middle", "high")


class TestOutcome(NamedTuple):
    question: str
    expected: tuple[str, ...]
    held: bool


class ConditionOutcome(NamedTuple):
    id: str
    met: bool
    tests: tuple[TestOutcome, ...]


class FiredRule(NamedTuple):
    position: int  # the rule's place in the requirement's list in rules.yaml
    level: str
    reason: str
    conditions: tuple[str, ...]  # the conditions that make the rule hold


class Fact(NamedTuple):
    """One answer that made a condition hold: the options that passed its test."""

    question: str
    values: tuple[str, ...]
    source: str  # explicit, derived or default (see ResolvedAnswer)


class Ground(NamedTuple):
    """A condition named by a rule that fired, with the answers that made it hold."""

    condition: str
    facts: tuple[Fact, ...]


class OmittedClause(NamedTuple):
    """A clause left out because its own condition does not hold."""

    level: str
    position: int  # the clause's place in that level's list
    text: str
    conditions: tuple[str, ...]  # the conditions its ``when`` names that do not hold


class RequirementOutcome(NamedTuple):
    id: str
    default: str
    default_reason: str
    proposed: str
    fired: tuple[FiredRule, ...]
    decided: str
    decision_reason: str
    overridden: bool
    lowered: bool
    omitted: tuple[OmittedClause, ...] = ()  # clauses (at any level) whose condition does not hold
    grounds: tuple[Ground, ...] = ()  # the conditions the fired rules name, with the answers behind them
    unmet: tuple[str, ...] = ()  # when the default stands: the conditions of the next rules that do not hold

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
    cloud: CloudOutcome | None = None  # when the system is on a cloud service


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


HeldFn = Callable[[Sequence[bool]], bool]


def _group_over(group: AnswerGroup, counter: list[int]) -> HeldFn:
    """The group as a function of its tests' results (in ``_flatten`` order), so each test
    runs once per evaluation and its result serves both the truth and the trace."""
    parts: list[HeldFn] = []
    for item in group.all or group.any or []:
        if isinstance(item, AnswerGroup):
            parts.append(_group_over(item, counter))
        else:
            index = counter[0]
            counter[0] += 1
            parts.append(lambda held, i=index: held[i])  # type: ignore[misc]
    if group.all is not None:
        return lambda held: all(p(held) for p in parts)
    return lambda held: any(p(held) for p in parts)


WitnessFn = Callable[[Mapping[str, bool]], "tuple[str, ...] | None"]


def _witness_fn(when: str | RuleGroup) -> WitnessFn:
    """A function giving the conditions that make ``when`` true (None when it is false):
    for 'all', every part's witnesses; for 'any', those of each branch that holds."""
    if isinstance(when, str):
        own = (when,)
        return lambda t: own if t[when] else None
    items = when.all or when.any or []
    if all(isinstance(i, str) for i in items):  # flat: the common case, kept allocation-free
        ids = tuple(dict.fromkeys(str(i) for i in items))
        if when.all is not None:
            return lambda t: ids if all(t[c] for c in ids) else None
        return lambda t: tuple(c for c in ids if t[c]) or None
    parts = [_witness_fn(i) for i in items]
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
    _fired: dict[tuple[str, ...], FiredRule] = field(default_factory=dict)

    def fire(self, truths: Mapping[str, bool]) -> FiredRule | None:
        """The rule's trace when it holds; one immutable object per distinct witness."""
        witness = self.witness(truths)
        if witness is None:
            return None
        fired = self._fired.get(witness)
        if fired is None:
            fired = self._fired.setdefault(witness, FiredRule(self.index, self.level, self.reason, witness))
        return fired


@dataclass(frozen=True)
class _CompiledCondition:
    id: str
    tests: tuple[TestFn, ...]
    holds: HeldFn
    outcomes: tuple[tuple[TestOutcome, TestOutcome], ...]  # per test: (failed, held), made once


@dataclass(frozen=True)
class _CompiledClause:
    level: str
    index: int
    text: str
    witness: WitnessFn  # None when the clause's condition does not hold
    named: tuple[str, ...]  # every condition its ``when`` names


@dataclass(frozen=True)
class Compiled:
    conditions: tuple[_CompiledCondition, ...]
    rules: tuple[tuple[str, str, str, tuple[_CompiledRule, ...]], ...]
    clauses: dict[str, tuple[_CompiledClause, ...]]  # per requirement, only the clauses with a ``when``


def _compile_condition(cid: str, group: AnswerGroup) -> _CompiledCondition:
    tests = _flatten(group)
    outcomes = tuple(
        (
            TestOutcome(t.question, tuple(t.in_ or t.includes or ()), False),
            TestOutcome(t.question, tuple(t.in_ or t.includes or ()), True),
        )
        for t in tests
    )
    return _CompiledCondition(cid, tuple(_test_fn(t) for t in tests), _group_over(group, [0]), outcomes)


@lru_cache(maxsize=16)
def compile_catalogue(catalogue: Catalogue) -> Compiled:
    """Turn the declarative conditions and rules into closures, once per catalogue."""
    conditions = tuple(_compile_condition(c.id, c.when) for c in catalogue.conditions_list)
    rules = []
    for rid in catalogue.requirements:
        entry = catalogue.rules_for(rid)
        compiled = tuple(_CompiledRule(i, r.level, r.reason, _witness_fn(r.when)) for i, r in enumerate(entry.rules))
        reason = entry.default_reason or catalogue.rules.default_reason
        rules.append((rid, entry.default, reason, compiled))
    clauses = {
        rid: tuple(
            _CompiledClause(level, i, str(c), _witness_fn(c.when), tuple(dict.fromkeys(_named(c.when))))
            for level, text in placed.requirement.levels.items()
            for i, c in enumerate(text.clauses)
            if c.when is not None
        )
        for rid, placed in catalogue.requirements.items()
    }
    return Compiled(conditions, tuple(rules), clauses)


def _named(when: str | RuleGroup) -> Iterator[str]:
    if isinstance(when, str):
        yield when
        return
    for item in when.all or when.any or []:
        yield from _named(item)


def omitted_clauses(catalogue: Catalogue, truths: Mapping[str, bool]) -> dict[str, tuple[OmittedClause, ...]]:
    """Per requirement, the clauses (at every level) whose own condition does not hold."""
    out = {}
    for rid, checks in compile_catalogue(catalogue).clauses.items():
        out[rid] = tuple(
            OmittedClause(c.level, c.index, c.text, tuple(x for x in c.named if not truths[x]))
            for c in checks
            if c.witness(truths) is None
        )
    return out


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
    omitted = omitted_clauses(catalogue, truths)
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
    named = (c for r in above if LEVEL_ORDER[r.level] == nearest for c in _named(r.when))
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
