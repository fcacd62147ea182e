"""The system overview diagram (step 3): a first draft from the matrix, reviewer checks, layout.

Pure: plain data in, plain data out. Drawing (SVG for the wizard, PNG for Word) is in
``diagram_draw.py``; what the diagram says about the system is in ``derive.diagram_facts``.
"""

from __future__ import annotations

from typing import NamedTuple

from sbd_tool.answers import Answers, Diagram, Element, Flow, Zone
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


# ---------------------------------------------------------------- layout


class Box(NamedTuple):
    id: str
    label: str
    kind: str
    x: float
    y: float
    w: float
    h: float


class Arrow(NamedTuple):
    id: str
    x1: float
    y1: float
    x2: float
    y2: float
    label: str


class Layout(NamedTuple):
    width: float
    height: float
    zones: tuple[Box, ...]
    elements: tuple[Box, ...]
    arrows: tuple[Arrow, ...]


ZONE_W, ELEMENT_H, GAP, COLUMNS, PAD = 224.0, 48.0, 14.0, 3, 36.0
COL_GAP = 56.0  # room between zones for an arrow and its label
WIDTH = COLUMNS * ZONE_W + (COLUMNS + 1) * COL_GAP


def layout(catalogue: Catalogue, diagram: Diagram) -> Layout:
    """Zones in a grid of three columns (A4 width), elements stacked in their zone, flows as
    straight arrows labelled with their id (the flow table gives the information)."""
    placed = {z.id: [e for e in diagram.elements if e.zone == z.id] for z in diagram.zones}
    loose = [e for e in diagram.elements if e.zone not in placed]
    zone_boxes, element_boxes = [], []
    rows: list[list[Zone]] = [list(z) for z in _rows(diagram)]
    y = GAP
    for row in rows:
        height = max(PAD + max(1, len(placed[z.id])) * (ELEMENT_H + GAP) for z in row)
        columns = {1: [1], 2: [0, 2]}.get(len(row), list(range(len(row))))  # keep the middle column central
        for col, z in zip(columns, row, strict=True):
            x = COL_GAP + col * (ZONE_W + COL_GAP)
            zone_boxes.append(Box(z.id, z.label, z.kind, x, y, ZONE_W, height))
            for i, e in enumerate(placed[z.id]):
                ey = y + PAD + i * (ELEMENT_H + GAP)
                element_boxes.append(Box(e.id, e.label, e.kind, x + GAP, ey, ZONE_W - 2 * GAP, ELEMENT_H))
        y += height + COL_GAP
    if rows:
        y -= COL_GAP - GAP
    for i, e in enumerate(loose):  # not in any zone: a row of their own, so they are seen
        x = COL_GAP + (i % COLUMNS) * (ZONE_W + COL_GAP)
        ey = y + (i // COLUMNS) * (ELEMENT_H + GAP)
        element_boxes.append(Box(e.id, e.label, e.kind, x + GAP, ey, ZONE_W - 2 * GAP, ELEMENT_H))
    if loose:
        y += ((len(loose) - 1) // COLUMNS + 1) * (ELEMENT_H + GAP) + GAP
    boxes = {b.id: b for b in element_boxes}
    pairs: dict[tuple[str, str], list[str]] = {}
    for f in diagram.flows:  # one arrow per pair of elements, labelled with all its flows
        if f.source in boxes and f.target in boxes and f.source != f.target:
            pairs.setdefault((f.source, f.target), []).append(f.id)
    arrows = []
    for (source, target), ids in pairs.items():
        x1, y1, x2, y2 = _edge_points(boxes[source], boxes[target])
        if (target, source) in pairs:  # flows both ways: two parallel arrows, side by side
            length = max(1.0, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
            nx, ny = -(y2 - y1) / length * 9, (x2 - x1) / length * 9
            x1, y1, x2, y2 = x1 + nx, y1 + ny, x2 + nx, y2 + ny
        arrows.append(Arrow("-".join(ids), x1, y1, x2, y2, "・".join(ids)))
    return Layout(WIDTH, max(y, 2 * GAP), tuple(zone_boxes), tuple(element_boxes), tuple(arrows))


def _rows(diagram: Diagram) -> list[tuple[Zone, ...]]:
    """Zones in rows of three, the zone most flows go to (usually the system's) in the middle of
    the first row, so arrows from either side reach it without crossing other zones."""
    where = {e.id: e.zone for e in diagram.elements}
    weight = {z.id: 0 for z in diagram.zones}
    for f in diagram.flows:
        for end in (f.source, f.target):
            if where.get(end) in weight:
                weight[where[end]] += 1 if end == f.source else 2
    zones = list(diagram.zones)
    if len(zones) >= 2:
        hub = max(zones, key=lambda z: weight[z.id])
        zones.remove(hub)
        zones.insert(1, hub)
    return [tuple(zones[i : i + COLUMNS]) for i in range(0, len(zones), COLUMNS)]


def _edge_points(a: Box, b: Box) -> tuple[float, float, float, float]:
    """Where the straight line between two boxes' centres leaves each box."""
    ax, ay, bx, by = a.x + a.w / 2, a.y + a.h / 2, b.x + b.w / 2, b.y + b.h / 2

    def clip(cx: float, cy: float, box: Box, dx: float, dy: float) -> tuple[float, float]:
        if dx == 0 and dy == 0:
            return cx, cy
        tx = (box.w / 2) / abs(dx) if dx else float("inf")
        ty = (box.h / 2) / abs(dy) if dy else float("inf")
        t = min(tx, ty)
        return cx + dx * t, cy + dy * t

    dx, dy = bx - ax, by - ay
    x1, y1 = clip(ax, ay, a, dx, dy)
    x2, y2 = clip(bx, by, b, -dx, -dy)
    return x1, y1, x2, y2


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
