"""The course pages: the list of courses (and creating one), and one course with its samples,
the signed-in user's copies and, for a trainer, everyone's."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Course, Project, User
from sbd_tool.web import audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.projects.samples import SAMPLES
from sbd_tool.web.state import project_state
from sbd_tool.web.store import catalogue_for, db
from sbd_tool.web.training.blueprint import bp
from sbd_tool.web.training.forms import CourseForm
from sbd_tool.web.training.practice import BLANK_FROM, exercise_check
from sbd_tool.web.training.queries import copies, course_samples, current_course


@bp.route("", methods=["GET", "POST"])
@rule("training")
def index() -> BaseResponse | tuple[str, int] | str:
    who = user()
    form = CourseForm()
    if request.method == "POST":
        if who.role != "trainer":
            abort(403)
        if form.validate():
            course = Course(organisation_id=who.organisation_id, name=form.name.data,
                            description=form.description.data or "", created_by=who.id,
                            blank_from=BLANK_FROM if form.blank.data else None)  # fmt: skip
            db().add(course)
            db().flush()
            audit.record(db(), "course_create", course=course.id, name=course.name)
            db().commit()
            flash(
                gettext("研修「%(name)s」を作成しました。サンプル案件を追加してください。", name=course.name), "success"
            )
            return redirect(url_for(".course", course_id=course.id))
    query = select(Course).where(Course.organisation_id == who.organisation_id)
    if who.role != "trainer":
        query = query.where(Course.closed_at.is_(None))
    courses = list(db().scalars(query.order_by(Course.created_at.desc())))
    status = 400 if request.method == "POST" else 200
    return render_template("courses/index.html", courses=courses, form=form), status


@bp.get("/<int:course_id>")
@rule("course:view")
def course(course_id: int) -> str:
    course = current_course()
    who = user()
    samples = course_samples(course)
    by_id = {p.id: p for p in samples}
    mine = copies(course, who)
    everyone: list[tuple[Project, User | None, Any, Any]] = []
    if who.role == "trainer":
        for p in copies(course):
            trainee = db().get(User, p.created_by) if p.created_by else None
            state = project_state(catalogue_for(p), p.answers, p.visited)
            everyone.append((p, trainee, state, exercise_check(p, by_id.get(p.copied_from or 0))))
    candidates: list[Project] = []
    if who.role == "trainer":
        query = select(Project).where(
            Project.organisation_id == who.organisation_id,
            Project.kind == "training",
            Project.course_id.is_(None),
            Project.deleted_at.is_(None),
            Project.created_by == who.id,
        )
        candidates = [p for p in db().scalars(query.order_by(Project.name)) if p.id not in by_id]
    return render_template(
        "courses/course.html",
        course=course,
        samples=samples,
        mine=[(p, by_id.get(p.copied_from or 0), exercise_check(p, by_id.get(p.copied_from or 0))) for p in mine],
        everyone=everyone,
        candidates=candidates,
        shipped=SAMPLES,
        creator=db().get(User, course.created_by),
    )
