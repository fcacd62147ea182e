"""What the course pages read: the course of the request, its samples, and trainees' copies."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from sbd_tool.storage.models import Course, CourseSample, Project, User
from sbd_tool.web.store import db, trainer_ids


def current_course() -> Course:
    course: Course = g.course
    return course


def course_samples(course: Course) -> list[Project]:
    """The course's samples: trainers' training projects of the course's organisation only (a row
    naming anything else, e.g. an officer's sandbox added under the old rule, is not offered)."""
    query = (
        select(Project)
        .join(CourseSample, CourseSample.project_id == Project.id)
        .where(
            CourseSample.course_id == course.id,
            Project.deleted_at.is_(None),
            Project.kind == "training",
            Project.organisation_id == course.organisation_id,
            Project.created_by.in_(trainer_ids()),
        )
        .order_by(CourseSample.position, Project.id)
    )
    return list(db().scalars(query))


def copies(course: Course, who: User | None = None) -> list[Project]:
    query = select(Project).where(Project.course_id == course.id, Project.deleted_at.is_(None))
    if who is not None:
        query = query.where(Project.created_by == who.id)
    return list(db().scalars(query.order_by(Project.created_at)))
