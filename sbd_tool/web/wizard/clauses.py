"""Step 6, one requirement's clauses, or one cloud-chapter topic's (``clause_groups``): the officer
rewords a clause for this procurement, adds a clause (to a requirement), or changes a clause's
必須/提案, each with a reason (issue 15 item 4).

Saved like every step: the form names the version it read, a save is a new revision, and a save
that lost the race to another tab is refused with the input kept (409), on the conflict page of the
step pages (``conflicts``): what differs in this page's clauses, keep mine, take theirs or merge.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.answers.tailoring import added_key
from sbd_tool.compare.clause_changes import numbers_as_printed
from sbd_tool.storage.models import Project
from sbd_tool.web import audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.state import ProjectState, project_state
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

bp = Blueprint(
    "clauses", __name__, url_prefix="/projects/<int:project_id>/steps/decisions", template_folder="templates"
)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"changed_clauses": changed_clauses, "cloud_topics": cg.cloud_topics}


def changed_clauses(answers: dict[str, Any], state: ProjectState, rid: str) -> tuple[int, int]:
    """How many of a requirement's clauses are reworded or added, and how many of those the
    specification does not print (step 6 says both on the requirement's row)."""
    tailoring = answers.get("tailoring") or {}
    mine = [str(key) for key in tailoring if str(key).startswith(f"{rid}.")]
    mine += [added_key(rid, j + 1) for j in range(len(cf.added_of(answers, rid)))]
    if not mine or state.evaluation is None or state.answers is None:
        return len(mine), 0
    if "printed_numbers" not in g:  # the document model is built once per page, and only when needed
        g.printed_numbers = numbers_as_printed(catalogue(), state.answers, state.evaluation)
    return len(mine), sum(1 for key in mine if key not in g.printed_numbers)


def _page(project: Project, gid: str) -> cg.ClauseGroup | None:
    """The page's group of printed clauses (a requirement's or a cloud topic's); None when the
    answers are not complete enough to know them. A cloud topic off a cloud procurement is 404."""
    cat = catalogue()
    state = project_state(cat, project.answers, project.visited)
    if state.evaluation is None or state.answers is None:
        return None
    group = cg.clause_group(cat, state.answers, state.evaluation, gid)
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
    if request.method == "POST":
        return _post(project, group)
    form_class = _form_class(group, len(cf.added_of(project.answers, rid)))
    draft = get_draft(project, _draft_key(rid), user())
    if draft is not None:  # what this user typed and did not save (autosaved by the page)
        form = form_class(formdata=MultiDict(draft.data["pairs"]))
    else:
        form = form_class(formdata=None, data=cf.load(project.answers, group.clauses, rid))
    form.version.data = str(project.version)
    return _render(project, group, form, restored=draft is not None)


def _form_class(group: cg.ClauseGroup, added: int) -> type[Any]:
    return cf.clause_form(group.clauses, added, new=not group.cloud)


def _post(project: Project, group: cg.ClauseGroup) -> Any:
    """The page's POST: a save, or a choice on the conflict page (another tab saved first)."""
    form = _form_class(group, cf.added_rows(request.form))()  # the rows the page had
    action = request.form.get("action", "save")
    stale = form.version.data != str(project.version)
    shown = " ".join(c.key for c in group.clauses)
    if stale and request.form.get("clause_keys", shown) != shown:
        # Another decided level meanwhile: the page's rows were other clauses, so they cannot be
        # compared field by field. Refused with the input kept (the user reloads and redoes it).
        return _render(project, group, form, status=409, conflict=True, moved=True)
    if action == "conflict:show":  # the page's autosave was refused as stale: show what differs
        return _conflict(project, group, form) if stale else _render(project, group, form)
    if action.startswith("conflict:"):
        return _resolve(project, group, form, action)
    if stale:
        return _conflict(project, group, form)
    return _save(project, group, form, action)


def _save(project: Project, group: cg.ClauseGroup, form: Any, action: str, note: str | None = None) -> Any:
    """Validate and save the page's clauses as a new revision (the form names the version it read)."""
    cat, rid, clauses = catalogue(), group.id, group.clauses
    if not form.validate():
        return _render(project, group, form, status=400)
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
        return _conflict(project, group, form)
    delete_draft(project, _draft_key(rid), user())
    db().commit()
    flash(note or gettext("条項を保存しました。"), "success")
    if action == "back":
        return redirect(url_for("wizard.step", project_id=project.id, step="decisions", _anchor=group.anchor))
    return redirect(url_for(".edit", project_id=project.id, rid=rid))


def _storing(project: Project, group: cg.ClauseGroup, form: Any) -> Store | None:
    """How the page stores the user's input into any version's answers; None (the problems put on
    their fields) when it cannot be stored."""
    if not form.validate():
        return None
    answers, rows = cf.store(project.answers, form, group.clauses, group.id)
    errors = cf.problems(catalogue(), answers, form, group.clauses, rows)
    for field, message in errors:
        field.errors = [*field.errors, message]
    if errors:
        return None
    return lambda answers: cf.store(answers, form, group.clauses, group.id)[0]


def _conflict(project: Project, group: cg.ClauseGroup, form: Any) -> Any:
    """The conflict page (409): the input stays in the form; above it, field by field, what differs
    in this group's clauses from the version saved meanwhile, and the choice (as on a step page)."""
    view = conflict_view(catalogue(), project, str(form.version.data or ""), _storing(project, group, form))
    return _render(project, group, form, status=409, conflict=True, conflict_view=view | {"clauses": True})


def _resolve(project: Project, group: cg.ClauseGroup, form: Any, action: str) -> Any:
    """Keep the input (saved over the current version), take the saved version, or merge per field;
    about the version the conflict page showed, else the new differences are shown."""
    choice = conflict_choice(project, action)
    if choice is None:
        return _conflict(project, group, form)  # saved again meanwhile
    if choice == "theirs":
        return take_theirs(project, _draft_key(group.id), url_for(".edit", project_id=project.id, rid=group.id))
    form.version.data = str(project.version)
    if choice != "merge":
        return _save(project, group, form, "save", kept_mine_note())
    storing = _storing(project, group, form)
    if storing is None:
        return _conflict(project, group, form)
    merged = merged_answers(catalogue(), project, storing(project.answers))
    form_class = _form_class(group, len(cf.added_of(merged, group.id)))
    built = form_class(formdata=None, data=cf.load(merged, group.clauses, group.id))
    pairs = [*form_pairs(built), ["csrf_token", request.form.get("csrf_token", "")]]
    merged_form = form_class(formdata=MultiDict([(k, v) for k, v in pairs if k != "version"]))
    merged_form.version.data = str(project.version)
    return _save(project, group, merged_form, "save", merged_note())


def _render(
    project: Project,
    group: cg.ClauseGroup,
    form: Any,
    status: int = 200,
    conflict: bool = False,
    restored: bool = False,
    conflict_view: dict[str, Any] | None = None,
    moved: bool = False,
) -> Any:
    cat = catalogue()
    rid = group.id
    printed = {c.key for c in group.clauses}
    tailoring = project.answers.get("tailoring") or {}
    hidden = [  # tailored clauses of a level above the decided one (or not printed here): kept, not printed
        (key, item) for key, item in tailoring.items() if key.startswith(f"{rid}.") and key not in printed
    ]
    added = 0 if group.cloud else cf.added_rows(form)  # the form's rows: the user's, on a conflict
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
        conflict_view=conflict_view,
        moved=moved,
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
    if request.form.get("version", "") != str(project.version):
        # A tab opened on an older version: its draft would pass for the newer one. Refused; the
        # page offers the conflict page instead (as a step page's autosave).
        return Response("stale", status=409, mimetype="text/plain")
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
