"""Training courses: a trainer gathers sample projects; trainees copy one into their own sandbox
(a training project only they and the organisation's trainers see), practise, use what-if, and
compare their levels with the sample's model answer. Practice never mixes with procurements."""

from __future__ import annotations

import copy
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from sbd_tool.compare.exercise import compare
from sbd_tool.storage.models import Course, CourseSample, Project, User, utcnow
from sbd_tool.web import audit
from sbd_tool.web.access import can_edit, rule, user
from sbd_tool.web.forms import CleanForm
from sbd_tool.web.projects import SAMPLES, sample_answers
from sbd_tool.web.state import project_state
from sbd_tool.web.store import catalogue, catalogue_for, create_project, db, trainer_ids

bp = Blueprint("courses", __name__, url_prefix="/courses")


class CourseForm(CleanForm):
    name = StringField(
        lazy_gettext("研修の名称"),
        validators=[
            DataRequired(lazy_gettext("研修の名称を入力してください。")),
            Length(max=200, message=lazy_gettext("200文字以内にしてください。")),
        ],
    )
    description = TextAreaField(
        lazy_gettext("説明（受講者に表示）"),
        validators=[Optional(), Length(max=2000, message=lazy_gettext("2000文字以内にしてください。"))],
    )
    blank = BooleanField(
        lazy_gettext("手順4以降は白紙から始める"),
        description=lazy_gettext(
            "受講者のコピーには、手順1〜3（業務と図）だけを写し、定型設問の回答から先は受講者が自分で入力します。"
            "どちらの場合も、模範解答の決定（手順6）は写しません。"
        ),
    )


BLANK_FROM = "questions"  # 「手順4以降は白紙から始める」: the step a blank copy starts from
# What each step stores in the answers document (steps 1-3 are the sample's facts, kept always).
STEP_KEYS = {
    "questions": ("answers",),
    "decisions": ("decisions", "responsibilities"),
    "output": ("document", "parameters"),
}


def practice_copy(
    answers: dict[str, Any], visited: dict[str, Any], step_ids: list[str], blank_from: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A trainee's starting point from a sample: never the model's decisions (step 6: levels and
    implementing parties), so the exercise check scores the trainee's own work; and, when the
    course says so, nothing from ``blank_from`` on (the fixed answers, decisions, output settings).
    Returns the answers and the visited steps of the copy."""
    answers = copy.deepcopy(answers)
    cleared = ["decisions"]
    if blank_from in step_ids:
        cleared = step_ids[step_ids.index(blank_from) :]
    for step in cleared:
        for key in STEP_KEYS.get(step, ()):
            answers.pop(key, None)
    return answers, {k: v for k, v in visited.items() if k not in cleared}


def _course() -> Course:
    course: Course = g.course
    return course


def _samples(course: Course) -> list[Project]:
    """The course's samples: trainers' training projects of the course's organisation only (a row
    naming anything else, e.g. an officer's sandbox added under the old rule, is not offered)."""
    query = (
        select(Project)
        .join(CourseSample, CourseSample.project_id == Project.id)
        .where(
            CourseSample.course_id == course.id,
            Project.deleted_at.is_(None),
            Project.kind == "training",
            Project.organisation_id == course.organisation_id,
            Project.created_by.in_(trainer_ids()),
        )
        .order_by(CourseSample.position, Project.id)
    )
    return list(db().scalars(query))


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


def _copies(course: Course, who: User | None = None) -> list[Project]:
    query = select(Project).where(Project.course_id == course.id, Project.deleted_at.is_(None))
    if who is not None:
        query = query.where(Project.created_by == who.id)
    return list(db().scalars(query.order_by(Project.created_at)))


def _check(copy_: Project, sample: Project | None) -> dict[str, Any] | None:
    """The exercise check of a trainee's copy against its sample, when both are complete."""
    if sample is None or not sample.model_answer:
        return None
    mine = project_state(catalogue_for(copy_), copy_.answers, copy_.visited).evaluation
    theirs = project_state(catalogue_for(sample), sample.answers, sample.visited).evaluation
    if mine is None or theirs is None or mine.missing or theirs.missing:
        return None
    differences = compare(catalogue_for(sample), mine, theirs)
    total = len(catalogue_for(sample).requirements)
    return {"matching": total - len(differences), "total": total}


@bp.get("/<int:course_id>")
@rule("course:view")
def course(course_id: int) -> str:
    course = _course()
    who = user()
    samples = _samples(course)
    by_id = {p.id: p for p in samples}
    mine = _copies(course, who)
    everyone: list[tuple[Project, User | None, Any, Any]] = []
    if who.role == "trainer":
        for p in _copies(course):
            trainee = db().get(User, p.created_by) if p.created_by else None
            state = project_state(catalogue_for(p), p.answers, p.visited)
            everyone.append((p, trainee, state, _check(p, by_id.get(p.copied_from or 0))))
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
        mine=[(p, by_id.get(p.copied_from or 0), _check(p, by_id.get(p.copied_from or 0))) for p in mine],
        everyone=everyone,
        candidates=candidates,
        shipped=SAMPLES,
        creator=db().get(User, course.created_by),
    )


@bp.post("/<int:course_id>/samples")
@rule("course:manage")
def add_sample(course_id: int) -> BaseResponse:
    """Add one of the trainer's training projects, or a shipped example (made a training project)."""
    course = _course()
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
    course = _course()
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
    course = _course()
    course.closed_at = None if course.closed_at else utcnow()
    audit.record(db(), "course_update", course=course.id, closed=course.closed_at is not None)
    db().commit()
    flash(gettext("研修を終了しました。") if course.closed_at else gettext("研修を再開しました。"), "success")
    return redirect(url_for(".course", course_id=course.id))


@bp.post("/<int:course_id>/settings")
@rule("course:manage")
def settings(course_id: int) -> BaseResponse:
    """Whether trainees' copies start blank from step 4 (copies made before keep what they have)."""
    course = _course()
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


@bp.post("/<int:course_id>/samples/<int:project_id>/copy")
@rule("course:view")
def copy_sample(course_id: int, project_id: int) -> BaseResponse:
    """A trainee's own copy of a sample, in their sandbox, linked to the course and the sample."""
    course = _course()
    if course.closed_at is not None:
        flash(gettext("この研修は終了しています。"), "error")
        return redirect(url_for(".course", course_id=course.id))
    sample = next((p for p in _samples(course) if p.id == project_id), None)
    if sample is None:
        abort(404)
    who = user()
    step_ids = [s.id for s in catalogue_for(sample).steps.steps]
    answers, visited = practice_copy(sample.answers, sample.visited, step_ids, course.blank_from)
    answers.setdefault("project", {})["name"] = f"{sample.name}（{who.display_name}の練習）"[:200]
    project = create_project(answers, who, visited, kind="training")
    project.course_id, project.copied_from = course.id, sample.id
    project.content_version = sample.content_version or project.content_version
    audit.record(db(), "project_create", project_id=project.id, course=course.id, copied_from=sample.id)
    db().commit()
    flash(
        gettext("「%(name)s」を練習用にコピーしました。自由に変えて、模範解答と比べてみてください。", name=sample.name),
        "success",
    )
    return redirect(url_for("wizard.step", project_id=project.id, step="questions"))
