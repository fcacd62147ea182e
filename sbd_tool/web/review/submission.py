"""Submitting a revision for review, and the adviser's decision (approve or return).

A review names the revision it is about, and approving it is one conditional UPDATE (``WHERE
status = 'pending' AND revision_number = :shown``), so of two advisers (or two tabs) deciding at
once exactly one wins, and nobody approves a revision other than the one on their screen.
Submitting and deciding both lock the project row first (``store.lock_project``), so a
resubmission and an approval happen one after the other: the outcome reported and audited is the
one stored. A decided review's share ends ``SHARE_DAYS_AFTER_REVIEW`` days later; a new
submission to that adviser opens it again.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select, update
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Project, ProjectShare, Review, User, utcnow
from sbd_tool.web import audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.choices import SelectChoice
from sbd_tool.web.notifications import notify
from sbd_tool.web.review.blueprint import bp
from sbd_tool.web.review.forms import DecideForm, SubmitForm
from sbd_tool.web.review.queries import approved_review
from sbd_tool.web.state import project_state
from sbd_tool.web.store import catalogue, db, get_project, lock_project


def _advisers(project: Project) -> list[User]:
    query = select(User).where(
        User.role == "adviser", User.active.is_(True), User.organisation_id == project.organisation_id
    )
    return list(db().scalars(query.order_by(User.display_name)))


def _share_days() -> dt.timedelta:
    return dt.timedelta(days=float(current_app.config.get("SHARE_DAYS_AFTER_REVIEW", 30)))


def _end_shares(project: Project, adviser_ids: set[int], now: dt.datetime) -> None:
    """These advisers' reviews of the project ended: their access ends after the set period."""
    if adviser_ids:
        db().execute(
            update(ProjectShare)
            .where(ProjectShare.project_id == project.id, ProjectShare.user_id.in_(adviser_ids))
            .values(expires_at=now + _share_days())
        )


def _ready(project: Project) -> bool:
    state = project_state(catalogue(), project.answers, project.visited)
    return (
        state.answers is not None
        and state.status["output"] != "problem"
        and not (state.evaluation is None or state.evaluation.missing)
    )


class AlreadyApproved(Exception):
    """The revision being submitted was approved meanwhile (checked under the project's lock)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _submit(project: Project, adviser_id: int, message: str) -> int | None:
    """Supersede whatever is pending and submit the current revision, atomically: the project is
    locked first, so of two submits at once the second sees the first's review and supersedes it
    (exactly one stays pending), and a pending review is superseded only by a conditional UPDATE
    (an approval that landed first stays approved). Returns the revision number submitted, or
    None (nothing changed) when a save that landed meanwhile left the project not ready."""
    shown = project.version
    project = lock_project(project)
    if approved_review(project, project.version) is not None:  # an approval landed first: nothing to review
        db().rollback()
        raise AlreadyApproved(project.version)
    if project.version != shown and not _ready(project):
        db().rollback()
        return None
    now = utcnow()
    pending = Review.project_id == project.id, Review.status == "pending"
    ended = set(db().scalars(select(Review.adviser_id).where(*pending)))
    db().execute(update(Review).where(*pending).values(status="superseded", decided_at=now))
    db().add(
        Review(
            project_id=project.id,
            revision_number=project.version,
            adviser_id=adviser_id,
            submitted_by=user().id,
            message=message,
            status="pending",
            decision_note="",
        )
    )
    _end_shares(project, ended - {adviser_id}, now)
    share = db().get(ProjectShare, (project.id, adviser_id))
    if share is None:
        db().add(ProjectShare(project_id=project.id, user_id=adviser_id))
    else:
        share.expires_at = None  # open again while the new review is pending
    audit.record(db(), "review_submit", project_id=project.id, revision=project.version, adviser=adviser_id)
    notify(db(), "review_requested", project, recipients=[adviser_id])
    db().commit()
    return project.version


def _already_approved(project_id: int, number: int) -> BaseResponse:
    flash(
        gettext(
            "第%(number)s版は既に承認されています。変更を保存すると新しい版になり、改めて依頼できます。", number=number
        ),
        "error",
    )
    return redirect(url_for(".review", project_id=project_id))


@bp.route("/submit", methods=["GET", "POST"])
@rule("project:submit")
def submit(project_id: int) -> BaseResponse | tuple[str, int] | str:
    """Submit the current revision to an adviser of the organisation."""
    project = get_project(project_id)
    form = SubmitForm()
    form.adviser.choices = [SelectChoice(a.id, f"{a.display_name}（{a.username}）") for a in _advisers(project)]
    ready = _ready(project)
    approved = approved_review(project, project.version) is not None
    status = 200
    if request.method == "POST" and approved:  # nothing to review: the current revision is approved
        return _already_approved(project.id, project.version)
    if request.method == "POST":
        try:
            number = _submit(project, form.adviser.data, form.message.data or "") if ready and form.validate() else None
        except AlreadyApproved as done:  # approved while this request waited for the lock
            return _already_approved(project_id, done.number)
        if number is not None:
            flash(gettext("第%(revision)s版のレビューを依頼しました。", revision=number), "success")
            return redirect(url_for(".review", project_id=project.id))
        if ready and not form.errors:  # a save that landed meanwhile left the project not ready
            ready = False
        if not ready:
            flash(gettext("未回答の設問や理由のない引下げがあるため、レビューを依頼できません。"), "error")
        status = 400
    return render_template("review/submit.html", project=project, form=form, ready=ready, approved=approved), status


@bp.post("/reviews/<int:review_id>/decide")
@rule("project:review")
def decide(project_id: int, review_id: int) -> BaseResponse | tuple[str, int]:
    """Approve or return the revision the adviser was shown."""
    project = get_project(project_id)
    form = DecideForm()
    action = request.form.get("action")
    if action not in ("approve", "return") or not form.validate():
        abort(400)
    note = (form.note.data or "").strip()
    if action == "return" and not note:
        flash(gettext("差し戻す場合は、所見に直してほしい点を書いてください。"), "error")
        return redirect(url_for(".review", project_id=project.id))
    revision = form.revision.data or ""
    shown = int(revision) if revision.isdigit() else -1
    status = "approved" if action == "approve" else "returned"
    project = lock_project(project)  # after a resubmission that holds the lock, the review is no longer pending
    now = utcnow()
    result = db().execute(
        update(Review)
        .where(
            Review.id == review_id,
            Review.project_id == project.id,
            Review.adviser_id == user().id,
            Review.status == "pending",
            Review.revision_number == shown,
        )
        .values(status=status, decided_at=now, decision_note=note)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db().rollback()
        flash(
            gettext(
                "このレビューは既に決定されたか、再依頼により別の版に替わっています。最新の状態を確認してください。"
            ),
            "error",
        )
        return redirect(url_for(".review", project_id=project.id))
    _end_shares(project, {user().id}, now)
    audit.record(
        db(), f"review_{'approve' if action == 'approve' else 'return'}", project_id=project.id, revision=shown
    )
    notify(db(), f"review_{status}", project, review_id=review_id)
    db().commit()
    if action == "approve":
        flash(gettext("第%(revision)s版を承認しました。", revision=shown), "success")
    else:
        flash(gettext("第%(revision)s版を差し戻しました。", revision=shown), "success")
    return redirect(url_for(".review", project_id=project.id))
