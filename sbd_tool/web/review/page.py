"""The review page: the step-6 table of the reviewed revision with its reasons, the comments and
the adviser's decision."""

from __future__ import annotations

from typing import Any

from flask import render_template

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.assessment import assess
from sbd_tool.compare.clause_changes import clause_edits
from sbd_tool.engine.rules import evaluate
from sbd_tool.storage.models import Revision
from sbd_tool.web.access import can_edit, rule, user
from sbd_tool.web.review.blueprint import STATUS_LABELS, bp
from sbd_tool.web.review.forms import CommentForm, DecideForm
from sbd_tool.web.review.queries import approved_review, latest_review, threads
from sbd_tool.web.store import catalogue_of, get_project, get_revision


def _evaluated(revision: Revision) -> tuple[Any, Any]:
    cat = catalogue_of(revision)
    try:
        answers = parse_answers(revision.answers, cat, partial=True)
    except AnswersError:
        return None, None
    return answers, evaluate(cat, answers)


@bp.get("/review")
@rule("project:read")
def review(project_id: int) -> str:
    """The review page: the step-6 table of the reviewed revision with reasons, comments, decision."""
    project = get_project(project_id)
    current = latest_review(project)
    number = current.revision_number if current else project.version
    revision = get_revision(project, number)
    answers, evaluation = _evaluated(revision)
    top, replies = threads(project)
    can_decide = bool(current and current.status == "pending" and current.adviser_id == user().id)
    decide_form = DecideForm(formdata=None, data={"revision": str(number)})
    # Parameters the printed clauses leave open (「発注者が指定する…」): the adviser sees them too.
    left_open = assess(catalogue_of(revision), revision.answers).open_parameters if evaluation is not None else ()
    return render_template(
        "review/review.html",
        project=project,
        open_parameters=left_open,
        cat=catalogue_of(revision),
        review=current,
        revision=revision,
        evaluation=evaluation,
        ready=answers is not None and evaluation is not None and not evaluation.missing,
        top=top,
        replies=replies,
        can_decide=can_decide,
        decide_form=decide_form,
        comment_form=CommentForm(formdata=None),
        approved=approved_review(project),
        current_approved=approved_review(project, project.version) is not None,
        status_labels=STATUS_LABELS,
        editable=can_edit(user(), project),
        clause_edits=clause_edits(catalogue_of(revision), answers, evaluation) if answers and evaluation else {},
    )
