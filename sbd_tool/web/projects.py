"""Projects page: list, create, samples, duplicate, export/import, delete and restore."""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response as BaseResponse
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from sbd_tool.answers import AnswersError, parse_answers
from sbd_tool.storage.models import utcnow
from sbd_tool.web import ROOT
from sbd_tool.web.state import empty_answers, project_state
from sbd_tool.web.store import (
    catalogue,
    create_project,
    db,
    get_project,
    live_projects,
    trashed_projects,
)

bp = Blueprint("projects", __name__)
EXAMPLES = ROOT / "examples"
SAMPLES = {
    "internal-small": "小規模な内部システム（職員のみ・閉域・庁舎内設置）",
    "citizen-portal": "国民向け電子申請ポータル（要配慮個人情報・インターネット）",
    "cloud-interagency": "クラウド上の府省庁間連携システム",
}


class NewProjectForm(FlaskForm):
    name = StringField(
        "情報システムの名称",
        validators=[
            DataRequired("情報システムの名称を入力してください。"),
            Length(max=200, message="名称は200文字以内にしてください。"),
        ],
    )


class ImportForm(FlaskForm):
    file = FileField("回答ファイル（YAML 又は JSON）", validators=[FileRequired("ファイルを選択してください。")])


def _sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))  # dates as ISO strings, as the wizard stores them


@bp.get("/")
def index() -> str:
    cat = catalogue()
    rows = [(p, project_state(cat, p.answers, p.visited)) for p in live_projects()]
    return render_template("projects/index.html", rows=rows, form=NewProjectForm(), samples=SAMPLES)


@bp.post("/projects")
def create() -> BaseResponse | str:
    form = NewProjectForm()
    if not form.validate_on_submit():
        cat = catalogue()
        rows = [(p, project_state(cat, p.answers, p.visited)) for p in live_projects()]
        return render_template("projects/index.html", rows=rows, form=form, samples=SAMPLES), 400  # type: ignore[return-value]
    answers = empty_answers()
    answers["project"]["name"] = form.name.data
    project = create_project(answers)
    return redirect(url_for("wizard.step", project_id=project.id, step="purpose"))


@bp.post("/projects/sample/<name>")
def from_sample(name: str) -> BaseResponse:
    if name not in SAMPLES:
        return redirect(url_for(".index"))
    project = create_project(_sample(name), {s.id: True for s in catalogue().steps.steps})
    flash(f"サンプル「{project.name}」から案件を作成しました。", "success")
    return redirect(url_for("wizard.step", project_id=project.id, step="purpose"))


@bp.post("/projects/<int:project_id>/duplicate")
def duplicate(project_id: int) -> BaseResponse:
    source = get_project(project_id)
    answers = copy.deepcopy(source.answers)
    answers.setdefault("project", {})["name"] = f"{source.name}（複製）"[:200]
    copy_ = create_project(answers, dict(source.visited))
    flash(f"「{source.name}」を複製しました。", "success")
    return redirect(url_for("wizard.step", project_id=copy_.id, step="purpose"))


@bp.post("/projects/<int:project_id>/model-answer")
def model_answer(project_id: int) -> BaseResponse:
    """Mark (or unmark) a project as a model answer that trainees' projects are compared with."""
    project = get_project(project_id)
    project.model_answer = not project.model_answer
    db().commit()
    verb = "模範解答にしました" if project.model_answer else "模範解答から外しました"
    flash(f"「{project.name}」を{verb}。", "success")
    return redirect(url_for("projects.index"))


@bp.get("/projects/<int:project_id>/export")
def export(project_id: int) -> Response:
    project = get_project(project_id)
    text = yaml.safe_dump(project.answers, allow_unicode=True, sort_keys=False)
    filename = f"sbd-project-{project.id}.yaml"
    return Response(
        text,
        mimetype="application/x-yaml",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@bp.route("/projects/import", methods=["GET", "POST"])
def import_file() -> BaseResponse | str:
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            data = yaml.safe_load(raw.decode("utf-8-sig"))
            answers = parse_answers(data, catalogue(), partial=True)
        except (UnicodeDecodeError, yaml.YAMLError):
            problems = ["ファイルを読めません。UTF-8 の YAML 又は JSON の回答ファイルを選択してください。"]
        except AnswersError as exc:
            problems = [str(p) for p in exc.problems]
        else:
            stored = json.loads(json.dumps(data, default=str))
            visited = {s.id: True for s in catalogue().steps.steps} if answers.project.tasks else {}
            project = create_project(stored, visited)
            flash(f"「{project.name}」を取り込みました。", "success")
            return redirect(url_for("wizard.step", project_id=project.id, step="purpose"))
    status = 400 if (problems or form.errors) else 200
    return render_template("projects/import.html", form=form, problems=problems), status  # type: ignore[return-value]


@bp.route("/projects/<int:project_id>/delete", methods=["GET", "POST"])
def delete(project_id: int) -> BaseResponse | str:
    project = get_project(project_id)
    if request.method == "GET":
        return render_template("projects/delete.html", project=project)
    project.deleted_at = utcnow()
    db().commit()
    flash(f"「{project.name}」を削除しました。30日以内であれば「削除した案件」から元に戻せます。", "undo")
    return redirect(url_for(".index", restorable=project.id))


@bp.post("/projects/<int:project_id>/restore")
def restore(project_id: int) -> BaseResponse:
    project = get_project(project_id, deleted=True)
    project.deleted_at = None
    db().commit()
    flash(f"「{project.name}」を元に戻しました。", "success")
    return redirect(url_for(".index"))


@bp.get("/trash")
def trash() -> str:
    return render_template("projects/trash.html", projects=trashed_projects())
