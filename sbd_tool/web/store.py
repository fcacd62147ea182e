"""The request's database session and project look-ups: one transaction per request.

Every list of projects goes through ``visible_projects``, which applies the same rules as
``access`` in SQL, so a list never shows what the project pages would refuse.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app, g
from sqlalchemy import ColumnElement, Select, and_, delete, false, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from sbd_tool.content import Catalogue
from sbd_tool.storage.models import Project, ProjectShare, Review, Revision, StepDraft, User, utcnow
from sbd_tool.web import releases
from sbd_tool.web.access import live_share


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


def visible_to(who: User) -> ColumnElement[bool]:
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
    if who.role == "trainer":  # as access.can_edit: training projects made by trainers, never officers' sandboxes
        return and_(same_org, Project.kind == "training", Project.created_by.in_(trainer_ids()))
    return false()


def trainer_ids() -> Select[int]:
    """The users whose training projects are course material (see ``access.made_by_trainer``)."""
    return select(User.id).where(User.role == "trainer")


def visible_projects(who: User, *, kind: str | None = None) -> list[Project]:
    query = select(Project).where(Project.deleted_at.is_(None), visible_to(who))
    if kind is not None:
        query = query.where(Project.kind == kind)
    return list(db().scalars(query.order_by(Project.updated_at.desc())))


def pending_reviews(who: User) -> list[Review]:
    """Reviews waiting for this adviser, on projects the adviser may still read (same rule as the list)."""
    query = (
        select(Review)
        .join(Project, Project.id == Review.project_id)
        .where(Review.adviser_id == who.id, Review.status == "pending", Project.deleted_at.is_(None), visible_to(who))
    )
    return list(db().scalars(query.order_by(Review.submitted_at.desc())))


def trashed_projects(who: User) -> list[Project]:
    """Deleted projects still restorable (removed for good only by ``sbd-tool purge``; a GET never writes)."""
    if who.role == "adviser":
        return []
    query = select(Project).where(Project.deleted_at.is_not(None), visible_to(who)).order_by(Project.deleted_at.desc())
    return list(db().scalars(query))


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

    Nothing is written here (no autoflush): the UPDATE, which names the version it read, runs
    when the caller commits through ``commit_save``; if another save landed first it matches no
    row and the save is refused as a conflict there, in one place.
    """
    session = db()
    with session.no_autoflush:  # a query below must not flush the versioned UPDATE early
        project.answers = answers
        project.name = _name(answers)
        if step is not None:
            project.visited = {**project.visited, step: True}
            draft = session.get(StepDraft, (project.id, who.id, step))  # the saver's own draft only
            if draft is not None:
                session.delete(draft)
        project.version += 1
        project.updated_at = utcnow()
        project.content_version = content_version or catalogue_for(project).content_version
        revision = _revision(project, who, step)
        session.add(revision)
    return revision


def commit_save() -> bool:
    """Commit a change to a project; False (rolled back, nothing saved) when another save of the
    project landed first (the versioned UPDATE matched no row). The one place a save is refused."""
    session = db()
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        return False
    return True


def set_project_flags(project: Project, **values: Any) -> None:
    """Change flags that are not the project's content (deleted, model answer) without the
    version check: they never conflict with a save of the answers, so racing one is no error."""
    db().execute(
        update(Project).where(Project.id == project.id).values(**values).execution_options(synchronize_session=False)
    )
    for name, value in values.items():
        set_committed_value(project, name, value)


def lock_project(project: Project) -> Project:
    """Serialise changes to a project's review state: on PostgreSQL the row is locked
    (``SELECT … FOR UPDATE``); SQLite has one writer at a time, so the write transaction is
    begun here (a no-op UPDATE) and what is read after this is what the next writer will see.
    The project is re-read, so its version is the current one."""
    session = db()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(Project)
            .where(Project.id == project.id)
            .values(version=Project.version)
            .execution_options(synchronize_session=False)
        )
    query = select(Project).where(Project.id == project.id).with_for_update()
    fresh = session.scalars(query.execution_options(populate_existing=True)).one()
    return fresh


def revisions(project: Project) -> list[Revision]:
    query = select(Revision).where(Revision.project_id == project.id).order_by(Revision.number.desc())
    return list(db().scalars(query))


def get_revision(project: Project, number: int) -> Revision:
    found = db().scalar(select(Revision).where(Revision.project_id == project.id, Revision.number == number))
    if found is None:
        abort(404)
    return found


def get_revision_or_none(project: Project, number: int) -> Revision | None:
    """One revision of the project, or None (for pages that do without it)."""
    return db().scalar(select(Revision).where(Revision.project_id == project.id, Revision.number == number))


def get_draft(project: Project, step: str, who: User) -> StepDraft | None:
    """This user's unsaved input on a step, if it was typed on the project's current version."""
    draft = db().get(StepDraft, (project.id, who.id, step))
    return draft if draft is not None and draft.base_version == project.version else None


def put_draft(project: Project, step: str, who: User, data: dict[str, Any]) -> None:
    """Autosave: one draft per project, user and step, written as one upsert (several tabs may
    send their first autosave at once). Executed in the request's transaction: the view commits."""
    session = db()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(StepDraft).values(
        project_id=project.id, user_id=who.id, step=step, data=data, base_version=project.version, updated_at=utcnow()
    )
    statement = statement.on_conflict_do_update(
        index_elements=[StepDraft.project_id, StepDraft.user_id, StepDraft.step],
        set_={
            "data": statement.excluded.data,
            "base_version": statement.excluded.base_version,
            "updated_at": statement.excluded.updated_at,
        },
    )
    session.execute(statement)


def delete_draft(project: Project, step: str, who: User) -> None:
    """Discard this user's draft of a step (other users' drafts are theirs); the view commits."""
    db().execute(
        delete(StepDraft).where(StepDraft.project_id == project.id, StepDraft.user_id == who.id, StepDraft.step == step)
    )


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """The request's database session is closed when the request ends."""
    app.teardown_appcontext(_close_session)
