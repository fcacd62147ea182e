"""Database models (SQLAlchemy 2.x, typed). The schema changes only through Alembic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, false, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, dt.datetime: DateTime(timezone=True)}


class Project(Base):
    """One procurement: its answers document (``sbd-tool/answers@1`` shape) and step state.

    ``version`` rises on every save; a save naming an older version is refused, so two tabs
    never silently overwrite each other.
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
    drafts: Mapped[list[StepDraft]] = relationship(back_populates="project", cascade="all, delete-orphan")


class StepDraft(Base):
    """What the officer typed on a step but has not saved yet (autosaved by the page)."""

    __tablename__ = "step_draft"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    step: Mapped[str] = mapped_column(String(40), primary_key=True)
    data: Mapped[dict[str, Any]]
    base_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    project: Mapped[Project] = relationship(back_populates="drafts")
