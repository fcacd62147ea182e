"""Drawing a step page: the step's template with the project, its state and what each step adds
(step 3's picture and problems, step 4's what-if per answer, step 6's open comments)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from sbd_tool.engine.whatif import Change, what_if_by_question
from sbd_tool.storage.models import Project
from sbd_tool.web.review.queries import open_comments
from sbd_tool.web.state import ProjectState
from sbd_tool.web.store import catalogue
from sbd_tool.web.wizard.blueprint import neighbour
from sbd_tool.web.wizard.diagram_rows import diagram_from_form, set_diagram_choices
from sbd_tool.web.wizard.diagram_views import COMPACT_ROWS, picture_url, preview_svg, typed_diagram_problems


def render_step(project: Project, step: str, form: Any, state: ProjectState, status: int = 200, **extra: Any) -> Any:
    """The step page and its status, with what the step shows beside its form."""
    spec = next(s for s in catalogue().steps.steps if s.id == step)
    if step == "diagram":
        set_diagram_choices(catalogue(), form, project.answers)
        data, _ = diagram_from_form(catalogue(), form)
        extra["compact"] = len(data.get("elements") or ()) + len(data.get("flows") or ()) > COMPACT_ROWS
        extra.setdefault("svg_url", picture_url(project, data) if extra["compact"] else None)
        if extra["svg_url"] is None:
            extra.setdefault("svg", preview_svg(catalogue(), data))
        extra["diagram_problems"] = typed_diagram_problems(project, data)
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
        prev_step=neighbour(step, -1),
        next_step=neighbour(step, 1),
        **extra,
    )
    return page, status


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
