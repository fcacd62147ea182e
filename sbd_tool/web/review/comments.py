"""Comments on a project (on a requirement, on the whole project, or replies), and resolving or
reopening a thread."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Comment, utcnow
from sbd_tool.web import audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.notifications import notify
from sbd_tool.web.redirects import safe_next
from sbd_tool.web.review.blueprint import bp
from sbd_tool.web.review.forms import CommentForm
from sbd_tool.web.store import catalogue, db, get_project


@bp.post("/comments")
@rule("project:comment")
def comment(project_id: int) -> BaseResponse:
    project = get_project(project_id)
    form = CommentForm()
    # Back to the page the comment was written on, at a place that exists on it: the new comment,
    # or (when it was refused) the requirement's block, the thread replied to, or the general comments.
    back = safe_next(form.next.data or url_for(".review", project_id=project.id)).split("#", 1)[0]
    if not form.validate():
        for message in form.body.errors:
            flash(gettext("コメントを追加できませんでした：%(message)s", message=message), "error")
        return redirect(f"{back}#{_comment_place(form)}")
    parent = None
    if form.parent.data:
        parent = db().get(Comment, int(form.parent.data)) if form.parent.data.isdigit() else None
        if parent is None or parent.project_id != project.id:
            abort(400)
    requirement = parent.requirement if parent else (form.requirement.data or None)
    if requirement is not None and requirement not in catalogue().requirements:
        abort(400)
    added = Comment(
        project_id=project.id,
        requirement=requirement,
        parent_id=parent.id if parent else None,
        author_id=user().id,
        revision_number=project.version,
        body=form.body.data,
    )
    db().add(added)
    audit.record(db(), "comment", project_id=project.id, requirement=requirement)
    notify(db(), "comment", project)
    db().commit()
    flash(gettext("コメントを追加しました。"), "success")
    return redirect(f"{back}#comment-{added.id}")


def _comment_place(form: CommentForm) -> str:
    """The id of the block a refused comment was about (review/review.html, review/_comments.html)."""
    if (form.parent.data or "").isdigit():
        return f"comment-{form.parent.data}"
    if form.requirement.data and form.requirement.data in catalogue().requirements:
        return f"req-{form.requirement.data}"
    return "general"


@bp.post("/comments/<int:comment_id>/resolve")
@rule("project:comment")
def resolve(project_id: int, comment_id: int) -> BaseResponse:
    """Resolve (or reopen) a comment thread."""
    project = get_project(project_id)
    found = db().get(Comment, comment_id)
    if found is None or found.project_id != project.id or found.parent_id is not None:
        abort(404)
    if found.resolved_at is None:
        found.resolved_at, found.resolved_by = utcnow(), user().id
        flash(gettext("コメントを解決済みにしました。"), "success")
    else:
        found.resolved_at, found.resolved_by = None, None
        flash(gettext("コメントを未解決に戻しました。"), "success")
    audit.record(
        db(), "comment_resolve", project_id=project.id, comment=found.id, resolved=found.resolved_at is not None
    )
    db().commit()
    return redirect(
        safe_next(request.form.get("next")) if request.form.get("next") else url_for(".review", project_id=project.id)
    )
