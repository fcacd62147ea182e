"""Saving a step as a new revision (the form names the version it read), and what happens when
another tab saved first: the conflict page, field by field, and the choice made on it."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.compare.revision_diff import diff_revisions
from sbd_tool.compare.revision_merge import merge_documents
from sbd_tool.storage.models import Project
from sbd_tool.web import audit
from sbd_tool.web.access import user
from sbd_tool.web.state import ProjectState, project_state
from sbd_tool.web.store import catalogue, commit_save, db, delete_draft, get_revision_or_none, save_answers
from sbd_tool.web.wizard.blueprint import neighbour, step_ids
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


# ---------------------------------------------------------------- two tabs: what differs, and the choice


@dataclass(frozen=True)
class ConflictField:
    """One field of the step whose saved value differs from what the user typed."""

    where: str  # revision_diff's key: project.name, tasks.T2.name, answers.network, …
    label: str
    theirs: str  # the saved value, readable
    mine: str  # the user's input, readable
    changed_by: str  # "mine", "theirs" or "both": who changed it since the version the user started from
    pick: str  # the preselected choice: "mine" where the user changed it, else "theirs"


def conflict(project: Project, step: str, form: Any) -> Any:
    """The conflict page (409): the user's input stays in the form; above it, field by field, what
    differs from the version saved meanwhile, with the choice to keep theirs, take the other or merge."""
    cat = catalogue()
    state = project_state(cat, project.answers, project.visited)
    view = _conflict_view(cat, project, step, form, state)
    return render_step(project, step, form, state, status=409, conflict=True, conflict_view=view)


def _conflict_view(cat: Any, project: Project, step: str, form: Any, state: ProjectState) -> dict[str, Any]:
    saved = get_revision_or_none(project, project.version)
    view: dict[str, Any] = {
        "version": project.version,
        "author": saved.author.display_name if saved is not None and saved.author else "",
        "fields": [],
        "invalid": False,
    }
    valid = form.validate()
    if not valid or STORERS[step].check(cat, form, state):
        view["invalid"] = True  # what cannot be stored cannot be compared; the errors show on the fields
        return view
    mine = STORERS[step].store(cat, copy.deepcopy(project.answers), form)
    changes = diff_revisions(cat, project.answers, mine).fields
    started = str(form.version.data or "")
    base = get_revision_or_none(project, int(started)) if started.isdigit() else None
    mine_changed: set[str] = set()
    theirs_changed: set[str] = set()
    if base is not None:
        mine_on_base = STORERS[step].store(cat, copy.deepcopy(base.answers), form)
        mine_changed = {c.where for c in diff_revisions(cat, base.answers, mine_on_base).fields}
        theirs_changed = {c.where for c in diff_revisions(cat, base.answers, project.answers).fields}
    for c in changes:
        by = "both" if {c.where} <= mine_changed & theirs_changed else "mine" if c.where in mine_changed else "theirs"
        if base is None:
            by = ""
        pick = "theirs" if by == "theirs" else "mine"
        view["fields"].append(ConflictField(c.where, c.label, c.before, c.after, by, pick))
    return view


def resolve_conflict(project: Project, step: str, form_class: Any, form: Any, state: ProjectState, action: str) -> Any:
    """The choice made on the conflict page, about the version it showed (``conflict_base``):
    keep the user's input (saved over the current version as a new revision), take the saved
    version (the input is dropped), or merge field by field (per changed field, mine or theirs)."""
    if request.form.get("conflict_base", "") != str(project.version):
        return conflict(project, step, form)  # saved again meanwhile: show the new differences
    choice = action.removeprefix("conflict:")
    if choice == "theirs":
        delete_draft(project, step, user())
        db().commit()
        flash(gettext("保存済みの内容を表示しています（この画面の入力は破棄しました）。"), "success")
        return redirect(url_for(".step", project_id=project.id, step=step))
    form.version.data = str(project.version)
    if choice != "merge":
        return save(project, step, form, state, "save", gettext("あなたの入力で上書きして保存しました（新しい版）。"))
    cat = catalogue()
    if not form.validate() or STORERS[step].check(cat, form, state):
        return conflict(project, step, form)
    mine = STORERS[step].store(cat, copy.deepcopy(project.answers), form)
    changes = diff_revisions(cat, project.answers, mine).fields
    take = [c.where for c in changes if request.form.get(f"pick:{c.where}", "mine") != "theirs"]
    merged = merge_documents(project.answers, mine, take)
    built = form_class(formdata=None, data=LOADERS[step](cat, merged, project_state(cat, merged, project.visited)))
    pairs = [*form_pairs(built), ["csrf_token", request.form.get("csrf_token", "")]]
    merged_form = form_class(formdata=MultiDict([(k, v) for k, v in pairs if k != "version"]))
    merged_form.version.data = str(project.version)
    return save(project, step, merged_form, state, "save", gettext("選んだとおりに統合して保存しました（新しい版）。"))
