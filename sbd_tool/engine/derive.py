"""Answers the who/what/how matrix implies, and where they contradict the officer's answers.

Pure: (catalogue, answers) in, resolved answers and warnings out. Which matrix values imply
which option is data (``derive`` in questions.yaml); only the mechanics live here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal, NamedTuple

from sbd_tool.answers.read import Answers, AnswerValue
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.schema import Question


class FactSource(NamedTuple):
    """One matrix entry that implies a value: task, kind of entry, its name, the value."""

    task_id: str
    task_name: str
    entry: Literal["subject", "information", "means", "flow", "element"]
    name: str
    token: str


class ResolvedAnswer(NamedTuple):
    question: str
    value: AnswerValue | None
    source: Literal["explicit", "derived", "default", "missing", "not_applicable"]
    derived: AnswerValue | None
    evidence: tuple[FactSource, ...]


@dataclass(frozen=True)
class Warning:
    """A disagreement the officer must look at: both sides are named in ``message``."""

    question: str
    message: str


Facts = dict[str, dict[str, list[FactSource]]]


def diagram_facts(catalogue: Catalogue, answers: Answers, facts: Facts) -> None:
    """Add what the system overview diagram shows: a flow crossing into a zone (or a person placed
    in it) shows that zone's means of use; a server or data store shows where the system is hosted."""
    diagram = answers.diagram
    if diagram is None:
        return
    vocab = catalogue.steps.diagram
    zone_kinds = {k.id: k for k in vocab.zone_kinds}
    element_kinds = {k.id: k for k in vocab.element_kinds}
    zones = {z.id: z for z in diagram.zones}
    elements = {e.id: e for e in diagram.elements}
    for e in diagram.elements:
        zone = zones.get(e.zone)
        zk, ek = zone_kinds.get(zone.kind) if zone else None, element_kinds.get(e.kind)
        if ek is not None and ek.means and (zone is None or zk is None):
            facts["means"][ek.means].append(FactSource("", "", "element", e.label, ek.means))
        if zone is None or zk is None or ek is None:
            continue
        name = f"{e.label}（{zone.label or zk.label}）"
        if ek.person and zk.means:
            facts["means"][zk.means].append(FactSource("", "", "element", name, zk.means))
        if ek.hosts and zk.hosting:
            facts["hosting"][zk.hosting].append(FactSource("", "", "element", name, zk.hosting))
        if ek.means:
            facts["means"][ek.means].append(FactSource("", "", "element", name, ek.means))
    for f in diagram.flows:
        source, target = elements.get(f.source), elements.get(f.target)
        if source is None or target is None:
            continue
        name = f"{f.information or '（情報未設定）'}: {source.label} → {target.label}"
        if f.means:
            facts["means"][f.means].append(FactSource("", "", "flow", name, f.means))
        if source.zone == target.zone:
            continue
        for zone_id in (source.zone, target.zone):  # the flow crosses both boundaries
            zone = zones.get(zone_id)
            zk = zone_kinds.get(zone.kind) if zone else None
            if zk is not None and zk.means and zk.means != f.means:
                facts["means"][zk.means].append(FactSource("", "", "flow", name, zk.means))


def matrix_facts(answers: Answers) -> Facts:
    """fact id → value token → the matrix entries that show it."""
    facts: Facts = defaultdict(lambda: defaultdict(list))
    for task in answers.project.tasks:
        for s in task.subjects:
            facts["subject_kind"][s.kind].append(FactSource(task.id, task.name, "subject", s.name, s.kind))
        for info in task.information:
            for axis in ("confidentiality", "integrity", "availability", "pii"):
                token = getattr(info, axis)
                facts[axis][token].append(FactSource(task.id, task.name, "information", info.name, token))
        for m in task.means:
            facts["means"][m].append(FactSource(task.id, task.name, "means", m, m))
    return facts


def _derive(q: Question, facts: Facts) -> tuple[AnswerValue | None, tuple[FactSource, ...]]:
    if q.derive is None:
        return None, ()
    sources = [(q.derive.fact, q.derive.map), *((a.fact, a.map) for a in q.derive.also)]
    hits: list[tuple[str, FactSource]] = []  # (implied option, the matrix entry implying it)
    known = False
    for fact, mapping in sources:
        found = facts.get(fact)
        if not found:
            continue
        known = True
        hits.extend((mapping[token], src) for token, srcs in found.items() if token in mapping for src in srcs)
    if not known:
        return None, ()
    order = [o.id for o in q.options]
    implied = {option for option, _ in hits}
    if not implied:
        if q.derive.otherwise is None:
            return None, ()
        implied, hits = {q.derive.otherwise}, []
    if q.type == "single":
        best = max(implied, key=order.index)
        return best, tuple(src for option, src in hits if option == best)
    return tuple(o for o in order if o in implied), tuple(src for _, src in hits)


def _labels(q: Question, value: AnswerValue) -> str:
    ids = (value,) if isinstance(value, str) else value
    return "・".join(f"「{o.label}」" for o in q.options if o.id in ids)


def _sources(evidence: tuple[FactSource, ...], catalogue: Catalogue) -> str:
    kinds = {"subject": "主体", "information": "情報", "means": "利用環境・手段"}
    means = {o.id: o.label for o in catalogue.steps.matrix.means}
    drawn = {"flow": "システム概要図の流れ", "element": "システム概要図の要素"}
    parts = [
        f"{drawn[e.entry]}「{e.name}」"
        if e.entry in drawn
        else f"業務{e.task_id}「{e.task_name}」の{kinds[e.entry]}「{means.get(e.name, e.name)}」"
        for e in evidence[:3]
    ]
    more = f" ほか{len(evidence) - 3}件" if len(evidence) > 3 else ""
    return "、".join(parts) + more


def _contradiction(q: Question, given: AnswerValue, derived: AnswerValue) -> AnswerValue | None:
    """The part of ``derived`` that ``given`` falls short of, if any."""
    order = [o.id for o in q.options]
    if isinstance(given, str) and isinstance(derived, str):
        return derived if order.index(given) < order.index(derived) else None
    assert q.derive is not None
    missing = tuple(o for o in derived if o not in given and o != q.derive.otherwise)
    return missing or None


def resolve_answers(catalogue: Catalogue, answers: Answers) -> tuple[dict[str, ResolvedAnswer], list[Warning]]:
    """Each question's effective answer (given, else derived from the matrix) and warnings."""
    facts = matrix_facts(answers)
    diagram_facts(catalogue, answers, facts)
    resolved: dict[str, ResolvedAnswer] = {}
    warnings: list[Warning] = []
    for qid, q in catalogue.questions.items():
        if q.applies_when is not None and not _applies(q, resolved):
            resolved[qid] = ResolvedAnswer(qid, None, "not_applicable", None, ())
            continue
        derived, evidence = _derive(q, facts)
        given = answers.answers.get(qid)
        if given is not None:
            resolved[qid] = ResolvedAnswer(qid, given, "explicit", derived, evidence)
            short = _contradiction(q, given, derived) if derived is not None else None
            if short is not None:
                note = q.derive.note if q.derive else ""
                warnings.append(
                    Warning(
                        qid,
                        (
                            f"{q.label}の回答は{_labels(q, given)}ですが、業務の特徴からは{_labels(q, short)}と"
                            f"推定されます（{_sources(evidence, catalogue) or note}）。"
                            "どちらが正しいか確認してください。"
                        ),
                    )
                )
        elif derived is not None:
            resolved[qid] = ResolvedAnswer(qid, derived, "derived", derived, evidence)
        elif q.default is not None:
            resolved[qid] = ResolvedAnswer(qid, q.default, "default", None, ())
        else:
            resolved[qid] = ResolvedAnswer(qid, None, "missing", None, ())
    return resolved, warnings


def _applies(q: Question, resolved: dict[str, ResolvedAnswer]) -> bool:
    """Whether a gated question is asked: its gate refers to an earlier, already resolved answer."""
    gate = q.applies_when
    assert gate is not None
    earlier = resolved.get(gate.question)
    return gate.holds(earlier.value if earlier is not None else None)


def describe_source(catalogue: Catalogue, answer: ResolvedAnswer) -> str:
    """Where an answer came from, as a phrase for the officer."""
    if answer.source == "explicit":
        return "回答"
    if answer.source == "missing":
        return "未回答"
    if answer.source == "not_applicable":
        return "対象外"
    if answer.source == "default":
        return "既定値（回答がないため）"
    q = catalogue.questions[answer.question]
    note = q.derive.note if q.derive else "推定"
    detail = _sources(answer.evidence, catalogue)
    return f"{note}（{detail}）" if detail else note
