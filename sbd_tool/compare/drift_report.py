"""Drift in words: the one-line summary of what a new catalogue changes for a project, and one
sentence per requirement and per question, as the catalogue page and the CLI show them."""

from __future__ import annotations

from sbd_tool.answers.tailoring import TailoredDrift
from sbd_tool.compare.drift_model import Drift, QuestionDrift, RequirementDrift
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.document.blocks import CLOUD_CHAPTER
from sbd_tool.engine.explain import value_label


def drift_summary(d: Drift) -> str:
    """One line: 「3件の対策要件でレベルが変わり、5件の対策要件で記載文が変わります」."""
    if not d.changed:
        return "この案件への影響はありません"
    proposal_only = sum(1 for r in d.requirements if r.proposal_changed and not r.level_changed)
    needs_answer = sum(1 for q in d.questions if q.status == "added" and q.needs_answer)
    parts = [
        (len(d.level_changes), "件の対策要件でレベルが変わ", "り", "ります"),
        (proposal_only, "件の対策要件で提案レベルだけが変わ", "り", "ります"),
        (len(d.text_changes), "件の対策要件で記載文が変わ", "り", "ります"),
        (len(d.added), "件の対策要件が加わ", "り", "ります"),
        (len(d.removed), "件の対策要件がなくな", "り", "ります"),
        (needs_answer, "件の新しい設問に回答が必要にな", "り", "ります"),
        (len(d.new_answer_problems), "件の回答・決定が新しい版では使えなくな", "り", "ります"),
        (
            sum(len(r.tailoring) for r in d.requirements) + len(d.cloud_tailoring),
            "件の文言を変更した条項で元の文言が変わ",
            "り",
            "ります",
        ),
    ]
    shown = [(n, stem, cont, end) for n, stem, cont, end in parts if n]
    if not shown:  # e.g. an answered question's options changed without touching any level
        return "レベルと記載文は変わりませんが、回答した設問の選択肢が変わります"
    clauses = [f"{n}{stem}{cont}" for n, stem, cont, _ in shown[:-1]]
    n, stem, _, end = shown[-1]
    return "、".join([*clauses, f"{n}{stem}{end}"])


def requirement_sentence(old: Catalogue, new: Catalogue, r: RequirementDrift) -> str:
    """「AT-1 通信経路の分離: レベルが高位から中位に変わります」 and the like, for one requirement."""
    head = f"{r.id} {r.name}: "
    if r.status == "added":
        assert r.decided_after is not None
        return head + f"新しい版で加わります（{new.level_label(r.decided_after)}）"
    if r.status == "removed":
        assert r.decided_before is not None
        gone = f"新しい版にはありません（現在は{old.level_label(r.decided_before)}）"
        return head + "、".join([gone, *_tailoring_notes(r.tailoring)])
    assert r.proposed_before and r.proposed_after and r.decided_before and r.decided_after
    parts: list[str] = []
    if r.decision_dropped and r.decision is not None:
        parts.append(f"決定した{old.level_label(r.decision)}は新しい版で定義されていないため、提案レベルを使います")
    if r.level_changed:
        parts.append(f"レベルが{old.level_label(r.decided_before)}から{new.level_label(r.decided_after)}に変わります")
    if r.proposal_changed and (r.proposed_before, r.proposed_after) != (r.decided_before, r.decided_after):
        change = f"提案レベルが{old.level_label(r.proposed_before)}から{new.level_label(r.proposed_after)}に変わります"
        if not r.level_changed:
            change += f"（決定した{new.level_label(r.decided_after)}のまま）"
        parts.append(change)
    if r.text_changed and not r.level_changed:
        parts.append(f"記載文が{len(r.clause_changes)}か所変わります")
    parts += _tailoring_notes(r.tailoring)
    return head + ("、".join(parts) if parts else "変わりません")


def cloud_sentences(d: Drift) -> list[str]:
    """「クラウドサービス利用時の要件: 文言を変更した条項 cloud.exit.2 の元の文言が変わります…」, one per
    reworded cloud-chapter clause that the new catalogue changes or drops."""
    return [f"{CLOUD_CHAPTER}: {note}" for note in _tailoring_notes(d.cloud_tailoring)]


def _tailoring_notes(flags: tuple[TailoredDrift, ...]) -> list[str]:
    """What moving catalogue version means for the project's reworded clauses ``flags``."""
    return [
        f"文言を変更した条項 {t.key} は新しい版にないため、変更後の文言は使われなくなります"
        if t.status == "removed"
        else f"文言を変更した条項 {t.key} の元の文言が変わります（変更後の文言はそのまま使います）"
        for t in flags
    ]


def question_sentence(old: Catalogue, new: Catalogue, q: QuestionDrift) -> str:
    """「設問「利用者数の規模は？」: 選択肢「10,000人以上」がなくなります。回答「10,000人以上」は使えなくなります」"""
    head = f"設問「{q.label}」: "
    if q.status == "added":
        return head + "新しい版で加わります" + ("（回答が必要です）" if q.needs_answer else "")
    if q.status == "removed":
        text = head + "新しい版にはありません"
        if q.answered and q.answer_before is not None:
            text += f"（回答「{value_label(old, q.id, q.answer_before)}」は使われなくなります）"
        return text
    parts: list[str] = []
    if q.options_added:
        came = "".join(f"「{new.option_label(q.id, o)}」" for o in q.options_added)
        parts.append(f"選択肢{came}が加わります")
    if q.options_removed:
        gone = "".join(f"「{old.option_label(q.id, o)}」" for o in q.options_removed)
        parts.append(f"選択肢{gone}がなくなります")
    for o in q.options_relabelled:
        parts.append(f"選択肢「{old.option_label(q.id, o)}」は「{new.option_label(q.id, o)}」になります")
    if q.type_changed:
        kind = "複数選択" if new.questions[q.id].type == "multi" else "単一選択"
        parts.append(f"{kind}の設問になります")
    text = head + "、".join(parts)
    if q.answer_lost and q.answer_before is not None:
        before = value_label(old, q.id, q.answer_before)
        if q.answer_after is None:
            text += f"。回答「{before}」は使えなくなります"
        else:
            text += f"。回答「{before}」は「{value_label(new, q.id, q.answer_after)}」として読まれます"
    return text
