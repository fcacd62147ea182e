"""The procurement's scope (構築のみ / 構築及び運用保守 / 運用保守のみ) and which clauses it prints.

Each clause belongs to a phase (``build``: 設計・構築, ``operation``: 運用・保守, ``both``: the
whole contract, such as the management of the contractor or where data is kept); the answer to
``procurement_scope`` decides which phases the document prints. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping

SCOPE_QUESTION = "procurement_scope"
PHASES: dict[str, frozenset[str]] = {
    "build_only": frozenset({"build"}),
    "build_and_operation": frozenset({"build", "operation"}),
    "operation_only": frozenset({"operation"}),
}
PHASE_TITLES = {"build": "設計・構築に係る事項", "operation": "運用・保守に係る事項"}
# What the document says about the phase a procurement leaves out.
LEFT_OUT = {
    "build": "本調達は運用・保守のみを対象とするため、設計・構築に係る事項は記載していない"
    "（既存の情報システムの設計・構築時の条項は、構築時の調達仕様書による。）。",
    "operation": "本調達は設計・構築のみを対象とするため、運用・保守に係る事項は記載していない"
    "（運用・保守に係る事項は、運用・保守の調達仕様書で定める。）。",
}


def in_scope(phase: str, phases: frozenset[str]) -> bool:
    """Whether a clause of ``phase`` is printed: ``both`` (the whole contract) always."""
    return phase == "both" or phase in phases


def phases_in_scope(answered: Mapping[str, object]) -> frozenset[str]:
    """The phases a procurement covers (both when the question is unanswered)."""
    value = answered.get(SCOPE_QUESTION)
    return PHASES.get(value, PHASES["build_and_operation"]) if isinstance(value, str) else PHASES["build_and_operation"]


def left_out_note(phases: frozenset[str]) -> str:
    """The sentence saying which phase the document leaves out ("" when it prints both)."""
    return "".join(LEFT_OUT[p] for p in ("build", "operation") if p not in phases)


def work_phrase(phases: frozenset[str] | tuple[str, ...]) -> str:
    """What the contractor does, as the security section's first sentence says it."""
    parts = [{"build": "設計・構築", "operation": "運用・保守"}[p] for p in ("build", "operation") if p in phases]
    return "本システムの" + "及び".join(parts) + "に当たっては"
