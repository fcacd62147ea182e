"""What a bidder reads about each requirement: level, clauses, why, evidence, example measures.

Built from the same document model as the Word spec, so the page never says anything the spec
does not; nothing internal (comments, review notes, audit data) is an input. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbd_tool.content import Catalogue
from sbd_tool.document.compliance import QUALIFICATION_TITLE, compliance_rows
from sbd_tool.document.model import DocumentModel, SpecClause
from sbd_tool.engine.explain import decision_note, requirement_reasons
from sbd_tool.engine.outcomes import Evaluation


@dataclass(frozen=True)
class BidderRequirement:
    id: str
    name: str
    category: str
    level_label: str
    clauses: tuple[str, ...]  # as printed in the spec (empty when not applicable)
    why: tuple[str, ...]  # the rules and conditions behind the proposal, then the decision, in sentences
    details: tuple[tuple[str, str], ...]  # (label, text): purpose, threat, verification, proposals, evidence, …
    # The names in English, for a bidder who reads the page in English (the spec text stays Japanese).
    name_en: str = ""
    category_en: str = ""
    level_label_en: str = ""
    numbers: tuple[str, ...] = ()  # each clause's number, as the spec and the matrix give it (AT-1-ア)


@dataclass(frozen=True)
class BidderTopic:
    """A topic of the cloud chapter: its number (CL-1), title and numbered clauses."""

    number: str
    title: str
    clauses: tuple[tuple[str, str], ...]  # (CL-1-ア, text as printed)


@dataclass(frozen=True)
class BidderCloud:
    intro: str
    topics: tuple[BidderTopic, ...]


def bidder_cloud(model: DocumentModel) -> BidderCloud | None:
    """The spec's cloud chapter, numbered as the spec and the matrix number it."""
    if model.cloud is None:
        return None
    # the cloud rows, in order (the 入札参加資格 rows, QL-ア …, have no level either)
    numbers = iter(r.number for r in compliance_rows(model) if r.level == "" and r.requirement != QUALIFICATION_TITLE)
    topics = []
    for number, (title, clauses) in zip(
        model.cloud_numbers or ("",) * len(model.cloud.topics), model.cloud.topics, strict=True
    ):
        topics.append(BidderTopic(number, title, tuple((next(numbers), c) for c in clauses)))
    return BidderCloud(model.cloud.intro, tuple(topics))


def bidder_qualifications(model: DocumentModel) -> tuple[tuple[str, SpecClause], ...]:
    """入札参加資格 as the spec prints it, numbered as the matrix numbers it (QL-ア …)."""
    numbers = [r.number for r in compliance_rows(model) if r.requirement == QUALIFICATION_TITLE]
    return tuple(zip(numbers, model.qualifications, strict=True))


def bidder_requirements(catalogue: Catalogue, evaluation: Evaluation, model: DocumentModel) -> list[BidderRequirement]:
    sections = {r.id: r for c in model.security for p in c.policies for r in p.requirements}
    numbers: dict[str, list[str]] = {}
    for row in compliance_rows(model):
        numbers.setdefault(row.requirement.split(" ", 1)[0], []).append(row.number)
    rationale = {e.heading.split(" ", 1)[0]: e.items for e in model.rationale}
    skip = {"本調達でのレベル"}  # said by level_label and why
    found = []
    for category in catalogue.categories:
        for policy in category.policies:
            for req in policy.requirements:
                outcome = evaluation.requirements[req.id]
                section = sections.get(req.id)
                why = [*requirement_reasons(catalogue, outcome)]
                if outcome.overridden:
                    why.append(decision_note(catalogue, outcome))
                found.append(
                    BidderRequirement(
                        id=req.id,
                        name=req.name,
                        category=category.name,
                        level_label=catalogue.level_label(outcome.decided),
                        clauses=section.clauses if section else (),
                        why=tuple(why),
                        details=tuple((k, v) for k, v in rationale.get(req.id, ()) if k not in skip and v),
                        name_en=req.name_en,
                        category_en=category.name_en,
                        level_label_en=next(lv.label_en for lv in catalogue.meta.levels if lv.id == outcome.decided),
                        numbers=tuple(numbers.get(req.id, ())) if section else (),
                    )
                )
    return found
