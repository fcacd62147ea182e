"""The loaded, validated content: questionnaire and requirement set, with lookups by id."""

from __future__ import annotations

from dataclasses import dataclass, field

from sbd_tool.content.schema import (
    CatalogueMeta,
    CategoryFile,
    CloudFile,
    Condition,
    LevelId,
    Parameter,
    Policy,
    Question,
    QuestionsFile,
    Requirement,
    RequirementRules,
    RulesFile,
    StepsFile,
    clause_key,
)

LEVEL_ORDER: dict[str, int] = {"not_applicable": 0, "low": 1, "middle": 2, "high": 3}
LEVELS: tuple[LevelId, ...] = ("not_applicable", "low", "middle", "high")


@dataclass(frozen=True)
class Placed:
    """A requirement with the category and policy it belongs to."""

    requirement: Requirement
    category: CategoryFile
    policy: Policy


@dataclass(frozen=True, eq=False)
class Catalogue:
    """Everything the engine and the document builder need, validated and indexed.

    Compared and hashed by identity, so compiled forms can be cached per loaded catalogue.
    """

    meta: CatalogueMeta
    categories: tuple[CategoryFile, ...]
    steps: StepsFile
    questions_file: QuestionsFile
    conditions_list: tuple[Condition, ...]
    rules: RulesFile
    content_version: str
    requirements: dict[str, Placed] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    conditions: dict[str, Condition] = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    cloud: CloudFile | None = None

    @classmethod
    def build(
        cls,
        meta: CatalogueMeta,
        categories: tuple[CategoryFile, ...],
        steps: StepsFile,
        questions_file: QuestionsFile,
        conditions: tuple[Condition, ...],
        rules: RulesFile,
        content_version: str,
        cloud: CloudFile | None = None,
    ) -> Catalogue:
        """Index the validated files (called by the loader once cross-references hold)."""
        placed = {r.id: Placed(r, c, p) for c in categories for p in c.policies for r in p.requirements}
        for rid, where in placed.items():
            for level, text in where.requirement.levels.items():
                for i, clause in enumerate(text.clauses):
                    clause.key = clause_key(rid, level, i)
        return cls(
            meta=meta,
            categories=categories,
            steps=steps,
            questions_file=questions_file,
            conditions_list=conditions,
            rules=rules,
            content_version=content_version,
            requirements=placed,
            questions={q.id: q for q in questions_file.questions},
            conditions={c.id: c for c in conditions},
            parameters={p.id: p for p in meta.parameters},
            cloud=cloud,
        )

    def party_label(self, party: str) -> str:
        assert self.cloud is not None
        return next(p.label for p in self.cloud.parties if p.id == party)

    def level_label(self, level: str) -> str:
        """低位/中位/… for a level id."""
        return next(lv.label for lv in self.meta.levels if lv.id == level)

    def rules_for(self, requirement_id: str) -> RequirementRules:
        return self.rules.requirements.get(requirement_id, RequirementRules())

    def option_label(self, question_id: str, option_id: str) -> str:
        question = self.questions[question_id]
        return next(o.label for o in question.options if o.id == option_id)

    def defined_levels(self, requirement_id: str) -> list[str]:
        """Levels the requirement can be set to, including 対象外."""
        return ["not_applicable", *self.requirements[requirement_id].requirement.levels]
