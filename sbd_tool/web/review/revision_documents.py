"""One revision's documents from the history: its Word outputs and its HTML preview, an approved
revision's stating who approved it and when."""

from __future__ import annotations

from typing import Any

from flask import Response, abort

from sbd_tool.assessment import assess, specification
from sbd_tool.dates import japan_date
from sbd_tool.document import Approval, render_docx
from sbd_tool.document.blocks import OUTPUT_NAMES
from sbd_tool.document.text_render import render_html
from sbd_tool.storage.models import Project
from sbd_tool.web import audit
from sbd_tool.web.access import rule
from sbd_tool.web.downloads import ascii_filename, attachment, document_filename, requested_output
from sbd_tool.web.review.blueprint import bp
from sbd_tool.web.review.queries import approved_review
from sbd_tool.web.store import catalogue_of, db, get_project, get_revision


def _revision_model(project: Project, number: int) -> Any:
    revision = get_revision(project, number)
    assessment = assess(catalogue_of(revision), revision.answers)
    if not assessment.ready:
        abort(409)
    review = approved_review(project, number)
    approval = None
    if review is not None and review.decided_at is not None:
        org = review.adviser.organisation.name if review.adviser.organisation else ""
        approval = Approval(number, review.adviser.display_name, org, japan_date(review.decided_at))
    return specification(assessment, japan_date(revision.created_at), approval)


@bp.get("/revisions/<int:number>/spec.docx")
@rule("project:read")
def revision_docx(project_id: int, number: int) -> Response:
    """One of the three Word outputs of one revision (``?output=``), named as step 7 names them
    (「<名称>_情報セキュリティ要件_第N版.docx」); an approved revision's states who approved it and when."""
    project = get_project(project_id)
    output = requested_output()
    model = _revision_model(project, number)
    data = render_docx(model, kind=output)
    audit.record(db(), "export", project_id=project.id, format="docx", revision=number, output=output)
    db().commit()
    name = document_filename(model.name or project.name, OUTPUT_NAMES[output], number, "docx")
    return attachment(data, name, ascii_filename(output, project.id, number, "docx"))


@bp.get("/revisions/<int:number>/spec.html")
@rule("project:read")
def revision_html(project_id: int, number: int) -> Response:
    """The document preview of one revision (``?output=``), as a standalone page without scripts."""
    project = get_project(project_id)
    output = requested_output()
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
    return Response(
        render_html(_revision_model(project, number), output),
        mimetype="text/html; charset=utf-8",
        headers={"Content-Security-Policy": policy},
    )
