"""A trainee's practice: what a copy of a sample starts with, making the copy, and the exercise
check of a copy against its sample's model answer."""

from __future__ import annotations

import copy
from typing import Any

from flask import abort, flash, redirect, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.compare.exercise import compare
from sbd_tool.storage.models import Project
from sbd_tool.web import audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.state import project_state
from sbd_tool.web.store import catalogue_for, create_project, db
from sbd_tool.web.training.blueprint import bp
from sbd_tool.web.training.queries import course_samples, current_course

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


def exercise_check(copy_: Project, sample: Project | None) -> dict[str, Any] | None:
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


@bp.post("/<int:course_id>/samples/<int:project_id>/copy")
@rule("course:view")
def copy_sample(course_id: int, project_id: int) -> BaseResponse:
    """A trainee's own copy of a sample, in their sandbox, linked to the course and the sample."""
    course = current_course()
    if course.closed_at is not None:
        flash(gettext("この研修は終了しています。"), "error")
        return redirect(url_for(".course", course_id=course.id))
    sample = next((p for p in course_samples(course) if p.id == project_id), None)
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
