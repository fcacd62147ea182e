"""The projects blueprint (``projects``) and the template globals it adds to every page: the
pager's links, where a project opens, a project's revisions page by page, the diagram limits."""

from __future__ import annotations

from flask import Blueprint, request

from sbd_tool.limits import MAX_DIAGRAM_ELEMENTS, MAX_DIAGRAM_FLOWS, MAX_DIAGRAM_ZONES
from sbd_tool.storage.models import Project
from sbd_tool.web.projects import listing

bp = Blueprint("projects", __name__, template_folder="templates")

bp.add_app_template_global(listing.page_url, "page_url")
bp.add_app_template_global(listing.open_url, "project_open_url")


@bp.app_template_global()
def revision_listing(project: Project) -> listing.Page[listing.RevisionRow]:
    """One page of a project's revisions for the history page (its template calls this), without
    their answers: the history grows by a revision with every save."""
    return listing.revision_page(project, request.args)


@bp.app_template_global()
def diagram_limits() -> dict[str, int]:
    """How many zones, elements and flows one diagram may have (``sbd_tool.limits``, which the
    answers parser enforces), for the step 3 form to state."""
    return {"zones": MAX_DIAGRAM_ZONES, "elements": MAX_DIAGRAM_ELEMENTS, "flows": MAX_DIAGRAM_FLOWS}
