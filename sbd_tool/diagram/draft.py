"""The system overview diagram (step 3): a first draft from the matrix, reviewer checks, the
flow table and the diagram as answers-file data.

Pure: plain data in, plain data out. The layout is in ``layout.py``, drawing (SVG for the
wizard, PNG for Word) in ``draw.py``; what the diagram says about the system is in
``derive.diagram_facts``.
"""

from __future__ import annotations

from typing import NamedTuple

from sbd_tool.answers.read import Answers, Diagram, Element, Flow, Zone
from sbd_tool.content.catalogue import Catalogue

# Where a person using a means sits, and which zone a means crosses to reach the system.
_MEANS_ZONE = {
    "office_lan": "office_lan",
    "wireless": "office_lan",
    "media": "office_lan",
    "paper": "office_lan",
    "email": "internet",
    "internet": "internet",
    "remote": "remote_site",
    "mobile": "remote_site",
    "closed_network": "interorg",
}
_HOSTING_ZONE = {"onpremise": "office_lan", "datacenter": "datacenter", "cloud": "cloud"}


def generate_from_matrix(catalogue: Catalogue, answers: Answers) -> Diagram:
    """A first diagram from step 2: the system in its hosting zone, each subject in the zone of
    the means it uses, and one flow per subject and information item of each task."""
    kinds = {k.id: k for k in catalogue.steps.diagram.zone_kinds}
    zones: dict[str, Zone] = {}

    def zone(kind: str) -> str:
        if kind not in zones:
            zones[kind] = Zone(f"Z{len(zones) + 1}", kind, kinds[kind].label)
        return zones[kind].id

    hosting = answers.answers.get("hosting")
    system_zone = zone(_HOSTING_ZONE.get(hosting if isinstance(hosting, str) else "", "office_lan"))
    name = answers.project.name or "情報システム"
    elements = [Element("E1", "server", f"{name}（業務アプリ）", system_zone)]
    flows: list[Flow] = []
    placed: dict[tuple[str, str], str] = {}
    for task in answers.project.tasks:
        means = [m for m in task.means if m in _MEANS_ZONE] or ["office_lan"]
        for subject in task.subjects:
            kind = "external" if subject.kind == "system" else "subject"
            used = _means_of(subject.kind, means)
            where = zone(_MEANS_ZONE[used])
            key = (subject.name, where)
            if key not in placed:
                placed[key] = f"E{len(elements) + 1}"
                elements.append(Element(placed[key], kind, subject.name, where))
            for info in task.information:
                flows.append(Flow(f"F{len(flows) + 1}", placed[key], "E1", info.name, used))
    return Diagram(tuple(zones.values()), tuple(elements), tuple(flows))


_INSIDE = ("office_lan", "wireless", "remote", "mobile", "media", "paper")


def _means_of(subject_kind: str, means: list[str]) -> str:
    """The means a subject most likely uses: staff work from inside, others come from outside."""
    inside = [m for m in means if m in _INSIDE]
    outside = [m for m in means if m not in _INSIDE]
    if subject_kind == "staff":
        return inside[0] if inside else "office_lan"
    return (outside or means)[0]


def diagram_problems(catalogue: Catalogue, answers: Answers) -> list[str]:
    """What a reviewer would flag in the diagram (shown to the officer; not errors)."""
    diagram = answers.diagram
    if diagram is None:
        return []
    problems = []
    elements = {e.id: e for e in diagram.elements}
    for e in diagram.elements:
        if not e.zone:
            problems.append(f"要素「{e.label}」がどの区域にも置かれていません。")
    people = {k.id for k in catalogue.steps.diagram.element_kinds if k.person}
    subjects = {s.name for t in answers.project.tasks for s in t.subjects}
    for e in diagram.elements:
        if e.kind in people and subjects and e.label not in subjects:
            problems.append(f"主体「{e.label}」は手順2の主体にありません（名称をそろえると対応が分かります）。")
    known = [i.name for t in answers.project.tasks for i in t.information]
    for f in diagram.flows:
        label = _flow_label(f, elements)
        if not f.information:
            problems.append(f"流れ「{label}」に情報が設定されていません。")
        elif f.information not in known:
            problems.append(f"流れ「{label}」の情報「{f.information}」は手順2の情報にありません。")
    drawn = {f.information for f in diagram.flows}
    for name in dict.fromkeys(known):
        if name not in drawn:
            problems.append(f"手順2の情報「{name}」がどの流れにも現れません。")
    return problems


def _flow_label(flow: Flow, elements: dict[str, Element]) -> str:
    source, target = elements.get(flow.source), elements.get(flow.target)
    return f"{source.label if source else flow.source} → {target.label if target else flow.target}"


class FlowRow(NamedTuple):
    id: str
    source: str
    target: str
    information: str
    means: str
    crosses: str  # the boundaries crossed, e.g. インターネット → クラウド


def flow_rows(catalogue: Catalogue, diagram: Diagram) -> list[FlowRow]:
    """The flows as a table: from, to, information, means, boundaries crossed."""
    means = {o.id: o.label for o in catalogue.steps.matrix.means}
    zones = {z.id: z for z in diagram.zones}
    elements = {e.id: e for e in diagram.elements}
    rows = []
    for f in diagram.flows:
        source, target = elements.get(f.source), elements.get(f.target)
        a = zones.get(source.zone) if source else None
        b = zones.get(target.zone) if target else None
        crosses = f"{a.label} → {b.label}" if a and b and a.id != b.id else "（区域内）"
        rows.append(
            FlowRow(
                f.id,
                source.label if source else f.source,
                target.label if target else f.target,
                f.information or "（未設定）",
                means.get(f.means, ""),
                crosses,
            )
        )
    return rows


def diagram_data(diagram: Diagram) -> dict[str, list[dict[str, str]]]:
    """The diagram as the plain data of the answers file (``diagram:``)."""
    return {
        "zones": [{"id": z.id, "kind": z.kind, "label": z.label} for z in diagram.zones],
        "elements": [
            {"id": e.id, "kind": e.kind, "label": e.label, **({"zone": e.zone} if e.zone else {})}
            for e in diagram.elements
        ],
        "flows": [
            {
                "id": f.id,
                "from": f.source,
                "to": f.target,
                **({"information": f.information} if f.information else {}),
                **({"means": f.means} if f.means else {}),
            }
            for f in diagram.flows
        ],
    }
