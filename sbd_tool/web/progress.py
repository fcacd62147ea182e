"""Each project's progress (steps done), stored when the project is saved, so that the projects
list never parses or evaluates answers.

``record_progress`` grades a project as the wizard does (``state.project_state``) and stores the
count in ``Project.steps_done``. It runs for every project the session is about to write whose
answers, visited steps or content version changed (a ``before_flush`` hook on every session), so
create, import, duplicate, save, catalogue adoption and course copies all store it without each
having to remember. Outside the app (a script, a migration) there is no catalogue to grade with:
the column is then set to NULL, which the list reads as "grade when shown".
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from sbd_tool.content import Catalogue
from sbd_tool.storage.models import Project
from sbd_tool.web import releases
from sbd_tool.web.state import project_state

_GRADED = ("answers", "visited", "content_version")


def steps_done(catalogue: Catalogue, answers: dict[str, Any], visited: dict[str, Any]) -> int:
    """How many steps the wizard shows as done for these answers."""
    return project_state(catalogue, answers, visited).done


def record_progress(project: Project, catalogue: Catalogue) -> None:
    """Store the project's progress (call after changing its answers or visited steps)."""
    project.steps_done = steps_done(catalogue, project.answers or {}, project.visited or {})


def _can_grade() -> bool:
    return has_app_context() and "catalogues" in current_app.extensions.get("sbd", {})


def _changed(project: Project) -> bool:
    state = inspect(project)
    if state.pending:
        return True
    return any(state.attrs[name].history.has_changes() for name in _GRADED)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for project in (*session.new, *session.dirty):
        if not isinstance(project, Project) or not _changed(project):
            continue
        if _can_grade():
            record_progress(project, releases.for_project(session, project))
        else:
            project.steps_done = None
