"""A project's preview of the active catalogue release (what it would change) and adopting it,
which is a new revision."""

from __future__ import annotations

import copy

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.compare.drift import drift
from sbd_tool.compare.drift_report import cloud_sentences, drift_summary, question_sentence, requirement_sentence
from sbd_tool.web import audit, releases
from sbd_tool.web.access import rule, user
from sbd_tool.web.catalogue.blueprint import bp
from sbd_tool.web.store import catalogue_for, commit_save, db, get_project, save_answers


@bp.route("/projects/<int:project_id>/catalogue-update", methods=["GET", "POST"])
@rule("project:edit")
def project_update(project_id: int) -> BaseResponse | str:
    """What the active release would change for this project; adopting it is a new revision."""
    project = get_project(project_id)
    old = catalogue_for(project)
    new = releases.active(db())
    if old.content_version == new.content_version and project.content_version == new.content_version:
        flash(gettext("この案件は既に最新の対策要件集で評価されています。"), "success")
        return redirect(url_for("wizard.step", project_id=project.id, step="decisions"))
    result = drift(old, new, project.answers)
    if request.method == "POST":
        if request.form.get("version") != new.content_version:
            flash(gettext("確認している間に対策要件集の版が変わりました。もう一度変更点を確認してください。"), "error")
            return redirect(url_for(".project_update", project_id=project.id))
        save_answers(project, copy.deepcopy(project.answers), None, user(), content_version=new.content_version)
        audit.record(db(), "catalogue_adopt", project_id=project.id, version=new.content_version)
        if not commit_save():
            flash(
                gettext(
                    "確認している間に、別の画面（タブ）でこの案件が保存されました。もう一度変更点を確認してください。"
                ),
                "error",
            )
            return redirect(url_for(".project_update", project_id=project.id))
        flash(
            gettext(
                "対策要件集を版 %(version)s に切り替えました（第%(revision)s版）。",
                version=new.content_version,
                revision=project.version,
            ),
            "success",
        )
        return redirect(url_for("wizard.step", project_id=project.id, step="decisions"))
    return render_template(
        "catalogue/project_update.html",
        project=project,
        old=old,
        new=new,
        drift=result,
        summary=drift_summary(result),
        requirement_sentence=requirement_sentence,
        cloud_lines=cloud_sentences(result),
        question_sentence=question_sentence,
        missing=project.content_version != old.content_version,
    )
