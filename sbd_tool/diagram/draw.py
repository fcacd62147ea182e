"""Drawing a laid-out diagram: SVG for the wizard, PNG (via Pillow) for the Word document.

Both read the same ``Layout``, so the picture in the browser and in the spec agree.

The PNG's cost has a ceiling whatever the size of the diagram: it is scaled to fit the room a
figure has on an A4 page (``MAX_PNG_WIDTH`` × ``MAX_PNG_HEIGHT`` pixels), drawn only when an
output shows it (``Picture``), and drawn once per diagram: ``diagram_png`` keeps the last few
pictures keyed by a hash of the diagram's content.
"""

from __future__ import annotations

import hashlib
import html
import io
import math
import struct
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sbd_tool.answers.read import Diagram
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.diagram.layout import Box, Layout, layout
from sbd_tool.text import one_line

FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf"),
)
ZONE_FILL = {
    "office_lan": "#e8f1fb",
    "dmz": "#fff4e0",
    "remote_site": "#eef7ee",
    "internet": "#fdeceb",
    "interorg": "#f1ecf8",
    "datacenter": "#eceff3",
    "cloud": "#e6f6f7",
}
ELEMENT_MARK = {
    "subject": "人",
    "terminal": "端",
    "server": "S",
    "datastore": "DB",
    "external": "外",
    "media": "媒",
    "network": "NW",
}
TEXT, LINE, FONT_SIZE, SMALL = "#1b1f24", "#3d4650", 14, 12


def _esc(text: str) -> str:
    """The one place text enters the SVG: one line of shown text (``one_line``: no controls,
    separators or format characters such as bidi overrides, whatever is stored), escaped for
    element content and attribute values alike (the wizard inlines the SVG, and ids are user text)."""
    return html.escape(one_line(text), quote=True)


def _width(text: str) -> float:
    """Text width in em: full-width characters count 1, others about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def wrap(text: str, max_em: float, lines: int = 2) -> list[str]:
    """Break a label into at most ``lines`` lines of ``max_em`` ems, with … when cut."""
    out, current = [], ""
    for ch in text:
        if _width(current + ch) > max_em:
            out.append(current)
            current = ""
            if len(out) == lines:
                out[-1] = out[-1][:-1] + "…"
                return out
        current += ch
    if current:
        out.append(current)
    return out or [""]


def _label_lines(box: Box) -> list[str]:
    return wrap(one_line(box.label), (box.w - 40) / FONT_SIZE)


def to_svg(layout: Layout, title: str = "システム概要図") -> str:
    """An accessible SVG: a title, zones as labelled boundaries, elements, arrows with flow ids."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width:.0f} {layout.height:.0f}" '
        f'width="{layout.width:.0f}" height="{layout.height:.0f}" role="img" aria-labelledby="diagram-title" '
        f'font-family="Noto Sans CJK JP, sans-serif" font-size="{FONT_SIZE}">',
        f'<title id="diagram-title">{_esc(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{LINE}"/></marker></defs>',
    ]
    for z in layout.zones:
        fill = ZONE_FILL.get(z.kind, "#f4f4f4")
        parts.append(
            f'<g class="zone" data-zone="{_esc(z.id)}"><rect x="{z.x:.1f}" y="{z.y:.1f}" width="{z.w:.1f}" '
            f'height="{z.h:.1f}" rx="8" fill="{fill}" stroke="{LINE}" stroke-dasharray="6 3"/>'
            f'<text x="{z.x + 10:.1f}" y="{z.y + 20:.1f}" font-weight="bold" fill="{TEXT}">{_esc(z.label)}</text></g>'
        )
    for e in layout.elements:
        lines = _label_lines(e)
        mark = ELEMENT_MARK.get(e.kind, "")
        ty = e.y + e.h / 2 - (len(lines) - 1) * 8 + 4
        text = "".join(
            f'<tspan x="{e.x + 34:.1f}" y="{ty + i * 16:.1f}">{_esc(line)}</tspan>' for i, line in enumerate(lines)
        )
        parts.append(
            f'<g class="element" data-element="{_esc(e.id)}" tabindex="-1">'
            f'<rect x="{e.x:.1f}" y="{e.y:.1f}" width="{e.w:.1f}" height="{e.h:.1f}" rx="4" fill="#ffffff" '
            f'stroke="{LINE}"/><text x="{e.x + 14:.1f}" y="{e.y + e.h / 2 + 4:.1f}" font-size="{SMALL}" '
            f'text-anchor="middle" fill="{LINE}">{_esc(mark)}</text><text fill="{TEXT}">{text}</text></g>'
        )
    for a in layout.arrows:  # all lines first, then all labels: no line is drawn over a label
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in a.points)
        parts.append(
            f'<polyline class="flow" data-flow="{_esc(a.id)}" data-from="{_esc(a.source)}" data-to="{_esc(a.target)}" '
            f'points="{points}" fill="none" stroke="{LINE}" '
            f'stroke-width="1.5" marker-end="url(#arrow)"/>'
        )
    for tag in [a.tag for a in layout.arrows if a.tag is not None]:
        round_ = tag.h / 2 if tag.kind == "number" else 3
        parts.append(
            f'<g class="flow-label" data-flow="{_esc(tag.id)}"><rect x="{tag.x:.1f}" y="{tag.y:.1f}" '
            f'width="{tag.w:.1f}" height="{tag.h:.1f}" rx="{round_:.1f}" fill="#ffffff" stroke="{LINE}" '
            f'stroke-width="0.5"/><text x="{tag.x + tag.w / 2:.1f}" y="{tag.y + tag.h / 2 + 4:.1f}" '
            f'font-size="{SMALL}" text-anchor="middle" fill="{TEXT}">{_esc(tag.label)}</text></g>'
        )
    for line in layout.legend:
        parts.append(
            f'<text class="flow-legend" x="{line.x:.1f}" y="{line.y + line.h / 2 + 4:.1f}" font-size="{SMALL}" '
            f'fill="{TEXT}">{_esc(line.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@lru_cache(maxsize=4)
def _font(size: int) -> Any:
    from PIL import ImageFont

    for path in FONT_FILES:
        if path.is_file():
            return ImageFont.truetype(str(path), size, index=0 if path.suffix == ".otf" else 0)
    raise RuntimeError("日本語フォント（fonts-noto-cjk）がありません。scripts/setup.sh を実行してください。")


# The figure's room on a page: the text width of the spec (160 mm) by 220 mm, at the 2.5×
# scale (about 355 dpi) a diagram of usual size is drawn with. A taller or wider diagram is
# scaled down to fit, so the pixels drawn and compressed never exceed this.
PNG_SCALE = 2.5
MAX_PNG_WIDTH = 2240
MAX_PNG_HEIGHT = 3080


def fit_scale(laid: Layout, preferred: float = PNG_SCALE) -> float:
    """The scale that draws ``laid`` at ``preferred``, or smaller so it fits the page's room."""
    return min(preferred, MAX_PNG_WIDTH / max(laid.width, 1.0), MAX_PNG_HEIGHT / max(laid.height, 1.0))


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's header."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def to_png(layout: Layout, scale: float | None = None) -> bytes:
    """The same picture as ``to_svg``, as a PNG for documents (Word cannot rely on SVG), at
    ``scale`` or (None) at the usual scale shrunk to fit a page (``fit_scale``)."""
    from PIL import Image, ImageDraw

    scale = fit_scale(layout) if scale is None else scale

    def s(v: float) -> int:
        return round(v * scale)

    image = Image.new("RGB", (s(layout.width), s(layout.height)), "white")
    draw = ImageDraw.Draw(image)
    font, bold, small = _font(s(FONT_SIZE)), _font(s(FONT_SIZE)), _font(s(SMALL))
    for z in layout.zones:
        box = (s(z.x), s(z.y), s(z.x + z.w), s(z.y + z.h))
        draw.rounded_rectangle(box, radius=s(8), fill=ZONE_FILL.get(z.kind, "#f4f4f4"))
        _dashed_rectangle(draw, box, LINE, s(1), s(6), s(3))
        # Pillow's shaper (raqm) fails on a line or paragraph separator: only one line of shown text.
        draw.text((s(z.x + 10), s(z.y + 7)), one_line(z.label), font=bold, fill=TEXT)
    for e in layout.elements:
        draw.rounded_rectangle(
            (s(e.x), s(e.y), s(e.x + e.w), s(e.y + e.h)), radius=s(4), fill="white", outline=LINE, width=s(1)
        )
        mark = ELEMENT_MARK.get(e.kind, "")
        draw.text((s(e.x + 14), s(e.y + e.h / 2)), mark, font=small, fill=LINE, anchor="mm")
        lines = _label_lines(e)
        top = e.y + e.h / 2 - (len(lines) - 1) * 8
        for i, line in enumerate(lines):
            draw.text((s(e.x + 34), s(top + i * 16)), line, font=font, fill=TEXT, anchor="lm")
    for a in layout.arrows:
        draw.line([(s(x), s(y)) for x, y in a.points], fill=LINE, width=s(1.5), joint="curve")
        (x1, y1), (x2, y2) = a.points[-2], a.points[-1]
        angle = math.atan2(y2 - y1, x2 - x1)
        tip = (s(x2), s(y2))
        left = (s(x2 - 9 * math.cos(angle - 0.4)), s(y2 - 9 * math.sin(angle - 0.4)))
        right = (s(x2 - 9 * math.cos(angle + 0.4)), s(y2 - 9 * math.sin(angle + 0.4)))
        draw.polygon([tip, left, right], fill=LINE)
    for tag in [a.tag for a in layout.arrows if a.tag is not None]:
        round_ = tag.h / 2 if tag.kind == "number" else 3
        box = (s(tag.x), s(tag.y), s(tag.x + tag.w), s(tag.y + tag.h))
        draw.rounded_rectangle(box, radius=s(round_), fill="white", outline=LINE)
        draw.text((s(tag.x + tag.w / 2), s(tag.y + tag.h / 2)), one_line(tag.label), font=small, fill=TEXT, anchor="mm")
    for entry in layout.legend:
        draw.text((s(entry.x), s(entry.y + entry.h / 2)), one_line(entry.label), font=small, fill=TEXT, anchor="lm")
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


# ---------------------------------------------------------------- drawn once, when shown

CACHE_SIZE = 16  # pictures kept per process (each at most a few hundred kilobytes)
_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()


def diagram_key(catalogue: Catalogue, diagram: Diagram) -> str:
    """A hash of everything the picture is drawn from (the frozen diagram's repr is canonical)."""
    text = f"{catalogue.content_version}\0{PNG_SCALE}\0{MAX_PNG_WIDTH}x{MAX_PNG_HEIGHT}\0{diagram!r}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def diagram_png(catalogue: Catalogue, diagram: Diagram) -> bytes:
    """The diagram laid out and drawn as a PNG, at most once per content while it stays in the
    small per-process cache (least recently used first out)."""
    key = diagram_key(catalogue, diagram)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    png = to_png(layout(catalogue, diagram))
    with _cache_lock:
        _cache[key] = png
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return png


@dataclass(frozen=True, eq=False)
class Picture:
    """The diagram as a document shows it: drawn only when an output asks for ``png`` (the
    compliance matrix never does), and then from the cache when it was drawn before."""

    catalogue: Catalogue
    diagram: Diagram
    alt: str = "システム概要図"

    @property
    def png(self) -> bytes:
        return diagram_png(self.catalogue, self.diagram)


def _dashed_rectangle(draw: Any, box: tuple[int, int, int, int], colour: str, width: int, dash: int, gap: int) -> None:
    x1, y1, x2, y2 = box
    for ax, ay, bx, by in ((x1, y1, x2, y1), (x2, y1, x2, y2), (x2, y2, x1, y2), (x1, y2, x1, y1)):
        length = math.hypot(bx - ax, by - ay)
        steps = int(length // (dash + gap)) + 1
        for i in range(steps):
            start = i * (dash + gap) / length
            end = min(1.0, (i * (dash + gap) + dash) / length)
            if start >= 1:
                break
            draw.line(
                (ax + (bx - ax) * start, ay + (by - ay) * start, ax + (bx - ax) * end, ay + (by - ay) * end),
                fill=colour,
                width=width,
            )
