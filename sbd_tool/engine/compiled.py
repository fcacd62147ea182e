"""The catalogue's conditions, rules and conditional clauses compiled into closures, once per
loaded catalogue (``compile_catalogue``), so that an evaluation is a few hundred dict look-ups."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sbd_tool.answers.read import AnswerValue
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.schema import AnswerGroup, AnswerTest, RuleGroup
from sbd_tool.engine.outcomes import FiredRule, TestOutcome

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
            _CompiledClause(level, i, str(c), _witness_fn(c.when), tuple(dict.fromkeys(named_conditions(c.when))))
            for level, text in placed.requirement.levels.items()
            for i, c in enumerate(text.clauses)
            if c.when is not None
        )
        for rid, placed in catalogue.requirements.items()
    }
    return Compiled(conditions, tuple(rules), clauses)


def named_conditions(when: str | RuleGroup) -> Iterator[str]:
    """Every condition id ``when`` names, in order (repeats included)."""
    if isinstance(when, str):
        yield when
        return
    for item in when.all or when.any or []:
        yield from named_conditions(item)
