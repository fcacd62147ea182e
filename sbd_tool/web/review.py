"""History, comparison of revisions, submission for review, comments, and approval.

Every save is an immutable ``Revision``; a review names the revision it is about, and approving
it is one conditional UPDATE (``WHERE status = 'pending' AND revision_number = :shown``), so of two
advisers (or two tabs) deciding at once exactly one wins, and nobody approves a revision other
than the one on their screen. Submitting and deciding both lock the project row first
(``store.lock_project``), so a resubmission and an approval happen one after the other: the
outcome reported and audited is the one stored. A decided review's share ends
``SHARE_DAYS_AFTER_REVIEW`` days later; a new submission to that adviser opens it again.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from sqlalchemy import func, select, update
from werkzeug.wrappers import Response as BaseResponse
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.assessment import assess, specification
from sbd_tool.compare.clause_changes import clause_edits
from sbd_tool.compare.revision_diff import diff_revisions
from sbd_tool.dates import japan_date
from sbd_tool.document import Approval, render_docx
from sbd_tool.document.blocks import OUTPUT_NAMES
from sbd_tool.document.text_render import render_html
from sbd_tool.engine.rules import evaluate
from sbd_tool.storage.models import Comment, Project, ProjectShare, Review, Revision, User, utcnow
from sbd_tool.web import audit, releases
from sbd_tool.web.access import can_edit, rule, user
from sbd_tool.web.auth import safe_next
from sbd_tool.web.choices import SelectChoice
from sbd_tool.web.downloads import ascii_filename, attachment, document_filename, requested_output
from sbd_tool.web.forms import CleanForm
from sbd_tool.web.marks import N_
from sbd_tool.web.notifications import notify
from sbd_tool.web.state import project_state
from sbd_tool.web.store import (
    catalogue,
    catalogue_of,
    commit_save,
    db,
    get_project,
    get_revision,
    lock_project,
    save_answers,
)

bp = Blueprint("review", __name__, url_prefix="/projects/<int:project_id>")
MAX_COMMENT = 4000
STATUS_LABELS = {
    "pending": N_("レビュー中"),
    "approved": N_("承認済み"),
    "returned": N_("差戻し"),
    "superseded": N_("再依頼により終了"),
}


class SubmitForm(CleanForm):
    adviser = SelectField(lazy_gettext("レビューを依頼する CIO補佐官等"), coerce=int, validate_choice=True)
    message = TextAreaField(
        lazy_gettext("依頼の内容（任意）"),
        validators=[
            Optional(),
            Length(max=MAX_COMMENT, message=lazy_gettext("%(count)s文字以内にしてください。", count=MAX_COMMENT)),
        ],
    )


class CommentForm(CleanForm):
    body = TextAreaField(
        lazy_gettext("コメント"),
        validators=[
            DataRequired(lazy_gettext("コメントを入力してください。")),
            Length(
                max=MAX_COMMENT, message=lazy_gettext("コメントは%(count)s文字以内にしてください。", count=MAX_COMMENT)
            ),
        ],
    )
    requirement = HiddenField()
    parent = HiddenField()
    next = HiddenField()


class DecideForm(CleanForm):
    revision = HiddenField()
    note = TextAreaField(
        lazy_gettext("所見（差し戻す場合は必須）"),
        validators=[
            Optional(),
            Length(max=MAX_COMMENT, message=lazy_gettext("%(count)s文字以内にしてください。", count=MAX_COMMENT)),
        ],
    )


def latest_review(project: Project) -> Review | None:
    query = select(Review).where(Review.project_id == project.id).order_by(Review.id.desc()).limit(1)
    return db().scalar(query)


def approved_review(project: Project, number: int | None = None) -> Review | None:
    """The newest approval of the project (or of one revision)."""
    query = select(Review).where(Review.project_id == project.id, Review.status == "approved")
    if number is not None:
        query = query.where(Review.revision_number == number)
    return db().scalar(query.order_by(Review.decided_at.desc()).limit(1))


def review_summary(project: Project) -> tuple[Review | None, Review | None, int]:
    """For the banner on every project page, in two queries: the latest review, the newest
    approval, and how many comment threads are open."""
    found = list(db().scalars(select(Review).where(Review.project_id == project.id).order_by(Review.id.desc())))
    approved = [r for r in found if r.status == "approved"]
    newest_approval = max(
        approved, key=lambda r: (r.decided_at is not None, r.decided_at or r.submitted_at, r.id), default=None
    )
    count = select(func.count()).where(
        Comment.project_id == project.id, Comment.parent_id.is_(None), Comment.resolved_at.is_(None)
    )
    return (found[0] if found else None), newest_approval, int(db().scalar(count) or 0)


def open_comments(project: Project) -> dict[str | None, list[Comment]]:
    """Unresolved top-level comments by requirement id (None: on the whole project)."""
    query = select(Comment).where(
        Comment.project_id == project.id, Comment.parent_id.is_(None), Comment.resolved_at.is_(None)
    )
    found: dict[str | None, list[Comment]] = {}
    for comment in db().scalars(query.order_by(Comment.created_at)):
        found.setdefault(comment.requirement, []).append(comment)
    return found


def _threads(project: Project) -> tuple[dict[str | None, list[Comment]], dict[int, list[Comment]]]:
    """All comments: top-level ones by requirement, replies by parent id."""
    query = select(Comment).where(Comment.project_id == project.id).order_by(Comment.created_at, Comment.id)
    top: dict[str | None, list[Comment]] = {}
    replies: dict[int, list[Comment]] = {}
    for comment in db().scalars(query):
        if comment.parent_id is None:
            top.setdefault(comment.requirement, []).append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    return top, replies


def _evaluated(revision: Revision) -> tuple[Any, Any]:
    cat = catalogue_of(revision)
    try:
        answers = parse_answers(revision.answers, cat, partial=True)
    except AnswersError:
        return None, None
    return answers, evaluate(cat, answers)


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


@bp.get("/review")
@rule("project:read")
def review(project_id: int) -> str:
    """The review page: the step-6 table of the reviewed revision with reasons, comments, decision."""
    project = get_project(project_id)
    current = latest_review(project)
    number = current.revision_number if current else project.version
    revision = get_revision(project, number)
    answers, evaluation = _evaluated(revision)
    top, replies = _threads(project)
    can_decide = bool(current and current.status == "pending" and current.adviser_id == user().id)
    decide_form = DecideForm(formdata=None, data={"revision": str(number)})
    # Parameters the printed clauses leave open (「発注者が指定する…」): the adviser sees them too.
    left_open = assess(catalogue_of(revision), revision.answers).open_parameters if evaluation is not None else ()
    return render_template(
        "review/review.html",
        project=project,
        open_parameters=left_open,
        cat=catalogue_of(revision),
        review=current,
        revision=revision,
        evaluation=evaluation,
        ready=answers is not None and evaluation is not None and not evaluation.missing,
        top=top,
        replies=replies,
        can_decide=can_decide,
        decide_form=decide_form,
        comment_form=CommentForm(formdata=None),
        approved=approved_review(project),
        current_approved=approved_review(project, project.version) is not None,
        status_labels=STATUS_LABELS,
        editable=can_edit(user(), project),
        clause_edits=clause_edits(catalogue_of(revision), answers, evaluation) if answers and evaluation else {},
    )


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
