"""A ceiling on what a diagram costs (issue 16): the picture is bounded in pixels, drawn once per
diagram content, only for outputs that show it, and fitted to the page in Word. No timings here
(the costs are measured in benchmarks/scale.py)."""

from __future__ import annotations

import copy
import datetime as dt
import io
from typing import Any

import docx
import pytest
from docx.shared import Mm

from sbd_tool.answers.read import Answers, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.diagram import draw as diagram_draw
from sbd_tool.diagram.draw import MAX_PNG_HEIGHT, MAX_PNG_WIDTH, diagram_png, png_size, to_png
from sbd_tool.diagram.layout import layout
from sbd_tool.document import build_document, render_docx
from sbd_tool.document.compliance import compliance_xlsx
from sbd_tool.document.text_render import render_html
from sbd_tool.engine.rules import evaluate
from tests.conftest import example_data

TODAY = dt.date(2026, 11, 30)


def large(catalogue: Catalogue, elements: int) -> Answers:
    """The citizen portal with ``elements`` elements in its three zones and a flow from each."""
    data: dict[str, Any] = copy.deepcopy(example_data("citizen-portal"))
    diagram = data["diagram"]
    diagram["elements"], diagram["flows"] = diagram["elements"][:1], []
    for n in range(2, elements + 1):
        diagram["elements"].append({"id": f"E{n}", "kind": "subject", "label": f"利用者{n}", "zone": f"Z{n % 3 + 1}"})
        diagram["flows"].append({"id": f"F{n}", "from": f"E{n}", "to": "E1", "means": "internet"})
    return parse_answers(data, catalogue)


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    diagram_draw._cache.clear()


def test_a_large_diagram_is_scaled_to_fit_a_page(catalogue: Catalogue) -> None:
    answers = large(catalogue, 300)
    assert answers.diagram is not None
    laid = layout(catalogue, answers.diagram)
    assert laid.height * diagram_draw.PNG_SCALE > MAX_PNG_HEIGHT  # it would not fit at the usual scale
    width, height = png_size(diagram_png(catalogue, answers.diagram))
    assert width <= MAX_PNG_WIDTH and height <= MAX_PNG_HEIGHT and height >= MAX_PNG_HEIGHT - 2
    small = parse_answers(example_data("citizen-portal"), catalogue).diagram
    assert small is not None
    usual = layout(catalogue, small)
    assert png_size(diagram_png(catalogue, small)) == (round(usual.width * 2.5), round(usual.height * 2.5))


def test_the_cached_picture_equals_a_fresh_drawing(catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = large(catalogue, 20)
    assert answers.diagram is not None
    fresh = to_png(layout(catalogue, answers.diagram))
    drawn: list[int] = []
    real = diagram_draw.to_png
    monkeypatch.setattr(diagram_draw, "to_png", lambda laid: drawn.append(1) or real(laid))
    first = diagram_png(catalogue, answers.diagram)
    again = diagram_png(catalogue, large(catalogue, 20).diagram)  # equal content, another object
    assert first == fresh and again is first and len(drawn) == 1
    other = large(catalogue, 21).diagram
    assert other is not None and diagram_png(catalogue, other) != first and len(drawn) == 2


def test_the_cache_keeps_only_the_last_few(catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diagram_draw, "CACHE_SIZE", 2)
    diagrams = [large(catalogue, n).diagram for n in (3, 4, 5)]
    for diagram in diagrams:
        assert diagram is not None
        diagram_png(catalogue, diagram)
    assert len(diagram_draw._cache) == 2
    assert diagram_draw.diagram_key(catalogue, diagrams[0]) not in diagram_draw._cache  # type: ignore[arg-type]


def test_outputs_without_the_picture_never_draw_it(catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = large(catalogue, 10)
    drawn: list[int] = []
    real = diagram_draw.to_png
    monkeypatch.setattr(diagram_draw, "to_png", lambda laid: drawn.append(1) or real(laid))
    model = build_document(catalogue, answers, evaluate(catalogue, answers), TODAY)
    assert compliance_xlsx(model)[:2] == b"PK" and drawn == []  # the matrix for bidders: no picture
    assert model.flows is not None and len(model.flows.rows) == 9
    render_docx(model)
    render_html(model)
    assert drawn == [1]  # Word and the web page show it: drawn once for both


def test_word_fits_a_tall_picture_on_the_page(catalogue: Catalogue) -> None:
    answers = large(catalogue, 300)
    document = docx.Document(
        io.BytesIO(render_docx(build_document(catalogue, answers, evaluate(catalogue, answers), TODAY)))
    )
    (shape,) = document.inline_shapes
    assert shape.height <= Mm(220) + 1 and shape.width < Mm(160)
    answers = parse_answers(example_data("citizen-portal"), catalogue)
    document = docx.Document(
        io.BytesIO(render_docx(build_document(catalogue, answers, evaluate(catalogue, answers), TODAY)))
    )
    (shape,) = document.inline_shapes
    assert abs(shape.width - Mm(160)) <= 1  # a usual diagram: as wide as the text, as before
