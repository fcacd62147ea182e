"""The seven step pages: load the stored answers into a form, validate, save, redirect (PRG)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.assessment import assess, specification
from sbd_tool.compare.exercise import compare
from sbd_tool.compare.revision_diff import diff_revisions, merge_documents
from sbd_tool.diagram.draft import diagram_data, diagram_problems, generate_from_matrix, layout
from sbd_tool.diagram.draw import to_svg
from sbd_tool.document import render_docx
from sbd_tool.document.blocks import OUTPUT_NAMES
from sbd_tool.document.compliance import compliance_xlsx
from sbd_tool.document.text_render import render_html, render_markdown
from sbd_tool.engine.whatif import Change, change_sentence, what_if, what_if_by_question
from sbd_tool.storage.models import Project
from sbd_tool.web import audit, forms
from sbd_tool.web.access import can_edit, rule, user
from sbd_tool.web.downloads import ascii_filename, attachment, document_filename, requested_output
from sbd_tool.web.formpairs import entry_anchor, form_pairs
from sbd_tool.web.review.queries import open_comments
from sbd_tool.web.rows import apply_row_action
from sbd_tool.web.state import ProjectState, project_state
from sbd_tool.web.steps import LOADERS, STORERS, diagram_form_data, diagram_from_form, set_diagram_choices
from sbd_tool.web.store import (
    catalogue,
    commit_save,
    db,
    delete_draft,
    get_draft,
    get_project,
    get_revision_or_none,
    put_draft,
    save_answers,
    trainer_ids,
)

bp = Blueprint("wizard", __name__, url_prefix="/projects/<int:project_id>")
FORMS = {
    "purpose": forms.purpose_form,
    "features": forms.features_form,
    "diagram": forms.diagram_form,
    "questions": forms.questions_form,
    "decisions": forms.decisions_form,
    "output": forms.output_form,
}
READ_ONLY = ("conditions",)


def _step_ids() -> list[str]:
    return [s.id for s in catalogue().steps.steps]


def _neighbour(step: str, offset: int) -> str | None:
    ids = _step_ids()
    i = ids.index(step) + offset
    return ids[i] if 0 <= i < len(ids) else None


def _render(project: Project, step: str, form: Any, state: ProjectState, status: int = 200, **extra: Any) -> Any:
    spec = next(s for s in catalogue().steps.steps if s.id == step)
    if step == "diagram":
        set_diagram_choices(catalogue(), form, project.answers)
        data, _ = diagram_from_form(catalogue(), form)
        extra["compact"] = len(data.get("elements") or ()) + len(data.get("flows") or ()) > COMPACT_ROWS
        extra.setdefault("svg_url", picture_url(project, data) if extra["compact"] else None)
        if extra["svg_url"] is None:
            extra.setdefault("svg", preview_svg(catalogue(), data))
        extra["diagram_problems"] = _diagram_problems(project, data)
    if step == "decisions":
        extra["comments"] = open_comments(project)
    if step == "questions":
        extra["whatif_answers"] = _whatif_by_answer(catalogue(), state)
    page = render_template(
        f"wizard/{step}.html",
        project=project,
        step=spec,
        form=form,
        state=state,
        cat=catalogue(),
        prev_step=_neighbour(step, -1),
        next_step=_neighbour(step, 1),
        **extra,
    )
    return page, status


@bp.route("/steps/<step>", methods=["GET", "POST"])
@rule("project:edit")
def step(project_id: int, step: str) -> Any:
    if step not in _step_ids():
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
            return _render(project, step, form, state, restored=True, **extra)
        form = form_class(formdata=None, data=LOADERS[step](cat, project.answers, state))
        form.version.data = str(project.version)
        return _render(project, step, form, state)

    form = form_class()
    action = request.form.get("action", "save")
    removal = re.fullmatch(r"row:remove:tasks:(\d+)", action) if step == "purpose" else None
    if removal is not None and request.form.get("version", "") == str(project.version):
        # Deleting a task asks first (without JavaScript: on a page of its own; sbd-undo.js asks in place).
        _keep_draft(project, step, form, "rows")
        return redirect(url_for(".remove_task", project_id=project.id, index=int(removal.group(1))))
    if action in ("diagram:generate", "diagram:clear") or action.startswith("row:"):
        return _edit_as_draft(project, step, form_class, form, state, action)
    if action == "conflict:show":  # the page's autosave was refused as stale: show what differs
        stale = form.version.data != str(project.version)
        return _conflict(project, step, form) if stale else _render(project, step, form, state)
    if action.startswith("conflict:"):
        return _resolve_conflict(project, step, form_class, form, state, action)
    if form.version.data != str(project.version):
        return _conflict(project, step, form)
    return _save(project, step, form, state, action)


def _save(project: Project, step: str, form: Any, state: ProjectState, action: str, note: str | None = None) -> Any:
    """Validate and save a step's form as a new revision (the form names the version it read)."""
    cat = catalogue()
    valid = form.validate()
    extra_errors = STORERS[step].check(cat, form, state)  # all problems at once, not in rounds
    if not valid or extra_errors:
        for field, message in extra_errors:
            field.errors = [*field.errors, message]
        return _render(project, step, form, state, status=400)
    answers = STORERS[step].store(cat, copy.deepcopy(project.answers), form)
    if not _commit_revision(project, answers, step):
        return _conflict(project, step, form)
    flash(note or gettext("保存しました。"), "success")
    return _after_save(project, step, action)


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


def _conflict(project: Project, step: str, form: Any) -> Any:
    """The conflict page (409): the user's input stays in the form; above it, field by field, what
    differs from the version saved meanwhile, with the choice to keep theirs, take the other or merge."""
    cat = catalogue()
    state = project_state(cat, project.answers, project.visited)
    view = _conflict_view(cat, project, step, form, state)
    return _render(project, step, form, state, status=409, conflict=True, conflict_view=view)


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


def _resolve_conflict(project: Project, step: str, form_class: Any, form: Any, state: ProjectState, action: str) -> Any:
    """The choice made on the conflict page, about the version it showed (``conflict_base``):
    keep the user's input (saved over the current version as a new revision), take the saved
    version (the input is dropped), or merge field by field (per changed field, mine or theirs)."""
    if request.form.get("conflict_base", "") != str(project.version):
        return _conflict(project, step, form)  # saved again meanwhile: show the new differences
    choice = action.removeprefix("conflict:")
    if choice == "theirs":
        delete_draft(project, step, user())
        flash(gettext("保存済みの内容を表示しています（この画面の入力は破棄しました）。"), "success")
        return redirect(url_for(".step", project_id=project.id, step=step))
    form.version.data = str(project.version)
    if choice != "merge":
        return _save(project, step, form, state, "save", gettext("あなたの入力で上書きして保存しました（新しい版）。"))
    cat = catalogue()
    if not form.validate() or STORERS[step].check(cat, form, state):
        return _conflict(project, step, form)
    mine = STORERS[step].store(cat, copy.deepcopy(project.answers), form)
    changes = diff_revisions(cat, project.answers, mine).fields
    take = [c.where for c in changes if request.form.get(f"pick:{c.where}", "mine") != "theirs"]
    merged = merge_documents(project.answers, mine, take)
    built = form_class(formdata=None, data=LOADERS[step](cat, merged, project_state(cat, merged, project.visited)))
    pairs = [*form_pairs(built), ["csrf_token", request.form.get("csrf_token", "")]]
    merged_form = form_class(formdata=MultiDict([(k, v) for k, v in pairs if k != "version"]))
    merged_form.version.data = str(project.version)
    return _save(project, step, merged_form, state, "save", gettext("選んだとおりに統合して保存しました（新しい版）。"))


# Shown above the diagram after a redirect from these actions (the result is the user's draft).
DRAFT_NOTES = {
    "diagram:generate": "業務の特徴から図を作成しました（まだ保存していません）。確認し、「保存」で確定してください。"
    "元の図に戻すには「下書きを破棄する」を押してください。",
    "diagram:clear": "図を空にしました（まだ保存していません）。「保存」で確定します。"
    "元の図に戻すには「下書きを破棄する」を押してください。",
}


def _edit_as_draft(project: Project, step: str, form_class: Any, form: Any, state: ProjectState, action: str) -> Any:
    """Change the form on the server without saving (a row added, moved or removed without
    JavaScript; a diagram generated from step 2 or cleared): the result is kept as the user's draft
    of the step and the browser is sent to the step page, which shows it (post/redirect/get, so
    Back and reload never ask to send the form again). A page older than the saved version gets
    the conflict page instead: its draft would otherwise pass for the newer version."""
    if request.form.get("version", "") != str(project.version):
        return _conflict(project, step, form)
    anchor = ""
    if action.startswith("row:"):
        form = form_class(formdata=None, data=apply_row_action(form.data, action))
        anchor = entry_anchor(form, _row_target(action))
    else:
        fresh = None if action == "diagram:clear" else _generated(catalogue(), project, state)
        form = form_class(formdata=None, data=diagram_form_data(fresh))
        action = action if fresh else "diagram:clear"
    _keep_draft(project, step, form, action if action in DRAFT_NOTES else "rows")
    return redirect(url_for(".step", project_id=project.id, step=step, _anchor=anchor or None))


def _keep_draft(project: Project, step: str, form: Any, origin: str, **extra: Any) -> None:
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
    _keep_draft(project, "purpose", form, "rows", undo={"index": index, "row": removed})
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
        _keep_draft(project, "purpose", form, "rows")
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


def _whatif_by_answer(cat: Any, state: ProjectState) -> dict[str, list[tuple[Any, list[Change]]]] | None:
    """For step 4, per question: each alternative answer that moves some proposed level, with the
    levels it moves, for every question asked (from the saved answers; None while some question
    is unanswered)."""
    if state.answers is None or state.evaluation is None or state.evaluation.missing:
        return None
    moving = what_if_by_question(cat, state.answers, state.evaluation)
    out: dict[str, list[tuple[Any, list[Change]]]] = {}
    for qid, resolved in state.evaluation.answers.items():
        if resolved.source == "not_applicable":
            continue  # not asked: nothing to change
        changes = moving.get(qid, [])
        by_alternative: dict[Any, list[Change]] = {}
        for change in changes:
            by_alternative.setdefault(change.alternative, []).append(change)
        out[qid] = list(by_alternative.items())
    return out


def _commit_revision(project: Project, answers: dict[str, Any], step: str) -> bool:
    """Save as a new revision; False (nothing saved) when another save of the project landed first."""
    revision = save_answers(project, answers, step, user())
    audit.record(db(), "revision", project_id=project.id, revision=revision.number, step=step)
    return commit_save()


def _after_save(project: Project, step: str, action: str) -> BaseResponse:
    target = step
    if action == "next":
        target = _neighbour(step, 1) or step
    elif action == "prev":
        target = _neighbour(step, -1) or step
    elif action.startswith("goto:") and action[5:] in _step_ids():
        target = action[5:]
    return redirect(url_for(".step", project_id=project.id, step=target))


def _read_only_step(project: Project, step: str, state: ProjectState) -> Any:
    form = forms.WizardForm()
    if request.method == "GET":
        form.version.data = str(project.version)
        return _render(project, step, form, state)
    if not form.validate() or form.version.data != str(project.version):
        return _render(project, step, form, state, status=409, conflict=True)
    if not _commit_revision(project, copy.deepcopy(project.answers), step):
        return _render(project, step, form, state, status=409, conflict=True)
    return _after_save(project, step, request.form.get("action", "next"))


def _generated(cat: Any, project: Project, state: ProjectState) -> dict[str, Any] | None:
    if state.answers is None:
        return None
    return diagram_data(generate_from_matrix(cat, state.answers))


def preview_svg(cat: Any, data: dict[str, Any]) -> Markup | None:
    """The diagram as typed so far, drawn; None while it has errors (they are shown instead)."""
    try:
        diagram = parse_answers({"format": "sbd-tool/answers@1", "diagram": data}, cat, partial=True).diagram
    except AnswersError:
        return None
    if diagram is None or not (diagram.zones or diagram.elements):
        return None
    return Markup(to_svg(layout(cat, diagram)))


# Above this many element and flow rows, step 3 is "compact": the fixed lists are shared
# datalists and the picture is an <img> of its own URL, not inline (a 300-element SVG is 200 KB).
COMPACT_ROWS = 120


def _parsed_diagram(cat: Any, data: Any) -> Any:
    try:
        return parse_answers({"format": "sbd-tool/answers@1", "diagram": data}, cat, partial=True).diagram
    except AnswersError:
        return None


def _picture_digest(project: Project) -> str:
    stored = json.dumps(project.answers.get("diagram"), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{catalogue().content_version}\0{stored}".encode()).hexdigest()[:20]


def picture_url(project: Project, data: dict[str, Any]) -> str | None:
    """The URL of the stored diagram's picture when the page shows exactly the stored diagram (a
    draft or a refused save shows what was typed: inline, as before); None otherwise."""
    cat = catalogue()
    shown = _parsed_diagram(cat, data)
    if (
        shown is None
        or not (shown.zones or shown.elements)
        or shown != _parsed_diagram(cat, project.answers.get("diagram"))
    ):
        return None
    return url_for("wizard.diagram_picture", project_id=project.id, v=_picture_digest(project))


@bp.get("/steps/diagram/picture.svg")
@rule("project:edit")
def diagram_picture(project_id: int) -> BaseResponse:
    """The stored diagram as an SVG file, for a large diagram's step page (``picture_url``). The
    URL carries a digest of the diagram, so the browser may keep it; the ETag answers a reload."""
    project = get_project(project_id)
    diagram = _parsed_diagram(catalogue(), project.answers.get("diagram"))
    if diagram is None or not (diagram.zones or diagram.elements):
        abort(404)
    response = Response(to_svg(layout(catalogue(), diagram)), mimetype="image/svg+xml")
    response.set_etag(_picture_digest(project))
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.make_conditional(request)  # 304 when the browser has this one
    return response


def _diagram_problems(project: Project, data: dict[str, Any]) -> list[str]:
    cat = catalogue()
    try:
        answers = parse_answers({**project.answers, "diagram": data}, cat, partial=True)
    except AnswersError:
        return []
    return diagram_problems(cat, answers)


@bp.post("/steps/diagram/preview")
@rule("project:edit")
def diagram_preview(project_id: int) -> Response:
    """The SVG for the diagram as now typed (the page's script calls this after each change)."""
    project = get_project(project_id)
    cat = catalogue()
    form = forms.diagram_form(cat)()
    set_diagram_choices(cat, form, project.answers)
    data, _ = diagram_from_form(cat, form)
    svg = preview_svg(cat, data)
    body = (
        str(svg)
        if svg is not None
        else '<p class="help">図に誤りがあるため表示できません。保存すると誤りの箇所が示されます。</p>'
    )
    return Response(body, mimetype="text/html")


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
    return Response(status=204)


@bp.post("/steps/<step>/draft/discard")
@rule("project:edit")
def discard_draft(project_id: int, step: str) -> BaseResponse:
    if step not in FORMS:
        abort(404)
    delete_draft(get_project(project_id), step, user())
    flash(gettext("下書きを破棄し、保存済みの内容を表示しています。"), "success")
    return redirect(url_for(".step", project_id=project_id, step=step))


def _ready_model(project_id: int) -> Any:
    """The document model when the project can be output (the one verdict of ``assess``), else a
    redirect to step 7, which lists what is missing."""
    project = get_project(project_id)
    assessment = assess(catalogue(), project.answers)
    if not assessment.ready:
        flash(
            gettext(
                "未回答の設問や理由のない引下げがあるため、仕様書を出力できません。各手順の表示を確認してください。"
            ),
            "error",
        )
        return None, redirect(url_for(".step", project_id=project_id, step="output"))
    return specification(assessment, dt.date.today()), None


def _exported(project_id: int, kind: str, output: str | None = None) -> None:
    extra: dict[str, Any] = {"output": output} if output else {}
    audit.record(db(), "export", project_id=project_id, format=kind, revision=get_project(project_id).version, **extra)
    db().commit()


def _named(data: bytes | str, project_id: int, kind: str, extension: str) -> Response:
    """The download named after the procurement, what it is and the revision:
    「補助金電子申請システム_情報セキュリティ要件_第12版.docx」."""
    project = get_project(project_id)
    what = "対応表" if kind == "matrix" else OUTPUT_NAMES[kind]
    name = document_filename(project.name, what, project.version, extension)
    return attachment(data, name, ascii_filename(kind, project_id, project.version, extension))


@bp.get("/compliance.xlsx")
@rule("project:read")
def download_matrix(project_id: int) -> Any:
    """The compliance matrix (対応表) for bidders, from the same model as the Word spec."""
    model, redirect_to = _ready_model(project_id)
    if redirect_to is not None:
        return redirect_to
    _exported(project_id, "xlsx")
    return _named(compliance_xlsx(model), project_id, "matrix", "xlsx")


@bp.get("/spec.<kind>")
@rule("project:read")
def download_text(project_id: int, kind: str) -> Any:
    """One of the three outputs as Markdown or as an HTML page, for readers without Word."""
    if kind not in ("md", "html"):
        abort(404)
    output = requested_output()
    model, redirect_to = _ready_model(project_id)
    if redirect_to is not None:
        return redirect_to
    _exported(project_id, kind, output)
    if kind == "md":
        return _named(render_markdown(model, output), project_id, output, "md")
    # A standalone page: its own inline styles and embedded diagram, no scripts at all.
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
    return Response(
        render_html(model, output), mimetype="text/html; charset=utf-8", headers={"Content-Security-Policy": policy}
    )


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


@bp.get("/spec.docx")
@rule("project:read")
def download(project_id: int) -> Response:
    """One of the three Word outputs (``?output=``), built by the same core as ``sbd-tool generate``."""
    output = requested_output()
    model, redirect_to = _ready_model(project_id)
    if redirect_to is not None:
        return redirect_to  # type: ignore[no-any-return]
    _exported(project_id, "docx", output)
    return _named(render_docx(model, kind=output), project_id, output, "docx")
