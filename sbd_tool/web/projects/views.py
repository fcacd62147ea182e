"""The projects list, and making a project: a new one, one from a sample, a duplicate; marking a
project as a model answer."""

from __future__ import annotations

import copy
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Review
from sbd_tool.web import access, audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.projects import listing
from sbd_tool.web.projects.blueprint import bp
from sbd_tool.web.projects.forms import NewProjectForm
from sbd_tool.web.projects.samples import SAMPLES, sample_answers
from sbd_tool.web.state import empty_answers
from sbd_tool.web.store import catalogue, create_project, db, get_project, pending_reviews, set_project_flags


def _index_page(form: NewProjectForm, status: int = 200) -> tuple[str, int]:
    """The projects list: a page (``PER_PAGE``) of each list the user has, searched and filtered
    in SQL; progress is stored with each project, so no answers are read here."""
    who = user()
    args = request.args
    procurement = listing.project_page(who, "procurement", args, "page") if who.role != "trainer" else None
    training = listing.project_page(who, "training", args, "training_page") if who.role != "adviser" else None
    reviews: list[Review] = []
    if who.role == "adviser":
        reviews = pending_reviews(who)
    page = render_template(
        "projects/index.html",
        procurement=procurement,
        training=training,
        reviews=reviews,
        projects_by_id=listing.project_names(sorted({r.project_id for r in reviews})),
        search=listing.search_text(args),
        review_state=listing.review_filter(args),
        review_states=listing.REVIEW_STATES,
        form=form,
        samples=SAMPLES,
        can_create=access.allowed(db(), "create", who, None),
    )
    return page, status


@bp.get("/")
@rule("signed_in")
def index() -> BaseResponse | tuple[str, int]:
    if user().role == "admin":
        return redirect(url_for("admin.users"))
    return _index_page(NewProjectForm())


def kind_for(who: Any) -> str:
    """Trainers make training projects; officers make procurement projects."""
    return "training" if who.role == "trainer" else "procurement"


@bp.post("/projects")
@rule("create")
def create() -> BaseResponse | tuple[str, int]:
    form = NewProjectForm()
    if not form.validate_on_submit():
        return _index_page(form, 400)
    answers = empty_answers()
    answers["project"]["name"] = form.name.data
    project = create_project(answers, user(), kind=kind_for(user()))
    audit.record(db(), "project_create", project_id=project.id, name=project.name)
    db().commit()
    return redirect(url_for("wizard.step", project_id=project.id, step="purpose"))


@bp.post("/projects/sample/<name>")
@rule("create")
def from_sample(name: str) -> BaseResponse:
    """A filled-in sample, always as a training project: practice never mixes with procurements."""
    if name not in SAMPLES:
        return redirect(url_for(".index"))
    project = create_project(
        sample_answers(name), user(), {s.id: True for s in catalogue().steps.steps}, kind="training"
    )
    audit.record(db(), "project_create", project_id=project.id, name=project.name, sample=name)
    db().commit()
    flash(gettext("サンプル「%(name)s」から研修・練習用の案件を作成しました。", name=project.name), "success")
    return redirect(url_for("wizard.step", project_id=project.id, step="purpose"))


@bp.post("/projects/<int:project_id>/duplicate")
@rule("project:edit")
def duplicate(project_id: int) -> BaseResponse:
    source = get_project(project_id)
    answers = copy.deepcopy(source.answers)
    answers.setdefault("project", {})["name"] = f"{source.name}（複製）"[:200]
    copy_ = create_project(answers, user(), dict(source.visited), kind=source.kind)
    audit.record(db(), "project_create", project_id=copy_.id, name=copy_.name, copied_from=source.id)
    db().commit()
    flash(gettext("「%(name)s」を複製しました。", name=source.name), "success")
    return redirect(url_for("wizard.step", project_id=copy_.id, step="purpose"))


@bp.post("/projects/<int:project_id>/model-answer")
@rule("project:train")
def model_answer(project_id: int) -> BaseResponse:
    """Mark (or unmark) a project as a model answer that trainees' projects are compared with."""
    project = get_project(project_id)
    set_project_flags(project, model_answer=not project.model_answer)
    audit.record(db(), "model_answer", project_id=project.id, model_answer=project.model_answer)
    db().commit()
    if project.model_answer:
        flash(gettext("「%(name)s」を模範解答にしました。", name=project.name), "success")
    else:
        flash(gettext("「%(name)s」を模範解答から外しました。", name=project.name), "success")
    return redirect(url_for("projects.index"))
