"""Drift's result: what moving one project to a new catalogue changes, per requirement and per
question, with the answers the new catalogue rejects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sbd_tool.answers.read import AnswerValue
from sbd_tool.answers.tailoring import TailoredDrift
from sbd_tool.problems import Problem


@dataclass(frozen=True)
class ClauseChange:
    """One clause of the printed text: ``before`` None means added, ``after`` None removed."""

    before: str | None
    after: str | None


@dataclass(frozen=True)
class RequirementDrift:
    """One requirement, before (old catalogue) and after (new catalogue).

    Levels are None on the side where the requirement does not exist. ``clause_changes``
    compares the clauses printed before (old text at the old decided level) with those
    printed after (new text at the new decided level); it is empty for added or removed ones.
    """

    id: str
    name: str
    status: Literal["kept", "added", "removed"]
    proposed_before: str | None
    proposed_after: str | None
    decided_before: str | None
    decided_after: str | None
    decision: str | None  # the level the project itself decided, if any
    decision_dropped: bool  # that level is not defined any more: the new proposal is used
    clause_changes: tuple[ClauseChange, ...] = ()
    # The project's reworded clauses of this requirement whose catalogue text changed or went
    # (``sbd_tool.answers.tailoring``): the officer's wording is kept, and the officer should look again.
    tailoring: tuple[TailoredDrift, ...] = ()

    @property
    def proposal_changed(self) -> bool:
        return self.status == "kept" and self.proposed_before != self.proposed_after

    @property
    def level_changed(self) -> bool:
        """The decided level, the one the specification prints, changes."""
        return self.status == "kept" and self.decided_before != self.decided_after

    @property
    def text_changed(self) -> bool:
        return self.status == "kept" and bool(self.clause_changes)

    @property
    def changed(self) -> bool:
        return (
            self.status != "kept"
            or self.proposal_changed
            or self.level_changed
            or self.text_changed
            or self.decision_dropped
            or bool(self.tailoring)
        )


@dataclass(frozen=True)
class QuestionDrift:
    """A question added, removed, or whose options changed, and what it means for the project."""

    id: str
    label: str
    status: Literal["added", "removed", "options_changed"]
    answered: bool  # the project's answers document answers it
    answer_before: AnswerValue | None  # the answer as the old catalogue reads it
    answer_after: AnswerValue | None  # as the new catalogue reads it (None: not accepted any more)
    needs_answer: bool = False  # the new catalogue asks it and nothing answers it (no default, no derivation)
    options_added: tuple[str, ...] = ()
    options_removed: tuple[str, ...] = ()
    options_relabelled: tuple[str, ...] = ()
    type_changed: bool = False  # single ↔ multiple choice

    @property
    def answer_lost(self) -> bool:
        """Part or all of the project's answer is not accepted by the new catalogue."""
        return self.answered and self.answer_before != self.answer_after

    @property
    def affects_project(self) -> bool:
        if self.status == "added":
            return self.needs_answer
        return self.answered


@dataclass(frozen=True)
class Drift:
    old_version: str
    new_version: str
    requirements: tuple[RequirementDrift, ...]  # the new catalogue's order, then the removed ones
    questions: tuple[QuestionDrift, ...]
    answer_problems: tuple[Problem, ...]  # what the new catalogue rejects in the answers document
    old_answer_problems: tuple[Problem, ...] = ()  # the same under the old catalogue (normally none)
    # The project's reworded cloud-chapter clauses (``cloud.<topic>.<n>``) whose catalogue text changed or went.
    cloud_tailoring: tuple[TailoredDrift, ...] = ()

    @property
    def new_answer_problems(self) -> tuple[Problem, ...]:
        """Problems the new catalogue finds that the old one did not."""
        return tuple(p for p in self.answer_problems if p not in self.old_answer_problems)

    @property
    def changed(self) -> bool:
        return (
            any(r.changed for r in self.requirements)
            or any(q.affects_project for q in self.questions)
            or bool(self.new_answer_problems)
            or bool(self.cloud_tailoring)
        )

    @property
    def level_changes(self) -> tuple[RequirementDrift, ...]:
        return tuple(r for r in self.requirements if r.level_changed)

    @property
    def text_changes(self) -> tuple[RequirementDrift, ...]:
        """Requirements printed at the same level whose wording changes."""
        return tuple(r for r in self.requirements if r.text_changed and not r.level_changed)

    @property
    def added(self) -> tuple[RequirementDrift, ...]:
        return tuple(r for r in self.requirements if r.status == "added")

    @property
    def removed(self) -> tuple[RequirementDrift, ...]:
        return tuple(r for r in self.requirements if r.status == "removed")
