"""What a bidder sees through a link: the page (levels, clauses, why, expected evidence and
example measures — never comments, review notes or audit data) and the compliance matrix, each
use logged; and the headers that keep a token out of caches, indexes and Referers.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, render_template, request

from sbd_tool.answers.obligations import obligation_label
from sbd_tool.assessment import assess, specification
from sbd_tool.dates import japan_date
from sbd_tool.document.bidder import bidder_cloud, bidder_qualifications, bidder_requirements
from sbd_tool.document.compliance import compliance_xlsx
from sbd_tool.storage.models import Project, Revision, ShareAccess, ShareLink
from sbd_tool.web import audit
from sbd_tool.web.access import rule
from sbd_tool.web.downloads import ascii_filename, attachment, document_filename
from sbd_tool.web.marks import N_
from sbd_tool.web.review.queries import approved_review
from sbd_tool.web.shares.blueprint import bp
from sbd_tool.web.shares.links import Refused, open_link, shown_revision
from sbd_tool.web.store import catalogue_of, db


def _log(link: ShareLink, project: Project, what: str, number: int) -> None:
    db().add(ShareAccess(link_id=link.id, address=audit.client_address(), what=what, revision_number=number,
                         user_agent=(request.user_agent.string or "")[:200]))  # fmt: skip
    audit.record(db(), "bidder_view", project_id=project.id, username=f"link:{link.id}", link=link.id, what=what)
    db().commit()


def _evaluated(revision: Revision) -> Any:
    """What the bidder page shows of a revision, or None when it is not ready for a spec (``assess``)."""
    assessment = assess(catalogue_of(revision), revision.answers)
    if not assessment.ready:
        return None
    return assessment.answers, assessment.evaluation, specification(assessment, japan_date(revision.created_at))


def _shared(token: str, what: str) -> tuple[Project, Revision, Any, Any] | tuple[str, int]:
    """What a link shows, with its use logged; or the page that refuses it."""
    try:
        link, project = open_link(token)
    except Refused as refused:
        return render_template("errors/error.html", title=refused.title, message=refused.message), refused.status
    revision = shown_revision(project)
    built = _evaluated(revision)
    if built is None:
        message = N_("この案件の仕様はまだ完成していません。")
        return render_template("errors/error.html", title=N_("準備中です"), message=message), 409
    _log(link, project, what, revision.number)
    return project, revision, built[1], built[2]


@bp.app_template_global()
def obligation_mark(clause: object) -> str:
    """「【必須】」 or 「【提案】」 before a printed clause (the spec's own mark; spec text stays Japanese)."""
    return f"【{obligation_label(getattr(clause, 'obligation', 'required'))}】"


@bp.get("/bid/<token>")
@rule("public")
def bidder_page(token: str) -> Any:
    shared = _shared(token, "page")
    if len(shared) == 2:
        return shared
    project, revision, evaluation, model = shared
    return render_template(
        "shares/bidder.html",
        model=model,
        requirements=bidder_requirements(catalogue_of(revision), evaluation, model),
        cloud=bidder_cloud(model),
        qualifications=bidder_qualifications(model),
        revision=revision,
        approved=approved_review(project, revision.number),
        token=token,
    )


@bp.get("/bid/<token>/compliance.xlsx")
@rule("public")
def bidder_matrix(token: str) -> Any:
    shared = _shared(token, "xlsx")
    if len(shared) == 2:
        return shared
    project, revision, _evaluation, model = shared
    name = document_filename(project.name, "対応表", revision.number, "xlsx")
    return attachment(compliance_xlsx(model), name, ascii_filename("matrix", project.id, revision.number, "xlsx"))


def bidder_headers(response: Response) -> Response:
    """Token pages: never cached, never indexed, and the token never leaves in a Referer."""
    if request.endpoint in ("shares.bidder_page", "shares.bidder_matrix"):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(bidder_headers)
