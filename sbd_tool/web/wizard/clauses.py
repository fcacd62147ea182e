"""Step 6, one requirement's clauses, or one cloud-chapter topic's (``clause_groups``): the officer
rewords a clause for this procurement, adds a clause (to a requirement), or changes a clause's
必須/提案, each with a reason (issue 15 item 4).

Saved like every step: the form names the version it read, a save is a new revision, and a save
that lost the race to another tab is refused with the input kept (409).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.compare.clause_changes import printed_numbers
from sbd_tool.storage.models import Project
from sbd_tool.web import audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.state import project_state
from sbd_tool.web.store import (
    catalogue,
    commit_save,
    db,
    delete_draft,
    get_draft,
    get_project,
    put_draft,
    save_answers,
)
from sbd_tool.web.wizard import clause_form as cf
from sbd_tool.web.wizard import clause_groups as cg

bp = Blueprint(
    "clauses", __name__, url_prefix="/projects/<int:project_id>/steps/decisions", template_folder="templates"
)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"changed_clauses": changed_clauses, "cloud_topics": cg.cloud_topics}


def changed_clauses(answers: dict[str, Any], evaluation: Any, rid: str) -> tuple[int, int]:
    """How many of a requirement's clauses are reworded or added, and how many of those the
    decided level does not print (step 6 says both on the requirement's row)."""
    tailoring = answers.get("tailoring") or {}
    mine = [str(key) for key in tailoring if str(key).startswith(f"{rid}.")]
    added = cf.added_of(answers, rid)
    if evaluation is None:
        return len(mine) + len(added), 0
    printed, _ = printed_numbers(catalogue(), evaluation, rid)
    hidden = sum(1 for key in mine if key not in printed) + (len(added) if not printed else 0)
    return len(mine) + len(added), hidden


def _page(project: Project, gid: str) -> cg.ClauseGroup | None:
    """The page's group of printed clauses (a requirement's or a cloud topic's); None when the
    answers are not complete enough to know them. A cloud topic off a cloud procurement is 404."""
    cat = catalogue()
    state = project_state(cat, project.answers, project.visited)
    if state.evaluation is None:
        return None
    group = cg.clause_group(cat, state.evaluation, gid)
    if group is None:
        abort(404)
    return group


@bp.route("/<rid>/clauses", methods=["GET", "POST"])
@rule("project:edit")
def edit(project_id: int, rid: str) -> Any:
    """The clause page of a requirement (``AT-1``) or of a cloud-chapter topic (``cloud.exit``)."""
    cat = catalogue()
    if not cg.known(cat, rid):
        abort(404)
    project = get_project(project_id)
    group = _page(project, rid)
    if group is None:
        flash(gettext("未回答の設問があるため、条項を編集できません。手順4を確認してください。"), "error")
        return redirect(url_for("wizard.step", project_id=project_id, step="questions"))
    clauses = group.clauses
    form_class = cf.clause_form(clauses, len(cf.added_of(project.answers, rid)), new=not group.cloud)
    if request.method == "GET":
        draft = get_draft(project, _draft_key(rid), user())
        if draft is not None:  # what this user typed and did not save (autosaved by the page)
            form = form_class(formdata=MultiDict(draft.data["pairs"]))
        else:
            form = form_class(formdata=None, data=cf.load(project.answers, clauses, rid))
        form.version.data = str(project.version)
        return _render(project, group, form, restored=draft is not None)
    form = form_class()
    if form.version.data != str(project.version):
        return _render(project, group, form, status=409, conflict=True)
    if not form.validate():
        return _render(project, group, form, status=400)
    action = request.form.get("action", "save")
    remove = int(action[7:]) if action.startswith("remove:") and action[7:].isdigit() else None
    if action.startswith("revert:"):
        for c in clauses:
            if f"c{c.index}" == action[7:]:
                form[f"text_c{c.index}"].data, form[f"reason_c{c.index}"].data = c.catalogue_text, ""
    answers, rows = cf.store(project.answers, form, clauses, rid, remove)
    dropped = action[5:] if action.startswith("drop:") and action[5:].startswith(f"{rid}.") else None
    if dropped is not None and dropped in (answers.get("tailoring") or {}):  # a change that is not printed
        del answers["tailoring"][dropped]
        if not answers["tailoring"]:
            del answers["tailoring"]
    errors = cf.problems(cat, answers, form, clauses, rows)
    if errors:
        for field, message in errors:
            field.errors = [*field.errors, message]
        return _render(project, group, form, status=400)
    revision = save_answers(project, answers, "decisions", user())
    audit.record(db(), "revision", project_id=project.id, revision=revision.number, step="decisions")
    if not commit_save():
        return _render(project, group, form, status=409, conflict=True)
    delete_draft(project, _draft_key(rid), user())
    db().commit()
    flash(gettext("条項を保存しました。"), "success")
    if action == "back":
        return redirect(url_for("wizard.step", project_id=project_id, step="decisions", _anchor=group.anchor))
    return redirect(url_for(".edit", project_id=project_id, rid=rid))


def _render(
    project: Project,
    group: cg.ClauseGroup,
    form: Any,
    status: int = 200,
    conflict: bool = False,
    restored: bool = False,
) -> Any:
    cat = catalogue()
    rid = group.id
    printed = {c.key for c in group.clauses}
    tailoring = project.answers.get("tailoring") or {}
    hidden = [  # tailored clauses of a level above the decided one (or not printed here): kept, not printed
        (key, item) for key, item in tailoring.items() if key.startswith(f"{rid}.") and key not in printed
    ]
    added = 0 if group.cloud else len(cf.added_of(project.answers, rid))
    page = render_template(
        "wizard/clauses.html",
        project=project,
        cat=cat,
        group=group,
        req=group.requirement,
        outcome=group.outcome,
        form=form,
        clauses=group.clauses,
        added=[(j, cf.added_number(rid, group.before, j)) for j in range(added)],
        new_number=cf.added_number(rid, group.before, added),
        hidden=hidden,
        conflict=conflict,
        restored=restored,
        obligations_supported=cf.OBLIGATIONS_SUPPORTED,
    )
    return page, status


def _draft_key(rid: str) -> str:
    """The draft's step name: one draft per requirement's clause page (and user)."""
    return f"clauses:{rid}"


@bp.post("/<rid>/clauses/draft")
@rule("project:edit")
def save_draft(project_id: int, rid: str) -> Response:
    """Autosave: the page posts what is typed; it survives a closed tab until saved or discarded."""
    if not cg.known(catalogue(), rid):
        abort(404)
    project = get_project(project_id)
    pairs = [[k, v] for k, v in request.form.items(multi=True) if k not in ("csrf_token", "action")]
    put_draft(project, _draft_key(rid), user(), {"pairs": pairs, "saved_at": dt.datetime.now(dt.UTC).isoformat()})
    db().commit()
    return Response(status=204)


@bp.post("/<rid>/clauses/draft/discard")
@rule("project:edit")
def discard_draft(project_id: int, rid: str) -> BaseResponse:
    if not cg.known(catalogue(), rid):
        abort(404)
    delete_draft(get_project(project_id), _draft_key(rid), user())
    db().commit()
    flash(gettext("下書きを破棄し、保存済みの内容を表示しています。"), "success")
    return redirect(url_for(".edit", project_id=project_id, rid=rid))
