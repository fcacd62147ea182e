"""The engine's trace in sentences: which answers decided a condition, why a level."""

from __future__ import annotations

from sbd_tool.answers import AnswerValue
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.derive import ResolvedAnswer, describe_source
from sbd_tool.rules import ConditionOutcome, Evaluation, RequirementOutcome


def value_label(catalogue: Catalogue, question_id: str, value: AnswerValue | None) -> str:
    """An answer's option labels, or 未回答."""
    if value is None:
        return "未回答"
    ids = (value,) if isinstance(value, str) else value
    return "・".join(catalogue.option_label(question_id, v) for v in ids)


def answer_sentence(catalogue: Catalogue, answer: ResolvedAnswer) -> str:
    """「利用者（主体）の範囲は？」→「不特定多数（国民等）」（業務の特徴の主体から推定（…））"""
    q = catalogue.questions[answer.question]
    text = f"「{q.label}」→「{value_label(catalogue, q.id, answer.value)}」"
    if answer.source == "derived":
        text += f"（{describe_source(catalogue, answer)}）"
    return text


def condition_sentence(catalogue: Catalogue, evaluation: Evaluation, outcome: ConditionOutcome) -> str:
    """Why a condition is met or not, naming the answers that decided it."""
    tests = [t for t in outcome.tests if t.held] if outcome.met else list(outcome.tests)
    seen: list[str] = []
    for t in tests:
        if t.question not in seen:
            seen.append(t.question)
    because = "、".join(answer_sentence(catalogue, evaluation.answers[q]) for q in seen)
    verdict = "該当する" if outcome.met else "該当しない"
    return f"{verdict}：{because}"


def requirement_reasons(catalogue: Catalogue, outcome: RequirementOutcome) -> list[str]:
    """The reasons behind a proposal: each rule that fired at the proposed level, with its
    conditions, or the default reason when no rule raised the level."""
    top = [r for r in outcome.fired if r.level == outcome.proposed]
    if not top:
        return [outcome.default_reason]
    return [f"{r.reason}（判断条件：{'、'.join(catalogue.conditions[c].label for c in r.conditions)}）" for r in top]


def decision_note(catalogue: Catalogue, outcome: RequirementOutcome) -> str:
    """How the decided level relates to the proposal, for tables and the document."""
    if not outcome.overridden:
        return "提案どおり"
    direction = "引下げ" if outcome.lowered else "引上げ"
    proposed = catalogue.level_label(outcome.proposed)
    return f"提案（{proposed}）から{direction}：{outcome.decision_reason or '理由の記載なし'}"


def derivation_note(catalogue: Catalogue, answer: ResolvedAnswer) -> str:
    """What the matrix implies for a question, for display beside the officer's answer."""
    if answer.derived is None:
        return ""
    note = f"業務の特徴からの推定：{value_label(catalogue, answer.question, answer.derived)}"
    detail = describe_source(
        catalogue, ResolvedAnswer(answer.question, answer.derived, "derived", answer.derived, answer.evidence)
    )
    note += f"（{detail}）"
    if answer.source == "derived":
        note += "。推定した回答を入力済みです。確認して保存してください。"
    return note
