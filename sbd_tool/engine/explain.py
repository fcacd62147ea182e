"""The engine's trace in sentences: which answers decided a condition, why a level."""

from __future__ import annotations

from sbd_tool.answers.read import AnswerValue
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.engine.derive import ResolvedAnswer, describe_source
from sbd_tool.engine.outcomes import ConditionOutcome, Evaluation, Fact, Ground, RequirementOutcome
from sbd_tool.engine.rules import omitted_at_decided


def value_label(catalogue: Catalogue, question_id: str, value: AnswerValue | None) -> str:
    """An answer's option labels (「A、B及びC」), or 未回答."""
    if value is None:
        return "未回答"
    ids = (value,) if isinstance(value, str) else value
    labels = [catalogue.option_label(question_id, v) for v in ids]
    if len(labels) < 2:  # labels may hold 「・」 themselves: several are joined 「A、B及びC」
        return "".join(labels)
    return "、".join(labels[:-1]) + "及び" + labels[-1]


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


def question_number(catalogue: Catalogue, question_id: str) -> int:
    """A fixed question's number: its place in questions.yaml (定型設問N, as the spec's 前提条件 table)."""
    return list(catalogue.questions).index(question_id) + 1


def fact_phrase(catalogue: Catalogue, fact: Fact) -> str:
    """「利用者の範囲＝不特定多数（国民等）（定型設問1、業務の特徴から推定）」"""
    q = catalogue.questions[fact.question]
    source = {"derived": "、業務の特徴から推定", "default": "、既定の回答"}.get(fact.source, "")
    return (
        f"{q.term}＝{value_label(catalogue, q.id, fact.values)}（定型設問{question_number(catalogue, q.id)}{source}）"
    )


def condition_statement(catalogue: Catalogue, condition_id: str) -> str:
    condition = catalogue.conditions[condition_id]
    return condition.statement or condition.label


def ground_phrase(catalogue: Catalogue, condition_id: str, grounds: dict[str, Ground]) -> str:
    """A condition that held, said as a fact, with the answers that made it hold."""
    statement = condition_statement(catalogue, condition_id)
    ground = grounds.get(condition_id)
    if ground is None or not ground.facts:
        return statement
    return f"{statement}［{'、'.join(fact_phrase(catalogue, f) for f in ground.facts)}］"


def requirement_reasons(catalogue: Catalogue, outcome: RequirementOutcome) -> list[str]:
    """The reasons behind a proposal, built from the trace: each rule that fired at the proposed
    level with the conditions that held for this case and the answers that made them hold (never
    the alternatives of the rule that did not hold); or, when no rule raised the level, the default
    with the conditions that did not hold. Then the clauses of the printed levels left out because
    their own condition does not hold. The same sentences serve every page and the document."""
    top = [r for r in outcome.fired if r.level == outcome.proposed]
    grounds = {g.condition: g for g in outcome.grounds}
    if top:
        reasons = []
        for r in top:
            held = "、".join(ground_phrase(catalogue, c, grounds) for c in r.conditions)
            reasons.append(f"{r.reason.rstrip('。')}（該当した判断条件：{held}）。")
    elif outcome.unmet:
        named = "、".join(f"「{catalogue.conditions[c].label}」" for c in outcome.unmet)
        reasons = [f"{outcome.default_reason.rstrip('。')}（該当しなかった判断条件：{named}）。"]
    else:
        reasons = [outcome.default_reason]
    return reasons + omission_notes(catalogue, outcome)


def clause_head(text: str) -> str:
    """The purpose part of a clause (「…ため」), to name it briefly."""
    head, sep, _ = text.partition("ため、")
    if sep and len(head) <= 60:
        return head + "ため"
    return text[:30] + "…"


def clause_name(text: str, shared_heads: set[str]) -> str:
    """A clause named by its purpose, or, when another clause of the requirement has the same
    purpose (a variant for another setting), by its purpose and the start of what it requires,
    so that a note never names a clause the specification prints."""
    head = clause_head(text)
    if head not in shared_heads:
        return head
    _, _, body = text.partition("ため、")
    body = body.split("{", 1)[0]
    return f"{head}、{body[:BODY_CHARS]}…"


BODY_CHARS = 20


def _shared_heads(catalogue: Catalogue, requirement_id: str) -> set[str]:
    """The purposes that more than one clause of the requirement states."""
    placed = catalogue.requirements.get(requirement_id)
    if placed is None:
        return set()
    heads = [clause_head(str(c)) for level in placed.requirement.levels.values() for c in level.clauses]
    return {h for h in heads if heads.count(h) > 1}


def omission_notes(catalogue: Catalogue, outcome: RequirementOutcome) -> list[str]:
    """The clauses of the printed levels that the specification leaves out, one sentence per
    set of conditions that do not hold. Clauses out only because their question was never asked
    of this system (a cloud model on premises) are not listed: nothing was decided there."""
    groups: dict[tuple[str, ...], list[str]] = {}
    shared = _shared_heads(catalogue, outcome.id)
    for o in omitted_at_decided(outcome):
        if o.unasked:
            continue
        name = clause_name(o.text, shared)
        groups.setdefault(o.conditions, []).append(f"{catalogue.level_label(o.level)}「{name}」")
    notes = []
    for conditions, heads in groups.items():
        named = "、".join(f"「{catalogue.conditions[c].label}」" for c in conditions)
        notes.append(f"判断条件{named}に該当しないため、次の条項は記載しない：{'、'.join(heads)}。")
    return notes


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
