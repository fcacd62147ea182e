"""A trainer's management of a course: adding and removing samples, closing or reopening the
course, and whether trainees' copies start blank from step 4."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import CourseSample, Project, utcnow
from sbd_tool.web import audit
from sbd_tool.web.access import can_edit, rule, user
from sbd_tool.web.projects.samples import SAMPLES, sample_answers
from sbd_tool.web.store import catalogue, create_project, db
from sbd_tool.web.training.blueprint import bp
from sbd_tool.web.training.practice import BLANK_FROM
from sbd_tool.web.training.queries import current_course


@bp.post("/<int:course_id>/samples")
@rule("course:manage")
def add_sample(course_id: int) -> BaseResponse:
    """Add one of the trainer's training projects, or a shipped example (made a training project)."""
    course = current_course()
    who = user()
    position = int(db().scalar(select(func.count()).where(CourseSample.course_id == course.id)) or 0)
    choice = request.form.get("sample", "")
    if choice.startswith("shipped:") and choice[8:] in SAMPLES:
        visited = {s.id: True for s in catalogue().steps.steps}
        project = create_project(sample_answers(choice[8:]), who, visited, kind="training")
        project.model_answer = True  # the shipped examples' decisions are the model answer
    elif choice.isdigit():
        # Only what the trainer may edit: a trainers' training project of the organisation, never
        # an officer's sandbox (nor a trainee's copy in a course, which trainers may only read).
        project = db().get(Project, int(choice))  # type: ignore[assignment]
        if project is None or project.deleted_at is not None or not can_edit(who, project):
            abort(400)
    else:
        flash(gettext("追加するサンプル案件を選んでください。"), "error")
        return redirect(url_for(".course", course_id=course.id))
    db().add(CourseSample(course_id=course.id, project_id=project.id, position=position))
    audit.record(db(), "course_update", course=course.id, added=project.id)
    db().commit()
    flash(gettext("「%(name)s」をサンプルに追加しました。", name=project.name), "success")
    return redirect(url_for(".course", course_id=course.id))


@bp.post("/<int:course_id>/samples/<int:project_id>/remove")
@rule("course:manage")
def remove_sample(course_id: int, project_id: int) -> BaseResponse:
    course = current_course()
    found = db().get(CourseSample, (course.id, project_id))
    if found is None:
        abort(404)
    db().delete(found)
    audit.record(db(), "course_update", course=course.id, removed=project_id)
    db().commit()
    flash(gettext("サンプルから外しました（受講者の練習用の案件はそのまま残ります）。"), "success")
    return redirect(url_for(".course", course_id=course.id))


@bp.post("/<int:course_id>/close")
@rule("course:manage")
def close(course_id: int) -> BaseResponse:
    course = current_course()
    course.closed_at = None if course.closed_at else utcnow()
    audit.record(db(), "course_update", course=course.id, closed=course.closed_at is not None)
    db().commit()
    flash(gettext("研修を終了しました。") if course.closed_at else gettext("研修を再開しました。"), "success")
    return redirect(url_for(".course", course_id=course.id))


@bp.post("/<int:course_id>/settings")
@rule("course:manage")
def settings(course_id: int) -> BaseResponse:
    """Whether trainees' copies start blank from step 4 (copies made before keep what they have)."""
    course = current_course()
    course.blank_from = BLANK_FROM if request.form.get("blank") else None
    audit.record(db(), "course_update", course=course.id, blank_from=course.blank_from)
    db().commit()
    flash(
        gettext("これからの練習は手順4以降を白紙から始めます。")
        if course.blank_from
        else gettext("これからの練習はサンプルの回答を写して始めます（模範解答の決定は写しません）。"),
        "success",
    )
    return redirect(url_for(".course", course_id=course.id))
