"""Saving a step as a new revision (the form names the version it read), and what happens when
another tab saved first: the conflict page, field by field, and the choice made on it."""

from __future__ import annotations

import copy
from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Project
from sbd_tool.web import audit
from sbd_tool.web.access import user
from sbd_tool.web.state import ProjectState, project_state
from sbd_tool.web.store import catalogue, commit_save, db, save_answers
from sbd_tool.web.wizard.blueprint import neighbour, step_ids
from sbd_tool.web.wizard.conflicts import (
    Store,
    conflict_choice,
    conflict_view,
    kept_mine_note,
    merged_answers,
    merged_note,
    take_theirs,
)
from sbd_tool.web.wizard.formpairs import form_pairs
from sbd_tool.web.wizard.loaders import LOADERS
from sbd_tool.web.wizard.step_page import render_step
from sbd_tool.web.wizard.storers import STORERS


def save(project: Project, step: str, form: Any, state: ProjectState, action: str, note: str | None = None) -> Any:
    """Validate and save a step's form as a new revision (the form names the version it read)."""
    cat = catalogue()
    valid = form.validate()
    extra_errors = STORERS[step].check(cat, form, state)  # all problems at once, not in rounds
    if not valid or extra_errors:
        for field, message in extra_errors:
            field.errors = [*field.errors, message]
        return render_step(project, step, form, state, status=400)
    answers = STORERS[step].store(cat, copy.deepcopy(project.answers), form)
    if not commit_revision(project, answers, step):
        return conflict(project, step, form)
    flash(note or gettext("保存しました。"), "success")
    return after_save(project, step, action)


def commit_revision(project: Project, answers: dict[str, Any], step: str) -> bool:
    """Save as a new revision; False (nothing saved) when another save of the project landed first."""
    revision = save_answers(project, answers, step, user())
    audit.record(db(), "revision", project_id=project.id, revision=revision.number, step=step)
    return commit_save()


def after_save(project: Project, step: str, action: str) -> BaseResponse:
    """To the step the button asked for (next, previous, a step by id), else back to this one."""
    target = step
    if action == "next":
        target = neighbour(step, 1) or step
    elif action == "prev":
        target = neighbour(step, -1) or step
    elif action.startswith("goto:") and action[5:] in step_ids():
        target = action[5:]
    return redirect(url_for(".step", project_id=project.id, step=target))


# ---------------------------------------------------------------- two tabs: the conflict page and the choice


def conflict(project: Project, step: str, form: Any) -> Any:
    """The conflict page (409): the user's input stays in the form; above it, field by field, what
    differs from the version saved meanwhile, with the choice to keep theirs, take the other or merge."""
    cat = catalogue()
    state = project_state(cat, project.answers, project.visited)
    view = conflict_view(cat, project, str(form.version.data or ""), _storing(cat, step, form, state))
    return render_step(project, step, form, state, status=409, conflict=True, conflict_view=view)


def _storing(cat: Any, step: str, form: Any, state: ProjectState) -> Store | None:
    """How the step stores the user's input into any version's answers; None when it has errors."""
    if not form.validate() or STORERS[step].check(cat, form, state):
        return None
    return lambda answers: STORERS[step].store(cat, copy.deepcopy(answers), form)


def resolve_conflict(project: Project, step: str, form_class: Any, form: Any, state: ProjectState, action: str) -> Any:
    """The choice made on the conflict page, about the version it showed (``conflict_base``):
    keep the user's input (saved over the current version as a new revision), take the saved
    version (the input is dropped), or merge field by field (per changed field, mine or theirs)."""
    choice = conflict_choice(project, action)
    if choice is None:
        return conflict(project, step, form)  # saved again meanwhile: show the new differences
    if choice == "theirs":
        return take_theirs(project, step, url_for(".step", project_id=project.id, step=step))
    form.version.data = str(project.version)
    if choice != "merge":
        return save(project, step, form, state, "save", kept_mine_note())
    cat = catalogue()
    storing = _storing(cat, step, form, state)
    if storing is None:
        return conflict(project, step, form)
    merged = merged_answers(cat, project, storing(project.answers))
    built = form_class(formdata=None, data=LOADERS[step](cat, merged, project_state(cat, merged, project.visited)))
    pairs = [*form_pairs(built), ["csrf_token", request.form.get("csrf_token", "")]]
    merged_form = form_class(formdata=MultiDict([(k, v) for k, v in pairs if k != "version"]))
    merged_form.version.data = str(project.version)
    return save(project, step, merged_form, state, "save", merged_note())
