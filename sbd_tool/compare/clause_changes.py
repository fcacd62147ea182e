"""What the officer changed in the catalogue's clauses (``sbd_tool.answers.tailoring``), as a reviewer
reads it: each reworded clause against the catalogue text, character by character (Japanese has
no spaces to split words on), and each added clause; and the same between two revisions.

Pure: the catalogue, the parsed answers and their evaluation (or raw documents) in, plain data out.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from sbd_tool.answers.read import Answers
from sbd_tool.answers.tailoring import OBLIGATION_LABELS, added_by_requirement, catalogue_clauses, requirement_of
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.document.build import build_document
from sbd_tool.document.numbering import clause_numbers
from sbd_tool.engine.outcomes import Evaluation

Segment = tuple[Literal["equal", "delete", "insert"], str]
CATALOGUE_WORDING = "（対策要件集の文言）"
NO_CLAUSE = "（なし）"
# Clause numbers do not depend on the document's date; the model needs one.
NUMBERING_DATE = dt.date(2026, 1, 1)


def char_diff(before: str, after: str) -> tuple[Segment, ...]:
    """``before`` → ``after`` as runs of kept, deleted and inserted characters."""
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", before[a1:a2]))
            continue
        if a2 > a1:
            out.append(("delete", before[a1:a2]))
        if b2 > b1:
            out.append(("insert", after[b1:b2]))
    return tuple(out)


@dataclass(frozen=True)
class ClauseEdit:
    """One reworded or added clause of a requirement, for the review page."""

    key: str
    number: str  # AT-1-ア as printed; "" when the decided level does not print it
    kind: Literal["tailored", "added"]
    text: str
    reason: str
    catalogue_text: str = ""  # the catalogue's current wording (tailored clauses)
    obligation: str = ""  # 必須/提案 (added clauses)
    segments: tuple[Segment, ...] = ()

    @property
    def printed(self) -> bool:
        return bool(self.number)


@dataclass(frozen=True)
class PrintedNumbers:
    """Numbers as the specification prints them, read from the document model itself so that a
    page never orders the clauses differently (phases, design and build first, a cloud provider's
    confirming clause, added clauses, 入札参加資格)."""

    numbers: dict[str, str]  # every printed clause by key → AT-1-ア, CL-4-イ, QL-ア
    # Per printed requirement, the place (from 0) of its first added clause: added clauses (phase
    # "both") follow its catalogue clauses that are not operation ones, and precede those.
    added_at: dict[str, int]


def printed_numbers(catalogue: Catalogue, answers: Answers, evaluation: Evaluation) -> PrintedNumbers:
    model = build_document(catalogue, answers, evaluation, NUMBERING_DATE)
    added_at = {
        r.id: sum(1 for c in r.clauses if c.phase != "operation" and ".added." not in c.key)
        for c in model.security
        for p in c.policies
        for r in p.requirements
    }
    return PrintedNumbers(clause_numbers(model), added_at)


def numbers_as_printed(catalogue: Catalogue, answers: Answers, evaluation: Evaluation) -> dict[str, str]:
    """Every clause the specification prints, by key → its number there (AT-1-ア, CL-4-イ, QL-ア)."""
    return printed_numbers(catalogue, answers, evaluation).numbers


def clause_edits(catalogue: Catalogue, answers: Answers, evaluation: Evaluation) -> dict[str, list[ClauseEdit]]:
    """Per requirement, its reworded clauses (catalogue order) and then its added clauses; then per
    cloud topic (``cloud.<topic>``), its reworded clauses. Each carries its number as printed ("" when
    the document does not print it)."""
    current = catalogue_clauses(catalogue)
    numbers = numbers_as_printed(catalogue, answers, evaluation)
    out: dict[str, list[ClauseEdit]] = {}
    for key, t in answers.tailoring.items():
        if key in current:
            edit = ClauseEdit(
                key,
                numbers.get(key, ""),
                "tailored",
                t.text,
                t.reason,
                current[key],
                "",
                char_diff(current[key], t.text),
            )
            out.setdefault(requirement_of(key), []).append(edit)
    for rid, added in added_by_requirement(answers.added_clauses).items():
        for key, a in added:
            obligation = OBLIGATION_LABELS[a.obligation]
            out.setdefault(rid, []).append(
                ClauseEdit(key, numbers.get(key, ""), "added", a.text, a.reason, obligation=obligation)
            )
    order = {key: i for i, key in enumerate(current)}  # reworded in catalogue order, then added
    ranked = {g: sorted(e, key=lambda x: (x.kind == "added", order.get(x.key, 0))) for g, e in out.items()}
    groups = [*catalogue.requirements, *(g for g in ranked if g not in catalogue.requirements)]
    return {g: ranked[g] for g in groups if g in ranked}


# ---------------------------------------------------------------- between two revisions (raw documents)


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _shown(entry: Any) -> str:
    item = _mapping(entry)
    if not item:
        return CATALOGUE_WORDING
    return f"{item.get('text', '')}（理由：{item.get('reason', '')}）"


def _added(data: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in data if isinstance(data, list) else []:
        a = _mapping(item)
        obligation = OBLIGATION_LABELS.get(str(a.get("obligation", "required")), str(a.get("obligation")))
        shown = f"{a.get('text', '')}（{obligation}、理由：{a.get('reason', '')}）"
        out.setdefault(str(a.get("requirement", "")), []).append(shown)
    return out


def revision_changes(catalogue: Catalogue, before: Any, after: Any) -> Iterator[tuple[str, str, str, str]]:
    """(where, label, before, after) for each reworded clause and each requirement's added
    clauses that differ between two answers documents (step 6's fields of ``revision_diff``)."""
    old, new = _mapping(_mapping(before).get("tailoring")), _mapping(_mapping(after).get("tailoring"))
    for key in [*old, *(k for k in new if k not in old)]:
        if old.get(key) != new.get(key):
            yield f"tailoring.{key}", f"条項 {key} の文言", _shown(old.get(key)), _shown(new.get(key))
    added_old, added_new = _added(_mapping(before).get("added_clauses")), _added(_mapping(after).get("added_clauses"))
    for rid in [*added_old, *(r for r in added_new if r not in added_old)]:
        a, b = added_old.get(rid, []), added_new.get(rid, [])
        for n in range(max(len(a), len(b))):
            was = a[n] if n < len(a) else NO_CLAUSE
            now = b[n] if n < len(b) else NO_CLAUSE
            if was != now:
                yield f"added_clauses.{rid}.{n + 1}", f"{rid} に追加した条項 {n + 1}", was, now
