"""A project's answers as a file: exported as YAML, imported from YAML or JSON (checked and
cleaned before anything is stored)."""

from __future__ import annotations

import yaml
from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.answers.read import AnswersError, import_answers
from sbd_tool.safe_yaml import load_untrusted
from sbd_tool.web import audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.downloads import attachment
from sbd_tool.web.projects.blueprint import bp
from sbd_tool.web.projects.forms import MAX_IMPORT, ImportForm
from sbd_tool.web.projects.views import kind_for
from sbd_tool.web.store import catalogue, create_project, db, get_project
from sbd_tool.yaml_guards import UnsafeYamlError


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
            project = create_project(stored, user(), visited, kind=kind_for(user()))
            audit.record(db(), "project_import", project_id=project.id, name=project.name)
            db().commit()
            flash(gettext("「%(name)s」を取り込みました。", name=project.name), "success")
            return redirect(url_for("wizard.step", project_id=project.id, step="purpose"))
    status = 400 if (problems or form.errors) else 200
    return render_template("projects/import.html", form=form, problems=problems), status  # type: ignore[return-value]
