"""The request's database session and project look-ups: one transaction per request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import Session

from sbd_tool.content import Catalogue
from sbd_tool.storage.models import Project, StepDraft, utcnow

TRASH_DAYS = 30


def db() -> Session:
    if "db" not in g:
        g.db = current_app.extensions["sbd"]["sessions"]()
    session: Session = g.db
    return session


def catalogue() -> Catalogue:
    cat: Catalogue = current_app.extensions["sbd"]["catalogue"]
    return cat


def get_project(project_id: int, *, deleted: bool = False) -> Project:
    project = db().get(Project, project_id)
    if project is None or (project.deleted_at is not None) != deleted:
        abort(404)
    return project


def live_projects() -> list[Project]:
    query = select(Project).where(Project.deleted_at.is_(None)).order_by(Project.updated_at.desc())
    return list(db().scalars(query))


def trashed_projects() -> list[Project]:
    """Deleted projects still restorable; older ones are purged as the list is read."""
    cutoff = utcnow() - dt.timedelta(days=TRASH_DAYS)
    session = db()
    for old in session.scalars(select(Project).where(Project.deleted_at < cutoff)):
        session.delete(old)
    session.commit()
    query = select(Project).where(Project.deleted_at.is_not(None)).order_by(Project.deleted_at.desc())
    return list(session.scalars(query))


def create_project(answers: dict[str, Any], visited: dict[str, Any] | None = None) -> Project:
    name = str(answers.get("project", {}).get("name") or "（名称未設定）")[:200]
    project = Project(name=name, answers=answers, visited=visited or {}, version=1)
    db().add(project)
    db().commit()
    return project


def save_answers(project: Project, answers: dict[str, Any], step: str | None) -> None:
    """Store a new answers document (reassigned, never mutated in place), bump the version,
    mark the step visited and drop its draft."""
    project.answers = answers
    project.name = str(answers.get("project", {}).get("name") or "（名称未設定）")[:200]
    if step is not None:
        project.visited = {**project.visited, step: True}
        draft = db().get(StepDraft, (project.id, step))
        if draft is not None:
            db().delete(draft)
    project.version += 1
    project.updated_at = utcnow()
    db().commit()


def get_draft(project: Project, step: str) -> StepDraft | None:
    draft = db().get(StepDraft, (project.id, step))
    return draft if draft is not None and draft.base_version == project.version else None


def put_draft(project: Project, step: str, data: dict[str, Any]) -> None:
    draft = db().get(StepDraft, (project.id, step))
    if draft is None:
        db().add(StepDraft(project_id=project.id, step=step, data=data, base_version=project.version))
    else:
        draft.data, draft.base_version, draft.updated_at = data, project.version, utcnow()
    db().commit()
