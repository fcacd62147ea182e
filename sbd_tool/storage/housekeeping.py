"""Housekeeping the server does on purpose (``sbd-tool purge``, e.g. daily from cron), never on a page view.

- projects deleted more than ``TRASH_DAYS`` ago are removed for good (with their revisions,
  reviews and comments);
- sessions that ended or expired more than a day ago, sign-in counters idle for a day, and
  drafts typed on a version that has since been saved over are removed (they decide nothing
  any more: a stale draft is never restored).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from sbd_tool.storage.models import AuthSession, LoginThrottle, Project, StepDraft, utcnow

TRASH_DAYS = 30


@dataclass(frozen=True)
class Purged:
    projects: int
    sessions: int
    counters: int
    drafts: int = 0


def purge(session: Session, now: dt.datetime | None = None) -> Purged:
    """Remove what has expired; the caller commits."""
    now = now or utcnow()
    old = list(session.scalars(select(Project).where(Project.deleted_at < now - dt.timedelta(days=TRASH_DAYS))))
    for project in old:  # through the ORM, so cascades and the version counter behave as everywhere else
        session.delete(project)
    day_ago = now - dt.timedelta(days=1)
    sessions = session.execute(
        delete(AuthSession).where(or_(AuthSession.revoked_at < day_ago, AuthSession.expires_at < day_ago))
    )
    counters = session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_start < day_ago,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < day_ago),
        )
    )
    current = select(Project.version).where(Project.id == StepDraft.project_id).scalar_subquery()
    drafts = session.execute(delete(StepDraft).where(StepDraft.base_version < current))
    counts = (sessions.rowcount, counters.rowcount, drafts.rowcount)  # type: ignore[attr-defined]
    return Purged(len(old), *(int(n or 0) for n in counts))
