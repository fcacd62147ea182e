"""The revision diff's result: the changes it reports (fields, conditions, levels) and the
placeholder texts it shows where a side has no value."""

from __future__ import annotations

from dataclasses import dataclass

NOT_ANSWERED = "（未回答）"
NONE = "（なし）"
AS_PROPOSED = "（提案どおり）"
DEFAULT_PARTY = "（既定の実施主体）"
AS_CATALOGUE = "（対策要件集のとおり）"
NOT_SET = "（指定なし）"
UNKNOWN = "（判定不能）"


@dataclass(frozen=True)
class FieldChange:
    """One thing the officer entered that differs between the revisions."""

    step: str  # the wizard step that shows it: purpose, features, diagram, questions, decisions, output
    where: str  # a stable key: project.name, tasks.T2.name, answers.network, diagram.flows.F4, …
    label: str  # what it is, in Japanese: 「外部ネットワークとの接続は？」, 「業務 T2 の名称」
    before: str  # the value, readable (option labels, not ids); 「（未回答）」 and the like when absent
    after: str


@dataclass(frozen=True)
class ConditionChange:
    """A judgment condition whose result differs; ``None`` where a side cannot be judged."""

    id: str
    label: str  # 「インターネットと接続するか」
    before: bool | None
    after: bool | None
    sentence_before: str  # 「該当する：「…」→「…」」 (explain.condition_sentence), or why it is unknown
    sentence_after: str


@dataclass(frozen=True)
class LevelChange:
    """A requirement whose proposed or decided level differs; ``None`` where unknown."""

    requirement: str
    name: str
    proposed_before: str | None  # level ids: not_applicable | low | middle | high
    proposed_after: str | None
    decided_before: str | None
    decided_after: str | None
    proposed_before_label: str  # 低位/中位/高位/対象外, or 「（判定不能）」
    proposed_after_label: str
    decided_before_label: str
    decided_after_label: str
    reasons_before: tuple[str, ...]  # why that level: the rules (or default), then the decision's reason
    reasons_after: tuple[str, ...]


@dataclass(frozen=True)
class RevisionDiff:
    fields: tuple[FieldChange, ...]
    conditions: tuple[ConditionChange, ...]
    levels: tuple[LevelChange, ...]
    before_note: str  # why some conditions/levels of that side are unknown; empty when all are known
    after_note: str

    @property
    def empty(self) -> bool:
        return not (self.fields or self.conditions or self.levels)
