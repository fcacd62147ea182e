"""The pages beside the steps: what-if (the single answer changes that move each level) and the
exercise check (this project's levels against a model answer)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from sbd_tool.compare.exercise import compare
from sbd_tool.engine.whatif import change_sentence, what_if
from sbd_tool.storage.models import Project
from sbd_tool.web.access import can_edit, rule, user
from sbd_tool.web.state import project_state
from sbd_tool.web.store import catalogue, db, get_project, trainer_ids
from sbd_tool.web.wizard.blueprint import bp


@bp.get("/compare")
@rule("project:edit")
def compare_page(project_id: int) -> Any:
    """Exercise check: this project's decided levels against a model answer chosen by the trainee.

    Model answers are the trainers' published training projects of the trainee's organisation.
    """
    project = get_project(project_id)
    cat = catalogue()
    query = select(Project).where(
        Project.model_answer.is_(True),
        Project.deleted_at.is_(None),
        Project.organisation_id == project.organisation_id,
        Project.kind == "training",
        Project.created_by.in_(trainer_ids()),  # never an officer's sandbox, whatever its flag says
        Project.id != project.id,
    )
    models = list(db().scalars(query.order_by(Project.name)))
    wanted = request.args.get("model") or (str(project.copied_from) if project.copied_from else None)
    chosen = next((p for p in models if str(p.id) == wanted), None)
    differences, total = None, len(cat.requirements)
    if chosen is not None:
        mine = project_state(cat, project.answers, project.visited).evaluation
        theirs = project_state(cat, chosen.answers, chosen.visited).evaluation
        if mine is None or theirs is None or mine.missing or theirs.missing:
            flash(gettext("未回答の設問があるため比べられません。手順4を確認してください。"), "error")
        else:
            differences = compare(cat, mine, theirs)
    return render_template(
        "wizard/compare.html", project=project, cat=cat, models=models, chosen=chosen,
        differences=differences, total=total,
    )  # fmt: skip


@bp.get("/what-if")
@rule("project:read")
def what_if_page(project_id: int) -> Any:
    """For each requirement, the single answer changes that would raise or lower its level."""
    project = get_project(project_id)
    cat = catalogue()
    state = project_state(cat, project.answers, project.visited)
    if state.answers is None or state.evaluation is None or state.evaluation.missing:
        flash(gettext("未回答の設問があるため、影響を計算できません。手順4を確認してください。"), "error")
        return redirect(url_for(".step", project_id=project_id, step="questions"))
    changes: dict[str, list[Any]] = {}
    for change in what_if(cat, state.answers, state.evaluation):
        changes.setdefault(change.requirement, []).append(change)
    return render_template(
        "wizard/whatif.html", project=project, cat=cat, state=state, changes=changes, sentence=change_sentence,
        editable=can_edit(user(), project),
    )  # fmt: skip
