"""Routing the diagram's flows (step 3): arrows as orthogonal polylines through the free channels
between the columns and rows of boxes, and labels placed where they cover nothing.

Pure geometry, called by ``diagram.layout``. The channels are found, not assumed: a vertical
channel is a stretch of x that no element box and no zone name reaches, at any height; a
horizontal one the same for y. An arrow leaves its source box sideways into the channel beside
it, runs along channels (one vertical, or vertical – horizontal – vertical) and enters its target
box from the side, so every segment lies in a channel or in the margin between a box and its
channel, and no arrow runs through a box other than its two ends.

A label (the flows' ids) goes at the first of several positions along its route, nearest the
source first, where it overlaps no box, no zone name and no label placed before it. When none is
free, a small number takes its place and the label is listed under the diagram (the legend).
Cost: a constant number of candidates per arrow, each checked against a grid index, so a diagram
of hundreds of elements stays cheap.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x1, y1, x2, y2

CLEAR = 4.0  # room kept between a channel and any box
LANE = 6.0  # distance between arrows sharing a channel
HEAD = 10.0  # the last segment is at least this long, so the arrowhead shows
LABEL_H, NUMBER_W, SMALL = 18.0, 20.0, 12
CANDIDATES = 48  # positions along a route tried per label, at most
CHANNEL = 80.0  # the width of channel an arrow uses beside its box


class Route(NamedTuple):
    source: str
    target: str
    label: str


class Placed(NamedTuple):
    points: tuple[Point, ...]
    tag: Rect | None  # where the label (or its number) is drawn; None: in the legend only
    number: int  # 0: the label itself is drawn at ``tag``; n: the number n, label in the legend


def text_width(text: str, size: float = SMALL) -> float:
    """Width in pixels: full-width characters count 1 em, others about 0.55."""
    return size * sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def gaps(intervals: Iterable[tuple[float, float]], low: float, high: float) -> list[tuple[float, float]]:
    """The free stretches of [low, high] that no interval (widened by CLEAR) reaches."""
    out, at = [], low
    for a, b in sorted(intervals):
        if a - CLEAR > at:
            out.append((at, a - CLEAR))
        at = max(at, b + CLEAR)
    if high > at:
        out.append((at, high))
    return out


def _lane(used: dict[int, int], key: int, gap: tuple[float, float], margin: float) -> float:
    """The next free lane of a channel: its middle, then alternately either side of it."""
    k = used[key]
    used[key] += 1
    half = max(0.0, (gap[1] - gap[0]) / 2 - margin)
    lanes = max(1, int(half // LANE) * 2 + 1)
    step = (k % lanes + 1) // 2 * LANE
    return (gap[0] + gap[1]) / 2 + (step if k % 2 else -step)


def route(
    boxes: dict[str, Rect], obstacles: Sequence[Rect], routes: Sequence[Route], width: float, height: float
) -> list[Placed]:
    """Each route as a polyline between its two boxes' sides, with its label placed."""
    columns = gaps(((r[0], r[2]) for r in obstacles), 0.0, width)
    rows = gaps(((r[1], r[3]) for r in obstacles), 0.0, height)
    load: dict[int, int] = defaultdict(int)  # arrows per channel so far
    sides = [_sides(boxes[r.source], boxes[r.target], columns, load) for r in routes]
    ports = _ports(boxes, routes, sides)
    used: dict[int, int] = defaultdict(int)
    used_rows: dict[int, int] = defaultdict(int)
    lines = []
    for i, _r in enumerate(routes):
        (a, side_a), (b, side_b) = sides[i]
        start, end = ports[(i, 0)], ports[(i, 1)]
        xa = _lane(used, a, _near(columns[a], start[0], side_a), HEAD)
        if a == b:
            points = [start, (xa, start[1]), (xa, end[1]), end]
        else:
            xb = _lane(used, b, _near(columns[b], end[0], side_b), HEAD)
            h = min(range(len(rows)), key=lambda k: abs(sum(rows[k]) / 2 - start[1]) + abs(sum(rows[k]) / 2 - end[1]))
            y = _lane(used_rows, h, rows[h], 2.0)
            points = [start, (xa, start[1]), (xa, y), (xb, y), (xb, end[1]), end]
        lines.append(_simplify(points))
    return _labels(lines, [r.label for r in routes], obstacles, width, height)


def _near(gap: tuple[float, float], x: float, side: int) -> tuple[float, float]:
    """The part of a channel next to a box's side (a channel beside an empty column is wide; the
    arrow should stay near its box, as in a channel between two filled columns)."""
    if side > 0:
        return gap[0], min(gap[1], x + CHANNEL)
    return max(gap[0], x - CHANNEL), gap[1]


def _sides(
    s: Rect, t: Rect, columns: list[tuple[float, float]], load: dict[int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """The channels (by index) an arrow leaves its source into and enters its target from, and
    the side of each box (-1 left, 1 right). Between two boxes of one column: out and back in on
    the side whose channel has fewer arrows so far."""
    left_s, right_s = _beside(s, columns)
    left_t, right_t = _beside(t, columns)
    if right_s <= left_t:
        chosen = (right_s, 1), (left_t, -1)
    elif right_t <= left_s:
        chosen = (left_s, -1), (right_t, 1)
    elif left_s >= 0 and left_t >= 0 and load[left_s] <= load[right_s]:
        chosen = (left_s, -1), (left_t, -1)
    else:
        chosen = (right_s, 1), (right_t, 1)
    load[chosen[0][0]] += 1
    load[chosen[1][0]] += 1
    return chosen


def _beside(box: Rect, columns: list[tuple[float, float]]) -> tuple[int, int]:
    """The channel just left of a box (-1 if none) and just right of it."""
    left = max((k for k, g in enumerate(columns) if g[1] <= box[0]), default=-1)
    right = min((k for k, g in enumerate(columns) if g[0] >= box[2]), default=len(columns) - 1)
    return left, right


def _ports(
    boxes: dict[str, Rect], routes: Sequence[Route], sides: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> dict[tuple[int, int], Point]:
    """Where each arrow meets each of its boxes: the arrows on one side of a box spread evenly
    along it, in the order of the other ends' heights (fewer crossings)."""
    at_side: dict[tuple[str, int], list[tuple[float, int, int]]] = defaultdict(list)
    for i, r in enumerate(routes):
        for end, (own, other) in enumerate(((r.source, r.target), (r.target, r.source))):
            o = boxes[other]
            at_side[(own, sides[i][end][1])].append(((o[1] + o[3]) / 2, i, end))
    ports: dict[tuple[int, int], Point] = {}
    for (own, side), arrows in at_side.items():
        x1, y1, x2, y2 = boxes[own]
        arrows.sort()
        for k, (_, i, end) in enumerate(arrows):
            ports[(i, end)] = (x2 if side > 0 else x1, y1 + (y2 - y1) * (k + 1) / (len(arrows) + 1))
    return ports


def _simplify(points: list[Point]) -> tuple[Point, ...]:
    """Without repeated points and without points in the middle of a straight run."""
    out: list[Point] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 0.01 and abs(out[-1][1] - p[1]) < 0.01:
            continue
        if len(out) >= 2 and (out[-2][0] == out[-1][0] == p[0] or out[-2][1] == out[-1][1] == p[1]):
            out[-1] = p
            continue
        out.append(p)
    return tuple(out)


class _Index:
    """Rectangles in a grid of cells, for cheap overlap tests."""

    CELL = 64.0

    def __init__(self, rects: Iterable[Rect]) -> None:
        self.cells: dict[tuple[int, int], list[Rect]] = defaultdict(list)
        for r in rects:
            self.add(r)

    def _keys(self, r: Rect) -> Iterable[tuple[int, int]]:
        for cx in range(int(r[0] // self.CELL), int(r[2] // self.CELL) + 1):
            for cy in range(int(r[1] // self.CELL), int(r[3] // self.CELL) + 1):
                yield cx, cy

    def add(self, r: Rect) -> None:
        for key in self._keys(r):
            self.cells[key].append(r)

    def hits(self, r: Rect) -> bool:
        return any(overlap(r, o) for key in self._keys(r) for o in self.cells.get(key, ()))


def overlap(a: Rect, b: Rect) -> bool:
    """True when two rectangles share more than an edge."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _spots(points: tuple[Point, ...]) -> list[tuple[Point, bool]]:
    """Points along a route where a label could sit, every 16 px, nearest the source first, each
    with whether its segment is vertical (a label beside it goes left or right, else above or below)."""
    spots: list[tuple[Point, bool]] = []
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        length = abs(x2 - x1) + abs(y2 - y1)
        n = max(1, int(length // 16))
        upright = abs(x2 - x1) < abs(y2 - y1)
        spots.extend(((x1 + (x2 - x1) * (k + 0.5) / n, y1 + (y2 - y1) * (k + 0.5) / n), upright) for k in range(n))
    if len(spots) > CANDIDATES:  # a very long route: an even spread of them
        spots = [spots[k * len(spots) // CANDIDATES] for k in range(CANDIDATES)]
    return spots


def _labels(
    lines: list[tuple[Point, ...]], labels: list[str], obstacles: Sequence[Rect], width: float, height: float
) -> list[Placed]:
    index = _Index(obstacles)
    placed: list[Placed] = []
    numbers = 0

    def free(spots: list[tuple[Point, bool]], w: float) -> Rect | None:
        for (x, y), across in spots:  # on the line, else beside it (above / below, left / right)
            shifts = (
                ((0.0, 0.0), (w / 2 + 1, 0.0), (-w / 2 - 1, 0.0))
                if across
                else ((0.0, 0.0), (0.0, -LABEL_H / 2 - 1), (0.0, LABEL_H / 2 + 1))
            )
            for dx, dy in shifts:
                r = (x + dx - w / 2, y + dy - LABEL_H / 2, x + dx + w / 2, y + dy + LABEL_H / 2)
                if r[0] >= 0 and r[1] >= 0 and r[2] <= width and r[3] <= height and not index.hits(r):
                    index.add(r)
                    return r
        return None

    for points, label in zip(lines, labels, strict=True):
        spots = _spots(points)
        tag = free(spots, text_width(label) + 8)
        if tag is not None:
            placed.append(Placed(points, tag, 0))
            continue
        numbers += 1
        placed.append(Placed(points, free(spots, NUMBER_W), numbers))
    return placed
