"""A project's history: the list of revisions with their reviews, the comparison of two
revisions, and restoring an earlier revision as a new one.

Every save is an immutable ``Revision``; restoring loses nothing (the current revision stays in
the history and can be restored in turn).
"""

from __future__ import annotations

import copy

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.compare.revision_diff import diff_revisions
from sbd_tool.storage.models import Review
from sbd_tool.web import audit, releases
from sbd_tool.web.access import can_edit, rule, user
from sbd_tool.web.forms import CleanForm
from sbd_tool.web.review.blueprint import STATUS_LABELS, bp
from sbd_tool.web.review.queries import approved_review
from sbd_tool.web.store import catalogue, catalogue_of, commit_save, db, get_project, get_revision, save_answers


@bp.get("/history")
@rule("project:read")
def history(project_id: int) -> str:
    project = get_project(project_id)
    reviews = list(db().scalars(select(Review).where(Review.project_id == project.id).order_by(Review.id.desc())))
    by_revision: dict[int, list[Review]] = {}
    for review in reviews:
        by_revision.setdefault(review.revision_number, []).append(review)
    return render_template(
        "review/history.html",
        project=project,
        reviews=reviews,
        by_revision=by_revision,
        approved=approved_review(project),
        status_labels=STATUS_LABELS,
        editable=can_edit(user(), project),
        step_labels={s.id: s.title for s in catalogue().steps.steps},
        restored_from=restored_from,
    )


@bp.get("/history/compare")
@rule("project:read")
def compare(project_id: int) -> str:
    project = get_project(project_id)
    try:
        a, b = int(request.args.get("a", "")), int(request.args.get("b", ""))
    except ValueError:
        abort(400)
    a, b = min(a, b), max(a, b)
    before, after = get_revision(project, a), get_revision(project, b)
    diff = diff_revisions(catalogue_of(after), before.answers, after.answers)
    return render_template("review/compare.html", project=project, before=before, after=after, diff=diff)


RESTORED = "restore:"  # Revision.step of a revision made by restoring another: "restore:<number>"


def restored_from(step: str | None) -> int | None:
    """The revision a restored revision came from (its ``step`` says so), else None."""
    if step and step.startswith(RESTORED) and step[len(RESTORED) :].isdigit():
        return int(step[len(RESTORED) :])
    return None


@bp.route("/revisions/<int:number>/restore", methods=["GET", "POST"])
@rule("project:edit")
def restore(project_id: int, number: int) -> BaseResponse | str:
    """Restore an earlier revision as a new revision, after a page that says what it changes.
    Nothing is lost: the current revision stays in the history (and can be restored in turn)."""
    project = get_project(project_id)
    revision = get_revision(project, number)
    if request.method == "GET":
        current = get_revision(project, project.version)
        diff = diff_revisions(catalogue_of(revision), current.answers, revision.answers)
        return render_template("review/restore.html", project=project, revision=revision, current=current, diff=diff)
    shown = request.form.get("version", "")
    if not CleanForm().validate() or shown != str(project.version):
        flash(gettext("確認している間に、この案件が保存されました。もう一度内容を確認してください。"), "error")
        return redirect(url_for(".restore", project_id=project.id, number=number))
    # The revision as it was: its answers, evaluated with the catalogue version it was saved under
    # (when that version is still stored), and the steps visited so far.
    kept = releases.by_version(db(), revision.content_version) is not None
    project.visited = {**revision.visited, **project.visited}
    saved = save_answers(
        project, copy.deepcopy(revision.answers), None, user(),
        content_version=revision.content_version if kept else None,
    )  # fmt: skip
    saved.step = f"{RESTORED}{number}"
    audit.record(db(), "revision", project_id=project.id, revision=saved.number, restored_from=number)
    if not commit_save():
        flash(gettext("確認している間に、この案件が保存されました。もう一度内容を確認してください。"), "error")
        return redirect(url_for(".restore", project_id=project.id, number=number))
    flash(
        gettext("第%(number)s版の内容を、新しい版（第%(new)s版）として復元しました。", number=number, new=saved.number),
        "success",
    )
    return redirect(url_for(".history", project_id=project.id))
