"""Drift: what re-evaluating one project with a new catalogue would change.

Both catalogues evaluate the same answers document, so every difference is computed by the
engine itself: proposed and decided levels, the clause texts printed at the decided level,
requirements and questions that came or went. Answers the new catalogue no longer accepts
are reported (and left out of the comparison) rather than raised. Pure: plain data out.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import itertools
import re
from dataclasses import dataclass
from typing import Any, Literal

from sbd_tool.answers.read import FORMAT, Answers, AnswersError, AnswerValue, parse_answers
from sbd_tool.answers.tailoring import TailoredDrift, tailoring_drift
from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.engine import rules
from sbd_tool.engine.explain import value_label
from sbd_tool.engine.outcomes import Evaluation, RequirementOutcome
from sbd_tool.engine.rules import evaluate
from sbd_tool.problems import Problem

GRADED = LEVELS[1:]
_SECTIONS = ("answers", "decisions", "responsibilities", "parameters")
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_MAX_PRUNING_ROUNDS = 10
_KEYED_BY_CLAUSE = ("tailoring", "obligations")  # sections keyed by a clause key (AT-1.low.1)
_CLAUSE_FIELDS = ("text", "reason", "catalogue_text", "obligation")


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


# ---------------------------------------------------------------- reading the answers leniently


def _path(where: str) -> tuple[str | int, ...]:
    """``project.tasks[0].subjects[1].kind`` → ('project', 'tasks', 0, 'subjects', 1, 'kind')."""
    return tuple(m.group(1) if m.group(1) is not None else int(m.group(2)) for m in _TOKEN.finditer(where))


def _target(tokens: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """What to drop for a problem: one item of a multiple answer, else the whole answer,
    decision, assignment or parameter; elsewhere the innermost list item (a subject, a flow)."""
    head = tokens[0]
    if head in _KEYED_BY_CLAUSE:  # tailoring.AT-1.low.1.text: the key has dots of its own
        rest = [str(t) for t in tokens[1:]]
        if rest and rest[-1] in _CLAUSE_FIELDS:
            rest = rest[:-1]
        return (head, ".".join(rest))
    if head == "answers" and len(tokens) >= 3 and isinstance(tokens[2], int):
        return tokens[:3]
    if head in _SECTIONS:
        return tokens[:2]
    indices = [i for i, t in enumerate(tokens) if isinstance(t, int)]
    return tokens[: indices[-1] + 1] if indices else tokens


def _delete(data: Any, target: tuple[str | int, ...]) -> None:
    """Delete the deepest element on ``target`` that exists."""
    trail: list[tuple[Any, str | int]] = []
    node = data
    for key in target:
        in_dict = isinstance(node, dict) and key in node
        in_list = isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        if not (in_dict or in_list):
            break
        trail.append((node, key))
        node = node[key]
    if trail:
        container, key = trail[-1]
        del container[key]


def _sort_key(target: tuple[str | int, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, t, "") if isinstance(t, int) else (1, 0, t) for t in target)


def _prune(data: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    targets = {_target(tokens) for p in problems if (tokens := _path(p.where))}
    for target in sorted(targets, key=_sort_key, reverse=True):  # later list items first
        if target == ("format",):
            out["format"] = FORMAT
        else:
            _delete(out, target)
    return out


def parse_leniently(data: Any, catalogue: Catalogue) -> tuple[Answers, tuple[Problem, ...]]:
    """The answers as ``catalogue`` reads them (a draft may be partial), dropping whatever it
    rejects, with the problems found. Never raises: at worst, nothing is answered."""
    current: dict[str, Any] = data if isinstance(data, dict) else {}
    found: tuple[Problem, ...] = ()
    if not isinstance(data, dict):
        found = (Problem("", "回答データがキーと値の組（マッピング）ではありません"),)
    for _ in range(_MAX_PRUNING_ROUNDS):
        try:
            return parse_answers(current, catalogue, partial=True), found
        except AnswersError as exc:
            found = found or tuple(exc.problems)  # the first pass sees every problem at once
            pruned = _prune(current, exc.problems)
        if pruned == current:
            break
        current = pruned
    return parse_answers({"format": FORMAT}, catalogue, partial=True), found


# ---------------------------------------------------------------- comparing


def printed_clauses(catalogue: Catalogue, outcome: RequirementOutcome) -> tuple[str, ...]:
    """The clauses the specification prints for a requirement at its decided level, before
    parameters are filled in: the engine's own choice (``rules.printed_clauses``), so a clause
    whose condition does not hold for the project is not compared."""
    return tuple(str(c) for c in rules.printed_clauses(catalogue, outcome))


def clause_changes(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[ClauseChange, ...]:
    """Clause-by-clause differences: a rewritten clause pairs its old and new text."""
    changes: list[ClauseChange] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            pairs = itertools.zip_longest(before[a1:a2], after[b1:b2])
            changes.extend(ClauseChange(old, new) for old, new in pairs)
    return tuple(changes)


def _requirements(
    old: Catalogue, new: Catalogue, old_eval: Evaluation, new_eval: Evaluation, old_ans: Answers, new_ans: Answers
) -> list[RequirementDrift]:
    out: list[RequirementDrift] = []
    for rid, placed in new.requirements.items():
        after = new_eval.requirements[rid]
        decision = old_ans.decisions.get(rid)
        dropped = decision is not None and rid not in new_ans.decisions
        if rid not in old.requirements:
            out.append(
                RequirementDrift(
                    rid, placed.requirement.name, "added", None, after.proposed, None, after.decided, None, False
                )
            )
            continue
        before = old_eval.requirements[rid]
        printed_before = printed_clauses(old, before)
        printed_after = printed_clauses(new, after)
        out.append(
            RequirementDrift(
                rid,
                placed.requirement.name,
                "kept",
                before.proposed,
                after.proposed,
                before.decided,
                after.decided,
                decision.level if decision else None,
                dropped,
                clause_changes(printed_before, printed_after),
            )
        )
    for rid, placed in old.requirements.items():
        if rid not in new.requirements:
            before = old_eval.requirements[rid]
            decision = old_ans.decisions.get(rid)
            out.append(
                RequirementDrift(
                    rid,
                    placed.requirement.name,
                    "removed",
                    before.proposed,
                    None,
                    before.decided,
                    None,
                    decision.level if decision else None,
                    decision is not None,
                )
            )
    return out


def _questions(
    old: Catalogue, new: Catalogue, new_eval: Evaluation, data: Any, old_ans: Answers, new_ans: Answers
) -> list[QuestionDrift]:
    raw = data.get("answers") if isinstance(data, dict) else None
    given = {qid for qid, value in raw.items() if value is not None} if isinstance(raw, dict) else set()
    out: list[QuestionDrift] = []
    for qid, q in new.questions.items():
        before_value, after_value = old_ans.answers.get(qid), new_ans.answers.get(qid)
        was = old.questions.get(qid)
        if was is None:
            missing = new_eval.answers[qid].source == "missing"
            out.append(QuestionDrift(qid, q.label, "added", qid in given, None, after_value, needs_answer=missing))
            continue
        old_labels = {o.id: o.label for o in was.options}
        new_labels = {o.id: o.label for o in q.options}
        added = tuple(o for o in new_labels if o not in old_labels)
        removed = tuple(o for o in old_labels if o not in new_labels)
        relabelled = tuple(o for o in new_labels if o in old_labels and old_labels[o] != new_labels[o])
        type_changed = was.type != q.type
        if added or removed or relabelled or type_changed:
            out.append(
                QuestionDrift(
                    qid,
                    q.label,
                    "options_changed",
                    qid in given,
                    before_value,
                    after_value,
                    options_added=added,
                    options_removed=removed,
                    options_relabelled=relabelled,
                    type_changed=type_changed,
                )
            )
    for qid, was in old.questions.items():
        if qid not in new.questions:
            out.append(QuestionDrift(qid, was.label, "removed", qid in given, old_ans.answers.get(qid), None))
    return out


def drift(old: Catalogue, new: Catalogue, answers_data: dict[str, Any]) -> Drift:
    """What would change for the project ``answers_data`` (an ``sbd-tool/answers@1`` document)
    if it were evaluated with ``new`` instead of ``old``."""
    old_answers, old_problems = parse_leniently(answers_data, old)
    new_answers, new_problems = parse_leniently(answers_data, new)
    old_eval, new_eval = evaluate(old, old_answers), evaluate(new, new_answers)
    flags = tailoring_drift(old, new, answers_data)
    requirements = [
        dataclasses.replace(r, tailoring=tuple(f for f in flags if f.requirement == r.id))
        for r in _requirements(old, new, old_eval, new_eval, old_answers, new_answers)
    ]
    return Drift(
        old.content_version,
        new.content_version,
        tuple(requirements),
        tuple(_questions(old, new, new_eval, answers_data, old_answers, new_answers)),
        new_problems,
        old_problems,
    )


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
        (sum(len(r.tailoring) for r in d.requirements), "件の文言を変更した条項で元の文言が変わ", "り", "ります"),
    ]
    shown = [(n, stem, cont, end) for n, stem, cont, end in parts if n]
    if not shown:  # e.g. an answered question's options changed without touching any level
        return "レベルと記載文は変わりませんが、回答した設問の選択肢が変わります"
    clauses = [f"{n}{stem}{cont}" for n, stem, cont, _ in shown[:-1]]
    n, stem, _, end = shown[-1]
    return "、".join([*clauses, f"{n}{stem}{end}"])


# ---------------------------------------------------------------- sentences


def requirement_sentence(old: Catalogue, new: Catalogue, r: RequirementDrift) -> str:
    """「AT-1 通信経路の分離: レベルが高位から中位に変わります」 and the like, for one requirement."""
    head = f"{r.id} {r.name}: "
    if r.status == "added":
        assert r.decided_after is not None
        return head + f"新しい版で加わります（{new.level_label(r.decided_after)}）"
    if r.status == "removed":
        assert r.decided_before is not None
        gone = f"新しい版にはありません（現在は{old.level_label(r.decided_before)}）"
        return head + "、".join([gone, *_tailoring_notes(r)])
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
    parts += _tailoring_notes(r)
    return head + ("、".join(parts) if parts else "変わりません")


def _tailoring_notes(r: RequirementDrift) -> list[str]:
    """What moving catalogue version means for the project's reworded clauses of ``r``."""
    return [
        f"文言を変更した条項 {t.key} は新しい版にないため、変更後の文言は使われなくなります"
        if t.status == "removed"
        else f"文言を変更した条項 {t.key} の元の文言が変わります（変更後の文言はそのまま使います）"
        for t in r.tailoring
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
