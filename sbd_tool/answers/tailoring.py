"""Clause tailoring: the officer's own wording of a catalogue clause for one procurement, and
clauses the officer adds to a requirement, each with a required reason.

The answers file holds them in two sections (see docs/answers-format.md)::

    tailoring:
      "AU-1.middle.2": {text: "…", reason: "…", catalogue_text: "<the catalogue's wording then>"}
    added_clauses:
      - {requirement: "AU-1", text: "…", reason: "…", obligation: required}

``catalogue_text`` records the catalogue wording the officer started from, so that a later
catalogue version that rewrites the clause can be flagged (``sbd_tool.compare.drift``). Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.schema import cloud_clause_key
from sbd_tool.limits import CLAUSE_REASON_CHARS, CLAUSE_TEXT_CHARS

if TYPE_CHECKING:
    from sbd_tool.answers.check import AnswersChecker
    from sbd_tool.answers.model import AddedClauseDoc, TailoredDoc

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")  # as sbd_tool.document.spec_clauses fills them
OBLIGATIONS = ("required", "proposal")  # 必須 / 提案
OBLIGATION_LABELS = {"required": "必須", "proposal": "提案"}


@dataclass(frozen=True)
class TailoredClause:
    """A catalogue clause reworded for this procurement."""

    text: str
    reason: str
    catalogue_text: str = ""  # the catalogue's wording when it was tailored


@dataclass(frozen=True)
class AddedClause:
    """A clause the officer adds after a requirement's printed clauses."""

    requirement: str
    text: str
    reason: str
    obligation: str = "required"


CLOUD_PREFIX = "cloud."  # a cloud-chapter clause's key: ``cloud.<topic>.<n>``


def catalogue_clauses(catalogue: Catalogue) -> dict[str, str]:
    """Every clause an officer may reword, by key → its catalogue wording: the requirement clauses
    (``AU-1.middle.2``), then the cloud chapter's (``cloud.exit.1``, see ``cloud_clauses``)."""
    requirement = {
        clause.key: str(clause)
        for placed in catalogue.requirements.values()
        for level in placed.requirement.levels.values()
        for clause in level.clauses
    }
    return requirement | cloud_clauses(catalogue)


def cloud_clauses(catalogue: Catalogue) -> dict[str, str]:
    """Every clause of the cloud chapter by key (``cloud.<topic>.<n>``) → its wording (none when
    the catalogue has no cloud section)."""
    if catalogue.cloud is None:
        return {}
    return {cloud_clause_key(t.id, i): c.text for t in catalogue.cloud.topics for i, c in enumerate(t.clauses)}


def is_cloud_key(key: str) -> bool:
    return key.startswith(CLOUD_PREFIX)


def added_key(requirement: str, n: int) -> str:
    """The key of the n-th (from 1) clause added to a requirement: ``AU-1.added.1``."""
    return f"{requirement}.added.{n}"


def added_by_requirement(added: tuple[AddedClause, ...]) -> dict[str, list[tuple[str, AddedClause]]]:
    """The added clauses of each requirement with their keys, in the file's order."""
    out: dict[str, list[tuple[str, AddedClause]]] = {}
    for clause in added:
        mine = out.setdefault(clause.requirement, [])
        mine.append((added_key(clause.requirement, len(mine) + 1), clause))
    return out


def _clause_text(
    p: AnswersChecker, item: TailoredDoc | AddedClauseDoc, where: str, what: str, why: str
) -> tuple[str, str]:
    text = p.text(item.text, f"{where}.text", multiline=True).strip()
    reason = p.text(item.reason, f"{where}.reason", multiline=True).strip()
    if not text:
        p.fail(f"{where}.text", f"{what}の文言を入力してください")
    elif len(text) > CLAUSE_TEXT_CHARS:
        p.fail(f"{where}.text", f"{what}の文言は{CLAUSE_TEXT_CHARS}文字以内にしてください（{len(text)}文字）")
    unknown = [name for name in PLACEHOLDER.findall(text) if name not in p.cat.parameters]
    if unknown:
        names = "、".join(f"{{{n}}}" for n in p.cat.parameters) or "なし"
        p.fail(f"{where}.text", f"{{{unknown[0]}}} は対策要件集の項目ではありません（使える項目: {names}）")
    if not reason:
        p.fail(f"{where}.reason", f"{why}理由を入力してください")
    elif len(reason) > CLAUSE_REASON_CHARS:
        p.fail(f"{where}.reason", f"理由は{CLAUSE_REASON_CHARS}文字以内にしてください（{len(reason)}文字）")
    return text, reason


def _unknown_clause(key: str, known: dict[str, str]) -> str:
    if is_cloud_key(key):
        example = next((k for k in known if is_cloud_key(k)), "cloud.exit.1")
        return f"クラウドの条項 '{key}' は対策要件集にありません（{example} のように cloud・項目・番号で指定）"
    example = next(iter(known), "AU-1.middle.2")
    return f"条項 '{key}' は対策要件集にありません（{example} のように対策要件・レベル・番号で指定）"


def parse_tailoring(p: AnswersChecker, value: dict[str, TailoredDoc] | None) -> dict[str, TailoredClause]:
    """The ``tailoring`` section: catalogue clause key → the officer's wording and reason."""
    known = catalogue_clauses(p.cat)
    out: dict[str, TailoredClause] = {}
    for key, item in (value or {}).items():
        where = f"tailoring.{key}"
        if key not in known:
            p.unknown_key(where, _unknown_clause(str(key), known))
            continue
        text, reason = _clause_text(p, item, where, "変更後の条項", "条項の文言を変更する")
        before = p.text(item.catalogue_text, f"{where}.catalogue_text", multiline=True)
        if text and reason:
            out[str(key)] = TailoredClause(text, reason, before or known[key])
    return out


def parse_added(p: AnswersChecker, value: list[AddedClauseDoc] | None) -> tuple[AddedClause, ...]:
    """The ``added_clauses`` section: clauses added after a requirement's printed clauses."""
    out: list[AddedClause] = []
    for i, item in enumerate(value or []):
        where = f"added_clauses[{i}]"
        rid = p.text(item.requirement, f"{where}.requirement")
        if rid not in p.cat.requirements:
            p.fail(f"{where}.requirement", f"対策要件 '{rid}' はありません（条項を追加する対策要件のidを指定）")
        text, reason = _clause_text(p, item, where, "追加する条項", "条項を追加する")
        obligation = p.choice(item.obligation, f"{where}.obligation", list(OBLIGATIONS))
        if rid in p.cat.requirements and text and reason and obligation is not None:
            out.append(AddedClause(rid, text, reason, obligation))
    return tuple(out)


@dataclass(frozen=True)
class TailoredDrift:
    """A reworded clause whose ground moves when the project changes catalogue version: the
    catalogue text under it changed, or its key is gone (then the officer's wording is not used)."""

    key: str
    requirement: str  # the clause's requirement (AU-1), or its cloud topic (cloud.exit): ``requirement_of``
    status: Literal["catalogue_changed", "removed"]
    text: str  # the officer's wording (kept when the key remains)
    stored: str  # the catalogue's wording when it was tailored
    now: str | None  # the new catalogue's wording (None: removed)


def requirement_of(key: str) -> str:
    """The group of printed clauses a clause key belongs to: ``AU-1.middle.2`` → ``AU-1`` (its
    requirement); ``cloud.exit.2`` → ``cloud.exit`` (its cloud topic)."""
    return key.rsplit(".", 1)[0] if is_cloud_key(key) else key.rsplit(".", 2)[0]


def tailoring_drift(old: Catalogue, new: Catalogue, data: Any) -> tuple[TailoredDrift, ...]:
    """The project's reworded clauses (raw ``tailoring`` of ``data``) that moving from ``old`` to
    ``new`` affects, compared with the catalogue text stored when each was tailored."""
    raw = data.get("tailoring") if isinstance(data, dict) else None
    before, after = catalogue_clauses(old), catalogue_clauses(new)
    out = []
    for key, entry in (raw if isinstance(raw, dict) else {}).items():
        if not isinstance(entry, dict):
            continue
        stored = str(entry.get("catalogue_text") or before.get(str(key), ""))
        now = after.get(str(key))
        if now is None or now != stored:
            status: Literal["catalogue_changed", "removed"] = "removed" if now is None else "catalogue_changed"
            out.append(
                TailoredDrift(str(key), requirement_of(str(key)), status, str(entry.get("text", "")), stored, now)
            )
    return tuple(out)
