"""The results of a judgment, as the engine gives them and the documents, pages and comparisons
read them: each condition with its answer tests, each requirement's default, fired rules,
proposal, decision, omitted clauses and grounds, and the whole ``Evaluation``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sbd_tool.engine.cloud import CloudOutcome
from sbd_tool.engine.derive import ResolvedAnswer, Warning


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
    # True when each of those conditions rests only on questions this system was not asked
    # (「PaaS又はSaaSを利用するか」 on premises): the clause is out by the system's nature, and the
    # reasons do not list it.
    unasked: bool = False


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
