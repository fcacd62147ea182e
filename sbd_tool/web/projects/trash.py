"""Deleting a project (to the trash, restorable for 30 days), restoring it, and the trash."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import utcnow
from sbd_tool.web import audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.projects.blueprint import bp
from sbd_tool.web.store import db, get_project, set_project_flags, trashed_projects


@bp.route("/projects/<int:project_id>/delete", methods=["GET", "POST"])
@rule("project:edit")
def delete(project_id: int) -> BaseResponse | str:
    project = get_project(project_id)
    if request.method == "GET":
        return render_template("projects/delete.html", project=project)
    set_project_flags(project, deleted_at=utcnow())
    audit.record(db(), "project_delete", project_id=project.id, name=project.name)
    db().commit()
    flash(
        gettext("「%(name)s」を削除しました。30日以内であれば「削除した案件」から元に戻せます。", name=project.name),
        "undo",
    )
    return redirect(url_for(".index", restorable=project.id))


@bp.post("/projects/<int:project_id>/restore")
@rule("project:trashed")
def restore(project_id: int) -> BaseResponse:
    project = get_project(project_id, deleted=True)
    set_project_flags(project, deleted_at=None)
    audit.record(db(), "project_restore", project_id=project.id, name=project.name)
    db().commit()
    flash(gettext("「%(name)s」を元に戻しました。", name=project.name), "success")
    return redirect(url_for(".index"))


@bp.get("/trash")
@rule("signed_in")
def trash() -> str:
    return render_template("projects/trash.html", projects=trashed_projects(user()))
