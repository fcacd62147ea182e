"""The system overview diagram's layout: zones in a grid of three columns, elements stacked in
their zone, flows as arrows routed around the boxes (``route.py``), and a legend for labels
with no room in the picture. Pure: plain data in, boxes and polylines out.
"""

from __future__ import annotations

from typing import NamedTuple

from sbd_tool.answers.read import Diagram, Zone
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.diagram.route import Rect, Route, route, text_width


class Box(NamedTuple):
    id: str
    label: str
    kind: str
    x: float
    y: float
    w: float
    h: float


class Arrow(NamedTuple):
    """A flow (or the flows between one pair of elements) as a polyline from the source box's side
    to the target box's side, and where its label goes (``tag``: the label itself, or the number
    under which the legend lists it (``number`` > 0); None: in the legend only)."""

    id: str
    source: str
    target: str
    points: tuple[tuple[float, float], ...]
    label: str
    tag: Box | None
    number: int = 0


class Layout(NamedTuple):
    width: float
    height: float
    zones: tuple[Box, ...]
    elements: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    legend: tuple[Box, ...] = ()  # labels with no room in the picture, listed under it


ZONE_W, ELEMENT_H, GAP, COLUMNS, PAD = 224.0, 48.0, 14.0, 3, 36.0
COL_GAP = 56.0  # room between zones for arrows and their labels
WIDTH = COLUMNS * ZONE_W + (COLUMNS + 1) * COL_GAP
LEGEND_LINE = 18.0


def layout(catalogue: Catalogue, diagram: Diagram) -> Layout:
    """Zones in a grid of three columns (A4 width), elements stacked in their zone, flows as
    arrows routed around the boxes (``diagram_route``) and labelled with their ids (the flow
    table gives the information)."""
    zone_boxes, element_boxes, height = _grid(diagram)
    boxes = {b.id: b for b in element_boxes}
    pairs: dict[tuple[str, str], list[str]] = {}
    for f in diagram.flows:  # one arrow per pair of elements, labelled with all its flows
        if f.source in boxes and f.target in boxes and f.source != f.target:
            pairs.setdefault((f.source, f.target), []).append(f.id)
    routes = [Route(s, t, "・".join(ids)) for (s, t), ids in pairs.items()]
    rects = {b.id: (b.x, b.y, b.x + b.w, b.y + b.h) for b in element_boxes}
    obstacles = [*rects.values(), *(zone_title(z) for z in zone_boxes)]
    arrows: list[Arrow] = []
    legend: list[Box] = []
    for ((source, target), ids), placed in zip(
        pairs.items(), route(rects, obstacles, routes, WIDTH, height), strict=True
    ):
        label = "・".join(ids)
        text = str(placed.number) if placed.number else label
        tag = (
            None
            if placed.tag is None
            else Box("-".join(ids), text, "number" if placed.number else "label", *_xywh(placed.tag))
        )
        arrows.append(Arrow("-".join(ids), source, target, placed.points, label, tag, placed.number))
        if placed.number or tag is None:
            where = f"{placed.number}：" if tag is not None else f"{boxes[source].label} → {boxes[target].label}："
            for line in _wrap(where + label, WIDTH - 2 * COL_GAP - 8):
                y = height + len(legend) * LEGEND_LINE
                legend.append(
                    Box(f"legend-{len(legend) + 1}", line, "legend", COL_GAP, y, text_width(line) + 8, LEGEND_LINE)
                )
    if legend:
        height += len(legend) * LEGEND_LINE + GAP
    return Layout(WIDTH, max(height, 2 * GAP), tuple(zone_boxes), tuple(element_boxes), tuple(arrows), tuple(legend))


def _wrap(text: str, width: float) -> list[str]:
    """A legend entry in lines that fit the picture's width (nothing is cut)."""
    lines, current = [], ""
    for ch in text:
        if current and text_width(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current]


def zone_title(z: Box) -> Rect:
    """Where a zone's name is drawn (bold, at its top left), as far as the zone reaches."""
    return (z.x + 8, z.y + 5, min(z.x + z.w, z.x + 12 + text_width(z.label, 14)), z.y + 26)


def _xywh(r: Rect) -> tuple[float, float, float, float]:
    return r[0], r[1], r[2] - r[0], r[3] - r[1]


def _grid(diagram: Diagram) -> tuple[list[Box], list[Box], float]:
    """Zones in rows of three, each zone's elements stacked in it; elements in no zone in a row
    of their own below, so they are seen. Also the height of it all."""
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
        y -= COL_GAP - 2 * GAP  # room below the last row for arrows going round
    for i, e in enumerate(loose):
        x = COL_GAP + (i % COLUMNS) * (ZONE_W + COL_GAP)
        ey = y + (i // COLUMNS) * (ELEMENT_H + 2 * GAP)
        element_boxes.append(Box(e.id, e.label, e.kind, x + GAP, ey, ZONE_W - 2 * GAP, ELEMENT_H))
    if loose:
        y += ((len(loose) - 1) // COLUMNS + 1) * (ELEMENT_H + 2 * GAP)
    return zone_boxes, element_boxes, y


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
