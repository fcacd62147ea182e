"""What the banners on every project page need, in as few queries as possible.

The review banner needs the project's latest review, its newest approval and how many comment
threads are open: one query here (the reviews, each row carrying the open-thread count as a
scalar subquery, outer-joined from the project so a project without reviews still gives its
count), where ``review.queries.review_summary`` takes two. The catalogue banner costs no query at all
(``releases.update_status`` reads the per-worker caches of the active and loaded versions).
"""

from __future__ import annotations

from sqlalchemy import func, select

from sbd_tool.storage.models import Comment, Project, Review
from sbd_tool.web.store import db


def review_summary(project: Project) -> tuple[Review | None, Review | None, int]:
    """The latest review, the newest approval and the number of open comment threads."""
    open_threads = (
        select(func.count())
        .where(Comment.project_id == project.id, Comment.parent_id.is_(None), Comment.resolved_at.is_(None))
        .scalar_subquery()
    )
    query = (
        select(open_threads, Review)
        .select_from(Project)
        .outerjoin(Review, Review.project_id == Project.id)
        .where(Project.id == project.id)
        .order_by(Review.id.desc())
    )
    rows = db().execute(query).all()
    count = int(rows[0][0] or 0) if rows else 0
    found = [review for _count, review in rows if review is not None]
    approved = [r for r in found if r.status == "approved"]
    newest_approval = max(
        approved, key=lambda r: (r.decided_at is not None, r.decided_at or r.submitted_at, r.id), default=None
    )
    return (found[0] if found else None), newest_approval, count
