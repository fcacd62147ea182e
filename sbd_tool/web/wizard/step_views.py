"""The step pages: load the stored answers (or the user's draft) into a form, and on a post
dispatch the action (save, row edits, conflict choices); the autosaved draft and its discarding."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Project
from sbd_tool.web.access import rule, user
from sbd_tool.web.state import ProjectState, project_state
from sbd_tool.web.store import catalogue, db, delete_draft, get_draft, get_project, put_draft
from sbd_tool.web.wizard.blueprint import FORMS, READ_ONLY, bp, step_ids
from sbd_tool.web.wizard.fields import WizardForm
from sbd_tool.web.wizard.loaders import LOADERS
from sbd_tool.web.wizard.row_edits import DRAFT_NOTES, edit_as_draft, keep_draft
from sbd_tool.web.wizard.saving import after_save, commit_revision, conflict, resolve_conflict, save
from sbd_tool.web.wizard.step_page import render_step


@bp.route("/steps/<step>", methods=["GET", "POST"])
@rule("project:edit")
def step(project_id: int, step: str) -> Any:
    if step not in step_ids():
        abort(404)
    project = get_project(project_id)
    cat = catalogue()
    state = project_state(cat, project.answers, project.visited)
    if step in READ_ONLY:
        return _read_only_step(project, step, state)
    form_class = FORMS[step](cat)
    if request.method == "GET":
        draft = get_draft(project, step, user())
        if draft is not None:
            form = form_class(formdata=MultiDict(draft.data["pairs"]))
            form.version.data = str(project.version)
            note = DRAFT_NOTES.get(str(draft.data.get("origin", "")))
            extra: dict[str, Any] = {"generated": note} if note else {}
            undo = draft.data.get("undo")
            if step == "purpose" and isinstance(undo, dict) and isinstance(undo.get("row"), dict):
                extra["undo_task"] = {"name": undo["row"].get("name") or "", "number": int(undo.get("index") or 0) + 1}
            return render_step(project, step, form, state, restored=True, **extra)
        form = form_class(formdata=None, data=LOADERS[step](cat, project.answers, state))
        form.version.data = str(project.version)
        return render_step(project, step, form, state)
    return _post_step(project, step, form_class, state)


def _post_step(project: Project, step: str, form_class: Any, state: ProjectState) -> Any:
    """A step's POST: the action the pressed button names (save, row edits, the conflict page)."""
    form = form_class()
    action = request.form.get("action", "save")
    removal = re.fullmatch(r"row:remove:tasks:(\d+)", action) if step == "purpose" else None
    if removal is not None and request.form.get("version", "") == str(project.version):
        # Deleting a task asks first (without JavaScript: on a page of its own; sbd-undo.js asks in place).
        keep_draft(project, step, form, "rows")
        db().commit()
        return redirect(url_for(".remove_task", project_id=project.id, index=int(removal.group(1))))
    if action in ("diagram:generate", "diagram:clear") or action.startswith("row:"):
        edited = edit_as_draft(project, step, form_class, form, state, action)
        db().commit()
        return edited
    if action == "conflict:show":  # the page's autosave was refused as stale: show what differs
        stale = form.version.data != str(project.version)
        return conflict(project, step, form) if stale else render_step(project, step, form, state)
    if action.startswith("conflict:"):
        return resolve_conflict(project, step, form_class, form, state, action)
    if form.version.data != str(project.version):
        return conflict(project, step, form)
    return save(project, step, form, state, action)


def _read_only_step(project: Project, step: str, state: ProjectState) -> Any:
    form = WizardForm()
    if request.method == "GET":
        form.version.data = str(project.version)
        return render_step(project, step, form, state)
    if not form.validate() or form.version.data != str(project.version):
        return render_step(project, step, form, state, status=409, conflict=True)
    if not commit_revision(project, copy.deepcopy(project.answers), step):
        return render_step(project, step, form, state, status=409, conflict=True)
    return after_save(project, step, request.form.get("action", "next"))


@bp.post("/steps/<step>/draft")
@rule("project:edit")
def save_draft(project_id: int, step: str) -> Response:
    """Autosave: the page posts what is typed; it survives a closed tab until saved or discarded."""
    if step not in FORMS:
        abort(404)
    project = get_project(project_id)
    shown = request.form.get("version", "")
    if shown != str(project.version):
        # A tab opened on an older version: its draft would pass for the newer one (a save from it
        # would then overwrite that silently). Refused; the page offers the conflict page instead.
        return Response("stale", status=409, mimetype="text/plain")
    pairs = [[k, v] for k, v in request.form.items(multi=True) if k not in ("csrf_token", "action")]
    data = {"pairs": pairs, "saved_at": dt.datetime.now(dt.UTC).isoformat()}
    put_draft(project, step, user(), data)  # with the version read here: a save landing meanwhile outdates it
    db().commit()
    return Response(status=204)


@bp.post("/steps/<step>/draft/discard")
@rule("project:edit")
def discard_draft(project_id: int, step: str) -> BaseResponse:
    if step not in FORMS:
        abort(404)
    delete_draft(get_project(project_id), step, user())
    db().commit()
    flash(gettext("下書きを破棄し、保存済みの内容を表示しています。"), "success")
    return redirect(url_for(".step", project_id=project_id, step=step))
