"""The request's database session and project look-ups: one transaction per request.

Every list of projects goes through ``visible_projects``, which applies the same rules as
``access`` in SQL, so a list never shows what the project pages would refuse.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, current_app, g
from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from sbd_tool.content import Catalogue
from sbd_tool.storage.models import Project, ProjectShare, Review, Revision, StepDraft, User, utcnow
from sbd_tool.web import releases
from sbd_tool.web.access import live_share

TRASH_DAYS = 30


def db() -> Session:
    if "db" not in g:
        g.db = current_app.extensions["sbd"]["sessions"]()
    session: Session = g.db
    return session


def catalogue() -> Catalogue:
    """The catalogue of the project the request is about, else the active one."""
    project = g.get("project")
    return releases.for_project(db(), project) if project is not None else releases.active(db())


def catalogue_for(project: Project) -> Catalogue:
    return releases.for_project(db(), project)


def catalogue_of(revision: Revision) -> Catalogue:
    """The catalogue a revision was saved under (exact for approved documents), else the request's."""
    return releases.by_version(db(), revision.content_version) or catalogue()


def get_project(project_id: int, *, deleted: bool = False) -> Project:
    """The project the URL names; ``access.check_request`` has already checked the user may."""
    project = db().get(Project, project_id)
    if project is None or (project.deleted_at is not None) != deleted:
        abort(404)
    return project


def _visible(who: User) -> ColumnElement[bool]:
    if who.role == "adviser":  # the same rule as access.is_shared, in SQL
        if who.organisation_id is None:
            return false()
        shared = select(ProjectShare.project_id).where(live_share(who.id))
        return and_(Project.id.in_(shared), Project.organisation_id == who.organisation_id)
    if who.organisation_id is None:
        return false()
    same_org = Project.organisation_id == who.organisation_id
    if who.role == "officer":
        return and_(same_org, or_(Project.kind == "procurement", Project.created_by == who.id))
    if who.role == "trainer":
        return and_(same_org, Project.kind == "training")
    return false()


def visible_projects(who: User, *, kind: str | None = None) -> list[Project]:
    query = select(Project).where(Project.deleted_at.is_(None), _visible(who))
    if kind is not None:
        query = query.where(Project.kind == kind)
    return list(db().scalars(query.order_by(Project.updated_at.desc())))


def pending_reviews(who: User) -> list[Review]:
    """Reviews waiting for this adviser, on projects the adviser may still read (same rule as the list)."""
    query = (
        select(Review)
        .join(Project, Project.id == Review.project_id)
        .where(Review.adviser_id == who.id, Review.status == "pending", Project.deleted_at.is_(None), _visible(who))
    )
    return list(db().scalars(query.order_by(Review.submitted_at.desc())))


def trashed_projects(who: User) -> list[Project]:
    """Deleted projects still restorable; older ones are purged as the list is read."""
    cutoff = utcnow() - dt.timedelta(days=TRASH_DAYS)
    session = db()
    for old in session.scalars(select(Project).where(Project.deleted_at < cutoff)):
        session.delete(old)
    session.commit()
    if who.role == "adviser":
        return []
    query = select(Project).where(Project.deleted_at.is_not(None), _visible(who)).order_by(Project.deleted_at.desc())
    return list(session.scalars(query))


def _name(answers: dict[str, Any]) -> str:
    return str(answers.get("project", {}).get("name") or "（名称未設定）")[:200]


def create_project(
    answers: dict[str, Any], who: User, visited: dict[str, Any] | None = None, *, kind: str = "procurement"
) -> Project:
    """A new project of the user's organisation, with its first revision."""
    project = Project(
        name=_name(answers),
        answers=answers,
        visited=visited or {},
        version=1,
        organisation_id=who.organisation_id,
        created_by=who.id,
        kind=kind,
        content_version=releases.active(db()).content_version,
    )
    session = db()
    session.add(project)
    session.flush()
    session.add(_revision(project, who, None))
    return project


def _revision(project: Project, who: User | None, step: str | None) -> Revision:
    return Revision(
        project_id=project.id,
        number=project.version,
        answers=project.answers,
        visited=project.visited,
        step=step,
        content_version=project.content_version or catalogue_for(project).content_version,
        author_id=who.id if who else None,
    )


def save_answers(
    project: Project, answers: dict[str, Any], step: str | None, who: User, *, content_version: str | None = None
) -> Revision:
    """Store a new answers document (reassigned, never mutated in place) as a new revision.

    The UPDATE names the version it read; if another save landed first it matches no row and
    SQLAlchemy raises ``StaleDataError`` (the caller shows the conflict). Not committed here.
    """
    project.answers = answers
    project.name = _name(answers)
    if step is not None:
        project.visited = {**project.visited, step: True}
        draft = db().get(StepDraft, (project.id, step))
        if draft is not None:
            db().delete(draft)
    project.version += 1
    project.updated_at = utcnow()
    project.content_version = content_version or catalogue_for(project).content_version
    revision = _revision(project, who, step)
    db().add(revision)
    return revision


def revisions(project: Project) -> list[Revision]:
    query = select(Revision).where(Revision.project_id == project.id).order_by(Revision.number.desc())
    return list(db().scalars(query))


def get_revision(project: Project, number: int) -> Revision:
    found = db().scalar(select(Revision).where(Revision.project_id == project.id, Revision.number == number))
    if found is None:
        abort(404)
    return found


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
