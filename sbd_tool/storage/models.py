"""Database models (SQLAlchemy 2.x, typed). The schema changes only through Alembic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, dt.datetime: DateTime(timezone=True)}


ROLES = ("officer", "adviser", "trainer", "admin")
PROJECT_KINDS = ("procurement", "training")


class Organisation(Base):
    """A ministry or agency. Officers see their own organisation's projects only."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class User(Base):
    """An account. ``role`` is one of ROLES; an admin may belong to no organisation.

    ``password_changed_at`` is also the session epoch: changing the password (or disabling the
    account) ends every other session of the user.
    """

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), default=None)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    password_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    email: Mapped[str | None] = mapped_column(String(254), default=None)  # for notification e-mails; optional
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


class AuthSession(Base):
    """A signed-in session, revocable on the server: the cookie carries a random token whose
    SHA-256 is ``id``. Sign-out, password change, disabling and role or organisation changes
    revoke it; ``expires_at`` is the absolute lifetime whatever the activity."""

    __tablename__ = "auth_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    address: Mapped[str] = mapped_column(String(64), default="", server_default="")


class LoginThrottle(Base):
    """Sign-in attempts counted per key (account, account+address, address), atomically.

    An attempt is reserved (counted) before the password is checked, so parallel guesses can
    never check more passwords than the limit; a success clears the account's keys."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    window_start: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    lockouts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Project(Base):
    """One procurement: its answers document (``sbd-tool/answers@1`` shape) and step state.

    ``version`` is the number of the newest revision. Every UPDATE names the version it read
    (SQLAlchemy's version counter), so two saves from the same starting point never both land.
    """

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    answers: Mapped[dict[str, Any]]
    visited: Mapped[dict[str, Any]]  # step id → True once the officer has saved it
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    deleted_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    model_answer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # 研修の模範解答
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), default=None, index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    kind: Mapped[str] = mapped_column(String(16), default="procurement", server_default="procurement")
    content_version: Mapped[str | None] = mapped_column(String(100), default=None)  # evaluated with
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="SET NULL"), default=None)
    copied_from: Mapped[int | None] = mapped_column(Integer, default=None)  # the sample a trainee copied
    # Steps done (0-7) as the wizard grades them, stored on every save for the projects list;
    # NULL for rows from before migration 0008 (the list grades those when it shows them).
    steps_done: Mapped[int | None] = mapped_column(Integer, default=None)
    drafts: Mapped[list[StepDraft]] = relationship(back_populates="project", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
    # The projects list: one organisation's projects, newest change first (migration 0011).
    __table_args__ = (Index("ix_project_organisation_id_updated_at", "organisation_id", "updated_at", "id"),)


class StepDraft(Base):
    """What one user typed on a step of a project but has not saved yet (autosaved by the page)."""

    __tablename__ = "step_draft"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    step: Mapped[str] = mapped_column(String(40), primary_key=True)
    data: Mapped[dict[str, Any]]
    base_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    project: Mapped[Project] = relationship(back_populates="drafts")


class Revision(Base):
    """An immutable snapshot written by every save: what review, diff and audit refer to."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]]
    visited: Mapped[dict[str, Any]]
    step: Mapped[str | None] = mapped_column(String(40), default=None)  # the step whose save made it
    content_version: Mapped[str] = mapped_column(String(100))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    author: Mapped[User | None] = relationship(lazy="joined")


class ProjectShare(Base):
    """An adviser may read and review this project (made when it is submitted to them)."""

    __tablename__ = "project_share"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(default=None)  # set when the review ends


REVIEW_STATUSES = ("pending", "approved", "returned", "superseded")


class Review(Base):
    """A revision submitted to an adviser; approving or returning it is one conditional UPDATE."""

    __tablename__ = "review"
    # A project's latest review (the list's review state): one probe (migration 0011).
    __table_args__ = (Index("ix_review_project_id_id", "project_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    submitted_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    adviser: Mapped[User] = relationship(foreign_keys=[adviser_id], lazy="joined")
    submitter: Mapped[User] = relationship(foreign_keys=[submitted_by], lazy="joined")


class Comment(Base):
    """A review comment on the project or on one requirement; replies point at their parent."""

    __tablename__ = "review_comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    requirement: Mapped[str | None] = mapped_column(String(20), default=None)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("review_comment.id", ondelete="CASCADE"), default=None)
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    revision_number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")


class AuditEvent(Base):
    """Who did what when. Names are copied, not referenced, so the log outlives what it names."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_username_id", "username", "id"),
        Index("ix_audit_event_project_id_id", "project_id", "id"),
        Index("ix_audit_event_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, default=None)
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    project_id: Mapped[int | None] = mapped_column(Integer, default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    address: Mapped[str] = mapped_column(String(64), default="")


class ShareLink(Base):
    """A read-only link for bidders. The URL carries a signed token; only its hash is stored."""

    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    creator: Mapped[User] = relationship(lazy="joined")


class ShareAccess(Base):
    """One use of a share link (refused ones too), for the officer's access log."""

    __tablename__ = "share_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("share_link.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    what: Mapped[str] = mapped_column(String(20))  # page | xlsx | refused-expired | refused-revoked
    revision_number: Mapped[int | None] = mapped_column(Integer, default=None)


class CatalogueRelease(Base):
    """One version of the content (questionnaires/ and requirement_sets/), kept whole.

    Projects are evaluated with the version they record (``Project.content_version``) until their
    officer adopts a newer one after seeing what would change; ``active`` marks the version new
    projects start with. The files shipped with the code are registered as ``builtin``.
    """

    __tablename__ = "catalogue_release"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_version: Mapped[str] = mapped_column(String(100), unique=True)
    files: Mapped[dict[str, Any]] = mapped_column(deferred=True)  # path → YAML text; loaded only when needed
    source: Mapped[str] = mapped_column(String(16))  # builtin | import
    note: Mapped[str] = mapped_column(Text, default="")
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Course(Base):
    """A training course of an organisation: sample projects that trainees copy into sandboxes."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    # A trainee's copy starts blank from this step on (its answers, decisions and output settings
    # left out); None: the copy keeps the sample's answers and only the model's decisions are left out.
    blank_from: Mapped[str | None] = mapped_column(String(40), default=None)


class CourseSample(Base):
    """A sample of a course: one of the trainer's training projects (ideally a model answer)."""

    __tablename__ = "course_sample"

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


NOTIFICATION_KINDS = ("review_requested", "review_approved", "review_returned", "comment", "reply")


class Notification(Base):
    """An entry in a user's inbox (``sbd_tool.web.notifications``): something happened on a project
    that concerns them. Written in the transaction of the action it reports; ``read_at`` is set when
    the user opens it. The unread count in the header is one query on (user_id, read_at)."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_id_read_at", "user_id", "read_at"),
        Index("ix_notification_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # one of NOTIFICATION_KINDS
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    requirement: Mapped[str | None] = mapped_column(String(20), default=None)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("review_comment.id", ondelete="CASCADE"), default=None)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")
