"""Step 3's picture: drawn inline while typing (the preview route), as an SVG file of its own for
a large stored diagram, and the diagram's problems; the diagram generated from step 2."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response, abort, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.diagram.draft import diagram_data, diagram_problems, generate_from_matrix
from sbd_tool.diagram.draw import to_svg
from sbd_tool.diagram.layout import layout
from sbd_tool.storage.models import Project
from sbd_tool.web.access import rule
from sbd_tool.web.state import ProjectState
from sbd_tool.web.store import catalogue, get_project
from sbd_tool.web.wizard import forms
from sbd_tool.web.wizard.blueprint import bp
from sbd_tool.web.wizard.diagram_rows import diagram_from_form, set_diagram_choices


def generated(cat: Any, project: Project, state: ProjectState) -> dict[str, Any] | None:
    """The diagram generated from step 2's matrix as saved; None while the answers do not parse."""
    if state.answers is None:
        return None
    return diagram_data(generate_from_matrix(cat, state.answers))


def preview_svg(cat: Any, data: dict[str, Any]) -> Markup | None:
    """The diagram as typed so far, drawn; None while it has errors (they are shown instead)."""
    try:
        diagram = parse_answers({"format": "sbd-tool/answers@1", "diagram": data}, cat, partial=True).diagram
    except AnswersError:
        return None
    if diagram is None or not (diagram.zones or diagram.elements):
        return None
    return Markup(to_svg(layout(cat, diagram)))


# Above this many element and flow rows, step 3 is "compact": the fixed lists are shared
# datalists and the picture is an <img> of its own URL, not inline (a 300-element SVG is 200 KB).
COMPACT_ROWS = 120


def _parsed_diagram(cat: Any, data: Any) -> Any:
    try:
        return parse_answers({"format": "sbd-tool/answers@1", "diagram": data}, cat, partial=True).diagram
    except AnswersError:
        return None


def _picture_digest(project: Project) -> str:
    stored = json.dumps(project.answers.get("diagram"), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{catalogue().content_version}\0{stored}".encode()).hexdigest()[:20]


def picture_url(project: Project, data: dict[str, Any]) -> str | None:
    """The URL of the stored diagram's picture when the page shows exactly the stored diagram (a
    draft or a refused save shows what was typed: inline, as before); None otherwise."""
    cat = catalogue()
    shown = _parsed_diagram(cat, data)
    if (
        shown is None
        or not (shown.zones or shown.elements)
        or shown != _parsed_diagram(cat, project.answers.get("diagram"))
    ):
        return None
    return url_for("wizard.diagram_picture", project_id=project.id, v=_picture_digest(project))


@bp.get("/steps/diagram/picture.svg")
@rule("project:edit")
def diagram_picture(project_id: int) -> BaseResponse:
    """The stored diagram as an SVG file, for a large diagram's step page (``picture_url``). The
    URL carries a digest of the diagram, so the browser may keep it; the ETag answers a reload."""
    project = get_project(project_id)
    diagram = _parsed_diagram(catalogue(), project.answers.get("diagram"))
    if diagram is None or not (diagram.zones or diagram.elements):
        abort(404)
    response = Response(to_svg(layout(catalogue(), diagram)), mimetype="image/svg+xml")
    response.set_etag(_picture_digest(project))
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.make_conditional(request)  # 304 when the browser has this one
    return response


def typed_diagram_problems(project: Project, data: dict[str, Any]) -> list[str]:
    """What is wrong with the diagram as typed, with the rest of the saved answers."""
    cat = catalogue()
    try:
        answers = parse_answers({**project.answers, "diagram": data}, cat, partial=True)
    except AnswersError:
        return []
    return diagram_problems(cat, answers)


@bp.post("/steps/diagram/preview")
@rule("project:edit")
def diagram_preview(project_id: int) -> Response:
    """The SVG for the diagram as now typed (the page's script calls this after each change)."""
    project = get_project(project_id)
    cat = catalogue()
    form = forms.diagram_form(cat)()
    set_diagram_choices(cat, form, project.answers)
    data, _ = diagram_from_form(cat, form)
    svg = preview_svg(cat, data)
    body = (
        str(svg)
        if svg is not None
        else '<p class="help">図に誤りがあるため表示できません。保存すると誤りの箇所が示されます。</p>'
    )
    return Response(body, mimetype="text/html")
