"""What the review pages read: a project's reviews (the latest, the newest approval) and its
comment threads."""

from __future__ import annotations

from sqlalchemy import func, select

from sbd_tool.storage.models import Comment, Project, Review
from sbd_tool.web.store import db


def latest_review(project: Project) -> Review | None:
    query = select(Review).where(Review.project_id == project.id).order_by(Review.id.desc()).limit(1)
    return db().scalar(query)


def approved_review(project: Project, number: int | None = None) -> Review | None:
    """The newest approval of the project (or of one revision)."""
    query = select(Review).where(Review.project_id == project.id, Review.status == "approved")
    if number is not None:
        query = query.where(Review.revision_number == number)
    return db().scalar(query.order_by(Review.decided_at.desc()).limit(1))


def review_summary(project: Project) -> tuple[Review | None, Review | None, int]:
    """For the banner on every project page, in two queries: the latest review, the newest
    approval, and how many comment threads are open."""
    found = list(db().scalars(select(Review).where(Review.project_id == project.id).order_by(Review.id.desc())))
    approved = [r for r in found if r.status == "approved"]
    newest_approval = max(
        approved, key=lambda r: (r.decided_at is not None, r.decided_at or r.submitted_at, r.id), default=None
    )
    count = select(func.count()).where(
        Comment.project_id == project.id, Comment.parent_id.is_(None), Comment.resolved_at.is_(None)
    )
    return (found[0] if found else None), newest_approval, int(db().scalar(count) or 0)


def open_comments(project: Project) -> dict[str | None, list[Comment]]:
    """Unresolved top-level comments by requirement id (None: on the whole project)."""
    query = select(Comment).where(
        Comment.project_id == project.id, Comment.parent_id.is_(None), Comment.resolved_at.is_(None)
    )
    found: dict[str | None, list[Comment]] = {}
    for comment in db().scalars(query.order_by(Comment.created_at)):
        found.setdefault(comment.requirement, []).append(comment)
    return found


def threads(project: Project) -> tuple[dict[str | None, list[Comment]], dict[int, list[Comment]]]:
    """All comments: top-level ones by requirement, replies by parent id."""
    query = select(Comment).where(Comment.project_id == project.id).order_by(Comment.created_at, Comment.id)
    top: dict[str | None, list[Comment]] = {}
    replies: dict[int, list[Comment]] = {}
    for comment in db().scalars(query):
        if comment.parent_id is None:
            top.setdefault(comment.requirement, []).append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    return top, replies
