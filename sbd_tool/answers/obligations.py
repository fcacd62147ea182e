"""必須/提案 per clause: the catalogue's marks, the officer's changes (``obligations`` in the
answers file) and what is wrong with them.

The catalogue marks every clause ``required`` (必須) or ``proposal`` (提案); the officer may
change a clause's mark for one procurement, with a reason::

    obligations:
      "AU-1.middle.2": {obligation: proposal, reason: "…"}

Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sbd_tool.content.schema import ClauseTraits, cloud_clause_key
from sbd_tool.problems import Problem

if TYPE_CHECKING:
    from sbd_tool.answers.model import ObligationDoc
    from sbd_tool.answers.read import Answers
    from sbd_tool.content import Catalogue

OBLIGATIONS = ("required", "proposal")
OBLIGATION_LABELS = {"required": "必須", "proposal": "提案"}


@dataclass(frozen=True)
class ClauseObligation:
    """The officer's 必須/提案 for one clause, and why it differs from the catalogue's."""

    obligation: str
    reason: str = ""


def obligation_label(obligation: str) -> str:
    """必須 or 提案."""
    return OBLIGATION_LABELS.get(obligation, OBLIGATION_LABELS["required"])


@lru_cache(maxsize=8)
def clause_traits(catalogue: Catalogue) -> dict[str, ClauseTraits]:
    """Every clause of the catalogue by key (requirement clauses, cloud clauses and each
    requirement's ``.confirm`` clause), with the catalogue's marks."""
    traits: dict[str, ClauseTraits] = {}
    for rid, placed in catalogue.requirements.items():
        for level in placed.requirement.levels.values():
            for clause in level.clauses:
                traits[clause.key] = clause.traits
        traits[f"{rid}.confirm"] = ClauseTraits()
    if catalogue.cloud is not None:
        for topic in catalogue.cloud.topics:
            for i, c in enumerate(topic.clauses):
                traits[cloud_clause_key(topic.id, i)] = ClauseTraits(
                    obligation=c.obligation,
                    phase=c.phase,
                    placement=c.placement,
                    equivalent_exempt=c.equivalent_exempt,
                )
    return traits


def parse_obligations(p: Any, value: dict[str, ObligationDoc] | None) -> dict[str, ClauseObligation]:
    """The ``obligations`` section, read by the answers parser ``p``: a key the catalogue does not
    have is refused here, like any unknown id, so a project moved to a catalogue version without
    that clause drops it (``drift``) instead of being stuck; a missing reason is the core's problem
    (``obligation_problems``)."""
    out: dict[str, ClauseObligation] = {}
    traits = clause_traits(p.cat)
    for key, item in (value or {}).items():
        where = f"obligations.{key}"
        if str(key) not in traits:
            p.fail(where, f"条項「{key}」は対策要件集にありません（AU-1.middle.2 のように指定）")
            continue
        obligation = p.choice(item.obligation, f"{where}.obligation", list(OBLIGATIONS))
        reason = p.text(item.reason, f"{where}.reason", multiline=True)
        if obligation is not None:
            out[str(key)] = ClauseObligation(obligation, reason.strip())
    return out


def obligation_problems(catalogue: Catalogue, answers: Answers) -> list[Problem]:
    """A change of 必須/提案 without a reason (unknown clauses are refused when the answers are read)."""
    traits = clause_traits(catalogue)
    problems = []
    for key, chosen in answers.obligations.items():
        if key in traits and chosen.obligation != traits[key].obligation and not chosen.reason:
            was, now = obligation_label(traits[key].obligation), obligation_label(chosen.obligation)
            problems.append(
                Problem(
                    f"obligations.{key}.reason",
                    f"条項 {key} を{was}から{now}に変えるには、理由を記入してください",
                )
            )
    return problems


def effective(catalogue: Catalogue, answers: Answers, key: str) -> tuple[str, str]:
    """A clause's obligation for this procurement and the reason when the officer changed it."""
    base = clause_traits(catalogue).get(key, ClauseTraits()).obligation
    chosen = answers.obligations.get(key)
    if chosen is None or chosen.obligation == base:
        return base, ""
    return chosen.obligation, chosen.reason
