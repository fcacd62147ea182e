"""Step 7's downloads: the Word outputs, Markdown or an HTML page, and the compliance matrix
(.xlsx), each named after the procurement and recorded in the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext

from sbd_tool.assessment import assess, specification
from sbd_tool.document import render_docx
from sbd_tool.document.blocks import OUTPUT_NAMES
from sbd_tool.document.compliance import compliance_xlsx
from sbd_tool.document.text_render import render_html, render_markdown
from sbd_tool.web import audit
from sbd_tool.web.access import rule
from sbd_tool.web.downloads import ascii_filename, attachment, document_filename, requested_output
from sbd_tool.web.store import catalogue, db, get_project
from sbd_tool.web.wizard.blueprint import bp


def _ready_model(project_id: int) -> Any:
    """The document model when the project can be output (the one verdict of ``assess``), else a
    redirect to step 7, which lists what is missing."""
    project = get_project(project_id)
    assessment = assess(catalogue(), project.answers)
    if not assessment.ready:
        flash(
            gettext(
                "未回答の設問や理由のない引下げがあるため、仕様書を出力できません。各手順の表示を確認してください。"
            ),
            "error",
        )
        return None, redirect(url_for(".step", project_id=project_id, step="output"))
    return specification(assessment, dt.date.today()), None


def _exported(project_id: int, kind: str, output: str | None = None) -> None:
    extra: dict[str, Any] = {"output": output} if output else {}
    audit.record(db(), "export", project_id=project_id, format=kind, revision=get_project(project_id).version, **extra)
    db().commit()


def _named(data: bytes | str, project_id: int, kind: str, extension: str) -> Response:
    """The download named after the procurement, what it is and the revision:
    「補助金電子申請システム_情報セキュリティ要件_第12版.docx」."""
    project = get_project(project_id)
    what = "対応表" if kind == "matrix" else OUTPUT_NAMES[kind]
    name = document_filename(project.name, what, project.version, extension)
    return attachment(data, name, ascii_filename(kind, project_id, project.version, extension))


@bp.get("/compliance.xlsx")
@rule("project:read")
def download_matrix(project_id: int) -> Any:
    """The compliance matrix (対応表) for bidders, from the same model as the Word spec."""
    model, redirect_to = _ready_model(project_id)
    if redirect_to is not None:
        return redirect_to
    _exported(project_id, "xlsx")
    return _named(compliance_xlsx(model), project_id, "matrix", "xlsx")


@bp.get("/spec.<kind>")
@rule("project:read")
def download_text(project_id: int, kind: str) -> Any:
    """One of the three outputs as Markdown or as an HTML page, for readers without Word."""
    if kind not in ("md", "html"):
        abort(404)
    output = requested_output()
    model, redirect_to = _ready_model(project_id)
    if redirect_to is not None:
        return redirect_to
    _exported(project_id, kind, output)
    if kind == "md":
        return _named(render_markdown(model, output), project_id, output, "md")
    # A standalone page: its own inline styles and embedded diagram, no scripts at all.
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
    return Response(
        render_html(model, output), mimetype="text/html; charset=utf-8", headers={"Content-Security-Policy": policy}
    )


@bp.get("/spec.docx")
@rule("project:read")
def download(project_id: int) -> Response:
    """One of the three Word outputs (``?output=``), built by the same core as ``sbd-tool generate``."""
    output = requested_output()
    model, redirect_to = _ready_model(project_id)
    if redirect_to is not None:
        return redirect_to  # type: ignore[no-any-return]
    _exported(project_id, "docx", output)
    return _named(render_docx(model, kind=output), project_id, output, "docx")
