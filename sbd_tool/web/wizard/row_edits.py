"""Editing a step without saving it: a row added, copied, moved or removed without JavaScript, a
diagram generated from step 2 or cleared, a task deleted (asked first) and the deletion undone.
The result is the user's draft of the step, shown after a redirect (post/redirect/get)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Project
from sbd_tool.web.access import rule, user
from sbd_tool.web.state import ProjectState, project_state
from sbd_tool.web.store import catalogue, db, get_draft, get_project, put_draft
from sbd_tool.web.wizard.blueprint import FORMS, bp
from sbd_tool.web.wizard.diagram_views import generated
from sbd_tool.web.wizard.formpairs import entry_anchor, form_pairs
from sbd_tool.web.wizard.loaders import LOADERS, diagram_form_data
from sbd_tool.web.wizard.rows import apply_row_action
from sbd_tool.web.wizard.saving import conflict

# Shown above the diagram after a redirect from these actions (the result is the user's draft).
DRAFT_NOTES = {
    "diagram:generate": "業務の特徴から図を作成しました（まだ保存していません）。確認し、「保存」で確定してください。"
    "元の図に戻すには「下書きを破棄する」を押してください。",
    "diagram:clear": "図を空にしました（まだ保存していません）。「保存」で確定します。"
    "元の図に戻すには「下書きを破棄する」を押してください。",
}


def edit_as_draft(project: Project, step: str, form_class: Any, form: Any, state: ProjectState, action: str) -> Any:
    """Change the form on the server without saving (a row added, moved or removed without
    JavaScript; a diagram generated from step 2 or cleared): the result is kept as the user's draft
    of the step and the browser is sent to the step page, which shows it (post/redirect/get, so
    Back and reload never ask to send the form again). A page older than the saved version gets
    the conflict page instead: its draft would otherwise pass for the newer version."""
    if request.form.get("version", "") != str(project.version):
        return conflict(project, step, form)
    anchor = ""
    if action.startswith("row:"):
        form = form_class(formdata=None, data=apply_row_action(form.data, action))
        anchor = entry_anchor(form, _row_target(action))
    else:
        fresh = None if action == "diagram:clear" else generated(catalogue(), project, state)
        form = form_class(formdata=None, data=diagram_form_data(fresh))
        action = action if fresh else "diagram:clear"
    keep_draft(project, step, form, action if action in DRAFT_NOTES else "rows")
    return redirect(url_for(".step", project_id=project.id, step=step, _anchor=anchor or None))


def keep_draft(project: Project, step: str, form: Any, origin: str, **extra: Any) -> None:
    """The form as this user's draft of the step (shown by the step page until saved or discarded)."""
    now = dt.datetime.now(dt.UTC).isoformat()
    put_draft(project, step, user(), {"pairs": form_pairs(form), "saved_at": now, "origin": origin, **extra})


def _purpose_form(project: Project) -> tuple[Any, dict[str, Any]]:
    """Step 1's form as the user last left it (their draft, else what is saved), and the draft's data."""
    cat = catalogue()
    form_class = FORMS["purpose"](cat)
    draft = get_draft(project, "purpose", user())
    if draft is not None:
        return form_class(formdata=MultiDict(draft.data["pairs"])), dict(draft.data)
    state = project_state(cat, project.answers, project.visited)
    return form_class(formdata=None, data=LOADERS["purpose"](cat, project.answers, state)), {}


@bp.route("/steps/purpose/tasks/<int:index>/remove", methods=["GET", "POST"])
@rule("project:edit")
def remove_task(project_id: int, index: int) -> Any:
    """Deleting a task without JavaScript: this page asks first; deleting keeps the rest of what was
    typed (the user's draft) and offers to undo it until the step is saved."""
    project = get_project(project_id)
    form, _ = _purpose_form(project)
    back = url_for(".step", project_id=project.id, step="purpose")
    if not 0 <= index < len(form.tasks.entries):
        return redirect(back)
    task = form.tasks.entries[index].form
    if request.method == "GET":
        return render_template(
            "wizard/remove_task.html", project=project, number=index + 1, name=task["name"].data or "",
            description=task["description"].data if "description" in task else "", back=back,
        )  # fmt: skip
    data = form.data
    removed = data["tasks"][index]
    form = FORMS["purpose"](catalogue())(formdata=None, data=apply_row_action(data, f"row:remove:tasks:{index}"))
    keep_draft(project, "purpose", form, "rows", undo={"index": index, "row": removed})
    db().commit()
    return redirect(url_for(".step", project_id=project.id, step="purpose", _anchor="undo-task"))


@bp.post("/steps/purpose/tasks/undo")
@rule("project:edit")
def undo_task_removal(project_id: int) -> BaseResponse:
    """Put the task deleted last back where it was (in the draft; nothing is saved)."""
    project = get_project(project_id)
    form, draft = _purpose_form(project)
    undo = draft.get("undo")
    if isinstance(undo, dict) and isinstance(undo.get("row"), dict):
        data = form.data
        index = min(int(undo.get("index") or 0), len(data["tasks"]))
        data["tasks"].insert(index, undo["row"])
        form = FORMS["purpose"](catalogue())(formdata=None, data=data)
        keep_draft(project, "purpose", form, "rows")
        db().commit()
        anchor = entry_anchor(form, ["tasks", index])
        return redirect(url_for(".step", project_id=project.id, step="purpose", _anchor=anchor or None))
    return redirect(url_for(".step", project_id=project.id, step="purpose"))


def _row_target(action: str) -> list[int | str]:
    """The row to show after a row action (``row:<op>:<path>``): the new or copied row, the moved
    row, or the row that took the removed one's place."""
    parts = action.split(":")
    path: list[int | str] = [int(p) if p.isdigit() else p for p in parts[2:]]
    if path and isinstance(path[-1], int):
        index = path[-1]
        if parts[1] == "up":
            index = max(index - 1, 0)
        elif parts[1] in ("down", "copy"):  # the moved row, or the copy right after its original
            index += 1
        path[-1] = index
    return path
