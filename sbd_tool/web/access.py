"""Who may do what. Every view declares one rule; a request to a view without one is refused.

The rules are checked on the server before the view runs (``check_request``), so a template
hiding a button is never the only thing between a user and a project.

Projects outside a user's reach answer 404, not 403: a user of another organisation cannot even
learn that a project number exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app, g, redirect, request, url_for
from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import object_session
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Course, Project, ProjectShare, Review, User, utcnow

F = TypeVar("F", bound=Callable[..., Any])

# rule → meaning
RULES = {
    "public": "anyone, signed in or not",
    "signed_in": "any signed-in user",
    "admin": "administrators",
    "create": "officers and trainers (a project of their organisation)",
    "project:read": "as project:edit; trainers also trainees' copies in their organisation's courses; "
    "advisers it was shared with",
    "project:edit": "officers (procurement and own sandboxes) and trainers (training projects made by trainers) "
    "of its organisation",
    "project:trashed": "as project:edit, for a project in the trash",
    "project:comment": "anyone who may read the project, except admins",
    "project:submit": "officers who may edit the project",
    "project:share": "officers who may edit the project, for procurements only (never a training project)",
    "project:review": "advisers the project was shared with",
    "project:train": "trainers who may edit the project",
    "training": "officers and trainers of an organisation (courses list)",
    "trainer": "trainers of an organisation",
    "course:view": "officers and trainers of the course's organisation",
    "course:manage": "trainers of the course's organisation",
}


def rule(name: str) -> Callable[[F], F]:
    """Declare the access rule of a view."""
    if name not in RULES:
        raise ValueError(f"unknown access rule {name!r}")

    def mark(view: F) -> F:
        view.access_rule = name  # type: ignore[attr-defined]
        return view

    return mark


def current_user() -> User | None:
    found: User | None = g.get("user")
    return found


def user() -> User:
    """The signed-in user (views behind any rule but ``public`` may rely on one)."""
    found = g.get("user")
    if found is None:
        abort(401)
    return found  # type: ignore[no-any-return]


def live_share(user_id: int) -> ColumnElement[bool]:
    """A share that still grants access: not expired (a share ends some time after its review)."""
    return and_(
        ProjectShare.user_id == user_id,
        or_(ProjectShare.expires_at.is_(None), ProjectShare.expires_at > utcnow()),
    )


def is_shared(session: Any, project: Project, who: User) -> bool:
    """Shared with this adviser, still live, and the project is of the adviser's *current* organisation."""
    if who.role != "adviser" or who.organisation_id is None or project.organisation_id != who.organisation_id:
        return False
    query = select(exists().where(ProjectShare.project_id == project.id, live_share(who.id)))
    return bool(session.scalar(query))


def can_read(session: Any, who: User, project: Project) -> bool:
    if who.role == "adviser":
        return is_shared(session, project, who)
    if who.role == "trainer" and in_own_course(session, who, project):
        return True  # a trainee's copy in a course of the trainer's organisation: read, never edit
    return can_edit(who, project)


def made_by_trainer(session: Any, project: Project) -> bool:
    """A training project a trainer created (course material), not an officer's sandbox."""
    if project.created_by is None or session is None:
        return False
    creator = session.get(User, project.created_by)
    return creator is not None and creator.role == "trainer"


def in_own_course(session: Any, who: User, project: Project) -> bool:
    """A copy made in a course run by the trainer's organisation."""
    if project.kind != "training" or project.course_id is None or project.organisation_id != who.organisation_id:
        return False
    course = session.get(Course, project.course_id)
    return course is not None and course.organisation_id == who.organisation_id


def can_edit(who: User, project: Project) -> bool:
    if who.organisation_id is None or project.organisation_id != who.organisation_id:
        return False
    if who.role == "officer":
        return project.kind == "procurement" or project.created_by == who.id
    if who.role == "trainer":  # trainers' training projects only; an officer's sandbox stays theirs
        return project.kind == "training" and made_by_trainer(object_session(project), project)
    return False


def has_pending_review(session: Any, project_id: int, adviser_id: int) -> bool:
    query = select(
        exists().where(Review.project_id == project_id, Review.adviser_id == adviser_id, Review.status == "pending")
    )
    return bool(session.scalar(query))


def allowed(session: Any, name: str, who: User | None, project: Project | None) -> bool:
    """The decision for one rule; ``project`` is the one the URL names (for ``project:*`` rules)."""
    if name == "public":
        return True
    if who is None:
        return False
    if name == "signed_in":
        return True
    if name == "admin":
        return who.role == "admin"
    if name in ("create", "training"):
        return who.role in ("officer", "trainer") and who.organisation_id is not None
    if name == "trainer":
        return who.role == "trainer" and who.organisation_id is not None
    if project is None:
        return False
    if name in ("project:edit", "project:trashed"):
        return can_edit(who, project)
    if name in ("project:read", "project:comment"):
        return can_read(session, who, project)
    if name == "project:submit":
        return who.role == "officer" and can_edit(who, project)
    if name == "project:share":
        return who.role == "officer" and project.kind == "procurement" and can_edit(who, project)
    if name == "project:review":
        return is_shared(session, project, who)
    if name == "project:train":
        return who.role == "trainer" and can_edit(who, project)
    return False


def check_request(session: Any) -> BaseResponse | None:
    """Run before every view: refuse unless the view's rule allows this user (fail closed)."""
    if request.endpoint is None:
        return None  # 404/405 from routing
    if request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    name = getattr(view, "access_rule", None)
    if name is None:  # a view nobody wrote a rule for is refused, and the matrix test fails
        current_app.logger.error("view %s has no access rule", request.endpoint)
        abort(403)
    who = current_user()
    if name != "public" and who is None:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path))
        abort(401)  # a form sent without a session: say so rather than bounce it to a page
    if name.startswith("course:"):
        course = session.get(Course, (request.view_args or {}).get("course_id"))
        if course is None or who is None or course.organisation_id != who.organisation_id:
            abort(404)
        if who.role not in ("officer", "trainer") or (name == "course:manage" and who.role != "trainer"):
            abort(403)
        g.course = course
        return None
    project = None
    if name.startswith("project:"):
        project_id = (request.view_args or {}).get("project_id")
        project = session.get(Project, project_id) if project_id is not None else None
        if project is None or (project.deleted_at is not None) != (name == "project:trashed"):
            abort(404)
        if not allowed(session, name, who, project):
            # Not readable at all → indistinguishable from a missing project.
            if who is None or not can_read(session, who, project):
                abort(404)
            abort(403)
        g.project = project
        return None
    if not allowed(session, name, who, None):
        abort(403)
    return None
