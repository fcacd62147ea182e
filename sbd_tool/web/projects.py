"""Projects page: list, create, samples, duplicate, export/import, delete and restore."""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response as BaseResponse
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from sbd_tool.answers.read import AnswersError, import_answers
from sbd_tool.limits import MAX_DIAGRAM_ELEMENTS, MAX_DIAGRAM_FLOWS, MAX_DIAGRAM_ZONES
from sbd_tool.safe_yaml import load_untrusted
from sbd_tool.storage.models import Project, Review, utcnow
from sbd_tool.web import access, audit, listing
from sbd_tool.web.access import rule, user
from sbd_tool.web.downloads import attachment
from sbd_tool.web.forms import CleanForm
from sbd_tool.web.marks import N_
from sbd_tool.web.paths import ROOT
from sbd_tool.web.state import empty_answers
from sbd_tool.web.store import (
    catalogue,
    create_project,
    db,
    get_project,
    pending_reviews,
    set_project_flags,
    trashed_projects,
)
from sbd_tool.yaml_guards import UnsafeYamlError

bp = Blueprint("projects", __name__)
EXAMPLES = ROOT / "examples"
SAMPLES = {
    "internal-small": N_("小規模な内部システム（職員のみ・閉域・庁舎内設置）"),
    "citizen-portal": N_("国民向け電子申請ポータル（要配慮個人情報・インターネット）"),
    "cloud-interagency": N_("クラウド上の府省庁間連携システム"),
}


class NewProjectForm(CleanForm):
    name = StringField(
        lazy_gettext("情報システムの名称"),
        validators=[
            DataRequired(lazy_gettext("情報システムの名称を入力してください。")),
            Length(max=200, message=lazy_gettext("名称は200文字以内にしてください。")),
        ],
    )


MAX_IMPORT = 1_000_000  # bytes; an answers file is a few tens of kilobytes


class ImportForm(CleanForm):
    file = FileField(
        lazy_gettext("回答ファイル（YAML 又は JSON）"),
        validators=[FileRequired(lazy_gettext("ファイルを選択してください。"))],
    )


bp.add_app_template_global(listing.page_url, "page_url")
bp.add_app_template_global(listing.open_url, "project_open_url")


@bp.app_template_global()
def revision_listing(project: Project) -> listing.Page[listing.RevisionRow]:
    """One page of a project's revisions for the history page (its template calls this), without
    their answers: the history grows by a revision with every save."""
    return listing.revision_page(project, request.args)


@bp.app_template_global()
def diagram_limits() -> dict[str, int]:
    """How many zones, elements and flows one diagram may have (``sbd_tool.limits``, which the
    answers parser enforces), for the step 3 form to state."""
    return {"zones": MAX_DIAGRAM_ZONES, "elements": MAX_DIAGRAM_ELEMENTS, "flows": MAX_DIAGRAM_FLOWS}


def sample_answers(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    stored: dict[str, Any] = json.loads(
        json.dumps(data, default=str)
    )  # dates as ISO strings, as the wizard stores them
    return stored


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


def _kind_for(who: Any) -> str:
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
    project = create_project(answers, user(), kind=_kind_for(user()))
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


@bp.get("/projects/<int:project_id>/export")
@rule("project:read")
def export(project_id: int) -> Response:
    project = get_project(project_id)
    audit.record(db(), "export", project_id=project.id, format="yaml", revision=project.version)
    db().commit()
    text = yaml.safe_dump(project.answers, allow_unicode=True, sort_keys=False)
    filename = f"sbd-project-{project.id}.yaml"
    return attachment(text, filename)


@bp.route("/projects/import", methods=["GET", "POST"])
@rule("create")
def import_file() -> BaseResponse | str:
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_IMPORT + 1)
        try:
            data = load_untrusted(raw, max_bytes=MAX_IMPORT)
            # What the wizard's forms refuse (a NUL, .inf/.nan, a line end in a label) is refused with
            # where it is; what is stored is the cleaned document, never the raw one.
            answers, stored = import_answers(data, catalogue())
        except UnsafeYamlError as exc:
            problems = [str(exc)]
        except AnswersError as exc:
            problems = [str(p) for p in exc.problems]
        else:
            visited = {s.id: True for s in catalogue().steps.steps} if answers.project.tasks else {}
            project = create_project(stored, user(), visited, kind=_kind_for(user()))
            audit.record(db(), "project_import", project_id=project.id, name=project.name)
            db().commit()
            flash(gettext("「%(name)s」を取り込みました。", name=project.name), "success")
            return redirect(url_for("wizard.step", project_id=project.id, step="purpose"))
    status = 400 if (problems or form.errors) else 200
    return render_template("projects/import.html", form=form, problems=problems), status  # type: ignore[return-value]


@bp.route("/projects/<int:project_id>/delete", methods=["GET", "POST"])
@rule("project:edit")
def delete(project_id: int) -> BaseResponse | str:
    project = get_project(project_id)
    if request.method == "GET":
        return render_template("projects/delete.html", project=project)
    set_project_flags(project, deleted_at=utcnow())
    audit.record(db(), "project_delete", project_id=project.id, name=project.name)
    db().commit()
    flash(
        gettext("「%(name)s」を削除しました。30日以内であれば「削除した案件」から元に戻せます。", name=project.name),
        "undo",
    )
    return redirect(url_for(".index", restorable=project.id))


@bp.post("/projects/<int:project_id>/restore")
@rule("project:trashed")
def restore(project_id: int) -> BaseResponse:
    project = get_project(project_id, deleted=True)
    set_project_flags(project, deleted_at=None)
    audit.record(db(), "project_restore", project_id=project.id, name=project.name)
    db().commit()
    flash(gettext("「%(name)s」を元に戻しました。", name=project.name), "success")
    return redirect(url_for(".index"))


@bp.get("/trash")
@rule("signed_in")
def trash() -> str:
    return render_template("projects/trash.html", projects=trashed_projects(user()))
